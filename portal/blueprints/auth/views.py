"""Signing in and out, and the home page that sends each person to their role's page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from portal import access, navigation
from portal.blueprints.auth.forms import SignInForm
from portal.security import start_session
from portal.services import sign_in as sign_in_service

bp = Blueprint("auth", __name__)

GENERIC_FAILURE = "Enter a correct email address and password"
THROTTLED = (
    "There have been too many attempts to sign in. Wait 15 minutes and try again, "
    "or ask your administrator to reset your password"
)


def safe_next(target: str | None) -> str | None:
    """Only same-site paths, so the sign-in page cannot be used to send people elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@access.public
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    form = SignInForm()
    if form.validate_on_submit():
        result = sign_in_service.authenticate(
            form.email.data or "", form.password.data or "", request.remote_addr or "unknown"
        )
        if result.user is not None:
            start_session(result.user)
            login_user(result.user)
            return redirect(safe_next(request.args.get("next")) or url_for("auth.home"))
        message = THROTTLED if result.throttled else GENERIC_FAILURE
        form.email.errors = [message]
        form.password.errors = []
    form.password.data = ""
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
@access.signed_in
def sign_out() -> ResponseReturnValue:
    sign_in_service.sign_out(current_user)  # type: ignore[arg-type]
    logout_user()
    flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))


@bp.get("/")
@access.signed_in
def home() -> ResponseReturnValue:
    """One role goes straight to its page; several roles choose where to work."""
    destinations = navigation.destinations(current_user)  # type: ignore[arg-type]
    if len(destinations) == 1:
        return redirect(destinations[0].href)
    return render_template("auth/home.html", destinations=destinations)


from portal.blueprints.auth import invitations  # noqa: E402, F401
