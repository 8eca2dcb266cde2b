"""Issue 14 defects 1-4 in a real browser: accept after edit keeps the edit, Preview and Export
default to the job's target, a Portuguese lesson translates to English without naming its language,
and a book export downloads a zip."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from adapt.store import NewSuggestion
from tests.conftest import FIXTURES, shared_data
from tests.ui.conftest import confirm_licence

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LESSON = FIXTURES / "ui" / "lesson.md"
PT_LESSON = FIXTURES / "ciclo_da_agua.md"


def rows(page):
    return page.locator("#review-table tr.row")


def _translate_in_ui(page, path: Path, target: str | None = None) -> None:
    page.locator("#upload input[type=file]").set_input_files(str(path))
    expect(page.get_by_text("imported as resource")).to_be_visible(timeout=30_000)
    if target:
        page.get_by_role("combobox", name="to").click()
        page.get_by_role("option", name=target).click()
    confirm_licence(page, "CC-BY-4.0")
    page.locator("#run").click()
    expect(page.locator("#jobs .job.done")).to_have_count(1, timeout=120_000)


def test_ui_accept_after_edit_keeps_the_edit_and_defaults_the_export_language(browser, live_app):
    context, page = live_app.login(browser, "tina")
    _translate_in_ui(page, LESSON)
    expect(rows(page)).to_have_count(5, timeout=30_000)
    service = live_app.service
    rid = service.resources()[0].id

    # Saved edit, then Accept: the row keeps the edit.
    rows(page).nth(1).locator("button[data-act=edit]").click()
    rows(page).nth(1).locator("textarea").fill("Texto salvo pela professora.")
    rows(page).nth(1).locator("button[data-act=save]").click()
    expect(rows(page).nth(1).locator(".badge")).to_have_text("edited")
    rows(page).nth(1).locator("button[data-act=accept]").click()
    expect(rows(page).nth(1).locator(".badge")).to_have_text("accepted with edits")
    expect(rows(page).nth(1)).to_contain_text("Texto salvo pela professora.")
    # Edit box still open, then Accept: what the box says is accepted.
    rows(page).nth(2).locator("button[data-act=edit]").click()
    rows(page).nth(2).locator("textarea").fill("Texto aceite direto da caixa.")
    rows(page).nth(2).locator("button[data-act=accept]").click()
    expect(rows(page).nth(2).locator(".badge")).to_have_text("accepted with edits")
    expect(rows(page).nth(2)).to_contain_text("Texto aceite direto da caixa.")

    # A simplification of the English source too (as a translate + simplify job leaves): suggestions in
    # two languages (en, pt); the preview and export show the job's target, Portuguese.
    seg = next(s for s in service.store.segments(rid) if s.translatable and s.position == 3)
    service.store.add_suggestions([NewSuggestion(rid, seg.id, "simplify", "en", seg.source_text, "Short text.",
                                                 {"simplifier": "test"})])
    assert service.session(service.people.get("tina")).output_languages(rid).choices == ["en", "pt"]
    page.get_by_role("tab", name="Preview", exact=True).click()
    expect(page.locator("#preview-lang input")).to_have_value("Portuguese (pt)")
    expect(page.get_by_test_id("preview")).to_contain_text("Texto salvo pela professora.")
    page.get_by_role("tab", name="Export", exact=True).click()
    expect(page.locator("#export-lang input")).to_have_value("Portuguese (pt)")
    page.locator("#export").click()
    expect(page.locator("#export-msg")).to_contain_text("0 accepted, 2 edited")
    with page.expect_download() as info:
        page.locator("#download").click()
    exported = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Texto salvo pela professora." in exported and "Texto aceite direto da caixa." in exported
    context.close()


def test_ui_translates_a_portuguese_lesson_to_english_without_naming_its_language(browser, live_app):
    context, page = live_app.login(browser, "tina")
    page.locator("#upload input[type=file]").set_input_files(str(PT_LESSON))
    expect(page.get_by_text("imported as resource")).to_be_visible(timeout=30_000)
    page.get_by_role("combobox", name="to").click()
    page.get_by_role("option", name="English (en)").click()
    confirm_licence(page, "CC-BY-4.0")
    page.locator("#run").click()
    expect(page.locator("#sidebar")).to_contain_text("Source language detected: Portuguese")
    expect(page.locator("#jobs .job.done")).to_have_count(1, timeout=120_000)
    page.reload()
    expect(rows(page).first).to_be_visible(timeout=30_000)
    texts = [s.text.lower() for s in live_app.service.review.suggestions(live_app.service.resources()[0].id)]
    assert any("water" in t for t in texts)
    context.close()


def test_ui_book_export_downloads_a_zip(browser, live_app):
    service = live_app.service
    book = shared_data() / "oer" / "openstax-biology-2e" / "collections" / "biology-2e.collection.xml"
    rid = service.import_file(book, owner="tina").resource_id
    seg = next(s for s in service.store.segments(rid) if s.translatable)
    (sid,) = service.store.add_suggestions(
        [NewSuggestion(rid, seg.id, "translate", "pt", seg.source_text, "Texto do livro em português.",
                       {"engine": "t"})])
    service.store.accept(sid, actor="tina")

    context, page = live_app.login(browser, "tina")
    page.get_by_role("tab", name="Export", exact=True).click()
    page.locator("#export").click()
    expect(page.locator("#export-msg")).to_contain_text(".pt.zip")
    with page.expect_download() as info:
        page.locator("#download").click()
    assert info.value.suggested_filename.endswith(".pt.zip")
    with zipfile.ZipFile(info.value.path()) as z:
        names = z.namelist()
        assert any(n.endswith(".collection.xml") for n in names) and any(n.endswith("index.cnxml") for n in names)
        texts = [z.read(n).decode("utf-8") for n in names if n.endswith((".cnxml", ".xml"))]
        assert any("Texto do livro em português." in t for t in texts)
    context.close()


def test_ui_bulk_accept_asks_with_the_count_over_all_pages_and_undoes_in_one_step(browser, live_app):
    service = live_app.service
    text = "# Lesson\n\n" + "\n\n".join(f"Paragraph number {i} is here." for i in range(40)) + "\n"
    path = live_app.out / "long.md"
    path.write_text(text, encoding="utf-8")
    rid = service.import_file(path, owner="tina", license="CC-BY-4.0").resource_id
    segs = [s for s in service.store.segments(rid) if s.translatable]
    service.store.add_suggestions([
        NewSuggestion(rid, s.id, "translate", "pt", s.source_text, f"PT {s.source_text}", {"engine": "t"},
                      qa_flags=[{"code": "number-missing", "message": "numbers lost"}] if i % 10 == 3 else [])
        for i, s in enumerate(segs)])
    total, flagged = len(segs), sum(1 for i in range(len(segs)) if i % 10 == 3)

    context, page = live_app.login(browser, "tina")
    expect(rows(page)).to_have_count(25, timeout=30_000)  # page 1 of 2
    page.locator("#bulk").click()
    expect(page.locator("#bulk-question")).to_contain_text(f"Accept {total - flagged} pending suggestions")
    page.locator("#bulk-no").click()  # cancel: nothing changes
    expect(page.locator("#bulk-yes")).to_be_hidden()
    assert all(s.status == "pending" for s in service.review.suggestions(rid))
    page.locator("#bulk").click()
    page.locator("#bulk-yes").click()
    expect(page.get_by_test_id("counts")).to_contain_text(f"{total - flagged} / {total} reviewed")
    page.screenshot(path=str(live_app.out / "bulk-accepted.png"), full_page=True)
    page.locator("#bulk-undo").click()
    expect(page.get_by_test_id("counts")).to_contain_text(f"0 / {total} reviewed")
    expect(page.locator("#message")).to_contain_text(f"{total - flagged} suggestions are pending again")
    assert all(s.status == "pending" for s in service.review.suggestions(rid))
    context.close()
