"""Publishing a new version of an authority's process, rolling back, and moving open PEPs on.

A published version is never changed. New PEPs start under the authority's current version; a PEP
already in progress keeps the version it started under unless the administrator chooses, when
publishing, to move open PEPs on. Only PEPs whose step and template exist in the new version can
move: the others stay where they are and the review page says so before anything is published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from portal import clock
from portal.authorities.diff import Change, diff
from portal.authorities.schema import AuthorityConfig
from portal.extensions import db
from portal.models import Authority, AuthorityConfigVersion, Pep, User
from portal.services import audit
from portal.services.authorities import add_version, canonical_document, config_of_version, content_hash
from portal.services.process_drafts import draft_of, validate
from portal.services.workflow import refresh_deadlines


class PublishRefusedError(Exception):
    """Publishing cannot go ahead; the message says why in words the administrator can act on."""


@dataclass(frozen=True)
class OpenPepGroup:
    """Open PEPs in one step under one version, and whether they can move to the new version."""

    version: int
    state: str
    state_label: str
    count: int
    can_move: bool


@dataclass(frozen=True)
class Impact:
    groups: list[OpenPepGroup]

    @property
    def open_total(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def movable(self) -> int:
        return sum(g.count for g in self.groups if g.can_move)


def changes_since_current(authority: Authority, document: dict) -> list[Change]:
    current = authority.current_config_version
    assert current is not None
    return diff(current.document, document)


def impact(authority: Authority, new_config: AuthorityConfig) -> Impact:
    """The authority's open PEPs by version and step, and which of them could move to
    ``new_config`` (one grouped query, whatever the number of PEPs)."""
    rows = db.session.execute(
        select(
            AuthorityConfigVersion.version, Pep.config_version_id, Pep.state, Pep.phase, func.count(Pep.id)
        )
        .join(AuthorityConfigVersion, AuthorityConfigVersion.id == Pep.config_version_id)
        .where(Pep.authority_id == authority.id, Pep.finalised_at.is_(None))
        .group_by(AuthorityConfigVersion.version, Pep.config_version_id, Pep.state, Pep.phase)
        .order_by(AuthorityConfigVersion.version, Pep.state)
    ).all()
    groups: dict[tuple[int, str, bool], int] = {}
    labels: dict[tuple[int, str], str] = {}
    versions = {
        v.id: v
        for v in db.session.scalars(
            select(AuthorityConfigVersion).where(AuthorityConfigVersion.id.in_({row[1] for row in rows}))
        )
    }
    for version_number, version_id, state, phase, count in rows:
        step = new_config.step(state)
        can_move = step is not None and not step.final and phase in new_config.phases
        key = (version_number, state, can_move)
        groups[key] = groups.get(key, 0) + count
        labels[(version_number, state)] = config_of_version(versions[version_id]).step_label(state)
    return Impact(
        [
            OpenPepGroup(version, state, labels[(version, state)], count, can_move)
            for (version, state, can_move), count in groups.items()
        ]
    )


def publish(
    authority: Authority,
    user: User,
    *,
    note: str,
    move_open_peps: bool,
    today: dt.date | None = None,
) -> AuthorityConfigVersion:
    """Publish the authority's draft as its new current version, in one transaction."""
    draft = draft_of(authority)
    if draft is None:
        raise PublishRefusedError("There are no changes to publish.")
    if draft.based_on_version_id != authority.current_config_version_id:
        raise PublishRefusedError(
            "Another version was published after these changes were started. Discard the draft and "
            "make the changes again on the current version."
        )
    version = _record_version(authority, user, validate(draft.document), source="published", note=note)
    return _make_current(authority, user, version, move_open_peps=move_open_peps, today=today)


def roll_back(
    authority: Authority,
    user: User,
    to: AuthorityConfigVersion,
    *,
    note: str,
    move_open_peps: bool,
    today: dt.date | None = None,
) -> AuthorityConfigVersion:
    """Publish an earlier version's configuration again, as a new version: history is never rewritten."""
    if to.authority_id != authority.id:
        raise PublishRefusedError("That version belongs to another authority.")
    version = _record_version(
        authority,
        user,
        config_of_version(to),
        source="rollback",
        note=note or f"Rolled back to version {to.version}",
    )
    return _make_current(authority, user, version, move_open_peps=move_open_peps, today=today)


def _make_current(
    authority: Authority,
    user: User,
    version: AuthorityConfigVersion,
    *,
    move_open_peps: bool,
    today: dt.date | None,
) -> AuthorityConfigVersion:
    """Finish a publication: the draft goes (published, or based on a version no longer current,
    so it could only undo this one), open PEPs move on if asked, and all commits together."""
    draft = draft_of(authority)
    if draft is not None:
        db.session.delete(draft)
    if move_open_peps:
        _move_open_peps(authority, user, version, today or clock.today())
    db.session.commit()
    return version


def _record_version(
    authority: Authority, user: User | None, config: AuthorityConfig, *, source: str, note: str
) -> AuthorityConfigVersion:
    document = canonical_document(config)
    digest = content_hash(document)
    current = authority.current_config_version
    if current is not None and current.content_hash == digest:
        raise PublishRefusedError("This is the same as the current version: there is nothing to publish.")
    version = add_version(
        authority, document, source=source, created_by_id=user.id if user else None, note=note
    )
    changes = diff(current.document, document) if current is not None else []
    audit.record(
        f"process.{source}",
        actor=user,
        authority_id=authority.id,
        subject=version,
        version=version.version,
        previous=current.version if current else None,
        changes=len(changes),
    )
    return version


def _move_open_peps(
    authority: Authority, user: User, version: AuthorityConfigVersion, today: dt.date
) -> None:
    """Move every open PEP that can run under ``version`` onto it, recomputing its deadlines."""
    config = config_of_version(version)
    peps = db.session.scalars(
        select(Pep).where(
            Pep.authority_id == authority.id,
            Pep.finalised_at.is_(None),
            Pep.config_version_id != version.id,
        )
    ).all()
    moved = 0
    for pep in peps:
        step = config.step(pep.state)
        if step is None or step.final or pep.phase not in config.phases:
            continue
        pep.config_version_id = version.id
        pep.config_version = version
        refresh_deadlines(pep, today)
        moved += 1
    audit.record(
        "process.peps_moved",
        actor=user,
        authority_id=authority.id,
        subject=version,
        version=version.version,
        moved=moved,
        stayed=len(peps) - moved,
    )
