"""SARI against published values, and the other simplification metrics.

The SARI values are those printed by the authors' reference implementation for its own worked example
(Wei Xu, cocoxu/simplification, SARI.py, `main()`; Xu et al. 2016, TACL 4: "Optimizing Statistical
Machine Translation for Text Simplification"). EASSE (feralvam/easse, tests/test_sari.py,
`test_sentence_sari`) asserts the same three numbers: 26.82782411698074, 58.89995423074248 and
50.71608864657479 (on a 0-100 scale).
"""

from __future__ import annotations

import pytest

from evaluation.metrics import SARI, CompressionRatio, MeaningSimilarity
from evaluation.metrics.simplification import sari, sari_sentence

SOURCE = "About 95 species are currently accepted ."
REFERENCES = ["About 95 species are currently known .", "About 95 species are now accepted .",
              "95 species are now accepted ."]


@pytest.mark.parametrize(
    "prediction, expected",
    [
        ("About 95 you now get in .", 26.82782411698074),
        ("About 95 species are now agreed .", 58.89995423074248),
        ("About 95 species are currently agreed .", 50.71608864657479),
    ],
)
def test_sari_matches_the_reference_implementation(prediction, expected):
    assert 100 * sari_sentence(SOURCE, prediction, REFERENCES) == pytest.approx(expected, abs=1e-9)
    score = SARI(tokenize="none", mode="sentence-mean").compute(sources=[SOURCE], predictions=[prediction],
                                                               references=[REFERENCES])
    assert score.value == pytest.approx(expected, abs=1e-9)
    assert score.metric == "SARI-mean"


def test_sari_plain_function_tokenises_untokenised_text_like_the_paper_data():
    # 13a tokenisation splits the final full stop, giving the same tokens as the pre-tokenised example.
    value = sari(sources=["About 95 species are currently accepted."], predictions=["About 95 you now get in."],
                 references=[[r.replace(" .", ".") for r in REFERENCES]], mode="sentence-mean")
    assert value == pytest.approx(26.82782411698074, abs=1e-9)


def test_sentence_mean_sari_is_the_mean_of_sentence_sari_and_splits_into_operations():
    predictions = ["About 95 you now get in .", "About 95 species are now agreed ."]
    score = SARI(tokenize="none", mode="sentence-mean").compute(sources=[SOURCE, SOURCE], predictions=predictions,
                                          references=[REFERENCES, REFERENCES])
    assert score.value == pytest.approx((26.82782411698074 + 58.89995423074248) / 2, abs=1e-9)
    parts = score.details
    assert (parts["keep"] + parts["delete"] + parts["add"]) / 3 == pytest.approx(score.value, abs=1e-3)


@pytest.mark.parametrize(
    "prediction, references, check",
    [
        # Copying the source adds nothing and deletes nothing: add = 0 and delete = 0.
        (SOURCE, REFERENCES, lambda d: d["add"] == 0 and d["delete"] == 0),
        # Producing the reference exactly: every addition and deletion right. KEEP is 75, not 100: no source
        # 4-gram survives, and the reference code scores an empty order 0 (a known SARI quirk).
        ("95 species are now accepted .", ["95 species are now accepted ."],
         lambda d: d["add"] == 100 and d["delete"] == 100 and d["keep"] == 75),
    ],
)
def test_sari_operations_behave(prediction, references, check):
    score = SARI(tokenize="none", mode="sentence-mean").compute(sources=[SOURCE], predictions=[prediction],
                                                               references=[references])
    assert check(score.details)


# Corpus SARI (EASSE's default) ---------------------------------------------------------------------------
# Expected values were printed by EASSE's own `easse.sari.corpus_sari` (feralvam/easse, default arguments:
# lowercase, 13a, not legacy) on these inputs; its tests/test_sari.py checks ACCESS on TurkCorpus test: 41.381013.
EASSE_SOURCE = "About 95 species are currently accepted."
EASSE_REFS = ["About 95 species are currently known.", "About 95 species are now accepted.",
              "95 species are now accepted."]
MAT_REFS = ["The cat sat on the red mat.", "A cat sat on a mat. The mat was red.",
            "The cat sat on the mat. The mat was red."]


@pytest.mark.parametrize(
    "sources, predictions, references, expected",
    [
        ([EASSE_SOURCE], ["About 95 you now get in."], [EASSE_REFS], 31.350246975246975),
        ([EASSE_SOURCE], ["About 95 species are now agreed."], [EASSE_REFS], 63.23743386243385),
        ([EASSE_SOURCE] * 3, ["About 95 you now get in.", "About 95 species are now agreed.",
                              "About 95 species are currently agreed."], [EASSE_REFS] * 3, 49.64237788250738),
        ([EASSE_SOURCE, "The Cat sat on the mat, which was red."],
         [EASSE_SOURCE, "The cat sat on the mat. It was red."], [EASSE_REFS, MAT_REFS], 49.96651907010696),
    ],
)
def test_corpus_sari_matches_easse(sources, predictions, references, expected):
    score = SARI().compute(sources=sources, predictions=predictions, references=references)
    assert score.metric == "SARI"
    assert score.value == pytest.approx(expected, abs=1e-9)
    assert sari(sources=sources, predictions=predictions, references=references) == pytest.approx(expected, abs=1e-9)
    d = score.details
    assert (d["keep"] + d["delete"] + d["add"]) / 3 == pytest.approx(score.value, abs=1e-3)


