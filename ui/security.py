"""The web app's guard: one ASGI middleware in front of Gradio.

- Logins: POST /login is answered here, so that the throttle (adapt.login_guard) sees the client's
  address and device; a right password makes a session in the database (adapt.sessions) and Gradio's
  `app.tokens` is replaced by a view of that table, so a password change, a role change or a removal
  ends the person's sessions at once, on every server, and sessions survive a restart.
- State-changing requests (POST, PUT, PATCH, DELETE) must come from this site's own pages (Origin, else
  Referer, must name this host; `Origin: null` is refused) and, /login aside, from a live session:
  Gradio answers POST /gradio_api/cancel and /reset without one.
- Security headers on every response: a CSP that Gradio's front end works under (it needs inline
  scripts and `new Function` for `js_on_load`), frame-ancestors 'none', no-referrer, nosniff.
- Export downloads: a file the UI offered as an export (adapt.sessions.ExportFiles) is given only to a
  person who may read its resource.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import anyio

from adapt.errors import AdaptError
from adapt.sessions import ExportFiles, Sessions, TokenMap, remember_for_request, web_state

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOGIN_PATHS = frozenset({"/login", "/login/"})
MAX_LOGIN_BODY = 16 * 1024
DEVICE_SECONDS = 365 * 24 * 3600

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",  # Gradio: inline config, js_on_load via new Function
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def cookie_id_for(db_path: Path | str) -> str:
    """Gradio names its cookie after a random id per process; ours comes from the database, so the cookie
    of one server is good on another server (or after a restart) on the same database."""
    return hashlib.sha256(str(Path(db_path).resolve()).encode("utf-8")).hexdigest()[:24]


@dataclass
class WebGuard:
    """What the middleware needs: the service (people, throttle), sessions, exports, allowed origins."""

    service: Any
    sessions: Sessions
    exports: ExportFiles
    cookie_id: str
    allowed_origins: frozenset[str] = field(default_factory=frozenset)  # extra "https://host" behind a proxy

    @classmethod
    def for_service(cls, service: Any, *, allowed_origins: tuple[str, ...] = ()) -> WebGuard:
        sessions, exports, db_path = web_state(service)
        origins = frozenset(o.rstrip("/") for o in allowed_origins)
        return cls(service, sessions, exports, cookie_id_for(db_path), origins)

    @property
    def session_cookie(self) -> str:
        return f"access-token-{self.cookie_id}"

    @property
    def device_cookie(self) -> str:
        return f"adapt-device-{self.cookie_id}"

    def token(self, cookies: dict[str, str]) -> str | None:
        return cookies.get(self.session_cookie) or cookies.get(f"access-token-unsecure-{self.cookie_id}")

    def user_name(self, cookies: dict[str, str]) -> str | None:
        return self.sessions.user(self.token(cookies))


class SecurityMiddleware:
    def __init__(self, app: Callable[..., Awaitable[None]], *, guard: WebGuard) -> None:
        self.app = app
        self.guard = guard
        self.tokens = TokenMap(guard.sessions)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        self._install(scope)
        headers = _headers(scope)
        if scope["type"] == "websocket":
            if not _same_origin(headers, self.guard.allowed_origins):
                await send({"type": "websocket.close", "code": 1008})
                return
            await self.app(scope, receive, send)
            return
        send = _with_headers(send)
        method, path = scope["method"], scope["path"]
        cookies = _cookies(headers)
        if method in STATE_CHANGING:
            if not _same_origin(headers, self.guard.allowed_origins):
                await _json(send, 403, {"detail": "cross-origin request refused: use the app's own pages"})
                return
            if path in LOGIN_PATHS:
                await self._login(scope, receive, send, cookies)
                return
            token = self.guard.token(cookies)
            user = await anyio.to_thread.run_sync(self.guard.sessions.user, token)
            if user is None:
                await _json(send, 401, {"detail": "Not authenticated"})
                return
            if token:
                remember_for_request(token, user)  # Gradio's own checks of this request need no second lookup
        elif method == "GET" and path in ("/logout", "/logout/"):
            await self._logout(scope, send, cookies)
            return
        elif method in ("GET", "HEAD") and "/file=" in path:
            if not await anyio.to_thread.run_sync(self._may_download, path, cookies):
                await _json(send, 404, {"detail": "Not found"})
                return
        await self.app(scope, receive, send)

    def _install(self, scope: Scope) -> None:
        """Point Gradio's session lookups at the database (once per app object; cheap to check)."""
        app = scope.get("app")
        if app is not None and getattr(app, "tokens", None) is not self.tokens and hasattr(app, "cookie_id"):
            app.tokens = self.tokens
            app.cookie_id = self.guard.cookie_id

    # logins ------------------------------------------------------------------------------------------
    async def _login(self, scope: Scope, receive: Receive, send: Send, cookies: dict[str, str]) -> None:
        form = await _form(scope, receive, MAX_LOGIN_BODY)
        if form is None:
            await _json(send, 413, {"detail": "login request too large or malformed"})
            return
        name = str(form.get("username") or "").strip()
        password = str(form.get("password") or "")
        client = (scope.get("client") or ("", 0))[0] or None
        device = cookies.get(self.guard.device_cookie) or secrets.token_urlsafe(32)
        guard = self.guard

        def check() -> tuple[str | None, float]:
            wait = guard.service.people.login_throttle.wait_seconds(name, client, device)
            if wait > 0:
                return None, wait
            found = guard.service.people.authenticate(name, password, client=client, device=device)
            if found is None:
                return None, 0.0
            return guard.sessions.create(found.name, client=client), 0.0

        try:
            token, wait = await anyio.to_thread.run_sync(check)
        except AdaptError as exc:
            await _json(send, 503, {"detail": exc.one_line()})
            return
        if wait > 0:
            await _json(send, 429, {"detail": f"Too many wrong passwords: try again in {wait:.0f} s."},
                        [(b"retry-after", str(int(wait) + 1).encode())])
            return
        if token is None:
            await _json(send, 400, {"detail": "Incorrect credentials."})
            return
        secure = scope.get("scheme") == "https"
        await _json(send, 200, {"success": True}, [
            (b"set-cookie", _cookie(self.guard.session_cookie, token, secure=secure)),
            (b"set-cookie", _cookie(self.guard.device_cookie, device, max_age=DEVICE_SECONDS, secure=secure)),
        ])

    async def _logout(self, scope: Scope, send: Send, cookies: dict[str, str]) -> None:
        token = self.guard.token(cookies)
        everywhere = parse_qs(scope.get("query_string", b"").decode()).get("all_session", ["true"])[0] != "false"

        def end() -> None:
            name = self.guard.sessions.user(token)
            if name and everywhere:
                self.guard.sessions.end_all(name)
            else:
                self.guard.sessions.end(token)

        await anyio.to_thread.run_sync(end)
        root = (scope.get("root_path") or "") + "/"
        await send({"type": "http.response.start", "status": 302, "headers": [
            (b"location", root.encode()),
            (b"set-cookie", _cookie(self.guard.session_cookie, "", max_age=0)),
            (b"set-cookie", _cookie(f"access-token-unsecure-{self.guard.cookie_id}", "", max_age=0)),
            (b"content-length", b"0"),
        ]})
        await send({"type": "http.response.body", "body": b""})

    # downloads -------------------------------------------------------------------------------------
    def _may_download(self, path: str, cookies: dict[str, str]) -> bool:
        """False for an export file the person may not read; True for anything else (Gradio checks the
        login itself)."""
        wanted = Path(unquote(path.split("/file=", 1)[1]))
        try:
            if not wanted.is_file():
                return True
            resources = self.guard.exports.resources_of(wanted)
        except OSError:
            return True
        if not resources:
            return True
        name = self.guard.user_name(cookies)
        if name is None:
            return False
        try:
            person = self.guard.service.people.get(name)
        except AdaptError:
            return False
        for resource_id in resources:
            try:
                if person.can_see(self.guard.service.resource(resource_id)):
                    return True
            except AdaptError:
                continue
        log.warning("download of export %s refused to %s", wanted.name, name)
        return False


