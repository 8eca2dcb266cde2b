"""`adapt comment SUGGESTION "text"` (issue 14): listed in `adapt history` and in suggestion JSON; a
registered evaluator cannot comment; a missing suggestion or an empty comment is a user error (exit 1)."""

from __future__ import annotations

from adapt.document import Segment
from adapt.store import NewResource, NewSuggestion, Store


def _seed(db) -> tuple[int, int]:
    store = Store(db)
    rid, _ = store.add_resource(NewResource("markdown", "w.md", b"Rain falls.\n", language="en"),
                                [Segment("p-1", "paragraph", "Rain falls.")])
    seg = store.segments(rid)[0]
    (sid,) = store.add_suggestions([NewSuggestion(rid, seg.id, "translate", "pt", "Rain falls.", "A chuva cai.",
                                                  {"engine": "t"})])
    store.close()
    return rid, sid


def test_comment_shows_in_history_and_suggestion_json(adapt):
    rid, sid = _seed(adapt.db)
    adapt("accept", sid)
    added = adapt.json("comment", sid, "Check the verb with the author.", "--as", "tina")
    assert added["actor"] == "tina" and added["text"] == "Check the verb with the author." and added["at"]
    assert "commented on" in adapt("comment", sid, "Done, it is fine.").stdout
    history = adapt.json("history", sid)
    assert [(h["action"], h["actor"]) for h in history] == [("accept", "tester"), ("comment", "tina"),
                                                            ("comment", "tester")]
    assert "tina comment Check the verb with the author." in adapt("history", sid).stdout
    (row,) = adapt.json("suggestions", rid)
    assert [c["text"] for c in row["comments"]] == ["Check the verb with the author.", "Done, it is fine."]
    assert row["status"] == "accepted" and row["version"] == 1  # comments are not decisions


def test_comment_refuses_evaluators_missing_suggestions_and_empty_text(adapt):
    _, sid = _seed(adapt.db)
    from adapt.service import AdaptService
    from adapt.settings import Settings

    svc = AdaptService(Settings(db_path=adapt.db, cache_dir=adapt.db.parent / "cache"))
    svc.people.add("eve", "evaluator", "a long password 1")
    svc.close()
    result = adapt("comment", sid, "Looks wrong.", "--as", "eve", expect=1)
    assert "eve is an evaluator and can only read" in result.stderr
    assert "no suggestion 99" in adapt("comment", 99, "Where?", expect=1).stderr
    assert "cannot be empty" in adapt("comment", sid, "   ", expect=1).stderr
    assert adapt.json("history", sid) == []
