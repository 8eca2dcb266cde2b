"""Apertium, the rule-based engine from Debian's packages (`apt-get install apertium apertium-eng-spa`).

One `apertium` process per batch: the texts are joined with a numbered separator line (`[@@3@@]`)
that Apertium keeps as text, and the output is cut on it again; if any separator is missing the
batch is redone one process per text. Our placeholders (`[3]`, `[4]...[/4]`) travel as empty tags in
Apertium's HTML format (`-f html`), which keeps tags as superblanks outside the words. Plain text
(`-f txt`) keeps the placeholders too, but reads `[3]` as a word: "the [2]red membranes[/2]" became
"el [2]membranas rojas[/2]" instead of "las ...". scripts/compare_apertium_placeholders.py measured
both on OpenStax segments (README): both kept every placeholder, and HTML translated every segment
exactly as without placeholders, plain text far fewer.

Apertium marks words it does not know (`*word`), could not generate (`#word`) or transfer (`@word`).
The marks are removed from the text and kept per output (`notes()`), so the QA step can tell the
reviewer which words were left untranslated.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from adapt.errors import MissingModel, UnsupportedLanguagePair
from adapt.placeholders import PLACEHOLDER_RE
from models.signature import ModelSignature
from models.translators.base import normalise_language

MODES_DIRS = (Path("/usr/share/apertium/modes"), Path("/usr/local/share/apertium/modes"))
MODES_SETTING = "APERTIUM_MODES_DIR"  # an extra folder of .mode files, looked at first
# Apertium names languages with ISO 639-3 codes in newer packages, 639-1 in older ones.
ISO3 = {"eng": "en", "spa": "es", "cat": "ca", "por": "pt", "glg": "gl", "epo": "eo", "fra": "fr", "eus": "eu",
        "ita": "it", "oci": "oc", "arg": "an", "ast": "ast", "nob": "nb", "nno": "nn", "swe": "sv", "dan": "da",
        "ron": "ro", "deu": "de", "nld": "nl", "afr": "af", "isl": "is", "bel": "be", "rus": "ru", "ukr": "uk"}
# The apt packages with the language data, per pair, as Debian names them (checked with apt-cache).
APT_PACKAGES = {
    ("en", "es"): "apertium-eng-spa", ("es", "en"): "apertium-eng-spa",
    ("en", "ca"): "apertium-eng-cat", ("ca", "en"): "apertium-eng-cat",
    ("en", "gl"): "apertium-en-gl", ("gl", "en"): "apertium-en-gl",
    ("en", "eo"): "apertium-eo-en", ("eo", "en"): "apertium-eo-en",
    ("es", "pt"): "apertium-es-pt", ("pt", "es"): "apertium-es-pt",
    ("pt", "gl"): "apertium-pt-gl", ("gl", "pt"): "apertium-pt-gl",
    ("pt", "ca"): "apertium-por-cat", ("ca", "pt"): "apertium-por-cat",
    ("es", "ca"): "apertium-spa-cat", ("ca", "es"): "apertium-spa-cat",
    ("es", "gl"): "apertium-es-gl", ("gl", "es"): "apertium-es-gl",
    ("fr", "es"): "apertium-fr-es", ("es", "fr"): "apertium-fr-es",
}
APT_COMMAND = "sudo apt-get install apertium " + " ".join(sorted(set(APT_PACKAGES.values())))
SEPARATOR = "\n[@@{}@@]\n"
_SEPARATOR_RE = re.compile(r"\s*\[@@(\d+)@@\]\s*")
# A mark is *, # or @ glued to the front of a word, not inside one (e-mail addresses keep their @).
_MARK_RE = re.compile(r"(?<![\w@#*])([*#@])(\w[\w'’-]*)")
_MODE_RE = re.compile(r"^([a-z]{2,3})-([a-z]{2,3})$")
MARKUPS = ("txt", "html")  # how placeholders travel: as text, or as tags Apertium's HTML format keeps

_TAG_RE = re.compile(r'<br class="([pc])(\d{1,4})"\s*/?>')
MARK_KINDS = {"*": "unknown", "#": "not generated", "@": "not transferred"}


@dataclass(frozen=True)
class ApertiumNote:
    """What Apertium said about one output: words it left as they were, by kind."""

    unknown: tuple[str, ...] = ()
    not_generated: tuple[str, ...] = ()
    not_transferred: tuple[str, ...] = ()

    def words(self) -> tuple[str, ...]:
        return self.unknown + self.not_generated + self.not_transferred

    def to_json(self) -> dict[str, list[str]]:
        out = {"unknown": list(self.unknown), "not_generated": list(self.not_generated),
               "not_transferred": list(self.not_transferred)}
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class ApertiumMode:
    source: str
    target: str
    name: str  # the mode, e.g. eng-spa
    path: Path


def strip_marks(source: str, output: str) -> tuple[str, ApertiumNote]:
    """The output without Apertium's marks, and the marked words. A mark already in the source (a
    literal `*word` in the text) is not Apertium's and stays."""
    found: dict[str, list[str]] = {"*": [], "#": [], "@": []}

    def replace(match: re.Match[str]) -> str:
        if match.group(0) in source:
            return match.group(0)
        words = found[match.group(1)]
        if match.group(2) not in words:
            words.append(match.group(2))
        return match.group(2)

    text = _MARK_RE.sub(replace, output)
    return text, ApertiumNote(tuple(found["*"]), tuple(found["#"]), tuple(found["@"]))


