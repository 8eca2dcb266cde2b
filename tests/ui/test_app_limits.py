"""An upload over an input limit shows the CLI's message (the limit and the setting that raises it),
not Gradio's raw error, and stores nothing (failure 1 of issue 18: "maximum recursion depth exceeded")."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("deep.html", b"<div>" * 1000 + b"deep text" + b"</div>" * 1000, "ADAPT_MAX_DEPTH"),
        ("line.md", b"word " * 10_000, "ADAPT_MAX_SEGMENT_CHARS"),
    ],
)
def test_app_upload_over_a_limit_shows_the_limit(browser, live_app, tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    context, page = live_app.login(browser, "tina")
    page.locator("#upload input[type=file]").set_input_files(str(path))
    alert = page.locator(".msg.error")
    expect(alert).to_contain_text(words, timeout=30_000)
    text = alert.inner_text()
    assert "recursion" not in text.lower() and "Error" not in text.split(":")[0]
    assert live_app.service.resources() == []
    context.close()
