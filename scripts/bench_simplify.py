"""Benchmark the simplifiers on OneStopEnglish advanced → elementary sentence pairs.

For each simplifier it prints: mean Flesch-Kincaid grade of the sources, of the outputs and of the human
elementary references; the share of sentences changed; the mean meaning similarity of output to source
(MiniLM cosine, the guard's measure) and how many outputs the guards would reject; SARI against the
elementary reference (from the evaluation harness, when it is there); and seconds per sentence.
The raw simplifier is measured (what a model proposes); guards then decide what a reviewer is offered.

    python scripts/bench_simplify.py --limit 60 --simplifier rules
    python scripts/bench_simplify.py --limit 12 --simplifier llm [--model PATH]   # ~1 token/s on a busy CPU
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from adapt.engines import english_grade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from onestop import sample_pairs  # noqa: E402

from adapt.settings import Settings, apply_offline_environment  # noqa: E402


def sari_score(sources: list[str], outputs: list[str], references: list[str]) -> str:
    try:
        from evaluation.metrics.simplification import sari  # type: ignore[attr-defined]

        return f"{float(sari(sources=sources, predictions=outputs, references=[[r] for r in references])):.2f}"
    except ImportError:
        pass
    try:
        from evaluation.metrics.simplification import SARI
    except ImportError:
        return "pending evaluation harness"
    score = SARI().compute(sources=sources, predictions=outputs, references=[[r] for r in references])
    return f"{score.value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=60, help="sentence pairs (sampled with a fixed seed)")
    parser.add_argument("--simplifier", action="append", choices=["rules", "llm"],
                        help="which simplifier (repeatable; default both)")
    parser.add_argument("--level", default="grade:6", help="target grade given to the simplifiers")
    parser.add_argument("--model", help="GGUF file or model folder for the llm simplifier")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    apply_offline_environment()
    from adapt.qa import QAInput, run_checks
    from adapt.readability import grade_level
    from adapt.simplify import parse_level
    from adapt.simplify_guards import (
        GUARDS,
        MEANING_EMBEDDER,
        GuardContext,
        guard_details,
        meaning_similarity,
        rejecting,
    )
    from models.embedders import get_embedder
    from models.simplifiers import get_simplifier

    target = parse_level(args.level)
    pairs = sample_pairs(args.limit, seed=args.seed)
    sources = [a for a, _ in pairs]
    references = [b for _, b in pairs]
    embedder = get_embedder(MEANING_EMBEDDER)
    grades_src = [grade_level(s) for s in sources]
    grades_ref = [grade_level(r) for r in references]
    print(f"OneStopEnglish ADV→ELE, {len(pairs)} sentence pairs (seed {args.seed}), target grade {target:g}")
    print(f"  sources: mean grade {np.mean(grades_src):.2f}; human elementary references: "
          f"{np.mean(grades_ref):.2f}; SARI of copying the source unchanged: "
          f"{sari_score(sources, sources, references)}")
    settings = Settings.from_env()
    for name in args.simplifier or ["rules", "llm"]:
        simplifier = get_simplifier(name, model=args.model, cache_dir=settings.cache_dir, grade=english_grade)
        t0 = time.perf_counter()
        simplifier.simplify([sources[0]], target_grade=target)  # load the model outside the timing
        load_s = time.perf_counter() - t0
        outputs = []
        t0 = time.perf_counter()
        for i, source in enumerate(sources, 1):
            outputs.append(simplifier.simplify([source], target_grade=target)[0])
            if name == "llm":
                print(f"    {i}/{len(sources)} {time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)
        per_sentence = (time.perf_counter() - t0) / len(sources)
        grades_out = [grade_level(o) for o in outputs]
        changed = [o.strip() != s.strip() for s, o in zip(sources, outputs)]
        sims = meaning_similarity(embedder, sources, outputs)
        rejected = 0
        offered = []  # what a reviewer is offered: a rejected output falls back to the source
        for s, o, sim, gb, ga, ch in zip(sources, outputs, sims, grades_src, grades_out, changed):
            if ch:
                qa = QAInput(source=s, output=o, task="simplify",
                             details=guard_details(GuardContext(target, gb, ga, float(sim))))
                if rejecting(run_checks(qa, extra=GUARDS, skip=("untranslated",))):
                    rejected += 1
                    offered.append(s)
                    continue
            offered.append(o)
        sig = simplifier.signature()
        print(f"\n{name} ({sig.short()}), load {load_s:.1f}s")
        print(f"  mean grade before {np.mean(grades_src):.2f} → after {np.mean(grades_out):.2f} "
              f"(changed sentences only: {np.mean([g for g, c in zip(grades_out, changed) if c] or [0]):.2f})")
        print(f"  sentences changed {np.mean(changed):.0%} ({sum(changed)}/{len(changed)})")
        print(f"  mean meaning similarity {float(np.mean(sims)):.3f} "
              f"(changed only: {float(np.mean([v for v, c in zip(sims, changed) if c] or [1.0])):.3f}); "
              f"guards would reject {rejected}/{sum(changed)} changed")
        print(f"  SARI: {sari_score(sources, outputs, references)}")
        kept = sum(o != s for s, o in zip(sources, offered))
        print(f"  after the guards ({kept} suggestions offered): "
              f"mean grade {np.mean([grade_level(o) for o in offered]):.2f}, "
              f"similarity {float(np.mean(meaning_similarity(embedder, sources, offered))):.3f}, "
              f"SARI {sari_score(sources, offered, references)}")
        print(f"  seconds per sentence {per_sentence:.2f}")
        for s, o, c in list(zip(sources, outputs, changed))[:3]:
            if c:
                print(f"    e.g. {s}\n      → {o}")


if __name__ == "__main__":
    main()
