"""Command-line tasks: ``flask authorities ...`` and ``flask demo load``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.services import authorities as authority_service

authorities_cli = AppGroup("authorities", help="Authority process configuration.")
demo_cli = AppGroup("demo", help="Demo data for development and demonstrations.")


@authorities_cli.command("check")
def check_authorities() -> None:
    """Validate config/authorities (create_app already refuses to start on an invalid file)."""
    for slug, item in sorted(current_app.extensions["authority_files"].items()):
        click.echo(f"{slug}: valid ({item.path})")


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
    click.echo(
        f"Demo data ready for {count} authorities. Every demo login's password: {DEMO_PASSWORD}"
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(authorities_cli)
    app.cli.add_command(demo_cli)
