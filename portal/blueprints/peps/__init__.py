"""The PEP itself: its page, section editing, next-step actions, attachments and delegation."""

from flask import Blueprint

bp = Blueprint("peps", __name__, url_prefix="/a/<authority:authority>/peps")

from portal.blueprints.peps import attachments, delegations, funding, history, quality, sections  # noqa: E402, F401
