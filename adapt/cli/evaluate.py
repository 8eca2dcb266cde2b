"""`adapt eval ...`: score engines and existing outputs on test sets, store every run, write reports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from adapt.cli.common import emit, json_option, progress_bar, service

F = TypeVar("F", bound=Callable[..., Any])

limit_option = click.option("--limit", type=click.IntRange(min=1), metavar="N", help="Only the first N segments.")
bootstrap_option = click.option("--bootstrap", type=click.IntRange(min=0), default=1000, show_default=True,
                                metavar="N", help="Paired bootstrap resamples for significance (0: none).")
save_option = click.option("--save/--no-save", default=True, show_default=True,
                           help="Store the run (scores, signatures, outputs) in the database.")
report_option = click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path),
                             help="Also write report.md and report.html (with plots) to this folder.")
hyp_option = click.option("--hyp", "hyps", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
                          help="Score an existing output (one segment per line) instead of running an engine; "
                               "repeatable; NAME=FILE names it.")



def _stacked(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """Several click options as one decorator, applied in the order written (as if stacked by hand)."""
    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function
    return apply


run_options = _stacked(save_option, report_option, json_option)  # every command that stores a run
scored_run_options = _stacked(limit_option, bootstrap_option, run_options)  # ... and scores segments

def _hyp(spec: Path) -> tuple[str | None, Path]:
    text = str(spec)
    if "=" in text and not Path(text).exists():
        name, _, path = text.partition("=")
        return name, Path(path)
    return None, Path(text)


def _progress(as_json: bool):
    return lambda label: progress_bar(f"Running {label}", enabled=not as_json)


def _finish(ctx: click.Context, run, *, as_json: bool, save: bool, report_dir: Path | None) -> None:
    from evaluation.runs import RunLog

    if save:
        RunLog.of(service(ctx)).save(run)
    written = None
    if report_dir:
        from evaluation.report import write_report

        written = write_report([run], report_dir)
    payload = run.to_json()
    if written:
        payload["report"] = [str(p) for p in written]
    text = format_run(run)
    if save:
        text += f"\nstored as run {run.id}; rebuild its report with `adapt eval report {run.id} --out DIR`"
    if written:
        text += f"\nreport: {written[0]} and {written[1]}"
    emit(as_json, payload, text)


def format_run(run) -> str:
    """The run as a plain table (metrics as columns, the floor among the rows) and its comparisons."""
    from evaluation.report import comparison_table, score_table

    header, rows = score_table(run)
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda cells: "  ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w)  # noqa: E731
                                   for i, (c, w) in enumerate(zip(cells, widths)))
    out = [f"{run.suite} ({run.task}), {len(run.sources) or run.settings.get('suggestions', 0)} segments",
           line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]
    if run.comparisons:
        out.append("")
        out.append(f"paired bootstrap ({run.comparisons[0].n_samples:d} resamples):")
        for row in comparison_table(run)[1]:
            out.append(f"  {row[0]}: {row[1]} vs {row[2]}: Δ {row[3]}, p = {row[4]}, 95% CI {row[5]}")
    out += run.notes
    return "\n".join(out)


@click.group(name="eval")
def eval_group() -> None:
    """Evaluate engines and outputs: translation, simplification, tagging, related resources, review effort."""


@eval_group.command(name="translate")
@click.option("--src", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Source, one segment a line.")
@click.option("--ref", "refs", required=True, multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Reference translation, line-aligned; repeat for several references.")
@click.option("--from", "source", default="en", show_default=True, metavar="LANG")
@click.option("--to", "target", required=True, metavar="LANG")
@click.option("--engine", "engines", multiple=True, metavar="NAME",
              help="Translation engine (repeatable; default bergamot unless --hyp is given).")
@click.option("--model", metavar="M", help="Model for the engine, where it has several.")
@hyp_option
@scored_run_options
@click.pass_context
def translate_cmd(ctx, src, refs, source, target, engines, model, hyps, limit, bootstrap, save, report_dir, as_json):
    """Score translations of SRC against one or more references, next to the copy-source floor."""
    from evaluation.data import read_lines
    from evaluation.suites import evaluate_translation
    from evaluation.systems import CopySource, FileOutputs, build_system

    src_file = read_lines(src, limit=limit)
    ref_files = [read_lines(r, limit=limit) for r in refs]
    systems = [CopySource("copy-source")]
    if not engines and not hyps:
        engines = (service(ctx).settings.default_engine,)
    systems += [build_system("translate", e, source=source, target=target, model=model) for e in engines
                if e != "copy-source"]  # the floor is always there
    for spec in hyps:
        name, path = _hyp(spec)
        systems.append(FileOutputs(path, read_lines(path, limit=limit).lines, name=name))
    run = evaluate_translation(
        suite="file:translate", sources=src_file.lines, references=[r.lines for r in ref_files], systems=systems,
        source=source, target=target, bootstrap=bootstrap, progress=_progress(as_json),
        settings={"limit": limit, "files": [src_file.describe(), *[r.describe() for r in ref_files]]})
    _finish(ctx, run, as_json=as_json, save=save, report_dir=report_dir)


@eval_group.command(name="simplify")
@click.option("--orig", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Originals, one a line.")
@click.option("--refs", "refs", required=True, multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Reference simplifications, line-aligned; repeat for several.")
@click.option("--engine", "engines", multiple=True, metavar="NAME", help="Simplifier (repeatable).")
@click.option("--model", metavar="M", help="Model for the engine (e.g. a local causal LM).")
@click.option("--lang", "language", default="en", show_default=True, metavar="LANG")
@click.option("--grade", "target_grade", type=float, default=6.0, show_default=True,
              help="Target reading grade given to the simplifiers.")
@click.option("--embedder", default="minilm", show_default=True,
              help="Embedder for meaning similarity (minilm, e5, or none to leave it out).")
@hyp_option
@scored_run_options
@click.pass_context
def simplify_cmd(ctx, orig, refs, engines, model, language, target_grade, embedder, hyps, limit, bootstrap, save,
                 report_dir, as_json):
    """Score simplifications with SARI, reading grade, compression and meaning, next to the identity floor."""
    from evaluation.data import read_lines
    from evaluation.named import usable_simplification_metrics
    from evaluation.suites import evaluate_simplification
    from evaluation.systems import CopySource, FileOutputs, build_system

    orig_file = read_lines(orig, limit=limit)
    ref_files = [read_lines(r, limit=limit) for r in refs]
    systems = [CopySource("identity")]
    systems += [build_system("simplify", e, target_grade=target_grade, model=model) for e in engines
                if e != "identity"]  # the floor is always there
    for spec in hyps:
        name, path = _hyp(spec)
        systems.append(FileOutputs(path, read_lines(path, limit=limit).lines, name=name))
    metrics, notes = usable_simplification_metrics(embedder=None if embedder == "none" else embedder,
                                                   language=language)
    from evaluation.metrics.base import check_aligned

    check_aligned(originals=orig_file.lines, **{f"reference {i + 1}": r.lines for i, r in enumerate(ref_files)})
    run = evaluate_simplification(
        suite="file:simplify", sources=orig_file.lines,
        references=[list(r) for r in zip(*[f.lines for f in ref_files])],
        systems=systems, language=language, metrics=metrics, bootstrap=bootstrap, progress=_progress(as_json),
        settings={"limit": limit, "files": [orig_file.describe(), *[r.describe() for r in ref_files]]})
    run.notes += notes
    _finish(ctx, run, as_json=as_json, save=save, report_dir=report_dir)


def _labels(cell: str) -> list[str]:
    return [x.strip() for x in cell.replace("|", ",").split(",") if x.strip()]


@eval_group.command(name="tag")
@click.option("--gold", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="TSV: path<TAB>expected label(s), comma-separated.")
@click.option("--engine", "engines", multiple=True, metavar="NAME", help="Tagger (repeatable).")
@click.option("--model", metavar="M")
@click.option("--hyp", "hyps", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="TSV of existing predictions: path<TAB>ranked labels, comma-separated; NAME=FILE names it.")
@click.option("--prefix", type=click.IntRange(min=1), help="Compare labels by their first N characters "
              "(hierarchical codes: ISCED-F 3 = narrow field).")
@scored_run_options
@click.pass_context
def tag_cmd(ctx, gold, engines, model, hyps, prefix, limit, bootstrap, save, report_dir, as_json):
    """Score tags against gold labels: precision, recall, F1, top-1 and top-3 accuracy."""
    from adapt.errors import InputError
    from evaluation.data import read_tsv
    from evaluation.suites import evaluate_tagging
    from evaluation.systems import FileOutputs, build_system

    rows, digest = read_tsv(gold, columns=2, limit=limit)
    base = gold.parent
    items = [str((base / r[0]) if not Path(r[0]).is_absolute() else Path(r[0])) for r in rows]
    labels = [_labels(r[1]) for r in rows]
    systems = [build_system("tag", e, model=model) for e in engines]
    for spec in hyps:
        name, path = _hyp(spec)
        predicted_rows, _ = read_tsv(path, columns=2)
        by_item = {r[0]: _labels(r[1]) for r in predicted_rows}
        missing = [r[0] for r in rows if r[0] not in by_item]
        if missing:
            raise InputError(f"{path} has no prediction for {missing[0]} ({len(missing)} missing)",
                             hint="predict every item of the gold file")
        systems.append(FileOutputs(path, [by_item[r[0]] for r in rows], name=name))
    run = evaluate_tagging(suite="file:tag", items=items, gold=labels, systems=systems, prefix=prefix,
                           bootstrap=bootstrap, progress=_progress(as_json),
                           settings={"limit": limit, "files": [{"path": str(gold), "sha256": digest,
                                                                "lines": len(rows), "used": len(rows)}]})
    _finish(ctx, run, as_json=as_json, save=save, report_dir=report_dir)


@eval_group.command(name="retrieve")
@click.option("--queries", required=True, type=click.Path(dir_okay=False, path_type=Path), help="One query a line.")
@click.option("--docs", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="One document a line; line i is the relevant document of query i.")
@click.option("--embedder", "embedders", multiple=True, metavar="NAME", help="Embedder(s) (default: e5 and minilm).")
@scored_run_options
@click.pass_context
def retrieve_cmd(ctx, queries, docs, embedders, limit, bootstrap, save, report_dir, as_json):
    """Score related-resource retrieval: recall@1, recall@10, MRR and nDCG@10, next to a random floor."""
    from evaluation.data import read_lines
    from evaluation.metrics.base import check_aligned
    from evaluation.suites import evaluate_retrieval

    q, d = read_lines(queries, limit=limit), read_lines(docs, limit=limit)
    check_aligned(queries=q.lines, documents=d.lines)
    run = evaluate_retrieval(suite="file:retrieve", queries=q.lines, documents=d.lines,
                             relevant=[[str(i)] for i in range(len(q.lines))], embedders=embedders or ("e5", "minilm"),
                             bootstrap=bootstrap, progress=_progress(as_json),
                             settings={"limit": limit, "files": [q.describe(), d.describe()]})
    _finish(ctx, run, as_json=as_json, save=save, report_dir=report_dir)


@eval_group.command(name="review")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The review store to read (default: the global --db / ADAPT_DB / adapt.db).")
@click.option("--by", default="model,pair,task", show_default=True,
              help="Groupings, comma-separated: model, pair, task.")
@run_options
@click.pass_context
def review_cmd(ctx, db_path, by, save, report_dir, as_json):
    """Human effort from the review store: acceptance, edit rate, chrF(suggestion, final), unedited share,
    time to decision; per model, language pair and task."""
    from adapt.errors import UserError
    from evaluation.effort import GROUPINGS
    from evaluation.runs import RunLog

    groupings = [g.strip() for g in by.split(",") if g.strip()]
    unknown = [g for g in groupings if g not in GROUPINGS]
    if unknown:
        raise UserError(f"unknown grouping {', '.join(unknown)}", hint=f"use {', '.join(GROUPINGS)}")
    if db_path is not None:
        log = RunLog.open(db_path)
        ctx.call_on_close(log.close)
    else:
        log = RunLog.of(service(ctx))
    run = log.review_effort(groupings)
    if save:
        log.save(run)
    written = None
    if report_dir:
        from evaluation.report import write_report

        written = write_report([run], report_dir)
    payload = run.to_json()
    text = format_run(run)
    if save:
        text += f"\nstored as run {run.id} in {log.path}"
    if written:
        payload["report"] = [str(p) for p in written]
        text += f"\nreport: {written[0]} and {written[1]}"
    emit(as_json, payload, text)


@eval_group.command(name="suite")
@click.argument("name", required=False)
@click.option("--list", "list_only", is_flag=True, help="List the named suites.")
@click.option("--engine", "engines", multiple=True, metavar="NAME", help="Engines to run (default: the suite's).")
@click.option("--model", metavar="M")
@click.option("--grade", "target_grade", type=float, help="Target reading grade for simplifiers (default 6).")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), help="The shared data folder.")
@scored_run_options
@click.pass_context
def suite_cmd(ctx, name, list_only, engines, model, target_grade, data, limit, bootstrap, save, report_dir, as_json):
    """Run a named suite on the shared data: ntrex-en-pt, onestop-simplify, openstax-tagging, ntrex-retrieval."""
    from evaluation.named import SUITES, run_named

    if list_only or not name:
        payload = [{"name": s.name, "task": s.task, "description": s.description,
                    "engines": list(s.default_engines)} for s in SUITES.values()]
        emit(as_json, payload, "\n".join(f"{s.name:18} {s.task:9} {s.description}" for s in SUITES.values()))
        return
    run = run_named(name, engines=engines, data=data, limit=limit, bootstrap=bootstrap, progress=_progress(as_json),
                    model=model, target_grade=target_grade)
    _finish(ctx, run, as_json=as_json, save=save, report_dir=report_dir)


@eval_group.command(name="markup")
@click.argument("books", nargs=-1, type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--engine", metavar="NAME", help="Translation engine (default: the configured one, bergamot).")
@click.option("--from", "source", default="en", show_default=True, metavar="LANG")
@click.option("--to", "target", default="pt", show_default=True, metavar="LANG")
@click.option("--placement/--no-placement", default=True, show_default=True,
              help="Place broken markup by alignment (--no-placement: the translate step as it was before).")
@click.option("--modules", "limit", type=click.IntRange(min=1), metavar="N", help="Only the first N modules a book.")
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), help="Keep the exported modules here.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="Books evaluated in N processes at once.")
@json_option
@click.pass_context
def markup_cmd(ctx, books, engine, source, target, placement, limit, keep, jobs, as_json):
    """Inline markup through translation: translate, accept and export every module of OpenStax BOOKS
    (default: every book of the shared data) and report pairs kept, emptied, lost and on aligned words."""
    from evaluation.markup import evaluate_books, format_markup_run

    if not books:
        from evaluation.named import shared_data

        root = shared_data() / "oer"
        books = tuple(sorted(p for p in root.glob("openstax-*") if (p / "modules").is_dir()))
        if not books:
            raise click.UsageError(f"no OpenStax books under {root}: name book folders")
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
    with progress_bar("Books", enabled=not as_json) as bar:
        run = evaluate_books(books, engine=engine, source=source, target=target, placement=placement, limit=limit,
                             keep=keep, jobs=jobs, progress=bar)
    emit(as_json, run.to_json(), format_markup_run(run))


@eval_group.command(name="report")
@click.argument("runs", nargs=-1, type=int, required=True)
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the report.")
@json_option
@click.pass_context
def report_cmd(ctx, runs, out, as_json):
    """Rebuild the Markdown and HTML report of stored RUNS (plots included) without rerunning anything."""
    from evaluation.report import write_report
    from evaluation.runs import RunLog

    log = RunLog.of(service(ctx))
    loaded = [log.load(r) for r in runs]
    md, page = write_report(loaded, out)
    emit(as_json, {"runs": list(runs), "markdown": str(md), "html": str(page)}, f"wrote {md} and {page}")


@eval_group.command(name="runs")
@json_option
@click.pass_context
def runs_cmd(ctx, as_json):
    """List stored evaluation runs."""
    from evaluation.runs import RunLog

    rows = RunLog.of(service(ctx)).list()
    text = "\n".join(f"{r['id']}\t{r['created_at']}\t{r['suite']}\t{r['segments']} segments\t{r['systems']}"
                     for r in rows) or "no evaluation runs yet: try `adapt eval suite ntrex-en-pt`"
    emit(as_json, rows, text)


def _add_routes() -> None:
    from adapt.cli.eval_routes import routes_cmd

    eval_group.add_command(routes_cmd)


_add_routes()
COMMANDS = [eval_group]
