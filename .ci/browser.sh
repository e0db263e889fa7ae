#!/usr/bin/env bash
# Debian's Chromium and Thai fonts for the browser tests (Playwright never downloads a browser).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && fc-list :lang=th 2>/dev/null | grep -q .; then
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-thai-tlwg >/dev/null
