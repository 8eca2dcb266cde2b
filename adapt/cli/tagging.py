"""Tagging commands: suggest metadata tags for a file or a stored resource, and list them."""

from __future__ import annotations

from pathlib import Path

import click

from adapt.cli.common import emit, json_option, progress_bar, service
from adapt.store import STATUSES


@click.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--resource", type=int, help="Tag a resource already imported instead of a file.")
@click.option("--context", type=click.Path(path_type=Path), metavar="PATH",
              help="A file (e.g. the whole book) whose text steers the subject of a part of it.")
@click.option("--language", metavar="LANG", help="The file's language when you know it (else detected).")
@click.option("--license", "license_id", metavar="ID", help="Set or override the source licence.")
@click.option("--embedder", default="e5", show_default=True, help="Sentence embedder (e5 is multilingual).")
@click.option("--target", metavar="LANG",
              help="With --resource: tag the accepted translation into LANG (its keywords and reading level).")
@json_option
@click.pass_context
def tag(ctx, file, resource, context, language, license_id, embedder, target, as_json):
    """Suggest tags for FILE: language, ISCED-F subject (top 3), keywords, reading and educational level,
    resource type. Review them like any suggestion (adapt tags / accept / edit / reject)."""
    if (file is None) == (resource is None):
        raise click.UsageError("name a FILE or --resource ID (one of them)")
    svc = service(ctx)
    if target is not None:
        if resource is None:
            raise click.UsageError("--target needs --resource ID (a resource with an accepted translation)")
        _tag_translation(svc, resource, target, embedder, as_json)
        return
    with progress_bar("Tagging", enabled=not as_json) as progress:
        if resource is not None:
            run = svc.tag_resource(resource, context=context, embedder=embedder, progress=progress)
        else:
            run = svc.tag_file(file, context=context, embedder=embedder, language=language, license=license_id,
                               owner=svc.settings.actor(), progress=progress)
    tags = run.tags
    lines = [f"resource {run.resource_id}: {run.added} new tag suggestions ({run.unchanged} already there)"]
    if tags.language.language:
        lines.append(f"  language   {tags.language.language} ({tags.language.confidence:.0%} of the evidence)")
    for s in tags.subjects:
        lines.append(f"  subject    {s.code} {s.label}  [{s.narrow} {s.narrow_label}]  score {s.score:.3f}"
                     + (("  (toss-up: ordered by the document's words)" if s.words
                         else "  (toss-up: the top fields are as likely)") if s.toss_up else ""))
    if tags.keywords:
        lines.append("  keywords   " + ", ".join(k.text for k in tags.keywords))
    if tags.reading:
        lines.append(f"  reading    grade {tags.reading['grade']:.1f} ({tags.reading['grade_formula']})")
    if tags.level:
        lines.append(f"  level      {tags.level.name} (ISCED {tags.level.code})")
    for t in tags.types:
        lines.append(f"  type       {t.type} ({t.segments} segments)")
    lines.append(f"review them with `adapt tags {run.resource_id}`")
    emit(as_json, run.to_json(), "\n".join(lines))


def _tag_translation(svc, resource: int, target: str, embedder: str, as_json: bool) -> None:
    with progress_bar("Tagging the translation", enabled=not as_json) as progress:
        run = svc.tag_translation(resource, target, embedder=embedder, progress=progress)
    target = run.target_language
    lines = [f"resource {resource} ({target} translation, {run.segments} segments): {run.added} new tag "
             f"suggestions ({run.unchanged} already there)"]
    if run.keywords:
        lines.append("  keywords   " + ", ".join(k.text for k in run.keywords))
    if run.reading:
        lines.append(f"  reading    grade {run.reading['grade']:.1f} ({run.reading['grade_formula']})")
    lines.append(f"review them with `adapt tags {resource}`")
    emit(as_json, run.to_json(), "\n".join(lines))


@click.command()
@click.argument("resource", type=int)
@click.option("--status", type=click.Choice(STATUSES), help="Only tags with this status.")
@json_option
@click.pass_context
def tags(ctx, resource, status, as_json):
    """List the tag suggestions of RESOURCE with their ids, scores and review status."""
    rows = service(ctx).tags(resource, status=status)
    lines = []
    for s in rows:
        score = s.scores.get("score", s.scores.get("confidence", s.scores.get("share")))
        shown = f"  ({score:.3f})" if isinstance(score, (int, float)) else ""
        lines.append(f"[{s.id}] {s.status:<8} {s.task.removeprefix('tag:'):<18} {s.current_text}{shown}")
    emit(as_json, [s.to_json() for s in rows],
         "\n".join(lines) or f"no tags yet: run `adapt tag --resource {resource}`")


@click.command()
@click.argument("resource", type=int)
@click.option("--to", "target", metavar="LANG", help="Describe the adaptation in this language.")
@click.option("--out", type=click.Path(path_type=Path), help="Write the JSON-LD here (default: print it).")
@json_option
@click.pass_context
def metadata(ctx, resource, target, out, as_json):
    """Show or write RESOURCE's accepted metadata as LRMI / schema.org JSON-LD."""
    import json

    from adapt.metadata import missing_keys

    svc = service(ctx)
    doc = svc.export_metadata(resource, out, target_language=target) if out else svc.metadata(resource,
                                                                                                target_language=target)
    missing = missing_keys(doc)
    if out:
        text = f"wrote {out}" + (f" (nothing accepted yet for: {', '.join(missing)})" if missing else "")
        emit(as_json, {"resource": resource, "out": str(out), "missing": missing}, text)
    else:
        click.echo(json.dumps(doc, ensure_ascii=False, indent=None if as_json else 2))


COMMANDS = [tag, tags, metadata]
