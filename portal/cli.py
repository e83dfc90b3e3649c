"""Command-line tasks: ``flask authorities ...``, ``flask peps termly-cycle``, ``flask notifications ...``
and ``flask demo load``."""

from __future__ import annotations

import datetime as dt
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.authorities import describe, engine
from portal.authorities.engine import PepFacts
from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import PepKind
from portal.services import authorities as authority_service

authorities_cli = AppGroup("authorities", help="Authority process configuration.")
demo_cli = AppGroup("demo", help="Demo data for development and demonstrations.")


@authorities_cli.command("check")
def check_authorities() -> None:
    """Validate every authority file and summarise each process.

    Loading the app already validated the files: an invalid one stops before this runs, with the
    file and field named.
    """
    for slug, item in sorted(current_app.extensions["authority_files"].items()):
        click.echo(f"valid: {describe.summary(slug, item.config)}")


@authorities_cli.command("show")
@click.argument("slug")
def show_authority(slug: str) -> None:
    """Print an authority's steps, owners and deadlines."""
    click.echo(describe.describe(_loaded_config(slug)))


@click.command("pep-deadlines")
@click.argument("slug")
@click.option("--looked-after-on", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--emergency", is_flag=True, help="The child was placed in an emergency.")
@click.option("--meeting-on", type=click.DateTime(["%Y-%m-%d"]), help="The date of the PEP meeting.")
def pep_deadlines(
    slug: str, looked_after_on: dt.datetime, emergency: bool, meeting_on: dt.datetime | None
) -> None:
    """Print every deadline of an initial PEP for a child who became looked after on a date."""
    config = _loaded_config(slug)
    start = looked_after_on.date()
    term = config.work_calendar.current_term(start)
    if term is None:
        raise click.ClickException(f"{slug} has no term dates for {start.isoformat()}")
    facts = PepFacts(
        kind=PepKind.INITIAL,
        state=config.initial_step.key,
        phase=next(iter(config.phases)),
        academic_year=term.academic_year,
        term=term.term,
        meeting_date=meeting_on.date() if meeting_on else None,
        became_looked_after_on=start,
        emergency_placement=emergency,
        has_setting=True,
        steps_entered={config.initial_step.key: start},
        today=start,
    )
    click.echo(describe.describe_dues(engine.deadlines(config, facts)))


def _loaded_config(slug: str) -> AuthorityConfig:
    loaded = current_app.extensions["authority_files"].get(slug)
    if loaded is None:
        known = ", ".join(sorted(current_app.extensions["authority_files"]))
        raise click.ClickException(f"no authority called {slug!r}; known: {known}")
    return loaded.config


@authorities_cli.command("sync")
def sync_authorities() -> None:
    """Record each authority file as a configuration version where it changed."""
    changes = authority_service.sync_from_files(current_app.extensions["authority_files"])
    click.echo("\n".join(changes) if changes else "All authorities up to date.")


@demo_cli.command("load")
def load_demo() -> None:
    """Load demo people, settings, children and PEPs for every authority (safe to repeat)."""
    from portal.services.demo import DEMO_PASSWORD, load_demo_data

    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException("Demo data is not loaded into a production portal.")
    authority_service.sync_from_files(current_app.extensions["authority_files"])
    count = load_demo_data()
    click.echo(f"Demo data ready for {count} authorities. Every demo login's password: {DEMO_PASSWORD}")


notifications_cli = AppGroup("notifications", help="E-mail: the outbox and its delivery.")


@notifications_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep sending, checking the outbox every --interval seconds.")
@click.option("--interval", default=10, show_default=True, help="Seconds between checks with --loop.")
def send_notifications(loop: bool, interval: int) -> None:
    """Deliver every e-mail that is due; safe to run as often as a scheduler likes."""
    from portal.services.mailer import configured_transport, deliver_due

    transport = configured_transport()
    while True:
        report = deliver_due(transport)
        if report.sent or report.failed or not loop:
            click.echo(f"sent {report.sent}, failed {report.failed} (will retry)")
        if not loop:
            return
        time.sleep(interval)


peps_cli = AppGroup("peps", help="The PEPs of every authority.")


@peps_cli.command("termly-cycle")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Run as if on this date (default: today).")
def termly_cycle(today: dt.datetime | None) -> None:
    """Start the term's PEPs for every looked-after child due one; safe to run daily."""
    from portal import clock
    from portal.services import termly_cycle

    result = termly_cycle.run(today.date() if today else clock.today())
    for name, (term, count) in result.started.items():
        click.echo(f"{name}: {count} PEP{'' if count == 1 else 's'} started for {term}")
    if not result.started:
        click.echo("No authority is in term on that date: nothing to start.")


@notifications_cli.command("remind")
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The date in England to work out what is due on (default: today).",
)
def remind_notifications(today: dt.datetime | None) -> None:
    """Queue the reminders, overdue notices and weekly digests due today; never the same one twice.

    Safe to run as often as a scheduler likes (daily or hourly); `flask notifications send` then
    delivers what was queued.
    """
    from portal import clock
    from portal.services.reminders import remind

    result = remind(today.date() if today else clock.today())
    click.echo(result.summary())
    if result.closed:
        click.echo(f"Not a working day for {', '.join(result.closed)}: nothing queued for them today.")


def init_app(app: Flask) -> None:
    app.cli.add_command(peps_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(authorities_cli)
    app.cli.add_command(pep_deadlines)
    app.cli.add_command(demo_cli)
