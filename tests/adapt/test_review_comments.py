"""Comments on a suggestion (issue 14): stored with who and when, append-only, never a decision; roles
(teachers and editors comment, evaluators read); on SQLite and PostgreSQL (the `store` fixture)."""

from __future__ import annotations

import pytest

from adapt.comments import add_comment, comment, comments, comments_by_suggestion
from adapt.document import Segment
from adapt.errors import ConflictError, PermissionDenied, UnknownResource, UserError
from adapt.people import User
from adapt.store import NewResource, NewSuggestion, Store

TEACHER = User("tina", "teacher", "")
OTHER_TEACHER = User("olga", "teacher", "")
EDITOR = User("ed", "editor", "")
EVALUATOR = User("eve", "evaluator", "")


def _suggestion(store: Store) -> tuple[int, int]:
    segs = [Segment("p-1", "paragraph", "Water falls as rain."), Segment("p-2", "paragraph", "Rivers flow.")]
    rid, _ = store.add_resource(NewResource("markdown", "w.md", b"Water falls as rain.\n\nRivers flow.\n",
                                            language="en", owner="tina"), segs)
    seg = store.segments(rid)[0]
    (sid,) = store.add_suggestions([NewSuggestion(rid, seg.id, "translate", "pt", seg.source_text,
                                                  "A água cai como chuva.", {"engine": "t"})])
    assert sid is not None
    return rid, sid


def test_a_comment_is_kept_with_who_and_when_and_is_not_a_decision(store):
    rid, sid = _suggestion(store)
    seen = store.suggestion(sid)
    first = comment(store, TEACHER, sid, "  Check “chuva” with the author.  ")
    comment(store, EDITOR, sid, "Agreed, ask her.")
    listed = comments(store, sid)
    assert [(c.actor, c.text) for c in listed] == [("tina", "Check “chuva” with the author."),
                                                   ("ed", "Agreed, ask her.")]
    assert listed[0].id == first.id and listed[0].created_at <= listed[1].created_at
    after = store.suggestion(sid)
    # Not a decision: the status, the version (conflict checks) and the decision log are untouched.
    assert (after.status, after.version) == (seen.status, seen.version) and store.decisions(sid) == []
    store.accept(sid, actor="ed", expected_version=seen.version)  # the version seen before the comments holds
    with pytest.raises(ConflictError):
        store.reject(sid, actor="tina", expected_version=seen.version)
    assert comments_by_suggestion(store, rid) == {sid: listed}
    assert comments_by_suggestion(store, rid, [sid + 100]) == {}


def test_comments_are_append_only(store):
    _, sid = _suggestion(store)
    comment(store, TEACHER, sid, "Keep this.")
    errors = (Exception,)
    with pytest.raises(errors, match="append-only"):
        store.write(lambda c: c.execute("UPDATE suggestion_comments SET text = 'changed'"))
    with pytest.raises(errors, match="append-only"):
        store.write(lambda c: c.execute("DELETE FROM suggestion_comments"))
    assert [c.text for c in comments(store, sid)] == ["Keep this."]


def test_roles_evaluators_read_teachers_only_their_own(store):
    _, sid = _suggestion(store)
    with pytest.raises(PermissionDenied, match="can only read"):
        comment(store, EVALUATOR, sid, "I would change this.")
    with pytest.raises(UnknownResource):
        comment(store, OTHER_TEACHER, sid, "Not mine.")
    assert comments(store, sid) == []


@pytest.mark.parametrize("text, message", [("   ", "cannot be empty"), ("x" * 4001, "at most 4000")])
def test_bad_comments_say_what_to_change(store, text, message):
    _, sid = _suggestion(store)
    with pytest.raises(UserError, match=message):
        add_comment(store, sid, text, actor="tina")


def test_a_comment_on_a_missing_suggestion_is_a_user_error(store):
    with pytest.raises(UserError, match="no suggestion 999"):
        add_comment(store, 999, "Where?", actor="tina")


def test_a_refused_save_keeps_the_reviewers_text_as_a_comment(store):
    """Two reviewers on one row: the second one's edit (or accept with text) is refused, and their text is
    kept as a comment with who and when, so a reload does not lose it. A refused reject keeps nothing."""
    from adapt.review import REFUSED_TEXT_NOTE, decide

    _, sid = _suggestion(store)
    seen = store.suggestion(sid)
    decide(store, EDITOR, sid, "edit", expected_version=seen.version, text="A chuva cai.")
    with pytest.raises(ConflictError):
        decide(store, TEACHER, sid, "edit", expected_version=seen.version, text="A água cai em chuva.")
    with pytest.raises(ConflictError):
        decide(store, TEACHER, sid, "accept", expected_version=seen.version, text="Chove água.")
    with pytest.raises(ConflictError):
        decide(store, TEACHER, sid, "reject", expected_version=seen.version)
    kept = comments(store, sid)
    assert [(c.actor, c.text) for c in kept] == [("tina", REFUSED_TEXT_NOTE + "A água cai em chuva."),
                                                 ("tina", REFUSED_TEXT_NOTE + "Chove água.")]
    assert all(c.created_at for c in kept)
    after = store.suggestion(sid)
    assert after.current_text == "A chuva cai." and after.status == "edited"  # the winner's edit stands

    long_text = "palavra " * 1200  # longer than one comment: kept whole, in order, over several
    with pytest.raises(ConflictError):
        decide(store, TEACHER, sid, "edit", expected_version=seen.version, text=long_text.strip())
    pieces = [c.text for c in comments(store, sid)][2:]
    assert len(pieces) > 1 and "".join(pieces).replace(" ", "") == (REFUSED_TEXT_NOTE + long_text).replace(" ", "")
