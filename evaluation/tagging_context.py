"""Ways to combine a module's subject scores with its book's, compared per book (issue 16).

The tagger adds 1.5x the book's own ranking (its chunks' mean field score plus its title's score, since
round 3) to the module's (`SubjectTagger.rank`; `evaluation.tagging_openstax` scores it, with
`--without-book-title` for the chunks alone). This script scores chunk-only rules on the same vectors,
split into the books the settings were chosen on (DEVELOPMENT) and the others (held out), so a rule is
picked on the first and only checked on the second. Every rule breaks ties by the summed scores, never by field order.

Run: python -m evaluation.tagging_context --vectors DIR --modules 5 [--chunks 3] [--json]
(DIR as for evaluation.tagging_openstax: the chunk vectors are reused, nothing is embedded twice.)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from evaluation.openstax import read_book
from evaluation.tagging_openstax import _embed, gold_fields

# The books the first settings (descriptions aside) were chosen on; the others are the held-out check.
DEVELOPMENT = ("openstax-psychology-2e", "openstax-biology-2e", "openstax-chemistry-2e",
               "openstax-university-physics-vol1", "openstax-calculus-vol1", "openstax-intro-statistics-2e")

Rule = Callable[[np.ndarray, list[np.ndarray]], np.ndarray]  # (module rows, book's modules' rows) -> scores


def _ranks(scores: np.ndarray) -> np.ndarray:
    out = np.empty(len(scores))
    out[np.argsort(-scores)] = np.arange(len(scores))
    return out


def _softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    e = np.exp((scores - scores.max(axis=-1, keepdims=True)) / temperature)
    return e / e.sum(axis=-1, keepdims=True)


def rules() -> Iterator[tuple[str, Rule]]:
    def tie(m: np.ndarray, b: list[np.ndarray]) -> np.ndarray:  # the summed mean scores, to break ties
        return 1e-6 * (m.mean(0) + np.vstack(b).mean(0))

    def mean(w: float) -> Rule:
        return lambda m, b: m.mean(0) + w * np.vstack(b).mean(0)

    def rank_sum(m: np.ndarray, b: list[np.ndarray]) -> np.ndarray:
        return -(_ranks(m.mean(0)) + _ranks(np.vstack(b).mean(0))) + tie(m, b)

    def rrf(m: np.ndarray, b: list[np.ndarray]) -> np.ndarray:
        return 1 / (61 + _ranks(m.mean(0))) + 1 / (61 + _ranks(np.vstack(b).mean(0))) + tie(m, b)

    def product(t: float, book: str) -> Rule:
        def rule(m: np.ndarray, b: list[np.ndarray]) -> np.ndarray:
            if book == "mean":
                p_book = _softmax(np.vstack(b).mean(0), t)
            elif book == "modules":
                p_book = np.mean([_softmax(x.mean(0), t) for x in b], axis=0)
            else:
                p_book = _softmax(np.vstack(b), t).mean(0)
            return np.log(_softmax(m.mean(0), t)) + np.log(p_book + 1e-9) + tie(m, b)
        return rule

    yield "module alone", lambda m, b: m.mean(0)
    for w in (0.5, 1.0, 2.0):
        yield f"mean + {w} x book mean (tagger: 1.0)", mean(w)
    yield "rank sum (module rank + book rank)", rank_sum
    yield "reciprocal rank fusion, k=60", rrf
    for t in (0.02, 0.05):
        yield f"log p(module) + log p(book mean), T={t}", product(t, "mean")
        yield f"log p(module) + log mean p(each book module), T={t}", product(t, "modules")
        yield f"log p(module) + log mean p(each book chunk), T={t}", product(t, "chunks")


def main(argv: list[str] | None = None) -> int:
    from adapt.settings import Settings, apply_offline_environment
    from adapt.tagging.embedding import CachedEmbedder
    from adapt.tagging.subject import SubjectTagger, chunk_text
    from models.embedders import get_embedder

    apply_offline_environment()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "oer")
    parser.add_argument("--chunks", type=int, default=3)
    parser.add_argument("--modules", type=int, metavar="N")
    parser.add_argument("--vectors", type=Path, metavar="DIR")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"error: no OpenStax data at {args.data}; pass --data", file=sys.stderr)
        return 1
    tagger = SubjectTagger(CachedEmbedder(get_embedder("e5")), cache_dir=Settings.from_env().cache_dir / "tagging")
    codes = tagger._label_vectors()[0]
    hub = tagger._hub_penalty()
    books = {}
    for book, gold in gold_fields(args.data).items():
        modules = read_book(args.data / book)[: args.modules]
        rows = [tagger._raw_scores(_embed(tagger, chunk_text(m.texts(), title=m.title, max_chunks=args.chunks),
                                          args.vectors)) - tagger.hub_weight * hub for m in modules]
        books[book] = (gold, rows)
    table = []
    for name, rule in rules():
        per_book = {b: float(np.mean([codes[int(np.argmax(rule(m, rows)))] == gold for m in rows]))
                    for b, (gold, rows) in books.items()}
        dev = [v for b, v in per_book.items() if b in DEVELOPMENT]
        held = [v for b, v in per_book.items() if b not in DEVELOPMENT]
        table.append({"rule": name, "macro": float(np.mean(list(per_book.values()))),
                      "development": float(np.mean(dev)) if dev else None,
                      "held_out": float(np.mean(held)) if held else None,
                      "worst": min(per_book.values()), "books": per_book})
    if args.json:
        print(json.dumps(table, indent=2))
        return 0
    print(f"{'rule':<55} macro  dev  held-out  worst book")
    for row in table:
        print(f"{row['rule']:<55} {row['macro']:4.0%} {row['development'] or 0:4.0%}  {row['held_out'] or 0:6.0%}"
              f"  {row['worst']:6.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
