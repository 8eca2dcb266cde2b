"""Systems under evaluation: engines from the model registries, baselines, and existing outputs.

A system turns a suite's inputs into outputs and says what it is (a model signature). Engines are
looked up by task through a table of providers (`PROVIDERS`): translation through
`models.translators.get_translator`; simplifiers and taggers through their registries when this
checkout has them. New engines plug in by registering a factory (`register`). An engine that is not
installed fails with a message that says so and how to score an existing output instead (`--hyp`).
"""

from __future__ import annotations

import hashlib
import importlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from adapt.errors import MissingModel, UserError
from adapt.pipeline import Progress

BATCH = 32


@dataclass
class SystemOutput:
    name: str
    role: str  # system, baseline, file
    outputs: list[Any]
    signature: dict[str, Any] | None
    seconds: float = 0.0
    options: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "signature": self.signature, "seconds": self.seconds,
                "options": self.options}


class System(Protocol):
    name: str
    role: str

    def signature(self) -> dict[str, Any] | None: ...

    def run(self, inputs: Sequence[Any], *, progress: Progress | None = None) -> list[Any]: ...


def run_system(system: System, inputs: Sequence[Any], *, progress: Progress | None = None) -> SystemOutput:
    start = time.perf_counter()
    outputs = system.run(inputs, progress=progress)
    seconds = time.perf_counter() - start
    if len(outputs) != len(inputs):
        raise UserError(f"the system {system.name} returned {len(outputs)} outputs for {len(inputs)} inputs",
                        hint="this is a bug in that engine")
    return SystemOutput(system.name, system.role, list(outputs), system.signature(), seconds)


# -- baselines and file outputs -------------------------------------------------------------------------


class CopySource:
    """The floor for translation and simplification: the source, unchanged ("identity")."""

    role = "baseline"

    def __init__(self, name: str = "copy-source") -> None:
        self.name = name

    def signature(self) -> dict[str, Any]:
        return {"engine": "baseline", "model": self.name, "version": "1", "settings": {}}

    def run(self, inputs: Sequence[Any], *, progress: Progress | None = None) -> list[Any]:
        return list(inputs)


class FileOutputs:
    """An existing system output, one segment per line (--hyp FILE): published outputs compare too."""

    role = "file"

    def __init__(self, path: Path, outputs: list[Any], *, name: str | None = None) -> None:
        self.path, self.outputs = Path(path), outputs
        self.name = name or self.path.stem
        self._digest = hashlib.sha256(self.path.read_bytes()).hexdigest()[:16]

    def signature(self) -> dict[str, Any]:
        return {"engine": "file", "model": self.path.name, "version": f"sha256:{self._digest}", "settings": {}}

    def run(self, inputs: Sequence[Any], *, progress: Progress | None = None) -> list[Any]:
        if len(self.outputs) != len(inputs):
            from adapt.errors import InputError

            raise InputError(f"{self.path} has {len(self.outputs)} lines but the suite has {len(inputs)} segments",
                             hint="pass the output of exactly these segments, one per line (same --limit)")
        return list(self.outputs)


# -- engines ----------------------------------------------------------------------------------------------


def _batched(
    run_batch: Callable[[list[Any]], list[Any]], inputs: Sequence[Any], progress: Progress | None
) -> list[Any]:
    out: list[Any] = []
    for start in range(0, len(inputs), BATCH):
        out.extend(run_batch(list(inputs[start : start + BATCH])))
        if progress:
            progress(len(out), len(inputs))
    return out


class TranslationEngine:
    role = "system"

    def __init__(self, name: str, *, source: str, target: str, model: str | None = None) -> None:
        options = {"model": model} if model else {}
        self.translator = lookup("translate")(name, **options)
        self.name = name + (f":{model}" if model else "")
        self.source, self.target = source, target
        if not self.translator.supports(source, target):
            pairs = ", ".join(f"{a}→{b}" for a, b in self.translator.pairs()) or "none installed"
            from adapt.errors import UnsupportedLanguagePair

            raise UnsupportedLanguagePair(f"the {name} engine cannot translate {source}→{target} (it has {pairs})",
                                          hint="choose another --engine, or score its output with --hyp")

    def signature(self) -> dict[str, Any]:
        return self.translator.signature(self.source, self.target).to_json()

    def run(self, inputs: Sequence[str], *, progress: Progress | None = None) -> list[str]:
        return _batched(lambda b: self.translator.translate(b, source=self.source, target=self.target), inputs,
                        progress)


