"""Related resources: `adapt catalog add|list|info` builds the catalogue, `adapt related` queries it."""

from __future__ import annotations

from pathlib import Path

import click

from adapt.cli.common import emit, json_option, progress_bar, service

embedder_option = click.option("--embedder", metavar="NAME",
                               help="Embedding model: e5 (default, multilingual) or minilm (English).")


@click.group()
def catalog():
    """The catalogue of resources that `adapt related` searches."""


@catalog.command("add")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--resource", "resources", type=int, multiple=True, help="Also add a review resource by id.")
@click.option("--lang", "language", metavar="LANG", help="Language of the files, when they do not say (e.g. pt-BR).")
@click.option("--license", "license_id", metavar="ID", help="Licence of the files, when they do not say.")
@click.option("--skip-bad", is_flag=True, help="Add the good JSONL records and list the bad ones, instead of stopping.")
@embedder_option
@json_option
@click.pass_context
def catalog_add(ctx, paths, resources, language, license_id, skip_bad, embedder, as_json):
    """Add files, folders or JSONL catalogues (title, description, url, language, licence, subject).

    Text is cut into passages and embedded once: adding the same content again does no work."""
    if not paths and not resources:
        raise click.UsageError("name files, folders or JSONL files to add (or --resource ID)")
    svc = service(ctx)
    with progress_bar("Adding to the catalogue", enabled=not as_json) as progress:
        report = svc.catalog_add(paths, resources=resources, language=language, license=license_id,
                                 skip_bad=skip_bad, embedder=embedder, progress=progress)
        svc.catalogue(embedder).index()  # build or extend the index now, not on the first query
    lines = [f"{report.added} added, {report.updated} updated, {report.relabelled} with new metadata, "
             f"{report.unchanged} unchanged; {report.passages} passages written, {report.embedded} embedded"]
    if report.duplicates:
        lines.append(f"{report.duplicates} repeated entries (the last one kept)")
    lines += [f"skipped {b}" for b in report.bad]
    if report.other_files:
        lines.append(f"passed over {len(report.other_files)} other file(s) in the folders (--json lists them)")
    emit(as_json, report.to_json(), "\n".join(lines))


@catalog.command("list")
@click.option("--limit", type=int, default=50, show_default=True)
@embedder_option
@json_option
@click.pass_context
def catalog_list(ctx, limit, embedder, as_json):
    """List catalogue items."""
    rows = service(ctx).catalogue(embedder).items(limit=limit)
    text = "\n".join(f"{i.id}\t{i.language or '?'}\t{i.license or '?'}\t{i.title or i.source}" for i in rows)
    emit(as_json, [i.to_json() for i in rows], text or "the catalogue is empty: `adapt catalog add PATH`")


@catalog.command("info")
@embedder_option
@json_option
@click.pass_context
def catalog_info(ctx, embedder, as_json):
    """How many items, passages and vectors the catalogue has, and where its index is."""
    info = service(ctx).catalogue(embedder).stats()
    emit(as_json, info, "\n".join(f"{k}: {v}" for k, v in info.items()))


@catalog.command("remove")
@click.argument("items", type=int, nargs=-1, required=True)
@embedder_option
@json_option
@click.pass_context
def catalog_remove(ctx, items, embedder, as_json):
    """Remove catalogue items by id (their vectors stay cached; the index is rebuilt on next use)."""
    catalogue = service(ctx).catalogue(embedder)
    for item in items:
        catalogue.item(item)  # an unknown id is an error before anything is removed
    removed = catalogue.remove(list(items))
    emit(as_json, {"removed": removed}, f"removed {removed} item(s)")


@click.command()
@click.argument("target")
@click.option("--k", default=10, show_default=True, type=click.IntRange(1, 1000), help="How many results.")
@click.option("--lang", "language", metavar="LANG", help="Only resources in this language (pt matches pt-BR).")
@click.option("--license-compatible", is_flag=True,
              help="Only resources whose licence allows remixing with the licence of TARGET.")
@click.option("--license", "license_id", metavar="ID", help="The licence of TARGET, when it does not say.")
@click.option("--segment", metavar="KEY", help="With a resource id: only this segment.")
@embedder_option
@json_option
@click.pass_context
def related(ctx, target, k, language, license_compatible, license_id, segment, embedder, as_json):
    """Resources in the catalogue related to TARGET: a file, a review resource id, or item:N."""
    svc = service(ctx)
    options = {"k": k, "language": language, "license_compatible": license_compatible, "license": license_id,
               "embedder": embedder}
    if segment is not None:
        if not target.isdigit():
            raise click.UsageError("--segment goes with a review resource id")
        answer = svc.related_for_segment(int(target), segment, **options)
    elif Path(target).exists() or not target.isdigit():
        answer = svc.related(target if target.startswith("item:") else Path(target), **options)
    else:
        answer = svc.related(int(target), **options)
    lines = [f"related to {answer.subject}" + (f" (licence {answer.license})" if answer.license else "") + ":"]
    for n, r in enumerate(answer.results, start=1):
        item = r.item
        lines.append(f"{n:>2}. {r.similarity:.3f}  {item.title or item.source}  [{item.language or '?'}, "
                     f"{item.license or 'licence unknown'}]" + (f"  {item.url}" if item.url else ""))
        why = r.passage if len(r.passage) <= 200 else r.passage[:197] + "..."
        lines.append(f"      why: {why}")
    if not answer.results:
        lines.append("  nothing found" + (" with these filters" if language or license_compatible else "")
                     + ": add resources with `adapt catalog add PATH`")
    emit(as_json, answer.to_json(), "\n".join(lines))


COMMANDS = [catalog, related]
