"""Browser tests: Debian's Chromium driven by Playwright against the app served on 127.0.0.1.

One browser and one live server (on its own SQLite file) per test module; a fresh browser
context (cookies, storage, service workers) per test.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from werkzeug.serving import make_server

from tests.browser.helpers import LiveServer

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying to reach Google's hosts,
# which this closed network refuses.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
DEFAULT_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item, not only the ones below this folder.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


def _launch(pw: Playwright, extra_args: tuple[str, ...] = ()) -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make install-test` (it installs Debian's chromium). "
            "Never `playwright install`: its browser download fails here.",
            pytrace=False,
        )
    return pw.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_ARGS, *extra_args]
    )


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless Chromium shared by the tests of a module."""
    browser = _launch(playwright)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def launch_chromium(playwright: Playwright) -> Iterator[Callable[..., Browser]]:
    """Launch a browser of the test's own, with extra flags (e.g. ``fake_camera_args``).

    Closed after the test. Needed where a flag is fixed per browser process, like the fake
    camera's video file.
    """
    launched: list[Browser] = []

    def launch(*extra_args: str) -> Browser:
        browser = _launch(playwright, extra_args)
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app with the migrated schema on a fresh SQLite file, served on a free port."""
    from flask_migrate import upgrade

    from checkin import create_app
    from checkin.extensions import db

    base = tmp_path_factory.mktemp("live-server")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'checkin.sqlite'}",
            "INSTANCE_PATH": str(base / "instance"),
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()


def _page(browser: Browser, **context_options) -> Iterator[Page]:
    context = browser.new_context(**context_options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """A resident's phone: 390x844, touch, Danish."""
    yield from _page(
        browser,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="da-DK",
        timezone_id="Europe/Copenhagen",
    )


@pytest.fixture
def tablet_page(browser: Browser) -> Iterator[Page]:
    """The volunteer's tablet at the door: 1024x768 landscape, touch."""
    yield from _page(
        browser,
        viewport={"width": 1024, "height": 768},
        has_touch=True,
        locale="da-DK",
        timezone_id="Europe/Copenhagen",
    )
