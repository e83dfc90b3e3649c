"""Demo data for every authority: people in each role, settings, children, PEPs in several states.

Idempotent: everything is looked up by a natural key (email, URN, case reference, PEP term) before
it is created, so ``flask demo load`` can run on every start. Dates are placed relative to the
current academic year so that the demo stays meaningful whenever it is loaded.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.authorities.calendar import TermRef
from portal.authorities.schema import AuthorityConfig, Role
from portal.extensions import db
from portal.models import (
    Authority,
    Child,
    EducationSetting,
    Membership,
    PepKind,
    PepStateChange,
    SettingType,
    User,
)
from portal.passwords import hash_password
from portal.school_years import academic_year_of
from portal.services.authorities import all_authorities, config_for
from portal.services.demo_catalogue import (
    FIRST_NAMES,
    LAST_NAMES,
    SETTINGS,
    SOCIAL_WORKERS,
    STAFF,
    YEAR_GROUPS,
)
from portal.services.demo_pp_plus import load_requests
from portal.services.demo_qa import load_reviews
from portal.services.pep_facts import config_of
from portal.services.workflow import refresh_deadlines, start_pep

#: Every demo account has this password. Demo data is for development and demonstration only.
DEMO_PASSWORD = "pep-portal-demo-2026"  # noqa: S105 - published in the README on purpose


def demo_email(local: str, domain: str) -> str:
    return f"{local}@{domain}.example"


def get_or_create_user(email: str, full_name: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, full_name=full_name, password_hash=hash_password(DEMO_PASSWORD))
        db.session.add(user)
        db.session.flush()
    return user


def grant(
    user: User,
    role: Role,
    *,
    authority: Authority | None = None,
    setting: EducationSetting | None = None,
) -> None:
    authority_id = authority.id if authority else None
    setting_id = setting.id if setting else None
    if not any(
        m.role == role and m.authority_id == authority_id and m.setting_id == setting_id
        for m in user.memberships
    ):
        user.memberships.append(Membership(role=role, authority_id=authority_id, setting_id=setting_id))


def load_settings() -> dict[str, EducationSetting]:
    settings = {}
    for demo in SETTINGS:
        setting = db.session.scalar(select(EducationSetting).where(EducationSetting.urn == demo.urn))
        if setting is None:
            setting = EducationSetting(urn=demo.urn, name=demo.name, setting_type=demo.setting_type)
            db.session.add(setting)
            db.session.flush()
        teacher = get_or_create_user(demo_email("designated.teacher", demo.key), demo.designated_teacher)
        grant(teacher, Role.DESIGNATED_TEACHER, setting=setting)
        settings[demo.key] = setting
    colleague = get_or_create_user(demo_email("senco", "riverside"), "Beth Lawson")
    grant(colleague, Role.SETTING_STAFF, setting=settings["riverside"])
    return settings


def settings_for(slug: str, settings: dict[str, EducationSetting]) -> list[EducationSetting]:
    return [settings[d.key] for d in SETTINGS if "*" in d.authorities or slug in d.authorities]


def choose_setting(
    year_group: int, candidates: list[EducationSetting], index: int
) -> EducationSetting | None:
    wanted = (
        {SettingType.NURSERY}
        if year_group <= 0
        else {SettingType.PRIMARY}
        if year_group <= 6
        else {SettingType.SECONDARY, SettingType.SPECIAL}
        if year_group <= 11
        else {SettingType.COLLEGE}
    )
    matches = [s for s in candidates if s.setting_type in wanted]
    # The first early-years child has no setting yet: the Health Visitor's case.
    if index == 0 or not matches:
        return None
    # Prefer the shared settings so that their designated teachers see several authorities.
    return matches[index % len(matches)]


def date_of_birth_for(year_group: int, academic_year: int, index: int) -> dt.date:
    cohort_start = academic_year - year_group - 5  # September of the birth cohort's year
    return dt.date(cohort_start, 9, 1) + dt.timedelta(days=(index * 37) % 360)


def load_authority(
    authority: Authority, index: int, settings: dict[str, EducationSetting], today: dt.date
) -> None:
    config = config_for(authority)
    domain = authority.slug
    for role, (local, names) in STAFF.items():
        if role in config.roles:
            grant(
                get_or_create_user(demo_email(local, domain), names[index % len(names)]),
                role,
                authority=authority,
            )
    workers = [
        get_or_create_user(demo_email(f"social.worker{n}", domain), name)
        for n, name in enumerate(SOCIAL_WORKERS[index % len(SOCIAL_WORKERS)], start=1)
    ]
    for worker in workers:
        grant(worker, Role.SOCIAL_WORKER, authority=authority)

    candidates = settings_for(authority.slug, settings)
    contacts = [
        m.user
        for m in db.session.scalars(
            select(Membership).where(
                Membership.authority_id == authority.id, Membership.role == Role.EDUCATION_CONTACT
            )
        )
    ]
    term = config.work_calendar.current_term(today)
    academic_year = term.academic_year if term else academic_year_of(today)
    for number, year_group in enumerate(YEAR_GROUPS):
        reference = f"{config.authority.short_name[:3].upper()}-{1000 + number}"
        child = db.session.scalar(
            select(Child).where(Child.authority_id == authority.id, Child.case_reference == reference)
        )
        if child is None:
            setting = choose_setting(year_group, candidates, number)
            child = Child(
                authority_id=authority.id,
                first_name=FIRST_NAMES[(number + index * 5) % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(number * 3 + index * 7) % len(LAST_NAMES)],
                date_of_birth=date_of_birth_for(year_group, academic_year, number),
                became_looked_after_on=today - dt.timedelta(days=40 + number * 90),
                emergency_placement=number % 5 == 2,
                case_reference=reference,
                current_setting=setting,
                social_worker_id=workers[number % 2].id,
                # A child with no setting gets the authority's education contact, where it has one.
                education_contact=contacts[0] if setting is None and contacts else None,
            )
            db.session.add(child)
            db.session.flush()
        if term is not None:
            load_peps(config, child, number, term)


def load_peps(config: AuthorityConfig, child: Child, number: int, term: TermRef) -> None:
    """A finalised PEP for last term (older children) and this term's PEP at a step that varies."""
    steps = config.workflow.steps
    delegated_from = next(
        (i for i, s in enumerate(steps) if Role.DESIGNATED_TEACHER in s.actors), len(steps) - 1
    )
    previous = [t for t in config.work_calendar.terms if t.ends < term.starts]
    if number > 1 and previous:
        last = previous[-1]
        _ensure_pep(
            child, last, PepKind.TERMLY_REVIEW, len(steps) - 1, True, last.starts + dt.timedelta(days=21)
        )
    step_index = number % len(steps)
    if child.current_setting_id is None and child.education_contact_id is not None:
        step_index = max(step_index, delegated_from)  # show the education contact's work in the demo
    _ensure_pep(
        child,
        term,
        PepKind.INITIAL if number in (0, 1) else PepKind.TERMLY_REVIEW,
        step_index,
        step_index >= delegated_from,
        None if step_index == 0 else term.starts + dt.timedelta(days=14 + number * 3),
    )


