"""Shared fixtures: one application per test session on a real database, emptied before each test.

The database is SQLite by default; with ``TEST_DATABASE_URL`` (a PostgreSQL server URL, as
``make test`` sets it) the suite gets its own fresh PostgreSQL database instead. The schema is
built by running the Alembic migrations, so every test also exercises them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from portal import create_app
from portal.extensions import db
from portal.models import Authority
from portal.services.authorities import sync_from_files
from tests import databases


def pytest_report_header() -> str:
    return f"database: {databases.backend()}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with databases.fresh_database(tmp_path_factory.mktemp("db"), "suite") as url:
        yield url


class RequestIsolatingClient(FlaskClient):
    """Runs each request in its own application context, as a real server does.

    Flask reuses an application context that is already pushed, and tests push one to use the
    database; without this, requests would share ``g`` (Flask-Login's cached user) and the
    database session with the test and with each other, hiding real bugs.
    """

    def run_wsgi_app(self, environ, buffered=False):  # type: ignore[no-untyped-def]
        with self.application.app_context():
            return super().run_wsgi_app(environ, buffered=buffered)


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    saved = dict(os.environ)
    os.environ.update(
        PORTAL_ENV="test",
        DATABASE_URL=database_url,
        SECRET_KEY="test-secret-key",
        ATTACHMENT_DIR=str(tmp_path_factory.mktemp("attachments")),
    )
    try:
        application = create_app()
        application.test_client_class = RequestIsolatingClient
        with application.app_context():
            upgrade()
        yield application
    finally:
        os.environ.clear()
        os.environ.update(saved)


def empty_database() -> None:
    """Delete every row, children before parents, breaking the authority <-> version cycle first."""
    db.session.rollback()
    db.session.execute(text("UPDATE authorities SET current_config_version_id = NULL"))
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def authorities(app: Flask) -> dict[str, Authority]:
    """The four shipped authorities, recorded from config/authorities as at start-up."""
    sync_from_files(app.extensions["authority_files"])
    return {a.slug: a for a in db.session.scalars(db.select(Authority))}
