"""`adapt eval routes`: measure every translation route for a pair and keep the ranking."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from adapt.cli.common import emit, json_option, progress_bar, service


@click.command(name="routes")
@click.option("--from", "source", default="en", show_default=True, metavar="LANG")
@click.option("--to", "targets", required=True, multiple=True, metavar="LANG", help="Target language (repeatable).")
@click.option("--route", "routes", multiple=True, metavar="ROUTE",
              help="Only these routes, e.g. bergamot:en-pt>apertium:pt-es (repeatable; default: every candidate).")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="Only N sentences (default: all 1,997).")
@click.option("--start", type=click.IntRange(min=0), default=0, show_default=True, metavar="I",
              help="Skip the first I sentences (e.g. to check a choice on sentences it was not made on).")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), help="The shared data folder.")
@click.option("--save/--no-save", default=True, show_default=True,
              help="Store the ranking in this data folder's route table (it then takes precedence).")
@click.option("--write-table", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also add the ranking to this table file (maintainers: models/data/route_table.json).")
@json_option
@click.pass_context
def routes_cmd(ctx, source, targets, routes, limit, start, data, save, write_table, as_json):
    """Measure chrF on NTREX-128 for every route (direct engines, chains through one pivot) to each --to."""
    from evaluation.named import shared_data
    from evaluation.routes import measure_routes
    from models.routes import RouteTable, local_table_path, parse_route
    from models.translators.route import RouteTranslator

    svc = service(ctx)
    root = shared_data(data)
    translator = RouteTranslator.for_data_dir(svc.settings.data_dir)
    command = "adapt eval routes " + shlex.join(sys.argv[3:] if sys.argv[1:3] == ["eval", "routes"] else [])
    results = []
    cache: dict[tuple[str, ...], list[str]] = {}  # the same first hop (e.g. en→pt) serves every target
    for target in targets:
        chosen = [parse_route(r) for r in routes if parse_route(r).target == target.split("-")[0].lower()] or None
        with progress_bar(f"Routes {source}→{target}", enabled=not as_json) as progress:
            measurement = measure_routes(
                translator, source=source, target=target, data_root=root, start=start, limit=limit, routes=chosen,
                progress=lambda name, done, total: progress(done, total), command=command.strip(), cache=cache,
            )
        results.append(measurement)
        if save:
            path = local_table_path(svc.settings.data_dir)
            RouteTable.read(path, origin="local").with_pair(measurement).write(path)
        if write_table:
            RouteTable.read(write_table, origin="default").with_pair(measurement).write(write_table)
    payload = {"pairs": [{"from": m.source, "to": m.target, **m.to_json()} for m in results],
               "stored": str(local_table_path(svc.settings.data_dir)) if save else None}
    lines = []
    for m in results:
        lines.append(f"{m.source}→{m.target}, NTREX-128 sentences {m.about['sentences']} "
                     f"(load average {' '.join(str(x) for x in m.about['load_average'])}):")
        for n, r in enumerate(m.routes):
            lines.append(f"  {'best ' if n == 0 else '     '}chrF {r.chrf:6.2f}  BLEU {r.bleu:6.2f}  {r.route}"
                         f"  ({m.about['seconds'][r.route]} s)")
    if save:
        lines.append(f"stored in {payload['stored']}: `adapt translate --to LANG` now takes the best route")
    emit(as_json, payload, "\n".join(lines))
