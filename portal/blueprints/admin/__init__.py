"""The authority administrator's pages: the process, its versions, people, settings, imports and
the audit trail. One module per area; each registers its routes on ``bp``."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/a/<authority:authority>/admin")

from portal.blueprints.admin import (  # noqa: E402, F401
    audit,
    deadline_editor,
    imports,
    oversight_editor,
    overview,
    people,
    process,
    section_editor,
    section_rules,
    settings,
    term_dates_editor,
    termly_cycle_editor,
    workflow_editor,
)
