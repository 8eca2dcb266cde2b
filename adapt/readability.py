"""Readability per language: a school grade and a reading ease for a segment or a whole document.

Which formula a language gets (each result names its formulas, so a reviewer knows what a number means):

    language            grade                                   reading ease
    en                  Flesch-Kincaid grade (Kincaid 1975)     Flesch (1948)
    de                  Wiener Sachtextformel 1 (1984)          Amstad (1978)
    es                  from the ease, Flesch's table           Fernández Huerta (1959)
    fr                  from the ease, Flesch's table           Kandel & Moles (1958)
    it                  from the ease, Flesch's table           Flesch-Vacca (1972)
    nl                  from the ease, Flesch's table           Douma (1960)
    pt                  from the ease, Flesch's table           Martins et al. (1996)
    ru                  from the ease, Flesch's table           Oborneva (2006)
    any other language  RIX → grade, Anderson's table (1983)    Flesch's English constants (fallback)

Every adapted reading ease above was scaled to read like Flesch's, so Flesch's own table (90-100: grade 5,
... 30-50: college) turns it into a US school grade; `ease_to_grade` interpolates that table. RIX (long
words per sentence) needs no syllables, so it works for any language written with spaces.

Counting is textstat's (words, sentences), syllables are textstat's too (pyphen hyphenation), except that
English syllables come from the CMU Pronouncing Dictionary: textstat would call `nltk.download('cmudict')`,
which fails offline, so `_textstat()` hands it the counts in adapt/data/cmudict_syllables.tsv.gz (built
from the dictionary by scripts/make_syllable_table.py; CMU's BSD-style licence in adapt/data/CMUDICT-LICENSE).
"""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

SYLLABLE_TABLE = Path(__file__).resolve().parent / "data" / "cmudict_syllables.tsv.gz"

# (base, per word-per-sentence, per syllable-per-word) of each language's Flesch reading ease.
_EASE_CONSTANTS: dict[str, tuple[float, float, float, str]] = {
    "en": (206.835, 1.015, 84.6, "Flesch reading ease (1948)"),
    "de": (180.0, 1.0, 58.5, "Amstad reading ease (1978)"),
    "es": (206.84, 1.02, 60.0, "Fernández Huerta reading ease (1959)"),
    "fr": (207.0, 1.015, 73.6, "Kandel & Moles reading ease (1958)"),
    "it": (217.0, 1.3, 60.0, "Flesch-Vacca reading ease (1972)"),
    "nl": (206.835, 0.93, 77.0, "Flesch-Douma reading ease (1960)"),
    "pt": (248.835, 1.015, 84.6, "Martins et al. reading ease for Portuguese (1996)"),
    "ru": (206.835, 1.3, 60.1, "Oborneva reading ease for Russian (2006)"),
}

# Flesch's table, as (reading ease, US grade) anchors: 100 → start of grade 5, 70 → start of grade 8,
# 60 → end of grade 9, 50 → end of grade 12, 30 → end of college (16), 0 → well past it.
_FLESCH_TABLE: tuple[tuple[float, float], ...] = (
    (100.0, 5.0), (90.0, 6.0), (80.0, 7.0), (70.0, 8.0), (60.0, 10.0), (50.0, 13.0), (30.0, 17.0), (0.0, 20.0),
)

# Anderson's (1983) table: the RIX at which each grade starts.
_RIX_TABLE: tuple[tuple[float, float], ...] = (
    (0.0, 1.0), (0.2, 2.0), (0.5, 3.0), (0.8, 4.0), (1.3, 5.0), (1.8, 6.0), (2.4, 7.0), (3.0, 8.0),
    (3.7, 9.0), (4.5, 10.0), (5.3, 11.0), (6.2, 12.0), (7.2, 13.0),
)

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|(?<=[。！？])|\n+")
_WORD = re.compile(r"\w", re.UNICODE)
_ABBREVIATIONS = frozenset(
    "mr. mrs. ms. dr. prof. sr. jr. st. vs. etc. e.g. i.e. cf. al. fig. figs. eq. no. vol. p. pp. ch. "
    "sec. approx. ca. jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec. u.s. a.m. p.m.".split()
)
_MAX_GRADE = 22.0  # extrapolation stops here: beyond "professional" a bigger number means nothing
_LOCK = threading.Lock()
_TEXTSTAT: ModuleType | None = None


