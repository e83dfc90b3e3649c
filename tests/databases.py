"""Fresh, empty databases for tests: a SQLite file, or a new database on the PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url


def server_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def backend() -> str:
    return "postgresql" if server_url() else "sqlite"


@contextmanager
def fresh_database(folder: Path, label: str) -> Iterator[str]:
    server = server_url()
    if server is None:
        yield f"sqlite:///{folder / f'{label}.sqlite3'}"
        return
    name = f"pep_{label}_{uuid.uuid4().hex[:10]}"
    admin = make_url(server).set(drivername="postgresql")
    admin_dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
