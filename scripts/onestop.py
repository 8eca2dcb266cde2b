"""OneStopEnglish sentence pairs (advanced → elementary), shared by the simplification scripts."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

_C0 = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # stray control characters left from mangled punctuation


def data_file(name: str = "ADV-ELE.txt") -> Path:
    base = os.environ.get("ADAPT_SHARED_DATA") or str(Path(__file__).resolve().parents[2] / "shared" / "data")
    path = Path(base) / "simplification" / "onestopenglish" / "Sentence-Aligned" / name
    if not path.is_file():
        raise SystemExit(f"missing {path}: set ADAPT_SHARED_DATA to the shared data folder")
    return path


def load_pairs(name: str = "ADV-ELE.txt", *, changed_only: bool = True) -> list[tuple[str, str]]:
    """(advanced, elementary) pairs in file order; with `changed_only`, pairs where the two differ."""
    text = data_file(name).read_text(encoding="utf-8", errors="replace")
    pairs = []
    for block in text.split("*******"):
        lines = [" ".join(_C0.sub(" ", line).split()) for line in block.strip().splitlines()]
        lines = [line for line in lines if line]
        if len(lines) != 2:
            continue
        if changed_only and lines[0] == lines[1]:
            continue
        pairs.append((lines[0], lines[1]))
    return pairs


def sample_pairs(limit: int, *, seed: int = 13, name: str = "ADV-ELE.txt") -> list[tuple[str, str]]:
    pairs = load_pairs(name)
    rng = random.Random(seed)
    return sorted(rng.sample(pairs, min(limit, len(pairs))), key=pairs.index)
