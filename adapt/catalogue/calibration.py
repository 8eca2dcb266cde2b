"""Relatedness on a scale that means something: a raw cosine against the catalogue's own background.

multilingual-e5's cosines sit between about 0.75 and 0.92 for nearly any two passages, so "similarity
0.85" says little: a water-cycle lesson scores 0.85 against unrelated psychology passages. What does
mean something is how a match compares with the matches the catalogue produces by chance. The
background is built the way a search scores an item: a passage of the catalogue against another item,
keeping that item's best passage. Its relatedness is the share of those chance matches it beats
(0.95: better than 95 % of them). Most pairs of items in a catalogue are unrelated, so a score well
up in that distribution is a real signal, and a catalogue of one subject raises its own bar (its chance
matches are all on-topic), which a fixed cosine threshold cannot do.

The sample is seeded, so the same catalogue always gives the same scale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

RELATED = 0.95  # beats 95 % of chance matches: shown as related
CLOSELY_RELATED = 0.99  # beats 99 %: closely related
MIN_BACKGROUND = 50  # fewer chance matches than this (a catalogue of one or two items): no scale
_DUPLICATE = 0.995  # the same passage in two items (a book and its module): not a chance match


@dataclass(frozen=True)
class Background:
    """The sorted best-passage scores of chance pairings (passage, other item) in one catalogue."""

    scores: np.ndarray

    def relatedness(self, similarity: float) -> float | None:
        """The share of chance matches `similarity` beats, 0..1; None when there is no scale."""
        if len(self.scores) < MIN_BACKGROUND:
            return None
        return float(np.searchsorted(self.scores, similarity, side="right")) / len(self.scores)


def label(relatedness: float | None) -> str:
    """Words for a relatedness: what the UI says instead of a number nobody can read."""
    if relatedness is None:
        return "not calibrated"
    if relatedness >= CLOSELY_RELATED:
        return "closely related"
    if relatedness >= RELATED:
        return "related"
    return "not related"


def is_related(relatedness: float | None) -> bool:
    """Whether to show an item: above the related line, or no scale to judge by (a tiny catalogue)."""
    return relatedness is None or relatedness >= RELATED


def background(vectors: np.ndarray, items: np.ndarray, *, queries: int = 400, per_query: int = 12,
               seed: int = 0) -> Background:
    """Score `queries` random passages against `per_query` random other items each (the item's best
    passage, as a search does). Unit vectors in, rows of `items` naming each vector's item."""
    items = np.asarray(items)
    if len(vectors) == 0 or len(np.unique(items)) < 2:
        return Background(np.zeros(0, np.float32))
    rows_of = _rows_by_item(items)
    ids = np.array(sorted(rows_of))
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(vectors), size=min(queries, len(vectors)), replace=False)
    found: list[float] = []
    for row in picked:
        others = ids[ids != items[row]]
        for other in rng.choice(others, size=min(per_query, len(others)), replace=False):
            best = float(np.max(vectors[rows_of[int(other)]] @ vectors[row]))
            if best < _DUPLICATE:
                found.append(best)
    return Background(np.sort(np.asarray(found, dtype=np.float32)))


def _rows_by_item(items: np.ndarray) -> Mapping[int, np.ndarray]:
    order = np.argsort(items, kind="stable")
    unique, starts = np.unique(items[order], return_index=True)
    ends = np.append(starts[1:], len(order))
    return {int(u): order[s:e] for u, s, e in zip(unique, starts, ends)}
