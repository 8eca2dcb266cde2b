"""Does inline markup land on the right words? `adapt eval markup` over OpenStax books (CNXML modules).

For every module of each book: import it into a throw-away database, translate every segment that has
paired markup (the translate step as `adapt translate` runs it: QA, markup placement; no memory or
glossary, so runs are comparable), accept everything, export, and count. Per pair of the source:

    kept       the suggestion has both markers in order, around visible text, nesting as in the source
    emptied    both markers, nothing visible between them (export would write `<term></term>`)
    lost       one side or both gone
    broken     duplicated, closer first, crossed or re-nested
    aligned    kept, and the words it wraps agree with the source words' alignment (models.alignment) or
               with the pair's own standalone translation (rapidfuzz ratio >= 60): "placed on the right words"

and per suggestion `unflagged`: it has a lost or emptied pair but no QA flag at all (must be 0). From the
exported files: `exported_empty` inline elements (term, emphasis, link, sub, sup, foreign...) empty in the
export but not in the source, as a share of the source's non-empty inline elements (target <= 0.5%), and
`exported_dropped` inline elements of the source missing from the export (adapt.empty_markup leaves out a
pair whose words the model dropped rather than write it empty).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from adapt.document import PLACEHOLDER_RE
from adapt.markup_qa import CROSSED, DUPLICATED, EMPTIED, LOST, NESTING, ORDER, SIDE_LOST, analyse, structure

VERSION = "2"  # 2: exported_dropped counted
INLINE = ("term", "emphasis", "link", "sub", "sup", "foreign", "quote", "cite", "span")
AGREE_SCORE = 60.0
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")


@dataclass
class MarkupCounts:
    modules: int = 0
    segments: int = 0  # translated segments with paired markup
    pairs: int = 0
    kept: int = 0
    emptied: int = 0
    lost: int = 0
    broken: int = 0
    aligned: int = 0  # kept and on aligned / matching words
    checked_alignment: int = 0  # kept pairs whose placement could be checked (markup-free inside)
    problem_rows: int = 0  # suggestions with a lost or emptied pair
    unflagged: int = 0  # ... of which without any QA flag
    unflagged_old_qa: int = 0  # ... of which without a flag other than the markup-* ones (QA before issue 15)
    repaired_rows: int = 0  # suggestions flagged placeholder-repaired
    inline_source: int = 0  # non-empty inline elements in the source modules
    exported_empty: int = 0  # of those, empty in the export
    exported_dropped: int = 0  # inline elements of the source missing from the export (left out, not emptied)
    words: int = 0
    seconds: float = 0.0

    def add(self, other: MarkupCounts) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)

    def shares(self) -> dict[str, float]:
        def share(part: int, whole: int) -> float:
            return round(100.0 * part / whole, 2) if whole else 0.0

        return {"kept_%": share(self.kept, self.pairs), "emptied_%": share(self.emptied, self.pairs),
                "lost_%": share(self.lost, self.pairs), "broken_%": share(self.broken, self.pairs),
                "aligned_%": share(self.aligned, self.checked_alignment),
                "exported_empty_%": share(self.exported_empty, self.inline_source),
                "exported_dropped_%": share(self.exported_dropped, self.inline_source)}

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), **self.shares()}


@dataclass
class MarkupRun:
    signature: dict[str, Any]
    books: dict[str, MarkupCounts] = field(default_factory=dict)

    @property
    def total(self) -> MarkupCounts:
        total = MarkupCounts()
        for counts in self.books.values():
            total.add(counts)
        return total

    def to_json(self) -> dict[str, Any]:
        return {"signature": self.signature, "books": {k: v.to_json() for k, v in self.books.items()},
                "total": self.total.to_json()}


def signature_of(engine_signature: dict[str, Any], *, placement: bool, aligner: Any, source: str, target: str,
                 limit: int | None) -> dict[str, Any]:
    from evaluation.signature import Signature, library_versions

    sig = Signature("markup", VERSION, settings={
        "placement": placement, "source": source, "target": target, "modules_per_book": limit,
        "agree_score": AGREE_SCORE, "aligner": aligner.signature() if aligner is not None else None,
        "memory": False, "glossary": False}, libraries=library_versions(["rapidfuzz", "torch"]),
        model=engine_signature)
    return {**sig.to_json(), "digest": sig.digest}


def count_inline(xml: bytes) -> tuple[int, int]:
    """(non-empty, empty) inline elements of a CNXML document."""
    from lxml import etree

    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    full = empty = 0
    for el in root.iter("{http://cnx.rice.edu/cnxml}*"):
        if etree.QName(el).localname not in INLINE:
            continue
        if (el.text or "").strip() or len(el):
            full += 1
        else:
            empty += 1
    return full, empty


def pair_outcomes(source: str, output: str) -> tuple[dict[str, int], list[int]]:
    """Counts of kept/emptied/lost/broken pairs and the kept pairs' numbers."""
    pairs, _ = structure(source)
    problems = analyse(source, output)
    codes = {p.number: p.code for p in problems if p.number in pairs}
    out = {"kept": 0, "emptied": 0, "lost": 0, "broken": 0}
    kept = []
    for n in pairs:
        code = codes.get(n)
        if code is None:
            out["kept"] += 1
            kept.append(n)
        elif code == EMPTIED:
            out["emptied"] += 1
        elif code in (LOST, SIDE_LOST):
            out["lost"] += 1
        elif code in (ORDER, DUPLICATED, CROSSED, NESTING):
            out["broken"] += 1
    return out, kept


