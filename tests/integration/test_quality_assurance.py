"""The Virtual School's quality assurance: the queue, grading on the authority's scale and
criteria, the return loop seen by the setting, sign-off, and refusals that save nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.authorities.vocabulary import PepKind, Role, Term
from portal.extensions import db
from portal.models import Authority, OutboxMessage, Pep, PepStateChange, QaReview, SettingType
from portal.services import qa, workflow
from portal.services.pep_facts import config_of
from tests.factories import csrf_token, make_child, make_setting, make_user, sign_in
from tests.queries import count_queries
from tests.walker import walk_to_qa

WALK_DAY = dt.date(2026, 10, 12)


def people_of(authority: Authority, school, tag: str = "") -> dict:
    slug = authority.slug
    people = {
        role: make_user(
            f"{role.value} {tag}{slug}", email=f"{role.value}{tag}@{slug}.example", roles=[(role, authority)]
        )
        for role in (Role.SOCIAL_WORKER, Role.BUSINESS_SUPPORT, Role.VIRTUAL_SCHOOL, Role.AUTHORITY_ADMIN)
    }
    people[Role.DESIGNATED_TEACHER] = make_user(
        f"DT {tag}{slug}", email=f"dt{tag}@{slug}.example", roles=[(Role.DESIGNATED_TEACHER, school)]
    )
    return people


def pep_at_qa(
    authority: Authority, school, people: dict, first_name: str, born: dt.date | None = None
) -> Pep:
    child = make_child(
        authority,
        first_name,
        social_worker=people[Role.SOCIAL_WORKER],
        setting=school,
        date_of_birth=born or dt.date(2013, 5, 1),
    )
    child.became_looked_after_on = dt.date(2026, 9, 14)
    db.session.commit()
    pep = workflow.start_pep(
        child,
        kind=PepKind.INITIAL,
        academic_year=2026,
        term=Term.AUTUMN,
        actor=people[Role.SOCIAL_WORKER],
        today=dt.date(2026, 9, 15),
    )
    walk_to_qa(pep, people, today=WALK_DAY)
    return pep


@pytest.fixture
def cheshire(authorities: dict) -> dict:
    """A Cheshire West PEP waiting for QA: RAG on each of 003's nine criteria, red returns it."""
    authority = authorities["cheshire-west-and-chester"]
    school = make_setting("Dee Valley High", SettingType.SECONDARY)
    people = people_of(authority, school)
    pep = pep_at_qa(authority, school, people, "Riley")
    assert pep.state == "awaiting_qa"
    return {"authority": authority, "school": school, "people": people, "pep": pep}


def signed_in(app: Flask, user) -> object:
    client = app.test_client()
    sign_in(client, user.email)
    return client


def qa_form(pep: Pep, **fields: object) -> dict:
    """A complete, valid assessment as the QA page posts it, with ``fields`` overriding."""
    config = config_of(pep)
    best = next(iter(qa.criterion_choices(config)))
    form: dict[str, object] = {f"criteria-{c.key}": best for c in config.qa.criteria}
    form |= {"grade": config.qa.scale[0].key, "feedback": "A strong plan.", "outcome": ""}
    form |= fields
    return form


def post_qa(client, pep: Pep, form: dict):
    url = f"/a/{pep.authority.slug}/peps/{pep.id}/quality-assurance"
    token = csrf_token(client.get(url).text)
    return client.post(url, data={"csrf_token": token, **form})


def reviews_of(pep: Pep) -> int:
    return db.session.scalar(select(func.count()).select_from(QaReview).where(QaReview.pep_id == pep.id))


def test_a_grade_without_every_criterion_is_refused_with_the_reason_and_nothing_is_saved(
    app: Flask, cheshire: dict
) -> None:
    pep = cheshire["pep"]
    client = signed_in(app, cheshire["people"][Role.VIRTUAL_SCHOOL])
    form = qa_form(pep, outcome="quality_assured")
    del form["criteria-child_voice"]
    response = post_qa(client, pep, form)
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Assess ‘The PEP reflects the young person&#39;s voice’" in response.text
    assert 'href="#criteria-child_voice"' in response.text
    # What was typed is kept.
    assert "A strong plan." in response.text
    db.session.expire_all()
    assert reviews_of(pep) == 0 and db.session.get(Pep, pep.id).state == "awaiting_qa"


def test_a_return_with_no_feedback_or_no_sections_is_refused(app: Flask, cheshire: dict) -> None:
    pep = cheshire["pep"]
    client = signed_in(app, cheshire["people"][Role.VIRTUAL_SCHOOL])
    response = post_qa(
        client, pep, qa_form(pep, grade="red", feedback="  ", outcome="return_for_improvement")
    )
    assert response.status_code == 400
    assert "Write feedback saying what must be improved before the PEP is returned" in response.text
    assert "Select the sections that must be improved" in response.text
    db.session.expire_all()
    assert reviews_of(pep) == 0 and db.session.get(Pep, pep.id).state == "awaiting_qa"
    assert db.session.scalar(select(func.count()).where(OutboxMessage.message == "returned")) == 0


