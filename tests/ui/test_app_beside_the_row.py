"""Issue 14, round 4, in a real browser: feedback beside the row it is about (a refused conflict, a
decision someone replaced, still there after a reload; what an edit lost, with the removed markers
shown), the detail's headings once, memory / glossary / related resources in the row's detail, what the
checks refused kept apart from human decisions in the counts and the export, and the licence step (a
list of licences, the panel opened when the job needs one, a confirmed licence read by the related
resources' toggle). One app server for the module; suggestions seeded through the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from adapt.formats import parse_stored
from adapt.glossary import Term, add_terms
from adapt.simplify import GUARD_ACTOR
from adapt.store import NewSuggestion
from tests.ui.conftest import PASSWORD, LiveApp, free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LIVE_MS = 8_000  # a 2 s poll, with room for the loaded test machine
LESSON = ("# Photosynthesis\n\nPlants make **their own food** from light.\n\nThey take in water through their "
          "roots.\n\nLeaves take in carbon dioxide from the air.\n\nThe green colour comes from chlorophyll.\n")
EARLIER = "# Colours\n\nThe green colour comes from chlorophyll.\n"
SIMPLE = "\n\n".join(f"Paragraph {i} explains something that is rather long and winding here." for i in range(4))


def _import(service, name: str, text: str, *, language: str = "en", licence: str | None = "CC-BY-4.0") -> int:
    data = text.encode()
    doc = parse_stored("markdown", name, data)
    return service.import_document(doc, data, language=language, license=licence, owner="tina").resource_id


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[LiveApp]:
    from adapt.service import AdaptService
    from adapt.settings import Settings
    from ui.server import serve

    root = tmp_path_factory.mktemp("beside")
    service = AdaptService(Settings(db_path=root / "adapt.db", cache_dir=root / "cache", data_dir=root / "data",
                                    user="tester"))
    for name, role in (("tina", "teacher"), ("ed", "editor"), ("erin", "editor")):
        service.people.add(name, role, PASSWORD)
    store = service.store
    # An earlier lesson whose reviewed translation the memory offers again.
    earlier = _import(service, "colours.md", EARLIER)
    seg = next(s for s in store.segments(earlier) if "chlorophyll" in s.source_text)
    (old,) = store.add_suggestions([NewSuggestion(earlier, seg.id, "translate", "pt", seg.source_text,
                                                  "A cor verde vem da clorofila.", {"engine": "test"})])
    store.accept(old, actor="tina", expected_version=None)
    add_terms(store, [Term("chlorophyll", "dnt", "en", note="the pigment's name stays in English")])
    # Simplifications of which the guard refused two (a separate resource).
    simple = _import(service, "simple.md", SIMPLE)
    store.add_suggestions([NewSuggestion(simple, s.id, "simplify", "en", s.source_text, f"Paragraph {s.position}.",
                                         {"model": "rules"}, rejected_by=GUARD_ACTOR if s.position in (1, 3) else None)
                           for s in store.segments(simple) if s.translatable])
    # The lesson reviewed here (the newest: the page opens on it).
    lesson = _import(service, "lesson.md", LESSON)
    pt = {"Photosynthesis": "Fotossíntese",
          "Plants make [1]their own food[/1] from light.": "As plantas fazem [1]o seu próprio alimento[/1] com luz.",
          "They take in water through their roots.": "Elas absorvem água pelas raízes.",
          "Leaves take in carbon dioxide from the air.": "As folhas absorvem dióxido de carbono do ar.",
          "The green colour comes from chlorophyll.": "A cor verde vem da chlorophyll."}
    store.add_suggestions([NewSuggestion(lesson, s.id, "translate", "pt", s.source_text, pt[s.source_text],
                                         {"engine": "test"}) for s in store.segments(lesson) if s.translatable])
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


def _login(browser, app: LiveApp, name: str, resource: int | None = None):
    context, page = app.login(browser, name)
    if resource is not None:  # the address keeps the resource: a reload there reopens it
        page.goto(f"{app.url}?resource={resource}")
        page.wait_for_selector("[data-testid=user]", timeout=30_000)
    expect(page.locator("#review-table tr.row").first).to_be_visible(timeout=30_000)
    return context, page


def _suggestion(app: LiveApp, startswith: str) -> int:
    return next(s.id for s in app.service.store.suggestions(_resource(app, "lesson.md"))
                if s.source_text.startswith(startswith))


def _resource(app: LiveApp, name: str) -> int:
    return next(r.id for r in app.service.store.resources() if r.source_name == name)


def _inside(inner: dict, outer: dict) -> bool:
    return (inner["y"] >= outer["y"] - 1 and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1)


def test_a_refused_conflict_is_said_on_the_row_and_a_replaced_decision_stays_after_a_reload(browser, app):
    sid = _suggestion(app, "They take in water")
    ctx_ed, ed = _login(browser, app, "ed")
    ctx_erin, erin = _login(browser, app, "erin")
    row_ed, row_erin = (p.locator(f"[data-testid=row-{sid}]") for p in (ed, erin))
    # Erin starts an edit on the version she sees; Ed accepts meanwhile.
    row_erin.locator("button[data-act=edit]").click()
    row_erin.locator("textarea").fill("A água entra pelas raízes (Erin).")
    row_ed.locator("button[data-act=accept]").click()
    expect(row_ed.locator(".badge")).to_have_text("accepted")
    # Erin saves: refused, and said on her row (with her unsaved text), not at the top of the page.
    row_erin.locator("button[data-act=save]").click()
    note = row_erin.locator("[data-testid=row-conflict]")
    expect(note).to_contain_text("changed while you were looking at it")
    expect(note).to_contain_text("Elas absorvem água pelas raízes.")
    expect(note.locator("q.yours")).to_have_text("A água entra pelas raízes (Erin).")
    assert _inside(note.bounding_box(), row_erin.bounding_box())
    expect(erin.locator("#message .msg")).to_have_count(0)
    # A live redraw (Ed's page polls too) keeps it on the row until Erin acts on the row again.
    erin.wait_for_timeout(3_000)
    expect(note).to_be_visible()
    erin.screenshot(path=str(app.out / "conflict-on-the-row.png"), full_page=True)
    # Erin decides again: her edit replaces Ed's accept.
    row_erin.locator("button[data-act=edit]").click()
    row_erin.locator("textarea").fill("A água entra pelas raízes (Erin).")
    row_erin.locator("button[data-act=save]").click()
    expect(row_erin.locator(".badge")).to_have_text("edited")
    expect(note).to_have_count(0)
    expect(row_erin.get_by_test_id("overruled")).to_contain_text("ed had accepted this; then you edited it")
    # Ed reloads: his row says that Erin replaced his decision (read from the decision log).
    ed.reload()
    replaced = ed.locator(f"[data-testid=row-{sid}] [data-testid=overruled]")
    expect(replaced).to_contain_text("You had accepted this; then erin edited it", timeout=30_000)
    ed.screenshot(path=str(app.out / "replaced-after-reload.png"), full_page=True)
    ctx_ed.close()
    ctx_erin.close()


def test_an_edit_that_drops_markers_shows_them_removed_and_headings_once(browser, app):
    sid = _suggestion(app, "Plants make")
    context, page = _login(browser, app, "tina")
    row = page.locator(f"[data-testid=row-{sid}]")
    row.locator("button[data-act=edit]").click()
    row.locator("textarea").fill("As plantas fazem o seu próprio alimento com luz.")
    row.locator("button[data-act=save]").click()
    expect(row.locator(".badge")).to_have_text("edited")
    # On the row: what the edit lost, and the removed markers struck through where they were.
    expect(row.locator(".row-msg.warning")).to_contain_text("Check this edit")
    expect(row.locator("[data-testid=removed-marker]")).to_have_text(["[1]", "[/1]"])
    # The detail, under the row: each heading once, the edit's diff with the removed markers.
    row.locator("td.src").click()
    detail = page.locator(f"#review-table tr.detail-row[data-for='{sid}']")
    expect(detail.get_by_test_id("detail")).to_be_visible()
    titles = detail.locator(".pair-title").all_inner_texts()
    assert sum(t.strip().casefold().startswith("machine suggestion") for t in titles) == 1, titles
    expect(detail.get_by_test_id("edit-diff").locator("[data-testid=removed-marker]")).to_have_count(2)
    page.screenshot(path=str(app.out / "removed-markers.png"), full_page=True)
    # After a reload the row still says so (computed from the stored text).
    page.reload()
    row = page.locator(f"[data-testid=row-{sid}]")
    expect(row.locator(".row-msg.warning")).to_contain_text("Check this edit", timeout=30_000)
    expect(row.locator("[data-testid=removed-marker]")).to_have_count(2)
    context.close()


def test_memory_glossary_and_related_resources_open_under_the_clicked_row(browser, app):
    sid = _suggestion(app, "The green colour")
    context, page = _login(browser, app, "tina")
    row = page.locator(f"[data-testid=row-{sid}]")
    row.locator("td.src").click()
    detail = page.locator(f"#review-table tr.detail-row[data-for='{sid}']")
    expect(detail).to_be_visible()
    # Right under the clicked row, in the table.
    row_box, detail_box = row.bounding_box(), detail.bounding_box()
    assert abs(detail_box["y"] - (row_box["y"] + row_box["height"])) < 3, (row_box, detail_box)
    memory = detail.get_by_test_id("memory")
    expect(memory).to_contain_text("A cor verde vem da clorofila.")
    expect(memory).to_contain_text("100%")
    expect(memory).to_contain_text("accepted by tina")
    glossary = detail.get_by_test_id("glossary")
    expect(glossary).to_contain_text("chlorophyll")
    expect(glossary).to_contain_text("keep as is")
    related = detail.get_by_test_id("segment-related")
    expect(related.get_by_test_id("related-empty")).to_be_visible(timeout=30_000)  # the catalogue is empty
    expect(related.get_by_label("Licence-compatible only")).to_be_visible()
    # Nothing of this sits below the table any more.
    expect(page.locator("#segment-related-box")).to_have_count(0)
    page.screenshot(path=str(app.out / "beside-the-row.png"), full_page=True)
    context.close()


def test_refused_by_the_checks_is_apart_and_export_warns_only_about_undecided_rows(browser, app):
    rid = _resource(app, "simple.md")
    context, page = _login(browser, app, "tina", resource=rid)
    counts = page.get_by_test_id("counts")
    expect(counts).to_contain_text("0 / 4 reviewed")
    expect(counts.get_by_test_id("refused-count")).to_contain_text("2 refused by the checks")
    expect(counts).to_contain_text("0 rejected")
    expect(page.locator("#review-table .badge.refused")).to_have_count(2)
    # Accept the pending two as they are: that is a decision, but the refusals still wait for a person.
    page.locator("#bulk").click()
    page.locator("#bulk-yes").click()
    expect(counts).to_contain_text("2 / 4 reviewed")
    page.get_by_role("tab", name="Export", exact=True).click()
    page.locator("#export").click()
    message = page.locator("#export-msg")
    expect(message.get_by_test_id("undecided")).to_contain_text("2 of 4 segments have no reviewer's decision yet")
    expect(message).to_contain_text("2 refused by the checks")
    expect(message).not_to_contain_text("machine output")
    # A person rejects the two refused ones: every row is decided, and the export says nothing more.
    page.get_by_role("tab", name="Review", exact=True).click()
    refused = page.locator("#review-table tr.row:has(.badge.refused)")
    for left in (1, 0):  # a person confirms each refusal (Reject), one row at a time
        refused.first.locator("button[data-act=reject]").click()
        expect(refused).to_have_count(left)
    expect(counts).to_contain_text("4 / 4 reviewed")
    expect(counts).to_contain_text("2 rejected")
    page.get_by_role("tab", name="Export", exact=True).click()
    page.locator("#export").click()
    expect(page.locator("#download")).to_be_visible(timeout=30_000)
    expect(message).not_to_contain_text("no reviewer's decision")
    expect(message).not_to_contain_text("More than half")
    page.screenshot(path=str(app.out / "export-all-decided.png"), full_page=True)
    context.close()


def test_licence_step_opens_its_panel_lists_licences_and_the_toggle_reads_the_confirmed_one(browser, app):
    lesson = Path(app.out) / "no-licence.md"
    lesson.write_text("# Water\n\nRain falls from the clouds onto the hills.\n\nRivers carry the water to the sea.\n",
                      encoding="utf-8")
    context, page = _login(browser, app, "tina")
    page.locator("#upload input[type=file]").set_input_files(str(lesson))
    rid = 0
    for _ in range(100):
        found = [r.id for r in app.service.store.resources() if r.source_name.endswith("no-licence.md")]
        if found:
            rid = found[0]
            break
        page.wait_for_timeout(200)
    assert rid, "the upload did not become a resource"
    seg = next(s for s in app.service.store.segments(rid) if s.translatable)
    (sid,) = app.service.store.add_suggestions([NewSuggestion(rid, seg.id, "translate", "pt", seg.source_text,
                                                              "A chuva cai das nuvens.", {"engine": "test"})])
    row = page.locator(f"[data-testid=row-{sid}]")
    expect(row).to_be_visible(timeout=LIVE_MS * 2)
    # Before any licence is known, the toggle says so in words a teacher can act on.
    row.locator("td.src").click()
    related = page.get_by_test_id("segment-related")
    related.get_by_label("Licence-compatible only").check()
    expect(related).to_contain_text("not known yet", timeout=30_000)
    expect(related).to_contain_text("under “Licence”")

    # Run without a licence: the panel the message points to is opened, never "below" and collapsed.
    box = page.get_by_label("Licence, when the file states none")
    expect(box).to_be_hidden()
    page.locator("#run").click()
    expect(page.locator("#sidebar .msg.error")).to_contain_text("now open")
    expect(box).to_be_visible()
    # A list of licences by name (not a free-text field).
    box.click()
    options = page.locator("[data-testid=dropdown-option]")
    expect(options.first).to_be_visible()
    names = options.all_inner_texts()
    for wanted in ("CC BY 4.0 — Creative Commons Attribution 4.0 International", "CC BY-SA 4.0", "CC BY-NC 4.0",
                   "CC BY-NC-SA 4.0", "CC0 1.0", "Public Domain Mark 1.0"):
        assert any(wanted in n for n in names), (wanted, names)
    options.filter(has_text="CC BY 4.0 — Creative Commons Attribution 4.0 International").click()
    expect(box).to_have_value("CC BY 4.0 — Creative Commons Attribution 4.0 International")
    page.get_by_label("I have checked this licence").check()
    page.screenshot(path=str(app.out / "licence-list.png"), full_page=True)
    page.locator("#run").click()
    expect(page.locator("#sidebar")).to_contain_text("queued")
    # The related resources' toggle now reads the confirmed CC BY 4.0.
    row.locator("td.src").click()
    related = page.get_by_test_id("segment-related")
    expect(related.get_by_test_id("related-empty")).to_be_visible(timeout=30_000)
    expect(related).not_to_contain_text("not known")
    assert related.get_by_label("Licence-compatible only").is_checked()
    context.close()
