"""Sentence splitting that never needs a downloaded model and never cuts through a placeholder.

Rule-based: split after . ! ? (and their full-width forms) followed by space and an upper-case
letter, a digit, an opening quote or a placeholder; known abbreviations and initials do not end a
sentence. Good enough for textbook prose; segments stay whole when in doubt.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "vs", "cf", "fig", "figs", "eq", "eqs", "no", "nos", "vol", "pp", "p", "ch", "sec",
    "dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "inc", "ltd", "co", "corp", "approx", "ca", "al",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k",
    "sra", "dra", "pág", "ex", "núm",
}
_BOUNDARY = re.compile(r"(?<=[.!?。！？])((?:[\"'”’)\]]|\[/\d+\])*)(\s+)(?=[\"'“‘(\[]?[A-ZÀ-ÖØ-Þ0-9¿¡]|\[\d)")


def split_sentences(text: str) -> list[str]:
    """Split into sentences. A `[N]...[/N]` pair that spans a boundary is closed at the end of one
    sentence and reopened at the start of the next, so each sentence is well-formed on its own;
    `join_sentences` undoes that."""
    pairs = set(re.findall(r"\[/(\d+)\]", text))
    pieces: list[str] = []
    start = 0
    carried: list[str] = []
    for match in _BOUNDARY.finditer(text):
        end = match.start(2)
        candidate = text[start:end]
        last_word = re.search(r"(\S+)$", candidate[: len(candidate) - len(match.group(1))].rstrip(".!?。！？"))
        word = last_word.group(1).lower() if last_word else ""
        if word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word):
            continue
        still_open = _open_pairs(text[:end], pairs)
        piece = "".join(f"[{n}]" for n in carried) + candidate.strip()
        piece += "".join(f"[/{n}]" for n in reversed(still_open))
        pieces.append(piece)
        carried = still_open
        start = match.end(2)
    tail = text[start:].strip()
    if tail:
        pieces.append("".join(f"[{n}]" for n in carried) + tail)
    return pieces or [text]


def join_sentences(sentences: list[str]) -> str:
    """Join translated sentences, merging pairs that `split_sentences` closed and reopened."""
    joined = " ".join(s.strip() for s in sentences if s.strip())
    previous = None
    while previous != joined:
        previous = joined
        joined = re.sub(r"\[/(\d+)\]\s+\[\1\]", " ", joined)
    return joined


def _open_pairs(prefix: str, pairs: set[str]) -> list[str]:
    """The `[N]...[/N]` pairs opened in `prefix` and not closed yet, innermost last."""
    stack: list[str] = []
    for match in re.finditer(r"\[(/?)(\d+)\]", prefix):
        closing, number = match.group(1) == "/", match.group(2)
        if number not in pairs:
            continue
        if closing:
            if number in stack:
                stack.remove(number)
        else:
            stack.append(number)
    return stack
