"""The term dates editor: each academic year's terms and half terms, the next year, extra closure
days and the termly submission dates, all changing the draft's ``calendar``.

Working days, school days and the term a PEP belongs to are all counted from these dates, so each
change is kept only if the whole process still validates (editor_support.keep_edit).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal import access
from portal.authorities.schema import Role, Term
from portal.blueprints.admin import bp
from portal.blueprints.admin.editor_support import LockedButtonForm, keep_edit
from portal.blueprints.admin.term_dates_forms import AcademicYearForm, ClosureForm, SubmissionDatesForm
from portal.models import Authority
from portal.services import process_drafts

ADMIN = Role.AUTHORITY_ADMIN
KEPT = "Review your changes, then publish."
#: The next year is guessed 52 weeks on, so each date falls on the same day of the week.
ONE_YEAR_ON = dt.timedelta(weeks=52)


def _calendar(authority: Authority) -> dict[str, Any]:
    return process_drafts.shown_document(authority)["calendar"]


def _year_name(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def _render_page(
    authority: Authority, closure_form: ClosureForm | None = None, problems: list[str] | None = None
) -> str:
    calendar = _calendar(authority)
    draft_lock = process_drafts.lock_token(authority)
    return render_template(
        "admin/term_dates.html",
        authority=authority,
        calendar=calendar,
        next_year=_year_name(int(calendar["academic_years"][-1]["year"][:4]) + 1),
        closures=[dt.date.fromisoformat(day) for day in calendar["extra_closures"]],
        form=closure_form or ClosureForm(draft_lock=draft_lock),
        remove_form=LockedButtonForm(draft_lock=draft_lock),
        config_problems=problems or [],
        as_date=dt.date.fromisoformat,
    )


@bp.get("/process/draft/term-dates")
@access.authority_roles(ADMIN)
def term_dates(authority: Authority) -> ResponseReturnValue:
    return _render_page(authority)


def _year_page(
    authority: Authority, form: AcademicYearForm, year: str, problems: list[str], new: bool
) -> str:
    return render_template(
        "admin/academic_year_form.html",
        authority=authority,
        form=form,
        year=year,
        new=new,
        config_problems=problems,
    )


@bp.route("/process/draft/term-dates/<year>", methods=["GET", "POST"])
@access.authority_roles(ADMIN)
def edit_academic_year(authority: Authority, year: str) -> ResponseReturnValue:
    years = _calendar(authority)["academic_years"]
    shown = next((y for y in years if y["year"] == year), None)
    if shown is None:
        abort(404)
    form = AcademicYearForm()
    problems: list[str] = []
    if form.validate_on_submit():
        terms = form.terms()

        def change(document: dict[str, Any]) -> None:
            for academic_year in document["calendar"]["academic_years"]:
                if academic_year["year"] == year:
                    academic_year["terms"] = terms

        problems = keep_edit(authority, form.draft_lock.data, change, what=f"term dates {year}")
        if not problems:
            flash(f"The term dates of {year} changed. {KEPT}", "success")
            return redirect(url_for("admin.review_draft", authority=authority))
    elif request.method == "GET":
        form.load(shown)
        form.draft_lock.data = process_drafts.lock_token(authority)
    return _year_page(authority, form, year, problems, new=False)


@bp.route("/process/draft/term-dates/next-year", methods=["GET", "POST"])
@access.authority_roles(ADMIN)
def new_academic_year(authority: Authority) -> ResponseReturnValue:
    last = _calendar(authority)["academic_years"][-1]
    year = _year_name(int(last["year"][:4]) + 1)
    form = AcademicYearForm()
    problems: list[str] = []
    if form.validate_on_submit():
        added = {"year": year, "terms": form.terms()}

        def add(document: dict[str, Any]) -> None:
            document["calendar"]["academic_years"].append(added)

        problems = keep_edit(authority, form.draft_lock.data, add, what=f"added academic year {year}")
        if not problems:
            flash(f"The academic year {year} added. {KEPT}", "success")
            return redirect(url_for("admin.review_draft", authority=authority))
    elif request.method == "GET":
        form.load(last)
        for term in Term:
            for field in form.term_fields(term):
                field.data = field.data + ONE_YEAR_ON if field.data else None
        form.draft_lock.data = process_drafts.lock_token(authority)
    return _year_page(authority, form, year, problems, new=True)


@bp.post("/process/draft/term-dates/closures")
@access.authority_roles(ADMIN)
def add_closure(authority: Authority) -> ResponseReturnValue:
    form = ClosureForm()
    form.existing = tuple(_calendar(authority)["extra_closures"])
    if not form.validate_on_submit():
        return _render_page(authority, closure_form=form)
    day = form.closure.data.isoformat()

    def add(document: dict[str, Any]) -> None:
        document["calendar"]["extra_closures"] = sorted([*document["calendar"]["extra_closures"], day])

    problems = keep_edit(authority, form.draft_lock.data, add, what=f"added closure day {day}")
    if problems:
        return _render_page(authority, closure_form=form, problems=problems)
    flash(f"{form.closure.data:%-d %B %Y} added as a closure day. {KEPT}", "success")
    return redirect(url_for("admin.review_draft", authority=authority))


@bp.post("/process/draft/term-dates/closures/<day>/remove")
@access.authority_roles(ADMIN)
def remove_closure(authority: Authority, day: str) -> ResponseReturnValue:
    if day not in _calendar(authority)["extra_closures"]:
        abort(404)
    button = LockedButtonForm()
    if not button.validate_on_submit():
        return redirect(url_for("admin.term_dates", authority=authority))

    def remove(document: dict[str, Any]) -> None:
        document["calendar"]["extra_closures"] = [
            d for d in document["calendar"]["extra_closures"] if d != day
        ]

    problems = keep_edit(authority, button.draft_lock.data, remove, what=f"removed closure day {day}")
    if problems:
        return _render_page(authority, problems=problems)
    flash(f"{dt.date.fromisoformat(day):%-d %B %Y} is no longer a closure day. {KEPT}", "success")
    return redirect(url_for("admin.review_draft", authority=authority))


@bp.route("/process/draft/term-dates/submission-dates", methods=["GET", "POST"])
@access.authority_roles(ADMIN)
def submission_dates(authority: Authority) -> ResponseReturnValue:
    form = SubmissionDatesForm()
    problems: list[str] = []
    if form.validate_on_submit():
        dates = form.dates()

        def change(document: dict[str, Any]) -> None:
            document["calendar"]["submission_dates"] = dates

        problems = keep_edit(authority, form.draft_lock.data, change, what="submission dates")
        if not problems:
            flash(f"The submission dates changed. {KEPT}", "success")
            return redirect(url_for("admin.review_draft", authority=authority))
    elif request.method == "GET":
        form.load(_calendar(authority)["submission_dates"])
        form.draft_lock.data = process_drafts.lock_token(authority)
    return render_template(
        "admin/submission_dates.html", authority=authority, form=form, config_problems=problems
    )
