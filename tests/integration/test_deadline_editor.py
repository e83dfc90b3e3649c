"""The deadlines editor: an administrator changes, adds and removes deadline rules in the draft;
the schema refuses what it refuses with the files' messages, and nothing else changes."""

from __future__ import annotations

import html

from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Authority, AuthorityConfigDraft
from tests.integration.process_editor_helpers import draft_document, form_fields, post_form

BASE = "/a/lancashire/admin/process/draft"
RULE = f"{BASE}/deadlines/setting_completes"


def rule(document: dict, key: str) -> dict | None:
    return next((r for r in document["deadlines"] if r["key"] == key), None)


def test_the_list_describes_each_rule_in_plain_words(admin_client: FlaskClient) -> None:
    page = html.unescape(admin_client.get(f"{BASE}/deadlines").text)
    assert "PEP completed by the setting" in page
    assert "10 working days after the PEP meeting" in page
    assert "reminder 2 working days before the due date" in page
    assert "Designated teacher" in page or "designated teacher" in page.lower()
    # Showing the editor makes no draft.
    assert draft_document() is None


def test_the_hub_links_to_the_deadlines_editor(admin_client: FlaskClient) -> None:
    post_form(admin_client, RULE, {"note": "Agreed with schools"})
    hub = admin_client.get(BASE).text
    assert f'href="{BASE}/deadlines"' in hub


def test_changing_a_rule_keeps_it_in_the_draft_and_the_hub_lists_the_change(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    live = lancashire.current_config_version_id
    shown, after = post_form(
        admin_client,
        RULE,
        {
            "offset_amount": "15",
            "offset_unit": "school_days",
            "remind_amount": "3",
            "remind_unit": "school_days",
        },
    )
    assert 'name="offset_amount"' in shown and "Keep this change" in shown
    assert "‘PEP completed by the setting’ changed. Review your changes, then publish." in html.unescape(
        after
    )
    assert "Offset › amount" in html.unescape(after) or "offset › amount" in html.unescape(after).lower()
    document = draft_document()
    assert document is not None
    changed = rule(document, "setting_completes")
    assert changed["offset"] == {"amount": 15, "unit": "school_days", "direction": "after"}
    assert changed["remind"] == {"amount": 3, "unit": "school_days", "direction": "before"}
    assert changed["responsible"] == "designated_teacher"  # untouched fields stay as they were
    assert db.session.get(Authority, lancashire.id).current_config_version_id == live
    edits = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "process.draft_edited")).all()
    assert [e.details.get("edit") for e in edits] == ["deadline setting_completes"]


def test_an_amount_over_400_is_refused_with_the_schemas_message_and_the_input_kept(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    live = lancashire.current_config_version_id
    _, page = post_form(admin_client, RULE, {"offset_amount": "401", "label": "Setting finishes the PEP"})
    assert "<title>Error:" in page and "This change cannot be made" in page
    assert "deadlines[3].offset.amount: Input should be less than or equal to 400" in html.unescape(page)
    fields = form_fields(page, RULE)
    assert fields["offset_amount"] == ["401"] and fields["label"] == ["Setting finishes the PEP"]
    assert draft_document() is None
    assert db.session.get(Authority, lancashire.id).current_config_version_id == live


def test_a_submission_date_rule_without_submission_dates_is_refused(admin_client: FlaskClient) -> None:
    # Counted from a step, which the schema requires to be named: the form asks for it first.
    _, page = post_form(admin_client, RULE, {"event": "step_entered", "step": ""})
    assert "Select the step the deadline is counted from" in page
    # Counted from becoming looked after, which only starts initial PEPs: the schema says so.
    _, page = post_form(admin_client, RULE, {"event": "became_looked_after"})
    assert 'becoming looked after only starts initial PEPs: set kinds = ["initial"]' in html.unescape(page)
    assert form_fields(page, RULE)["event"] == ["became_looked_after"]
    assert draft_document() is None


def test_form_errors_use_govuk_wording(admin_client: FlaskClient) -> None:
    _, page = post_form(admin_client, RULE, {"offset_amount": "ten", "label": "", "kinds": []})
    assert "<title>Error:" in page
    assert "Enter the amount as a whole number, like 10" in page
    assert "Enter the name of the deadline" in page
    assert "Select the kinds of PEP the deadline applies to" in page
    assert draft_document() is None


def test_a_stale_page_is_refused_and_the_newer_change_kept(admin_client: FlaskClient) -> None:
    stale = admin_client.get(RULE).text
    post_form(admin_client, RULE, {"offset_amount": "12"})
    data = form_fields(stale, RULE)
    data["offset_amount"] = ["30"]
    page = admin_client.post(RULE, data=data).text
    assert "Someone else changed the draft" in page
    assert form_fields(page, RULE)["offset_amount"] == ["30"]
    assert rule(draft_document(), "setting_completes")["offset"]["amount"] == 12


def test_adding_a_rule_makes_its_key_from_the_label(admin_client: FlaskClient) -> None:
    changes = {
        "label": "PEP completed by the setting",  # the same label as an existing rule
        "event": "meeting",
        "offset_amount": "5",
        "offset_unit": "working_days",
        "offset_direction": "after",
        "met_at_step": "social_worker_checking",
        "responsible": "designated_teacher",
    }
    _, page = post_form(admin_client, f"{BASE}/deadlines/new", changes)
    assert "‘PEP completed by the setting’ added." in html.unescape(page)
    added = rule(draft_document(), "pep_completed_by_the_setting")
    assert added is not None and added["offset"]["amount"] == 5
    assert added["kinds"] == ["initial", "termly_review", "transition"] and added["emergency"] is None
    _, page = post_form(admin_client, f"{BASE}/deadlines/new", changes)
    assert rule(draft_document(), "pep_completed_by_the_setting_2") is not None


def test_removing_a_rule(admin_client: FlaskClient, lancashire: Authority) -> None:
    remove = f"{RULE}/remove"
    _, page = post_form(admin_client, RULE, {}, action=remove)
    assert "‘PEP completed by the setting’ removed." in html.unescape(page)
    assert rule(draft_document(), "setting_completes") is None
    assert admin_client.get(RULE).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(AuthorityConfigDraft)) == 1


def test_a_rule_that_does_not_exist_is_not_found(admin_client: FlaskClient) -> None:
    assert admin_client.get(f"{BASE}/deadlines/nothing_here").status_code == 404
