"""Argos Translate packages, run by this project.

An installed Argos package is a folder with `metadata.json`, a CTranslate2 model in `model/` and a
SentencePiece model. argostranslate's own `translate()` downloads a sentence-splitter model on first
use (it fails offline) and runs CTranslate2 with every core on each call, which is slow on small
machines (MODELS.md). So argostranslate is used for what it is good at, the package format (listing,
metadata, index downloads), and translation is done here: sentences split by `models.sentences`,
deduplicated, SentencePiece-encoded, and sent to CTranslate2 in batches, spread over workers with
one intra-op thread each. No splitter model is ever downloaded.

Packages live under `Settings.data_dir / "argos" / "packages"`. argostranslate creates its XDG
folders when it is imported, so its XDG variables point inside that folder first (and only then).
When no package translates a pair directly, two packages pivot through English.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from adapt.errors import HostileInput, InputError, MissingModel, UnreadableFile, UnsupportedLanguagePair
from models.sentences import join_sentences, split_sentences
from models.signature import ModelSignature, package_version
from models.translators.base import normalise_language

PIVOT = "en"
INDEX_URL_SETTING = "ADAPT_ARGOS_INDEX"  # the full URL of an index.json (a mirror, a test server)
MAX_MEMBERS = 10_000
MAX_INPUT_TOKENS = 400  # a longer "sentence" is cut (split_sentences keeps real sentences far shorter)
MAX_OUTPUT_TOKENS = 500
_import_lock = threading.Lock()


def argos_home(data_dir: Path) -> Path:
    return Path(data_dir) / "argos"


def packages_dir(data_dir: Path) -> Path:
    return argos_home(data_dir) / "packages"


def import_argos_package(data_dir: Path):
    """`argostranslate.package`, imported with its XDG folders inside our data folder.

    argostranslate.settings creates ~/.local/share/argos-translate and friends at import time; the
    variables are set for the import only and restored, so nothing else in the process sees them.
    """
    with _import_lock:
        if "argostranslate.settings" not in sys.modules:
            home = argos_home(data_dir)
            wanted = {"XDG_DATA_HOME": home / "data", "XDG_CONFIG_HOME": home / "config",
                      "XDG_CACHE_HOME": home / "cache"}
            saved = {name: os.environ.get(name) for name in wanted}
            os.environ.update({name: str(path) for name, path in wanted.items()})
            try:
                import argostranslate.package  # noqa: F401
            except ImportError:
                raise MissingModel(
                    "the argos engine needs the argostranslate package", hint="pip install argostranslate==1.11.0"
                ) from None
            finally:
                for name, value in saved.items():
                    if value is None:
                        os.environ.pop(name, None)
                    else:
                        os.environ[name] = value
        import argostranslate.package as argos_package

        return argos_package


@dataclass(frozen=True)
class ArgosPackage:
    """An installed translation package."""

    source: str
    target: str
    path: Path
    version: str
    name: str
    target_prefix: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "name": self.name, "version": self.version,
                "path": str(self.path)}


def installed_packages(data_dir: Path) -> list[ArgosPackage]:
    """The translation packages installed under `data_dir` (none if the folder does not exist yet)."""
    folder = packages_dir(data_dir)
    if not folder.is_dir() or not any(p.is_dir() for p in folder.iterdir()):
        return []
    argos_package = import_argos_package(data_dir)
    found = []
    for pkg in argos_package.get_installed_packages(path=[folder]):
        if pkg.type != "translate" or not pkg.from_code or not pkg.to_code:
            continue
        found.append(
            ArgosPackage(
                normalise_language(pkg.from_code), normalise_language(pkg.to_code), Path(pkg.package_path),
                str(pkg.package_version), Path(pkg.package_path).name, pkg.target_prefix or "",
            )
        )
    return sorted(found, key=lambda p: (p.source, p.target, p.name))


# -- installing ------------------------------------------------------------------------------------


def install_file(path: Path, data_dir: Path, *, max_unpacked_bytes: int = 2 * 1024**3) -> ArgosPackage:
    """Install a `.argosmodel` file after checking it is a well-formed, bounded package."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(f"{path} does not exist", hint="give the path of a .argosmodel file")
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path} is not an Argos package (not a zip archive)",
                         hint="Argos packages are .argosmodel files from the Argos index")
    target_root = packages_dir(data_dir)
    with zipfile.ZipFile(path) as archive:
        top = _check_members(archive, path, max_unpacked_bytes)
        try:
            metadata = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
        except (KeyError, UnicodeDecodeError, json.JSONDecodeError):
            raise InputError(f"{path} has no readable {top}/metadata.json", hint="is it an Argos package?") from None
        if not isinstance(metadata, dict) or metadata.get("type", "translate") != "translate" or not (
            metadata.get("from_code") and metadata.get("to_code")
        ):
            raise InputError(f"{path} is not a translation package (metadata.json has no from_code/to_code)")
        names = set(archive.namelist())
        if f"{top}/model/model.bin" not in names:
            raise InputError(f"{path} has no CTranslate2 model ({top}/model/model.bin)")
        if f"{top}/sentencepiece.model" not in names:
            raise InputError(f"{path} has no SentencePiece model; BPE packages are not supported by OER Adapt",
                             hint="use a SentencePiece package (all recent Argos packages are)")
        target_root.mkdir(parents=True, exist_ok=True)
        staging = target_root / f".{top}.partial"
        if staging.exists():
            shutil.rmtree(staging)
        try:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                relative = PurePosixPath(info.filename).relative_to(top)
                destination = staging.joinpath(*relative.parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as src, open(destination, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
            final = target_root / top
            if final.exists():
                shutil.rmtree(final)  # reinstalling replaces the older copy
            staging.rename(final)
        finally:
            if staging.exists():
                shutil.rmtree(staging)
    argos_package = import_argos_package(data_dir)
    pkg = argos_package.Package(final)  # argostranslate's own reading of the installed package
    _runners.pop(str(final), None)
    return ArgosPackage(normalise_language(pkg.from_code), normalise_language(pkg.to_code), final,
                        str(pkg.package_version), final.name, pkg.target_prefix or "")


def _check_members(archive: zipfile.ZipFile, path: Path, max_unpacked_bytes: int) -> str:
    """Refuse zip slip, links, bombs and archives that are not one package folder; return the folder."""
    infos = archive.infolist()
    if not infos:
        raise InputError(f"{path} is an empty archive")
    if len(infos) > MAX_MEMBERS:
        raise HostileInput(f"{path} holds {len(infos)} files; an Argos package holds a few dozen")
    total = 0
    tops = set()
    for info in infos:
        name = PurePosixPath(info.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or not name.parts or ":" in name.parts[0]:
            raise HostileInput(f"{path} contains an unsafe path {info.filename!r}", hint="do not install it")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise HostileInput(f"{path} contains a symbolic link {info.filename!r}", hint="do not install it")
        total += info.file_size
        if total > max_unpacked_bytes:
            raise HostileInput(f"{path} unpacks to more than {max_unpacked_bytes} bytes", hint="do not install it")
        if info.file_size > 1000 * max(info.compress_size, 1) and info.file_size > 10 * 1024 * 1024:
            raise HostileInput(f"{path} looks like a zip bomb ({info.filename!r})", hint="do not install it")
        tops.add(name.parts[0])
    if len(tops) != 1:
        raise InputError(f"{path} is not one package folder (it has {len(tops)} top-level entries)")
    top = tops.pop()
    if top.startswith(".") or top in {"", "."}:
        raise InputError(f"{path} has an invalid package folder name {top!r}")
    return top


def install_from_index(source: str, target: str, data_dir: Path, *, index_url: str | None = None,
                       timeout: float = 60.0, max_unpacked_bytes: int = 2 * 1024**3) -> ArgosPackage:
    """Download the package for a pair from the Argos index (needs the network) and install it.

    The index URL is `index_url`, else $ADAPT_ARGOS_INDEX, else the public argospm index; the download
    is checked against the index's checksum and size where it gives them (argos_index)."""
    from models.translators.argos_index import DEFAULT_INDEX_URL, download, find_entry, read_index

    url = index_url or os.environ.get(INDEX_URL_SETTING) or DEFAULT_INDEX_URL
    entry = find_entry(read_index(url, timeout=timeout), source, target)
    folder = argos_home(data_dir) / "downloads"  # not the packages folder: a half file is never a package
    folder.mkdir(parents=True, exist_ok=True)
    downloaded = download(entry, folder, max_bytes=max_unpacked_bytes, timeout=timeout)
    try:
        return install_file(downloaded, data_dir, max_unpacked_bytes=max_unpacked_bytes)
    finally:
        downloaded.unlink(missing_ok=True)


# -- translating -----------------------------------------------------------------------------------


class _Runner:
    """One loaded package: a CTranslate2 translator and its SentencePiece processor."""

    def __init__(self, package: ArgosPackage, *, device: str, workers: int) -> None:
        try:
            import ctranslate2
            import sentencepiece
        except ImportError:
            raise MissingModel("the argos engine needs ctranslate2 and sentencepiece",
                               hint="pip install ctranslate2 sentencepiece") from None
        self.package = package
        # One intra-op thread per worker: with more, CTranslate2 int8 spends ~100 ms per call on small
        # machines (MODELS.md); parallelism comes from workers fed with several batches at once.
        self.translator = ctranslate2.Translator(
            str(package.path / "model"), device=device, compute_type="auto", inter_threads=workers, intra_threads=1
        )
        self.sp = sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))


_runners: dict[str, _Runner] = {}
_runners_lock = threading.Lock()


def _runner(package: ArgosPackage, *, device: str, workers: int) -> _Runner:
    key = str(package.path)
    with _runners_lock:
        runner = _runners.get(key)
        if runner is None:
            runner = _Runner(package, device=device, workers=workers)
            _runners[key] = runner
        return runner


class ArgosTranslator:
    name = "argos"

    def __init__(
        self,
        *,
        data_dir: Path,
        beam_size: int = 4,
        batch_size: int = 32,
        workers: int | None = None,
        device: str | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.beam_size = beam_size
        self.batch_size = batch_size
        self.workers = workers or max(1, min(4, os.cpu_count() or 1))
        self.device = device or _default_device()
        self._packages: list[ArgosPackage] | None = None

    # what is installed ----------------------------------------------------------------------------
    def packages(self) -> list[ArgosPackage]:
        if self._packages is None:
            self._packages = installed_packages(self.data_dir)
        return self._packages

    def refresh(self) -> None:
        self._packages = None

    def _direct(self, source: str, target: str) -> ArgosPackage | None:
        for pkg in self.packages():
            if pkg.source == source and pkg.target == target:
                return pkg
        return None

    def route(self, source: str, target: str) -> list[ArgosPackage]:
        """The packages that translate source→target: one directly, or two through English."""
        source, target = normalise_language(source), normalise_language(target)
        direct = self._direct(source, target)
        if direct is not None:
            return [direct]
        if PIVOT not in (source, target):
            first, second = self._direct(source, PIVOT), self._direct(PIVOT, target)
            if first is not None and second is not None:
                return [first, second]
        have = ", ".join(f"{a}→{b}" for a, b in self.pairs()) or "no Argos packages installed"
        raise UnsupportedLanguagePair(
            f"the argos engine cannot translate {source}→{target} (it has {have})",
            hint=f"run `adapt models install argos {source} {target}` (online) or "
            "`adapt models install argos --file X.argosmodel`",
        )

    def pairs(self) -> list[tuple[str, str]]:
        direct = {(p.source, p.target) for p in self.packages()}
        pivoted = {(a, d) for a, b in direct for c, d in direct if b == PIVOT and c == PIVOT and a != d}
        return sorted(direct | pivoted)

    def supports(self, source: str, target: str) -> bool:
        return (normalise_language(source), normalise_language(target)) in set(self.pairs())

    # translating ----------------------------------------------------------------------------------
    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        route = self.route(source, target)
        split = [split_sentences(t) if t.strip() else [] for t in texts]
        sentences = list(dict.fromkeys(s for parts in split for s in parts))
        current = sentences
        for package in route:
            current = self.translate_sentences(package, current)
        done = dict(zip(sentences, current))
        return [join_sentences([done[s] for s in parts]) for parts in split]

    def translate_sentences(self, package: ArgosPackage, sentences: Sequence[str]) -> list[str]:
        """Translate single sentences with one package, in batches spread over the workers."""
        if not sentences:
            return []
        runner = _runner(package, device=self.device, workers=self.workers)
        tokens = runner.sp.encode(list(sentences), out_type=str)
        # Similar lengths in one batch waste less padding; batches go out asynchronously so that every
        # worker has one.
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
        prefix = [package.target_prefix] if package.target_prefix else None
        pending = []
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            batch = [tokens[i] for i in chunk]
            futures = runner.translator.translate_batch(
                batch,
                target_prefix=[prefix] * len(batch) if prefix else None,
                beam_size=self.beam_size,
                length_penalty=0.2,
                replace_unknowns=True,
                max_input_length=MAX_INPUT_TOKENS,
                max_decoding_length=min(MAX_OUTPUT_TOKENS, max(16, 3 * max(len(t) for t in batch))),
                asynchronous=True,
            )
            pending.append((chunk, futures))
        out: list[str] = [""] * len(sentences)
        for chunk, futures in pending:
            for i, future in zip(chunk, futures):
                hypothesis = future.result().hypotheses[0]
                if prefix and hypothesis[:1] == prefix:
                    hypothesis = hypothesis[1:]
                out[i] = runner.sp.decode_pieces(hypothesis).strip()
        return out

    def signature(self, source: str, target: str) -> ModelSignature:
        route = self.route(source, target)
        return ModelSignature(
            engine=self.name,
            model="+".join(p.name for p in route),
            version="+".join(p.version for p in route) + f"/ctranslate2-{package_version('ctranslate2')}",
            settings={"beam_size": self.beam_size, "sentence_split": "adapt-rules-v1",
                      "pivot": PIVOT if len(route) > 1 else None, "length_penalty": 0.2},
        )


def _default_device() -> str:
    try:
        import ctranslate2

        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    except Exception:  # noqa: BLE001 - no CUDA runtime at all
        return "cpu"
