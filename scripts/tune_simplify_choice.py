"""Fit the default simplifier's per-sentence choice (models.simplifiers.choice.WEIGHTS) on ASSET validation.

1. Builds every candidate rewrite (lexical, compression, structural and their combinations) of each
   sentence of the tuning slice (default: sentences 1000-1999) and of the report slice (default 1-150),
   with its reference-free features, its SARI n-gram statistics and the real guards' verdict
   (adapt.simplify_guards, MiniLM meaning). Cached as JSON (--cache) so the fit can be rerun quickly.
2. Shows where SARI comes from: add / keep / delete of each fixed path (identity, lexical, compression,
   structural, ...) and of each compression rule alone on top of the lexical output.
3. Coordinate search over the weights, maximising the corpus SARI of what the guards let through
   ("offered": a rejected candidate counts as the source) on the tuning slice; prints the weights and
   the scores on both slices.

    python scripts/tune_simplify_choice.py                          # 1000 tuning + 150 report sentences
    python scripts/tune_simplify_choice.py --tune-start 1000 --tune-limit 300 --json

Development data only (../shared/data/simplification/asset-valid); never a test set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

GRID = (-4.0, -2.0, -1.0, -0.5, -0.25, -0.1, 0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0)


def asset(start: int, limit: int) -> tuple[list[str], list[list[str]]]:
    here = Path(__file__).resolve().parents[1]
    for base in (here.parent / "shared" / "data", here / "shared" / "data",
                 Path(os.environ.get("OER_SHARED_DATA", "/nonexistent"))):
        folder = base / "simplification" / "asset-valid"
        if folder.is_dir():
            break
    else:
        raise SystemExit("cannot find shared/data/simplification/asset-valid: run from a checkout beside shared/")
    read = lambda name: (folder / name).read_text(encoding="utf-8").splitlines()  # noqa: E731
    sources = read("asset.valid.orig")[start : start + limit]
    refs = [read(f"asset.valid.simp.{i}")[start : start + limit] for i in range(10)]
    return sources, [[r[i] for r in refs] for i in range(len(sources))]


def build_rows(sources: list[str], references: list[list[str]], target: float, progress: str) -> list[dict[str, Any]]:
    """Per sentence: its candidates (the source first) with features, SARI statistics and guard verdict."""
    from adapt.engines import english_grade
    from adapt.qa import QAInput, run_checks
    from adapt.simplify_guards import GUARDS, GuardContext, guard_details, meaning_similarity, rejecting
    from evaluation.metrics import SARI
    from models.embedders import get_embedder
    from models.simplifiers.choice import Candidate, features
    from models.simplifiers.composite import DefaultSimplifier
    from models.simplifiers.compression import RULES

    simplifier = DefaultSimplifier(grade=english_grade, compression=tuple(RULES))
    simplifier.target_grade = target
    sari = SARI()
    minilm = get_embedder("minilm")
    rows: list[dict[str, Any]] = []
    for i in range(0, len(sources), 16):
        batch, refs = sources[i : i + 16], references[i : i + 16]
        hard = [english_grade(s) > target for s in batch]
        cands = simplifier.candidate_batch([s for s, h in zip(batch, hard) if h])
        per = iter(cands)
        all_cands = [[Candidate("source", s, []), *(next(per) if h else [])] for s, h in zip(batch, hard)]
        flat = [(j, c) for j, cs in enumerate(all_cands) for c in cs]
        sims = meaning_similarity(minilm, [batch[j] for j, _ in flat], [c.text for _, c in flat])
        stats = sari.segment_stats(sources=[batch[j] for j, _ in flat], predictions=[c.text for _, c in flat],
                                   references=[refs[j] for j, _ in flat])
        out: list[list[dict[str, Any]]] = [[] for _ in batch]
        for (j, c), sim, st in zip(flat, sims, stats):
            before, after = english_grade(batch[j]), english_grade(c.text)
            ok = False
            if c.operations:
                qa = QAInput(source=batch[j], output=c.text, task="simplify",
                             details=guard_details(GuardContext(target, before, after, float(sim))))
                ok = not rejecting(run_checks(qa, extra=GUARDS, skip=("untranslated",)))
            out[j].append({"name": c.name, "text": c.text, "ops": [op.to_json() for op in c.operations],
                           "features": features(batch[j], c, grade=english_grade, target_grade=target),
                           "stats": st.tolist(), "passes": ok, "meaning": float(sim)})
        for j, s in enumerate(batch):
            rows.append({"source": s, "hard": hard[j], "candidates": out[j]})
        print(f"  {progress}: {len(rows)}/{len(sources)}", file=sys.stderr, flush=True)
    return rows


def sari_of(stats: np.ndarray) -> tuple[float, float, float, float]:
    from evaluation.metrics.simplification import corpus_sari_from_counts

    add, keep, delete = corpus_sari_from_counts(stats.reshape(4, 9))
    return (add + keep + delete) / 3, add, keep, delete


class Table:
    """The cached rows as arrays: features (N, K, F), statistics (N, K, 36), pass flags, a mask."""

    def __init__(self, rows: list[dict[str, Any]], names: tuple[str, ...]) -> None:
        self.rows = rows
        self.names = names
        k = max(len(r["candidates"]) for r in rows)
        n = len(rows)
        self.features = np.zeros((n, k, len(names)))
        self.stats = np.zeros((n, k, 36))
        self.passes = np.zeros((n, k), dtype=bool)
        self.valid = np.zeros((n, k), dtype=bool)
        for i, row in enumerate(rows):
            for j, c in enumerate(row["candidates"]):
                self.features[i, j] = [c["features"].get(f, 0.0) for f in names]
                self.stats[i, j] = c["stats"]
                self.passes[i, j] = c["passes"]
                self.valid[i, j] = True

    def pick(self, weights: np.ndarray) -> np.ndarray:
        scores = self.features @ weights
        scores[:, 0] = 0.0  # the source
        scores[~self.valid] = -np.inf
        return np.argmax(scores, axis=1)

    def evaluate(self, choice: np.ndarray) -> dict[str, float]:
        idx = np.arange(len(choice))
        raw = self.stats[idx, choice].sum(axis=0)
        offered_choice = np.where(self.passes[idx, choice], choice, 0)
        offered = self.stats[idx, offered_choice].sum(axis=0)
        hard = np.array([r["hard"] for r in self.rows])
        passing = self.passes[idx, choice] & (choice > 0)
        s, add, keep, delete = sari_of(raw)
        so = sari_of(offered)[0]
        return {"SARI": round(s, 2), "add": round(add, 2), "keep": round(keep, 2), "delete": round(delete, 2),
                "SARI_offered": round(so, 2), "pass_share": round(float(passing[hard].mean()) if hard.any() else 0, 3),
                "changed": int((choice > 0).sum())}

    def fixed_path(self, name: str) -> np.ndarray:
        """The candidate named `name` ("lexical+compress") where a sentence has it, else the longest of its
        steps that the sentence has ("lexical"), else the source: one fixed path through the candidates."""
        steps = name.split("+")
        wanted = ["+".join(steps[:k]) for k in range(len(steps), 0, -1)]
        pick = []
        for r in self.rows:
            names = {c["name"]: j for j, c in enumerate(r["candidates"])}
            pick.append(next((names[w] for w in wanted if w in names), 0))
        return np.array(pick)


def fit(table: Table, start: dict[str, float], rounds: int = 4) -> dict[str, float]:
    names = table.names
    w = np.array([start.get(n, 0.0) for n in names])
    best = table.evaluate(table.pick(w))["SARI_offered"]
    for _ in range(rounds):
        improved = False
        for f in range(len(names)):
            for value in GRID:
                trial = w.copy()
                trial[f] = value
                got = table.evaluate(table.pick(trial))["SARI_offered"]
                if got > best + 1e-6:
                    best, w, improved = got, trial, True
        if not improved:
            break
    return {n: float(v) for n, v in zip(names, w)}


def rule_ablation(rows: list[dict[str, Any]], references: list[list[str]], target: float) -> dict[str, Any]:
    """Corpus SARI of the lexical output with each compression rule alone applied on top (hard sentences)."""
    from evaluation.metrics import SARI
    from models.simplifiers.compression import RULES, compress
    from models.simplifiers.parsing import parse

    sources = [r["source"] for r in rows]
    lexical = [next((c["text"] for c in r["candidates"] if c["name"] == "lexical"), r["source"]) for r in rows]
    sari = SARI()
    out: dict[str, Any] = {
        "lexical": round(sari.compute(sources=sources, predictions=lexical, references=references).value, 2)}
    for rule in RULES:
        outputs = [compress(parse(t), [rule])[0] if r["hard"] else t for t, r in zip(lexical, rows)]
        changed = sum(o != t for o, t in zip(outputs, lexical))
        out[rule] = {"SARI": round(sari.compute(sources=sources, predictions=outputs, references=references).value, 2),
                     "changed": changed}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tune-start", type=int, default=1000)
    parser.add_argument("--tune-limit", type=int, default=1000)
    parser.add_argument("--report-start", type=int, default=0)
    parser.add_argument("--report-limit", type=int, default=150)
    parser.add_argument("--grade", type=float, default=6.0)
    parser.add_argument("--cache", type=Path, default=Path(".cache/tune_simplify_choice"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from models.simplifiers.choice import FEATURES, WEIGHTS

    args.cache.mkdir(parents=True, exist_ok=True)
    slices = {}
    for label, start, limit in (("tune", args.tune_start, args.tune_limit),
                                ("report", args.report_start, args.report_limit)):
        sources, refs = asset(start, limit)
        path = args.cache / f"{label}-{start}-{limit}-g{args.grade:g}.json"
        if path.exists():
            rows = json.loads(path.read_text())
        else:
            rows = build_rows(sources, refs, args.grade, label)
            path.write_text(json.dumps(rows))
        slices[label] = (Table(rows, FEATURES), refs)
    result: dict[str, Any] = {"loadavg": [round(x, 2) for x in os.getloadavg()]}
    tune, tune_refs = slices["tune"]
    report, _ = slices["report"]
    paths = sorted({c["name"] for r in tune.rows for c in r["candidates"]})
    result["paths"] = {label: {name: table.evaluate(table.fixed_path(name)) for name in paths}
                       for label, (table, _) in slices.items()}
    result["rule_ablation_tune"] = rule_ablation(tune.rows, tune_refs, args.grade)
    result["current_weights"] = {label: table.evaluate(table.pick(np.array([WEIGHTS.get(n, 0.0) for n in FEATURES])))
                                 for label, (table, _) in slices.items()}
    weights = fit(tune, WEIGHTS)
    result["fitted_weights"] = weights
    chosen = np.array([weights[n] for n in FEATURES])
    result["fitted"] = {label: table.evaluate(table.pick(chosen)) for label, (table, _) in slices.items()}
    print(json.dumps(result, indent=1 if args.json else None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
