"""Authority files: the shipped four validate; each kind of mistake is named by file and field."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from portal import create_app
from portal.authorities.loader import AuthorityConfigError, load_directory
from portal.authorities.schema import Role
from portal.settings import PROJECT_ROOT

SHIPPED = PROJECT_ROOT / "config" / "authorities"
LANCASHIRE = (SHIPPED / "lancashire.toml").read_text()


def test_the_four_shipped_authorities_load() -> None:
    loaded = load_directory(SHIPPED)
    assert sorted(loaded) == [
        "bradford",
        "cheshire-west-and-chester",
        "example-borough",
        "lancashire",
    ]
    example = loaded["example-borough"].config.authority
    assert example.example and "example" in example.name.lower()


def test_business_support_only_where_the_process_has_it() -> None:
    loaded = load_directory(SHIPPED)
    with_support = {slug for slug, a in loaded.items() if Role.BUSINESS_SUPPORT in a.config.roles}
    assert with_support == {"cheshire-west-and-chester", "lancashire"}


def problems_for(tmp_path: Path, text: str, name: str = "lancashire.toml") -> list[str]:
    (tmp_path / name).write_text(text)
    with pytest.raises(AuthorityConfigError) as raised:
        load_directory(tmp_path)
    return raised.value.problems


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # A misspelt key is refused rather than ignored.
        (
            ("[authority]\n", "[authority]\nnmae = 'x'\n"),
            "lancashire.toml: authority.nmae: Extra inputs are not permitted",
        ),
        # A required field missing.
        (
            ("virtual_school_name", "# virtual_school_name"),
            "lancashire.toml: authority.virtual_school_name: Field required",
        ),
        # A role the portal does not know.
        (
            ("[roles.social_worker]", "[roles.social_wroker]"),
            "lancashire.toml: roles.social_wroker.[key]: Input should be",
        ),
        # A phase naming a section that does not exist.
        (
            ('sections = [\n  "personal_information",', 'sections = [\n  "no_such_section",'),
            "lancashire.toml: phases.early_years.sections[0]: no section called 'no_such_section'",
        ),
    ],
)
def test_mistakes_are_reported_with_file_and_field(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in LANCASHIRE, f"test fixture out of date: {old!r} not in lancashire.toml"
    problems = problems_for(tmp_path, LANCASHIRE.replace(old, new, 1))
    assert any(expected in p for p in problems), problems


def test_terms_out_of_order_name_the_academic_year(tmp_path: Path) -> None:
    text = LANCASHIRE.replace('term = "spring"', 'term = "summer"', 1)
    problems = problems_for(tmp_path, text)
    assert any("calendar.academic_years[0]" in p and "autumn, spring and summer" in p for p in problems), (
        problems
    )


def test_a_date_that_is_not_a_date(tmp_path: Path) -> None:
    text = LANCASHIRE.replace("starts = 20", 'starts = "the first Monday"\nxstarts = 20', 1)
    problems = problems_for(tmp_path, text)
    assert any("calendar.academic_years[0].terms[0].starts" in p for p in problems), problems


def test_broken_toml_gives_the_line(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, "[authority\nname = 1\n")
    assert problems[0].startswith(f"{tmp_path / 'lancashire.toml'}: not valid TOML")
    assert "line 1" in problems[0]


def test_a_file_name_that_is_not_a_slug(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, LANCASHIRE, name="Lancashire County.toml")
    assert "file name must be the authority's slug" in problems[0]


def test_every_bad_file_is_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "one.toml").write_text("schema_version = 1\n")
    problems = problems_for(tmp_path, "[authority\n", name="two.toml")
    assert any("one.toml" in p for p in problems) and any("two.toml" in p for p in problems)


def test_the_app_refuses_to_start_on_an_invalid_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(SHIPPED / "bradford.toml", tmp_path)
    (tmp_path / "lancashire.toml").write_text(
        LANCASHIRE.replace("[authority]\n", "[authority]\ncolour = 'red'\n")
    )
    monkeypatch.setenv("AUTHORITY_CONFIG_DIR", str(tmp_path))
    monkeypatch.setenv("PORTAL_ENV", "test")
    with pytest.raises(AuthorityConfigError, match=r"lancashire\.toml: authority\.colour"):
        create_app()


def test_the_command_line_says_what_is_wrong(tmp_path: Path) -> None:
    (tmp_path / "lancashire.toml").write_text(
        LANCASHIRE.replace("[authority]\n", "[authority]\ncolour = 'red'\n")
    )
    environment = dict(os.environ, AUTHORITY_CONFIG_DIR=str(tmp_path), PORTAL_ENV="test", FLASK_APP="portal")
    result = subprocess.run(
        [sys.executable, "-m", "flask", "authorities", "check"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert (
        "lancashire.toml: authority.colour: Extra inputs are not permitted" in result.stderr + result.stdout
    )
