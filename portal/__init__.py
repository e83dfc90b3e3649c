"""PEP Portal: Personal Education Plans for looked-after children, for several authorities."""

from __future__ import annotations

from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the application. Wiring only: every piece it calls is importable without side effects.

    The authority files are loaded and validated here, so an invalid file stops start-up with a
    message naming the file and the field.
    """
    from portal import cli, database, security, templating
    from portal.authorities.loader import load_directory
    from portal.blueprints import register_blueprints
    from portal.converters import AuthorityConverter
    from portal.extensions import csrf, db, htmx, login_manager, migrate
    from portal.models.types import render_migration_item
    from portal.requests import PortalRequest
    from portal.settings import PROJECT_ROOT, load_settings

    settings = load_settings()
    app = Flask(__name__, static_folder=None)
    app.request_class = PortalRequest
    app.config.from_mapping(settings.flask_config())
    app.config.from_mapping(overrides or {})
    if proxy_hops := int(app.config.get("PROXY_HOPS", 0)):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxy_hops, x_proto=proxy_hops)  # type: ignore[method-assign]

    app.extensions["authority_files"] = load_directory(app.config["AUTHORITY_CONFIG_DIR"])

    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("portal"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.url_map.converters["authority"] = AuthorityConverter

    database.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_item=render_migration_item)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)

    security.init_app(app)
    templating.init_app(app)
    register_blueprints(app)
    cli.init_app(app)
    return app
