"""Human-effort figures from a real review store where the tests made decisions (conftest)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from evaluation.effort import effort_figures, load_records
from evaluation.metrics.effort import word_edit_distance


def _group(groups, grouping, key):
    return next(g for g in groups if g.grouping == grouping and g.key == key)


def _value(group, metric):
    return next(s for s in group.scores if s.metric == metric)


def test_records_follow_the_decision_log(reviewed_store):
    records = {r.suggestion_id: r for r in load_records(reviewed_store.store)}
    ids = reviewed_store.ids
    assert records[ids["accepted"]].status == "accepted"
    assert records[ids["edited2"]].status == "edited"  # accept was undone
    assert records[ids["edited2"]].final == "Bom dia."
    assert records[ids["pending"]].first_decision_at is None
    assert records[ids["accepted"]].seconds_to_decision == pytest.approx(100, abs=30)


@pytest.mark.parametrize("a, b, expected", [("a b c", "a b c", 0), ("a b c", "a x c", 1), ("a b", "a b c d", 2),
                                            ("", "a b", 2)])
def test_word_edit_distance(a, b, expected):
    assert word_edit_distance(a, b) == expected


def test_effort_per_model(reviewed_store):
    groups = effort_figures(load_records(reviewed_store.store))
    bergamot = _group(groups, "model", "bergamot:enpt.student.tiny11@1")
    assert bergamot.suggestions == 3
    assert _value(bergamot, "Accepted").value == pytest.approx(100 / 3)  # 1 of 3 decided accepted as is
    assert _value(bergamot, "Accepted").details == {"accepted": 1, "edited": 1, "rejected": 1, "pending": 0}
    # kept: "O gato dorme." (0 edits, 3 words) and "O cão corre rápido." -> "O cachorro corre rápido." (1 of 4)
    assert _value(bergamot, "Edit rate").value == pytest.approx(100 * 1 / 7)
    assert _value(bergamot, "Unedited").value == pytest.approx(50.0)
    chrf = _value(bergamot, "chrF(sugg,final)").value
    assert 50 < chrf < 100
    assert _value(bergamot, "Seconds to decision").value == pytest.approx(100, abs=30)

    argos = _group(groups, "model", "argos:en_pt@1.9")
    assert _value(argos, "Accepted").value == 0.0
    assert _value(argos, "Accepted").details["pending"] == 1
    assert _value(argos, "Edit rate").value == pytest.approx(100 * 1 / 2)  # "Bom manhã." -> "Bom dia."
    assert _value(argos, "Unedited").value == 0.0


def test_effort_per_pair_task_and_overall(reviewed_store):
    groups = effort_figures(load_records(reviewed_store.store))
    overall = _group(groups, "all", "all")
    assert overall.suggestions == 5
    assert _value(overall, "Accepted").n == 4  # decided
    assert _group(groups, "pair", "en→pt").suggestions == 5
    assert _group(groups, "task", "translate").suggestions == 5
    assert "group:model=argos:en_pt@1.9" in _value(_group(groups, "model", "argos:en_pt@1.9"), "Accepted") \
        .signature.format()


def test_cli_eval_review_reads_the_store(reviewed_store, tmp_path):
    from adapt.cli import _register, cli

    _register()
    path = str(reviewed_store.store.path)
    result = CliRunner().invoke(cli, ["eval", "review", "--db", path, "--json", "--report", str(tmp_path / "rep")])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    rows = {s["name"]: {x["metric"]: x["value"] for x in s["scores"]} for s in payload["systems"]}
    assert rows["model=bergamot:enpt.student.tiny11@1"]["Edit rate"] == pytest.approx(100 / 7)
    assert rows["all"]["Accepted"] == pytest.approx(25.0)
    assert (tmp_path / "rep" / "report.html").is_file()
    assert any(p.name.endswith("edit-rate.png") for p in (tmp_path / "rep").iterdir())
    # The run was stored in the store it read, and can be rebuilt.
    from evaluation.runs import list_runs

    assert [r["suite"] for r in list_runs(reviewed_store.store)] == ["review"]


def test_cli_eval_review_text_output_and_missing_db(reviewed_store, tmp_path):
    from adapt.cli import _register, cli

    _register()
    result = CliRunner().invoke(cli, ["eval", "review", "--db", str(reviewed_store.store.path), "--no-save"])
    assert result.exit_code == 0
    assert "Edit rate" in result.output and "model=argos:en_pt@1.9" in result.output
    missing = CliRunner().invoke(cli, ["eval", "review", "--db", str(tmp_path / "nope.db")])
    assert missing.exit_code == 1
    assert "no database" in missing.output


def test_an_empty_store_says_nothing_was_decided(tmp_path):
    from adapt.store import Store
    from evaluation.effort import review_run

    with Store(tmp_path / "empty.db") as store:
        run = review_run(store)
    assert run.notes and "decided" in run.notes[0]
