"""Issue 14, any screen and accessibility, in a real browser: below ~700 px each suggestion is a card
and nothing scrolls sideways at 390x844; an axe-core audit (axe-playwright-python, injected with
page.evaluate so a page CSP does not block it) finds no serious or critical violation on the login,
review, detail and export views at 1366x768 and 390x844. One app server for the module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from adapt.review import ReviewFilter
from adapt.store import NewSuggestion
from tests.conftest import FIXTURES
from tests.ui.conftest import PASSWORD, LiveApp, free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LESSON = FIXTURES / "ui" / "lesson.md"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[LiveApp]:
    """A lesson with five Portuguese suggestions (one flagged), seeded through the store: these tests
    are about layout and accessibility, not about the translation engines."""
    from adapt.service import AdaptService
    from adapt.settings import Settings
    from ui.server import serve

    root = tmp_path_factory.mktemp("any-screen")
    service = AdaptService(Settings(db_path=root / "adapt.db", cache_dir=root / "cache", data_dir=root / "data",
                                    user="tester"))
    for name, role in (("tina", "teacher"), ("eve", "evaluator")):
        service.people.add(name, role, PASSWORD)
    rid = service.import_file(LESSON, license="CC-BY-4.0", owner="tina").resource_id
    segments = [s for s in service.store.segments(rid) if s.translatable]
    new = []
    for i, seg in enumerate(segments):
        flags = [{"code": "length_ratio", "message": "much longer than the source"}] if i == 1 else []
        new.append(NewSuggestion(rid, seg.id, "translate", "pt", seg.source_text,
                                 f"Tradução {i + 1}: " + "umaPalavraMuitoComprida" * 3 + " " + seg.source_text,
                                 {"engine": "test"}, qa_flags=flags, scores={"comet": 0.81}))
    service.store.add_suggestions(new)
    port = free_port()
    served = serve(service, host="127.0.0.1", port=port, block=False, quiet=True, job_poll_seconds=0.5)
    out = root / "test-output"
    out.mkdir()
    try:
        yield LiveApp(f"http://127.0.0.1:{port}/", service, out)
    finally:
        served.close()
        service.stop_job_runner()
        service.close()


def _open(browser, app: LiveApp, viewport: dict, name: str = "tina"):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(app.url)
    return context, page


def _login(page, name: str = "tina") -> None:
    page.get_by_label("username").fill(name)
    page.get_by_label("password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.wait_for_selector("[data-testid=user]", timeout=30_000)
    expect(page.locator("#review-table tr.row")).to_have_count(5, timeout=30_000)


def _tab(page, name: str) -> None:
    """Open a tab; on a narrow screen Gradio moves the last tabs into its "More tabs" menu."""
    tab = page.get_by_role("tab", name=name, exact=True)
    if not tab.count():
        page.get_by_role("button", name="More tabs").click()
        tab = page.locator("button:not([tabindex='-1']):not([role=tab])", has_text=name).first
    tab.click()


def _no_sideways_scroll(page) -> None:
    widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths[0]} px wide in a {widths[1]} px window"


def _audit(page, view: str, size: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for v in results.response["violations"]:
        if v.get("impact") in BLOCKING:
            targets = [", ".join(map(str, n.get("target", []))) for n in v.get("nodes", [])][:4]
            found.append(f"{view} at {size}: {v['id']} ({v['impact']}): {v['help']} — {targets}")
    return found


def test_phone_shows_cards_without_sideways_scrolling(browser, app):
    context, page = _open(browser, app, PHONE)
    _login(page)
    _no_sideways_scroll(page)
    row = page.locator("#review-table tr.row").nth(1)
    # A card: the source above the suggestion, the buttons under them, all inside the screen.
    src, sug = row.locator("td.src").bounding_box(), row.locator("td.sug").bounding_box()
    assert sug["y"] >= src["y"] + src["height"] - 1, "source and suggestion should be stacked, not side by side"
    assert src["width"] > PHONE["width"] * 0.6
    for button in row.locator("td.actions button").all():
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"button off screen: {box}"
        assert box["height"] >= 32, "buttons should be big enough to tap"
    row.locator("button[data-act=edit]").click()
    box = row.locator("textarea").bounding_box()
    assert box["width"] > PHONE["width"] * 0.7 and box["height"] >= 60, f"edit box too small: {box}"
    _no_sideways_scroll(page)
    row.locator("button[data-act=cancel]").click()
    _tab(page, "Export")
    _no_sideways_scroll(page)
    page.screenshot(path=str(app.out / "phone-export.png"), full_page=True)
    context.close()


def test_desktop_keeps_the_table(browser, app):
    context, page = _open(browser, app, DESKTOP)
    _login(page)
    row = page.locator("#review-table tr.row").nth(0)
    src, sug = row.locator("td.src").bounding_box(), row.locator("td.sug").bounding_box()
    assert abs(src["y"] - sug["y"]) < 2 and sug["x"] > src["x"], "a wide screen keeps source | suggestion columns"
    _no_sideways_scroll(page)
    context.close()


@pytest.mark.parametrize("size,viewport", [("1366x768", DESKTOP), ("390x844", PHONE)])
def test_axe_finds_no_serious_violation(browser, app, size, viewport):
    context, page = _open(browser, app, viewport)
    page.wait_for_selector("input", timeout=30_000)
    found = _audit(page, "login", size)
    _login(page)
    found += _audit(page, "review", size)
    page.locator("#review-table tr.row").nth(1).locator("td.src").click()
    expect(page.get_by_test_id("detail")).to_be_visible(timeout=15_000)
    found += _audit(page, "detail", size)
    _tab(page, "Export")
    page.get_by_label("Also include unreviewed suggestions (marked ⚠ in the file)").check()
    page.locator("#export").click()
    expect(page.locator("#export-msg .msg")).to_be_visible(timeout=30_000)
    assert "Ready" in page.locator("#export-msg").inner_text(), page.locator("#export-msg").inner_text()
    found += _audit(page, "export", size)
    page.screenshot(path=str(app.out / f"export-{size}.png"), full_page=True)
    context.close()
    assert not found, "\n".join(found)


def _focused_row(page) -> str | None:
    return page.evaluate("() => document.activeElement && document.activeElement.dataset.id || null")


def test_a_small_review_without_the_mouse(browser, app):
    """Tab into the table, then accept, edit (Ctrl+Enter saves and moves on), skip, reject, open the
    side by side view and show the shortcuts, all from the keyboard. Runs last: it decides rows."""
    context, page = _open(browser, app, DESKTOP)
    _login(page)
    ids = [int(i) for i in page.locator("#review-table tr.row").evaluate_all("rs => rs.map(r => r.dataset.id)")]
    for _ in range(80):  # bounded: Tab until the first row has the focus
        page.keyboard.press("Tab")
        if _focused_row(page):
            break
    assert _focused_row(page) == str(ids[0]), "Tab should reach the first row of the table"
    page.keyboard.press("a")  # accept, then the focus goes to the next pending row
    expect(page.get_by_test_id(f"row-{ids[0]}").locator(".badge")).to_have_text("accepted")
    page.wait_for_function(f"() => document.activeElement && document.activeElement.dataset.id === '{ids[1]}'")
    page.keyboard.press("e")
    box = page.get_by_test_id(f"row-{ids[1]}").locator("textarea")
    expect(box).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.type("Texto escrito só com o teclado.")
    page.keyboard.press("Control+Enter")  # save and go to the next pending row
    expect(page.get_by_test_id(f"row-{ids[1]}").locator(".badge")).to_have_text("edited")
    page.wait_for_function(f"() => document.activeElement && document.activeElement.dataset.id === '{ids[2]}'")
    page.keyboard.press("j")  # skip one
    assert _focused_row(page) == str(ids[3])
    page.keyboard.press("k")
    assert _focused_row(page) == str(ids[2])
    page.keyboard.press("Alt+ArrowDown")
    page.keyboard.press("r")
    expect(page.get_by_test_id(f"row-{ids[3]}").locator(".badge")).to_have_text("rejected")
    page.wait_for_function(f"() => document.activeElement && document.activeElement.dataset.id === '{ids[4]}'")
    page.keyboard.press("?")
    expect(page.locator("#review-table .shortcuts")).to_be_visible()
    expect(page.locator("#review-table .shortcuts")).to_contain_text("save and go to the next pending row")
    page.keyboard.press("Enter")  # side by side view of the focused row
    expect(page.get_by_test_id("detail")).to_contain_text(f"Suggestion #{ids[4]}")
    tina = app.service.people.get("tina")
    by_id = {s.id: s for s in app.service.session(tina).review_page(
        app.service.resources()[0].id, ReviewFilter(),
        page=1, page_size=25).rows}
    assert [by_id[i].status for i in ids] == ["accepted", "edited", "pending", "rejected", "pending"]
    assert by_id[ids[1]].current_text == "Texto escrito só com o teclado."
    context.close()


@pytest.mark.parametrize("size,viewport", [("1366x768", DESKTOP), ("390x844", PHONE)])
def test_detail_opens_under_the_clicked_row_and_edit_warnings_stay_after_reload(browser, app, size, viewport):
    context, page = _open(browser, app, viewport)
    _login(page)
    row = page.locator("#review-table tr.row").nth(2)
    sid = row.get_attribute("data-id")
    row.locator("td.src").click()
    detail = page.locator(f"#review-table tr.detail-row[data-for='{sid}']")
    expect(detail.get_by_test_id("detail")).to_contain_text(f"Suggestion #{sid}")
    assert page.get_by_test_id("detail").count() == 1, "one side-by-side view, the one under the row"
    follows = page.evaluate(f"() => document.querySelector('tr.row[data-id=\"{sid}\"]').nextElementSibling"
                            ".classList.contains('detail-row')")
    row_box, detail_box = page.get_by_test_id(f"row-{sid}").bounding_box(), detail.bounding_box()
    # Right under the row: at most the card's bottom margin (.8rem) between them.
    assert follows and 0 <= detail_box["y"] - (row_box["y"] + row_box["height"]) < 20, (row_box, detail_box)
    _no_sideways_scroll(page)
    if size == "1366x768":  # an edit that adds a number the source does not have: said on the row
        target = page.get_by_test_id(f"row-{sid}")
        target.locator("button[data-act=edit]").click()
        target.locator("textarea").fill("Tem 42 folhas.")
        target.locator("button[data-act=save]").click()
        expect(target.locator(".badge")).to_have_text("edited")
    page.reload()
    page.wait_for_selector("[data-testid=user]", timeout=30_000)
    expect(page.get_by_test_id(f"row-{sid}").locator(".row-msg")).to_contain_text("numbers here but not in the "
                                                                                   "source: 42", timeout=30_000)
    context.close()
