"""Can a little supervision close the gap between textbook prose and the field descriptions? (issue 16, round 6)

The tagger is zero-shot: chunks of a module and the ISCED-F field descriptions are embedded by e5-small and
compared (`SubjectTagger._raw_scores`, hub-corrected). This script learns, from books whose field is known,
one weight per embedding dimension (a diagonal adapter: q -> unit(q * (1 + s)), the descriptions untouched),
so that each module's gold field wins a softmax over all 80 fields (cross-entropy, L2 penalty `lam` on s),
and asks whether that transfers to books in fields it never saw:

- leave one book out over the development books (each book is the only one in its field there, so this is
  also leave one *field* out): the adapter is fitted on the others and scores the book left out;
- fitted on every development book, it scores each `--check` folder (books it never saw) once.

With s = 0 the scores are the tagger's own (its toss-up words aside), so the first line is the baseline.

Run: python -m evaluation.tagging_adapter --data DIR [--data DIR ...] [--check DIR ...] --vectors VDIR
     [--chunks 6] [--lam 0.01 0.1] [--steps 300] [--label-prefix passage|query] [--json]
(DIR: a folder of OpenStax books with subject-gold.tsv, as for evaluation.tagging_openstax; VDIR as there:
chunk vectors are reused, nothing is embedded twice.)
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

TEMPERATURE = 0.02  # softmax temperature over centred cosines (their spread is ~0.1)


@dataclass
class Book:
    name: str
    gold: int  # index of the gold field
    modules: list[np.ndarray]  # each module's chunk vectors, centred and unit length (rows x dim)


def _unit(m: np.ndarray) -> np.ndarray:
    return m / np.maximum(np.linalg.norm(m, axis=-1, keepdims=True), 1e-12)


class Scorer:
    """The tagger's module-alone score with a diagonal adapter on the document side."""

    def __init__(self, labels: np.ndarray, pool: np.ndarray) -> None:
        import torch

        self.torch = torch
        self.labels = torch.tensor(labels, dtype=torch.float32)  # fields x dim (descriptions + keyword means)
        self.pool = torch.tensor(pool, dtype=torch.float32)  # the hub pool, centred and unit length

    def _raw(self, q, scale):
        q = q * (1 + scale)
        return (q / q.norm(dim=-1, keepdim=True).clamp_min(1e-12)) @ self.labels.T

    def module_scores(self, modules: list[np.ndarray], scale: Any) -> Any:
        """(modules x fields) scores: mean over each module's chunks, minus the hub pool's mean."""
        torch = self.torch
        rows = torch.tensor(np.vstack(modules), dtype=torch.float32)
        owner = torch.tensor(np.repeat(np.arange(len(modules)), [len(m) for m in modules]))
        per_chunk = self._raw(rows, scale)
        sums = torch.zeros(len(modules), per_chunk.shape[1]).index_add_(0, owner, per_chunk)
        counts = torch.bincount(owner, minlength=len(modules)).clamp_min(1).unsqueeze(1)
        return sums / counts - self._raw(self.pool, scale).mean(0)

    def fit(self, books: list[Book], *, lam: float, steps: int = 300, lr: float = 0.01,
            temperature: float = TEMPERATURE) -> np.ndarray:
        torch = self.torch
        torch.manual_seed(0)
        modules = [m for b in books for m in b.modules]
        gold = torch.tensor([b.gold for b in books for _ in b.modules])
        # Each book weighs as one, as in the macro figures (Python's 116 modules would otherwise dominate).
        weights = torch.tensor([1.0 / len(b.modules) for b in books for _ in b.modules])
        scale = torch.zeros(self.labels.shape[1], requires_grad=True)
        optimiser = torch.optim.Adam([scale], lr=lr)
        for _ in range(steps):
            logits = self.module_scores(modules, scale) / temperature
            loss = (torch.nn.functional.cross_entropy(logits, gold, reduction="none") * weights).sum() / len(books)
            loss = loss + lam * (scale ** 2).sum()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        return scale.detach().numpy()

    def accuracy(self, book: Book, scale: np.ndarray | None) -> tuple[float, float]:
        """(top-1, top-3) of the book's modules, each alone."""
        torch = self.torch
        s = torch.zeros(self.labels.shape[1]) if scale is None else torch.tensor(scale)
        with torch.no_grad():
            scores = self.module_scores(book.modules, s).numpy()
        order = np.argsort(-scores, axis=1)
        return float(np.mean(order[:, 0] == book.gold)), float(np.mean((order[:, :3] == book.gold).any(axis=1)))


