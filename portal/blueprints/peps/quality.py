"""The Virtual School's quality assurance of one PEP: criteria, grade, feedback and outcome."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import clock
from portal.authorities import engine
from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import Role
from portal.blueprints.peps import bp
from portal.blueprints.peps.loading import with_visible_pep
from portal.extensions import db
from portal.models import Authority, Pep
from portal.services import audit, pep_page, qa, qa_sampling


def _assessment_from(form: dict[str, list[str]], criteria: list[str]) -> qa.Assessment:
    def one(name: str) -> str:
        return (form.get(name) or [""])[0].strip()

    return qa.Assessment(
        grade=one("grade"),
        criteria={key: one(f"criteria-{key}") for key in criteria if one(f"criteria-{key}")},
        feedback=one("feedback")[: qa.FEEDBACK_LIMIT + 1],
        outcome=one("outcome"),
        outstanding_sections=[s for s in form.get("outstanding", []) if s][:50],
    )


@bp.route("/<int:pep_id>/quality-assurance", methods=["GET", "POST"])
@with_visible_pep
def quality_assurance(authority: Authority, pep: Pep) -> ResponseReturnValue:
    """GET shows the form; POST records the assessment and takes its outcome, or shows why not
    with everything typed kept."""
    page = pep_page.load(current_user, pep, clock.today())  # type: ignore[arg-type]
    if Role.VIRTUAL_SCHOOL not in page.roles:
        abort(403)
    config = page.config
    waiting = engine.needs_grade(config, pep.state)
    assessment, problems = qa.Assessment(), {}
    if request.method == "POST":
        if not waiting:
            flash("This PEP is not waiting for quality assurance: nothing was saved", "error")
            return redirect(url_for("peps.quality_assurance", authority=authority, pep_id=pep.id))
        assessment = _assessment_from(request.form.to_dict(flat=False), [c.key for c in config.qa.criteria])
        try:
            qa.assess(current_user, pep, assessment, clock.today())  # type: ignore[arg-type]
        except qa.AssessmentRefusedError as refused:
            problems = refused.problems
        else:
            flash(_confirmation(config, assessment, pep), "success")
            if assessment.outcome:
                return redirect(url_for("virtual_school.qa_queue", authority=authority))
            return redirect(url_for("peps.quality_assurance", authority=authority, pep_id=pep.id))
    html = render_template(
        "peps/quality_assurance.html",
        pep=pep,
        page=page,
        waiting=waiting,
        in_sample=waiting and qa_sampling.is_in_sample(config, pep),
        outcomes=qa.outcomes(config, pep) if waiting else [],
        criterion_choices=qa.criterion_choices(config),
        assessment=assessment,
        problems=problems,
        reviews=page.reviews,
    )
    # The page shows the child and every grade and comment: a view of the PEP. Recorded after
    # rendering, because committing first would expire everything the page had loaded.
    audit.record(
        "pep.viewed",
        actor=current_user,  # type: ignore[arg-type]
        authority_id=authority.id,
        subject=pep,
        page="quality_assurance",
    )
    db.session.commit()
    return html, (400 if problems else 200)


def _confirmation(config: AuthorityConfig, assessment: qa.Assessment, pep: Pep) -> str:
    who = pep.child.full_name
    if not assessment.outcome:
        return f"Grade recorded for {who}'s PEP. You can return it or sign it off when you are ready."
    transition = config.workflow.transition(assessment.outcome)
    if transition.returns_for_improvement:
        return f"{who}'s PEP was returned for improvement. The people named have been e-mailed your feedback."
    return f"{who}'s PEP: {transition.label.lower()}."
