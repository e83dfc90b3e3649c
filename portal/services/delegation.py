"""A designated teacher hands part of a PEP to a colleague at the same setting, and takes it back."""

from __future__ import annotations

from sqlalchemy import select

from portal.authorities.vocabulary import Role
from portal.extensions import db
from portal.models import Pep, PepDelegation, User
from portal.models.types import utcnow
from portal.services import audit, notifications, people
from portal.services.pep_facts import config_of, roles_for_pep


class DelegationRefusedError(Exception):
    pass


def colleagues(pep: Pep) -> list[User]:
    """Staff of the PEP's setting a designated teacher may delegate to."""
    if pep.setting_id is None:
        return []
    return people.users_with_role(Role.SETTING_STAFF, setting_id=pep.setting_id)


def delegate(teacher: User, pep: Pep, colleague_id: int, section: str | None) -> PepDelegation:
    if Role.DESIGNATED_TEACHER not in roles_for_pep(teacher, pep):
        raise DelegationRefusedError("Only the setting's designated teacher can delegate this PEP")
    colleague = next((c for c in colleagues(pep) if c.id == colleague_id), None)
    if colleague is None:
        raise DelegationRefusedError("Select a colleague at your setting")
    config = config_of(pep)
    if section is not None and (
        section not in config.sections_for(pep.phase)
        or config.sections[section].owner is not Role.DESIGNATED_TEACHER
    ):
        raise DelegationRefusedError("Select one of your setting's sections, or the whole PEP")
    delegation = PepDelegation(
        pep_id=pep.id, section_key=section, delegate_id=colleague.id, delegated_by_id=teacher.id
    )
    db.session.add(delegation)
    db.session.flush()
    audit.record(
        "pep.delegated_to_colleague",
        actor=teacher,
        authority_id=pep.authority_id,
        subject=pep,
        delegate=colleague.id,
        section=section,
    )
    notifications.queue_for_users(pep, [colleague], "delegated")
    db.session.commit()
    return delegation


def revoke(teacher: User, pep: Pep, delegation_id: int) -> None:
    if Role.DESIGNATED_TEACHER not in roles_for_pep(teacher, pep):
        raise DelegationRefusedError("Only the setting's designated teacher can change delegation")
    delegation = db.session.scalar(
        select(PepDelegation).where(PepDelegation.id == delegation_id, PepDelegation.pep_id == pep.id)
    )
    if delegation is None or delegation.revoked_at is not None:
        raise DelegationRefusedError("That delegation has already ended")
    delegation.revoked_at = utcnow()
    audit.record(
        "pep.delegation_ended",
        actor=teacher,
        authority_id=pep.authority_id,
        subject=pep,
        delegate=delegation.delegate_id,
        section=delegation.section_key,
    )
    db.session.commit()
