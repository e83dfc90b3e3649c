"""The social worker's case actions: a child becoming looked after, starting PEPs, arranging the
meeting, transferring the case, moving the child to a new setting and recording that they left care.

Every action checks its input first and changes nothing when refused; each refusal says what to
do, in words for the person doing it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from portal import clock
from portal.authorities.vocabulary import Role, Term
from portal.extensions import db
from portal.leaving_care import LEFT_CARE_REASONS
from portal.models import Authority, Child, EducationSetting, Membership, Pep, PepKind, User
from portal.services import audit, notifications, people, workflow
from portal.services.authorities import config_for


class CaseworkRefusedError(Exception):
    """Refused; ``field`` names the form field the message belongs to, where there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class NewChild:
    first_name: str
    last_name: str
    date_of_birth: dt.date
    became_looked_after_on: dt.date
    emergency_placement: bool
    setting_id: int | None
    case_reference: str


def _term_of(authority: Authority, day: dt.date) -> tuple[int, Term]:
    term = config_for(authority).work_calendar.current_term(day)
    if term is None:
        raise CaseworkRefusedError(
            f"{authority.name} has no term dates for {day.day} {day:%B %Y}: ask its administrator to add them"
        )
    return term.academic_year, term.term


def record_became_looked_after(worker: User, authority: Authority, new: NewChild) -> Pep:
    """Record the child, allocated to ``worker``, and start their initial PEP with its deadlines."""
    today = clock.today()
    if new.became_looked_after_on > today:
        raise CaseworkRefusedError(
            "The date they became looked after must be today or in the past", "became_looked_after_on"
        )
    if new.date_of_birth >= new.became_looked_after_on:
        raise CaseworkRefusedError(
            "Date of birth must be before the date they became looked after", "date_of_birth"
        )
    age = (new.became_looked_after_on - new.date_of_birth).days / 365.25
    if age >= 18:
        raise CaseworkRefusedError("A PEP is for children under 18: check the date of birth", "date_of_birth")
    setting = db.session.get(EducationSetting, new.setting_id) if new.setting_id else None
    if new.setting_id and setting is None:
        raise CaseworkRefusedError("Select the child's education setting from the list", "setting_id")
    academic_year, term = _term_of(authority, new.became_looked_after_on)
    child = Child(
        authority_id=authority.id,
        first_name=new.first_name.strip(),
        last_name=new.last_name.strip(),
        date_of_birth=new.date_of_birth,
        became_looked_after_on=new.became_looked_after_on,
        emergency_placement=new.emergency_placement,
        current_setting=setting,
        social_worker_id=worker.id,
        case_reference=new.case_reference.strip() or None,
    )
    db.session.add(child)
    db.session.flush()
    audit.record(
        "child.became_looked_after",
        actor=worker,
        authority_id=authority.id,
        subject=child,
        emergency=new.emergency_placement,
    )
    pep = workflow.start_pep(
        child,
        kind=PepKind.INITIAL,
        academic_year=academic_year,
        term=term,
        actor=worker,
        today=today,
        commit=False,
    )
    assert pep is not None
    db.session.commit()
    return pep


def initiate_pep(worker: User, child: Child, kind: PepKind, academic_year: int, term: Term) -> Pep:
    authority = db.session.get(Authority, child.authority_id)
    assert authority is not None
    if config_for(authority).work_calendar.term_of(academic_year, term) is None:
        raise CaseworkRefusedError("Select a term from the list", "term")
    pep = workflow.start_pep(child, kind=kind, academic_year=academic_year, term=term, actor=worker)
    if pep is None:
        raise CaseworkRefusedError(
            f"{child.first_name} already has a {kind.label.lower()} for that term", "term"
        )
    return pep


def arrange_meeting(worker: User, pep: Pep, meeting: dt.date) -> None:
    if meeting < pep.child.became_looked_after_on:
        raise CaseworkRefusedError(
            "The PEP meeting must be on or after the date the child became looked after", "meeting_date"
        )
    if meeting > clock.today() + dt.timedelta(days=366):
        raise CaseworkRefusedError("The PEP meeting must be within the next year", "meeting_date")
    pep.meeting_date = meeting
    audit.record("pep.meeting_arranged", actor=worker, authority_id=pep.authority_id, subject=pep)
    workflow.refresh_deadlines(pep, clock.today())
    db.session.commit()


def social_workers(authority: Authority) -> list[User]:
    return people.users_with_role(Role.SOCIAL_WORKER, authority_id=authority.id)


def transfer_case(actor: User, child: Child, new_worker_id: int) -> User:
    """Give the child's case to another social worker of the same authority."""
    authority = db.session.get(Authority, child.authority_id)
    assert authority is not None
    new_worker = next((w for w in social_workers(authority) if w.id == new_worker_id), None)
    if new_worker is None:
        raise CaseworkRefusedError(
            f"Select a social worker of {authority.name}: cases cannot move to another authority",
            "social_worker",
        )
    if new_worker.id == child.social_worker_id:
        raise CaseworkRefusedError(f"{new_worker.full_name} already has this case", "social_worker")
    previous = child.social_worker_id
    child.social_worker_id = new_worker.id
    audit.record(
        "child.case_transferred",
        actor=actor,
        authority_id=authority.id,
        subject=child,
        from_user=previous,
        to_user=new_worker.id,
    )
    open_pep = db.session.scalar(
        select(Pep).where(Pep.child_id == child.id, Pep.finalised_at.is_(None)).order_by(Pep.id.desc())
    )
    if open_pep is not None:
        notifications.queue_for_users(open_pep, [new_worker], "transferred")
    db.session.commit()
    return new_worker