# -- small ASGI helpers ------------------------------------------------------------------------------


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # noqa: BLE001 - a malformed cookie header is no cookie
        return {}
    return {k: m.value for k, m in jar.items()}


def _same_origin(headers: dict[str, str], allowed: frozenset[str]) -> bool:
    """Origin (else Referer) names this host, or one allowed. A request with neither is not from a
    browser page (browsers send Origin with every fetch POST), so there is no cross-site risk in it."""
    host = headers.get("host", "")
    origin = headers.get("origin")
    source = origin if origin is not None else headers.get("referer")
    if source is None:
        return True
    if source == "null":
        return False
    parts = urlsplit(source)
    return parts.netloc == host or f"{parts.scheme}://{parts.netloc}" in allowed


def _cookie(name: str, value: str, *, max_age: int | None = None, secure: bool = False) -> bytes:
    text = f"{name}={value}; Path=/; HttpOnly; SameSite=Strict"
    if max_age is not None:
        text += f"; Max-Age={max_age}"
    if secure:
        text += "; Secure"
    return text.encode("latin-1")


def _with_headers(send: Send) -> Send:
    async def wrapped(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            present = {k.lower() for k, _ in message.get("headers", [])}
            message["headers"] = [*message.get("headers", []), *(h for h in HEADERS if h[0] not in present)]
        await send(message)

    return wrapped


async def _form(scope: Scope, receive: Receive, limit: int) -> dict[str, Any] | None:
    """The login form (Gradio's page sends multipart, scripts often urlencoded); None when too big."""
    from starlette.requests import Request

    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    body = b"".join(chunks)

    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(scope, replay).form(max_files=0, max_fields=8)
    except Exception:  # noqa: BLE001 - a malformed form is no login
        return None
    return {k: v for k, v in form.items() if isinstance(v, str)}


async def _json(send: Send, status: int, payload: dict[str, Any],
                extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps(payload).encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *(extra or [])]})
    await send({"type": "http.response.body", "body": body})
