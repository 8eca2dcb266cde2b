"""Translation metrics against known values. The cases and numbers are sacrebleu's own test tables
(mjpost/sacrebleu, test/test_bleu.py, test/test_chrf.py, test/test_ter.py), so our wrappers must give
exactly what sacrebleu's authors assert."""

from __future__ import annotations

import pytest

from evaluation.metrics import BLEU, CHRF, TER, CHRFpp, QAPassRate

_refs = [
    ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
    ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
]
_hyps = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."]


@pytest.mark.parametrize(
    "hypotheses, options, expected",
    [
        (_hyps, {}, 48.530827),
        (["", "", ""], {}, 0.0),
        (_hyps, {"tokenize": "none"}, 49.1919566),
        (_hyps, {"tokenize": "13a"}, 48.530827),
        (_hyps, {"tokenize": "intl"}, 43.91623493),
        (_hyps, {"smooth_method": "none"}, 48.530827),
    ],
)
def test_bleu_matches_sacrebleu_reference_values(hypotheses, options, expected):
    score = BLEU(**options).compute(hypotheses=hypotheses, references=_refs)
    assert score.value == pytest.approx(expected, abs=1e-6)
    assert score.n == len(hypotheses)


@pytest.mark.parametrize(
    "hypotheses, references, expected",
    [
        (["abcdefg"], ["hijklmnop"], 0.0),
        (["a"], ["b"], 0.0),
        ([""], ["reference"], 0.0),
        (["aa"], ["ab"], 8.3333),
        (["a", "b"], ["a", "c"], 8.3333),
        (["a"], ["a"], 16.6667),
        (["a b c"], ["a b c"], 50.0),
        (["a b c"], ["abc"], 50.0),
        ([" risk assessment must be made of those who are qualified and expertise in the sector - these are the "
          "scientists ."],
         ["risk assessment has to be undertaken by those who are qualified and expert in that area - that is the "
          "scientists ."], 63.361730),
        ([" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "],
         ["Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."], 64.1302698),
        (["Niemand hat die Absicht, eine Mauer zu errichten"], ["Niemand hat die Absicht, eine Mauer zu errichten"],
         100.0),
    ],
)
def test_chrf_matches_sacrebleu_reference_values(hypotheses, references, expected):
    score = CHRF(beta=3, eps_smoothing=True).compute(hypotheses=hypotheses, references=[references])
    assert score.value == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    "hypotheses, references, expected",
    [
        (["Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."],
         ["Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."], 67.3481606),
        (["risk assessment must be made of those who are qualified and expertise in the sector - these are the "
          "scientists ."],
         ["risk assessment has to be undertaken by those who are qualified and expert in that area - that is the "
          "scientists ."], 65.2414427),
    ],
)
def test_chrf_keeping_whitespace_matches_sacrebleu(hypotheses, references, expected):
    score = CHRF(beta=3, whitespace=True).compute(hypotheses=hypotheses, references=[references])
    assert score.value == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    "hypotheses, references, expected",
    [
        (["aaaa bbbb cccc dddd"], ["aaaa bbbb cccc dddd"], 0.0),
        (["dddd eeee ffff"], ["aaaa bbbb cccc"], 100.0),
        ([""], ["a"], 100.0),
        (["d e f g h a b c"], ["a b c d e f g h"], 100 / 8),
    ],
)
def test_ter_matches_sacrebleu_reference_values(hypotheses, references, expected):
    score = TER().compute(hypotheses=hypotheses, references=[references])
    assert score.value == pytest.approx(expected, abs=1e-3)
    assert score.higher_is_better is False


def test_chrfpp_adds_word_ngrams():
    hyps, refs = ["the cat sat on the mat"], [["the cat sat on a mat"]]
    plain = CHRF().compute(hypotheses=hyps, references=refs)
    plus = CHRFpp().compute(hypotheses=hyps, references=refs)
    import sacrebleu

    assert plus.value == pytest.approx(sacrebleu.corpus_chrf(hyps, refs, word_order=2).score)
    assert plus.value != plain.value
    assert "nw:2" in plus.signature.format()


def test_sacrebleu_signature_is_kept_inside_ours():
    score = BLEU().compute(hypotheses=_hyps, references=_refs)
    assert score.details["sacrebleu_signature"] == "nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"
    assert "sacrebleu:2.6.0" in score.signature.format()


@pytest.mark.parametrize("bad", [[["only one"]], []])
def test_misaligned_or_missing_references_are_refused(bad):
    from adapt.errors import InputError

    with pytest.raises(InputError):
        BLEU().compute(hypotheses=["a", "b"], references=bad)


def test_compute_is_keyword_only():
    with pytest.raises(TypeError):
        BLEU().compute(["a"], [["a"]])  # type: ignore[misc]


@pytest.mark.parametrize(
    "source, output, passed",
    [
        ("Read [1]chapter 3[/1] before 12 May.", "Leia o [1]capítulo 3[/1] antes de 12 de maio.", True),
        ("Read [1]chapter 3[/1] before 12 May.", "Leia o capítulo 3 antes de 12 de maio.", False),  # markup lost
        ("It costs 1,500 euros.", "Custa 1.600 euros.", False),  # number changed
        ("See https://openstax.org now.", "Veja agora.", False),  # link lost
    ],
)
def test_qa_pass_rate_reuses_the_review_checks(source, output, passed):
    score = QAPassRate().compute(sources=[source], hypotheses=[output], source_language="en", target_language="pt")
    assert score.value == (100.0 if passed else 0.0)