def leave_one_book_out(scorer: Scorer, books: list[Book], *, lam: float, steps: int) -> dict[str, tuple[float, float]]:
    return {b.name: scorer.accuracy(b, scorer.fit([o for o in books if o is not b], lam=lam, steps=steps))
            for b in books}


def _macro(result: dict[str, tuple[float, float]]) -> dict[str, float]:
    values = list(result.values())
    return {"top1": float(np.mean([v[0] for v in values])), "top3": float(np.mean([v[1] for v in values])),
            "worst_top1": float(min(v[0] for v in values))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, action="append", required=True, metavar="DIR")
    parser.add_argument("--check", type=Path, action="append", default=[], metavar="DIR")
    parser.add_argument("--chunks", type=int, default=6)
    parser.add_argument("--vectors", type=Path, metavar="VDIR")
    parser.add_argument("--lam", type=float, nargs="*", default=[0.01, 0.1],
                        help="penalties to try; none: the baseline only")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--label-prefix", choices=("passage", "query"), default="passage",
                        help="e5 prefix of the field descriptions (the tagger: passage; query is e5's symmetric use)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.data + args.check if not p.is_dir()]
    if missing:
        print(f"error: no OpenStax data at {', '.join(missing)}; pass folders with subject-gold.tsv", file=sys.stderr)
        return 1

    from adapt.settings import Settings, apply_offline_environment
    from adapt.tagging.embedding import CachedEmbedder
    from adapt.tagging.subject import SubjectTagger, chunk_text
    from evaluation.openstax import read_book
    from evaluation.tagging_openstax import _embed, gold_fields
    from models.embedders import get_embedder

    apply_offline_environment()
    tagger = SubjectTagger(CachedEmbedder(get_embedder("e5")), cache_dir=Settings.from_env().cache_dir / "tagging")
    codes, centre, desc, keywords = tagger.label_vectors_as(args.label_prefix)
    pool_texts = [k for c in codes for k in tagger.taxonomy.label_texts(c)[1:]]
    pool = _unit(tagger._cached_label_vectors(pool_texts, kind="query") - centre)
    scorer = Scorer(desc + tagger.keyword_weight * keywords, pool)

    def books(folders: list[Path]) -> list[Book]:
        out = []
        for folder in folders:
            for name, gold in gold_fields(folder).items():
                modules = [_unit(_embed(tagger, chunk_text(m.texts(), title=m.title, max_chunks=args.chunks),
                                        args.vectors) - centre) for m in read_book(folder / name)]
                if modules:
                    out.append(Book(name, codes.index(gold), modules))
        return out

    development, check = books(args.data), books(args.check)
    report: dict = {"baseline": {"development": {b.name: scorer.accuracy(b, None) for b in development},
                                 "check": {b.name: scorer.accuracy(b, None) for b in check}}}
    for lam in args.lam:
        scale = scorer.fit(development, lam=lam, steps=args.steps)
        report[f"lam={lam}"] = {"development": leave_one_book_out(scorer, development, lam=lam, steps=args.steps),
                                "check": {b.name: scorer.accuracy(b, scale) for b in check}}
    if args.json:
        print(json.dumps({k: {part: {"books": v, **(_macro(v) if v else {})} for part, v in parts.items()}
                          for k, parts in report.items()}, indent=2))
        return 0
    print("all modules, each alone; development = leave one book out; check = fitted on every development book")
    for name, parts in report.items():
        line = f"{name:<12}"
        for part, result in parts.items():
            if result:
                m = _macro(result)
                line += (f" | {part} ({len(result)} books) top-1 {m['top1']:6.1%} top-3 {m['top3']:6.1%}"
                         f" worst {m['worst_top1']:4.0%}")
        print(line)
    for part in ("development", "check"):
        names = list(report["baseline"][part])
        for book in names:
            print(f"  {part:<11} {book:<40} " + "  ".join(f"{k} {v[part][book][0]:4.0%}" for k, v in report.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
