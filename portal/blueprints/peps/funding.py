"""A PEP's Pupil Premium Plus requests: the Virtual School decides them here; everyone else who
may see the PEP reads the requests and decisions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from portal import clock
from portal.authorities.oversight import TuitionArranger
from portal.authorities.vocabulary import Role
from portal.blueprints.peps import bp
from portal.blueprints.peps.loading import with_visible_pep
from portal.extensions import db
from portal.models import Authority, Pep
from portal.services import audit, pep_page, pp_plus
from portal.services.pp_plus_decisions import (
    MOST_REQUESTS,
    REASON_LIMIT,
    DecisionInput,
    DecisionRefusedError,
    decide,
)


def _decisions_from(form: MultiDict[str, str]) -> list[DecisionInput]:
    """Only the declared fields of each request named in the form; anything else is ignored."""
    decisions = []
    for value in form.getlist("request")[:MOST_REQUESTS]:
        if not value.isdigit():
            continue
        decisions.append(
            DecisionInput(
                request_id=int(value),
                stamp=form.get(f"stamp-{value}", ""),
                decision=form.get(f"decision-{value}", ""),
                amount=form.get(f"amount-{value}", "")[:20],
                reason=form.get(f"reason-{value}", "")[: REASON_LIMIT + 1],
                tuition_by_virtual_school=form.get(f"tuition-{value}") == "yes",
            )
        )
    return decisions


@bp.route("/<int:pep_id>/pp-plus", methods=["GET", "POST"])
@with_visible_pep
def pp_plus_requests(authority: Authority, pep: Pep) -> ResponseReturnValue:
    """GET shows the requests (with the decision form for the Virtual School); POST records the
    Virtual School's decisions, or shows why not with everything typed kept."""
    page = pep_page.load(current_user, pep, clock.today())  # type: ignore[arg-type]
    deciding = Role.VIRTUAL_SCHOOL in page.roles
    typed: dict[int, DecisionInput] = {}
    problems: dict[str, str] = {}
    if request.method == "POST":
        if not deciding:
            abort(403)
        decisions = _decisions_from(request.form)
        try:
            decided = decide(current_user, pep, decisions)  # type: ignore[arg-type]
        except DecisionRefusedError as refused:
            problems = refused.problems
            typed = {d.request_id: d for d in decisions}
        else:
            approved = sum(r.approved or 0 for r in decided)
            flash(
                f"PP+ decisions saved for {pep.child.full_name}'s PEP: {pp_plus.money(approved)} approved.",
                "success",
            )
            return redirect(url_for("peps.pp_plus_requests", authority=authority, pep_id=pep.id))
    requests = pp_plus.requests_for(pep)
    if not deciding:
        # Requests are answers: people who may not read a section do not see its requests either.
        readable = {view.key for view in page.sections}
        requests = [r for r in requests if r.section_key in readable]
    html = render_template(
        "peps/pp_plus.html",
        pep=pep,
        page=page,
        requests=requests,
        summary=pp_plus.summary(pep, requests),
        deciding=deciding,
        tuition_by_virtual_school=TuitionArranger.VIRTUAL_SCHOOL in page.config.funding.tuition_arranged_by,
        typed=typed,
        problems=problems,
        stamp=pp_plus.stamp,
        money=pp_plus.money,
    )
    # Recorded after rendering: committing first would expire everything the page had loaded.
    audit.record("pep.viewed", actor=current_user, authority_id=authority.id, subject=pep, page="pp_plus")  # type: ignore[arg-type]
    db.session.commit()
    return html, (400 if problems else 200)
