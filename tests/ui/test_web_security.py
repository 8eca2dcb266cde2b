"""The web surface under attack and under an unlucky operator (issue 18), against the real server and a
real SQLite database: security headers, origin checks, unauthenticated state changes, sessions that end
and survive, a login throttle that slows guessing but does not lock the owner out, and export downloads
given only to people who may read the resource."""

from __future__ import annotations

import sqlite3

import httpx
import pytest
from playwright.sync_api import expect

from tests.ui.conftest import PASSWORD, free_port

LESSON = b"# Water\n\nWater boils at one hundred degrees.\n\nIce melts at zero degrees.\n"


def client(live_app, name: str | None = None, password: str = PASSWORD) -> httpx.Client:
    """An HTTP client on the live app, logged in as `name` like the login page does (multipart form)."""
    base = live_app.url.rstrip("/")
    http = httpx.Client(base_url=base, headers={"origin": base}, timeout=60)
    if name:
        r = http.post("/login", files={"username": (None, name), "password": (None, password)})
        assert r.status_code == 200, r.text
    return http


def logged_in(http: httpx.Client) -> bool:
    return http.get("/gradio_api/login_check").status_code == 200


def test_security_headers_on_pages_and_api(live_app):
    http = client(live_app)
    for path in ("/", "/config", "/gradio_api/login_check", "/gradio_api/info"):
        r = http.get(path)
        csp = r.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp, path
        assert r.headers.get("x-frame-options") == "DENY"
        assert r.headers.get("referrer-policy") == "no-referrer"
        assert r.headers.get("x-content-type-options") == "nosniff"


