"""An ASGI middleware that gives the app's HTML page a <title> when Gradio serves none: its login
page has no title (axe-core: "document-title", serious), and screen readers announce the tab by it.
Only the HTML page itself is touched: a text/html answer to GET / that has no <title> yet."""

from __future__ import annotations

from typing import Any

Scope = dict[str, Any]


class PageTitle:
    def __init__(self, app: Any, title: str = "OER Adapt — review") -> None:
        self.app = app
        self.title = title.replace("&", "&amp;").replace("<", "&lt;").encode("utf-8")

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or scope.get("method") != "GET" or scope.get("path", "").rstrip("/") != "":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def buffered(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            html = any(k.lower() == b"content-type" and b"text/html" in v for k, v in headers)
            if html and b"<title" not in body:
                body = body.replace(b"<head>", b"<head><title>" + self.title + b"</title>", 1)
            await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered)
