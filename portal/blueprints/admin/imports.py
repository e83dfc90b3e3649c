"""Importing children and settings from a CSV file: upload, preview, confirm, history."""

from __future__ import annotations

import math

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import access
from portal.authorities.schema import Role
from portal.blueprints.admin import bp
from portal.blueprints.admin.forms import ConfirmImportForm, ImportForm
from portal.extensions import db
from portal.models import Authority, CsvImport, User
from portal.services import imports
from portal.services.import_format import COLUMNS, KINDS, LARGEST_FILE
from portal.services.import_plans import CREATE, PROBLEM, UNCHANGED, UPDATE, Plan
from portal.services.paging import Page, clamp_page

#: Rows of the preview shown per page: 5,000 rows read in 50 pages, problems first.
ROWS_PER_PAGE = 100
SHOWN = {"all": None, "problems": PROBLEM, "create": CREATE, "update": UPDATE, "unchanged": UNCHANGED}


def _render_imports(authority: Authority, form: ImportForm) -> str:
    return render_template(
        "admin/imports.html",
        authority=authority,
        form=form,
        columns=COLUMNS,
        kinds=KINDS,
        largest_mb=LARGEST_FILE // (1024 * 1024),
        history=imports.history(authority, page=clamp_page(request.args.get("page"))),
    )


@bp.get("/imports")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def imports_page(authority: Authority) -> ResponseReturnValue:
    return _render_imports(authority, ImportForm())


@bp.post("/imports")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def upload_import(authority: Authority) -> ResponseReturnValue:
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.document.data
        try:
            record = imports.upload(
                current_user,  # type: ignore[arg-type]
                authority,
                form.kind.data or "",
                upload.filename or "",
                upload.stream,
            )
        except imports.ImportRefusedError as refused:
            form.document.errors = [str(refused)]
        else:
            return redirect(url_for("admin.import_preview", authority=authority, import_id=record.id))
    return _render_imports(authority, form)


def _import_or_404(authority: Authority, import_id: int) -> CsvImport:
    record = imports.find(authority, import_id)
    if record is None:
        abort(404)
    return record


def _render_preview(
    authority: Authority, record: CsvImport, plan: Plan, form: ConfirmImportForm, refusal: str | None = None
) -> str:
    shown = request.args.get("show", "")
    if shown not in SHOWN:
        shown = "problems" if plan.counts[PROBLEM] else "all"
    rows = [r for r in plan.rows if SHOWN[shown] is None or r.action == SHOWN[shown]]
    number = min(clamp_page(request.args.get("page")), max(1, math.ceil(len(rows) / ROWS_PER_PAGE)))
    window = rows[(number - 1) * ROWS_PER_PAGE : number * ROWS_PER_PAGE]
    form.fingerprint.data = plan.fingerprint
    return render_template(
        "admin/import_preview.html",
        authority=authority,
        record=record,
        uploader=db.session.get(User, record.uploaded_by_id),
        plan=plan,
        counts=plan.counts,
        shown=shown,
        page=Page(items=window, total=len(rows), number=number, per_page=ROWS_PER_PAGE),
        confirm_form=form,
        refusal=refusal,
        kinds=KINDS,
        imported=imports.imported_records(authority, record, page=clamp_page(request.args.get("page")))
        if record.applied_at
        else None,
    )


@bp.get("/imports/<int:import_id>")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def import_preview(authority: Authority, import_id: int) -> ResponseReturnValue:
    record = _import_or_404(authority, import_id)
    plan = imports.plan_for(authority, record) if record.applied_at is None else Plan(record.kind)
    return _render_preview(authority, record, plan, ConfirmImportForm())


@bp.post("/imports/<int:import_id>/confirm")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def confirm_import(authority: Authority, import_id: int) -> ResponseReturnValue:
    record = _import_or_404(authority, import_id)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        plan = imports.apply(current_user, authority, record, form.fingerprint.data or "")  # type: ignore[arg-type]
    except imports.ImportRefusedError as refused:
        record = _import_or_404(authority, import_id)
        plan = imports.plan_for(authority, record) if record.applied_at is None else Plan(record.kind)
        return _render_preview(authority, record, plan, ConfirmImportForm(formdata=None), str(refused)), 409
    counts = plan.counts
    flash(
        f"Import complete: {counts[CREATE]} {record.kind} created, {counts[UPDATE]} updated, "
        f"{counts[UNCHANGED]} unchanged",
        "success",
    )
    return redirect(url_for("admin.import_preview", authority=authority, import_id=record.id))
