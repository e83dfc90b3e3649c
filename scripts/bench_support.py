"""What the benchmark scripts share: the application on a throw-away database, migrated and with
every authority's process loaded, as the portal is after `make run`'s set-up."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@contextmanager
def benchmark_app(database_url: str) -> Iterator[object]:
    """The app inside its application context, on ``database_url`` (a fresh database)."""
    os.environ.update(
        PORTAL_ENV="test",
        DATABASE_URL=database_url,
        SECRET_KEY="benchmark-only-key",  # noqa: S106 - a throw-away database
        ATTACHMENT_DIR=tempfile.mkdtemp(prefix="pep-bench-files-"),
    )
    from flask_migrate import upgrade

    from portal import create_app
    from portal.services.authorities import sync_from_files

    app = create_app()
    with app.app_context():
        upgrade()
        sync_from_files(app.extensions["authority_files"])
        yield app


@contextmanager
def fresh_database_url(postgres_url: str | None, name: str) -> Iterator[str]:
    """A new database: a SQLite file, or a database made on the PostgreSQL server named."""
    from tests.databases import fresh_database

    if postgres_url:
        os.environ["TEST_DATABASE_URL"] = postgres_url
    with tempfile.TemporaryDirectory() as folder, fresh_database(Path(folder), name) as url:
        yield url