def _words_with_pairs(text: str) -> tuple[list[str], dict[int, list[int]]]:
    words: list[str] = []
    members: dict[int, list[int]] = {}
    open_now: list[int] = []
    for m in re.finditer(r"\[(/?)(\d{1,4})\]|\w+(?:['’.-]\w+)*", text):
        if m.group(2) is not None:
            n = int(m.group(2))
            if m.group(1):
                if n in open_now:
                    open_now.remove(n)
            else:
                open_now.append(n)
            continue
        for n in open_now:
            members.setdefault(n, []).append(len(words))
        words.append(m.group(0))
    return words, members


def agreement(rows: Sequence[tuple[str, str, list[int]]], aligner: Any, translate: Callable[[list[str]], list[str]]
              ) -> list[tuple[int, int]]:
    """(checked, agreeing) kept pairs per row: a pair agrees when a target word it wraps is aligned to one
    of its source words, or the words it wraps match its own translation."""
    inners: list[str] = []
    for source, _, kept in rows:
        pairs, _ = structure(source)
        inners += [" ".join(PLACEHOLDER_RE.sub(" ", pairs[n]).split()) for n in kept
                   if not PLACEHOLDER_RE.search(pairs[n])]
    unique = list(dict.fromkeys(inners))
    translated = dict(zip(unique, translate(unique))) if unique else {}
    sides = [(_words_with_pairs(s), _words_with_pairs(o)) for s, o, _ in rows]
    alignments = aligner.align([(s[0], o[0]) for s, o in sides]) if aligner is not None else [set() for _ in rows]
    out = []
    for (source, _output, kept), (src, tgt), links in zip(rows, sides, alignments):
        pairs, _ = structure(source)
        checked = agree = 0
        for n in kept:
            if PLACEHOLDER_RE.search(pairs[n]):
                continue
            checked += 1
            src_words, tgt_words = set(src[1].get(n, [])), set(tgt[1].get(n, []))
            wrapped = " ".join(tgt[0][j] for j in sorted(tgt_words)).lower()
            own = translated.get(" ".join(PLACEHOLDER_RE.sub(" ", pairs[n]).split()), "")
            if any(i in src_words and j in tgt_words for i, j in links) or (
                    own and fuzz.ratio(wrapped, " ".join(_WORD.findall(own)).lower()) >= AGREE_SCORE):
                agree += 1
        out.append((checked, agree))
    return out


