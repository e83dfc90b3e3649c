"""The authority administrator's pages: the process, its versions, people, settings, imports and
the audit trail. One module per area; each registers its routes on ``bp``."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/a/<authority:authority>/admin")

from portal.blueprints.admin import audit, imports, overview, people, process, settings  # noqa: E402, F401
