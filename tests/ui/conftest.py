"""Browser-test fixtures: Debian's Chromium through Playwright, and the real app on a free loopback port."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/install.sh --test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class LiveApp:
    url: str
    service: object
    out: Path  # where the test writes screenshots and downloads
    outside: list[str] = field(default_factory=list)  # any request a page made off the app's origin

    def login(self, browser, name: str, *, accept_downloads: bool = True, viewport: dict | None = None):
        """A new browser context logged in as `name` (1440x1000 unless `viewport` says); returns (context, page)."""
        context = browser.new_context(viewport=viewport or {"width": 1440, "height": 1000},
                                      accept_downloads=accept_downloads)
        origin = self.url.rstrip("/")
        context.on("request", lambda r: None if r.url.startswith((origin + "/", "data:", "blob:"))
                   else self.outside.append(r.url))
        page = context.new_page()
        page.goto(self.url)
        page.get_by_label("username").fill(name)
        page.get_by_label("password").fill(PASSWORD)
        page.get_by_role("button", name="Login").click()
        page.wait_for_selector("[data-testid=user]", timeout=30_000)
        return context, page


@pytest.fixture(scope="session")
def ui_cache_dir(tmp_path_factory) -> Path:
    """One model cache for the whole session: the tagger's e5 label vectors are computed once."""
    return tmp_path_factory.mktemp("ui-cache")


@pytest.fixture
def settings(tmp_path: Path, ui_cache_dir: Path):
    from adapt.settings import Settings

    return Settings(db_path=tmp_path / "adapt.db", cache_dir=ui_cache_dir, data_dir=tmp_path / "data", user="tester")


@pytest.fixture
def live_app(tmp_path: Path, settings) -> Iterator[LiveApp]:
    from adapt.service import AdaptService
    from ui.server import serve

    service = AdaptService(settings)
    for name, role in (("tina", "teacher"), ("ed", "editor"), ("erin", "editor"), ("eve", "evaluator")):
        service.people.add(name, role, PASSWORD)
    port = free_port()
    app = serve(service, host="127.0.0.1", port=port, block=False, quiet=True, job_poll_seconds=0.5)
    out = tmp_path / "test-output"
    out.mkdir()
    try:
        yield LiveApp(f"http://127.0.0.1:{port}/", service, out)
    finally:
        app.close()
        service.stop_job_runner()
        service.close()


def confirm_licence(page, licence: str = "CC-BY-4.0") -> None:
    """Open the Licence panel, choose a licence from its list by name and confirm it (the file states
    none). A licence that is not in the list is typed, as a teacher may."""
    from ui.app import licence_choices

    box = page.get_by_label("Licence, when the file states none")
    if not box.is_visible():
        page.get_by_text("Licence", exact=True).click()
    label = next((name for name, value in licence_choices() if value == licence), None)
    box.click()
    if label is None:
        box.fill(licence)
        box.press("Enter")
    else:
        page.locator("[data-testid=dropdown-option]", has_text=label).click()
    page.get_by_label("I have checked this licence").check()
