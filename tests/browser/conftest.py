"""Browser tests: Debian's Chromium driven by Playwright against the app served on loopback.

Never ``playwright install``: it downloads browsers. The dead proxy stops Chromium's background
calls to outside hosts while loopback pages load directly (see shared/design/stack.md).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from portal.services.authorities import sync_from_files
from portal.services.demo import load_demo_data
from tests.conftest import empty_database

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=127.0.0.1:9",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, object]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is not installed: run scripts/setup.sh test")
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def demo_world(app: Flask) -> None:
    """The demo data, loaded once for a module whose tests only read it."""
    with app.app_context():
        empty_database()
        sync_from_files(app.extensions["authority_files"])
        load_demo_data()