def test_a_grade_that_returns_cannot_be_signed_off(app: Flask, cheshire: dict) -> None:
    pep = cheshire["pep"]
    client = signed_in(app, cheshire["people"][Role.VIRTUAL_SCHOOL])
    response = post_qa(client, pep, qa_form(pep, grade="red", outcome="quality_assured"))
    assert response.status_code == 400
    assert "A PEP graded ‘Red: returned for improvement’ must be returned for improvement" in response.text
    db.session.expire_all()
    assert reviews_of(pep) == 0 and db.session.get(Pep, pep.id).state == "awaiting_qa"


def test_the_return_loop_from_queue_to_setting_and_back_to_sign_off(app: Flask, cheshire: dict) -> None:
    pep, people, authority = cheshire["pep"], cheshire["people"], cheshire["authority"]
    vs = signed_in(app, people[Role.VIRTUAL_SCHOOL])
    queue = vs.get(f"/a/{authority.slug}/virtual-school/quality-assurance")
    assert "Riley Testchild" in queue.text and f"/peps/{pep.id}/quality-assurance" in queue.text

    feedback = "Targets are not measurable.\nSay how progress will be checked."
    response = post_qa(
        vs,
        pep,
        qa_form(
            pep,
            grade="red",
            feedback=feedback,
            outcome="return_for_improvement",
            outstanding=["smart_targets"],
            **{"criteria-smart_targets": "red"},
        ),
    )
    assert response.status_code == 302
    assert "returned for improvement" in vs.get(response.headers["Location"]).text
    db.session.expire_all()
    pep = db.session.get(Pep, pep.id)
    assert pep.state == "setting_updating"
    assert "Riley Testchild" not in vs.get(f"/a/{authority.slug}/virtual-school/quality-assurance").text

    # The setting sees the return on its dashboard and on the PEP, with the sections named.
    teacher = signed_in(app, people[Role.DESIGNATED_TEACHER])
    dashboard = teacher.get("/school/").text
    assert "Returned for improvement" in dashboard and "Targets are not measurable." in dashboard
    page = teacher.get(f"/a/{authority.slug}/peps/{pep.id}").text
    assert "returned this PEP" in page and 'href="#section-smart_targets"' in page
    assert "The Virtual School asks for this to be improved." in page
    # So does the social worker, on their caseload.
    caseload = (
        signed_in(app, people[Role.SOCIAL_WORKER]).get(f"/a/{authority.slug}/social-work/caseload").text
    )
    assert "Returned for improvement" in caseload

    # The setting sends it back; the queue marks it as back after a return.
    workflow.perform(people[Role.DESIGNATED_TEACHER], pep, "send_updated_pep", today=WALK_DAY)
    assert "Returned for improvement" not in teacher.get("/school/").text
    queue = vs.get(f"/a/{authority.slug}/virtual-school/quality-assurance").text
    assert "Back after a return" in queue

    response = post_qa(
        vs, pep, qa_form(pep, grade="green", feedback="Much better.", outcome="quality_assured")
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Pep, pep.id).state == "with_business_support_to_record"
    # The history keeps both grades and both comments.
    history = vs.get(f"/a/{authority.slug}/peps/{pep.id}").text
    assert history.count('class="govuk-summary-card__title"') == 2
    assert "Much better." in history and "Say how progress will be checked." in history
    [return_change] = db.session.scalars(
        select(PepStateChange).where(PepStateChange.transition_key == "return_for_improvement")
    )
    assert return_change.comment == feedback


def test_a_grade_can_be_saved_and_the_decision_made_later(app: Flask, cheshire: dict) -> None:
    pep = cheshire["pep"]
    vs = signed_in(app, cheshire["people"][Role.VIRTUAL_SCHOOL])
    response = post_qa(vs, pep, qa_form(pep, grade="amber", feedback="Two points to improve next term."))
    assert response.status_code == 302
    page = vs.get(response.headers["Location"]).text
    assert "Grade recorded" in page and "Amber: acceptable" in page
    db.session.expire_all()
    assert db.session.get(Pep, pep.id).state == "awaiting_qa"
    response = post_qa(vs, pep, {"outcome": "quality_assured", "grade": "", "feedback": ""})
    # A decision needs a grade alongside it, even when one was saved before.
    assert response.status_code == 400 and "Select an overall grade" in response.text


def test_others_who_see_the_pep_cannot_use_the_qa_page(app: Flask, cheshire: dict) -> None:
    pep, people = cheshire["pep"], cheshire["people"]
    url = f"/a/{pep.authority.slug}/peps/{pep.id}/quality-assurance"
    for role in (Role.DESIGNATED_TEACHER, Role.SOCIAL_WORKER, Role.AUTHORITY_ADMIN):
        assert signed_in(app, people[role]).get(url).status_code == 403


