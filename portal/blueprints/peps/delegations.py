"""Delegating a PEP, or one section of it, to a colleague at the same setting."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.blueprints.peps import bp
from portal.blueprints.peps.loading import with_visible_pep
from portal.models import Authority, Pep
from portal.services import delegation


def _back(authority: Authority, pep: Pep) -> ResponseReturnValue:
    return redirect(url_for("peps.show", authority=authority, pep_id=pep.id, _anchor="delegation"))


@bp.post("/<int:pep_id>/delegations")
@with_visible_pep
def delegate(authority: Authority, pep: Pep) -> ResponseReturnValue:
    try:
        colleague_id = int(request.form.get("colleague", ""))
    except ValueError:
        colleague_id = 0
    section = request.form.get("section") or None
    try:
        made = delegation.delegate(current_user, pep, colleague_id, None if section == "*" else section)  # type: ignore[arg-type]
    except delegation.DelegationRefusedError as refused:
        flash(str(refused), "error")
    else:
        flash(f"Delegated to {made.delegate.full_name}. You remain accountable for this PEP.", "success")
    return _back(authority, pep)


@bp.post("/<int:pep_id>/delegations/<int:delegation_id>/end")
@with_visible_pep
def end_delegation(authority: Authority, pep: Pep, delegation_id: int) -> ResponseReturnValue:
    try:
        delegation.revoke(current_user, pep, delegation_id)  # type: ignore[arg-type]
    except delegation.DelegationRefusedError as refused:
        flash(str(refused), "error")
    else:
        flash("Delegation ended", "success")
    return _back(authority, pep)
