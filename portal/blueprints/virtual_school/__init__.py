"""The Virtual School's pages: overview, QA queue, compliance dashboard and PP+ decisions."""

from flask import Blueprint

bp = Blueprint("virtual_school", __name__, url_prefix="/a/<authority:authority>/virtual-school")

from portal.blueprints.virtual_school import compliance, funding, queue, views  # noqa: E402, F401
