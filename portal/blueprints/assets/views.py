"""Pages about the service itself, and its built front-end assets (served at /assets)."""

from flask import Blueprint, render_template, send_from_directory
from flask.typing import ResponseReturnValue

from portal import access
from portal.settings import PROJECT_ROOT

ASSET_DIR = PROJECT_ROOT / "portal" / "static"

bp = Blueprint("assets", __name__)


@bp.get("/assets/<path:filename>")
@access.public
def asset(filename: str) -> ResponseReturnValue:
    return send_from_directory(ASSET_DIR, filename, max_age=3600)


@bp.get("/accessibility")
@access.public
def accessibility() -> ResponseReturnValue:
    """The accessibility statement; it also serves the benchmark as a page that does no database work."""
    return render_template("pages/accessibility.html")


@bp.get("/healthz")
@access.public
def health() -> ResponseReturnValue:
    """For load balancers: says the process is up, and nothing else."""
    return {"status": "ok"}
