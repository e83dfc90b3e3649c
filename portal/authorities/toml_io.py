"""An authority's process as a TOML file: written out for export, read back for import.

Export writes every value explicitly (defaults included, only unset values left out), so a file
means the same thing even if a later release changes a default. Reading goes through the same
validation as the files in ``config/authorities``, so an imported file gets the same messages.
"""

from __future__ import annotations

import datetime as dt
import tomllib

import tomli_w

from portal.authorities.loader import AuthorityConfigError, parse_config
from portal.authorities.schema import AuthorityConfig


def to_toml(config: AuthorityConfig, *, heading: str = "") -> str:
    """The configuration as TOML; ``heading`` becomes comment lines at the top."""
    document = config.model_dump(mode="python", by_alias=True, exclude_none=True)
    comments = "".join(f"# {line}\n" for line in heading.splitlines())
    return comments + tomli_w.dumps(document)


def from_toml(text: str, *, source: str) -> AuthorityConfig:
    """Parse and validate TOML text; every problem is reported as for an authority file."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AuthorityConfigError([f"{source}: not valid TOML: {error}"]) from None
    return parse_config(document, source)


def export_heading(name: str, version: int, published_on: dt.datetime) -> str:
    return (
        f"{name}: PEP process, version {version}, published {published_on:%Y-%m-%d %H:%M} UTC.\n"
        "Exported from PEP Portal. Import it into an authority, or put it in config/authorities/."
    )
