"""Uploading and downloading a PEP's supporting documents."""

from __future__ import annotations

from flask import abort, flash, redirect, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.peps import bp
from portal.blueprints.peps.loading import with_visible_pep
from portal.extensions import db
from portal.models import Authority, Pep, PepAttachment
from portal.services import attachments, audit


@bp.post("/<int:pep_id>/attachments")
@with_visible_pep
def upload(authority: Authority, pep: Pep) -> ResponseReturnValue:
    upload = request.files.get("document")
    try:
        added = attachments.store(
            current_user, pep, upload.filename if upload else "", upload.stream if upload else None
        )  # type: ignore[arg-type]
    except attachments.AttachmentRefusedError as refused:
        flash(str(refused), "error")
    else:
        flash(f"‘{added.original_name}’ added to the PEP", "success")
    return redirect(url_for("peps.show", authority=authority, pep_id=pep.id, _anchor="attachments"))


@bp.get("/<int:pep_id>/attachments/<int:attachment_id>")
@with_visible_pep
def download(authority: Authority, pep: Pep, attachment_id: int) -> ResponseReturnValue:
    attachment = db.session.scalar(
        select(PepAttachment).where(PepAttachment.id == attachment_id, PepAttachment.pep_id == pep.id)
    )
    if attachment is None:
        abort(404)
    audit.record(
        "pep.attachment_downloaded",
        actor=current_user,
        authority_id=authority.id,
        subject=pep,  # type: ignore[arg-type]
        attachment=attachment.id,
    )
    db.session.commit()
    return send_file(
        attachments.path_of(attachment),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
        max_age=0,
    )
