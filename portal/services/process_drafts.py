"""An administrator's unpublished changes to their authority's process.

A draft is a whole configuration document. Every edit is applied to a copy and validated against
the same schema as the TOML files before it is kept, so a draft is always a process the engine
could run, the review page can always show its effect, and an edit the schema refuses leaves both
the draft and the live process as they were.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from portal.authorities.loader import AuthorityConfigError, parse_config
from portal.authorities.schema import AuthorityConfig
from portal.extensions import db
from portal.models import Authority, AuthorityConfigDraft, User
from portal.services import audit
from portal.services.authorities import canonical_document, content_hash

#: Where problems in a draft are said to be, in place of a file name.
DRAFT_SOURCE = "draft"

Document = dict[str, Any]


class DraftConflictError(Exception):
    """Someone else changed the draft since this page was loaded."""


@dataclass
class EditRefusedError(Exception):
    """The edit would make the process invalid; ``problems`` are the schema's messages."""

    problems: list[str] = field(default_factory=list)


def validate(document: Document) -> AuthorityConfig:
    """The configuration ``document`` describes; raises AuthorityConfigError with every problem,
    worded exactly as for an invalid TOML file (the source is named "draft")."""
    return parse_config(document, DRAFT_SOURCE)


def problems_of(document: Document) -> list[str]:
    try:
        validate(document)
    except AuthorityConfigError as error:
        return [p.removeprefix(f"{DRAFT_SOURCE}: ") for p in error.problems]
    return []


def draft_of(authority: Authority) -> AuthorityConfigDraft | None:
    return db.session.scalar(
        select(AuthorityConfigDraft).where(AuthorityConfigDraft.authority_id == authority.id)
    )


def open_draft(authority: Authority, user: User, *, commit: bool = True) -> AuthorityConfigDraft:
    """The authority's draft, started from the current version if there is none."""
    draft = draft_of(authority)
    if draft is not None:
        return draft
    current = authority.current_config_version
    assert current is not None
    draft = AuthorityConfigDraft(
        authority_id=authority.id,
        document=copy.deepcopy(current.document),
        based_on_version_id=current.id,
        updated_by_id=user.id,
    )
    db.session.add(draft)
    audit.record("process.draft_started", actor=user, authority_id=authority.id, version=current.version)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return draft


def lock_token(authority: Authority) -> str:
    """The draft's lock as a form carries it: its lock_version, or "new" while there is none."""
    draft = draft_of(authority)
    return str(draft.lock_version) if draft else "new"


def shown_document(authority: Authority) -> Document:
    """What the editors show: the draft, else the current version. Showing never makes a draft."""
    draft = draft_of(authority)
    if draft is not None:
        return draft.document
    assert authority.current_config_version is not None
    return authority.current_config_version.document


def edit_draft(
    authority: Authority,
    user: User,
    change: Callable[[Document], None],
    *,
    what: str,
    lock: str | None,
) -> AuthorityConfigDraft:
    """Apply ``change`` to a copy of the draft (or of the current version) and keep it only if the
    result is valid; a refused edit starts no draft.

    ``what`` names the edit in the audit trail (e.g. "deadline setting_completes"). ``lock`` is the
    lock_token the form carried when it was shown: an edit made on top of someone else's newer
    change is refused rather than silently undoing it.
    """
    if (lock or "") != lock_token(authority):
        raise DraftConflictError
    document = copy.deepcopy(shown_document(authority))
    change(document)
    problems = problems_of(document)
    if problems:
        raise EditRefusedError(problems)
    return _store(open_draft(authority, user, commit=False), document, user, what)


def replace_draft(
    authority: Authority, user: User, config: AuthorityConfig, *, what: str
) -> AuthorityConfigDraft:
    """Make an already validated configuration (an imported file, an earlier version) the draft."""
    return _store(open_draft(authority, user, commit=False), canonical_document(config), user, what)


def _store(draft: AuthorityConfigDraft, document: Document, user: User, what: str) -> AuthorityConfigDraft:
    # Round-trip through the schema so the draft holds the canonical form (defaults filled in),
    # which keeps diffs to what the administrator actually changed.
    draft.document = canonical_document(validate(document))
    draft.updated_by_id = user.id
    audit.record(
        "process.draft_edited", actor=user, authority_id=draft.authority_id, subject=draft, edit=what
    )
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise DraftConflictError from None
    return draft


def discard_draft(authority: Authority, user: User) -> bool:
    draft = draft_of(authority)
    if draft is None:
        return False
    db.session.delete(draft)
    audit.record("process.draft_discarded", actor=user, authority_id=authority.id)
    db.session.commit()
    return True


def is_unchanged(authority: Authority, draft: AuthorityConfigDraft) -> bool:
    current = authority.current_config_version
    return current is not None and content_hash(draft.document) == current.content_hash
