"""Security headers on every response (security.md item 9), and nothing from GOV.UK's brand."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from portal.authorities.schema import Role
from tests.factories import make_user, sign_in


def assert_secure_headers(response) -> None:
    policy = response.headers["Content-Security-Policy"]
    for directive in (
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "default-src 'self'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_carry_the_headers_and_a_fresh_nonce(client: FlaskClient) -> None:
    first, second = client.get("/sign-in"), client.get("/sign-in")
    for response in (first, second):
        assert_secure_headers(response)
        assert response.headers["Cache-Control"] == "no-store"
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
        # Every script on the page carries the nonce, so nothing is blocked and nothing else runs.
        scripts = re.findall(r"<script[^>]*>", response.text)
        assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert first.headers["Content-Security-Policy"] != second.headers["Content-Security-Policy"]


def test_error_pages_and_assets_carry_them_too(client: FlaskClient) -> None:
    assert_secure_headers(client.get("/no-such-page"))
    asset = client.get("/assets/css/portal.css")
    assert asset.status_code == 200
    assert_secure_headers(asset)


def test_signed_in_pages_are_not_cached_and_htmx_knows_the_csrf_token(
    client: FlaskClient, authorities: dict
) -> None:
    make_user(email="vs@b.example", roles=[(Role.VIRTUAL_SCHOOL, authorities["bradford"])])
    sign_in(client, "vs@b.example")
    page = client.get("/a/bradford/virtual-school/")
    assert page.headers["Cache-Control"] == "no-store"
    assert 'hx-history="false"' in page.text
    assert "X-CSRFToken" in page.text


def test_the_service_is_not_dressed_as_gov_uk(client: FlaskClient) -> None:
    page = client.get("/sign-in").text
    assert "PEP Portal" in page
    for gov_uk_only in (
        "govuk-logo",
        "govuk-header__logotype",
        "Crown copyright",
        "govuk-crest",
        "GOV.UK",
    ):
        assert gov_uk_only not in page
    css = client.get("/assets/css/portal.css").text
    assert "GDS Transport" not in css and "arial" in css.lower()
