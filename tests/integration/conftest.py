"""Integration tests: each starts from an empty database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from portal.extensions import db
from tests.conftest import empty_database


@pytest.fixture(autouse=True)
def _clean_database(app: Flask) -> Iterator[None]:
    with app.app_context():
        empty_database()
        yield
        db.session.remove()