def test_corpus_sari_pools_statistics_rather_than_averaging_sentences():
    sources = [EASSE_SOURCE] * 3
    predictions = ["About 95 you now get in.", "About 95 species are now agreed.",
                   "About 95 species are currently agreed."]
    corpus = SARI().compute(sources=sources, predictions=predictions, references=[EASSE_REFS] * 3).value
    per_sentence = SARI().segment_values(sources=sources, predictions=predictions, references=[EASSE_REFS] * 3)
    assert corpus != pytest.approx(sum(per_sentence) / 3, abs=1e-3)
    assert per_sentence[0] == pytest.approx(31.350246975246975, abs=1e-9)


def test_corpus_sari_resampling_statistics_give_the_score_back():
    import numpy as np

    metric = SARI()
    inputs = {"sources": [EASSE_SOURCE, "The Cat sat on the mat, which was red."],
              "predictions": [EASSE_SOURCE, "The cat sat on the mat. It was red."],
              "references": [EASSE_REFS, MAT_REFS]}
    assert metric.resamplable
    stats = metric.segment_stats(**inputs)
    assert metric.score_from_stats(np.sum(stats, axis=0)) == pytest.approx(49.96651907010696, abs=1e-9)


def test_sari_mode_is_in_the_name_and_signature_and_checked():
    from adapt.errors import UserError

    corpus, mean = SARI(), SARI(mode="sentence-mean")
    assert (corpus.name, mean.name) == ("SARI", "SARI-mean")
    assert corpus.signature().digest != mean.signature().digest
    assert "corpus" in corpus.signature().format()
    with pytest.raises(UserError):
        SARI(mode="macro")


@pytest.mark.skipif(not __import__("os").environ.get("EASSE_TURKCORPUS"),
                    reason="set EASSE_TURKCORPUS to a folder with EASSE's TurkCorpus test files and ACCESS output")
def test_corpus_sari_of_access_on_turkcorpus_is_easse_value():
    from pathlib import Path

    folder = Path(__import__("os").environ["EASSE_TURKCORPUS"])
    lines = lambda name: (folder / name).read_text(encoding="utf-8").splitlines()  # noqa: E731
    refs = [lines(f"test.truecase.detok.simp.{i}") for i in range(8)]
    value = sari(sources=lines("test.truecase.detok.orig"), predictions=lines("ACCESS"),
                 references=[list(r) for r in zip(*refs)])
    assert value == pytest.approx(41.381013, abs=0.05)


def test_sari_lowercase_setting_changes_score_and_signature():
    src, pred, refs = ["The Cat sat ."], ["the cat sat ."], [["The cat sat ."]]
    lower = SARI(lowercase=True).compute(sources=src, predictions=pred, references=refs)
    cased = SARI(lowercase=False).compute(sources=src, predictions=pred, references=refs)
    assert lower.value != cased.value
    assert lower.signature.digest != cased.signature.digest


@pytest.mark.parametrize("references", [[[]], [["a"], ["b"]]])
def test_sari_refuses_missing_or_misaligned_references(references):
    from adapt.errors import InputError

    with pytest.raises(InputError):
        SARI().compute(sources=["a b c"], predictions=["a b"], references=references)


def test_sari_unknown_tokenizer_is_a_user_error():
    from adapt.errors import UserError

    with pytest.raises(UserError):
        SARI(tokenize="moses")


@pytest.mark.parametrize(
    "sources, predictions, expected",
    [(["abcd"], ["ab"], 0.5), (["abcd", "ab"], ["abcd", "abcd"], 1.5), (["  abcd "], ["abcd"], 1.0)],
)
def test_compression_ratio(sources, predictions, expected):
    assert CompressionRatio().compute(sources=sources, predictions=predictions).value == pytest.approx(expected)


class _BagOfLetters:
    """A deterministic embedder for the arithmetic of the metric (the real one is tested below)."""

    name = "letters"

    def embed_passages(self, texts):
        import numpy as np

        rows = np.array([[t.lower().count(c) for c in "abcdefghijklmnopqrstuvwxyz"] for t in texts], dtype=float)
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)

    def signature(self):
        from models.signature import ModelSignature

        return ModelSignature("test", "letters")


def test_meaning_similarity_arithmetic():
    metric = MeaningSimilarity(embedder="letters", embedder_object=_BagOfLetters())
    score = metric.compute(sources=["abc", "abc"], predictions=["abc", "xyz"])
    assert score.value == pytest.approx(0.5)
    assert score.details["min"] == 0.0
    assert "letters" in score.signature.format()


@pytest.mark.slow
def test_meaning_similarity_with_the_packaged_minilm():
    metric = MeaningSimilarity(embedder="minilm")
    kept = metric.compute(sources=["The cat sat on the mat."], predictions=["A cat was sitting on the mat."])
    lost = metric.compute(sources=["The cat sat on the mat."], predictions=["Interest rates rose sharply in March."])
    assert kept.value > 0.6 > lost.value
    assert "all-MiniLM-L6-v2" in kept.signature.format()


def test_reading_grade_before_and_after():
    pytest.importorskip("adapt.readability")
    from evaluation.metrics import ReadingGrade

    hard = ("Notwithstanding considerable institutional opposition, the administration implemented comprehensive "
            "environmental regulations affecting manufacturing organisations internationally.")
    easy = "The rules are new. They help the air."
    score = ReadingGrade().compute(sources=[hard], predictions=[easy])
    assert score.details["before"] > score.details["after"]
    assert score.value == pytest.approx(score.details["after"], abs=1e-3)
    assert score.details["delta"] < 0
