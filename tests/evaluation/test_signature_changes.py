"""Signatures: every setting that changes a number changes the signature; equal settings, equal signature."""

from __future__ import annotations

import pytest

from evaluation.metrics import BLEU, CHRF, SARI, TER, MeaningSimilarity, NDCGAtK, QAPassRate, RecallAtK
from evaluation.signature import Signature


@pytest.mark.parametrize(
    "a, b",
    [
        (BLEU(), BLEU(tokenize="intl")),
        (BLEU(), BLEU(lowercase=True)),
        (BLEU(), BLEU(smooth_method="none")),
        (CHRF(), CHRF(beta=3)),
        (CHRF(), CHRF(word_order=2)),
        (TER(), TER(normalized=True)),
        (SARI(), SARI(tokenize="none")),
        (RecallAtK(k=1), RecallAtK(k=10)),
        (NDCGAtK(k=10), NDCGAtK(k=10, gain="linear")),
        (QAPassRate(), QAPassRate(checks=("numbers",))),
    ],
)
def test_a_changed_setting_changes_the_signature(a, b):
    assert a.signature().format() != b.signature().format()
    assert a.signature().digest != b.signature().digest


@pytest.mark.parametrize("make", [BLEU, CHRF, TER, SARI, lambda: RecallAtK(k=5)])
def test_equal_settings_give_equal_signatures(make):
    assert make().signature() == make().signature()
    assert make().signature().digest == make().signature().digest


def test_the_model_is_part_of_the_signature():
    metric = BLEU()
    one = metric.compute(hypotheses=["a b c d"], references=[["a b c d"]],
                         model={"engine": "bergamot", "model": "enpt", "version": "1"})
    two = metric.compute(hypotheses=["a b c d"], references=[["a b c d"]],
                         model={"engine": "bergamot", "model": "enpt", "version": "2"})
    assert one.value == two.value
    assert one.signature.digest != two.signature.digest
    assert "model:bergamot:enpt@1" in one.signature.format()


def test_library_versions_are_recorded():
    sig = BLEU().signature()
    assert sig.libraries["sacrebleu"] == "2.6.0"
    assert "sacrebleu:2.6.0" in sig.format()


def test_signature_json_round_trip():
    sig = BLEU().signature(model={"engine": "e", "model": "m", "settings": {"beam": 4}})
    again = Signature.from_json(sig.to_json())
    assert again.format() == sig.format() and again.digest == sig.digest


def test_the_embedder_is_in_the_meaning_signature():
    class Fake:
        def signature(self):
            from models.signature import ModelSignature

            return ModelSignature("fake", "v1")

    class Fake2(Fake):
        def signature(self):
            from models.signature import ModelSignature

            return ModelSignature("fake", "v2")

    a = MeaningSimilarity(embedder="x", embedder_object=Fake()).signature()
    b = MeaningSimilarity(embedder="x", embedder_object=Fake2()).signature()
    assert a.digest != b.digest
