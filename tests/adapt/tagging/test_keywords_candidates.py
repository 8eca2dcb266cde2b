"""KeyBERT-style keywords: candidates, deduplication and MMR without a model; the real e5 run is slow."""

from __future__ import annotations

import numpy as np
import pytest

from adapt.tagging.keywords import _dedupe_forms, candidates, extract_keywords, mmr, noun_phrases


def test_keywords_candidates_skip_stop_words_at_edges():
    found = candidates("The nervous system of the human body. The nervous system sends signals.", "en")
    assert found["nervous system"] == 2
    assert not any(c.split()[0] in ("the", "of") or c.split()[-1] in ("the", "of") for c in found)


def test_keywords_candidates_use_the_documents_language_stop_words():
    found = candidates("O sistema nervoso envia sinais para o corpo. O sistema nervoso é complexo.", "pt")
    assert found["sistema nervoso"] == 2
    assert "para" not in found and "o sistema" not in found


@pytest.mark.parametrize("text", ["", "   ", "1 2 3 4", "a b c d e", "!!!", "\x00" * 1000])
def test_keywords_candidates_bad_input(text):
    assert all(c.strip() for c in candidates(text, "en"))


def test_keywords_noun_phrases_english():
    phrases = noun_phrases("Psychologists study the nervous system. The nervous system controls behavior.")
    assert phrases is not None, "the packaged spaCy English model is a dependency: it must load"
    assert phrases["nervous system"] == 2


def test_keywords_dedupe_plural_forms():
    assert _dedupe_forms(["neurons", "neuron", "Neurons", "nervous systems", "nervous system", "study"]) == [
        "neurons", "nervous systems", "study"]


def test_keywords_mmr_trades_relevance_for_diversity():
    vectors = np.array([[1, 0, 0], [0.99, 0.14, 0], [0, 1, 0]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    relevance = np.array([0.9, 0.89, 0.6])
    assert mmr(vectors, relevance, top_n=2, diversity=0.0) == [0, 1]
    assert mmr(vectors, relevance, top_n=2, diversity=0.7) == [0, 2]
    assert mmr(vectors, np.array([]), top_n=3, diversity=0.5) == []


PSYCH_EN = [
    "Neurons are the central building blocks of the nervous system. Neurons communicate with one another "
    "through chemical messengers called neurotransmitters, which cross the synapse between two neurons.",
    "The brain and the spinal cord make up the central nervous system. Different parts of the brain, such as "
    "the cerebral cortex and the limbic system, control different aspects of behavior and emotion.",
    "Neurotransmitters such as dopamine and serotonin influence mood. Psychologists study how the nervous system "
    "shapes behavior, perception and memory.",
]
PSYCH_PT = [
    "Os neurônios são os blocos básicos do sistema nervoso. Os neurônios comunicam entre si por meio de "
    "mensageiros químicos chamados neurotransmissores, que atravessam a sinapse entre dois neurônios.",
    "O cérebro e a medula espinhal formam o sistema nervoso central. Diferentes partes do cérebro, como o córtex "
    "cerebral e o sistema límbico, controlam diferentes aspectos do comportamento e da emoção.",
    "Neurotransmissores como a dopamina e a serotonina influenciam o humor. Os psicólogos estudam como o sistema "
    "nervoso molda o comportamento, a percepção e a memória.",
]


@pytest.mark.slow
def test_keywords_real_e5_english_topic_words(e5_tagger):
    keywords = extract_keywords(PSYCH_EN, e5_tagger.embedder, language="en", top_n=6)
    texts = [k.text.lower() for k in keywords]
    assert len(texts) == 6 and len(set(texts)) == 6
    assert any("neuro" in t or "nervous" in t or "brain" in t for t in texts[:3]), texts
    assert all(k.score > 0 for k in keywords)


@pytest.mark.slow
def test_keywords_real_e5_portuguese_keywords_are_portuguese(e5_tagger):
    keywords = extract_keywords(PSYCH_PT, e5_tagger.embedder, language="pt", top_n=6)
    texts = [k.text.lower() for k in keywords]
    joined = " ".join(PSYCH_PT).lower()
    assert all(t in joined for t in texts), "keywords come from the document itself"
    assert any("neur" in t or "nervoso" in t or "cérebro" in t for t in texts), texts
    assert not any(t in ("os", "que", "como", "para") for t in texts)


def test_keywords_candidates_never_span_punctuation():
    found = candidates("O sistema límbico, controlam diferentes partes; pensam, sentem e agem.", "pt")
    assert not any(c in found for c in ("límbico controlam", "pensam sentem", "partes pensam"))
