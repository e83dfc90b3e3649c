"""A new authority, created by a platform administrator from another authority's process.

Starting from a working process is how councils adopt the portal: they copy a neighbour's, then
change what differs through the process pages. The copy is validated like any version, and its
first version records where it came from.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from sqlalchemy import func, select

from portal.authorities.loader import AuthorityConfigError, parse_config
from portal.authorities.schema import SLUG_PATTERN
from portal.extensions import db
from portal.models import Authority, User
from portal.services import audit
from portal.services.authorities import add_version, canonical_document


@dataclass(frozen=True)
class NewAuthority:
    slug: str
    name: str
    short_name: str
    virtual_school_name: str
    contact_email: str


class AuthorityRefusedError(Exception):
    """``problems`` maps a form field to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems.values()))


#: Schema fields of the authority's identity, by the form field that sets them.
IDENTITY_FIELDS = ("name", "short_name", "virtual_school_name", "contact_email")


def create_from_template(user: User, template: Authority, new: NewAuthority) -> Authority:
    """Create the authority with version 1 = the template's current process under the new identity."""
    problems: dict[str, str] = {}
    if not SLUG_PATTERN.match(new.slug):
        problems["slug"] = (
            "Enter a web address name of lower-case letters and numbers, with hyphens between words"
        )
    elif db.session.scalar(select(func.count()).where(Authority.slug == new.slug)):
        problems["slug"] = f"An authority called ‘{new.slug}’ already exists"
    if db.session.scalar(select(func.count()).where(func.lower(Authority.name) == new.name.lower())):
        problems["name"] = f"An authority named ‘{new.name}’ already exists"
    assert template.current_config_version is not None
    document = copy.deepcopy(template.current_config_version.document)
    document["authority"].update({field: getattr(new, field) for field in IDENTITY_FIELDS})
    document["authority"]["sources"] = []
    document["authority"]["example"] = False
    try:
        config = parse_config(document, "new authority")
    except AuthorityConfigError as error:
        for problem in error.problems:
            field = next((f for f in IDENTITY_FIELDS if f".{f}:" in problem), "name")
            problems.setdefault(field, problem.removeprefix("new authority: "))
    if problems:
        raise AuthorityRefusedError(problems)

    authority = Authority(slug=new.slug, name=new.name)
    db.session.add(authority)
    db.session.flush()
    add_version(
        authority,
        canonical_document(config),
        source="template",
        created_by_id=user.id,
        note=f"Created from {template.name}'s process (version {template.current_config_version.version})",
    )
    audit.record(
        "authority.created",
        actor=user,
        authority_id=authority.id,
        subject=authority,
        template=template.slug,
        template_version=template.current_config_version.version,
    )
    db.session.commit()
    return authority
