"""`adapt accept --all` says how many flagged rows it took; `adapt eval markup` on a real book."""

from __future__ import annotations

from tests.conftest import shared_data


def test_accept_all_reports_the_flagged_rows_it_took(adapt, tmp_path):
    from adapt.service import AdaptService
    from adapt.settings import Settings
    from tests.adapt.test_markup_formats import MovingTranslator

    lesson = tmp_path / "lesson.md"
    lesson.write_text("# Bold\n\nSome **bold words** here.\n\nPlain text.\n", encoding="utf-8")
    svc = AdaptService(Settings.from_env(db_path=adapt.db))
    svc.engines.use_translator(MovingTranslator(), "mover")  # moves the bold words out: placed back, flagged
    rid = svc.translate_file(lesson, target="pt", engine="mover", assume_license="CC-BY-4.0").resource_id
    svc.close()
    rows = adapt.json("suggestions", rid)
    flagged = sum(1 for r in rows if r["qa_flags"])
    assert flagged == 1 and len(rows) == 3
    text = adapt("accept", "--resource", rid, "--all").stdout
    assert "accepted 3 suggestions (1 of them flagged by QA" in text
    assert adapt.json("accept", "--resource", rid, "--all") == {"resource": rid, "accepted": [], "flagged": 0}


def test_eval_markup_on_a_shared_book(adapt):
    book = shared_data() / "oer" / "openstax-economics-3e"
    out = adapt.json("eval", "markup", book, "--modules", "2")
    counts = out["books"]["openstax-economics-3e"]
    assert counts["modules"] == 2 and counts["pairs"] > 0
    assert counts["kept"] + counts["emptied"] + counts["lost"] + counts["broken"] == counts["pairs"]
    assert counts["unflagged"] == 0
    assert out["total"]["pairs"] == counts["pairs"]
    sig = out["signature"]
    assert sig["metric"] == "markup" and sig["settings"]["placement"] is True and sig["digest"]
    assert sig["model"]["engine"] == "bergamot"
    off = adapt.json("eval", "markup", book, "--modules", "1", "--no-placement")
    assert off["signature"]["settings"]["placement"] is False and off["signature"]["digest"] != sig["digest"]


def test_eval_markup_bad_input(adapt, tmp_path):
    assert adapt("eval", "markup", tmp_path / "missing", expect=None).exit_code != 0
    result = adapt("eval", "markup", tmp_path, "--modules", "0", expect=None)
    assert result.exit_code != 0
