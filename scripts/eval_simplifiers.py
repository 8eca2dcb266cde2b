"""The table of simplifiers on ASSET validation (or OneStopEnglish), made by one command.

For each simplifier: corpus SARI (EASSE's default) and the sentence mean (SARI-mean), FKGL of the outputs
(mean of sentence grades, and EASSE-style over the pooled corpus), compression, exact-copy rate, meaning
(MiniLM cosine to the source, the guard's measure), then what the guards let through: the share of
sentences above the target grade that get a guard-passing suggestion, the meaning guard's rejections
among changed sentences, the FKGL drop and chrF to the source on the changed (offered) sentences, the
SARI of what a reviewer is offered (a rejected output falls back to the source), and sentences/s.

    python scripts/eval_simplifiers.py --limit 300                       # identity, rules, structural, lexical, default
    python scripts/eval_simplifiers.py --limit 300 --systems default --json
    python scripts/eval_simplifiers.py --systems identity,rules,structural,lexical,default,llm --llm-limit 20

Development data only (../shared/data/simplification/asset-valid, OneStopEnglish); never test sets.
The sample is the first --limit sentences of the file (deterministic).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

SYSTEMS = ("identity", "rules", "structural", "lexical", "default", "llm")


def data_dir() -> Path:
    here = Path(__file__).resolve().parents[1]
    for base in (here.parent / "shared" / "data", here / "shared" / "data"):
        if (base / "simplification").is_dir():
            return base / "simplification"
    raise SystemExit("cannot find ../shared/data/simplification: run from a checkout beside shared/")


def load_asset(limit: int | None) -> tuple[list[str], list[list[str]]]:
    folder = data_dir() / "asset-valid"
    read = lambda name: (folder / name).read_text(encoding="utf-8").splitlines()  # noqa: E731
    sources = read("asset.valid.orig")
    refs = [read(f"asset.valid.simp.{i}") for i in range(10)]
    n = len(sources) if not limit else min(limit, len(sources))
    return sources[:n], [[r[i] for r in refs] for i in range(n)]


def load_onestop(limit: int | None) -> tuple[list[str], list[list[str]]]:
    from evaluation.named import read_onestop_pairs

    path = data_dir() / "onestopenglish" / "Sentence-Aligned" / "ADV-ELE.txt"
    advanced, elementary, _ = read_onestop_pairs(path, limit=limit)
    return list(advanced), [[e] for e in elementary]


class Identity:
    name = "identity"

    def simplify(self, texts: list[str], *, target_grade: float) -> list[str]:
        return list(texts)


def build(name: str) -> Any:
    if name == "identity":
        return Identity()
    from adapt.engines import english_grade
    from models.simplifiers import get_simplifier

    if name == "llm":  # the LLM keeps its dequantised weights in a cache folder, as the service's does
        from adapt.settings import Settings

        return get_simplifier(name, grade=english_grade, cache_dir=Settings.from_env().cache_dir)
    return get_simplifier(name, grade=english_grade)


def corpus_fkgl(texts: list[str]) -> float:
    """EASSE's corpus FKGL: words, sentences and syllables pooled over the corpus."""
    from adapt.readability import readability

    words = sentences = syllables = 0.0
    for text in texts:
        r = readability(text, "en")
        words += r.words
        sentences += r.sentences
        syllables += r.syllables
    if not words or not sentences:
        return 0.0
    return max(0.0, 0.39 * words / sentences + 11.8 * syllables / words - 15.59)


