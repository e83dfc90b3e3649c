"""Administrators change the workflow's words and people through a form: step labels, whose turn
it is and who may edit; transition button words, who may take them, whether they need a comment.
The schema refuses what it refuses, and nothing changes then."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import Authority
from portal.services.authorities import config_for
from tests.integration.process_editor_helpers import draft_document, form_fields, post_form

WORKFLOW = "/a/lancashire/admin/process/draft/workflow"


def text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def step(document: dict, key: str) -> dict:
    return next(s for s in document["workflow"]["steps"] if s["key"] == key)


def transition(document: dict, key: str) -> dict:
    return next(t for t in document["workflow"]["transitions"] if t["key"] == key)


def test_the_page_shows_steps_and_transitions_and_starts_no_draft(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    page = admin_client.get(WORKFLOW).text
    shown = text(page)
    assert "1. With social worker: My Personal Information and My Health" in shown
    assert "From ‘With Virtual School for quality assurance and approval’ to ‘Approved’." in shown
    assert "/admin/process/draft/toml" in page  # adding steps and changing guards: the TOML editor
    assert "Keep this change" in page
    fields = form_fields(page, WORKFLOW)
    assert fields["step-delegated_to_setting-actors"] == ["designated_teacher", "setting_staff"]
    assert fields["step-delegated_to_setting-editors_scope"] == ["chosen"]
    assert fields["step-initiated-editors_scope"] == ["actors"]
    assert sorted(fields["transition-record_meeting_held-roles"]) == ["designated_teacher", "social_worker"]
    assert "CLA business support" in text(page)  # the authority's own labels
    assert draft_document() is None


def test_labels_and_roles_are_kept_in_the_draft_and_listed_on_the_hub(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    _, after = post_form(
        admin_client,
        WORKFLOW,
        {
            "step-initiated-label": "With the social worker",
            "step-with_setting_after_meeting-editors_scope": "chosen",
            "step-with_setting_after_meeting-editors": ["designated_teacher"],
            "step-quality_assurance-actors": ["virtual_school", "business_support"],
            "transition-record_meeting_held-label": "Record that the meeting happened",
            "transition-record_meeting_held-roles": ["social_worker"],
            "transition-complete_pep-needs_comment": "yes",
            "transition-complete_pep-description": "The setting sends the PEP to the social worker.",
        },
    )
    assert "The workflow changed. Review your changes, then publish." in text(after)
    document = draft_document()
    assert step(document, "initiated")["label"] == "With the social worker"
    assert step(document, "with_setting_after_meeting")["editors"] == ["designated_teacher"]
    assert step(document, "quality_assurance")["actors"] == ["virtual_school", "business_support"]
    assert step(document, "delegated_to_setting")["editors"] == [
        "designated_teacher",
        "setting_staff",
        "social_worker",
    ]
    meeting = transition(document, "record_meeting_held")
    assert (meeting["label"], meeting["roles"]) == ("Record that the meeting happened", ["social_worker"])
    complete = transition(document, "complete_pep")
    assert complete["needs_comment"] is True
    assert complete["description"] == "The setting sends the PEP to the social worker."
    changes = text(after.split('id="changes"')[1].split('id="deadlines"')[0])
    assert "With the social worker" in changes and "Record that the meeting happened" in changes
    assert "Approve PEP" not in changes  # untouched roles are not reported as reordered
    db.session.expire_all()
    assert config_for(lancashire).step("initiated").label.startswith("With social worker: My Personal")

    # "The roles whose turn it is" again: editors go back to following the actors.
    post_form(admin_client, WORKFLOW, {"step-with_setting_after_meeting-editors_scope": "actors"})
    assert step(draft_document(), "with_setting_after_meeting")["editors"] is None


def test_a_refused_edit_shows_the_schemas_messages_and_keeps_the_input(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    before = lancashire.current_config_version.document
    _, after = post_form(
        admin_client,
        WORKFLOW,
        {
            "step-initiated-label": "Typed label",
            "step-initiated-actors": [],
            "transition-return_for_improvement-needs_comment": "no",
        },
    )
    shown = text(after)
    assert "This change cannot be made" in shown and "<title>Error:" in after
    assert "workflow.steps[0].actors: List should have at least 1 item after validation, not 0" in shown
    assert "a return for improvement needs a comment (needs_comment = true)" in shown
    fields = form_fields(after, WORKFLOW)
    assert fields["step-initiated-label"] == ["Typed label"]
    assert "step-initiated-actors" not in fields
    assert fields["transition-return_for_improvement-needs_comment"] == ["no"]
    document = draft_document()
    assert document is None or document == before
    db.session.expire_all()
    assert config_for(lancashire).workflow.transition("return_for_improvement").needs_comment


def test_an_empty_label_is_a_form_error(admin_client: FlaskClient, lancashire: Authority) -> None:
    _, after = post_form(admin_client, WORKFLOW, {"transition-approve-label": ""})
    assert "Enter the button words for ‘Approve PEP’" in text(after)
    assert draft_document() is None


def test_a_stale_draft_lock_is_refused(admin_client: FlaskClient, lancashire: Authority) -> None:
    stale = admin_client.get(WORKFLOW).text
    post_form(admin_client, WORKFLOW, {"transition-approve-label": "Approve"})
    data = form_fields(stale, WORKFLOW)
    data["transition-approve-label"] = ["Approve it"]
    after = admin_client.post(WORKFLOW, data=data).text

    assert "Someone else changed the draft while you were editing" in after
    assert transition(draft_document(), "approve")["label"] == "Approve"
