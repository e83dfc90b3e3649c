"""Deny by default: every route declares who may use it, and anonymous users are sent to sign in."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from portal.access import Audience, rule_for


def concrete_url(rule_string: str) -> str:
    """A URL for a rule, with sample values for its arguments."""
    url = rule_string.replace("<authority:authority>", "lancashire").replace(
        "<path:filename>", "css/portal.css"
    )
    url = re.sub(r"<int:\w+>", "1", url)
    return re.sub(r"<\w+>", "sample", url)


def test_every_route_declares_an_access_rule(app: Flask) -> None:
    missing = [
        f"{rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        if rule_for(app.view_functions[rule.endpoint]) is None
    ]
    assert missing == [], f"routes without an access rule: {missing}"


def test_anonymous_users_are_sent_to_sign_in_from_every_non_public_page(
    app: Flask, client: FlaskClient, authorities: dict
) -> None:
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule_for(app.view_functions[rule.endpoint]).audience is Audience.PUBLIC:
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(concrete_url(rule.rule), method=method)
        if method == "POST":
            # No CSRF token either: refused before the route runs.
            assert response.status_code in (302, 400), rule.rule
        else:
            assert response.status_code == 302, rule.rule
            assert response.headers["Location"].startswith("/sign-in"), rule.rule
        checked += 1
    assert checked >= 6


def test_an_endpoint_without_a_rule_is_refused(app: Flask, client: FlaskClient) -> None:
    """The runtime check, not only the test above, refuses a route someone forgot to declare."""
    app.view_functions["auth.home"].__dict__.pop("access_rule")
    try:
        assert client.get("/").status_code == 403
    finally:
        from portal import access

        access.signed_in(app.view_functions["auth.home"])