def test_lancashire_grades_a_sample_of_each_settings_peps(app: Flask, authorities: dict) -> None:
    """At least one PEP per setting per term: until one is graded, every PEP of the setting needs a
    grade; afterwards the others may be approved without one."""
    lancashire = authorities["lancashire"]
    school = make_setting("Ribble Academy", SettingType.SECONDARY)
    people = people_of(lancashire, school)
    first, second = (pep_at_qa(lancashire, school, people, name) for name in ("Asha", "Bilal"))
    vs_user = people[Role.VIRTUAL_SCHOOL]
    vs = signed_in(app, vs_user)
    queue = vs.get("/a/lancashire/virtual-school/quality-assurance").text
    assert "Asha Testchild" in queue and "Bilal Testchild" in queue

    refused = post_qa(vs, second, {"outcome": "approve", "grade": "", "feedback": ""})
    assert refused.status_code == 400 and "Select an overall grade" in refused.text

    assert post_qa(vs, first, qa_form(first, grade="adequate", outcome="approve")).status_code == 302
    queue = vs.get("/a/lancashire/virtual-school/quality-assurance").text
    assert "Bilal Testchild" not in queue  # Ribble's sample is taken
    everyone = vs.get("/a/lancashire/virtual-school/quality-assurance?selection=all").text
    assert "Bilal Testchild" in everyone and "Outside the sample" in everyone

    assert post_qa(vs, second, {"outcome": "approve", "grade": "", "feedback": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Pep, second.id).state == "approved" and reviews_of(second) == 0


def test_the_queue_filters_and_orders_oldest_due_first(app: Flask, authorities: dict) -> None:
    cheshire = authorities["cheshire-west-and-chester"]
    high, primary = make_setting("Weaver High"), make_setting("Weaver Primary", SettingType.PRIMARY)
    people = people_of(cheshire, high)
    older = pep_at_qa(cheshire, high, people, "Olwen", born=dt.date(2011, 1, 10))  # Year 10: KS4
    primary_people = people_of(cheshire, primary, tag="p")
    younger = pep_at_qa(cheshire, primary, primary_people, "Yusuf", born=dt.date(2018, 3, 3))  # Year 3: KS2
    db.session.get(Pep, younger.id).next_due_on = dt.date(2026, 11, 2)
    db.session.get(Pep, older.id).next_due_on = dt.date(2026, 11, 9)
    db.session.commit()
    vs = signed_in(app, people[Role.VIRTUAL_SCHOOL])
    base = "/a/cheshire-west-and-chester/virtual-school/quality-assurance"
    page = vs.get(base).text
    assert page.index("Yusuf Testchild") < page.index("Olwen Testchild")
    assert "Yusuf" not in vs.get(f"{base}?key_stage=ks4").text
    assert "Olwen" not in vs.get(f"{base}?key_stage=ks2").text
    assert "Olwen" not in vs.get(f"{base}?setting={primary.id}").text
    assert "Yusuf" not in vs.get(f"{base}?phase=secondary").text
    by_worker = vs.get(f"{base}?social_worker={primary_people[Role.SOCIAL_WORKER].id}&term=2026-autumn").text
    assert "Yusuf" in by_worker and "Olwen" not in by_worker
    # Nonsense filters are ignored, not an error.
    assert vs.get(f"{base}?setting=abc&term=x-y&key_stage=ks9&page=-3").status_code == 200


def test_another_authoritys_peps_never_reach_the_queue(app: Flask, authorities: dict, cheshire: dict) -> None:
    bradford = authorities["bradford"]
    vs = make_user("Bradford VS", email="vs@bradford.example", roles=[(Role.VIRTUAL_SCHOOL, bradford)])
    client = signed_in(app, vs)
    assert "Riley" not in client.get("/a/bradford/virtual-school/quality-assurance").text
    assert client.get("/a/cheshire-west-and-chester/virtual-school/quality-assurance").status_code == 403
    pep = cheshire["pep"]
    # As if it did not exist: the answer does not confirm that the child has a PEP.
    assert client.get(f"/a/cheshire-west-and-chester/peps/{pep.id}/quality-assurance").status_code == 404


def test_the_queue_costs_the_same_queries_for_2_and_12_peps(app: Flask, authorities: dict) -> None:
    cheshire = authorities["cheshire-west-and-chester"]
    school = make_setting("Counting School")
    people = people_of(cheshire, school)
    vs = signed_in(app, people[Role.VIRTUAL_SCHOOL])
    url = "/a/cheshire-west-and-chester/virtual-school/quality-assurance"
    counts = []
    for total in (2, 12):
        while db.session.scalar(select(func.count()).select_from(Pep)) < total:
            pep_at_qa(
                cheshire, school, people, f"Kid{db.session.scalar(select(func.count()).select_from(Pep))}"
            )
        with count_queries(db.engine) as statements:
            assert vs.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