def _ensure_pep(
    child: Child, term: TermRef, kind: PepKind, step_index: int, delegated: bool, meeting: dt.date | None
) -> None:
    """Start the PEP through the engine, then place it at a demo step as if imported from a
    previous system (one history row saying so)."""
    pep = start_pep(
        child,
        kind=kind,
        academic_year=term.academic_year,
        term=term.term,
        actor=None,
        meeting_date=meeting,
        today=term.starts,
        commit=False,
    )
    if pep is None:
        return
    step = config_of(pep).workflow.steps[step_index]
    if step_index:
        pep.state = step.key
        db.session.add(
            PepStateChange(pep_id=pep.id, to_state=step.key, occurred_on=term.starts, comment="Demo data")
        )
    pep.setting_id = child.current_setting_id if delegated else None
    pep.education_contact_id = child.education_contact_id if delegated and not pep.setting_id else None
    pep.finalised_at = finalised_at(meeting) if step.final and meeting else None
    db.session.flush()
    refresh_deadlines(pep, max(term.starts, dt.date.today()))


def finalised_at(meeting: dt.date) -> dt.datetime:
    """Twelve days after the meeting, or now if that would be in the future."""
    after = dt.datetime.combine(meeting, dt.time(16), dt.UTC) + dt.timedelta(days=12)
    return min(after, dt.datetime.now(dt.UTC))


def load_demo_data(today: dt.date | None = None) -> int:
    """Load (or top up) the demo data; returns the number of authorities covered."""
    today = today or dt.date.today()
    settings = load_settings()
    authorities = all_authorities()
    platform_admin = get_or_create_user(demo_email("platform.admin", "pep-portal"), "Pat Okafor")
    platform_admin.is_platform_admin = True
    for index, authority in enumerate(authorities):
        load_authority(authority, index, settings, today)
        load_requests(authority)
        load_reviews(authority)
    db.session.commit()
    return len(authorities)
