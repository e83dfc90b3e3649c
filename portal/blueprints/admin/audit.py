"""The authority's audit trail: who viewed or changed what, when; filtered, paged and exported."""

from __future__ import annotations

from functools import partial

from flask import Response, abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import access, clock
from portal.authorities.schema import Role
from portal.blueprints.admin import bp
from portal.extensions import db
from portal.models import AuditEvent, Authority
from portal.services import audit, audit_trail, table_export
from portal.services.paging import clamp_page

#: subject_type -> (endpoint, its id argument) of the page about that subject, where there is one.
SUBJECT_PAGES = {
    "Pep": ("peps.show", "pep_id"),
    "Child": ("children.show", "child_id"),
    "User": ("admin.person", "user_id"),
    "EducationSetting": ("admin.edit_setting", "setting_id"),
}


def subject_url(authority: Authority, event: AuditEvent) -> str | None:
    """The page about what the event concerns, from the event alone (no query per row)."""
    if event.subject_id is None:
        return None
    if event.subject_type == "AuthorityConfigVersion":
        # A version's page is by its number in the authority, which the event's details carry.
        number = (event.details or {}).get("version")
        return (
            url_for("admin.version", authority=authority, number=number) if isinstance(number, int) else None
        )
    target = SUBJECT_PAGES.get(event.subject_type or "")
    if target is None or target[0] not in current_app.view_functions:
        return None
    return url_for(target[0], authority=authority, **{target[1]: event.subject_id})


@bp.get("/audit")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def audit_trail_page(authority: Authority) -> ResponseReturnValue:
    filters = audit_trail.TrailFilters.from_args(request.args)
    page = (
        None
        if filters.problems
        else audit_trail.trail_page(authority, filters, page=clamp_page(request.args.get("page")))
    )
    return render_template(
        "admin/audit.html",
        authority=authority,
        filters=filters,
        page=page,
        actions=audit_trail.action_choices(authority),
        subject_types=audit_trail.subject_type_choices(authority),
        subject_url=partial(subject_url, authority),
        export_query=audit_trail.filter_query(request.args),
        export_limit=audit_trail.EXPORT_LIMIT,
    ), (400 if filters.problems else 200)


@bp.get("/audit/export.<file_format>")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def audit_trail_export(authority: Authority, file_format: str) -> ResponseReturnValue:
    filters = audit_trail.TrailFilters.from_args(request.args)
    if file_format not in table_export.MEDIA_TYPES:
        abort(404)
    if filters.problems:
        abort(400)
    rows = audit_trail.trail_rows(authority, filters)
    content = table_export.export(audit_trail.TrailTable(rows), file_format)
    audit.record(
        "audit.exported",
        actor=current_user,  # type: ignore[arg-type]
        authority_id=authority.id,
        format=file_format,
        rows=len(rows),
        **filters.for_audit(),
    )
    db.session.commit()
    filename = f"{authority.slug}-audit-trail-{clock.today().isoformat()}.{file_format}"
    return Response(
        content,
        content_type=table_export.MEDIA_TYPES[file_format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
