"""The social worker's pages: their caseload in one authority."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from portal import access
from portal.authorities.schema import Role
from portal.blueprints.casework_forms import BecameLookedAfterForm, options
from portal.extensions import db
from portal.models import Authority, EducationSetting
from portal.services import casework, children
from portal.services.authorities import config_for
from portal.services.paging import clamp_page

bp = Blueprint("social_work", __name__, url_prefix="/a/<authority:authority>/social-work")


@bp.get("/caseload")
@access.authority_roles(Role.SOCIAL_WORKER)
def caseload(authority: Authority) -> ResponseReturnValue:
    search = request.args.get("q", "")[:100]
    page = children.children_with_latest_pep(
        authority,
        page=clamp_page(request.args.get("page")),
        social_worker=current_user,  # type: ignore[arg-type]
        search=search,
    )
    return render_template(
        "social_work/caseload.html",
        authority=authority,
        config=config_for(authority),
        page=page,
        search=search,
        today=dt.date.today(),
    )


def setting_choices(empty_label: str) -> list[SelectChoice]:
    settings = db.session.scalars(select(EducationSetting).order_by(EducationSetting.name))
    return options([("", empty_label)] + [(str(s.id), s.name) for s in settings])


@bp.route("/children/new", methods=["GET", "POST"])
@access.authority_roles(Role.SOCIAL_WORKER)
def new_child(authority: Authority) -> ResponseReturnValue:
    """A child has become looked after: record them and start their initial PEP."""
    form = BecameLookedAfterForm()
    form.setting_id.choices = setting_choices("No setting yet (pre-school, or out of education)")
    if form.validate_on_submit():
        new = casework.NewChild(
            first_name=form.first_name.data or "",
            last_name=form.last_name.data or "",
            date_of_birth=form.date_of_birth.data,  # type: ignore[arg-type]
            became_looked_after_on=form.became_looked_after_on.data,  # type: ignore[arg-type]
            emergency_placement=form.emergency_placement.data == "yes",
            setting_id=int(form.setting_id.data) if form.setting_id.data else None,
            case_reference=form.case_reference.data or "",
        )
        try:
            pep = casework.record_became_looked_after(current_user, authority, new)  # type: ignore[arg-type]
        except casework.CaseworkRefusedError as refused:
            form[refused.field or "first_name"].errors = [str(refused)]
        else:
            flash(
                f"{pep.child.full_name} recorded, and their initial PEP started. Its deadlines are below.",
                "success",
            )
            return redirect(url_for("peps.show", authority=authority, pep_id=pep.id))
    return render_template("social_work/new_child.html", authority=authority, form=form)
