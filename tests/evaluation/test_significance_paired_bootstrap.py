"""Paired bootstrap: the same numbers as sacrebleu's --paired-bs for MT; it works for other metrics too."""

from __future__ import annotations

import random

import pytest

from evaluation.metrics import BLEU, CHRF, SARI, TopKAccuracy
from evaluation.significance import paired_bootstrap


def _systems(seed: int = 1, n: int = 120):
    rng = random.Random(seed)
    words = "the a cat dog sat on mat rug ran house big small".split()
    refs = [" ".join(rng.choice(words) for _ in range(8)) for _ in range(n)]
    good = [" ".join(w if rng.random() < 0.8 else rng.choice(words) for w in r.split()) for r in refs]
    worse = [" ".join(w if rng.random() < 0.75 else rng.choice(words) for w in r.split()) for r in refs]
    return refs, good, worse


@pytest.mark.parametrize("ours, theirs", [(BLEU, "BLEU"), (CHRF, "CHRF")])
def test_paired_bootstrap_matches_sacrebleu(ours, theirs):
    import sacrebleu.metrics
    from sacrebleu.significance import PairedTest

    refs, good, worse = _systems()
    comparison = paired_bootstrap(ours(), system=("good", {"hypotheses": good, "references": [refs]}),
                                  baseline=("worse", {"hypotheses": worse, "references": [refs]}), seed=12345)
    test = PairedTest([("worse", worse), ("good", good)], {"m": getattr(sacrebleu.metrics, theirs)()},
                      references=[refs], test_type="bs", n_samples=1000)
    _, results = test()
    expected = next(v for k, v in results.items() if k != "System")[1]
    assert comparison.system_score == pytest.approx(expected.score)
    assert comparison.p_value == pytest.approx(expected.p_value)
    assert comparison.system_ci[1] == pytest.approx(expected.ci, abs=1e-3)


def test_a_system_against_itself_is_not_significant():
    refs, good, _ = _systems()
    comparison = paired_bootstrap(BLEU(), system=("a", {"hypotheses": good, "references": [refs]}),
                                  baseline=("b", {"hypotheses": good, "references": [refs]}), n_samples=200)
    assert comparison.delta == 0 and not comparison.significant()


def test_a_clearly_better_system_is_significant_on_sari_and_accuracy():
    sources = [f"the committee approved the proposal number {i} yesterday ." for i in range(60)]
    refs = [[f"the group said yes to plan {i} ."] for i in range(60)]
    good = [r[0] for r in refs]
    comparison = paired_bootstrap(SARI(), system=("good", {"sources": sources, "predictions": good,
                                                           "references": refs}),
                                  baseline=("identity", {"sources": sources, "predictions": sources,
                                                         "references": refs}), n_samples=300)
    assert comparison.delta > 30 and comparison.significant()
    gold = [["a"]] * 50
    acc = paired_bootstrap(TopKAccuracy(k=1), system=("s", {"gold": gold, "predicted": [["a"]] * 45 + [["b"]] * 5}),
                           baseline=("b", {"gold": gold, "predicted": [["b"]] * 45 + [["a"]] * 5}), n_samples=300)
    assert acc.system_score == pytest.approx(90) and acc.significant()


def test_unequal_lengths_are_refused():
    with pytest.raises(ValueError):
        paired_bootstrap(BLEU(), system=("a", {"hypotheses": ["x"], "references": [["x"]]}),
                         baseline=("b", {"hypotheses": ["x", "y"], "references": [["x", "y"]]}))
