"""Built front-end assets (GOV.UK Frontend CSS and JS, htmx), served at /assets."""

from flask import Blueprint, send_from_directory
from flask.typing import ResponseReturnValue

from portal import access
from portal.settings import PROJECT_ROOT

ASSET_DIR = PROJECT_ROOT / "portal" / "static"

bp = Blueprint("assets", __name__)


@bp.get("/assets/<path:filename>")
@access.public
def asset(filename: str) -> ResponseReturnValue:
    return send_from_directory(ASSET_DIR, filename, max_age=3600)


@bp.get("/healthz")
@access.public
def health() -> ResponseReturnValue:
    """For load balancers: says the process is up, and nothing else."""
    return {"status": "ok"}
