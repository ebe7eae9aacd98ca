"""Real-browser test fixtures: Playwright driving Debian's Chromium, headless.

Registered in the root conftest.py. A browser test asks for ``page`` (which brings up
pytest-django's ``live_server``) and is marked ``@pytest.mark.browser``:

    @pytest.mark.browser
    def test_something(page):
        sign_in(page, "duty", DEMO_PASSWORD)
        screenshot(page, "home-duty")

The browser is never downloaded: it is the Debian package ``chromium`` (``.ci/run`` installs it),
or whatever ``CHROMIUM`` names. With GUIDE_SCREENSHOTS=1, screenshots land in ``docs/guide/img/``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1366, "height": 800}
# The guide's screenshots are refreshed on request (`GUIDE_SCREENSHOTS=1 ./test -m browser`), so an
# ordinary run does not rewrite committed images whose clocks and ids differ on every run.
if os.environ.get("GUIDE_SCREENSHOTS") == "1":
    SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "guide" / "img"
else:
    SCREENSHOTS = Path(tempfile.gettempdir()) / "zhengwei-screenshots"


@pytest.hookimpl(trylast=True)  # after pytest-django's own reordering
def pytest_collection_modifyitems(config, items):
    """Run browser tests last in each process.

    Playwright's sync API keeps an event loop alive in the test thread for the rest of the
    session, which would upset later tests that start one of their own; and the transactional
    database the live server needs flushes data that migrations seeded.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's package "
            "(apt-get install chromium) or set CHROMIUM to its path"
        )
    # Playwright loads only when a browser test runs, so the rest of the suite starts quickly.
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # While Playwright's event loop runs in this thread, Django (through asgiref) keeps its
    # database connections in a separate, async-context store: the test database's serialized
    # contents, which serialized rollback restores from, must be carried over to it.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    playwright = sync_playwright().start()
    try:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()
    finally:
        connections.close_all()  # the connections opened in that separate store
        playwright.stop()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    context = browser.new_context(
        base_url=live_server.url,
        viewport=VIEWPORT,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    refused: list[str] = []
    # The Content-Security-Policy (zhengwei/lib/headers.py) is enforced in every browser test:
    # an inline event handler, a script without the nonce or an eval fails the test that hit it.
    tab.on(
        "console",
        lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    try:
        yield tab
    finally:
        context.close()
    if refused:
        pytest.fail(
            "the page broke the Content-Security-Policy (no inline handlers, nonce on inline "
            "scripts, no eval; see zhengwei/lib/headers.py):\n" + "\n".join(refused[:5])
        )


def screenshot(page, name: str) -> Path:
    """Save what the page shows now as docs/guide/img/<name>.png (the guide embeds these)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False, animations="disabled", caret="hide")
    return path


def sign_in(page, username: str, password: str) -> None:
    """Fill the sign-in form and wait for the console home page."""
    page.goto("/signin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/signin/" not in url)


def sign_out(page) -> None:
    page.context.clear_cookies()


def simulator_as_wechat(settings, live_server, **limits) -> None:
    """Point the platform's WeChat calls at the simulator inside the live server and the
    simulator's callbacks back at the platform; phones answer at once (``limits`` are merged
    into SIMULATOR_LIMITS)."""
    settings.WECHAT_API_BASE = f"{live_server.url}/sim/api"
    settings.WECHAT_TOKEN_MODE = "stable"
    settings.SIMULATOR_ENABLED = True
    settings.SIMULATOR_CALLBACK_BASE = live_server.url
    settings.SIMULATOR_PUBLIC_URL = f"{live_server.url}/sim/"
    settings.SIMULATOR_LIMITS = {"phone": {"async": False, "poll_ms": 500}, **limits}
