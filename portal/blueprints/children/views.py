"""One child's record within their authority: who they are and their PEPs."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import access, clock
from portal.authorities.schema import Role
from portal.extensions import db
from portal.models import Authority
from portal.services import audit, children, peps
from portal.services.authorities import config_for

bp = Blueprint("children", __name__, url_prefix="/a/<authority:authority>/children")


@bp.get("/<int:child_id>")
@access.authority_roles(Role.SOCIAL_WORKER, Role.BUSINESS_SUPPORT, Role.VIRTUAL_SCHOOL, Role.AUTHORITY_ADMIN)
def show(authority: Authority, child_id: int) -> ResponseReturnValue:
    child = children.child_in_authority(authority, child_id)
    # 404, not 403: the page must not confirm that a child it will not show exists.
    if child is None or not access.can_view_child(current_user, child):  # type: ignore[arg-type]
        abort(404)
    audit.record("child.viewed", actor=current_user, authority_id=authority.id, subject=child)  # type: ignore[arg-type]
    db.session.commit()
    config = config_for(authority)
    today = clock.today()
    pep_rows = [peps.describe(pep) for pep in children.peps_of_child(child)]
    current = next((row.pep for row in pep_rows if not row.final), None)
    return render_template(
        "children/show.html",
        authority=authority,
        config=config,
        child=child,
        year_group=child.year_group(today),
        template_label=children.phase_template(child, config, today),
        peps=pep_rows,
        current_pep=current,
        deadlines=children.deadlines_of(current) if current else [],
        today=today,
    )
