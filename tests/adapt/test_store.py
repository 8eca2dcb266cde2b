"""The store: migrations, WAL, dedup on import, and the review state machine, on real SQLite and on a
real PostgreSQL server (the `database` fixture runs each test on both)."""

import sqlite3

import pytest

from adapt.document import Segment
from adapt.errors import ConflictError, InvalidDecision, UnknownResource, UnknownSuggestion
from adapt.store import NewResource, NewSuggestion, Store, replay
from adapt.store.postgres import database_errors

DATABASE_ERRORS = (sqlite3.DatabaseError, *database_errors())


def _resource(store: Store, data: bytes = b"# T\n\nHello.\n") -> int:
    segs = [Segment("heading-1", "heading", "T"), Segment("paragraph-1", "paragraph", "Hello.")]
    rid, _ = store.add_resource(NewResource("markdown", "t.md", data, language="en", title="T"), segs)
    return rid


def _suggest(store: Store, rid: int, text: str = "Olá.", key: str = "paragraph-1") -> int:
    seg = next(s for s in store.segments(rid) if s.key == key)
    (sid,) = store.add_suggestions(
        [NewSuggestion(rid, seg.id, "translate", "pt", seg.source_text, text, {"engine": "test"})]
    )
    return sid


def test_store_opens_with_wal_foreign_keys_and_migrations(store):
    if store.dialect == "sqlite":
        mode = store.read(lambda c: c.execute("PRAGMA journal_mode").fetchone()[0])
        fks = store.read(lambda c: c.execute("PRAGMA foreign_keys").fetchone()[0])
        assert mode == "wal" and fks == 1
    else:
        version = store.read(lambda c: c.execute("SHOW server_version_num").fetchone()[0])
        assert int(version) >= 150000
    # foreign keys hold on both: a segment of a resource that does not exist is refused
    with pytest.raises(DATABASE_ERRORS):
        store.write(lambda c: c.execute(
            "INSERT INTO segments (resource_id, key, position, kind, source_text) VALUES (999, 'k', 0, 'p', 'x')"))
    assert store.applied_migrations()[0] == 1
    assert [n for n, _, _ in Store.migrations()] == sorted(n for n, _, _ in Store.migrations())


def test_store_migrations_are_idempotent_across_reopen(database):
    path = database
    with Store(path) as s:
        rid = _resource(s)
    with Store(path) as s:
        assert s.resource(rid).title == "T"
        assert s.applied_migrations() == [n for n, _, _ in Store.migrations()]


def test_store_import_twice_does_not_duplicate(store):
    a = _resource(store)
    b, created = store.add_resource(NewResource("markdown", "copy.md", b"# T\n\nHello.\n"), [])
    assert a == b and not created
    assert len(store.resources()) == 1 and len(store.segments(a)) == 2


def test_store_accept_edit_undo_state_machine(store):
    rid = _resource(store)
    sid = _suggest(store, rid)
    assert store.suggestion(sid).status == "pending"
    assert store.accept(sid, actor="ana").status == "accepted"
    edited = store.edit(sid, "Olá!", actor="bea")
    assert (edited.status, edited.final_text, edited.current_text) == ("edited", "Olá!", "Olá!")
    undone = store.undo(sid, actor="bea")
    assert (undone.status, undone.final_text) == ("accepted", None)
    assert store.undo(sid, actor="ana").status == "pending"
    with pytest.raises(InvalidDecision):
        store.undo(sid, actor="ana")
    assert store.reject(sid, actor="ana").status == "rejected"
    log = store.decisions(sid)
    assert [d.action for d in log] == ["accept", "edit", "undo", "undo", "reject"]
    assert [d.actor for d in log] == ["ana", "bea", "bea", "ana", "ana"]
    assert replay(log)[0] == "rejected"


def test_store_decisions_are_append_only(store):
    rid = _resource(store)
    sid = _suggest(store, rid)
    store.accept(sid, actor="ana")
    with pytest.raises(DATABASE_ERRORS, match="append-only"):
        store.write(lambda c: c.execute("UPDATE decisions SET actor = 'eve'"))
    with pytest.raises(DATABASE_ERRORS, match="append-only"):
        store.write(lambda c: c.execute("DELETE FROM decisions"))
    with pytest.raises(DATABASE_ERRORS, match="never changes"):
        store.write(lambda c: c.execute("UPDATE suggestions SET text = 'x'"))
    assert store.decisions(sid)[0].actor == "ana"


def test_store_version_conflict_keeps_both_decisions_safe(store):
    rid = _resource(store)
    sid = _suggest(store, rid)
    seen_by_both = store.suggestion(sid).version
    store.edit(sid, "Primeira.", actor="ana", expected_version=seen_by_both)
    with pytest.raises(ConflictError, match="changed by ana"):
        store.edit(sid, "Segunda.", actor="bea", expected_version=seen_by_both)
    assert store.suggestion(sid).final_text == "Primeira."
    assert [d.actor for d in store.decisions(sid)] == ["ana"]


def test_store_rerunning_a_model_never_overwrites_decisions(store):
    rid = _resource(store)
    sid = _suggest(store, rid, "Olá.")
    store.edit(sid, "Olá a todos.", actor="ana")
    # the same output again is not added; a different one is added as a new pending suggestion
    assert _suggest_many(store, rid, ["Olá."]) == [None]
    (new_id,) = _suggest_many(store, rid, ["Oi."])
    assert store.suggestion(sid).final_text == "Olá a todos."
    assert store.suggestion(new_id).status == "pending"


def _suggest_many(store, rid, texts):
    seg = next(s for s in store.segments(rid) if s.key == "paragraph-1")
    return store.add_suggestions(
        [NewSuggestion(rid, seg.id, "translate", "pt", seg.source_text, t, {"engine": "test"}) for t in texts]
    )


def test_store_accept_all_can_skip_flagged(store):
    rid = _resource(store)
    seg = store.segments(rid)
    ids = store.add_suggestions([
        NewSuggestion(rid, seg[0].id, "translate", "pt", "T", "T", {}, qa_flags=[{"code": "x", "message": "m"}]),
        NewSuggestion(rid, seg[1].id, "translate", "pt", "Hello.", "Olá.", {}),
    ])
    assert store.accept_all(rid, actor="ana", only_unflagged=True) == [ids[1]]
    assert store.suggestion(ids[0]).status == "pending"


def test_store_unknown_ids_and_empty_edits_are_user_errors(store):
    with pytest.raises(UnknownResource):
        store.resource(42)
    with pytest.raises(UnknownSuggestion):
        store.accept(42, actor="ana")
    rid = _resource(store)
    sid = _suggest(store, rid)
    with pytest.raises(InvalidDecision):
        store.edit(sid, "   ", actor="ana")
    with pytest.raises(InvalidDecision):
        store.accept(sid, actor="")


def test_store_write_rolls_back_on_error(store):
    rid = _resource(store)

    def half(conn):
        conn.execute("UPDATE resources SET title = 'changed' WHERE id = ?", (rid,))
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        store.write(half)
    assert store.resource(rid).title == "T"
