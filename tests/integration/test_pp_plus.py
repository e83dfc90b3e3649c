"""Pupil Premium Plus: requests follow the setting's answers; the Virtual School approves, reduces
or declines each within its authority's funding rules; everyone else who sees the PEP reads the
outcome; refusals say why and save nothing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.authorities.vocabulary import PepKind, Role
from portal.extensions import db
from portal.models import AuditEvent, Authority, Pep, PpPlusDecision, PpPlusRequest, QaReview
from portal.services import pp_plus, sections
from portal.services.demo import load_demo_data
from portal.services.pep_facts import config_of
from portal.services.pp_plus_decisions import DecisionInput, DecisionRefusedError, decide
from tests.factories import csrf_token, make_child, make_pep, make_setting, make_user, sign_in
from tests.queries import count_queries

TODAY = dt.date(2026, 10, 12)


def request_row(target: str, amount: str, pays_for: str = "Tuition") -> dict:
    return {"target": target, "amount": amount, "pays_for": pays_for}


def save_requests(pep: Pep, author, rows: list[dict], section: str = "pupil_premium_plus") -> None:
    """The setting saves its PP+ section (unfinished, as it may) with ``rows``."""
    answers = {"requesting": True, "requests": rows} if section == "pupil_premium_plus" else {"targets": rows}
    sections.save_section(
        author, pep, section, answers, base_version=sections.current_version(pep, section), today=TODAY
    )


def requests_of(pep: Pep) -> list[PpPlusRequest]:
    db.session.expire_all()
    return pp_plus.requests_for(pep)


@pytest.fixture
def lancs(authorities: dict) -> dict:
    """A Lancashire PEP with its setting (Lancashire pays £550 a term, only for PEPs graded at
    least 'adequate')."""
    authority = authorities["lancashire"]
    school = make_setting("Ribble Valley High")
    people = {
        role: make_user(f"{role.value} Lancs", email=f"{role.value}@lancs.example", roles=[(role, authority)])
        for role in (Role.SOCIAL_WORKER, Role.VIRTUAL_SCHOOL, Role.BUSINESS_SUPPORT)
    }
    people[Role.DESIGNATED_TEACHER] = make_user(
        "DT Lancs", email="dt@lancs.example", roles=[(Role.DESIGNATED_TEACHER, school)]
    )
    child = make_child(authority, "Harriet", social_worker=people[Role.SOCIAL_WORKER], setting=school)
    pep = make_pep(child, setting=school, state="delegated_to_setting")
    return {"authority": authority, "school": school, "people": people, "pep": pep, "child": child}


def signed_in(app: Flask, user) -> FlaskClient:
    client = app.test_client()
    sign_in(client, user.email)
    return client


def page_url(pep: Pep) -> str:
    return f"/a/{pep.authority.slug}/peps/{pep.id}/pp-plus"


def decision_form(html: str, **choices: tuple) -> dict:
    """What the decision page posts: its hidden fields as served, plus, for each request named
    by its description, (decision, amount, reason[, tuition])."""
    form: dict = {
        "csrf_token": csrf_token(html),
        "request": re.findall(r'name="request" value="(\d+)"', html),
    }
    form |= dict(re.findall(r'name="(stamp-\d+)" value="([0-9a-f]+)"', html))
    ids = dict(zip(re.findall(r"Request \d+: (.+?) \(£", html), form["request"], strict=True))
    for description, chosen in choices.items():
        number = ids[description.replace("_", " ")]
        decision, amount, reason, *tuition = chosen
        form |= {f"decision-{number}": decision, f"amount-{number}": amount, f"reason-{number}": reason}
        if tuition:
            form[f"tuition-{number}"] = "yes"
    return form


def decided(pep: Pep) -> list[tuple]:
    return [(r.description, r.decision, r.approved) for r in requests_of(pep)]


# --- Requests follow the answers ------------------------------------------------------------


def test_saving_a_section_creates_updates_and_removes_requests(lancs: dict) -> None:
    pep, teacher = lancs["pep"], lancs["people"][Role.DESIGNATED_TEACHER]
    save_requests(
        pep,
        teacher,
        [
            request_row("Reading", "250"),
            request_row("Not costed yet", ""),
            request_row("Nothing", "0"),
            request_row("Maths", "120.50"),
        ],
    )
    assert [(r.description, r.requested, r.row_index) for r in requests_of(pep)] == [
        ("Reading", Decimal("250.00"), 0),
        ("Maths", Decimal("120.50"), 3),
    ]
    # A second section that costs PP+ (targets with a cost) adds its own requests.
    target = {"kind": "academic", "target": "Spell common words", "measure": "Tests", "cost": "80"}
    save_requests(pep, teacher, [target], section="smart_targets")
    save_requests(pep, teacher, [request_row("Reading", "200")])
    assert [(r.section_key, r.description, r.requested) for r in requests_of(pep)] == [
        ("smart_targets", "Spell common words", Decimal("80.00")),
        ("pupil_premium_plus", "Reading", Decimal("200.00")),
    ]


def test_a_changed_request_loses_its_decision_and_the_audit_keeps_it(lancs: dict) -> None:
    pep, teacher = lancs["pep"], lancs["people"][Role.DESIGNATED_TEACHER]
    virtual_school = lancs["people"][Role.VIRTUAL_SCHOOL]
    save_requests(pep, teacher, [request_row("Reading", "250"), request_row("Maths", "100")])
    decide(
        virtual_school,
        pep,
        [DecisionInput(r.id, pp_plus.stamp(r), "approved") for r in requests_of(pep)],
    )
    # Saving the same requests again (the setting edits another answer) keeps both decisions.
    save_requests(pep, teacher, [request_row("Reading", "250", "Other words"), request_row("Maths", "100")])
    assert [d[1] for d in decided(pep)] == [PpPlusDecision.APPROVED] * 2
    save_requests(pep, teacher, [request_row("Reading", "300"), request_row("Maths", "100")])
    assert decided(pep) == [
        ("Reading", None, None),
        ("Maths", PpPlusDecision.APPROVED, Decimal("100.00")),
    ]
    save_requests(pep, teacher, [request_row("Reading", "300"), request_row("Maths for two terms", "100")])
    assert [d[1] for d in decided(pep)] == [None, None]
    save_requests(pep, teacher, [request_row("Reading", "300")])
    assert len(requests_of(pep)) == 1
    cleared = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "pp_plus.decision_cleared")
    ).all()
    assert [(e.details["decision"], e.details["why"], e.actor_id) for e in cleared] == [
        ("approved", "changed", teacher.id),
        ("approved", "changed", teacher.id),
    ]


def test_a_single_amount_is_a_request_only_where_requests_are_not_costed_per_target(
    authorities: dict,
) -> None:
    config = config_of(make_pep(make_child(authorities["example-borough"], "Ezra")))
    section = config.sections["pupil_premium_plus"]
    answers = {"claiming": True, "total_claimed": "300"}
    # Example Borough costs each target; its total claimed is their sum, not another request.
    assert pp_plus.costed_rows(config, section, answers) == []
    whole = config.model_copy(
        update={"funding": config.funding.model_copy(update={"per_target_costing": False})}
    )
    assert pp_plus.costed_rows(whole, section, answers) == [
        pp_plus.CostedRow("total_claimed", 0, "Total PP+ claimed this term (£)", Decimal("300.00"))
    ]


# --- Deciding through the page --------------------------------------------------------------


def test_the_virtual_school_decides_and_everyone_on_the_pep_reads_the_outcome(
    app: Flask, lancs: dict
) -> None:
    pep, people = lancs["pep"], lancs["people"]
    save_requests(
        pep,
        people[Role.DESIGNATED_TEACHER],
        [request_row("Reading", "250"), request_row("Nurture group", "180"), request_row("Laptop", "100")],
    )
    client = signed_in(app, people[Role.VIRTUAL_SCHOOL])
    page = client.get(page_url(pep))
    assert page.status_code == 200 and "Save decisions" in page.text and "Awaiting decision" in page.text
    form = decision_form(
        page.text,
        Reading=("approved", "", ""),
        Nurture_group=("reduced", "90", "Half is met by the school's own pupil premium"),
        Laptop=("declined", "", "Equipment is funded by the carers' allowance"),
    )
    response = client.post(page_url(pep), data=form, follow_redirects=True)
    assert response.status_code == 200
    assert "PP+ decisions saved for Harriet Testchild&#39;s PEP: £340.00 approved." in response.text
    assert decided(pep) == [
        ("Reading", PpPlusDecision.APPROVED, Decimal("250.00")),
        ("Nurture group", PpPlusDecision.REDUCED, Decimal("90.00")),
        ("Laptop", PpPlusDecision.DECLINED, Decimal("0.00")),
    ]
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "pp_plus.decided")) == 3

    for reader in (Role.DESIGNATED_TEACHER, Role.SOCIAL_WORKER, Role.BUSINESS_SUPPORT):
        client_of_reader = signed_in(app, people[reader])
        seen = client_of_reader.get(page_url(pep))
        assert seen.status_code == 200, reader
        text = seen.text
        assert "Save decisions" not in text and 'name="decision-' not in text
        for shown in ("Approved", "Reduced", "Declined", "£340.00", "£90.00", "carers&#39; allowance"):
            assert shown in text, (reader, shown)
        assert "£210.00" in text  # still available of Lancashire's £550 this term
        # Someone who may see the PEP but not decide cannot post a decision.
        refused = client_of_reader.post(page_url(pep), data={**form, "csrf_token": csrf_token(text)})
        assert refused.status_code == 403


def test_an_approval_above_the_request_is_refused_with_the_reason_and_nothing_saved(
    app: Flask, lancs: dict
) -> None:
    pep, people = lancs["pep"], lancs["people"]
    save_requests(pep, people[Role.DESIGNATED_TEACHER], [request_row("Reading", "250")])
    client = signed_in(app, people[Role.VIRTUAL_SCHOOL])
    form = decision_form(client.get(page_url(pep)).text, Reading=("reduced", "300", "Costs went up"))
    response = client.post(page_url(pep), data=form)
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "The amount approved for ‘Reading’, £300.00, is more than the £250.00 requested" in response.text
    # What was typed is shown again.
    assert 'value="300"' in response.text and "Costs went up" in response.text
    assert decided(pep) == [("Reading", None, None)]
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "pp_plus.decided")) == 0


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        (("reduced", "100", ""), "Say why ‘Reading’ is reduced"),
        (("declined", "", "  "), "Say why ‘Reading’ is declined"),
        (("reduced", "", "Too much"), "Enter the amount approved for ‘Reading’"),
        (("reduced", "ten pounds", "Too much"), "in pounds and pence, like 150 or 150.50"),
        (("reduced", "-5", "Too much"), "must be more than £0. To approve nothing, decline it"),
        (("reduced", "250.00", "Too much"), "£250.00 is the full amount requested for ‘Reading’"),
        (("", "", ""), "Choose to approve, reduce or decline ‘Reading’"),
    ],
)
def test_incomplete_or_wrong_decisions_are_refused(
    app: Flask, lancs: dict, chosen: tuple, message: str
) -> None:
    pep, people = lancs["pep"], lancs["people"]
    save_requests(pep, people[Role.DESIGNATED_TEACHER], [request_row("Reading", "250")])
    client = signed_in(app, people[Role.VIRTUAL_SCHOOL])
    response = client.post(page_url(pep), data=decision_form(client.get(page_url(pep)).text, Reading=chosen))
    assert response.status_code == 400
    assert message in response.text
    assert decided(pep) == [("Reading", None, None)]


def test_a_total_above_the_amount_per_term_is_refused(app: Flask, lancs: dict) -> None:
    pep, people = lancs["pep"], lancs["people"]
    save_requests(
        pep, people[Role.DESIGNATED_TEACHER], [request_row("Reading", "300"), request_row("Maths", "300")]
    )
    client = signed_in(app, people[Role.VIRTUAL_SCHOOL])
    html = client.get(page_url(pep)).text
    both = decision_form(html, Reading=("approved", "", ""), Maths=("approved", "", ""))
    response = client.post(page_url(pep), data=both)
    assert response.status_code == 400
    assert "The total approved, £600.00, is more than the £550.00 allowed per term" in response.text
    assert [d[1] for d in decided(pep)] == [None, None]
    within = decision_form(html, Reading=("approved", "", ""), Maths=("reduced", "250", "Up to the limit"))
    assert client.post(page_url(pep), data=within).status_code == 302
    assert sum(r.approved for r in requests_of(pep)) == Decimal("550.00")


def test_the_amount_per_term_counts_the_childs_other_pep_that_term(app: Flask, lancs: dict) -> None:
    pep, people, child = lancs["pep"], lancs["people"], lancs["child"]
    save_requests(pep, people[Role.DESIGNATED_TEACHER], [request_row("Reading", "400")])
    decide(
        people[Role.VIRTUAL_SCHOOL],
        pep,
        [DecisionInput(r.id, pp_plus.stamp(r), "approved") for r in requests_of(pep)],
    )
    transition = make_pep(
        child, setting=lancs["school"], state="delegated_to_setting", kind=PepKind.TRANSITION
    )
    save_requests(transition, people[Role.DESIGNATED_TEACHER], [request_row("Induction", "200")])
    client = signed_in(app, people[Role.VIRTUAL_SCHOOL])
    html = client.get(page_url(transition)).text
    assert "Approved on the child&#39;s other PEPs this term" in html and "£150.00" in html
    response = client.post(page_url(transition), data=decision_form(html, Induction=("approved", "", "")))
    assert response.status_code == 400
    assert (
        "The total approved, £600.00 (with £400.00 on the child&#39;s other PEP this term), "
        "is more than the £550.00 allowed per term" in response.text
    )


def test_a_decision_on_a_request_changed_since_the_page_was_loaded_is_refused(
    app: Flask, lancs: dict
) -> None:
    pep, people = lancs["pep"], lancs["people"]
    teacher = people[Role.DESIGNATED_TEACHER]
    save_requests(pep, teacher, [request_row("Reading", "250")])
    client = signed_in(app, people[Role.VIRTUAL_SCHOOL])
    form = decision_form(client.get(page_url(pep)).text, Reading=("approved", "", ""))
    save_requests(pep, teacher, [request_row("Reading", "450")])
    response = client.post(page_url(pep), data=form)
    assert response.status_code == 400
    assert (
        "The request ‘Reading’ changed since you opened this page: it now asks for £450.00" in response.text
    )
    # The setting adds a request while the Virtual School decides the ones it was shown.
    form = decision_form(client.get(page_url(pep)).text, Reading=("approved", "", ""))
    save_requests(pep, teacher, [request_row("Reading", "450"), request_row("Maths", "50")])
    response = client.post(page_url(pep), data=form)
    assert response.status_code == 400
    assert "The PP+ requests changed since you opened this page. Check them and decide again" in response.text
    assert decided(pep) == [("Reading", None, None), ("Maths", None, None)]


# --- The authority's funding rules -----------------------------------------------------------


def test_pp_plus_is_payable_only_for_a_pep_graded_at_least_adequate(app: Flask, lancs: dict) -> None:
    pep, people = lancs["pep"], lancs["people"]
    save_requests(pep, people[Role.DESIGNATED_TEACHER], [request_row("Reading", "250")])
    client = signed_in(app, people[Role.VIRTUAL_SCHOOL])
    html = client.get(page_url(pep)).text
    assert "Not payable yet: PP+ is paid only for a PEP graded ‘Adequate’ or better" in html
    for grade, expected in (
        ("inadequate", "Withheld: the PEP was graded ‘Inadequate’"),
        ("adequate", "Payable: the PEP was graded ‘Adequate’"),
        ("good", "Payable: the PEP was graded ‘Good’"),
    ):
        db.session.add(QaReview(pep_id=pep.id, reviewer_id=people[Role.VIRTUAL_SCHOOL].id, grade=grade))
        db.session.commit()
        assert expected in client.get(page_url(pep)).text, grade
    # The authority's note on ungraded PEPs outside its QA sample is shown with the rules.
    assert "PEPs outside the QA sample have no grade" in client.get(page_url(pep)).text


def test_an_authority_without_a_minimum_grade_pays_once_approved(app: Flask, authorities: dict) -> None:
    bradford = authorities["bradford"]
    school = make_setting("Bradford Grammar")
    teacher = make_user(email="dt@bfd.example", roles=[(Role.DESIGNATED_TEACHER, school)])
    virtual_school = make_user(email="vs@bfd.example", roles=[(Role.VIRTUAL_SCHOOL, bradford)])
    pep = make_pep(make_child(bradford, "Bilal", setting=school), setting=school, state="with_setting")
    rows = [{"target": "Reading", "what_it_pays_for": "Tuition", "amount": "200"}]
    sections.save_section(teacher, pep, "pupil_premium_plus", {"requests": rows}, base_version=0, today=TODAY)
    html = signed_in(app, virtual_school).get(page_url(pep)).text
    assert "Paid once approved: the authority&#39;s rules do not tie PP+ to a quality assurance grade" in html
    assert "£520.00" in html


def test_tuition_by_the_virtual_school_only_where_the_authority_arranges_it(
    app: Flask, lancs: dict, authorities: dict
) -> None:
    pep, people = lancs["pep"], lancs["people"]
    save_requests(pep, people[Role.DESIGNATED_TEACHER], [request_row("Reading", "250")])
    client = signed_in(app, people[Role.VIRTUAL_SCHOOL])
    html = client.get(page_url(pep)).text
    assert "arranges 1:1 tuition" not in html
    response = client.post(page_url(pep), data=decision_form(html, Reading=("approved", "", "", "tuition")))
    assert response.status_code == 400
    assert (
        "This authority&#39;s Virtual School does not arrange tuition: the setting arranges it"
        in response.text
    )
    assert decided(pep) == [("Reading", None, None)]

    # Example Borough's Virtual School may keep the PP+ and arrange the tuition itself (source 004).
    borough = authorities["example-borough"]
    school = make_setting("Borough Academy")
    teacher = make_user(email="dt@eb.example", roles=[(Role.DESIGNATED_TEACHER, school)])
    virtual_school = make_user(email="vs@eb.example", roles=[(Role.VIRTUAL_SCHOOL, borough)])
    pep = make_pep(make_child(borough, "Esme", setting=school), setting=school, state="in_progress")
    target = {"kind": "academic", "what": "Read aloud with confidence", "pp_plus_cost": "300"}
    sections.save_section(teacher, pep, "smart_targets", {"targets": [target]}, base_version=0, today=TODAY)
    client = signed_in(app, virtual_school)
    html = client.get(page_url(pep)).text
    assert "The Virtual School keeps this funding and arranges 1:1 tuition" in html
    declined = decision_form(html, Read_aloud_with_confidence=("declined", "", "No", "tuition"))
    response = client.post(page_url(pep), data=declined)
    assert "The Virtual School can arrange tuition only with funding approved" in response.text
    approved = decision_form(html, Read_aloud_with_confidence=("approved", "", "", "tuition"))
    assert client.post(page_url(pep), data=approved).status_code == 302
    assert [r.tuition_by_virtual_school for r in requests_of(pep)] == [True]
    assert "Tuition arranged by the Virtual School" in signed_in(app, teacher).get(page_url(pep)).text


# --- Who may see and decide ------------------------------------------------------------------


def test_another_authoritys_virtual_school_neither_sees_nor_decides(
    app: Flask, lancs: dict, authorities: dict
) -> None:
    pep, people = lancs["pep"], lancs["people"]
    save_requests(pep, people[Role.DESIGNATED_TEACHER], [request_row("Reading", "250")])
    own = signed_in(app, people[Role.VIRTUAL_SCHOOL])
    form = decision_form(own.get(page_url(pep)).text, Reading=("approved", "", ""))
    bradford = make_user(email="vs@bradford.example", roles=[(Role.VIRTUAL_SCHOOL, authorities["bradford"])])
    stranger = signed_in(app, bradford)
    assert stranger.get(page_url(pep)).status_code == 404
    token = csrf_token(stranger.get("/", follow_redirects=True).text)
    assert stranger.post(page_url(pep), data={**form, "csrf_token": token}).status_code == 404
    assert stranger.get("/a/lancashire/virtual-school/pp-plus").status_code == 403
    assert "Harriet" not in stranger.get("/a/bradford/virtual-school/pp-plus").text
    assert decided(pep) == [("Reading", None, None)]


def test_the_service_refuses_anyone_but_the_virtual_school(lancs: dict) -> None:
    pep, people = lancs["pep"], lancs["people"]
    save_requests(pep, people[Role.DESIGNATED_TEACHER], [request_row("Reading", "250")])
    decisions = [DecisionInput(r.id, pp_plus.stamp(r), "approved") for r in requests_of(pep)]
    with pytest.raises(DecisionRefusedError, match="Only the Virtual School"):
        decide(people[Role.SOCIAL_WORKER], pep, decisions)
    assert decided(pep) == [("Reading", None, None)]


# --- The Virtual School's list ---------------------------------------------------------------


def test_the_list_shows_the_authoritys_peps_awaiting_a_decision(
    app: Flask, lancs: dict, authorities: dict
) -> None:
    pep, people = lancs["pep"], lancs["people"]
    client = signed_in(app, people[Role.VIRTUAL_SCHOOL])
    empty = client.get("/a/lancashire/virtual-school/pp-plus")
    assert empty.status_code == 200 and "No PP+ requests are waiting for a decision" in empty.text
    save_requests(
        pep, people[Role.DESIGNATED_TEACHER], [request_row("Reading", "250"), request_row("Maths", "50")]
    )
    listed = client.get("/a/lancashire/virtual-school/pp-plus").text
    assert "Harriet Testchild" in listed and "£300.00" in listed and page_url(pep) in listed
    decide(
        people[Role.VIRTUAL_SCHOOL],
        pep,
        [DecisionInput(r.id, pp_plus.stamp(r), "approved") for r in requests_of(pep)],
    )
    assert "Harriet" not in client.get("/a/lancashire/virtual-school/pp-plus").text


def build_awaiting(authority: Authority, count: int, teacher, school) -> None:
    for number in range(count):
        child = make_child(authority, f"Child{number}", setting=school)
        pep = make_pep(child, setting=school, state="delegated_to_setting")
        save_requests(pep, teacher, [request_row("Reading", "100")])


def test_the_list_runs_the_same_queries_for_5_peps_as_for_50(app: Flask, lancs: dict) -> None:
    people, authority, school = lancs["people"], lancs["authority"], lancs["school"]
    counts = []
    for added, shown in ((5, "Showing 1 to 5 of 5 PEPs"), (45, "Showing 1 to 25 of 50 PEPs")):
        build_awaiting(authority, added, people[Role.DESIGNATED_TEACHER], school)
        client = signed_in(app, people[Role.VIRTUAL_SCHOOL])
        with count_queries(db.engine) as statements:
            response = client.get("/a/lancashire/virtual-school/pp-plus")
        assert response.status_code == 200 and shown in response.text
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


# --- Demo data -------------------------------------------------------------------------------


def test_the_demo_has_requests_and_some_decisions(app: Flask, authorities: dict) -> None:
    load_demo_data(dt.date(2026, 11, 22))

    def counts() -> tuple[int, int]:
        return (
            db.session.scalar(select(func.count()).select_from(PpPlusRequest)),
            db.session.scalar(select(func.count()).where(PpPlusRequest.decision.is_not(None))),
        )

    first = counts()
    assert first[0] > first[1] > 0
    load_demo_data(dt.date(2026, 11, 22))
    assert counts() == first
    tuition = db.session.scalar(select(func.count()).where(PpPlusRequest.tuition_by_virtual_school.is_(True)))
    assert tuition > 0  # Example Borough's Virtual School arranges tuition


# --- Whatever is posted -----------------------------------------------------------------------

typed_text = st.one_of(
    st.sampled_from(["", "0", "-1", "100", "249.99", "250", "1e3", "NaN", "Infinity", "£1,000.50", "1.234"]),
    st.text(max_size=30),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    decisions=st.lists(
        st.tuples(st.sampled_from(["approved", "reduced", "declined", "", "bogus"]), typed_text, typed_text),
        min_size=2,
        max_size=2,
    )
)
def test_any_decision_form_is_either_saved_within_the_rules_or_refused(
    app: Flask, lancs: dict, decisions: list[tuple[str, str, str]]
) -> None:
    """No server error and no stored decision outside the rules, whatever the form holds."""
    pep, people = lancs["pep"], lancs["people"]
    if not requests_of(pep):
        save_requests(
            pep, people[Role.DESIGNATED_TEACHER], [request_row("Reading", "250"), request_row("Maths", "400")]
        )
    client = signed_in(app, people[Role.VIRTUAL_SCHOOL])
    form = decision_form(client.get(page_url(pep)).text, Reading=decisions[0], Maths=decisions[1])
    response = client.post(page_url(pep), data=form)
    assert response.status_code in (302, 400)
    stored = requests_of(pep)
    assert sum(r.approved or 0 for r in stored) <= Decimal("550.00")
    for request in stored:
        if request.decision is not None:
            assert Decimal(0) <= request.approved <= request.requested
            assert request.decision is PpPlusDecision.APPROVED or request.decision_note.strip()
