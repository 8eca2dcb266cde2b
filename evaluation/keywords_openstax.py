"""Keyword quality on the OpenStax books: the terms a source marks itself are a free gold set.

Gold for a module: its CNXML `<term>` elements (in the text and in the glossary), de-duplicated across
case and singular/plural (`adapt.tagging.keywords.inflection_key`). The module's top 10 keywords
(`extract_keywords`, the same call `adapt tag` makes) are scored with:
- precision@10: the share of the 10 keywords that are a marked term;
- recall@10: the share of the module's marked terms found among the 10 (at most 10 / terms when a module
  marks more than 10, so it is reported beside `terms`).
A keyword counts when its inflection key equals a term's ("neurons" = "Neuron"); no partial credit.
Modules that mark no term are skipped. Per book: the mean over its modules; macro: the mean over books.

Run: python -m evaluation.keywords_openstax [--data ../shared/data/oer] [--modules N] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapt.tagging.keywords import extract_keywords, inflection_key
from adapt.tagging.subject import chunk_text

CNXML = "{http://cnx.rice.edu/cnxml}"


def marked_terms(path: Path) -> list[str]:
    """The module's `<term>` texts in reading order, one per inflection key."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.parse(str(path), parser).getroot()
    seen: dict[str, str] = {}
    for el in root.iter(f"{CNXML}term"):
        text = " ".join("".join(el.itertext()).split())
        if text and len(text) <= 80:
            seen.setdefault(inflection_key(text, "en"), text)
    return list(seen.values())


@dataclass(frozen=True)
class BookKeywords:
    book: str
    modules: int  # modules with at least one marked term
    terms: float  # mean marked terms per module
    precision: float
    recall: float
    seconds: float
    examples: tuple[tuple[str, tuple[str, ...]], ...]  # (module title, its keywords) for the first modules

    def to_json(self) -> dict:
        return {"book": self.book, "modules": self.modules, "terms": round(self.terms, 1),
                "precision_at_10": round(self.precision, 4), "recall_at_10": round(self.recall, 4),
                "seconds": round(self.seconds, 1), "examples": [[t, list(k)] for t, k in self.examples]}


def evaluate_book(embedder, folder: Path, *, limit: int | None = None, top_n: int = 10) -> BookKeywords:
    from evaluation.openstax import read_book

    start = time.perf_counter()
    precisions: list[float] = []
    recalls: list[float] = []
    term_counts: list[int] = []
    examples: list[Any] = []
    for module in read_book(folder):
        gold = marked_terms(folder / "modules" / module.module_id / "index.cnxml")
        if not gold:
            continue
        if limit is not None and len(precisions) >= limit:
            break
        texts = module.texts()
        vectors = embedder.embed_queries(chunk_text(texts, title=module.title))
        keywords = extract_keywords(texts, embedder, language="en", document_vector=vectors.mean(axis=0),
                                    top_n=top_n)
        keys = {inflection_key(t, "en") for t in gold}
        hits = [k for k in keywords if inflection_key(k.text, "en") in keys]
        precisions.append(len(hits) / max(len(keywords), 1))
        recalls.append(len({inflection_key(k.text, "en") for k in hits}) / len(keys))
        term_counts.append(len(keys))
        if len(examples) < 2:
            examples.append((module.title, tuple(k.text for k in keywords)))
    n = max(len(precisions), 1)
    return BookKeywords(folder.name, len(precisions), sum(term_counts) / n, sum(precisions) / n,
                        sum(recalls) / n, time.perf_counter() - start, tuple(examples))


def books(root: Path) -> list[str]:
    gold = root / "subject-gold.tsv"
    if gold.is_file():
        with gold.open(encoding="utf-8") as fh:
            return [row["folder"] for row in csv.DictReader(fh, delimiter="\t")]
    return sorted(p.name for p in root.iterdir() if (p / "modules").is_dir())


def main(argv: list[str] | None = None) -> int:
    from adapt.settings import apply_offline_environment
    from adapt.tagging.embedding import CachedEmbedder
    from models.embedders import get_embedder

    apply_offline_environment()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "oer")
    parser.add_argument("--modules", type=int, default=None, help="at most N modules with marked terms per book")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"error: no OpenStax data at {args.data}; pass --data", file=sys.stderr)
        return 1
    embedder = CachedEmbedder(get_embedder("e5"))
    results = []
    for book in books(args.data):
        results.append(evaluate_book(embedder, args.data / book, limit=args.modules))
        if not args.json:
            r = results[-1]
            print(f"{r.book:<34} modules {r.modules:>3}  terms/module {r.terms:5.1f}  P@10 {r.precision:5.1%}  "
                  f"R@10 {r.recall:5.1%}  ({r.seconds:.0f} s)", flush=True)
    used = [r for r in results if r.modules]
    macro_p = sum(r.precision for r in used) / max(len(used), 1)
    macro_r = sum(r.recall for r in used) / max(len(used), 1)
    if args.json:
        print(json.dumps({"books": [r.to_json() for r in results], "macro_precision_at_10": round(macro_p, 4),
                          "macro_recall_at_10": round(macro_r, 4)}, indent=2))
    else:
        print(f"macro over {len(used)} books: P@10 {macro_p:.1%}  R@10 {macro_r:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
