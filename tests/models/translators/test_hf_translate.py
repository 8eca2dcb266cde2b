"""The transformers backend loading the generated MarianMT folder (local files only)."""

from __future__ import annotations

import pytest

from adapt.errors import MissingModel, UnsupportedLanguagePair
from models.translators.hf import TransformersTranslator

pytestmark = pytest.mark.slow


def test_transformers_translates_batch_in_order(hf_translator):
    texts = ["The cat is big. This is a red book.", "", "I see the [2].", "Where is the dog?", "The cat is big."]
    assert hf_translator.translate(texts, source="en", target="es") == [
        "El gato es grande. Esto es un libro rojo.", "", "Veo el [2].", "¿Dónde está el perro?", "El gato es grande.",
    ]


def test_transformers_knows_its_pair_and_device(hf_translator):
    assert hf_translator.pairs() == [("en", "es")]
    assert hf_translator.supports("en-GB", "es") and not hf_translator.supports("en", "pt")
    sig = hf_translator.signature("en", "es").to_json()
    assert sig["engine"] == "transformers" and sig["settings"]["architecture"] == "marian"
    assert sig["settings"]["device"] in ("cpu", "cuda")
    with pytest.raises(UnsupportedLanguagePair):
        hf_translator.translate(["The cat is big."], source="en", target="pt")


def test_transformers_missing_model_is_a_user_error(tmp_path):
    with pytest.raises(MissingModel, match="local files"):
        TransformersTranslator(tmp_path / "nothing-here").translate(["x"], source="en", target="es")
    with pytest.raises(MissingModel, match="local files"):
        TransformersTranslator("Helsinki-NLP/opus-mt-xx-yy-not-cached").pairs()
