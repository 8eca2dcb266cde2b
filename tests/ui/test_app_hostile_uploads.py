"""Uploaded content is shown only sanitized: nothing in a file can run script in the reviewer's browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.ui.conftest import confirm_licence

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ui"


def watch_for_script(page) -> list[str]:
    """Any dialog (alert) is recorded and dismissed; `window.__pwned` is set by every payload."""
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def assert_nothing_ran(page, dialogs: list[str]) -> None:
    assert dialogs == [], f"script ran: dialogs {dialogs}"
    assert page.evaluate("() => window.__pwned === undefined"), page.evaluate("() => window.__pwned")
    # No element of the app carries an inline event handler or a javascript: link from the upload.
    hostile = page.evaluate(
        """() => [...document.querySelectorAll('#main *, #sidebar *')].filter(e =>
             [...e.attributes].some(a => a.name.startsWith('on') ||
               (a.value || '').trim().toLowerCase().startsWith('javascript:'))).map(e => e.outerHTML.slice(0, 120))"""
    )
    assert hostile == []


def test_app_html_upload_with_script_runs_nothing(browser, live_app):
    context, page = live_app.login(browser, "tina")
    dialogs = watch_for_script(page)
    page.locator("#upload input[type=file]").set_input_files(str(FIXTURES / "hostile.html"))
    expect(page.get_by_text("imported as resource")).to_be_visible(timeout=30_000)
    confirm_licence(page)
    page.locator("#run").click()
    expect(page.locator("#jobs .job.done")).to_have_count(1, timeout=120_000)
    expect(page.locator("#review-table tr.row").first).to_be_visible(timeout=30_000)
    page.locator("#review-table tr.row").last.locator("td.src").click()
    expect(page.get_by_test_id("detail")).to_be_visible()
    page.get_by_role("tab", name="Preview", exact=True).click()
    page.get_by_label("Show unreviewed suggestions (marked ⚠)").check()
    preview = page.get_by_test_id("preview")
    expect(preview).to_contain_text("⚠")
    assert preview.locator("script, img, style, iframe, [onerror]").count() == 0
    page.wait_for_timeout(300)
    page.screenshot(path=str(live_app.out / "hostile-html.png"), full_page=True)
    assert_nothing_ran(page, dialogs)
    assert live_app.outside == []
    context.close()


def test_app_markdown_with_raw_html_is_sanitized(browser, live_app):
    context, page = live_app.login(browser, "tina")
    dialogs = watch_for_script(page)
    page.locator("#upload input[type=file]").set_input_files(str(FIXTURES / "hostile.md"))
    expect(page.get_by_text("imported as resource")).to_be_visible(timeout=30_000)
    # The heading holds an <img onerror>: the title keeps only its text.
    label = re.compile(r"^#1 · Lesson\s+\(markdown(, en)?(, CC-BY-4\.0)?\)$")
    expect(page.get_by_role("combobox", name="Resource")).to_have_value(label)

    confirm_licence(page)
    page.locator("#run").click()
    expect(page.locator("#jobs .job.done")).to_have_count(1, timeout=120_000)
    expect(page.locator("#review-table tr.row").first).to_be_visible(timeout=30_000)
    page.locator("#review-table tr.row").first.locator("td.src").click()
    expect(page.get_by_test_id("detail")).to_be_visible()

    page.get_by_role("tab", name="Preview", exact=True).click()
    page.get_by_label("Show unreviewed suggestions (marked ⚠)").check()
    preview = page.get_by_test_id("preview")
    expect(preview).to_contain_text("⚠")
    expect(preview).to_contain_text("roots")  # the <div> text survives, its handler does not
    assert preview.locator("script, img, style, iframe").count() == 0
    assert preview.locator("[onerror], [onmouseover]").count() == 0
    assert preview.locator("a[href^='javascript']").count() == 0
    page.get_by_role("tab", name="Review", exact=True).click()
    page.locator("#review-table tr.row").nth(2).hover()
    page.screenshot(path=str(live_app.out / "hostile-markdown.png"), full_page=True)
    assert_nothing_ran(page, dialogs)
    assert live_app.outside == []
    context.close()
