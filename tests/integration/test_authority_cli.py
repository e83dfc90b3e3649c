"""The administrators' command line: check, show and pep-deadlines."""

from __future__ import annotations

from flask import Flask


def run(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_check_summarises_every_process(app: Flask) -> None:
    output = run(app, "authorities", "check")
    for slug in ("cheshire-west-and-chester", "lancashire", "bradford", "example-borough"):
        assert f"valid: {slug}:" in output
    assert "PP+ £550.00 a term" in output  # Lancashire
    assert "QA of a sample" in output and "QA of every PEP" in output


def test_show_prints_steps_owners_and_deadlines(app: Flask) -> None:
    output = run(app, "authorities", "show", "example-borough")
    assert "SW: click when complete" in output
    assert (
        "Steps:" in output and "Sections (owner; mandatory questions):" in output and "Deadlines:" in output
    )


def test_show_refuses_an_unknown_authority(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["authorities", "show", "atlantis"])
    assert result.exit_code != 0 and "no authority called 'atlantis'" in result.output


def test_pep_deadlines_across_christmas(app: Flask) -> None:
    output = run(app, "pep-deadlines", "lancashire", "--looked-after-on", "2026-12-10")
    # 20 working days after Thursday 10 December 2026, skipping Christmas, Boxing Day (observed
    # Monday 28th) and New Year's Day.
    assert "Tue 12 Jan 2027" in output
    emergency = run(app, "pep-deadlines", "lancashire", "--looked-after-on", "2026-12-10", "--emergency")
    # 10 working days after 10 December: 11, 14-18, 21-24 December.
    assert "Thu 24 Dec 2026" in emergency