def evaluate_book(book: Path, *, engine: str | None, source: str, target: str, placement: bool, aligner: Any,
                  limit: int | None = None, progress: Callable[[int, int], None] | None = None,
                  keep: Path | None = None) -> tuple[MarkupCounts, dict[str, Any]]:
    """Translate, accept and export every module of `book` with paired markup; count what happened."""
    import time

    from adapt.pipeline import run_step
    from adapt.service import AdaptService
    from adapt.settings import Settings

    modules = sorted((book / "modules").glob("*/index.cnxml"))[:limit]
    counts = MarkupCounts()
    engine_signature: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="adapt-eval-markup-") as tmp:
        work = Path(tmp)
        svc = AdaptService(Settings.from_env(db_path=work / "eval.db"))
        translator = svc.translator(engine)
        engine_signature = translator.signature(source, target).to_json()
        started = time.perf_counter()
        rows: list[tuple[str, str, list[int]]] = []
        for number, module in enumerate(modules):
            imported = svc.import_file(module, format_name="cnxml", license="CC-BY-4.0")
            rid = imported.resource_id
            segments = [s for s in svc.licences.adaptable_segments(rid)
                        if any(p.get("kind") == "pair" for p in s.placeholders)]
            counts.modules += 1
            if not segments:
                continue
            step = svc._translate_step(rid, translator, source, target, memory=False, glossary=None)
            step.markup_placement = placement
            if aligner is not None:
                step._aligner = aligner
            run_step(svc.store, rid, step, segments=segments)
            counts.segments += len(segments)
            counts.words += sum(len(PLACEHOLDER_RE.sub(" ", s.text).split()) for s in segments)
            suggestions = svc.review.suggestions(rid, task="translate")
            for s in suggestions:
                outcome, kept = pair_outcomes(s.source_text, s.text)
                counts.pairs += sum(outcome.values())
                counts.kept += outcome["kept"]
                counts.emptied += outcome["emptied"]
                counts.lost += outcome["lost"]
                counts.broken += outcome["broken"]
                flags = s.qa_flags if isinstance(s.qa_flags, list) else json.loads(s.qa_flags or "[]")
                if outcome["emptied"] or outcome["lost"]:
                    counts.problem_rows += 1
                    counts.unflagged += not flags
                    counts.unflagged_old_qa += not [f for f in flags if not f.get("code", "").startswith("markup-")]
                counts.repaired_rows += any(f.get("code") == "placeholder-repaired" for f in flags)
                rows.append((s.source_text, s.text, kept))
            svc.review.accept_all(rid, actor="eval")
            out = (keep or work) / f"{book.name}-{module.parent.name}.cnxml"
            svc.export(rid, out, actor="eval")
            src_full, src_empty = count_inline(module.read_bytes())
            out_full, out_empty = count_inline(out.read_bytes())
            counts.inline_source += src_full
            counts.exported_empty += max(0, out_empty - src_empty)
            counts.exported_dropped += max(0, src_full + src_empty - out_full - out_empty)
            if progress:
                progress(number + 1, len(modules))
        counts.seconds = round(time.perf_counter() - started, 1)
        svc.close()
    for checked, agree in agreement(rows, aligner, lambda texts: translator.translate(texts, source=source,
                                                                                       target=target)):
        counts.checked_alignment += checked
        counts.aligned += agree
    return counts, engine_signature


def evaluate_books(books: Sequence[Path], *, engine: str | None, source: str, target: str, placement: bool,
                   limit: int | None = None, keep: Path | None = None, jobs: int = 1,
                   progress: Callable[[int, int], None] | None = None) -> MarkupRun:
    """`evaluate_book` for each book; with `jobs` > 1 in that many processes (each loads its own engine
    and aligner: about 0.6 GB each), which on a shared machine finishes much sooner."""
    from concurrent.futures import ProcessPoolExecutor

    tasks = [(str(b), engine, source, target, placement, limit, str(keep) if keep else None) for b in books]
    results: dict[str, tuple[MarkupCounts, dict[str, Any]]] = {}
    if progress:
        progress(0, len(tasks))
    if jobs <= 1:
        for task in tasks:
            name, counts, sig = _book_task(task)
            results[name] = (counts, sig)
            if progress:
                progress(len(results), len(tasks))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for name, counts, sig in pool.map(_book_task, tasks):
                results[name] = (counts, sig)
                if progress:
                    progress(len(results), len(tasks))
    run = MarkupRun(signature={})
    engine_signature: dict[str, Any] = {}
    for book in books:
        counts, engine_signature = results[book.name]
        run.books[book.name] = counts
    from models.alignment import E5Aligner

    run.signature = signature_of(engine_signature, placement=placement, aligner=E5Aligner(), source=source,
                                 target=target, limit=limit)
    return run


def _book_task(task: tuple) -> tuple[str, MarkupCounts, dict[str, Any]]:
    from models.alignment import E5Aligner

    book, engine, source, target, placement, limit, keep = task
    counts, sig = evaluate_book(Path(book), engine=engine, source=source, target=target, placement=placement,
                                aligner=E5Aligner(), limit=limit, keep=Path(keep) if keep else None)
    return Path(book).name, counts, sig


def format_markup_run(run: MarkupRun) -> str:
    header = ["book", "pairs", "kept%", "emptied%", "lost%", "broken%", "aligned%", "unflagged", "export-empty%",
              "dropped%", "seg", "s"]
    lines: list[list[Any]] = []
    for name, c in [*run.books.items(), ("TOTAL", run.total)]:
        sh = c.shares()
        lines.append([name, c.pairs, sh["kept_%"], sh["emptied_%"], sh["lost_%"], sh["broken_%"], sh["aligned_%"],
                      f"{c.unflagged}/{c.problem_rows}", sh["exported_empty_%"], sh["exported_dropped_%"],
                      c.segments, round(c.seconds, 1)])
    widths = [max(len(str(r[i])) for r in [header, *lines]) for i in range(len(header))]
    fmt = lambda row: "  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w)  # noqa: E731
                                for i, (v, w) in enumerate(zip(row, widths)))
    sig = run.signature
    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *map(fmt, lines), "",
                      "signature: " + json.dumps(sig, sort_keys=True)])
