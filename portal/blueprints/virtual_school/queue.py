"""The Virtual School's QA queue: PEPs awaiting quality assurance, oldest due first."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from portal import access, clock
from portal.authorities.schema import Role
from portal.blueprints.virtual_school import bp
from portal.models import Authority
from portal.services import qa_queue as queue_service
from portal.services.authorities import config_for
from portal.services.paging import clamp_page


@bp.get("/quality-assurance")
@access.authority_roles(Role.VIRTUAL_SCHOOL)
def qa_queue(authority: Authority) -> ResponseReturnValue:
    filters = queue_service.QueueFilters.from_args(request.args)
    return render_template(
        "virtual_school/qa_queue.html",
        authority=authority,
        config=config_for(authority),
        filters=filters,
        choices=queue_service.filter_choices(authority),
        page=queue_service.awaiting_qa(authority, filters, page=clamp_page(request.args.get("page"))),
        key_stages=list(queue_service.KeyStage),
        today=clock.today(),
    )
