"""Calibrate the simplification guard's meaning threshold on OneStopEnglish.

Positives: advanced sentences and their human elementary rewrites (ADV-ELE), which keep the meaning.
Negatives: (a) an advanced sentence with the elementary rewrite of the *next* aligned pair of the same
article (same topic, different content: the hard case), (b) with a random other pair's rewrite.
Prints the similarity distributions and the threshold that maximises balanced accuracy on (a)+(b),
plus what share of true rewrites each candidate threshold would wrongly drop.

    python scripts/calibrate_meaning_guard.py [--limit 600] [--embedder minilm]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from onestop import load_pairs  # noqa: E402

from adapt.settings import apply_offline_environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=600, help="aligned pairs used (default 600)")
    parser.add_argument("--embedder", default="minilm")
    args = parser.parse_args()
    apply_offline_environment()
    from adapt.simplify_guards import meaning_similarity
    from models.embedders import get_embedder

    pairs = load_pairs()
    rng = random.Random(7)
    idx = sorted(rng.sample(range(len(pairs) - 1), min(args.limit, len(pairs) - 1)))
    sources = [pairs[i][0] for i in idx]
    rewrites = [pairs[i][1] for i in idx]
    neighbours = [pairs[i + 1][1] for i in idx]
    randoms = [pairs[rng.randrange(len(pairs))][1] for _ in idx]
    embedder = get_embedder(args.embedder)
    t0 = time.perf_counter()
    pos = meaning_similarity(embedder, sources, rewrites)
    hard = meaning_similarity(embedder, sources, neighbours)
    easy = meaning_similarity(embedder, sources, randoms)
    neg = np.concatenate([hard, easy])
    print(f"embedder {args.embedder}: {len(idx)} pairs, {time.perf_counter() - t0:.1f}s")
    for name, values in (("aligned rewrites", pos), ("next pair (same article)", hard), ("random pair", easy)):
        q = np.percentile(values, [1, 5, 25, 50, 75, 95])
        print(f"  {name:26s} mean {values.mean():.3f}  p1 {q[0]:.3f} p5 {q[1]:.3f} p25 {q[2]:.3f} "
              f"median {q[3]:.3f} p75 {q[4]:.3f} p95 {q[5]:.3f}")
    best = max(np.arange(0.30, 0.95, 0.01), key=lambda t: (pos >= t).mean() + (neg < t).mean())
    print(f"best balanced-accuracy threshold: {best:.2f}")
    print("threshold  keeps-true-rewrites  rejects-next-pair  rejects-random")
    for t in sorted({0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, round(float(best), 2)}):
        print(f"  {t:.2f}     {(pos >= t).mean():6.1%}              {(hard < t).mean():6.1%}          "
              f"{(easy < t).mean():6.1%}")


if __name__ == "__main__":
    main()