class SimplificationEngine:
    """Any simplifier of `models.simplifiers` (`simplify(texts, *, target_grade) -> list[str]` and
    `signature()`): only sentences above the target grade are rewritten, so the grade is part of the
    system's signature."""

    role = "system"

    def __init__(self, name: str, *, target_grade: float = 6.0, model: str | None = None, **options: Any) -> None:
        from adapt.engines import english_grade
        from adapt.settings import Settings

        factory = lookup("simplify")
        kwargs: dict[str, Any] = {"model": model} if model else {}
        if (("simplify", name)) not in _REGISTERED:  # the packaged simplifiers take the grade formula and settings
            settings = Settings.from_env()
            kwargs.update(grade=english_grade, cache_dir=settings.cache_dir, llm_threads=settings.llm_threads)
        self.simplifier = factory(name, **kwargs, **options)
        self.name = name + (f":{model}" if model else "")
        self.target_grade = float(target_grade)
        _require(self.simplifier, "simplify", "simplify", name)

    def signature(self) -> dict[str, Any]:
        sig = _signature_json(self.simplifier) or {"engine": self.name, "model": self.name}
        sig["settings"] = {**(sig.get("settings") or {}), "target_grade": self.target_grade}
        return sig

    def run(self, inputs: Sequence[str], *, progress: Progress | None = None) -> list[str]:
        return _batched(lambda b: list(self.simplifier.simplify(b, target_grade=self.target_grade)), inputs,
                        progress)


class TaggingEngine:
    """Any tagger with `tag_files(paths) -> list[list[str]]` (ranked labels per file) and `signature()`."""

    role = "system"

    def __init__(self, name: str, *, model: str | None = None, **options: Any) -> None:
        factory = lookup("tag")
        kwargs = {"model": model} if model else {}
        self.tagger = factory(name, **kwargs, **options)
        self.name = name + (f":{model}" if model else "")
        _require(self.tagger, "tag_files", "tag", name)

    def signature(self) -> dict[str, Any]:
        return _signature_json(self.tagger) or {"engine": self.name, "model": self.name}

    def run(self, inputs: Sequence[str], *, progress: Progress | None = None) -> list[list[str]]:
        return _batched(lambda b: [list(labels) for labels in self.tagger.tag_files([Path(p) for p in b])], inputs,
                        progress)


def _signature_json(engine: Any) -> dict[str, Any] | None:
    signature = getattr(engine, "signature", None)
    if signature is None:
        return None
    value = signature()
    return value.to_json() if hasattr(value, "to_json") else dict(value)


def _require(engine: Any, method: str, task: str, name: str) -> None:
    if not callable(getattr(engine, method, None)):
        raise MissingModel(f"the {task} engine {name!r} has no {method}() the evaluation can call",
                           hint="score its output with --hyp FILE instead")


# -- lookup -----------------------------------------------------------------------------------------------

# task -> (module, function): the registry each task's engines live in.
PROVIDERS: dict[str, tuple[str, str]] = {
    "translate": ("models.translators", "get_translator"),
    "simplify": ("models.simplifiers", "get_simplifier"),
    "tag": ("evaluation.taggers", "get_tagger"),
}
_REGISTERED: dict[tuple[str, str], Callable[..., Any]] = {}


def register(task: str, name: str, factory: Callable[..., Any]) -> None:
    """Plug an engine in without touching the model registries (a research prototype, a wrapper).
    The factory returns an engine object with the task's interface (a Translator; a simplifier with
    `simplify(texts, *, language)`; a tagger with `tag_files(paths)`), each with `signature()`."""
    if task not in PROVIDERS:
        raise ValueError(f"unknown task {task!r}")
    _REGISTERED[(task, name)] = factory


def lookup(task: str) -> Callable[..., Any]:
    """The engine factory for a task: registered ones first, then the task's model registry."""
    module_name, function = PROVIDERS[task]

    def factory(name: str, **options: Any) -> Any:
        if (task, name) in _REGISTERED:
            return _REGISTERED[(task, name)](**options)
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            raise MissingModel(
                f"no {task} engines are installed in this checkout ({module_name} is missing), so {name!r} cannot run",
                hint="score an existing output with --hyp FILE, or update OER Adapt",
            ) from None
        get = getattr(module, function, None)
        if get is None:
            raise MissingModel(f"{module_name} has no {function}()", hint="score an existing output with --hyp FILE")
        return get(name, **options)

    return factory


def build_system(task: str, engine: str, **options: Any) -> System:
    """A system by engine name for a task; the baselines are engines too ("copy-source", "identity")."""
    if engine in ("copy-source", "identity"):
        return CopySource(engine)
    if task == "translate":
        return TranslationEngine(engine, source=options["source"], target=options["target"], model=options.get("model"))
    if task == "simplify":
        return SimplificationEngine(engine, target_grade=options.get("target_grade") or 6.0, model=options.get("model"))
    if task == "tag":
        return TaggingEngine(engine, model=options.get("model"))
    raise UserError(f"no engines for the task {task!r}")
