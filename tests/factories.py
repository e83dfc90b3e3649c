"""Small builders for test data. The password is hashed once: argon2 is slow on purpose."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from functools import cache

from flask.testing import FlaskClient

from portal.authorities.schema import Role, Term
from portal.extensions import db
from portal.models import (
    Authority,
    Child,
    EducationSetting,
    Membership,
    Pep,
    PepKind,
    SettingType,
    User,
)
from portal.passwords import hash_password

PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


def make_user(
    name: str = "Test User",
    *,
    email: str | None = None,
    roles: list[tuple[Role, Authority | EducationSetting]] = (),  # type: ignore[assignment]
) -> User:
    number = next(_sequence)
    user = User(email=email or f"user{number}@test.example", full_name=name, password_hash=password_hash())
    for role, place in roles:
        if isinstance(place, Authority):
            user.memberships.append(Membership(role=role, authority_id=place.id))
        else:
            user.memberships.append(Membership(role=role, setting_id=place.id))
    db.session.add(user)
    db.session.commit()
    return user


def make_setting(
    name: str = "Test School", setting_type: SettingType = SettingType.SECONDARY
) -> EducationSetting:
    setting = EducationSetting(urn=f"{800000 + next(_sequence)}", name=name, setting_type=setting_type)
    db.session.add(setting)
    db.session.commit()
    return setting


def make_child(
    authority: Authority,
    first_name: str,
    last_name: str = "Testchild",
    *,
    social_worker: User | None = None,
    setting: EducationSetting | None = None,
    date_of_birth: dt.date = dt.date(2014, 3, 1),
) -> Child:
    child = Child(
        authority_id=authority.id,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        became_looked_after_on=dt.date(2026, 9, 1),
        current_setting=setting,
        social_worker_id=social_worker.id if social_worker else None,
        case_reference=f"T-{next(_sequence)}",
    )
    db.session.add(child)
    db.session.commit()
    return child


def make_pep(
    child: Child,
    *,
    state: str | None = None,
    setting: EducationSetting | None = None,
    academic_year: int = 2026,
    term: Term = Term.AUTUMN,
    kind: PepKind = PepKind.TERMLY_REVIEW,
    meeting_date: dt.date | None = None,
) -> Pep:
    authority = db.session.get(Authority, child.authority_id)
    assert authority is not None and authority.current_config_version is not None
    from portal.services.authorities import config_for

    pep = Pep(
        authority_id=authority.id,
        child_id=child.id,
        setting_id=setting.id if setting else None,
        academic_year=academic_year,
        term=term,
        kind=kind,
        phase="secondary",
        state=state or config_for(authority).initial_step.key,
        meeting_date=meeting_date,
        config_version_id=authority.current_config_version_id,
    )
    db.session.add(pep)
    db.session.commit()
    return pep


CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, **kwargs: object):
    """Sign in through the real form (with its CSRF token), returning the response to the post."""
    token = csrf_token(client.get("/sign-in").text)
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token}, **kwargs)
