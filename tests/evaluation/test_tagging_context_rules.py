"""The book-context combination rules of evaluation.tagging_context, on small hand-made score rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from evaluation.tagging_context import main, rules


def test_tagging_context_rules_follow_module_and_book():
    # Three fields. The module leans to field 0 a little, the book to field 1 strongly.
    module = np.array([[0.30, 0.28, 0.0], [0.32, 0.27, 0.0]])
    book = [np.array([[0.0, 0.5, 0.1]]), np.array([[0.1, 0.4, 0.0]])]
    picks = {name: int(np.argmax(rule(module, book))) for name, rule in rules()}
    assert picks["module alone"] == 0
    assert picks["mean + 1.0 x book mean (tagger: 1.0)"] == 1
    assert all(p in (0, 1) for p in picks.values())  # field 2 is last for both: no rule picks it


def test_tagging_context_rank_rules_break_ties_by_score_not_field_order():
    # Module ranks field 1 first, the book field 0: rank sum ties; the summed scores favour field 1.
    module = np.array([[0.10, 0.40, 0.0]])
    book = [np.array([[0.30, 0.25, 0.0]])]
    picks = {name: int(np.argmax(rule(module, book))) for name, rule in rules()}
    assert picks["rank sum (module rank + book rank)"] == 1
    assert picks["reciprocal rank fusion, k=60"] == 1


def test_tagging_context_missing_data_is_a_user_error(tmp_path: Path, capsys):
    assert main(["--data", str(tmp_path / "nowhere")]) == 1
    assert "no OpenStax data" in capsys.readouterr().err
