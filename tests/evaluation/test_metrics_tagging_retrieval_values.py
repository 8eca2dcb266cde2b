"""Tagging and retrieval metrics against hand-computed tables, and nDCG against scikit-learn."""

from __future__ import annotations

import math

import pytest

from evaluation.metrics import MRR, NDCGAtK, RecallAtK, TagF1, TagPrecision, TagRecall, TopKAccuracy

GOLD = [["0613"], ["0313"], ["0613", "0611"]]
PREDICTED = [["0613", "0611"], ["0611", "0313"], ["0612"]]


@pytest.mark.parametrize(
    "metric, expected",
    [
        # k=1: predictions 0613, 0611, 0612 -> 1 true positive of 3 predicted, of 4 gold.
        (TagPrecision(k=1), 100 / 3),
        (TagRecall(k=1), 25.0),
        (TagF1(k=1), 100 * 2 * (1 / 3) * 0.25 / (1 / 3 + 0.25)),
        # all predictions: 0613, 0611 | 0611, 0313 | 0612 -> TP 2 of 5 predicted, of 4 gold.
        (TagPrecision(), 40.0),
        (TagRecall(), 50.0),
        (TopKAccuracy(k=1), 100 / 3),
        (TopKAccuracy(k=2), 200 / 3),
        # prefix 3 (ISCED narrow field): 0612 matches 061 of the third item.
        (TopKAccuracy(k=1, prefix=3), 200 / 3),
    ],
)
def test_tagging_metrics(metric, expected):
    assert metric.compute(gold=GOLD, predicted=PREDICTED).value == pytest.approx(expected)


def test_balanced_accuracy_shows_what_a_majority_floor_is_worth():
    from evaluation.metrics.tagging import BalancedTopK

    gold = [["0613"]] * 9 + [["0313"]]
    majority = [["0613"]] * 10
    assert TopKAccuracy(k=1).compute(gold=gold, predicted=majority).value == pytest.approx(90.0)
    assert BalancedTopK(k=1).compute(gold=gold, predicted=majority).value == pytest.approx(50.0)
    # 0613: items 1 (hit) and 3 (miss) -> 50; 0313: item 2 (miss) -> 0
    assert BalancedTopK(k=1).compute(gold=GOLD, predicted=PREDICTED).value == pytest.approx(25.0)


def test_tagging_settings_are_in_the_signature():
    a, b = TopKAccuracy(k=1), TopKAccuracy(k=3)
    assert a.name == "Top-1" and b.name == "Top-3"
    assert a.signature().digest != b.signature().digest
    assert TagF1(prefix=3).signature().digest != TagF1().signature().digest


RANKINGS = [["a", "b", "c"], ["x", "y", "z"], ["q", "r", "s"]]
RELEVANT = [["b"], ["x"], ["nothing-found"]]


@pytest.mark.parametrize(
    "metric, expected",
    [
        (RecallAtK(k=1), 100 / 3),
        (RecallAtK(k=2), 200 / 3),
        (MRR(), 100 * (0.5 + 1 + 0) / 3),
        (NDCGAtK(k=10), 100 * (1 / math.log2(3) + 1 + 0) / 3),
    ],
)
def test_retrieval_metrics(metric, expected):
    assert metric.compute(rankings=RANKINGS, relevant=RELEVANT).value == pytest.approx(expected)


def test_ndcg_linear_gain_agrees_with_scikit_learn():
    np = pytest.importorskip("numpy")
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    true_relevance = np.array([[3, 2, 3, 0, 1, 2]])
    scores = np.array([[6, 5, 4, 3, 2, 1]])  # the ranking is the documents' order
    expected = sklearn_metrics.ndcg_score(true_relevance, scores, k=6)
    grades = {str(i): float(g) for i, g in enumerate(true_relevance[0])}
    ours = NDCGAtK(k=6, gain="linear").compute(rankings=[[str(i) for i in range(6)]], relevant=[grades])
    assert ours.value == pytest.approx(100 * expected)


def test_duplicates_in_a_ranking_earn_nothing_twice():
    twice = NDCGAtK(k=3).compute(rankings=[["a", "a", "b"]], relevant=[["a", "b"]]).value
    once = NDCGAtK(k=3).compute(rankings=[["a", "c", "b"]], relevant=[["a", "b"]]).value
    assert twice == pytest.approx(once)
