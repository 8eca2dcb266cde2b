"""The diagonal adapter experiment of evaluation.tagging_adapter, on small hand-made vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from evaluation.tagging_adapter import Book, Scorer, _unit, leave_one_book_out, main


def _labels() -> np.ndarray:
    return np.eye(3, 6)  # three fields on the first three dimensions


def _pool() -> np.ndarray:
    return _unit(np.array([[1.0, 1.0, 1.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 1.0, 1.0, 0.0]]))


def _leaning_book(name: str, gold: int, rng: np.random.Generator) -> Book:
    # Every module leans towards field 2 more than towards its own field (a "hub" the pool does not show).
    modules = []
    for _ in range(6):
        v = np.zeros((3, 6))
        v[:, gold] = 0.3
        v[:, 2] += 0.45
        v[:, 3:] = rng.normal(0, 0.1, (3, 3)) + 0.5
        modules.append(_unit(v))
    return Book(name, gold, modules)


def test_without_an_adapter_the_scores_are_the_taggers():
    rng = np.random.default_rng(1)
    scorer = Scorer(_labels(), _pool())
    modules = [_unit(rng.normal(size=(4, 6))), _unit(rng.normal(size=(2, 6)))]
    import torch

    got = scorer.module_scores(modules, torch.zeros(6)).numpy()
    hub = (_pool() @ _labels().T).mean(0)
    want = np.vstack([(m @ _labels().T).mean(0) - hub for m in modules])
    np.testing.assert_allclose(got, want, atol=1e-6)


def test_the_adapter_learns_what_the_training_books_teach_and_a_heavy_penalty_keeps_the_baseline():
    rng = np.random.default_rng(2)
    books = [_leaning_book("a", 0, rng), _leaning_book("b", 1, rng), _leaning_book("c", 0, rng)]
    scorer = Scorer(_labels(), _pool())
    assert all(scorer.accuracy(b, None)[0] == 0.0 for b in books)  # everything goes to field 2
    scale = scorer.fit(books, lam=0.001, steps=200, lr=0.05)
    assert scale[2] < 0  # field 2's dimension is turned down
    assert all(scorer.accuracy(b, scale)[0] == 1.0 for b in books)
    assert np.abs(scorer.fit(books, lam=1000.0, steps=50)).max() < 0.05 * abs(scale[2])  # Adam jitters near 0
    # Left out, book "b" is the only one of field 1; the others still teach "not field 2".
    result = leave_one_book_out(scorer, books, lam=0.001, steps=200)
    assert set(result) == {"a", "b", "c"} and result["a"][0] == 1.0


def test_missing_data_is_a_user_error(tmp_path: Path, capsys):
    assert main(["--data", str(tmp_path / "nowhere")]) == 1
    assert "no OpenStax data" in capsys.readouterr().err
