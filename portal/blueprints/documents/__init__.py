"""Printable documents: a PEP as PDF or Word, the child's "My targets" summary, and blank forms."""

from flask import Blueprint

bp = Blueprint("documents", __name__, url_prefix="/a/<authority:authority>")

from portal.blueprints.documents import views  # noqa: E402, F401
