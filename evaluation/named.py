"""Named suites on the shared data (`../shared/data`, see its README), each with a floor:
- ntrex-en-pt: NTREX-128 English → Brazilian Portuguese (1,997 news sentences). The packaged Bergamot
  model writes pt-BR, so it is scored against `por-BR` (`por` is European Portuguese). Floor: copy-source.
- onestop-simplify: OneStopEnglish advanced → elementary sentence pairs (2,166). Floor: identity.
- openstax-tagging: every module of every shared OpenStax book, gold ISCED-F field from
  oer/subject-gold.tsv, compared at the narrow level (3 digits) by default, with per-book and macro
  module-alone accuracy in the notes. Floor: the majority label.
- ntrex-retrieval: English sentence i must retrieve Portuguese sentence i among all 1,997. Floor: random.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapt.errors import InputError, UserError
from evaluation.data import clean_line, read_lines
from evaluation.openstax import book_title
from evaluation.suites import (
    ProgressFactory,
    RunResult,
    evaluate_retrieval,
    evaluate_simplification,
    evaluate_tagging,
    evaluate_translation,
)
from evaluation.systems import CopySource, System, build_system

REPO = Path(__file__).resolve().parent.parent


def shared_data(explicit: Path | None = None) -> Path:
    """`--data`, else $ADAPT_SHARED_DATA, else `../shared/data` beside the checkout."""
    candidates = [explicit] if explicit else []
    if os.environ.get("ADAPT_SHARED_DATA"):
        candidates.append(Path(os.environ["ADAPT_SHARED_DATA"]))
    candidates += [REPO.parent / "shared" / "data", REPO / "shared" / "data", Path.cwd().parent / "shared" / "data"]
    for candidate in candidates:
        if candidate and candidate.is_dir():
            return candidate
    raise UserError("the shared evaluation data is not there (expected ../shared/data beside the checkout)",
                    hint="pass --data DIR or set ADAPT_SHARED_DATA")


@dataclass(frozen=True)
class NamedSuite:
    name: str
    task: str
    description: str
    default_engines: tuple[str, ...]


SUITES = {
    s.name: s
    for s in (
        NamedSuite("ntrex-en-pt", "translate", "NTREX-128 en→pt-BR, 1,997 sentences; floor: copy-source",
                   ("bergamot",)),
        NamedSuite("onestop-simplify", "simplify", "OneStopEnglish advanced→elementary, 2,166 pairs; floor: identity",
                   ()),
        NamedSuite("openstax-tagging", "tag", "OpenStax modules → ISCED-F field; floor: majority label", ()),
        NamedSuite("ntrex-retrieval", "retrieve", "NTREX-128 en→pt-BR bitext retrieval; floor: random",
                   ("e5", "minilm")),
    )
}


def run_named(name: str, *, engines: Sequence[str] | None = None, data: Path | None = None, limit: int | None = None,
              bootstrap: int = 1000, progress: ProgressFactory | None = None, **options: Any) -> RunResult:
    suite = SUITES.get(name)
    if suite is None:
        raise UserError(f"there is no suite {name!r}", hint=f"choose one of {', '.join(SUITES)}")
    root = shared_data(data)
    engines = list(engines) if engines else list(suite.default_engines)
    runners: dict[str, Callable[..., RunResult]] = {
        "ntrex-en-pt": _ntrex_en_pt, "onestop-simplify": _onestop, "openstax-tagging": _openstax,
        "ntrex-retrieval": _ntrex_retrieval}
    runner = runners[name]
    return runner(root, engines=engines, limit=limit, bootstrap=bootstrap, progress=progress, **options)


def _ntrex_en_pt(root: Path, *, engines, limit, bootstrap, progress, model=None, **_: Any) -> RunResult:
    folder = root / "mt" / "ntrex-128"
    src = read_lines(folder / "newstest2019-src.eng.txt", limit=limit)
    ref = read_lines(folder / "newstest2019-ref.por-BR.txt", limit=limit)
    systems: list[System] = [CopySource("copy-source")]
    systems += [build_system("translate", e, source="en", target="pt", model=model) for e in engines]
    run = evaluate_translation(
        suite="ntrex-en-pt", sources=src.lines, references=[ref.lines], systems=systems, source="en", target="pt-BR",
        settings={"reference": "por-BR", "limit": limit, "files": [src.describe(), ref.describe()]},
        bootstrap=bootstrap, progress=progress)
    run.notes.append("Reference: NTREX-128 por-BR (Brazilian Portuguese), since the engines write pt-BR. "
                     "Data: NTREX-128, Federmann, Kocmi and Xin (2022), Microsoft, CC BY-SA 4.0.")
    return run


def read_onestop_pairs(path: Path, *, limit: int | None = None) -> tuple[list[str], list[str], str]:
    """(first level, second level, sha256) from a Sentence-Aligned file: pairs separated by `*******`."""
    lines = read_lines(path)
    first: list[str] = []
    second: list[str] = []
    block: list[str] = []
    for line in lines.lines + ["*******"]:
        if line.strip("*") == "" and line.startswith("*"):
            if block:
                if len(block) != 2:
                    raise InputError(f"{path}: a block has {len(block)} sentences, expected 2",
                                     hint="Sentence-Aligned files hold pairs separated by *******")
                first.append(block[0])
                second.append(block[1])
            block = []
        elif line:
            block.append(clean_line(line))
    if limit:
        first, second = first[:limit], second[:limit]
    return first, second, lines.sha256


def _onestop(root: Path, *, engines, limit, bootstrap, progress, model=None, embedder="minilm", target_grade=None,
             **_: Any) -> RunResult:
    path = root / "simplification" / "onestopenglish" / "Sentence-Aligned" / "ADV-ELE.txt"
    advanced, elementary, digest = read_onestop_pairs(path, limit=limit)
    systems: list[System] = [CopySource("identity")]
    systems += [build_system("simplify", e, target_grade=target_grade, model=model) for e in engines]
    metrics, notes = usable_simplification_metrics(embedder=embedder)
    run = evaluate_simplification(
        suite="onestop-simplify", sources=advanced, references=[[e] for e in elementary], systems=systems,
        language="en", metrics=metrics, bootstrap=bootstrap, progress=progress,
        settings={"pairs": "ADV-ELE", "limit": limit,
                  "files": [{"path": str(path), "sha256": digest, "lines": None, "used": len(advanced)}]})
    run.notes += notes
    if not engines:
        run.notes.append("No simplifier was named (--engine); only the identity floor ran.")
    run.notes.append("Data: OneStopEnglish corpus, Vajjala and Lučić (2018), CC BY-SA 4.0.")
    return run


def usable_simplification_metrics(*, embedder: str | None = "minilm", language: str = "en"):
    """The simplification metrics this checkout can compute, and a note for any it cannot."""
    from evaluation.readability import implementation
    from evaluation.suites import simplification_metrics

    metrics = simplification_metrics(language=language, embedder=embedder)
    notes = []
    if implementation() == "missing":
        metrics = [m for m in metrics if m.name != "FKGL"]
        notes.append("FKGL left out: this checkout has no adapt.readability yet.")
    return metrics, notes


ISCED_GOLD = {"openstax-intro-python": "0613", "openstax-psychology-2e": "0313"}


def isced_gold(root: Path) -> dict[str, str]:
    """Each shared book's ISCED-F detailed field: `oer/subject-gold.tsv` when the data has it, else the
    two books of the first release."""
    path = root / "oer" / "subject-gold.tsv"
    if not path.is_file():
        return dict(ISCED_GOLD)
    gold = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) >= 3 and parts[2].strip().isdigit():
            gold[parts[0].strip()] = parts[2].strip()
    return gold or dict(ISCED_GOLD)


def openstax_items(root: Path) -> tuple[list[str], list[list[str]]]:
    items, gold = [], []
    for book, code in isced_gold(root).items():
        folder = root / "oer" / book
        index = folder / "modules-included.tsv"
        if index.is_file():
            module_ids = [line.split("\t")[0] for line in index.read_text(encoding="utf-8").splitlines()[1:] if line]
        else:
            module_ids = sorted(p.name for p in (folder / "modules").iterdir())
        for module_id in module_ids:
            path = folder / "modules" / module_id / "index.cnxml"
            if path.is_file():
                items.append(str(path))
                gold.append([code])
    return items, gold


def _openstax(root: Path, *, engines, limit, bootstrap, progress, model=None, prefix=3, **_: Any) -> RunResult:
    items, gold = openstax_items(root)
    if limit:
        items, gold = items[:limit], gold[:limit]
    systems = [build_system("tag", e, model=model) for e in engines]
    books = isced_gold(root)
    run = evaluate_tagging(suite="openstax-tagging", items=items, gold=gold, systems=systems, prefix=prefix,
                           bootstrap=bootstrap, progress=progress,
                           settings={"gold": books, "limit": limit, "level": {3: "narrow", 4: "detailed"}
                                     .get(prefix, prefix)})
    if not engines:
        run.notes.append("No tagger was named (--engine); only the majority-label floor ran.")
    for result in run.systems:
        run.notes.extend(per_book_notes(result.name, items, gold, result.output.outputs))
    # With the book as context (its modules' chunks and its title), from the vectors already made.
    books_of = [Path(item).parents[2].name for item in items]
    titles = {book: book_title(root / "oer" / book) for book in dict.fromkeys(books_of)}
    for engine in systems:
        tag_with_books = getattr(getattr(engine, "tagger", None), "tag_with_books", None)
        if callable(tag_with_books):
            outputs = tag_with_books([Path(p) for p in items], books_of, titles)
            run.notes.extend(per_book_notes(engine.name, items, gold, outputs, mode="with its book"))
    run.notes.append(f"Data: {len(books)} OpenStax books (first chapters; {root / 'oer'}), under the licence each "
                     "book's collection file states (CC BY 4.0 for most). The score above is each module alone; "
                     "the notes add each module with its book as context (its modules and title).")
    return run


def per_book_notes(system: str, items: list[str], gold: list[list[str]], outputs: list[list[str]], *,
                   mode: str = "alone") -> list[str]:
    """Accuracy per book (top-1 detailed, narrow, top-3) and the macro mean over books; `mode` says how the
    modules were tagged ("alone", "with its book")."""
    by_book: dict[str, list[tuple[str, list[str]]]] = {}
    for item, labels, predicted in zip(items, gold, outputs):
        book = Path(item).parents[2].name
        by_book.setdefault(book, []).append((labels[0], list(predicted or [])))
    lines, macro = [], []
    for book, rows in by_book.items():
        n = len(rows)
        top1 = sum(bool(p) and p[0] == g for g, p in rows) / n
        narrow = sum(bool(p) and p[0][:3] == g[:3] for g, p in rows) / n
        top3 = sum(g in p[:3] for g, p in rows) / n
        macro.append((top1, narrow, top3))
        lines.append(f"{system} {book} ({n} modules, {mode}): top-1 {top1:.0%}, narrow {narrow:.0%}, top-3 {top3:.0%}")
    if macro:
        m = [sum(v[i] for v in macro) / len(macro) for i in range(3)]
        worst = min(v[0] for v in macro)
        lines.append(f"{system} macro over {len(macro)} books ({mode}): top-1 {m[0]:.1%} (worst book {worst:.0%}), "
                     f"narrow {m[1]:.1%}, top-3 {m[2]:.1%}")
    return lines


def _ntrex_retrieval(root: Path, *, engines, limit, bootstrap, progress, **_: Any) -> RunResult:
    folder = root / "mt" / "ntrex-128"
    src = read_lines(folder / "newstest2019-src.eng.txt", limit=limit)
    ref = read_lines(folder / "newstest2019-ref.por-BR.txt", limit=limit)
    run = evaluate_retrieval(suite="ntrex-retrieval", queries=src.lines, documents=ref.lines,
                             relevant=[[str(i)] for i in range(len(src.lines))], embedders=engines,
                             bootstrap=bootstrap, progress=progress,
                             settings={"queries": "en", "document_language": "por-BR", "limit": limit,
                                       "files": [src.describe(), ref.describe()]})
    run.notes.append("English sentence i must retrieve Portuguese (pt-BR) sentence i among all of them.")
    return run
