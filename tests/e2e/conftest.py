"""Real-browser tests: the app served on loopback, driven by Chromium through Playwright.

Every test in this folder is marked `e2e` and runs on SQLite only. The browser is the
system's Chromium (CCHC_CHROMIUM overrides the path); a missing browser fails the tests.
A test also fails when the page logs a JavaScript error or a Content-Security-Policy
violation, or when the server raised while answering it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask, got_request_exception
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, sync_playwright
from werkzeug.serving import make_server

HERE = Path(__file__).resolve().parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


def pytest_collection_modifyitems(config, items) -> None:
    """Mark every test of this folder as e2e."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(params=["sqlite"])
def backend(request) -> str:
    """Browser tests run on SQLite only."""
    return request.param


@dataclass
class LiveServer:
    """The application answering HTTP on a loopback port."""

    app: Flask
    url: str
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    """Serve the test application from a background thread on 127.0.0.1."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    live = LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")

    def note_exception(sender, exception, **extra) -> None:
        live.errors.append(f"{type(exception).__name__}: {exception}")

    got_request_exception.connect(note_exception, app)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield live
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        got_request_exception.disconnect(note_exception, app)
    assert live.errors == [], f"the server raised while serving the test: {live.errors}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run."""
    executable = os.environ.get("CCHC_CHROMIUM", DEFAULT_CHROMIUM)
    if not Path(executable).is_file():
        pytest.fail(
            f"Chromium not found at {executable}. Install it (apt-get install -y chromium) "
            "or point CCHC_CHROMIUM at a Chromium or Chrome binary.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        except Error as exc:
            pytest.fail(f"Chromium at {executable} did not start: {exc}", pytrace=False)
        yield chromium
        chromium.close()


class BrowserPages:
    """Pages opened on the live server, with every console problem they report."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.problems: list[str] = []
        self._contexts = []

    def open(self, viewport: dict | None = None, *, javascript: bool = True) -> Page:
        """A new page (in its own browser context, so its own cookies) at viewport's size.

        javascript=False: a browser with scripts turned off (the pages must work without).
        """
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport=viewport or DESKTOP,
            locale="vi-VN",
            java_script_enabled=javascript,
        )
        context.set_default_timeout(10_000)
        self._contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: self._console(page, msg))
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc} ({page.url})"))
        return page

    def _console(self, page: Page, message: ConsoleMessage) -> None:
        text = message.text
        if message.type == "error" or "Content Security Policy" in text or "Refused to" in text:
            self.problems.append(f"console {message.type}: {text} ({page.url})")

    def close(self) -> None:
        """Close every context opened."""
        for context in self._contexts:
            context.close()


@pytest.fixture
def browser_pages(browser, live_server) -> Iterator[BrowserPages]:
    """Open pages on the live server; the test fails if any logs an error or CSP violation."""
    pages = BrowserPages(browser, live_server.url)
    yield pages
    pages.close()
    assert pages.problems == [], "the browser reported errors:\n" + "\n".join(pages.problems)


@pytest.fixture
def page(browser_pages) -> Page:
    """A desktop-sized page on the live server."""
    return browser_pages.open()