def evaluate(name: str, sources: list[str], references: list[list[str]], target: float,
             embedder: Any) -> dict[str, Any]:
    import numpy as np
    from sacrebleu.metrics import CHRF

    from adapt.qa import QAInput, run_checks
    from adapt.readability import grade_level
    from adapt.simplify_guards import GUARDS, GuardContext, guard_details, meaning_similarity, rejecting
    from evaluation.metrics import SARI

    simplifier = build(name)
    t0 = time.perf_counter()
    simplifier.simplify([sources[0]], target_grade=target)  # load models outside the timing
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    outputs = []
    for i in range(0, len(sources), 16):
        outputs += simplifier.simplify(sources[i : i + 16], target_grade=target)
        print(f"  {name}: {len(outputs)}/{len(sources)}", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - t0
    grades_src = [grade_level(s) for s in sources]
    grades_out = [grade_level(o) for o in outputs]
    sims = [float(v) for v in meaning_similarity(embedder, sources, outputs)]
    changed = [o.strip() != s.strip() for s, o in zip(sources, outputs)]
    offered, passing, meaning_rejects, codes = [], [], 0, {}
    for s, o, sim, gb, ga, ch in zip(sources, outputs, sims, grades_src, grades_out, changed):
        ok = False
        if ch:
            qa = QAInput(source=s, output=o, task="simplify",
                         details=guard_details(GuardContext(target, gb, ga, sim)))
            hard = rejecting(run_checks(qa, extra=GUARDS, skip=("untranslated",)))
            for flag in hard:
                codes[flag.code] = codes.get(flag.code, 0) + 1
            meaning_rejects += any(f.code == "meaning-lost" for f in hard)
            ok = not hard
        passing.append(ok)
        offered.append(o if ok else s)
    above = [g > target for g in grades_src]
    n_changed = sum(changed)
    offered_idx = [i for i, ok in enumerate(passing) if ok]
    sari = SARI().compute(sources=sources, predictions=outputs, references=references)
    sari_mean = SARI(mode="sentence-mean").compute(sources=sources, predictions=outputs, references=references)
    chrf_offered = (CHRF().corpus_score([outputs[i] for i in offered_idx], [[sources[i] for i in offered_idx]]).score
                    if offered_idx else None)
    row = {
        "system": name,
        "signature": getattr(simplifier, "signature", lambda: None)() and simplifier.signature().short(),
        "n": len(sources), "SARI": round(sari.value, 2), "SARI-mean": round(sari_mean.value, 2),
        "sari_parts": sari.details,
        "FKGL": round(float(np.mean(grades_out)), 2), "FKGL_corpus": round(corpus_fkgl(outputs), 2),
        "FKGL_source": round(float(np.mean(grades_src)), 2),
        "compression": round(float(np.mean([len(o.strip()) / max(1, len(s.strip()))
                                            for s, o in zip(sources, outputs)])), 3),
        "copy_rate": round(1 - n_changed / len(sources), 3),
        "meaning": round(float(np.mean(sims)), 4),
        "changed": n_changed,
        "above_target": sum(above),
        "passing_share_of_above": round(sum(p for p, a in zip(passing, above) if a) / max(1, sum(above)), 3),
        "meaning_rejects_share_of_changed": round(meaning_rejects / max(1, n_changed), 3),
        "guard_rejections": codes,
        "fkgl_drop_offered": round(float(np.mean([grades_src[i] - grades_out[i] for i in offered_idx])), 2)
        if offered_idx else None,
        "chrf_to_source_offered": round(chrf_offered, 2) if chrf_offered is not None else None,
        "SARI_offered": round(SARI().compute(sources=sources, predictions=offered, references=references).value, 2),
        "sentences_per_s": round(len(sources) / seconds, 2), "load_s": round(load_s, 1),
    }
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", choices=["asset-valid", "onestop"], default="asset-valid")
    parser.add_argument("--limit", type=int, default=300, help="first N sentences (0 = all)")
    parser.add_argument("--systems", default="identity,rules,structural,lexical,default",
                        help=f"comma-separated: {', '.join(SYSTEMS)}")
    parser.add_argument("--grade", type=float, default=6.0, help="target grade given to the simplifiers")
    parser.add_argument("--llm-limit", type=int, default=20,
                        help="the llm runs on the first N sentences of the sample only (it is slow); its row says n")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args()
    from models.embedders import get_embedder

    sources, references = (load_asset if args.data == "asset-valid" else load_onestop)(args.limit or None)
    embedder = get_embedder("minilm")
    rows = []
    for name in [s.strip() for s in args.systems.split(",") if s.strip()]:
        if name not in SYSTEMS:
            print(f"unknown system {name!r}: choose from {', '.join(SYSTEMS)}", file=sys.stderr)
            return 1
        n = min(args.llm_limit, len(sources)) if name == "llm" and args.llm_limit else len(sources)
        rows.append(evaluate(name, sources[:n], references[:n], args.grade, embedder))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)  # each row as soon as it is done
    load = os.getloadavg()
    result = {"data": args.data, "n": len(sources), "target_grade": args.grade, "systems": rows,
              "loadavg": [round(x, 2) for x in load]}
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"{args.data}, first {len(sources)} sentences, target grade {args.grade:g}, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    cols = ["n", "SARI", "SARI-mean", "FKGL", "FKGL_corpus", "compression", "copy_rate", "meaning",
            "passing_share_of_above", "meaning_rejects_share_of_changed", "fkgl_drop_offered",
            "chrf_to_source_offered", "SARI_offered", "sentences_per_s"]
    print("| system | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for row in rows:
        print(f"| {row['system']} | " + " | ".join(str(row[c]) for c in cols) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
