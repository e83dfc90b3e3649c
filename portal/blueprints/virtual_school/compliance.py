"""The Virtual School's compliance dashboard for a term, the PEPs behind each figure, and exports."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import access, clock
from portal.authorities.schema import Role
from portal.blueprints.virtual_school import bp
from portal.extensions import db
from portal.models import Authority
from portal.services import audit, compliance_scope, table_export
from portal.services import compliance as figures
from portal.services import compliance_peps as drill
from portal.services.authorities import config_for
from portal.services.compliance_scope import Scope, TermChoice
from portal.services.paging import clamp_page


def _scope(authority: Authority) -> tuple[Scope | None, list[TermChoice]]:
    """The term asked for in the query string (the current term otherwise), and the choices."""
    config = config_for(authority)
    today = clock.today()
    choices = compliance_scope.term_choices(authority, config, today)
    term = compliance_scope.choose_term(request.args.get("term"), choices, config, today)
    return (Scope(authority, config, term, today) if term else None), choices


@bp.get("/compliance")
@access.authority_roles(Role.VIRTUAL_SCHOOL)
def compliance_dashboard(authority: Authority) -> ResponseReturnValue:
    scope, choices = _scope(authority)
    tables = figures.dashboard(scope) if scope else {}
    return render_template(
        "virtual_school/compliance.html",
        authority=authority,
        config=config_for(authority),
        scope=scope,
        choices=choices,
        tables=tables,
        charts=figures.charts(tables) if tables else {},
    )


@bp.get("/compliance/peps")
@access.authority_roles(Role.VIRTUAL_SCHOOL)
def compliance_peps(authority: Authority) -> ResponseReturnValue:
    scope, _ = _scope(authority)
    if scope is None:
        abort(404)
    filters = drill.Filters.from_args(request.args)
    labels = drill.describe_filters(filters, scope)
    if labels is None:
        abort(404)
    return render_template(
        "virtual_school/compliance_peps.html",
        authority=authority,
        config=scope.config,
        scope=scope,
        labels=labels,
        page=drill.peps_behind(scope, filters, page=clamp_page(request.args.get("page"))),
    )


@bp.get("/compliance/export/<table>.<file_format>")
@access.authority_roles(Role.VIRTUAL_SCHOOL)
def compliance_export(authority: Authority, table: str, file_format: str) -> ResponseReturnValue:
    build = figures.TABLES.get(table)
    scope, _ = _scope(authority)
    if build is None or file_format not in table_export.MEDIA_TYPES or scope is None:
        abort(404)
    content = table_export.export(build(scope), file_format)
    audit.record(
        "compliance.exported",
        actor=current_user,  # type: ignore[arg-type]
        authority_id=authority.id,
        table=table,
        term=scope.term.value,
        format=file_format,
    )
    db.session.commit()
    filename = f"{authority.slug}-{scope.term.value}-{table}.{file_format}"
    return Response(
        content,
        content_type=table_export.MEDIA_TYPES[file_format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
