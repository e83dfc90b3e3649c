"""Database engine set-up that differs by backend."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event

from portal.extensions import db


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite ignores foreign keys unless asked, per connection; PostgreSQL always enforces them.

    Write-ahead logging lets pages read while a save writes (gunicorn runs several workers), and
    with synchronous=NORMAL a commit survives the application crashing without a disk sync each.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def init_app(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
