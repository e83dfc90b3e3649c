"""Importing children and settings from a social-care system's CSV export: upload, preview,
confirm, and the history of past imports.

All or nothing: an upload stores only the file; the preview writes nothing; confirming applies
every row in one transaction, and only when no row has a problem, so a bad file changes nothing.
Applying uses a fixed number of statements whatever the number of rows (bulk inserts and updates
sent as one batch each), except that each child moving to another setting goes through
:func:`portal.services.casework.move_setting`, as when a social worker records the move, so their
open PEPs leave the old setting and a transition PEP starts.
"""

from __future__ import annotations

import os
from typing import IO, Any

from sqlalchemy import Select, insert, select, update
from sqlalchemy.orm import defer

from portal import clock
from portal.extensions import db
from portal.models import AuditEvent, Authority, Child, CsvImport, EducationSetting, User
from portal.models.types import utcnow
from portal.services import audit, casework
from portal.services.import_format import (
    KINDS,
    LARGEST_FILE,
    UnreadableFileError,
    decode,
    missing_columns_message,
    parse,
)
from portal.services.import_plans import CREATE, UNCHANGED, UPDATE, Plan, plan_children, plan_settings
from portal.services.paging import Page, paginate
from portal.templating import govuk_datetime


class ImportRefusedError(Exception):
    """Nothing was written; the message says why and what to do."""


def upload(actor: User, authority: Authority, kind: str, filename: str, stream: IO[bytes]) -> CsvImport:
    """Keep the file for its preview. Refused: a file too big, not text, or not a CSV file."""
    if kind not in KINDS:
        raise ImportRefusedError("Select what the file holds")
    raw = stream.read(LARGEST_FILE + 1)
    if len(raw) > LARGEST_FILE:
        raise ImportRefusedError(f"The selected file must be smaller than {LARGEST_FILE // (1024 * 1024)} MB")
    try:
        text = decode(raw)
        parse(kind, text)
    except UnreadableFileError as unreadable:
        raise ImportRefusedError(str(unreadable)) from None
    record = CsvImport(
        authority_id=authority.id,
        kind=kind,
        filename=os.path.basename(filename.replace("\\", "/"))[:200] or "upload.csv",
        content=text,
        uploaded_by_id=actor.id,
    )
    db.session.add(record)
    db.session.flush()
    audit.record("import.uploaded", actor=actor, authority_id=authority.id, subject=record, kind=kind)
    db.session.commit()
    return record


def find(authority: Authority, import_id: int) -> CsvImport | None:
    """The authority's own import, or None (another authority's looks the same as no import)."""
    return db.session.scalar(
        select(CsvImport).where(CsvImport.id == import_id, CsvImport.authority_id == authority.id)
    )


def plan_for(authority: Authority, record: CsvImport) -> Plan:
    """What the file would do now, against the database as it is."""
    try:
        parsed = parse(record.kind, record.content)
    except UnreadableFileError as unreadable:
        return Plan(record.kind, file_problems=[str(unreadable)])
    if parsed.missing:
        return Plan(
            record.kind,
            file_problems=[missing_columns_message(record.kind, parsed.missing, record.content)],
            ignored=parsed.ignored,
        )
    if not parsed.rows:
        return Plan(record.kind, file_problems=[f"The file has a header row but no {record.kind} in it"])
    if record.kind == "children":
        return plan_children(authority, parsed, clock.today())
    return plan_settings(authority, parsed)


def already_applied(record: CsvImport) -> str:
    return (
        f"This file was already imported on {govuk_datetime(record.applied_at)}. Nothing was imported again"
    )


