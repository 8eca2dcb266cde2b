"""The source language of a document: given (--from / the job form), else stated by the file, else
detected from its text with the tagger's detector (adapt.tagging.language), else English.

Detection is trusted only when it is sure: enough words, and a clear lead over the second-best
language. When it is unsure the answer is English, as before, and the note says so; nothing is ever
refused for want of a source language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

DEFAULT = "en"
DETECTOR = "function-word profiles (adapt.tagging.language)"
MIN_WORDS = 12  # fewer words than this: too little text to tell close languages apart
MIN_LEAD = 1.25  # the best language's function-word evidence over the second's (tuned on NTREX, see README)
SAMPLE_CHARS = 20_000  # the start of a long book says enough


@dataclass(frozen=True)
class SourceLanguage:
    language: str  # BCP 47: what translating and simplifying use
    origin: str  # "given", "file", "detected" or "default"
    confidence: float | None = None  # detection only
    runner_up: str | None = None  # detection only: the second-best language
    note: str = ""  # one plain sentence for the person who started the job

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"language": self.language, "origin": self.origin, "note": self.note}
        if self.confidence is not None:
            out["confidence"] = round(self.confidence, 3)
            out["detector"] = DETECTOR
            out["runner_up"] = self.runner_up
        return out


def _name(code: str) -> str:
    from adapt.tagging.language import NAMES

    return NAMES.get(code, code)


def detect_source_language(texts: Iterable[str]) -> SourceLanguage:
    """Detect from the document's own text (its segments, in reading order)."""
    from adapt.tagging.language import detect_language

    sample, size = [], 0
    for text in texts:
        sample.append(text)
        size += len(text)
        if size >= SAMPLE_CHARS:
            break
    joined = "\n".join(sample)
    guess = detect_language(joined)
    words = len(joined.split())
    ranked = list(guess.candidates)
    second = ranked[1] if len(ranked) > 1 else (None, 0.0)
    if guess.language is None or words < MIN_WORDS and guess.method != "script":
        why = "too little text" if words < MIN_WORDS else "no language stood out"
        return SourceLanguage(DEFAULT, "default", guess.confidence if guess.language else 0.0, None,
                              f"Could not tell the source language ({why}); using English. "
                              "Choose the source language if it is not English.")
    # Confidence: the best language's share of the evidence for it and the runner-up (0.5: a tie, 1: no
    # rival). Close languages share many function words, so a share of all evidence would read low.
    confidence = 1.0 if guess.method == "script" else guess.confidence / ((guess.confidence + second[1]) or 1.0)
    if guess.method != "script" and second[1] * MIN_LEAD > guess.confidence:
        close = f"{_name(guess.language)} or {_name(second[0])}" if second[0] else _name(guess.language)
        return SourceLanguage(DEFAULT, "default", confidence, second[0],
                              f"The source language is unclear ({close}; confidence {confidence:.2f}); using "
                              "English. Choose the source language if it is not English.")
    # The note is read by a teacher: the detector's name stays in the JSON (`detector`), not here.
    rival = f"; next most likely: {_name(second[0])}" if second[0] and guess.method != "script" else ""
    return SourceLanguage(guess.language, "detected", confidence, second[0],
                          f"Source language detected: {_name(guess.language)} (confidence {confidence:.2f}{rival}). "
                          "Choose another if that is wrong.")


def resolve_source_language(given: str | None, stated: str | None, texts: Iterable[str]) -> SourceLanguage:
    """The source language to use: `given` by the person, else `stated` by the file, else detected."""
    if given:
        return SourceLanguage(given, "given", note=f"Source language: {_name(given)} (as chosen).")
    if stated:
        return SourceLanguage(stated, "file", note=f"Source language: {_name(stated)} (as the file states).")
    return detect_source_language(texts)
