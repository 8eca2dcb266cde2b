"""Growing past one machine: `adapt db copy` (SQLite <-> PostgreSQL) and `adapt batch` (Ray)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from adapt.cli.common import emit, json_option, progress_bar


@click.group("db")
def db() -> None:
    """Move a database between SQLite and PostgreSQL."""


@db.command("copy")
@click.argument("source")
@click.argument("destination")
@json_option
def copy_cmd(source: str, destination: str, as_json: bool) -> None:
    """Copy every table of SOURCE into the empty DESTINATION and check the row counts.

    Each is a SQLite file or a postgresql:// URL: `adapt db copy adapt.db postgresql://me@db/adapt`
    moves a database over, and the same command the other way moves it back."""
    from adapt.db_copy import copy_locations

    with progress_bar("copying", enabled=True) as bar:
        seen: dict[str, int] = {}

        def report(table: str, done: int, total: int) -> None:
            seen[table] = done
            bar(sum(seen.values()), max(1, sum(seen.values())))

        result = copy_locations(source, destination, progress=report)
    lines = [f"copied {sum(result.tables.values())} rows from {result.source} to {result.destination} "
             "(row counts checked):"]
    lines += [f"  {table}: {n}" for table, n in result.tables.items() if n]
    emit(as_json, result.to_json(), "\n".join(lines))


def _batch_options(fn: Any) -> Any:
    """The options every `adapt batch` task shares."""
    options: list[Any] = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--from", "source", metavar="LANG", help="Source language (default: from each file, else en)."),
        click.option("--license", "license_id", metavar="ID", help="Set or override the sources' licence."),
        click.option("--assume-license", metavar="ID",
                     help="Confirm a licence for files that state none (recorded with your name)."),
        click.option("--workers", type=int, default=2, show_default=True,
                     help="Ray workers (each loads the model once)."),
        click.option("--ray", "address", metavar="ADDRESS",
                     help="Join a running Ray cluster (e.g. auto, ray://head:10001) instead of starting one."),
        click.option("--batch-size", type=int, default=32, show_default=True, help="Segments per Ray task."),
        json_option,
        click.pass_context,
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _run_batch(ctx: click.Context, as_json: bool, **fields: object) -> None:
    from adapt.batch_ray import BatchRequest, run_batch
    from adapt.cli.common import service

    svc = service(ctx)
    request = BatchRequest(**fields)  # type: ignore[arg-type]
    with progress_bar(f"batch {request.task}", enabled=True) as bar:
        report = run_batch(svc, request, progress=bar)
    lines = [f"{r['path']}: resource {r['resource']}, {r['added']} added, {r['unchanged']} unchanged"
             for r in report["resources"]]
    lines.append(f"{report['workers']} Ray worker(s), {report['seconds']:.1f} s")
    emit(as_json, report, "\n".join(lines))


@click.group("batch")
def batch() -> None:
    """Adapt many files at once on Ray workers (a local cluster, or --ray ADDRESS)."""


@batch.command("translate")
@click.option("--to", "targets", multiple=True, metavar="LANG", help="Target language (repeat for several).")
@click.option("--engine", metavar="NAME", help="Translation engine (default: ADAPT_ENGINE, bergamot).")
@click.option("--model", metavar="PATH_OR_ID", help="The model, for engines that take one.")
@click.option("--no-memory", is_flag=True, help="Do not reuse reviewed translations from the memory.")
@_batch_options
def batch_translate(ctx: click.Context, paths: tuple[Path, ...], targets: tuple[str, ...], engine: str | None,
                    model: str | None, no_memory: bool, source: str | None, license_id: str | None,
                    assume_license: str | None, workers: int, address: str | None, batch_size: int,
                    as_json: bool) -> None:
    """Import every FILE and suggest a translation for each segment, into each --to language."""
    _run_batch(ctx, as_json, task="translate", paths=paths, targets=targets, engine=engine, model=model,
               memory=not no_memory, source=source, license=license_id, assume_license=assume_license,
               workers=workers, address=address, batch_segments=batch_size)


@batch.command("simplify")
@click.option("--level", metavar="grade:N", required=True, help="Target reading grade, e.g. grade:6.")
@click.option("--simplifier", type=click.Choice(["llm", "rules"]), help="Which simplifier (default: llm).")
@_batch_options
def batch_simplify(ctx: click.Context, paths: tuple[Path, ...], level: str, simplifier: str | None,
                   source: str | None, license_id: str | None, assume_license: str | None, workers: int,
                   address: str | None, batch_size: int, as_json: bool) -> None:
    """Import every FILE and suggest simpler wording for segments above --level."""
    _run_batch(ctx, as_json, task="simplify", paths=paths, level=level, simplifier=simplifier, source=source,
               license=license_id, assume_license=assume_license, workers=workers, address=address,
               batch_segments=batch_size)


@batch.command("tag")
@_batch_options
def batch_tag(ctx: click.Context, paths: tuple[Path, ...], source: str | None, license_id: str | None,
              assume_license: str | None, workers: int, address: str | None, batch_size: int,
              as_json: bool) -> None:
    """Import every FILE and suggest subject, level and keyword tags for each (one Ray task per file)."""
    _run_batch(ctx, as_json, task="tag", paths=paths, source=source, license=license_id,
               assume_license=assume_license, workers=workers, address=address, batch_segments=batch_size)


COMMANDS = [db, batch]
