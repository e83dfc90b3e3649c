"""The funding and quality assurance editors change the draft; the schema's refusals are shown
with what was typed, and nothing changes."""

from __future__ import annotations

import html
import re

import pytest
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import Authority
from tests.integration.process_editor_helpers import draft_document, form_fields, post_form

BASE = "/a/lancashire/admin/process/draft"
FUNDING = f"{BASE}/funding"
QA = f"{BASE}/quality-assurance"


def test_changing_funding_shows_in_the_hub(admin_client: FlaskClient, lancashire: Authority) -> None:
    live = lancashire.current_config_version_id
    shown, page = post_form(
        admin_client,
        FUNDING,
        {"pp_plus_per_term": "£612.50", "tuition_arranged_by": ["setting", "virtual_school"]},
    )
    assert form_fields(shown, FUNDING)["pp_plus_per_term"] == ["550.00"]
    assert "Funding changed." in page and "612.50" in page
    funding = draft_document()["funding"]
    assert funding["pp_plus_per_term"] == "612.50"
    assert funding["tuition_arranged_by"] == ["setting", "virtual_school"]
    assert funding["minimum_grade"] == "adequate"
    assert db.session.get(Authority, lancashire.id).current_config_version_id == live


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("lots", "Enter the PP+ per term as an amount of money, like 550 or 550.50"),
        ("-5", "The PP+ per term must be £0 or more"),
        ("550.505", "The PP+ per term must be in pounds and pence, like 550.50"),
        ("", "Enter the PP+ per term"),
    ],
)
def test_money_is_checked_with_clear_messages(admin_client: FlaskClient, typed: str, message: str) -> None:
    _, page = post_form(admin_client, FUNDING, {"pp_plus_per_term": typed})
    assert "<title>Error:" in page and message in html.unescape(page)
    assert form_fields(page, FUNDING)["pp_plus_per_term"] == [typed]
    assert draft_document() is None


def test_an_amount_over_the_schemas_limit_gets_its_message(admin_client: FlaskClient) -> None:
    _, page = post_form(admin_client, FUNDING, {"pp_plus_per_term": "100000.01", "note": "Typed note"})
    assert "funding.pp_plus_per_term: Input should be less than or equal to 100000" in html.unescape(page)
    assert form_fields(page, FUNDING)["note"] == ["Typed note"]
    assert draft_document() is None


def test_no_minimum_grade(admin_client: FlaskClient) -> None:
    post_form(admin_client, FUNDING, {"minimum_grade": ""})
    assert draft_document()["funding"]["minimum_grade"] is None


def test_qa_scale_sampling_and_labels_change(admin_client: FlaskClient) -> None:
    shown, page = post_form(
        admin_client,
        QA,
        {
            "scale-0-label": "Outstanding",
            "sampling_mode": "sample",
            "per_setting_per_term": "2",
            "action": "keep",
        },
    )
    assert form_fields(shown, QA)["scale-0-label"] == ["Good"]
    assert "Quality assurance changed." in page and "Outstanding" in page
    qa = draft_document()["qa"]
    assert qa["scale"][0] == {"key": "good", "label": "Outstanding", "returns": False}
    assert qa["sampling"] == {"mode": "sample", "per_setting_per_term": 2}


def test_adding_moving_and_removing_grades_and_criteria(admin_client: FlaskClient) -> None:
    _, page = post_form(admin_client, QA, {"new_grade_label": "Requires improvement", "action": "add_grade"})
    assert "‘Requires improvement’ added to the scale." in html.unescape(page)
    _, page = post_form(admin_client, QA, {"action": "up_grade:3"})
    scale = [g["key"] for g in draft_document()["qa"]["scale"]]
    assert scale == ["good", "adequate", "requires_improvement", "inadequate"]
    _, page = post_form(admin_client, QA, {"new_criterion_label": "Child's voice", "action": "add_criterion"})
    criteria = [c["key"] for c in draft_document()["qa"]["criteria"]]
    assert criteria[-1] == "child_s_voice"
    _, page = post_form(admin_client, QA, {"action": f"remove_criterion:{len(criteria) - 1}"})
    assert "‘Child's voice’ removed from the criteria." in html.unescape(page)
    assert [c["key"] for c in draft_document()["qa"]["criteria"]] == criteria[:-1]


def test_removing_the_minimum_grade_funding_names_is_refused(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    live = lancashire.current_config_version_id
    _, page = post_form(admin_client, QA, {"scale-0-label": "Typed label", "action": "remove_grade:1"})
    assert "<title>Error:" in page
    assert "funding.minimum_grade: 'adequate' is not a grade in qa.scale" in html.unescape(page)
    fields = form_fields(page, QA)
    assert fields["scale-0-label"] == ["Typed label"] and fields["scale-1-key"] == ["adequate"]
    assert draft_document() is None
    assert db.session.get(Authority, lancashire.id).current_config_version_id == live


def test_a_sample_needs_a_size_and_a_new_grade_needs_a_name(admin_client: FlaskClient) -> None:
    _, page = post_form(
        admin_client, QA, {"sampling_mode": "sample", "per_setting_per_term": "", "action": "keep"}
    )
    assert "Enter how many PEPs per setting per term are in the sample" in page
    _, page = post_form(admin_client, QA, {"new_grade_label": "", "action": "add_grade"})
    assert "Enter the name of the new grade" in page
    _, page = post_form(admin_client, QA, {"per_setting_per_term": "51", "action": "keep"})
    assert "qa.sampling.per_setting_per_term: Input should be less than or equal to 50" in html.unescape(page)
    assert draft_document() is None


def test_stale_pages_are_refused(admin_client: FlaskClient) -> None:
    stale_funding, stale_qa = admin_client.get(FUNDING).text, admin_client.get(QA).text
    post_form(admin_client, FUNDING, {"pp_plus_per_term": "600"})
    for url, page, changes in (
        (FUNDING, stale_funding, {"pp_plus_per_term": ["700"]}),
        (QA, stale_qa, {"scale-0-label": ["Great"], "action": ["keep"]}),
    ):
        data = {**form_fields(page, url), **changes}
        refused = admin_client.post(url, data=data).text
        assert "Someone else changed the draft" in refused
    document = draft_document()
    assert (
        document["funding"]["pp_plus_per_term"] == "600.00"
        or document["funding"]["pp_plus_per_term"] == "600"
    )
    assert document["qa"]["scale"][0]["label"] == "Good"


@pytest.mark.parametrize(
    "path",
    [
        "/deadlines",
        "/deadlines/new",
        "/deadlines/setting_completes",
        "/term-dates",
        "/term-dates/2025-26",
        "/term-dates/next-year",
        "/term-dates/submission-dates",
        "/funding",
        "/quality-assurance",
    ],
)
def test_editor_pages_have_a_title_and_unique_ids(admin_client: FlaskClient, path: str) -> None:
    post_form(
        admin_client,
        f"{BASE}/term-dates",
        {"closure": ["27", "3", "2026"]},
        action=f"{BASE}/term-dates/closures",
    )
    post_form(
        admin_client,
        f"{BASE}/term-dates",
        {"closure": ["28", "3", "2026"]},
        action=f"{BASE}/term-dates/closures",
    )
    page = admin_client.get(BASE + path).text
    assert "<title>" in page and "<title>Error" not in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
