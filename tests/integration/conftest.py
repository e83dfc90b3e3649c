"""Integration tests: each starts from an empty database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.authorities.loader import load_file
from portal.authorities.schema import Role
from portal.extensions import db
from portal.models import Authority
from portal.services.authorities import sync_from_files
from tests.conftest import empty_database
from tests.factories import make_user, sign_in


@pytest.fixture(autouse=True)
def _clean_database(app: Flask) -> Iterator[None]:
    with app.app_context():
        empty_database()
        yield
        db.session.remove()


SAMPLE_COUNCIL = Path(__file__).parent.parent / "fixtures" / "sample-council.toml"


def load_sample_council() -> Authority:
    """The small sample authority of tests/fixtures, recorded in the database like a shipped one."""
    sync_from_files({"sample-council": load_file(SAMPLE_COUNCIL)})
    return db.session.scalar(select(Authority).where(Authority.slug == "sample-council"))


@pytest.fixture
def lancashire(authorities: dict[str, Authority]) -> Authority:
    return authorities["lancashire"]


@pytest.fixture
def admin_client(app: Flask, lancashire: Authority) -> FlaskClient:
    """Lancashire's administrator, signed in: the process, people and import pages' user."""
    admin = make_user("Ada Admin", email="ada@lancs.example", roles=[(Role.AUTHORITY_ADMIN, lancashire)])
    client = app.test_client()
    sign_in(client, admin.email)
    return client
