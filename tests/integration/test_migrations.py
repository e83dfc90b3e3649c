"""`upgrade head` on an empty database gives exactly the models' schema (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from portal import create_app
from portal.extensions import db
from tests import databases

CORE_TABLES = {
    "authorities",
    "users",
    "memberships",
    "children",
    "peps",
    "pep_section_entries",
    "audit_events",
}


def test_migrations_build_exactly_the_models_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with databases.fresh_database(tmp_path, "migrations") as url:
        monkeypatch.setenv("DATABASE_URL", url)
        empty_app = create_app()
        with empty_app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                differences = compare_metadata(context, db.metadata)
                tables = set(inspect(connection).get_table_names())
            downgrade(revision="base")
            with db.engine.connect() as connection:
                left = set(inspect(connection).get_table_names()) - {"alembic_version"}
            db.engine.dispose()
    assert differences == [], differences
    assert tables >= CORE_TABLES
    assert left == set(), "downgrade to base should remove every table"


def test_the_suite_runs_on_the_database_it_was_asked_for(app) -> None:
    """`make test` runs twice; this proves the second run really talks to PostgreSQL."""
    with app.app_context():
        assert db.engine.dialect.name == databases.backend()
