"""An edit then accepted is counted, filtered and named as the reviewer's text ("edited"), as the export's
attribution counts it, on SQLite and PostgreSQL (the `store` fixture)."""

from __future__ import annotations

from adapt.attribution import changes_report
from adapt.document import Segment
from adapt.people import User
from adapt.review import ReviewFilter, decide, review_page
from adapt.store import NewResource, NewSuggestion

EDITOR = User("ed", "editor", "")


def _three(store) -> tuple[int, list[int]]:
    segs = [Segment(f"p-{i}", "paragraph", text) for i, text in enumerate(("Rain falls.", "Rivers flow.",
                                                                            "Seas rise."), start=1)]
    rid, _ = store.add_resource(NewResource("markdown", "w.md", b"Rain falls.\n\nRivers flow.\n\nSeas rise.\n",
                                            language="en", owner="ed"), segs)
    ids = store.add_suggestions([NewSuggestion(rid, seg.id, "translate", "pt", seg.source_text, machine,
                                               {"engine": "t"})
                                 for seg, machine in zip(store.segments(rid), ("Chove.", "Rios correm.", "Mares."))])
    return rid, [i for i in ids if i is not None]


def test_an_edit_then_accepted_is_counted_and_filtered_as_edited(store):
    rid, (plain, edited_then_accepted, only_edited) = _three(store)
    decide(store, EDITOR, plain, "accept", expected_version=store.suggestion(plain).version)
    s = decide(store, EDITOR, edited_then_accepted, "edit", text="A chuva cai.",
               expected_version=store.suggestion(edited_then_accepted).version)
    decide(store, EDITOR, edited_then_accepted, "accept", expected_version=s.version)
    decide(store, EDITOR, only_edited, "edit", text="Os mares sobem.",
           expected_version=store.suggestion(only_edited).version)
    assert store.suggestion(edited_then_accepted).status == "accepted"  # stored as a decision to accept

    counts = review_page(store, rid, ReviewFilter()).counts
    assert (counts.by_status["accepted"], counts.by_status["edited"], counts.reviewed) == (1, 2, 3)
    accepted = review_page(store, rid, ReviewFilter(status="accepted")).matching_ids
    edited = review_page(store, rid, ReviewFilter(status="edited")).matching_ids
    assert accepted == [plain] and sorted(edited) == sorted([edited_then_accepted, only_edited])
    # The same rows, searched (the filter then reads the texts): the same answer.
    assert review_page(store, rid, ReviewFilter(status="edited", search="chuva")).matching_ids == [
        edited_then_accepted]
    # What the export will say agrees with what the reviewer was shown.
    report = changes_report(store, rid)
    assert (report.accepted, report.edited) == (1, 2)
