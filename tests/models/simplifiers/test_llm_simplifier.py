"""The LLM simplifier really runs the packaged SmolLM2-135M-Instruct: the GGUF is converted once per
test session (or once per machine with ADAPT_TEST_MODEL_CACHE) and the conversion is reused."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from adapt.engines import english_grade
from adapt.errors import UserError
from models.simplifiers.llm import clean_output, resolve_model

HARD = ("The municipality's comprehensive infrastructure investments substantially ameliorated "
        "residential conditions throughout the metropolitan region.")
EASY = "The cat sat on the mat."


@pytest.fixture(scope="session")
def llm(llm_cache: Path):
    from models.simplifiers.llm import LLMSimplifier

    return LLMSimplifier(cache_dir=llm_cache, max_new_tokens=48, grade=english_grade)


@pytest.mark.parametrize(
    ("reply", "text"),
    [
        ("The cat sat.", "The cat sat."),
        ("Here is the simpler version: The cat sat.", "The cat sat."),
        ("Simplified: The cat sat.\n\nI kept the meaning.", "The cat sat."),
        ('"The cat sat."', "The cat sat."),
        ('Pretty cool! Here\'s a simplified version of your sentence: "The cat sat."', "The cat sat."),
        ("The cat\nsat.", "The cat sat."),
        ("", ""),
    ],
)
def test_llm_clean_output_keeps_only_the_rewrite(reply: str, text: str) -> None:
    assert clean_output(reply) == text


def test_llm_resolve_model_rejects_what_is_not_a_model(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(UserError, match="not a .gguf"):
        resolve_model(tmp_path / "notes.txt")
    with pytest.raises(UserError, match="no model"):
        resolve_model(tmp_path / "missing")
    with pytest.raises(UserError, match="0 .gguf files"):
        resolve_model(tmp_path)
    (tmp_path / "config.json").write_text("{}")
    assert resolve_model(tmp_path) == (tmp_path, None)


def test_llm_default_model_is_the_packaged_gguf() -> None:
    folder, name = resolve_model(None)
    assert name == "SmolLM2-135M-Instruct.Q4_1.gguf" and (folder / name).is_file()


@pytest.mark.slow
def test_llm_simplifier_rewrites_hard_sentences_and_leaves_easy_ones(llm) -> None:
    from adapt.readability import grade_level

    assert grade_level(EASY) < 6 < grade_level(HARD)
    easy_out, hard_out = llm.simplify([EASY, HARD], target_grade=6)
    assert easy_out == EASY  # below the target: the model is not even asked
    assert hard_out.strip() and hard_out != HARD
    assert "<|im_start|>" not in hard_out and "assistant" not in hard_out.lower()[:12]
    sig = llm.signature()
    assert (sig.engine, sig.model) == ("transformers", "SmolLM2-135M-Instruct.Q4_1.gguf")


@pytest.mark.slow
def test_llm_gguf_conversion_is_cached_and_reused(llm_cache: Path) -> None:
    from models.simplifiers.llm import converted_folder, load, packaged_gguf

    first = load(None, llm_cache)  # converted at most once in this session, loaded once
    folders = list((llm_cache / "models").iterdir())
    assert len(folders) == 1 and (folders[0] / "oer-adapt-converted.json").is_file()
    weights = folders[0] / "model.safetensors"
    stamp = weights.stat().st_mtime_ns
    started = time.perf_counter()
    assert converted_folder(packaged_gguf(), llm_cache) == folders[0]
    assert time.perf_counter() - started < 20  # hashing the GGUF, no dequantizing
    assert weights.stat().st_mtime_ns == stamp
    assert load(None, llm_cache)[0] is first[0]  # one model object per process


@pytest.mark.slow
def test_llm_loads_a_transformers_folder_given_as_model(llm_cache: Path) -> None:
    from models.simplifiers.llm import LLMSimplifier, converted_folder, load, packaged_gguf

    folder = converted_folder(packaged_gguf(), llm_cache)  # a plain safetensors model folder by now
    lm, tokenizer, name = load(folder, llm_cache)
    assert name == folder.name and tokenizer.chat_template
    assert LLMSimplifier(model=folder, cache_dir=llm_cache, grade=english_grade).signature().model == folder.name
    assert not list((llm_cache / "models").glob("*.partial"))  # nothing half-written was left behind
