"""The transformers backend's multilingual path (M2M100: language tokens, forced first token) on a tiny
randomly initialised M2M100 built here from the fixture's SentencePiece model. Its output is noise;
what is tested is the real loading, language discovery and target forcing."""

from __future__ import annotations

import json
import shutil

import pytest

from .conftest import HF_MODEL

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def m2m_folder(tmp_path_factory):
    import sentencepiece
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, M2M100Tokenizer

    folder = tmp_path_factory.mktemp("m2m100-tiny")
    shutil.copy(HF_MODEL / "source.spm", folder / "sentencepiece.bpe.model")
    sp = sentencepiece.SentencePieceProcessor(model_file=str(HF_MODEL / "source.spm"))
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for i in range(sp.get_piece_size()):
        vocab.setdefault(sp.id_to_piece(i), len(vocab))
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tok = M2M100Tokenizer(str(folder / "vocab.json"), str(folder / "sentencepiece.bpe.model"))
    torch.manual_seed(0)
    config = M2M100Config(
        vocab_size=max(tok.lang_code_to_id.values()) + 1, d_model=16, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32,
        max_position_embeddings=128, pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
    )
    M2M100ForConditionalGeneration(config).save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


def test_m2m100_languages_and_forced_target(m2m_folder):
    from models.translators.hf import TransformersTranslator

    translator = TransformersTranslator(m2m_folder, num_beams=1, max_new_tokens=4)
    pairs = translator.pairs()
    assert ("en", "es") in pairs and ("pt", "de") in pairs and len(pairs) == 100 * 99
    out = translator.translate(["The cat is big.", "", "The cat is big."], source="en", target="es")
    assert len(out) == 3 and out[1] == "" and out[0] == out[2]
    options = translator._generation_options("en", "pt")
    assert options["forced_bos_token_id"] == translator._tokenizer.get_lang_id("pt")
    assert translator._tokenizer.src_lang == "en"
    assert translator.signature("en", "pt").settings["architecture"] == "m2m_100"
