"""Word-level differences between two texts, for the reviewer's side-by-side view.

Tokens are words, runs of spaces and single punctuation marks, so that a changed comma shows as a
changed comma and not as a changed word. Placeholders (`[3]`, `[/3]`) stay whole.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

TOKEN_RE = re.compile(r"\[/?\d{1,4}\]|\s+|\w+|[^\w\s]", re.UNICODE)
Op = Literal["equal", "delete", "insert"]


@dataclass(frozen=True)
class Piece:
    op: Op
    text: str


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def word_diff(before: str, after: str) -> list[Piece]:
    """The pieces that turn `before` into `after`: equal, deleted (from before), inserted (into after).

    Joining the equal and delete pieces gives `before`; joining equal and insert gives `after`.
    """
    a, b = tokens(before), tokens(after)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("equal", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            pieces.append(Piece("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            pieces.append(Piece("insert", "".join(b[j1:j2])))
    return _merge(pieces)


def _merge(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if merged and merged[-1].op == piece.op:
            merged[-1] = Piece(piece.op, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged


def similarity(before: str, after: str) -> float:
    """Share of tokens kept, in [0, 1] (1: unchanged)."""
    a, b = tokens(before), tokens(after)
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