def to_markup(text: str, markup: str) -> str:
    """For `html`: the text escaped, and each placeholder an empty tag Apertium keeps as a superblank."""
    if markup == "txt":
        return text
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return PLACEHOLDER_RE.sub(lambda m: f'<br class="{"c" if m.group(1) else "p"}{m.group(2)}">', escaped)


def from_markup(text: str, markup: str) -> str:
    if markup == "txt":
        return text
    text = _TAG_RE.sub(lambda m: f"[{'/' if m.group(1) == 'c' else ''}{m.group(2)}]", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def modes_dirs() -> list[Path]:
    extra = os.environ.get(MODES_SETTING)
    return ([Path(extra)] if extra else []) + list(MODES_DIRS)


def language_of(code: str) -> str:
    return ISO3.get(code, code)


def installed_modes() -> list[ApertiumMode]:
    """The plain pair modes (not variants like eng-cat_valencia or debug modes) found on this machine."""
    found: dict[tuple[str, str], ApertiumMode] = {}
    for folder in modes_dirs():
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.mode")):
            match = _MODE_RE.match(path.stem)
            if match is None:
                continue
            pair = (language_of(match.group(1)), language_of(match.group(2)))
            found.setdefault(pair, ApertiumMode(pair[0], pair[1], path.stem, path))
    return [found[p] for p in sorted(found)]


def apertium_binary() -> str | None:
    return shutil.which("apertium")


def missing_packages(modes: Sequence[ApertiumMode] | None = None) -> list[str]:
    """The apt packages of APT_PACKAGES with no pair installed here (plus apertium itself)."""
    have = {(m.source, m.target) for m in (installed_modes() if modes is None else modes)}
    present = {pkg for pair, pkg in APT_PACKAGES.items() if pair in have}
    missing = set(APT_PACKAGES.values()) - present
    if apertium_binary() is None:
        missing.add("apertium")
    return sorted(missing)


@lru_cache(maxsize=64)
def data_package_version(mode_path: str) -> str:
    """`apertium-eng-spa=0.8.1-2` for a mode file, from dpkg; `unknown` where dpkg does not know it."""
    try:
        owner = subprocess.run(["dpkg-query", "-S", mode_path], capture_output=True, text=True, timeout=30,
                               check=False)
        package = owner.stdout.split(":", 1)[0].strip() if owner.returncode == 0 else ""
        if not package:
            return "unknown"
        version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True,
                                 timeout=30, check=False)
        return f"{package}={version.stdout.strip() or 'unknown'}"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


