"""The models a service runs, loaded once and kept: translators, simplifiers, taggers, embedders.

`Engines` is the one public way to give a service its models: tests and embedding applications call
`use_translator` / `use_simplifier` / `use_tagger` / `use_embedder` with a ready object instead of
letting the service build one from the catalogue. Loading happens on first use, under a lock, so two
UI requests asking at the same moment load a model once (a second load costs seconds and hundreds of MB).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from adapt.errors import UnsupportedLanguagePair
from adapt.settings import Settings

if TYPE_CHECKING:
    from adapt.tagging.tagger import Tagger
    from models.embedders.base import Embedder
    from models.simplifiers.base import Simplifier
    from models.translators.base import Translator

T = TypeVar("T")


class Engines:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._loaded: dict[tuple[str, Hashable], Any] = {}
        self._lock = threading.RLock()

    def kept(self, kind: str, key: Hashable, build: Callable[[], T]) -> T:
        """The model of `kind` under `key`, built on first use and kept for the service's life."""
        with self._lock:
            if (kind, key) not in self._loaded:
                self._loaded[(kind, key)] = build()
            return self._loaded[(kind, key)]

    def forget(self, kind: str, name: str | None = None) -> None:
        """Drop loaded models of a kind (of one engine name): after installing a model, say."""
        with self._lock:
            for key in [k for k in self._loaded if k[0] == kind and (name is None or _name_of(k[1]) == name)]:
                del self._loaded[key]

    # -- giving the service its models ----------------------------------------------------------------
    def use_translator(self, translator: Translator, name: str | None = None, **options: Any) -> None:
        """Serve `translator` for engine `name` (default: the settings' default engine)."""
        self._put("translator", (name or self.settings.default_engine, _options_key(options)), translator)

    def use_simplifier(self, simplifier: Simplifier, name: str | None = None, model: str | None = None) -> None:
        self._put("simplifier", (name, model), simplifier)

    def use_tagger(self, tagger: Tagger, embedder: str = "e5") -> None:
        self._put("tagger", embedder, tagger)

    def use_embedder(self, embedder: Embedder, name: str) -> None:
        self._put("embedder", name, embedder)

    def _put(self, kind: str, key: Hashable, value: Any) -> None:
        with self._lock:
            self._loaded[(kind, key)] = value

    # -- what the service asks for --------------------------------------------------------------------
    def translator(self, engine: str | None = None, **options: Any) -> Translator:
        from models.translators import get_translator

        name = engine or self.settings.default_engine
        options = {k: v for k, v in options.items() if v is not None}
        return self.kept("translator", (name, _options_key(options)),
                         lambda: get_translator(name, settings=self.settings, **options))

    def simplifier(self, name: str | None = None, *, model: str | None = None) -> Simplifier:
        from models.simplifiers import get_simplifier

        return self.kept("simplifier", (name, model),
                         lambda: get_simplifier(name, model=model, cache_dir=self.settings.cache_dir,
                                                llm_threads=self.settings.llm_threads, grade=english_grade))

    def embedder(self, name: str) -> Embedder:
        from models.embedders import get_embedder

        return self.kept("embedder", name, lambda: get_embedder(name))

    def tagger(self, embedder: str | None = None) -> Tagger:
        from adapt.tagging.tagger import Tagger

        key = embedder or "e5"
        return self.kept("tagger", key,
                         lambda: Tagger(self.embedder(key), cache_dir=Path(self.settings.cache_dir) / "tagging"))

    @staticmethod
    def check_pair(translator: Translator, source: str, target: str) -> None:
        """Raise UnsupportedLanguagePair, naming what the engine has, unless it translates source→target."""
        if not translator.supports(source, target):
            pairs = ", ".join(f"{a}→{b}" for a, b in translator.pairs()) or "none installed"
            raise UnsupportedLanguagePair(
                f"the {translator.name} engine cannot translate {source}→{target} (it has {pairs})",
                hint="choose another --engine or install a model (`adapt models list`)",
            )


def english_grade(sentence: str) -> float:
    """A sentence's US school grade (Flesch-Kincaid), placeholders left out: what the simplifiers
    (English only) are given to decide which sentences to rewrite."""
    from adapt.readability import grade_level
    from adapt.simplify_guards import plain

    return grade_level(plain(sentence), "en")


def _options_key(options: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, v) for k, v in options.items() if v is not None))


def _name_of(key: Hashable) -> Any:
    return key[0] if isinstance(key, tuple) and key else key
