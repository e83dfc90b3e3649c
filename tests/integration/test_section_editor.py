"""Administrators change the PEP form's sections through forms: order per phase template (plain
post and htmx), owners and readers, questions, and minimum-row rules. Every change goes into the
draft only if the schema accepts it."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient

from portal.authorities.schema import PepKind, Role, Term
from portal.extensions import db
from portal.models import Authority
from portal.services.authorities import config_for
from portal.services.workflow import may_edit_section, start_pep
from tests.factories import make_child, make_setting, make_user
from tests.integration.process_editor_helpers import draft_document, form_fields, post_form
from tests.integration.test_process_versions import publish

SECTIONS = "/a/lancashire/admin/process/draft/sections"
SEND = f"{SECTIONS}/send"
TARGETS = f"{SECTIONS}/smart_targets"
HX = {"HX-Request": "true"}


def text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def live_owner(authority: Authority, section: str) -> Role:
    db.session.expire_all()
    return config_for(authority).sections[section].owner


# --- One section ----------------------------------------------------------------------------


def test_changing_the_owner_keeps_it_in_the_draft_and_the_hub_lists_it(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    page = admin_client.get(SEND).text
    assert "Keep this change" in page
    assert '<select class="govuk-select" id="owner" name="owner"' in page
    assert ">Designated teacher<" in page and ">CLA business support<" in page  # the authority's labels

    _, after = post_form(admin_client, SEND, {"owner": "social_worker"})

    assert "‘Special educational needs and disabilities’ changed. Review your changes, then publish." in text(
        after
    )
    assert draft_document()["sections"]["send"]["owner"] == "social_worker"
    changes = text(after.split('id="changes"')[1].split('id="deadlines"')[0])
    assert (
        "Special educational needs and disabilities › owner Changed designated_teacher social_worker"
        in changes
    )
    assert live_owner(lancashire, "send") is Role.DESIGNATED_TEACHER


def test_showing_the_pages_starts_no_draft(admin_client: FlaskClient, lancashire: Authority) -> None:
    for url in (SECTIONS, SEND, TARGETS):
        assert admin_client.get(url).status_code == 200
    assert draft_document() is None


def test_an_owner_who_edits_in_no_step_is_refused_with_the_schemas_message(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    _, after = post_form(admin_client, SEND, {"owner": "business_support", "title": "SEND typed title"})

    assert "This change cannot be made" in after
    assert "<title>Error:" in after
    assert "sections.send: nobody can complete it: its owner edits in no step" in text(after)
    assert 'value="SEND typed title"' in after  # what was typed is kept
    assert re.search(
        r'<option selected value="business_support">|<option value="business_support" selected', after
    )
    document = draft_document()
    assert document is None or document == lancashire.current_config_version.document
    assert live_owner(lancashire, "send") is Role.DESIGNATED_TEACHER


def test_owners_per_step_readers_and_questions(admin_client: FlaskClient, lancashire: Authority) -> None:
    post_form(
        admin_client,
        SEND,
        {
            "owner_in_social_worker_checking": "social_worker",
            "readers_scope": "chosen",
            "readers": ["virtual_school", "social_worker"],
            "needs-label": "What the child needs",
            "needs-hint": "",
            "needs-required": "yes",
            "needs-max_length": "2000",
            "description": "Shorter description.",
        },
    )
    section = draft_document()["sections"]["send"]
    assert section["owners"] == {"social_worker_checking": "social_worker"}
    assert sorted(section["readers"]) == ["social_worker", "virtual_school"]
    assert section["description"] == "Shorter description."
    needs = next(f for f in section["fields"] if f["key"] == "needs")
    assert (needs["label"], needs["hint"], needs["required"], needs["max_length"]) == (
        "What the child needs",
        "",
        True,
        2000,
    )
    # Shown again as kept: "same as owner" for the other steps.
    page = admin_client.get(SEND).text
    fields = form_fields(page, SEND)
    assert fields["owner_in_social_worker_checking"] == ["social_worker"]
    assert fields["owner_in_initiated"] == [""]

    post_form(admin_client, SEND, {"owner_in_social_worker_checking": "", "readers_scope": "everyone"})
    section = draft_document()["sections"]["send"]
    assert section["owners"] == {} and section["readers"] is None


def test_a_form_error_keeps_the_input_and_changes_nothing(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    _, after = post_form(admin_client, SEND, {"title": "", "needs-max_length": "0"})
    assert "Enter the section&#39;s title" in after or "Enter the section's title" in after
    assert "Maximum length must be between 1 and 20000" in after
    assert draft_document() is None


def test_a_stale_draft_lock_is_refused(admin_client: FlaskClient, lancashire: Authority) -> None:
    stale = admin_client.get(SEND).text
    post_form(admin_client, SEND, {"title": "Changed by someone else"})
    data = form_fields(stale, SEND)
    data["owner"] = ["social_worker"]
    after = admin_client.post(SEND, data=data).text

    assert "Someone else changed the draft while you were editing" in after
    section = draft_document()["sections"]["send"]
    assert (section["title"], section["owner"]) == ("Changed by someone else", "designated_teacher")


def test_a_new_pep_after_publishing_is_editable_by_the_new_owner(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    social_worker = make_user("Sam Social", roles=[(Role.SOCIAL_WORKER, lancashire)])
    child = make_child(lancashire, "Old", social_worker=social_worker, setting=make_setting("Old School"))
    start = {"kind": PepKind.TERMLY_REVIEW, "academic_year": 2026, "actor": None}
    old_pep = start_pep(child, term=Term.AUTUMN, **start)

    post_form(admin_client, SEND, {"owner": "social_worker"})
    publish(admin_client, "lancashire", "The social worker completes SEND")

    new_child = make_child(lancashire, "New", social_worker=social_worker, setting=make_setting("New School"))
    new_pep = start_pep(new_child, term=Term.AUTUMN, **start)
    assert new_pep is not None and old_pep is not None
    assert may_edit_section(social_worker, new_pep, "send")
    assert not may_edit_section(social_worker, old_pep, "send")  # kept its version


# --- Order of sections ------------------------------------------------------------------------


def _move(client: FlaskClient, section: str, direction: str, **kwargs: object):
    page = client.get(SECTIONS).text
    order = re.search(r'id="phase-primary".*?name="order" value="([^"]+)"', page, re.S).group(1)
    data = {
        "csrf_token": form_fields(page, f"{SECTIONS}/move")["csrf_token"][0],
        "phase": "primary",
        "section": section,
        "order": order,
        "direction": direction,
    }
    return client.post(f"{SECTIONS}/move", data=data, **kwargs)


def test_reordering_by_plain_post(admin_client: FlaskClient, lancashire: Authority) -> None:
    page = admin_client.get(SECTIONS).text
    assert "Move up" in page and "Move down" in page
    response = _move(admin_client, "health", "up", follow_redirects=True)
    assert response.status_code == 200
    assert "‘My Health’ moved up in Primary PEP." in text(response.text) or "moved up" in response.text
    assert draft_document()["phases"]["primary"]["sections"][:2] == ["health", "personal_information"]
    assert draft_document()["phases"]["secondary"]["sections"][0] == "personal_information"
    assert config_for(lancashire).phases["primary"].sections[0] == "personal_information"


def test_reordering_with_htmx_returns_only_that_phase(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    response = _move(admin_client, "personal_information", "down", headers=HX)
    assert response.status_code == 200
    assert "HX-Request" in response.headers.get("Vary", "")
    assert response.text.lstrip().startswith('<div id="phase-primary"')
    assert "<html" not in response.text and 'id="phase-secondary"' not in response.text
    assert "moved down" in response.text
    assert draft_document()["phases"]["primary"]["sections"][:2] == ["health", "personal_information"]


def test_reordering_a_changed_order_is_refused(admin_client: FlaskClient, lancashire: Authority) -> None:
    page = admin_client.get(SECTIONS).text
    token = form_fields(page, f"{SECTIONS}/move")["csrf_token"][0]
    data = {"csrf_token": token, "phase": "primary", "section": "health", "direction": "up", "order": "x,y"}
    response = admin_client.post(f"{SECTIONS}/move", data=data, headers=HX)
    assert "Someone else changed the order" in response.text
    assert draft_document() is None


# --- Rules --------------------------------------------------------------------------------------


def test_rules_are_listed_in_plain_words(admin_client: FlaskClient, lancashire: Authority) -> None:
    page = text(admin_client.get(TARGETS).text)
    assert "At least 2 rows in SMART targets" in page
    assert "At least 1 row in SMART targets where Kind of target is Learning and attainment" in page
    send = text(admin_client.get(SEND).text)
    assert "Needs identified, and the support in place must be answered when" in send


def _rule_data(page: str, **changes: str) -> dict[str, list[str]]:
    data = form_fields(page, f"{TARGETS}/rules")
    for name, value in changes.items():
        data[name] = [value]
    return data


def test_adding_a_minimum_rows_rule_with_htmx_swaps_the_rules(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    page = admin_client.get(TARGETS).text
    data = _rule_data(
        page, **{"rule-minimum": "3", "rule-where": "kind=academic", "rule-message": "Set 3 learning targets"}
    )
    response = admin_client.post(f"{TARGETS}/rules", data=data, headers=HX)

    assert response.status_code == 200 and "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="section-rules">')
    assert "At least 3 rows in SMART targets where Kind of target is Learning and attainment" in text(
        response.text
    )
    assert 'hx-swap-oob="true"' in response.text  # the section form's lock follows
    rules = draft_document()["sections"]["smart_targets"]["rules"]
    assert rules[-1] == {
        "kind": "min_rows",
        "field": "targets",
        "min": 3,
        "where": {"kind": "academic"},
        "message": "Set 3 learning targets",
    }


def test_adding_and_removing_rules_without_javascript(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    page = admin_client.get(TARGETS).text
    data = _rule_data(page, **{"rule-minimum": "4", "rule-message": "Set at least 4 targets"})
    after = admin_client.post(f"{TARGETS}/rules", data=data, follow_redirects=True).text
    assert "Rule added" in after and "At least 4 rows in SMART targets" in text(after)
    assert len(draft_document()["sections"]["smart_targets"]["rules"]) == 5

    remove = f"{TARGETS}/rules/0/remove"
    after = admin_client.post(remove, data=form_fields(after, remove), follow_redirects=True).text
    assert "Rule removed" in after
    rules = draft_document()["sections"]["smart_targets"]["rules"]
    assert [r.get("min") for r in rules] == [1, 1, None, 4]


def test_a_refused_rule_shows_the_schemas_message_and_keeps_the_input(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    page = admin_client.get(TARGETS).text
    data = _rule_data(page, **{"rule-minimum": "2", "rule-where": "kind=astrology", "rule-message": "Kept"})
    response = admin_client.post(f"{TARGETS}/rules", data=data, headers=HX)
    assert "This change cannot be made" in response.text
    assert "sections.smart_targets.rules[4].where: 'astrology' is not a choice of 'kind'" in text(
        response.text
    )
    assert 'value="Kept"' in response.text
    document = draft_document()
    assert document is None or len(document["sections"]["smart_targets"]["rules"]) == 4

    response = admin_client.post(f"{TARGETS}/rules", data=_rule_data(page, **{"rule-minimum": ""}))
    assert "Enter the minimum number of rows, like 3" in response.text
