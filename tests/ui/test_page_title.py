"""ui.page_title: the login page gets a <title>; other answers and titled pages are left alone."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from ui.page_title import PageTitle


def _serve(path: str, body: bytes, content_type: bytes = b"text/html; charset=utf-8", method: str = "GET",
           chunks: int = 1) -> tuple[dict, bytes]:
    async def inner(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]})
        step = max(1, len(body) // chunks)
        parts = [body[i:i + step] for i in range(0, len(body), step)] or [b""]
        for i, part in enumerate(parts):
            await send({"type": "http.response.body", "body": part, "more_body": i < len(parts) - 1})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    call = PageTitle(inner, "OER <Adapt>")({"type": "http", "method": method, "path": path}, receive, send)
    with ThreadPoolExecutor(1) as pool:  # its own loop: Playwright's sync API may hold this thread's
        pool.submit(asyncio.run, call).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    return dict(start["headers"]), b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_login_page_gets_an_escaped_title_and_a_right_length():
    headers, body = _serve("/", b"<html><head><meta charset=utf-8></head><body>login</body></html>", chunks=3)
    assert body.startswith(b"<html><head><title>OER &lt;Adapt></title><meta")
    assert body.count(b"<title>") == 1
    assert headers[b"content-length"] == str(len(body)).encode()


def test_a_page_with_a_title_and_other_answers_are_untouched():
    titled = b"<html><head><title>Mine</title></head></html>"
    assert _serve("/", titled)[1] == titled
    assert _serve("/config", b"<html><head></head></html>")[1] == b"<html><head></head></html>"
    assert _serve("/", b'{"head": 1}', content_type=b"application/json")[1] == b'{"head": 1}'
    assert _serve("/", b"<html><head></head></html>", method="POST")[1] == b"<html><head></head></html>"