@dataclass(frozen=True)
class Readability:
    """Readability of one text; counts come with it so documents can be aggregated and checked."""

    grade: float  # a US school grade (higher is harder)
    ease: float  # the language's Flesch-style reading ease (higher is easier, ~0-100)
    words: int
    sentences: int
    syllables: int
    language: str
    grade_formula: str
    ease_formula: str

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["grade"], data["ease"] = round(self.grade, 2), round(self.ease, 2)
        return data


def normalize_language(language: str) -> str:
    """"pt-BR", "PT_br", "pt" → "pt"; an empty code means English (the models' source language)."""
    root = re.split(r"[-_]", (language or "en").strip())[0].lower()
    return root or "en"


def grade_level(text: str, language: str = "en") -> float:
    """A US school grade for `text` (Flesch-Kincaid for English; see the module table for the rest)."""
    return readability(text, language).grade


def reading_ease(text: str, language: str = "en") -> float:
    """The language's Flesch-style reading ease for `text` (higher is easier)."""
    return readability(text, language).ease


def readability(text: str, language: str = "en") -> Readability:
    """Grade, ease and the counts they come from. Empty or wordless text gives grade 0 and ease 0."""
    lang = normalize_language(language)
    text = _prepare(text)
    ts = _textstat()
    words = int(ts.backend.counts.count_words(text)) if text else 0
    grade_formula, ease_formula = _formula_names(lang)
    if words == 0:
        return Readability(0.0, 0.0, 0, 0, 0, lang, grade_formula, ease_formula)
    sentences = count_sentences(text)
    syllables = _count_syllables(ts, text, lang)
    ease = _ease(lang, words, sentences, syllables)
    if lang == "en":
        grade = 0.39 * words / sentences + 11.8 * syllables / words - 15.59
    elif lang == "de":
        grade = _wiener_sachtextformel(ts, text, words, sentences)
    elif lang in _EASE_CONSTANTS:
        grade = ease_to_grade(ease)
    else:
        grade = rix_to_grade(int(ts.backend.counts.count_long_words(text)) / sentences)
    return Readability(
        grade=min(grade, _MAX_GRADE), ease=ease, words=words, sentences=sentences, syllables=syllables,
        language=lang, grade_formula=grade_formula, ease_formula=ease_formula,
    )


def document_readability(texts: Iterable[str], language: str = "en") -> Readability:
    """Readability of a whole document from its segments' plain texts.

    Each segment (a heading, a list item) counts as at least one sentence, so segments without final
    punctuation get a full stop before they are joined: otherwise a heading would run into the next
    paragraph and make its "sentence" look long.
    """
    parts = [t.strip() for t in texts if t and t.strip()]
    joined = "\n".join(p if p[-1] in ".!?…;:" else p + "." for p in parts)
    return readability(joined, language)


def ease_to_grade(ease: float) -> float:
    """Flesch's reading-ease table as a continuous US grade (linear between the table's anchors)."""
    table = _FLESCH_TABLE
    if ease >= table[0][0]:
        return max(0.0, table[0][1] - (ease - table[0][0]) * 0.1)
    for (e_hi, g_hi), (e_lo, g_lo) in zip(table, table[1:]):
        if ease >= e_lo:
            return g_hi + (e_hi - ease) * (g_lo - g_hi) / (e_hi - e_lo)
    return min(_MAX_GRADE, table[-1][1] + (table[-1][0] - ease) * 0.1)


def rix_to_grade(rix: float) -> float:
    """Anderson's RIX table as a continuous grade (linear between anchors; one grade per RIX point above)."""
    table = _RIX_TABLE
    if rix >= table[-1][0]:
        return min(_MAX_GRADE, table[-1][1] + (rix - table[-1][0]))
    for (r_lo, g_lo), (r_hi, g_hi) in zip(table, table[1:]):
        if rix < r_hi:
            return g_lo + (max(rix, 0.0) - r_lo) * (g_hi - g_lo) / (r_hi - r_lo)
    return table[-1][1]  # pragma: no cover - the loop always returns


