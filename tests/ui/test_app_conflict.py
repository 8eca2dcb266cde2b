"""Two reviewers change the same suggestion: the second is told it changed, and nothing is lost."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from adapt.store import NewSuggestion

pytestmark = [pytest.mark.browser]
LESSON = b"# Water\n\nPlants take in water through their roots.\n\nLeaves lose water through pores.\n"


def seed(service) -> list[int]:
    """A resource with two stored suggestions (this test is about review state, not about a model)."""
    from adapt.formats import parse_stored

    doc = parse_stored("markdown", "water.md", LESSON)
    imported = service.import_document(doc, LESSON, language="en", owner="ed")
    segments = [s for s in service.store.segments(imported.resource_id) if s.translatable]
    texts = ["Água", "As plantas absorvem água pelas raízes.", "As folhas perdem água pelos poros."]
    new = [NewSuggestion(imported.resource_id, seg.id, "translate", "pt", seg.source_text, text,
                         {"model": "hand-written test suggestion"}) for seg, text in zip(segments, texts)]
    return [i for i in service.store.add_suggestions(new) if i is not None]


def test_app_second_reviewer_is_told_of_a_conflict(browser, live_app):
    ids = seed(live_app.service)
    ctx_a, page_a = live_app.login(browser, "ed")
    ctx_b, page_b = live_app.login(browser, "erin")
    row_a = page_a.locator(f"[data-testid=row-{ids[1]}]")
    row_b = page_b.locator(f"[data-testid=row-{ids[1]}]")
    expect(row_a).to_be_visible()
    expect(row_b).to_be_visible()  # both pages now hold version 0 of the suggestion

    # Erin starts editing version 0; meanwhile Ed saves his edit. (Pages redraw live, but an open edit
    # box keeps its text and the version it started from.)
    row_b.locator("button[data-act=edit]").click()
    row_b.locator("textarea").fill("As plantas bebem água pelas raízes.")
    row_a.locator("button[data-act=edit]").click()
    row_a.locator("textarea").fill("As plantas absorvem a água pelas raízes.")
    row_a.locator("button[data-act=save]").click()
    expect(row_a.locator(".badge")).to_have_text("edited")

    # Erin saves: she is told, and her text is shown back to her.
    row_b.locator("button[data-act=save]").click()
    message = row_b.locator("[data-testid=row-conflict]")  # on the row it is about (issue 14, defect 5)
    expect(message).to_contain_text("changed while you were looking at it")
    expect(message).to_contain_text("ed at")
    expect(message).to_contain_text("As plantas absorvem a água pelas raízes.")  # the current text
    expect(message.locator("q.yours")).to_have_text("As plantas bebem água pelas raízes.")  # hers, not lost
    expect(row_b.locator(".badge")).to_have_text("edited")  # the row now shows Ed's version
    expect(message).to_contain_text("It is kept in the row's history.")
    page_b.screenshot(path=str(live_app.out / "conflict.png"), full_page=True)

    # After a reload her refused text is still there: in the row's history, as a comment of hers.
    page_b.reload()
    row_b = page_b.locator(f"[data-testid=row-{ids[1]}]")
    row_b.locator("td.src").click()
    expect(page_b.get_by_test_id("detail")).to_contain_text("Not saved: someone else decided first. The text was: "
                                                            "As plantas bebem água pelas raízes.", timeout=30_000)

    stored = live_app.service.review.suggestion(ids[1])
    assert stored.final_text == "As plantas absorvem a água pelas raízes." and stored.decided_by == "ed"
    assert [(d.action, d.actor) for d in live_app.service.store.decisions(ids[1])] == [("edit", "ed")]

    # Deciding again on the refreshed row works, and both decisions stay in the log.
    row_b.locator("button[data-act=accept]").click()
    expect(row_b.locator(".badge")).to_have_text("accepted with edits")  # Ed's text stands
    assert [(d.action, d.actor) for d in live_app.service.store.decisions(ids[1])] == [("edit", "ed"),
                                                                                       ("accept", "erin")]
    assert live_app.outside == []
    ctx_a.close()
    ctx_b.close()


def test_app_evaluator_reads_only_and_teacher_sees_own(browser, live_app):
    ids = seed(live_app.service)
    ctx, page = live_app.login(browser, "eve")
    expect(page.locator(f"[data-testid=row-{ids[0]}]")).to_be_visible()
    assert page.locator("#review-table button[data-act]").count() == 0
    expect(page.get_by_text("you can read everything and change nothing")).to_be_visible()
    page.screenshot(path=str(live_app.out / "evaluator.png"), full_page=True)
    ctx.close()
    ctx, page = live_app.login(browser, "tina")  # a teacher: the resource is Ed's
    expect(page.locator("#review-table")).to_contain_text("Upload a file or pick a resource")
    ctx.close()