def test_the_app_works_under_its_csp(browser, live_app):
    """No Content Security Policy violation while logging in and opening each tab."""
    violations: list[str] = []
    context = browser.new_context()
    page = context.new_page()
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(live_app.url)
    page.get_by_label("username").fill("ed")
    page.get_by_label("password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.wait_for_selector("[data-testid=user]", timeout=30_000)
    for tab in ("Preview", "Tags", "Related resources", "Export", "Review"):
        page.get_by_role("tab", name=tab, exact=True).click()
    page.wait_for_timeout(500)
    context.close()
    assert violations == []


@pytest.mark.parametrize("path", ["/gradio_api/cancel", "/gradio_api/reset", "/gradio_api/queue/join",
                                  "/gradio_api/upload", "/gradio_api/run/predict"])
def test_state_changing_calls_need_a_session(live_app, path):
    r = client(live_app).post(path, json={"session_hash": "x", "fn_index": 0, "event_id": "e", "data": []})
    assert r.status_code == 401, (path, r.status_code, r.text)
    assert "success" not in r.text


@pytest.mark.parametrize("headers", [{"origin": "http://evil.example"}, {"origin": "null"},
                                     {"origin": None, "referer": "http://evil.example/page"}])
def test_cross_origin_state_changes_are_refused(live_app, headers):
    http = client(live_app, "ed")
    for key, value in headers.items():
        if value is None:
            del http.headers[key]
        else:
            http.headers[key] = value
    for path in ("/gradio_api/queue/join", "/gradio_api/cancel", "/login"):
        r = http.post(path, json={"data": []})
        assert r.status_code == 403, (path, r.status_code)
    assert logged_in(http)  # a read is fine: the session still works


def test_same_origin_without_referer_is_accepted(live_app):
    """Referrer-Policy no-referrer means the app's own fetches carry Origin only: that must be enough."""
    http = client(live_app, "ed")
    assert http.post("/gradio_api/cancel", json={"session_hash": "x", "fn_index": 0, "event_id": "e"}).status_code \
        != 403


@pytest.mark.parametrize("change", ["password", "role", "remove"])
def test_password_role_change_and_removal_end_sessions(live_app, change):
    service = live_app.service
    first, second = client(live_app, "erin"), client(live_app, "erin")
    other = client(live_app, "ed")
    assert logged_in(first) and logged_in(second)
    {"password": lambda: service.people.set_password("erin", "a new long password"),
     "role": lambda: service.people.set_role("erin", "evaluator"),
     "remove": lambda: service.people.remove("erin")}[change]()
    assert not logged_in(first) and not logged_in(second)
    assert first.post("/gradio_api/queue/join", json={"data": []}).status_code == 401
    assert logged_in(other)  # nobody else's session ended
    if change == "password":
        assert client(live_app).post("/login", data={"username": "erin", "password": PASSWORD}).status_code == 400
        assert logged_in(client(live_app, "erin", "a new long password"))


def test_logout_ends_the_session_in_the_database(live_app):
    http = client(live_app, "ed")
    token = next(v for k, v in http.cookies.items() if k.startswith("access-token-"))
    assert http.get("/logout", follow_redirects=False).status_code == 302
    stale = client(live_app)
    for name in ("access-token-" + live_app_cookie_id(live_app),):
        stale.cookies.set(name, token)
    assert not logged_in(stale)
    rows = sqlite3.connect(live_app.service.store.path).execute("SELECT COUNT(*) FROM web_sessions").fetchone()[0]
    assert rows == 0


def live_app_cookie_id(live_app) -> str:
    from ui.security import cookie_id_for

    return cookie_id_for(live_app.service.store.path)


def test_sessions_survive_a_restart_and_hold_on_a_second_server(live_app, settings):
    from adapt.service import AdaptService
    from ui.server import serve

    http = client(live_app, "ed")
    cookie = "access-token-" + live_app_cookie_id(live_app)
    token = http.cookies[cookie]
    second = AdaptService(settings)  # another server process on the same database
    port = free_port()
    app = serve(second, host="127.0.0.1", port=port, block=False, quiet=True)
    try:
        base = f"http://127.0.0.1:{port}"
        other = httpx.Client(base_url=base, headers={"origin": base}, timeout=60)
        other.cookies.set(cookie, token)
        assert other.get("/gradio_api/login_check").status_code == 200
        live_app.service.people.set_password("ed", "another long password")  # on the first server
        assert other.get("/gradio_api/login_check").status_code == 401  # ended on the second too
    finally:
        app.close()
        second.stop_job_runner()
        second.close()


def test_a_locked_name_still_opens_for_its_owners_browser(live_app):
    owner = client(live_app, "tina")  # tina's own browser: its device cookie is now on record
    owner.get("/logout")
    attacker = client(live_app)
    statuses = [attacker.post("/login", data={"username": "tina", "password": f"guess-{i}"}).status_code
                for i in range(7)]
    assert statuses[:5] == [400] * 5 and 429 in statuses[5:]  # five free, then locked
    assert attacker.post("/login", data={"username": "tina", "password": PASSWORD}).status_code == 429
    fresh = client(live_app)  # any other new browser is locked out too...
    assert fresh.post("/login", data={"username": "tina", "password": PASSWORD}).status_code == 429
    r = owner.post("/login", data={"username": "tina", "password": PASSWORD})  # ...but not tina's own
    assert r.status_code == 200, r.text
    assert logged_in(owner)
    locks = sqlite3.connect(live_app.service.store.path).execute(
        "SELECT scope, failures FROM login_failures WHERE key = 'tina'").fetchall()
    assert locks == [("name", 6)]  # in the database (a try while locked is not even counted)


def test_guessing_across_names_locks_the_client(live_app):
    attacker = client(live_app)
    statuses = [attacker.post("/login", data={"username": f"user{i}", "password": "guess"}).status_code
                for i in range(22)]
    assert statuses[:20] == [400] * 20 and statuses[-1] == 429
    assert attacker.post("/login", data={"username": "eve", "password": PASSWORD}).status_code == 429
    rows = sqlite3.connect(live_app.service.store.path).execute(
        "SELECT failures FROM login_failures WHERE scope = 'client' AND key = '127.0.0.1'").fetchall()
    assert rows and rows[0][0] >= 21


def test_exports_download_only_for_readers_of_the_resource(browser, live_app, tmp_path):
    from adapt.formats import parse_stored

    service = live_app.service
    service.people.add("tom", "teacher", PASSWORD)
    doc = parse_stored("markdown", "water.md", LESSON)
    service.import_document(doc, LESSON, language="en", license="CC-BY-4.0", owner="tina")
    context, page = live_app.login(browser, "tina")
    page.get_by_role("tab", name="Export").click()
    page.locator("#export").click()
    expect(page.locator("#download")).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        page.locator("#download").click()
    url = info.value.url
    assert "/file=" in url and "Water boils" in open(info.value.path(), encoding="utf-8").read()
    context.close()
    path = url[len(live_app.url.rstrip("/")):]
    assert client(live_app, "tom").get(path).status_code == 404  # another teacher: not theirs
    assert client(live_app).get(path).status_code in (401, 403, 404)  # nobody
    got = client(live_app, "ed").get(path)  # an editor reads every resource
    assert got.status_code == 200 and b"Water boils" in got.content
    assert client(live_app, "eve").get(path).status_code == 200  # so does an evaluator