def move_setting(actor: User, child: Child, setting_id: int | None, *, commit: bool = True) -> Pep | None:
    """Move the child to a new setting: open PEPs leave the old setting, and a transition PEP is
    started for the term. The old setting keeps the finalised PEPs it worked on; nothing else.
    ``commit=False`` leaves the change in the caller's transaction (an import of many children)."""
    new_setting = db.session.get(EducationSetting, setting_id) if setting_id else None
    if setting_id and new_setting is None:
        raise CaseworkRefusedError("Select the new education setting from the list", "setting_id")
    if setting_id == child.current_setting_id:
        raise CaseworkRefusedError("The child is already at that setting", "setting_id")
    authority = db.session.get(Authority, child.authority_id)
    assert authority is not None
    old_setting = child.current_setting_id
    child.current_setting = new_setting
    for pep in db.session.scalars(select(Pep).where(Pep.child_id == child.id, Pep.finalised_at.is_(None))):
        if pep.setting_id == old_setting:
            pep.setting_id = None
    audit.record(
        "child.moved_setting",
        actor=actor,
        authority_id=authority.id,
        subject=child,
        from_setting=old_setting,
        to_setting=setting_id,
    )
    academic_year, term = _term_of(authority, clock.today())
    transition = workflow.start_pep(
        child, kind=PepKind.TRANSITION, academic_year=academic_year, term=term, actor=actor, commit=False
    )
    if commit:
        db.session.commit()
    return transition


def setting_has_designated_teacher(setting_id: int) -> bool:
    return (
        db.session.scalar(
            select(Membership.id).where(
                Membership.setting_id == setting_id, Membership.role == Role.DESIGNATED_TEACHER
            )
        )
        is not None
    )


def chase_setting(actor: User, pep: Pep) -> int:
    """Business support (or the social worker) reminds the setting that its sections are waiting.
    Returns how many people were e-mailed."""
    if pep.setting_id is None:
        raise CaseworkRefusedError("This PEP has not been delegated to a setting yet")
    queued = notifications.queue_about_pep(pep, [Role.DESIGNATED_TEACHER], "chased")
    if not queued:
        raise CaseworkRefusedError(
            f"{pep.setting.name} has no designated teacher in PEP Portal to chase. Ask your authority's PEP "
            "Portal administrator to add one"
        )
    audit.record("pep.setting_chased", actor=actor, authority_id=pep.authority_id, subject=pep)
    db.session.commit()
    return len(queued)


def record_education_contact(actor: User, child: Child, contact_id: int | None) -> User | None:
    """Record who gives the education input for a child with no setting (or clear it)."""
    authority = db.session.get(Authority, child.authority_id)
    assert authority is not None
    if Role.EDUCATION_CONTACT not in config_for(authority).roles:
        raise CaseworkRefusedError(
            f"{authority.name}'s process has no education contacts", "education_contact"
        )
    contact = None
    if contact_id is not None:
        contact = next(
            (
                u
                for u in people.users_with_role(Role.EDUCATION_CONTACT, authority_id=authority.id)
                if u.id == contact_id
            ),
            None,
        )
        if contact is None:
            raise CaseworkRefusedError("Select someone from the list", "education_contact")
    child.education_contact = contact
    audit.record(
        "child.education_contact_recorded",
        actor=actor,
        authority_id=authority.id,
        subject=child,
        contact=contact.id if contact else None,
    )
    db.session.commit()
    return contact


def record_left_care(actor: User, child: Child, on: dt.date, reason: str) -> None:
    """Record the day the child stopped being looked after, and why: the termly cycle then starts no
    PEP for a term beginning on or after that day. Recording again corrects it (a new audit event)."""
    if on > clock.today():
        raise CaseworkRefusedError("The date they left care must be today or in the past", "left_care_on")
    if on < child.became_looked_after_on:
        raise CaseworkRefusedError(
            f"The date they left care must be on or after the date they became looked after, "
            f"{child.became_looked_after_on.day} {child.became_looked_after_on:%B %Y}",
            "left_care_on",
        )
    if reason not in LEFT_CARE_REASONS:
        raise CaseworkRefusedError("Select why they left care", "reason")
    correction = child.left_care_on is not None
    child.left_care_on, child.left_care_reason = on, reason
    # Field names only, as every audit event: the date and reason are on the child's record.
    audit.record(
        "child.left_care",
        actor=actor,
        authority_id=child.authority_id,
        subject=child,
        fields=["left_care_on", "left_care_reason"],
        correction=correction,
    )
    db.session.commit()
