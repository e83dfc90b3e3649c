"""The platform administrator's pages: the authorities on this portal, and creating new ones."""

from flask import Blueprint

bp = Blueprint("platform", __name__, url_prefix="/platform")

from portal.blueprints.platform import views  # noqa: E402, F401
