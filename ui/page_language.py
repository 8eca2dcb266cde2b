"""An ASGI middleware for the page's language: `<html lang="…">` of the served page says the language the UI
is shown in (screen readers pronounce by it), and `?lang=xx` in the address is remembered in a cookie
(ui.i18n.COOKIE), so that the language menu's choice sticks after a reload and reaches every callback.
Only GET of the page itself ("/") is touched."""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from ui import i18n

Scope = dict[str, Any]
YEAR = 365 * 24 * 3600


def _cookie(headers: list[tuple[bytes, bytes]]) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    for key, value in headers:
        if key.lower() == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header from elsewhere: ignore it, as browsers do
                continue
    morsel = jar.get(i18n.COOKIE)
    return morsel.value if morsel is not None else None


class PageLanguage:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or scope.get("method") != "GET" or scope.get("path", "").rstrip("/") != "":
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers", [])
        asked = i18n.supported((parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang") or [""])[0])
        accept = next((v.decode("latin-1") for k, v in headers if k.lower() == b"accept-language"), None)
        language = i18n.choose(asked, _cookie(headers), accept)
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
            out = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            if any(k.lower() == b"content-type" and b"text/html" in v for k, v in out):
                # data-ui-lang: Gradio's front end later sets lang to the browser's locale; ui.theme.HEAD's
                # script puts this one back.
                mark = b'lang="' + language.encode() + b'" data-ui-lang="' + language.encode() + b'"'
                body = body.replace(b'<html\n\tlang="en"', b'<html\n\t' + mark, 1)
                body = body.replace(b'<html lang="en"', b'<html ' + mark, 1)
            if asked:  # the menu's choice (or a shared link's): remembered for a year
                out.append((b"set-cookie", f"{i18n.COOKIE}={asked}; Path=/; Max-Age={YEAR}; SameSite=Lax".encode()))
            await send({**start, "headers": [*out, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered)
