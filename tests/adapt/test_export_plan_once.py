"""One export click plans once (issue 13): the UI's download of the file and its JSON-LD reads the
resource at most 3 times, parses the source once, builds the attribution once, and planning, preview
and export write nothing to the store. Real store, real formats; a small fake model."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from adapt import attribution as attribution_module
from adapt import export as export_module
from adapt.store import Store
from tests.adapt.licensing_support import install_fake, write_lesson


@pytest.fixture
def reviewed(service, tmp_path):
    install_fake(service)
    summary = service.translate_file(write_lesson(tmp_path), target="pt", license="CC-BY-4.0")
    service.review.accept_all(summary.resource_id, actor="ana")
    editor = service.people.add("eli", "editor", "a long enough password")
    return service, summary.resource_id, editor


class Counting:
    """Counts calls of chosen functions (the real ones still run) and every statement that writes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, store: Store) -> None:
        self.calls: Counter[str] = Counter()
        self.writes: list[str] = []
        for name in ("resource", "resource_source", "suggestions", "segments", "decisions_for_resource"):
            self._wrap(monkeypatch, store, name, name)
        self._wrap(monkeypatch, export_module, "parse_stored", "parse")
        self._wrap(monkeypatch, attribution_module, "changes_report", "attribution")
        monkeypatch.setattr(store, "write", self._refuse_write)
        conn = store._connection()
        conn.set_trace_callback(self._statement)
        self._conn = conn

    def _wrap(self, monkeypatch, owner, attr: str, label: str) -> None:
        real = getattr(owner, attr)

        def counted(*args, **kwargs):
            self.calls[label] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, attr, counted)

    def _refuse_write(self, fn):
        self.writes.append(getattr(fn, "__qualname__", repr(fn)))
        raise AssertionError("planning, preview and export must not write to the store")

    def _statement(self, sql: str) -> None:
        head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if head in ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "BEGIN"):
            self.writes.append(sql)

    def stop(self) -> None:
        self._conn.set_trace_callback(None)


def test_one_export_click_plans_once_and_writes_nothing(reviewed, tmp_path, monkeypatch):
    service, resource_id, editor = reviewed
    session = service.session(editor)
    counting = Counting(monkeypatch, service.store)
    try:
        bundle = session.export_bundle(resource_id, tmp_path)
    finally:
        counting.stop()
    assert bundle.file is not None and bundle.metadata is not None, (bundle.file_error, bundle.metadata_error)
    assert bundle.file.path.read_text(encoding="utf-8").count("pt: ") >= 3
    assert bundle.metadata["inLanguage"] == "pt" and bundle.metadata_path.exists()
    assert counting.writes == []
    assert counting.calls["resource"] <= 3, counting.calls
    assert counting.calls["resource_source"] == 1 and counting.calls["parse"] == 1, counting.calls
    assert counting.calls["attribution"] == 1, counting.calls


def test_preview_and_export_write_nothing(reviewed, tmp_path, monkeypatch):
    service, resource_id, editor = reviewed
    session = service.session(editor)
    counting = Counting(monkeypatch, service.store)
    try:
        html = session.preview_html(resource_id)
        result = session.export(resource_id, tmp_path / "out.md")
        service.export(resource_id, tmp_path / "cli.md")
    finally:
        counting.stop()
    assert "pt: " in html and result.path.exists()
    assert counting.writes == []


def test_element_licences_are_decided_at_import_not_while_planning(service, tmp_path):
    """The plan reads the element decisions made at import; a licence set later re-decides them at once."""
    install_fake(service)
    lesson = write_lesson(tmp_path)
    summary = service.translate_file(lesson, target="pt", license="CC-BY-4.0")
    conn = sqlite3.connect(service.settings.db_path)
    before = conn.execute("SELECT COUNT(*) FROM segment_licenses").fetchone()[0]
    service.plan_export(summary.resource_id, include_unreviewed=True)
    assert conn.execute("SELECT COUNT(*) FROM segment_licenses").fetchone()[0] == before
    conn.close()