class ApertiumTranslator:
    name = "apertium"

    def __init__(self, *, timeout: float = 600.0, max_batch_chars: int = 200_000, markup: str = "html") -> None:
        if markup not in MARKUPS:
            raise ValueError(f"markup must be one of {', '.join(MARKUPS)}")
        self.markup = markup
        self.timeout = timeout
        self.max_batch_chars = max_batch_chars
        self._modes: dict[tuple[str, str], ApertiumMode] | None = None
        self._notes: dict[str, ApertiumNote] = {}  # output text -> marks removed from it (last 100,000)
        self._lock = threading.Lock()

    def modes(self) -> dict[tuple[str, str], ApertiumMode]:
        if self._modes is None:
            self._modes = {(m.source, m.target): m for m in installed_modes()} if apertium_binary() else {}
        return self._modes

    def pairs(self) -> list[tuple[str, str]]:
        return sorted(self.modes())

    def supports(self, source: str, target: str) -> bool:
        return (normalise_language(source), normalise_language(target)) in self.modes()

    def _mode(self, source: str, target: str) -> ApertiumMode:
        if apertium_binary() is None:
            raise MissingModel("the apertium engine needs the apertium command",
                               hint="sudo apt-get install apertium " + APT_PACKAGES.get(
                                   (normalise_language(source), normalise_language(target)), "apertium-eng-spa"))
        mode = self.modes().get((normalise_language(source), normalise_language(target)))
        if mode is None:
            package = APT_PACKAGES.get((normalise_language(source), normalise_language(target)))
            have = ", ".join(f"{a}→{b}" for a, b in self.pairs()) or "no pairs installed"
            raise UnsupportedLanguagePair(
                f"the apertium engine cannot translate {source}→{target} (it has {have})",
                hint=f"sudo apt-get install {package}" if package else "see `adapt models list` for the pairs apt has",
            )
        return mode

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        mode = self._mode(source, target)
        out = [""] * len(texts)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        for chunk in self._chunks(texts, todo):
            raw = self._run_batch(mode, [to_markup(texts[i], self.markup) for i in chunk])
            for i, text in zip(chunk, raw):
                clean, note = strip_marks(texts[i], from_markup(text, self.markup))
                out[i] = clean
                self._remember(clean, note)
        return out

    def notes(self, output: str) -> dict[str, list[str]]:
        """The words Apertium marked in an output this translator produced (empty if none)."""
        note = self._notes.get(output)
        return note.to_json() if note else {}

    def _remember(self, output: str, note: ApertiumNote) -> None:
        with self._lock:
            if len(self._notes) > 100_000:
                self._notes.clear()
            if note.words():
                self._notes[output] = note
            else:
                self._notes.pop(output, None)

    def _chunks(self, texts: Sequence[str], todo: list[int]) -> list[list[int]]:
        chunks: list[list[int]] = [[]]
        size = 0
        for i in todo:
            if chunks[-1] and size + len(texts[i]) > self.max_batch_chars:
                chunks.append([])
                size = 0
            chunks[-1].append(i)
            size += len(texts[i])
        return [c for c in chunks if c]

    def _run_batch(self, mode: ApertiumMode, texts: list[str]) -> list[str]:
        """One process for the batch; per text only if a separator got lost."""
        joined = "".join(SEPARATOR.format(i) + t if i else t for i, t in enumerate(texts))
        if not any("[@@" in t for t in texts):
            parts = _split(self._run(mode, joined), len(texts))
            if parts is not None:
                return parts
        return [self._run(mode, t).strip() for t in texts]

    def _run(self, mode: ApertiumMode, text: str) -> str:
        command = ["apertium", "-f", self.markup]
        if mode.path.parent not in MODES_DIRS:
            command += ["-d", str(mode.path.parent.parent)]  # the folder that holds modes/
        command.append(mode.name)
        try:
            done = subprocess.run(command, input=text, capture_output=True, text=True, timeout=self.timeout,
                                  check=False)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"apertium {mode.name} took more than {self.timeout:.0f} s") from None
        if done.returncode != 0:
            raise RuntimeError(f"apertium {mode.name} failed: {done.stderr.strip()[:500]}")
        return done.stdout

    def signature(self, source: str, target: str) -> ModelSignature:
        mode = self._mode(source, target)
        return ModelSignature(
            engine=self.name,
            model=mode.name,
            version=f"{data_package_version(str(mode.path))}/{data_package_version(apertium_binary() or 'apertium')}",
            settings={"format": self.markup, "batch_separator": "[@@N@@]", "marks": "removed, flagged"},
        )


def _split(output: str, n: int) -> list[str] | None:
    """The batch output cut at the separators, or None unless all n-1 came back in order."""
    pieces = _SEPARATOR_RE.split(output)
    texts, numbers = pieces[0::2], pieces[1::2]
    if [int(x) for x in numbers] != list(range(1, n)):
        return None
    return [t.strip() for t in texts]

