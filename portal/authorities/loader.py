"""Load and validate authority configuration files.

Start-up refuses to continue on any invalid file: a portal that ran a child's PEP under a half-read
process would be worse than one that does not start. Every problem is reported with the file and
the field path, so the person who edited the file can find the mistake without reading a traceback.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from portal.authorities.schema import SLUG_PATTERN, AuthorityConfig


class AuthorityConfigError(Exception):
    """One or more authority files are invalid; ``problems`` holds one line per mistake."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Invalid authority configuration:\n" + "\n".join(problems))


def format_location(location: tuple[Any, ...]) -> str:
    """Turn pydantic's location tuple into ``phases.primary.sections[2]``."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


#: A message that starts with its own field path, e.g. "transitions[2] (submit): no step ...".
_PATH_PREFIX = re.compile(r"^(?P<path>[a-z_][\w.\[\]]*(?: \([^)]*\))?): (?P<rest>.*)$", re.S)


def _join(location: str, message: str) -> str:
    """Combine pydantic's location with a path given in the message itself."""
    match = _PATH_PREFIX.match(message)
    if match and location:
        return f"{location}.{match['path']}: {match['rest']}"
    return f"{location}: {message}" if location else message


def _validation_problems(source: str, error: ValidationError) -> list[str]:
    problems = []
    for detail in error.errors():
        # Drop pydantic's internal step names (e.g. "function-after[...]") from the path.
        location = tuple(p for p in detail["loc"] if not str(p).startswith("function-"))
        message = detail["msg"].removeprefix("Value error, ")
        # Whole-document checks report several problems at once, one per line.
        for line in message.splitlines():
            problems.append(f"{source}: {_join(format_location(location), line)}")
    return problems


def parse_config(document: dict[str, Any], source: str) -> AuthorityConfig:
    """Validate one configuration document; ``source`` names it in error messages."""
    try:
        return AuthorityConfig.model_validate(document)
    except ValidationError as error:
        raise AuthorityConfigError(_validation_problems(source, error)) from None


@dataclass(frozen=True)
class LoadedAuthority:
    slug: str
    path: Path
    config: AuthorityConfig


def load_file(path: Path) -> LoadedAuthority:
    slug = path.stem
    if not SLUG_PATTERN.match(slug):
        raise AuthorityConfigError(
            [f"{path}: file name must be the authority's slug: lower-case words joined by hyphens"]
        )
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise AuthorityConfigError([f"{path}: not valid TOML: {error}"]) from None
    except UnicodeDecodeError:
        raise AuthorityConfigError([f"{path}: not UTF-8 text"]) from None
    return LoadedAuthority(slug=slug, path=path, config=parse_config(document, str(path)))


def load_directory(directory: Path) -> dict[str, LoadedAuthority]:
    """Load every ``*.toml`` in ``directory``, reporting all invalid files at once."""
    if not directory.is_dir():
        raise AuthorityConfigError([f"{directory}: authority configuration folder not found"])
    loaded: dict[str, LoadedAuthority] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.toml")):
        try:
            authority = load_file(path)
        except AuthorityConfigError as error:
            problems.extend(error.problems)
            continue
        loaded[authority.slug] = authority
    if not loaded and not problems:
        problems.append(f"{directory}: no authority files (*.toml) found")
    if problems:
        raise AuthorityConfigError(problems)
    return loaded
