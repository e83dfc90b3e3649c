"""Sessions, sign-in state and browser security headers (security.md items 8, 9, 10).

Flask's signed-cookie session cannot be revoked by itself, so the user id in the session carries
the user's ``session_version``: signing out (or a password change) bumps the version and every
copy of the old cookie stops working on its next request.
"""

from __future__ import annotations

import datetime as dt
import secrets

from flask import Flask, Response, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import access
from portal.extensions import db, login_manager
from portal.models import User
from portal.models.types import utcnow

IDLE_TIMEOUT = dt.timedelta(minutes=30)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
SESSION_SIGNED_IN_AT = "signed_in_at"
SESSION_SEEN_AT = "seen_at"


def init_app(app: Flask) -> None:
    app.config["PERMANENT_SESSION_LIFETIME"] = ABSOLUTE_TIMEOUT
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    app.before_request(make_nonce)
    app.before_request(enforce_session_limits)
    app.before_request(access.enforce)
    app.after_request(set_security_headers)


def load_user(session_user_id: str) -> User | None:
    """Load the signed-in user, refusing revoked sessions and disabled accounts."""
    user_id, _, version = session_user_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    # Roles come in the same query: every request needs them for the access check.
    user = db.session.scalar(
        select(User).where(User.id == int(user_id)).options(joinedload(User.memberships))
    )
    if user is None or not user.is_enabled or user.session_version != int(version):
        return None
    return user


def unauthorized() -> ResponseReturnValue:
    """Send people to sign in; an HTMX request gets a full-page redirect instead of a fragment."""
    came_from = request.full_path if request.query_string else request.path
    target = url_for("auth.sign_in", next=came_from if request.method == "GET" else None)
    if request.headers.get("HX-Request"):
        return Response(status=401, headers={"HX-Redirect": target})
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(target)


def start_session(user: User) -> None:
    session.clear()
    session.permanent = True
    now = utcnow().isoformat()
    session[SESSION_SIGNED_IN_AT] = now
    session[SESSION_SEEN_AT] = now


def revoke_sessions(user: User) -> None:
    """End every session of ``user`` everywhere (sign-out, password change, account disabled)."""
    user.session_version += 1


def enforce_session_limits() -> ResponseReturnValue | None:
    """Sign out after 30 minutes idle or 12 hours in all, whichever comes first."""
    if not current_user.is_authenticated:
        return None
    now = utcnow()
    try:
        signed_in_at = dt.datetime.fromisoformat(session[SESSION_SIGNED_IN_AT])
        seen_at = dt.datetime.fromisoformat(session[SESSION_SEEN_AT])
    except (KeyError, TypeError, ValueError):
        signed_in_at = seen_at = dt.datetime.min.replace(tzinfo=dt.UTC)
    if now - seen_at > IDLE_TIMEOUT or now - signed_in_at > ABSOLUTE_TIMEOUT:
        logout_user()
        session.clear()
        flash("You were signed out to protect children's information. Sign in again", "info")
        return unauthorized()
    session[SESSION_SEEN_AT] = now.isoformat()
    return None


def make_nonce() -> None:
    g.csp_nonce = secrets.token_urlsafe(18)


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ]
    )


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy(g.get("csp_nonce", ""))
    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    # Built assets hold no personal data and may be cached; any other page may hold child data.
    if request.endpoint != "assets.asset":
        headers["Cache-Control"] = "no-store"
        # The same URL answers a full page or an htmx fragment, so caches must key on the header.
        response.vary.add("HX-Request")
    return response
