#!/usr/bin/env bash
# Install (Debian's package) and start a local PostgreSQL with a throw-away test database.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^${version} main"; then
  pg_createcluster "${version}" main >/dev/null
fi
pg_ctlcluster "${version}" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1" && break
  sleep 1
done
su postgres -c "psql -q -h 127.0.0.1 -c \"DROP DATABASE IF EXISTS rescue_test\"" 2>/dev/null \
  || su postgres -c "psql -q -c \"DROP DATABASE IF EXISTS rescue_test\""
su postgres -c "psql -q -c \"DO \\\$\\\$BEGIN CREATE ROLE rescue LOGIN PASSWORD 'rescue'; EXCEPTION WHEN duplicate_object THEN NULL; END\\\$\\\$\""
su postgres -c "psql -q -c \"CREATE DATABASE rescue_test OWNER rescue\""
echo "PostgreSQL ${version} ready on 127.0.0.1:5432 (database rescue_test)"