def apply(actor: User, authority: Authority, record: CsvImport, fingerprint: str) -> Plan:
    """Apply exactly the plan that was previewed (``fingerprint``), in one transaction.

    Refused: an import already applied; a file with any problem (re-checked now, since the data
    may have changed since the preview); and a plan that differs from the one previewed."""
    if record.applied_at is not None:
        raise ImportRefusedError(already_applied(record))
    plan = plan_for(authority, record)
    if plan.has_problems:
        db.session.rollback()
        raise ImportRefusedError(
            "Nothing was imported: the file has problems, listed below. Fix the file and upload it again"
        )
    if not plan.can_apply:
        db.session.rollback()
        raise ImportRefusedError("Nothing was imported: every row already matches PEP Portal")
    if plan.fingerprint != fingerprint:
        db.session.rollback()
        raise ImportRefusedError(
            "Nothing was imported: the records in PEP Portal changed since you previewed this file. "
            "Check the preview below and confirm again"
        )
    counts = plan.counts
    summary = {"created": counts[CREATE], "updated": counts[UPDATE], "unchanged": counts[UNCHANGED]}
    # Claimed first, with a condition: of two confirmations at once only one finds it unapplied.
    claimed = db.session.execute(
        update(CsvImport.__table__)
        .where(CsvImport.__table__.c.id == record.id, CsvImport.__table__.c.applied_at.is_(None))
        .values(applied_at=utcnow(), summary=summary)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        db.session.refresh(record)
        raise ImportRefusedError(already_applied(record))
    try:
        if plan.kind == "children":
            _apply_children(actor, authority, record, plan)
        else:
            _apply_settings(actor, authority, record, plan)
    except casework.CaseworkRefusedError as refused:
        db.session.rollback()
        raise ImportRefusedError(f"Nothing was imported: {refused}") from None
    audit.record(
        "import.applied", actor=actor, authority_id=authority.id, subject=record, kind=plan.kind, **summary
    )
    db.session.commit()
    return plan


def _audit_rows(actor: User, authority: Authority, record: CsvImport, events: list[dict[str, Any]]) -> None:
    if events:
        now = utcnow()
        db.session.execute(
            insert(AuditEvent),
            [{"actor_id": actor.id, "authority_id": authority.id, "occurred_at": now} | e for e in events],
        )


def _apply_children(actor: User, authority: Authority, record: CsvImport, plan: Plan) -> None:
    creates = [row for row in plan.rows if row.action == CREATE]
    updates = [row for row in plan.rows if row.action == UPDATE]
    moving = [row for row in updates if row.moves_to is not None]
    if moving:
        children = {
            c.id: c
            for c in db.session.scalars(select(Child).where(Child.id.in_([r.target_id for r in moving])))
        }
        for row in moving:
            child = children[row.target_id]  # type: ignore[index]
            for key, value in row.values.items():
                if key != "current_setting_id":
                    setattr(child, key, value)
            casework.move_setting(actor, child, row.values["current_setting_id"], commit=False)
    staying = [row for row in updates if row.moves_to is None]
    if staying:
        db.session.execute(update(Child), [{"id": row.target_id} | row.values for row in staying])
    created_ids: dict[str, int] = {}
    if creates:
        now = utcnow()
        db.session.execute(
            insert(Child),
            [{"authority_id": authority.id, "created_at": now} | row.values for row in creates],
        )
        created_ids = dict(
            db.session.execute(
                select(Child.case_reference, Child.id).where(
                    Child.authority_id == authority.id,
                    Child.case_reference.in_([row.reference for row in creates]),
                )
            ).all()
        )
    events = [
        {"action": "child.imported", "subject_type": "Child", "subject_id": created_ids[row.reference]}
        | {"details": {"import": record.id}}
        for row in creates
    ] + [
        {"action": "child.updated_by_import", "subject_type": "Child", "subject_id": row.target_id}
        | {"details": {"import": record.id, "fields": row.changes}}
        for row in updates
    ]
    _audit_rows(actor, authority, record, events)


def _apply_settings(actor: User, authority: Authority, record: CsvImport, plan: Plan) -> None:
    creates = [row for row in plan.rows if row.action == CREATE]
    updates = [row for row in plan.rows if row.action == UPDATE]
    if updates:
        db.session.execute(update(EducationSetting), [{"id": row.target_id} | row.values for row in updates])
    created_ids: dict[str, int] = {}
    if creates:
        db.session.execute(insert(EducationSetting), [row.values for row in creates])
        created_ids = dict(
            db.session.execute(
                select(EducationSetting.urn, EducationSetting.id).where(
                    EducationSetting.urn.in_([row.reference for row in creates])
                )
            ).all()
        )
    events = [
        {
            "action": "setting.imported",
            "subject_type": "EducationSetting",
            "subject_id": created_ids[row.reference],
        }
        | {"details": {"import": record.id}}
        for row in creates
    ] + [
        {
            "action": "setting.updated_by_import",
            "subject_type": "EducationSetting",
            "subject_id": row.target_id,
        }
        | {"details": {"import": record.id, "fields": row.changes}}
        for row in updates
    ]
    _audit_rows(actor, authority, record, events)


def imported_records(authority: Authority, record: CsvImport, *, page: int) -> Page[Child | EducationSetting]:
    """After an import: the children (or settings) the file names, as they now are, by name."""
    try:
        parsed = parse(record.kind, record.content)
    except UnreadableFileError:
        parsed = None
    key = "case_reference" if record.kind == "children" else "urn"
    keys = sorted({cells[key] for _, cells in parsed.rows if cells.get(key)}) if parsed else []
    statement: Select[Any]
    if record.kind == "children":
        statement = (
            select(Child)
            .where(Child.authority_id == authority.id, Child.case_reference.in_(keys))
            .order_by(Child.last_name, Child.first_name, Child.id)
        )
    else:
        statement = (
            select(EducationSetting)
            .where(EducationSetting.urn.in_(keys))
            .order_by(EducationSetting.name, EducationSetting.id)
        )
    return paginate(statement, page)


def history(authority: Authority, *, page: int) -> Page[tuple[CsvImport, str]]:
    """The authority's imports, newest first, with who uploaded each (the files' text not loaded)."""
    statement = (
        select(CsvImport, User.full_name)
        .join(User, User.id == CsvImport.uploaded_by_id)
        .where(CsvImport.authority_id == authority.id)
        .options(defer(CsvImport.content))
        .order_by(CsvImport.uploaded_at.desc(), CsvImport.id.desc())
    )
    return paginate(statement, page, scalars=False)
