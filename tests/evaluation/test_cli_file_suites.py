"""`adapt eval translate|simplify|tag` on files, scoring existing outputs (--hyp); runs stored and reports
rebuilt from the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

SRC = ["The cat sleeps on the mat.", "It costs 12 euros.", "Read chapter 3 tonight."]
REF = ["O gato dorme no tapete.", "Custa 12 euros.", "Leia o capítulo 3 hoje à noite."]
HYP = ["O gato dorme no tapete.", "Custa 13 euros.", "Leia o capítulo 3 esta noite."]


def _write(path: Path, lines: list[str], newline: str = "\n") -> Path:
    path.write_bytes(newline.join(lines).encode("utf-8") + newline.encode())
    return path


def _invoke(tmp_path: Path, *args: str):
    from adapt.cli import _register, cli

    _register()
    return CliRunner().invoke(cli, ["--db", str(tmp_path / "adapt.db"), "eval", *args])


def test_translate_scores_an_existing_output_next_to_the_floor(tmp_path):
    src, ref = _write(tmp_path / "src.txt", SRC), _write(tmp_path / "ref.txt", REF, "\r\n")  # CRLF like NTREX
    hyp = _write(tmp_path / "mt.txt", HYP)
    result = _invoke(tmp_path, "translate", "--src", str(src), "--ref", str(ref), "--to", "pt", "--hyp", str(hyp),
                     "--json", "--bootstrap", "200")
    assert result.exit_code == 0, result.output
    run = json.loads(result.output)
    systems = {s["name"]: {x["metric"]: x for x in s["scores"]} for s in run["systems"]}
    assert set(systems) == {"copy-source", "mt"}
    import sacrebleu

    assert systems["mt"]["BLEU"]["value"] == pytest.approx(sacrebleu.corpus_bleu(HYP, [REF]).score)
    assert systems["mt"]["BLEU"]["value"] > systems["copy-source"]["BLEU"]["value"]
    assert systems["mt"]["QA pass"]["value"] == pytest.approx(200 / 3)  # 12 -> 13 is flagged
    assert "sacrebleu:2.6.0" in systems["mt"]["BLEU"]["signature"]
    assert "model:file:mt.txt@sha256:" in systems["mt"]["BLEU"]["signature"]
    assert {c["metric"] for c in run["comparisons"]} == {"BLEU", "chrF"}
    assert run["run"] == 1


def test_several_outputs_and_references_in_one_run_then_a_rebuilt_report(tmp_path):
    src, ref = _write(tmp_path / "src.txt", SRC), _write(tmp_path / "ref.txt", REF)
    ref2 = _write(tmp_path / "ref2.txt", HYP)
    a, b = _write(tmp_path / "a.txt", HYP), _write(tmp_path / "b.txt", SRC)
    result = _invoke(tmp_path, "translate", "--src", str(src), "--ref", str(ref), "--ref", str(ref2), "--to", "pt",
                     "--hyp", f"first={a}", "--hyp", f"second={b}", "--bootstrap", "100")
    assert result.exit_code == 0, result.output
    assert "first" in result.output and "second" in result.output and "copy-source" in result.output
    report = _invoke(tmp_path, "report", "1", "--out", str(tmp_path / "rep"), "--json")
    assert report.exit_code == 0, report.output
    md = (tmp_path / "rep" / "report.md").read_text(encoding="utf-8")
    assert "| first |" in md and "| copy-source | baseline |" in md and "nrefs" not in md.split("Signatures")[0]
    html = (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")
    assert html.count("<table>") >= 3 and "data:image/png;base64," in html
    assert (tmp_path / "rep" / "run1-scores.png").stat().st_size > 1000
    listing = _invoke(tmp_path, "runs", "--json")
    assert json.loads(listing.output)[0]["systems"] == "copy-source, first, second"


def test_limit_and_a_misaligned_output(tmp_path):
    src, ref = _write(tmp_path / "src.txt", SRC), _write(tmp_path / "ref.txt", REF)
    short = _write(tmp_path / "short.txt", HYP[:2])
    limited = _invoke(tmp_path, "translate", "--src", str(src), "--ref", str(ref), "--to", "pt", "--hyp", str(short),
                      "--limit", "2", "--json", "--no-save", "--bootstrap", "0")
    assert limited.exit_code == 0, limited.output
    assert json.loads(limited.output)["segments"] == 2
    wrong = _invoke(tmp_path, "translate", "--src", str(src), "--ref", str(ref), "--to", "pt", "--hyp", str(short))
    assert wrong.exit_code == 1 and "has 2 lines but the suite has 3" in wrong.output


def test_unknown_engine_fails_with_a_clear_message(tmp_path):
    src, ref = _write(tmp_path / "src.txt", SRC), _write(tmp_path / "ref.txt", REF)
    result = _invoke(tmp_path, "translate", "--src", str(src), "--ref", str(ref), "--to", "pt", "--engine", "nope")
    assert result.exit_code == 1 and "unknown translation engine 'nope'" in result.output


def test_simplify_scores_outputs_with_sari_and_the_identity_floor(tmp_path):
    orig = _write(tmp_path / "orig.txt", ["The committee approved the proposal after a lengthy deliberation ."])
    ref = _write(tmp_path / "ref.txt", ["The group said yes to the plan after a long talk ."])
    hyp = _write(tmp_path / "out.txt", ["The group said yes to the plan after a long talk ."])
    result = _invoke(tmp_path, "simplify", "--orig", str(orig), "--refs", str(ref), "--hyp", str(hyp),
                     "--embedder", "none", "--json", "--bootstrap", "0")
    assert result.exit_code == 0, result.output
    systems = {s["name"]: {x["metric"]: x["value"] for x in s["scores"]} for s in json.loads(result.output)["systems"]}
    assert systems["out"]["SARI"] > systems["identity"]["SARI"]
    assert systems["identity"]["Compression"] == 1.0


def test_simplify_engine_that_is_not_installed_says_so(tmp_path):
    orig = _write(tmp_path / "orig.txt", ["A sentence ."])
    result = _invoke(tmp_path, "simplify", "--orig", str(orig), "--refs", str(orig), "--engine", "no-such-simplifier")
    assert result.exit_code == 1 and "no-such-simplifier" in result.output


def test_tag_scores_predictions_against_gold(tmp_path):
    gold = tmp_path / "gold.tsv"
    gold.write_text("path\tlabel\na.md\t0613\nb.md\t0313\nc.md\t0613,0611\n", encoding="utf-8")
    hyp = tmp_path / "pred.tsv"
    hyp.write_text("a.md\t0613,0611\nb.md\t0611,0313\nc.md\t0612\n", encoding="utf-8")
    result = _invoke(tmp_path, "tag", "--gold", str(gold), "--hyp", str(hyp), "--json", "--bootstrap", "0")
    assert result.exit_code == 0, result.output
    systems = {s["name"]: {x["metric"]: x["value"] for x in s["scores"]} for s in json.loads(result.output)["systems"]}
    assert systems["pred"]["Top-1"] == pytest.approx(100 / 3)
    assert systems["pred"]["Top-3"] == pytest.approx(200 / 3)
    assert systems["majority"]["Top-1"] == pytest.approx(200 / 3)  # 0613 is gold for 2 of 3
    prefixed = _invoke(tmp_path, "tag", "--gold", str(gold), "--hyp", str(hyp), "--prefix", "3", "--json",
                       "--no-save", "--bootstrap", "0")
    systems = {s["name"]: {x["metric"]: x["value"] for x in s["scores"]}
               for s in json.loads(prefixed.output)["systems"]}
    assert systems["pred"]["Top-1"] == pytest.approx(200 / 3)


def test_tag_with_an_unknown_tagger_degrades_clearly(tmp_path):
    gold = tmp_path / "gold.tsv"
    gold.write_text("a.md\t0613\n", encoding="utf-8")
    result = _invoke(tmp_path, "tag", "--gold", str(gold), "--engine", "zero-shot")
    assert result.exit_code == 1
    assert "unknown tagger 'zero-shot'" in result.output


def test_suite_list(tmp_path):
    result = _invoke(tmp_path, "suite", "--list", "--json")
    assert {s["name"] for s in json.loads(result.output)} == {"ntrex-en-pt", "onestop-simplify", "openstax-tagging",
                                                              "ntrex-retrieval"}
    unknown = _invoke(tmp_path, "suite", "flores")
    assert unknown.exit_code == 1 and "no suite 'flores'" in unknown.output


def test_two_systems_with_one_name_are_refused_before_running(tmp_path):
    src, ref = _write(tmp_path / "src.txt", SRC), _write(tmp_path / "ref.txt", REF)
    a = _write(tmp_path / "out.txt", HYP)
    (tmp_path / "other").mkdir()
    b = _write(tmp_path / "other" / "out.txt", HYP)
    result = _invoke(tmp_path, "translate", "--src", str(src), "--ref", str(ref), "--to", "pt", "--hyp", str(a),
                     "--hyp", str(b))
    assert result.exit_code == 1 and "both named 'out'" in result.output
    named = _invoke(tmp_path, "translate", "--src", str(src), "--ref", str(ref), "--to", "pt", "--hyp", str(a),
                    "--hyp", f"other={b}", "--engine", "copy-source", "--bootstrap", "0")
    assert named.exit_code == 0, named.output
