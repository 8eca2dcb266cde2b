"""Tags and related resources in a real browser, with the real e5 models: a tag job on the uploaded
lesson, tags accepted / edited / rejected / undone like segment suggestions (conflicts included), the
metadata JSON-LD download holding what was accepted; and the catalogue items related to a clicked row's
segment, with the licence-compatible toggle."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from adapt.catalogue.embedding_cache import text_hash
from adapt.formats import parse_stored
from adapt.related import record_text
from adapt.store import NewSuggestion

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LESSON = Path(__file__).resolve().parent.parent / "fixtures" / "ui" / "lesson.md"


def tag_row(page, sid: int):
    return page.locator(f"#tags [data-testid=tag-{sid}]")


def test_app_tag_job_review_tags_and_download_metadata(browser, live_app):
    service = live_app.service
    context, page = live_app.login(browser, "tina")
    page.locator("#upload input[type=file]").set_input_files(str(LESSON))
    expect(page.get_by_text("imported as resource")).to_be_visible(timeout=30_000)
    page.get_by_label("Translate", exact=True).uncheck()
    page.get_by_label("Suggest tags").check()
    page.locator("#run").click()
    expect(page.locator("#jobs .job")).to_have_count(1)
    expect(page.locator("#jobs .job.done")).to_contain_text("suggest tags", timeout=300_000)

    rid = service.resources()[0].id
    tags = service.tags(rid)
    by_task: dict[str, list] = {}
    for t in tags:
        by_task.setdefault(t.task, []).append(t)
    assert {"tag:subject", "tag:keyword", "tag:language", "tag:educational_level"} <= set(by_task)
    subject = by_task["tag:subject"][0]
    kept, dropped, edited = by_task["tag:keyword"][:3]

    page.get_by_role("tab", name="Tags", exact=True).click()
    expect(page.locator("#tags tr.row")).to_have_count(len(tags))
    expect(page.get_by_test_id("tag-counts")).to_contain_text(f"0 / {len(tags)} tags accepted")
    expect(tag_row(page, subject.id)).to_contain_text(f"ISCED-F {subject.scores['code']}")
    expect(tag_row(page, subject.id)).to_contain_text("score ")
    for task in ("tag:language", "tag:educational_level"):
        expect(tag_row(page, by_task[task][0].id)).to_contain_text(by_task[task][0].text)
    page.screenshot(path=str(live_app.out / "tags-pending.png"), full_page=True)

    tag_row(page, subject.id).locator("button[data-act=accept]").click()
    expect(tag_row(page, subject.id).locator(".badge")).to_have_text("accepted")
    tag_row(page, kept.id).locator("button[data-act=accept]").click()
    expect(tag_row(page, kept.id).locator(".badge")).to_have_text("accepted")
    tag_row(page, edited.id).locator("button[data-act=edit]").click()
    tag_row(page, edited.id).locator("textarea").fill("plant nutrition")
    tag_row(page, edited.id).locator("button[data-act=save]").click()
    expect(tag_row(page, edited.id).locator(".badge")).to_have_text("edited")
    expect(tag_row(page, edited.id)).to_contain_text(f"(model: {edited.text})")
    tag_row(page, dropped.id).locator("button[data-act=reject]").click()
    expect(tag_row(page, dropped.id).locator(".badge")).to_have_text("rejected")
    tag_row(page, dropped.id).locator("button[data-act=undo]").click()
    expect(tag_row(page, dropped.id).locator(".badge")).to_have_text("pending")
    tag_row(page, dropped.id).locator("button[data-act=reject]").click()
    expect(tag_row(page, dropped.id).locator(".badge")).to_have_text("rejected")

    # Someone else decides a tag while this page shows the old version: told, nothing written twice.
    other = by_task["tag:language"][0]
    service.session(service.people.get("ed")).decide(other.id, "reject", expected_version=other.version)
    tag_row(page, other.id).locator("button[data-act=accept]").click()
    # said on the tag's own row (issue 14, defect 5)
    expect(tag_row(page, other.id).locator("[data-testid=row-conflict]")).to_contain_text(
        "changed while you were looking at it")
    expect(tag_row(page, other.id).locator(".badge")).to_have_text("rejected")
    assert service.review.suggestion(other.id).decided_by == "ed"
    page.screenshot(path=str(live_app.out / "tags-reviewed.png"), full_page=True)

    page.get_by_role("tab", name="Export", exact=True).click()
    page.locator("#export").click()
    expect(page.locator("#export-msg")).to_contain_text("LRMI JSON-LD")
    with page.expect_download() as info:
        page.locator("#download-metadata").click()
    assert info.value.suggested_filename == "lesson.src.jsonld"
    doc = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    (live_app.out / "lesson.src.jsonld").write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    text = json.dumps(doc, ensure_ascii=False)
    assert subject.scores["code"] in json.dumps(doc["about"], ensure_ascii=False)
    keywords = doc["keywords"] if isinstance(doc["keywords"], list) else [doc["keywords"]]
    assert kept.text in keywords and "plant nutrition" in keywords  # accepted, and the reviewer's edit
    assert dropped.text not in keywords and edited.text not in keywords  # rejected, and the model's replaced text
    assert by_task["tag:keyword"][3].text not in keywords  # pending: not in the metadata
    assert doc["name"] == "Photosynthesis" and "Reviewed by tina" in text
    with page.expect_download() as info:
        page.locator("#download").click()
    assert "Plants make their own food from light." in Path(info.value.path()).read_text(encoding="utf-8")
    page.screenshot(path=str(live_app.out / "export-metadata.png"), full_page=True)

    # An evaluator reads: no buttons on tags, and the metadata download is theirs too.
    ctx_eve, eve = live_app.login(browser, "eve")
    eve.get_by_role("tab", name="Tags", exact=True).click()
    expect(eve.locator(f"#tags [data-testid=tag-{subject.id}] .badge")).to_have_text("accepted")
    expect(eve.locator("#tags button[data-act]")).to_have_count(0)
    eve.get_by_role("tab", name="Export", exact=True).click()
    eve.locator("#export").click()
    expect(eve.locator("#download-metadata")).to_be_visible()
    assert live_app.outside == [], f"the page loaded something from outside the app: {live_app.outside}"
    ctx_eve.close()
    context.close()


def catalogue_files(folder: Path) -> list[Path]:
    roots = folder / "roots.md"
    roots.write_text("# How roots take up water\n\nRoots absorb water and minerals from the soil. Tiny root hairs "
                     "give the roots a large surface, so plants can drink enough water.\n", encoding="utf-8")
    records = folder / "records.jsonl"
    rows = [
        {"title": "Why leaves are green", "url": "https://example.org/chlorophyll", "language": "en",
         "licence": "CC-BY-NC-ND-4.0",
         "description": "Chlorophyll is the green pigment in leaves. It absorbs red and blue light and "
                        "reflects green."},
        {"title": "Volcanoes and lava", "url": "https://example.org/volcanoes", "language": "en",
         "licence": "CC-BY-4.0", "description": "A volcano erupts when molten rock rises through the crust."},
    ]
    records.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return [roots, records]


def test_app_related_resources_for_the_clicked_segment(browser, live_app, tmp_path):
    service = live_app.service
    data = LESSON.read_bytes()
    rid = service.import_document(parse_stored("markdown", "lesson.md", data), data, language="en",
                                  license="CC-BY-4.0", owner="tina").resource_id
    segments = {s.source_text: s for s in service.store.segments(rid) if s.translatable}
    green = segments["The green colour comes from chlorophyll."]
    roots = segments["They take in water through their roots."]
    ids = service.store.add_suggestions([
        NewSuggestion(rid, s.id, "translate", "pt", s.source_text, f"PT {s.source_text}",
                      {"model": "hand-written test suggestion"})
        for s in (green, roots)])
    green_id, roots_id = ids

    context, page = live_app.login(browser, "tina")
    panel = page.locator("#segment-related")  # in the clicked row's detail, under the row (issue 14)
    expect(panel).to_have_count(0)
    page.locator(f"[data-testid=row-{green_id}] td.src").click()
    expect(page.get_by_test_id("detail")).to_contain_text(f"Suggestion #{green_id}")
    expect(panel.get_by_test_id("related-empty")).to_contain_text("No open resources have been added")

    report = service.catalog_add(catalogue_files(tmp_path), license="CC-BY-4.0", language="en")
    assert report.added == 3
    page.locator(f"[data-testid=row-{green_id}] td.src").click()  # the same row: the catalogue changed
    results = panel.locator("ul.related li")
    expect(results.first).to_contain_text("Why leaves are green", timeout=60_000)
    first = results.first
    expect(first.locator(".muted").first).to_have_text("en · CC-BY-NC-ND-4.0 · jsonl")  # language · licence · format
    expect(first).to_contain_text("related (the catalogue is too small to say how closely)")  # 3 items: no scale
    expect(first.locator(".why q")).to_contain_text("Chlorophyll is the green pigment")
    expect(first.locator("a")).to_have_attribute("href", "https://example.org/chlorophyll")
    page.screenshot(path=str(live_app.out / "related-segment.png"), full_page=True)

    # Opening the resource (here: a reload) embeds its segments in the background, so that a clicked
    # row is a search only.
    cache = service.catalogue().cache
    hashes = [text_hash(record_text(r)) for r in service.store.segments(rid) if r.translatable and r.id != green.id]
    assert cache.missing(hashes)
    page.reload()
    expect(page.locator("#review-table tr.row").first).to_be_visible(timeout=30_000)
    expect(panel).to_have_count(0)  # a reload forgets the selection
    deadline = time.monotonic() + 60
    while cache.missing(hashes) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not cache.missing(hashes), "opening the resource did not prepare its segments"

    # Licence-compatible only: the no-derivatives item cannot go into a CC BY adaptation.
    page.locator(f"[data-testid=row-{green_id}] td.src").click()
    expect(results.first).to_contain_text("Why leaves are green")
    page.get_by_label("Licence-compatible only").check()
    expect(panel).not_to_contain_text("Why leaves are green")
    expect(panel.locator("ul.related li, [data-testid=related-none]").first).to_be_visible()

    page.locator(f"[data-testid=row-{roots_id}] td.src").click()
    expect(panel.locator("ul.related li").first).to_contain_text("How roots take up water")
    page.screenshot(path=str(live_app.out / "related-segment-compatible.png"), full_page=True)

    # The resource-level tab keeps each related resource as a suggestion a reviewer accepts or rejects.
    page.get_by_role("tab", name="Related resources", exact=True).click()
    rows = page.locator("#related tr.row")
    expect(rows.first).to_be_visible(timeout=60_000)
    stored = service.store.suggestions(rid, task="related")
    assert len(stored) == 3 and {s.status for s in stored} == {"pending"}
    by_title = {s.text.split(" <")[0]: s for s in stored}
    volcano, leaves = by_title["Volcanoes and lava"], by_title["Why leaves are green"]
    expect(page.locator(f"#related [data-testid=tag-{leaves.id}]")).to_contain_text("CC-BY-NC-ND-4.0")
    page.locator(f"#related [data-testid=tag-{leaves.id}] button[data-act=accept]").click()
    expect(page.locator(f"#related [data-testid=tag-{leaves.id}] .badge")).to_have_text("accepted")
    page.locator(f"#related [data-testid=tag-{volcano.id}] button[data-act=reject]").click()
    expect(page.locator(f"#related [data-testid=tag-{volcano.id}] .badge")).to_have_text("rejected")
    expect(page.get_by_test_id("related-counts")).to_contain_text("1 / 3 related resources accepted")
    assert service.store.suggestion(leaves.id).decided_by == "tina"
    assert service.store.suggestion(volcano.id).status == "rejected"
    page.screenshot(path=str(live_app.out / "related-review.png"), full_page=True)
    # Opening the tab again searches again but adds nothing twice, and keeps the decisions.
    page.get_by_role("tab", name="Tags", exact=True).click()
    page.get_by_role("tab", name="Related resources", exact=True).click()
    expect(page.locator(f"#related [data-testid=tag-{leaves.id}] .badge")).to_have_text("accepted")
    assert len(service.store.suggestions(rid, task="related")) == 3
    assert live_app.outside == [], f"the page loaded something from outside the app: {live_app.outside}"
    context.close()
