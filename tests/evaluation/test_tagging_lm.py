"""evaluation.tagging_lm scores labels with the real packaged SmolLM2-135M-Instruct."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from evaluation.tagging_lm import RULES, LabelLikelihood, main


@pytest.fixture(scope="module")
def smollm(llm_cache: Path):
    from models.simplifiers.llm import load

    lm, tokenizer, _ = load(None, llm_cache)  # the session's one cache folder (tests/conftest.py)
    lm.eval()
    return lm, tokenizer


def test_label_likelihood_prefers_the_subject_of_a_plain_text(smollm):
    scorer = LabelLikelihood(*smollm, ["Law", "Cooking", "Physics and astronomy"])
    text = ("Newton's laws of motion. A force acting on a body changes its velocity; the acceleration is "
            "the net force divided by the mass, and every action has an equal and opposite reaction.")
    scores = scorer.scores(text)
    assert set(scores) == set(RULES)
    assert all(v.shape == (3,) and np.isfinite(v).all() for v in scores.values())
    assert int(np.argmax(scores["mean, calibrated"])) == 2
    # Labels of different lengths are scored over their own tokens only: padding adds nothing.
    alone = LabelLikelihood(*smollm, ["Law"]).scores(text)["sum"][0]
    assert alone == pytest.approx(scores["sum"][0], abs=1e-3)


def test_missing_data_is_a_user_error(tmp_path: Path, capsys):
    assert main(["--data", str(tmp_path / "nowhere")]) == 1
    assert "no OpenStax data" in capsys.readouterr().err


def test_fusion_puts_both_scales_on_one_footing():
    from evaluation.tagging_lm import fuse, zscore

    e5 = np.array([0.10, 0.12, 0.05])  # centred cosines: e5 prefers field 1
    lm = np.array([-2.0, -9.0, -8.0])  # log probabilities: the model prefers field 0, strongly
    assert int(np.argmax(fuse(e5, lm, 0.0))) == 1
    assert int(np.argmax(fuse(e5, lm, 1.0))) == 0
    np.testing.assert_allclose(zscore(np.array([3.0, 3.0])), [0.0, 0.0])  # no spread: no division by zero
