"""Supporting an authority is a TOML file, never code: nothing in portal/ names one."""

from __future__ import annotations

import re

from portal.settings import PROJECT_ROOT

NAMES = re.compile(r"lancashire|bradford|cheshire|example[-_]borough", re.IGNORECASE)


def test_no_code_or_template_mentions_a_shipped_authority() -> None:
    offenders = []
    for path in (PROJECT_ROOT / "portal").rglob("*"):
        if path.suffix not in {".py", ".html", ".mjs", ".scss"} or "static" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if NAMES.search(line):
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{number}: {line.strip()}")
    # The demo catalogue names the slugs whose children each demo school has; that is data.
    offenders = [o for o in offenders if not o.startswith("portal/services/demo_catalogue.py")]
    assert offenders == []
