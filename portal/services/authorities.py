"""Authorities and the versions of their process configuration held in the database."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select

from portal.authorities.loader import LoadedAuthority, parse_config
from portal.authorities.schema import AuthorityConfig
from portal.extensions import db
from portal.models import Authority, AuthorityConfigVersion


def canonical_document(config: AuthorityConfig) -> dict[str, Any]:
    return config.model_dump(mode="json")


def content_hash(document: dict[str, Any]) -> str:
    encoded = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


#: Parsed configurations by content hash. Versions never change, so a hash always means the same
#: configuration; each is read from the database and validated once per process.
_parsed: dict[str, AuthorityConfig] = {}


def config_of_version(version: AuthorityConfigVersion) -> AuthorityConfig:
    """The validated configuration of a stored version (parsed once per process, by content)."""
    config = _parsed.get(version.content_hash)
    if config is None:
        config = parse_config(version.document, source=f"stored configuration {version.content_hash[:12]}")
        _parsed[version.content_hash] = config
    return config


def config_for(authority: Authority) -> AuthorityConfig:
    """The configuration new work in ``authority`` runs under."""
    if authority.current_config_version is None:
        raise LookupError(f"authority {authority.slug} has no configuration; run flask authorities sync")
    return config_of_version(authority.current_config_version)


def sync_from_files(loaded: dict[str, LoadedAuthority]) -> list[str]:
    """Create authorities and record a new configuration version wherever a file changed.

    Idempotent: an unchanged file adds nothing, and does not undo what administrators published
    in the portal since. Returns one line per change, for the CLI.
    """
    changes = []
    for slug, item in sorted(loaded.items()):
        document = canonical_document(item.config)
        digest = content_hash(document)
        authority = db.session.scalar(select(Authority).where(Authority.slug == slug))
        if authority is None:
            authority = Authority(slug=slug, name=item.config.authority.name)
            db.session.add(authority)
            db.session.flush()
            changes.append(f"created authority {slug}")
        authority.name = item.config.authority.name
        # Compared with the last version read from the file, not the current one: a version an
        # administrator published in the portal stays current until the file itself changes.
        last_from_file = db.session.scalar(
            select(AuthorityConfigVersion)
            .where(
                AuthorityConfigVersion.authority_id == authority.id, AuthorityConfigVersion.source == "file"
            )
            .order_by(AuthorityConfigVersion.version.desc())
            .limit(1)
        )
        if last_from_file is not None and last_from_file.content_hash == digest:
            continue
        version = add_version(authority, document, source="file")
        changes.append(f"{slug}: configuration version {version.version} from {item.path.name}")
    db.session.commit()
    return changes


def add_version(
    authority: Authority,
    document: dict[str, Any],
    *,
    source: str,
    created_by_id: int | None = None,
    note: str = "",
) -> AuthorityConfigVersion:
    """Record a canonical configuration document as the authority's next version and make it the
    one new PEPs start under. The one place versions are numbered (files, publications, roll-backs
    and new authorities all come through here)."""
    latest = db.session.scalar(
        select(func.max(AuthorityConfigVersion.version)).where(
            AuthorityConfigVersion.authority_id == authority.id
        )
    )
    version = AuthorityConfigVersion(
        authority_id=authority.id,
        version=(latest or 0) + 1,
        document=document,
        content_hash=content_hash(document),
        source=source,
        created_by_id=created_by_id,
        note=note.strip(),
    )
    db.session.add(version)
    db.session.flush()
    authority.current_config_version = version
    return version


def all_authorities() -> list[Authority]:
    return list(db.session.scalars(select(Authority).order_by(Authority.name)))