def count_sentences(text: str) -> int:
    """Sentences in `text`: a piece ending in . ! ? … (or a line) that holds a word, at least one.

    textstat's own counter drops every "sentence" of two words or fewer and splits "3.14" and "e.g.":
    after a simplifier splits a sentence into short ones it would count fewer sentences, not more.
    Here a full stop ends a sentence only before a space and never right after a known abbreviation or
    a single initial, so "Dr. Smith paid $3.50, i.e. a lot." is one sentence.
    """
    count = 0
    pending = ""
    for piece in _SENTENCE_END.split(text):
        piece = pending + piece
        pending = ""
        last = piece.rstrip().rsplit(None, 1)[-1].lower() if piece.strip() else ""
        if last.endswith(".") and (last in _ABBREVIATIONS or re.fullmatch(r"\(?\w\.", last)):
            pending = piece + " "  # not a sentence end: carry it into the next piece
            continue
        if _WORD.search(piece):
            count += 1
    if pending and _WORD.search(pending):
        count += 1
    return max(count, 1) if _WORD.search(text) else 0


def _wiener_sachtextformel(ts: ModuleType, text: str, words: int, sentences: int) -> float:
    """Bamberger & Vanecek's first Wiener Sachtextformel (prose), with our sentence count."""
    counts = ts.backend.counts
    ms = 100 * counts.count_polysyllable_words(text, "de") / words  # 3+ syllables
    iw = 100 * counts.count_long_words(text) / words  # 7+ letters
    es = 100 * counts.count_monosyllable_words(text, "de") / words
    return 0.1935 * ms + 0.1672 * words / sentences + 0.1297 * iw - 0.0327 * es - 0.875


def _formula_names(lang: str) -> tuple[str, str]:
    if lang == "en":
        grade = "Flesch-Kincaid grade"
    elif lang == "de":
        grade = "Wiener Sachtextformel 1"
    elif lang in _EASE_CONSTANTS:
        grade = "grade from reading ease (Flesch's table)"
    else:
        grade = "RIX grade (Anderson's table)"
    ease = _EASE_CONSTANTS.get(lang, (0, 0, 0, "Flesch reading ease, English constants (no adaptation)"))[3]
    return grade, ease


def _ease(lang: str, words: int, sentences: int, syllables: int) -> float:
    base, per_length, per_syllable, _ = _EASE_CONSTANTS.get(lang, _EASE_CONSTANTS["en"])
    return base - per_length * words / sentences - per_syllable * syllables / words


def _prepare(text: str) -> str:
    # Typographic apostrophes and dashes would split or glue words differently from ASCII ones.
    return (text or "").replace("\u2019", "'").replace("\u2018", "'").replace("\u2014", " - ").strip()


def _count_syllables(ts: ModuleType, text: str, lang: str) -> int:
    pyphen_lang = _pyphen_language(lang)
    if lang == "en" or pyphen_lang:
        return int(ts.backend.counts.count_syllables(text, pyphen_lang or "en"))
    # No hyphenation dictionary: count vowel groups, the usual crude estimate (at least one a word).
    words = ts.backend.selections.list_words(text, lowercase=True)
    return sum(max(1, len(re.findall(r"[aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿ]+", w))) for w in words)


def _pyphen_language(lang: str) -> str | None:
    import pyphen

    return pyphen.language_fallback(lang)


class SyllableDictionary(Mapping[str, list[list[str]]]):
    """CMUdict's English syllable counts in the shape textstat reads from nltk's `cmudict.dict()`:
    word → [first pronunciation], where textstat counts the phones ending in a stress digit."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts

    @classmethod
    def packaged(cls) -> SyllableDictionary:
        with gzip.open(SYLLABLE_TABLE, "rt", encoding="utf-8") as lines:
            return cls({word: int(count) for word, count in (line.rstrip("\n").split("\t") for line in lines)})

    def __getitem__(self, word: str) -> list[list[str]]:
        return [["V1"] * self.counts[word]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.counts)

    def __len__(self) -> int:
        return len(self.counts)


def _textstat() -> ModuleType:
    """textstat, with English syllables from the packaged CMUdict counts instead of an nltk download."""
    global _TEXTSTAT
    with _LOCK:
        if _TEXTSTAT is None:
            import textstat
            import textstat.backend.counts._count_syllables as syllable_module

            dictionary = SyllableDictionary.packaged()

            def packaged_cmudict(lang: str) -> Mapping[str, list[list[str]]] | None:
                return dictionary if normalize_language(lang) == "en" else None

            # The one place we reach into textstat: its syllable counter looks this name up per call.
            syllable_module.get_cmudict = packaged_cmudict
            _TEXTSTAT = textstat
        return _TEXTSTAT
