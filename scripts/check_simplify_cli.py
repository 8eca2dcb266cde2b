"""The simplification check through the real CLI: simplify, accept all, export, score the export.

Writes N ASSET validation sentences (default: 40 from sentence 600 on: outside the choice's tuning slice
1000-1599 and the README table's 1-150) to a plain-text file, one paragraph each, then runs

    adapt simplify FILE --level grade:6 --assume-license CC-BY-NC-4.0     (ASSET's licence)
    adapt accept --all --resource R
    adapt export R --out OUT

in a fresh database, reads the exported paragraphs back (the attribution notes left out) and scores them
against ASSET's ten references: corpus SARI (EASSE's default), copying the source for comparison, the
changed share, FKGL before and after, and what the guards rejected.

    python scripts/check_simplify_cli.py                      # 40 sentences from 600
    python scripts/check_simplify_cli.py --start 700 --limit 40 --json
    python scripts/check_simplify_cli.py --min-sari 34        # exit 1 below 34

Development data only; the repository ships no ASSET test data.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ASSET_LICENCE = "CC-BY-NC-4.0"


def asset_folder() -> Path:
    here = Path(__file__).resolve().parents[1]
    env = os.environ.get("ADAPT_SHARED_DATA") or os.environ.get("OER_SHARED_DATA")
    for base in ([Path(env)] if env else []) + [here.parent / "shared" / "data", here / "shared" / "data"]:
        folder = base / "simplification" / "asset-valid"
        if folder.is_dir():
            return folder
    raise SystemExit("ASSET validation not found: put the shared data beside the checkout or set ADAPT_SHARED_DATA")


def load(start: int, limit: int) -> tuple[list[str], list[list[str]]]:
    folder = asset_folder()
    read = lambda name: (folder / name).read_text(encoding="utf-8").splitlines()  # noqa: E731
    sources = read("asset.valid.orig")[start : start + limit]
    refs = [read(f"asset.valid.simp.{i}")[start : start + limit] for i in range(10)]
    if len(sources) < limit:
        raise SystemExit(f"ASSET validation has only {start + len(sources)} sentences")
    return sources, [[r[i] for r in refs] for i in range(len(sources))]


def adapt(db: Path, *args: str) -> dict[str, Any]:
    """One `adapt` command in a child process (the installed CLI, as a user runs it), its --json result."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
           "ADAPT_USER": os.environ.get("ADAPT_USER", "checker")}
    done = subprocess.run([sys.executable, "-m", "adapt", "--db", str(db), *args, "--json"], capture_output=True,
                          text=True, env=env, cwd=db.parent, check=False)
    if done.returncode != 0:
        raise SystemExit(f"adapt {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    print(f"  adapt {args[0]}: done", file=sys.stderr, flush=True)
    return json.loads(done.stdout)


def exported_paragraphs(path: Path) -> list[str]:
    """The exported text's paragraphs without the attribution notes the export puts first ("NOTE: ...")."""
    text = path.read_text(encoding="utf-8")
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
    return [p for p in paragraphs if not p.startswith("NOTE:")]


def check(sources: list[str], references: list[list[str]], *, grade: float, simplifier: str,
          workdir: Path) -> dict[str, Any]:
    from adapt.readability import grade_level
    from evaluation.metrics import SARI

    source_file = workdir / "asset-sentences.txt"
    source_file.write_text("\n\n".join(sources) + "\n", encoding="utf-8")
    db = workdir / "check.db"
    simplified = adapt(db, "simplify", str(source_file), "--level", f"grade:{grade:g}", "--simplifier", simplifier,
                       "--assume-license", ASSET_LICENCE)
    resource = int(simplified["resource"])
    accepted = adapt(db, "accept", "--all", "--resource", str(resource))
    out = workdir / "exported.txt"
    exported = adapt(db, "export", str(resource), "--out", str(out))
    outputs = exported_paragraphs(out)
    if len(outputs) != len(sources):
        raise SystemExit(f"the export has {len(outputs)} paragraphs for {len(sources)} sentences: cannot align them")
    sari = SARI().compute(sources=sources, predictions=outputs, references=references)
    copy = SARI().compute(sources=sources, predictions=sources, references=references)
    changed = [i for i, (s, o) in enumerate(zip(sources, outputs)) if " ".join(s.split()) != o]
    before = [grade_level(sources[i]) for i in changed]
    after = [grade_level(outputs[i]) for i in changed]
    return {
        "n": len(sources), "simplifier": simplifier, "target_grade": grade,
        "SARI": round(sari.value, 2), "sari_parts": sari.details, "SARI_copy": round(copy.value, 2),
        "changed": len(changed), "above_target": simplified.get("above_target"),
        "suggestions": simplified.get("suggestions"), "rejected": simplified.get("rejected"),
        "rejections": simplified.get("rejections", {}), "accepted": len(accepted.get("accepted", [])),
        "exported_accepted": exported.get("accepted"),
        "FKGL_changed_before": round(sum(before) / len(before), 2) if before else None,
        "FKGL_changed_after": round(sum(after) / len(after), 2) if after else None,
        "sari_signature": sari.signature.format(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--start", type=int, default=600, help="first ASSET validation sentence (0-based)")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--grade", type=float, default=6.0)
    parser.add_argument("--simplifier", default="default")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the database and files here")
    parser.add_argument("--min-sari", type=float, default=None, help="exit 1 when the export's SARI is below this")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.limit < 1 or args.start < 0:
        print("--limit must be at least 1 and --start at least 0", file=sys.stderr)
        return 1
    sources, references = load(args.start, args.limit)
    with tempfile.TemporaryDirectory(prefix="check-simplify-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        result = check(sources, references, grade=args.grade, simplifier=args.simplifier, workdir=workdir)
    result["start"] = args.start
    result["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        print(json.dumps(result, indent=1, default=str))
    else:
        print(f"ASSET validation sentences {args.start + 1}-{args.start + args.limit} through the CLI "
              f"(simplify --level grade:{args.grade:g}, accept --all, export), load average {result['loadavg']}")
        print(f"SARI {result['SARI']} (copying the source: {result['SARI_copy']}); {result['changed']} of "
              f"{result['n']} changed; FKGL of the changed {result['FKGL_changed_before']} -> "
              f"{result['FKGL_changed_after']}; guards rejected {result['rejected']} {result['rejections']}")
    if args.min_sari is not None and result["SARI"] < args.min_sari:
        print(f"SARI {result['SARI']} is below {args.min_sari}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
