"""Accepting an edited suggestion confirms the edit: no decision silently replaces a reviewer's text
(store, review decisions, another reviewer's accept, bulk accept, and the export)."""

from __future__ import annotations

import pytest

from adapt.errors import InvalidDecision
from adapt.store import Decision, replay
from tests.adapt.test_review_page import people, seed  # noqa: F401  (fixture and helper)


def _first(service, rid: int):
    return service.session(service.people.get("tina")).review_page(rid).rows[1]  # a paragraph without flags


def test_accept_after_edit_keeps_the_edit_and_logs_it(service, people):  # noqa: F811
    rid = seed(service)
    s = _first(service, rid)
    service.store.edit(s.id, "Texto revisto.", actor="tina")
    accepted = service.store.accept(s.id, actor="tina")
    assert (accepted.status, accepted.final_text, accepted.current_text) == ("accepted", "Texto revisto.",
                                                                             "Texto revisto.")
    log = service.store.decisions(s.id)
    assert [(d.action, d.text) for d in log] == [("edit", "Texto revisto."), ("accept", "Texto revisto.")]
    # undo of the accept goes back to the edit, a second undo to the machine text
    assert service.store.undo(s.id, actor="tina").final_text == "Texto revisto."
    assert service.store.undo(s.id, actor="tina").final_text is None


def test_another_reviewers_accept_keeps_the_first_reviewers_edit(service, people):  # noqa: F811
    rid = seed(service)
    s = _first(service, rid)
    edited = service.session(people["tina"]).decide(s.id, "edit", expected_version=s.version, text="Versão da Tina.")
    by_ed = service.session(people["ed"]).decide(s.id, "accept", expected_version=edited.version)
    assert (by_ed.status, by_ed.current_text, by_ed.decided_by) == ("accepted", "Versão da Tina.", "ed")


def test_accept_with_the_edit_box_text_accepts_that_text(service, people):  # noqa: F811
    rid = seed(service)
    s = _first(service, rid)
    done = service.session(people["tina"]).decide(s.id, "accept", expected_version=s.version, text="Escrito e aceite.")
    assert (done.status, done.final_text) == ("accepted", "Escrito e aceite.")
    # the unchanged machine text in the box is a plain accept
    other = service.session(people["tina"]).review_page(rid).rows[2]
    plain = service.session(people["tina"]).decide(other.id, "accept", expected_version=other.version, text=other.text)
    assert (plain.status, plain.final_text) == ("accepted", None)
    with pytest.raises(InvalidDecision):
        service.session(people["tina"]).decide(other.id, "accept", expected_version=None, text="   ")


def test_bulk_accept_leaves_edited_rows_as_the_reviewer_wrote_them(service, people):  # noqa: F811
    rid = seed(service)
    s = _first(service, rid)
    service.store.edit(s.id, "Mão humana.", actor="tina")
    view = service.session(people["tina"]).review_page(rid)
    done = service.session(people["tina"]).accept_unflagged(rid, view.matching_ids)
    assert s.id not in done and done
    assert service.store.suggestion(s.id).current_text == "Mão humana."


def test_old_logs_without_the_accepted_text_replay_to_the_edit():
    def d(i: int, action: str, text: str | None = None) -> Decision:
        return Decision(i, 1, action, text, "ana", "2026-01-01T00:00:00Z")

    assert replay([d(1, "edit", "E"), d(2, "accept")])[:2] == ("accepted", "E")
    assert replay([d(1, "edit", "E"), d(2, "accept"), d(3, "accept")])[:2] == ("accepted", "E")
    assert replay([d(1, "edit", "E"), d(2, "reject"), d(3, "accept")])[:2] == ("accepted", None)
    assert replay([d(1, "accept")])[:2] == ("accepted", None)


def test_export_after_edit_then_accept_has_the_edit(service, people, tmp_path):  # noqa: F811
    rid = seed(service)
    s = _first(service, rid)
    service.store.edit(s.id, "Frase da professora.", actor="tina")
    service.store.accept(s.id, actor="tina")
    out = tmp_path / "out.md"
    report = service.export(rid, out, target_language="pt")
    assert "Frase da professora." in out.read_text()
    assert (report.export.stats.edited, report.export.stats.accepted) == (1, 0)
    # The notes count it as the export does: edited by a reviewer, not accepted unchanged (the journey test
    # found the notes saying "0 edited" while the export said "1 edited").
    from adapt.attribution import changes_report

    report_counts = changes_report(service.store, rid, target_language="pt")
    assert (report_counts.edited, report_counts.accepted) == (1, 0)
    notes = [line for line in out.read_text().splitlines() if line.startswith(">")]
    assert any("1 (8%) editados por um revisor" in line and "0 (0%) aceites sem alterações" in line
               for line in notes), notes
