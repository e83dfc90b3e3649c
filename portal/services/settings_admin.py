"""The administrator's settings (schools, nurseries, colleges): the ones their authority's children
attend, searching every setting, adding one and correcting its details.

Settings are shared: every authority placing a child at a school sees the same record. So an
authority may change only a setting where it has a child, or one no authority uses yet; another
authority's school is theirs to correct.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from portal.extensions import db
from portal.models import Authority, Child, EducationSetting, SettingType, User
from portal.services import audit
from portal.services.paging import Page, paginate

URN_PATTERN = re.compile(r"^\d{6}$")


class SettingRefusedError(Exception):
    """Nothing was saved; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class SettingDetails:
    urn: str
    name: str
    setting_type: SettingType
    local_authority_area: str

    def cleaned(self) -> SettingDetails:
        return SettingDetails(
            urn=self.urn.strip(),
            name=" ".join(self.name.split()),
            setting_type=self.setting_type,
            local_authority_area=" ".join(self.local_authority_area.split()),
        )


def settings_page(authority: Authority, *, page: int, search: str = "") -> Page[tuple[EducationSetting, int]]:
    """With no search, the settings the authority's children attend; with one, every setting whose
    name or URN matches. Each comes with the number of the authority's children there, counted
    in the same query (two queries a page, whatever the number of settings)."""
    counts = (
        select(Child.current_setting_id.label("setting_id"), func.count(Child.id).label("children"))
        .where(Child.authority_id == authority.id, Child.current_setting_id.is_not(None))
        .group_by(Child.current_setting_id)
        .subquery()
    )
    children = func.coalesce(counts.c.children, 0)
    statement = select(EducationSetting, children).outerjoin(
        counts, counts.c.setting_id == EducationSetting.id
    )
    search = search.strip()
    if search:
        pattern = f"%{search.lower()}%"
        statement = statement.where(
            or_(func.lower(EducationSetting.name).like(pattern), EducationSetting.urn == search)
        )
    else:
        statement = statement.where(counts.c.children > 0)
    statement = statement.order_by(EducationSetting.name, EducationSetting.id)
    return paginate(statement, page, scalars=False)


def authorities_using(setting_ids: Iterable[int]) -> dict[int, set[int]]:
    """Setting id -> ids of the authorities with a child there, for many settings in one query."""
    ids = set(setting_ids)
    used: dict[int, set[int]] = {i: set() for i in ids}
    if not ids:
        return used
    rows = db.session.execute(
        select(Child.current_setting_id, Child.authority_id)
        .where(Child.current_setting_id.in_(ids))
        .distinct()
    )
    for setting_id, authority_id in rows:
        used[setting_id].add(authority_id)
    return used


def may_edit(authority: Authority, users: set[int]) -> bool:
    """``users``: the authorities with a child at the setting."""
    return not users or authority.id in users


def refusal_to_edit(setting: EducationSetting) -> str:
    return (
        f"You cannot change {setting.name}'s details: only other authorities have children there, "
        "and they keep its record. Ask them to correct it"
    )


def editable(authority: Authority, setting: EducationSetting) -> bool:
    return may_edit(authority, authorities_using([setting.id])[setting.id])


def _check(details: SettingDetails, setting: EducationSetting | None) -> None:
    if details.urn and not URN_PATTERN.match(details.urn):
        raise SettingRefusedError("URN must be 6 digits, like 123456", "urn")
    if details.urn:
        holder = db.session.scalar(select(EducationSetting).where(EducationSetting.urn == details.urn))
        if holder is not None and holder is not setting:
            raise SettingRefusedError(
                f"URN {details.urn} is already {holder.name}'s. "
                f"Search for {holder.name} instead of adding it again",
                "urn",
            )
    if not details.name:
        raise SettingRefusedError("Enter the setting's name", "name")


def add_setting(actor: User, authority: Authority, details: SettingDetails) -> EducationSetting:
    details = details.cleaned()
    _check(details, None)
    setting = EducationSetting(
        urn=details.urn or None,
        name=details.name,
        setting_type=details.setting_type,
        local_authority_area=details.local_authority_area or None,
    )
    db.session.add(setting)
    db.session.flush()
    audit.record("setting.added", actor=actor, authority_id=authority.id, subject=setting)
    db.session.commit()
    return setting


def update_setting(
    actor: User, authority: Authority, setting: EducationSetting, details: SettingDetails
) -> list[str]:
    """Correct the setting's details; returns the names of the fields changed."""
    if not editable(authority, setting):
        raise SettingRefusedError(refusal_to_edit(setting))
    details = details.cleaned()
    _check(details, setting)
    wanted = {
        "urn": details.urn or None,
        "name": details.name,
        "setting_type": details.setting_type,
        "local_authority_area": details.local_authority_area or None,
    }
    changed = [field for field, value in wanted.items() if getattr(setting, field) != value]
    for field in changed:
        setattr(setting, field, wanted[field])
    if changed:
        audit.record(
            "setting.updated", actor=actor, authority_id=authority.id, subject=setting, fields=changed
        )
    db.session.commit()
    return changed
