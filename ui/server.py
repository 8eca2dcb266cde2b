"""Serving the review app: login against adapt.people, loopback by default, nothing from the network."""

from __future__ import annotations

import ipaddress
import logging
import time
from typing import Any

from adapt.settings import apply_offline_environment

log = logging.getLogger(__name__)
LOOPBACK = "127.0.0.1"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    service: Any,
    *,
    host: str = LOOPBACK,
    port: int = 7860,
    max_upload_bytes: int = 20 * 1024 * 1024,
    block: bool = True,
    quiet: bool = False,
    job_poll_seconds: float = 1.0,
    allowed_origins: tuple[str, ...] = (),
):
    """Start the job runner and the app. With `block=False` returns the running Blocks (tests close it)."""
    apply_offline_environment()
    from starlette.middleware import Middleware

    from ui.app import build_app, css
    from ui.page_language import PageLanguage
    from ui.page_title import PageTitle
    from ui.security import SecurityMiddleware, WebGuard
    from ui.theme import HEAD, review_theme

    if service.read_only:
        log.warning("the database %s is read-only: serving read-only, no job runner", service.settings.db_path)
    else:
        service.start_job_runner()
    guard = WebGuard.for_service(service, allowed_origins=tuple(allowed_origins))
    guard.sessions.prune()  # expired sessions of earlier runs
    app = build_app(service, max_upload_bytes=max_upload_bytes, job_poll_seconds=job_poll_seconds,
                    record_export=guard.exports.record)
    app.queue(default_concurrency_limit=4)

    def check_login(name: str, password: str) -> bool:
        return service.people.authenticate(name, password) is not None

    app.launch(
        server_name=host,
        server_port=port,
        auth=check_login,
        auth_message="OER Adapt: log in with the name and password given by `adapt users add`.",
        max_file_size=max_upload_bytes,
        share=False,
        inbrowser=False,
        prevent_thread_lock=not block,
        quiet=quiet,
        show_error=True,
        footer_links=[],
        run_history=False,
        ssr_mode=False,
        theme=review_theme(),
        head=HEAD,
        css=css(),
        # Logins, sessions, origin checks, security headers and export downloads (ui.security); a <title>
        # for Gradio's login page, which has none (ui.page_title); <html lang> and the menu's language cookie
        # (ui.page_language).
        app_kwargs={"middleware": [Middleware(SecurityMiddleware, guard=guard), Middleware(PageTitle),
                                   Middleware(PageLanguage)]},
        # Gradio's own start-up check gives the new server one 3-second HEAD request and, when that times out
        # on a busy machine, refuses to start ("localhost is not accessible"); wait_until_serving below is
        # the patient version of that check.
        _frontend=False,
    )
    local_url: Any = app.local_url  # set by launch(); Gradio types the attribute as None
    if not block:
        wait_until_serving(str(local_url))
    return app


def wait_until_serving(url: str, *, timeout: float = 120.0) -> None:
    """Return once the server at `url` answers HTTP; raise a RuntimeError saying so after `timeout` seconds."""
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url, timeout=10.0)  # any answer (a login redirect, 401, 200) means it is serving
            return
        except httpx.HTTPError as exc:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the review app did not answer at {url} within {timeout:.0f} s ({exc}); "
                                   "check that the port is free and the machine is not overloaded") from exc
            time.sleep(0.25)
