"""The administrator's process pages: current version and history, the draft's review and
publication, roll-back, and TOML export and import. Editors of single parts of the process
(deadlines, sections, ...) live in their own modules and all change the draft."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import access, clock
from portal.authorities.diff import diff
from portal.authorities.loader import AuthorityConfigError
from portal.authorities.schema import Role
from portal.authorities.toml_io import export_heading, from_toml, to_toml
from portal.authorities.vocabulary import PepKind
from portal.blueprints.admin import bp
from portal.blueprints.admin.process_forms import (
    MAX_TOML_BYTES,
    ConfirmForm,
    ImportForm,
    PublishForm,
    RollBackForm,
    SampleChildForm,
    TomlForm,
)
from portal.blueprints.casework_forms import options
from portal.extensions import db
from portal.models import Authority, AuthorityConfigVersion
from portal.services import audit, deadline_preview, process_drafts, publishing
from portal.services.authorities import config_for, config_of_version
from portal.services.paging import clamp_page, paginate

ADMIN = Role.AUTHORITY_ADMIN


def _version(authority: Authority, number: int) -> AuthorityConfigVersion:
    version = db.session.scalar(
        select(AuthorityConfigVersion).where(
            AuthorityConfigVersion.authority_id == authority.id, AuthorityConfigVersion.version == number
        )
    )
    if version is None:
        abort(404)
    return version


@bp.get("/process")
@access.authority_roles(ADMIN)
def process(authority: Authority) -> ResponseReturnValue:
    history = paginate(
        select(AuthorityConfigVersion)
        .where(AuthorityConfigVersion.authority_id == authority.id)
        .options(joinedload(AuthorityConfigVersion.created_by))  # who published, in the same query
        .order_by(AuthorityConfigVersion.version.desc()),
        clamp_page(request.args.get("page")),
    )
    draft = process_drafts.draft_of(authority)
    return render_template(
        "admin/process.html",
        authority=authority,
        config=config_for(authority),
        current=authority.current_config_version,
        draft=draft,
        draft_changes=len(publishing.changes_since_current(authority, draft.document)) if draft else 0,
        history=history,
        start_form=ConfirmForm(),
    )


@bp.post("/process/draft")
@access.authority_roles(ADMIN)
def start_draft(authority: Authority) -> ResponseReturnValue:
    if ConfirmForm().validate_on_submit():
        process_drafts.open_draft(authority, current_user)
    return redirect(url_for("admin.review_draft", authority=authority))


def _sample_form(authority: Authority) -> SampleChildForm:
    form = SampleChildForm(request.args)
    form.kind.choices = options([(kind.value, kind.label) for kind in PepKind])
    if not request.args:
        form.kind.data, form.emergency.data = "initial", "no"
    return form


@bp.get("/process/draft")
@access.authority_roles(ADMIN)
def review_draft(authority: Authority) -> ResponseReturnValue:
    draft = process_drafts.draft_of(authority)
    if draft is None:
        return redirect(url_for("admin.process", authority=authority))
    current = config_for(authority)
    proposed = process_drafts.validate(draft.document)
    sample_form = _sample_form(authority)
    sample_form.validate()  # errors shown by the fields; the sample falls back to defaults
    today = clock.today()
    sample = deadline_preview.sample_child(
        current,
        today,
        kind=PepKind(sample_form.kind.data) if sample_form.kind.data in set(PepKind) else None,
        emergency_placement=sample_form.emergency.data == "yes",
        became_looked_after_on=sample_form.became_looked_after_on.data,
        meeting_date=sample_form.meeting_date.data,
    )
    publish_form = PublishForm(draft_lock=str(draft.lock_version))
    return render_template(
        "admin/process_draft.html",
        authority=authority,
        config=proposed,
        draft=draft,
        changes=publishing.changes_since_current(authority, draft.document),
        sample=sample,
        sample_form=sample_form,
        deadlines=deadline_preview.compare(current, proposed, sample) if sample else [],
        impact=publishing.impact(authority, proposed),
        publish_form=publish_form,
        discard_form=ConfirmForm(),
    )


@bp.post("/process/draft/publish")
@access.authority_roles(ADMIN)
def publish(authority: Authority) -> ResponseReturnValue:
    draft = process_drafts.draft_of(authority)
    form = PublishForm()
    if draft is None:
        flash("There are no changes to publish.", "error")
        return redirect(url_for("admin.process", authority=authority))
    if not form.validate_on_submit():
        # The review page is built from the draft, so the errors go back to it as a message.
        flash("; ".join(e for errors in form.errors.values() for e in errors))
        return redirect(url_for("admin.review_draft", authority=authority))
    if form.draft_lock.data != str(draft.lock_version):
        flash("The changes were edited again while you were reviewing them. Check them and publish again.")
        return redirect(url_for("admin.review_draft", authority=authority))
    try:
        version = publishing.publish(
            authority, current_user, note=form.note.data, move_open_peps=form.open_peps.data == "move"
        )
    except publishing.PublishRefusedError as refusal:
        flash(str(refusal))
        return redirect(url_for("admin.review_draft", authority=authority))
    flash(f"Version {version.version} is published. New PEPs now follow it.", "success")
    return redirect(url_for("admin.version", authority=authority, number=version.version))


@bp.post("/process/draft/discard")
@access.authority_roles(ADMIN)
def discard_draft(authority: Authority) -> ResponseReturnValue:
    if ConfirmForm().validate_on_submit() and process_drafts.discard_draft(authority, current_user):
        flash("Your changes have been discarded. The process is as it was.", "success")
    return redirect(url_for("admin.process", authority=authority))


@bp.route("/process/draft/toml", methods=["GET", "POST"])
@access.authority_roles(ADMIN)
def edit_toml(authority: Authority) -> ResponseReturnValue:
    form = TomlForm()
    problems: list[str] = []
    if form.validate_on_submit():
        if form.draft_lock.data != process_drafts.lock_token(authority):
            problems = [
                "Someone else changed the draft while you were editing. Your text is below: "
                "copy what you need, then reload the page to see their changes."
            ]
        else:
            try:
                config = from_toml(form.toml.data, source=process_drafts.DRAFT_SOURCE)
            except AuthorityConfigError as error:
                problems = [p.removeprefix(f"{process_drafts.DRAFT_SOURCE}: ") for p in error.problems]
            else:
                process_drafts.replace_draft(authority, current_user, config, what="edited as TOML")
                flash("Your changes are kept in the draft. Review them, then publish.", "success")
                return redirect(url_for("admin.review_draft", authority=authority))
    elif request.method == "GET":
        # Showing the page changes nothing: the draft is made when the first change is kept.
        form.toml.data = to_toml(process_drafts.validate(process_drafts.shown_document(authority)))
        form.draft_lock.data = process_drafts.lock_token(authority)
    return render_template(
        "admin/process_toml.html", authority=authority, form=form, config_problems=problems
    )


@bp.route("/process/import", methods=["GET", "POST"])
@access.authority_roles(ADMIN)
def import_process(authority: Authority) -> ResponseReturnValue:
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.toml_file.data
        raw = upload.read(MAX_TOML_BYTES + 1) if upload else b""
        name = (upload.filename if upload else "") or "the file"
        if not raw:
            form.toml_file.errors = ["Select a process file"]
        elif len(raw) > MAX_TOML_BYTES:
            form.toml_file.errors = ["The file must be smaller than 512 KB"]
        else:
            try:
                config = from_toml(raw.decode("utf-8"), source=name)
            except UnicodeDecodeError:
                form.toml_file.errors = ["The file must be text in UTF-8"]
            except AuthorityConfigError as error:
                problems = error.problems
            else:
                process_drafts.replace_draft(authority, current_user, config, what=f"imported {name}"[:100])
                flash(f"{name} is valid. It is now your draft: review the changes, then publish.", "success")
                return redirect(url_for("admin.review_draft", authority=authority))
    return render_template(
        "admin/process_import.html",
        authority=authority,
        form=form,
        config_problems=problems,
        has_draft=process_drafts.draft_of(authority) is not None,
    )


def _toml_download(authority: Authority, version: AuthorityConfigVersion) -> Response:
    config = config_of_version(version)
    text = to_toml(config, heading=export_heading(authority.name, version.version, version.created_at))
    audit.record(
        "process.exported",
        actor=current_user,
        authority_id=authority.id,
        subject=version,
        version=version.version,
    )
    db.session.commit()
    filename = f"{authority.slug}-process-v{version.version}.toml"
    return Response(
        text,
        mimetype="application/toml",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/process/export.toml")
@access.authority_roles(ADMIN)
def export_process(authority: Authority) -> ResponseReturnValue:
    assert authority.current_config_version is not None
    return _toml_download(authority, authority.current_config_version)


@bp.get("/process/versions/<int:number>.toml")
@access.authority_roles(ADMIN)
def export_version(authority: Authority, number: int) -> ResponseReturnValue:
    return _toml_download(authority, _version(authority, number))


@bp.get("/process/versions/<int:number>")
@access.authority_roles(ADMIN)
def version(
    authority: Authority, number: int, roll_back_form: RollBackForm | None = None
) -> ResponseReturnValue:
    shown = _version(authority, number)
    previous = _version(authority, number - 1) if number > 1 else None
    return render_template(
        "admin/process_version.html",
        authority=authority,
        shown=shown,
        previous=previous,
        is_current=shown.id == authority.current_config_version_id,
        changes=diff(previous.document, shown.document) if previous else [],
        form=roll_back_form or RollBackForm(),
        impact=publishing.impact(authority, config_of_version(shown)),
    )


@bp.post("/process/versions/<int:number>/roll-back")
@access.authority_roles(ADMIN)
def roll_back(authority: Authority, number: int) -> ResponseReturnValue:
    target = _version(authority, number)
    form = RollBackForm()
    if not form.validate_on_submit():
        return version(authority, number, roll_back_form=form)
    try:
        published = publishing.roll_back(
            authority, current_user, target, note=form.note.data, move_open_peps=form.open_peps.data == "move"
        )
    except publishing.PublishRefusedError as refusal:
        flash(str(refusal))
        return redirect(url_for("admin.version", authority=authority, number=number))
    flash(
        f"Version {published.version} is published with the process of version {number}. "
        "New PEPs now follow it.",
        "success",
    )
    return redirect(url_for("admin.version", authority=authority, number=published.version))
