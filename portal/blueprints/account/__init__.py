"""Pages about the signed-in person's own account, whatever their roles."""

from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")

from portal.blueprints.account import views  # noqa: E402, F401
