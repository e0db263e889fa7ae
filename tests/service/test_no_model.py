"""Without any champion the service still runs, and scoring says why it cannot score."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from service.store.db import upgrade
from service.store.table_types import metadata
from service.store.tables import DIALECT_INDEXES
from tests.service.live import fresh_database


def test_scoring_answers_503_when_no_model_can_be_loaded(launch, tmp_path):
    empty_store = f"sqlite:///{tmp_path / 'empty-mlflow.db'}"
    # Its own SQLite file: the shared test database belongs to the main service fixture.
    process, service = launch(tmp_path, empty_store, "no-model", sqlite_only=True)
    try:
        with service.client("scientist") as scientist:
            models = scientist.get("/models").json()
            assert all(m["version"] is None and "no champion" in m["error"] for m in models)
            response = scientist.post(
                "/score", json={"business": {"business_id": "B1"}, "as_of": "2026-01-01"}
            )
            assert response.status_code == 503
            assert "no sme-distress model is loaded" in response.json()["detail"]
        with service.client("analyst") as analyst:
            assert analyst.get("/cases").status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_migrations_produce_exactly_the_declared_tables(tmp_path):
    url = fresh_database(tmp_path, "migrated")  # PostgreSQL when the suite runs against it
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        # An index built for one database only is compared on that database only.
        dialect = connection.dialect.name

        def declared_here(_obj, name, type_, _reflected, _compare_to):
            return type_ != "index" or DIALECT_INDEXES.get(name, dialect) == dialect

        context = MigrationContext.configure(connection, opts={"include_object": declared_here})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    assert diff == []
