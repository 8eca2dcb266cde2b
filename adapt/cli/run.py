"""Commands that import, adapt and export: translate, resources, export, demo."""

from __future__ import annotations

from pathlib import Path

import click

from adapt.cli.common import emit, json_option, progress_bar, service


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--to", "target", required=True, metavar="LANG", help="Target language, e.g. pt.")
@click.option("--from", "source", metavar="LANG", help="Source language (default: from the file, else en).")
@click.option("--engine", metavar="NAME", help="Translation engine: auto (default: the best measured route), "
              "bergamot, apertium, argos, transformers.")
@click.option("--model", metavar="PATH_OR_ID", help="The model, for engines that take one (transformers).")
@click.option("--format", "format_name", metavar="NAME",
              help="Force the input format (markdown, text, html, cnxml, cnxml-book, docx, imscc).")
@click.option("--license", "license_id", metavar="ID", help="Set or override the source licence.")
@click.option("--assume-license", metavar="ID",
              help="Confirm a licence for a source that states none (recorded with your name).")
@click.option("--author", "authors", multiple=True, metavar="NAME",
              help="An author the source does not state (repeat for several).")
@click.option("--glossary", "glossary_project", default="default", show_default=True, metavar="PROJECT",
              help="Glossary project whose terms are enforced and checked.")
@click.option("--no-glossary", is_flag=True, help="Do not use a glossary.")
@click.option("--no-memory", is_flag=True, help="Do not reuse reviewed translations from the memory.")
@click.option("--simplify", "simplify_level", metavar="grade:N",
              help="Simplify the English source to this grade first, then translate the simplified text.")
@click.option("--simplifier", type=click.Choice(["default", "lexical", "structural", "rules", "llm"]),
              help="With --simplify: which simplifier (default: lexical + structural).")
@click.option("--simplifier-model", "simplifier_model", metavar="PATH",
              help="With --simplify: the llm simplifier's model (--model names the translation model).")
@json_option
@click.pass_context
def translate(ctx, file, target, source, engine, model, format_name, license_id, assume_license, authors,
              glossary_project, no_glossary, no_memory, simplify_level, simplifier, simplifier_model, as_json):
    """Import FILE and suggest a translation for every segment.

    FILE may be Markdown, text, HTML, a CNXML module, a DOCX, an IMS Common Cartridge (.imscc or its
    unpacked folder) or a CNXML book (its folder or its collections/*.collection.xml).
    """
    svc = service(ctx)
    with progress_bar(f"Translating {file.name}", enabled=not as_json) as progress:
        summary = svc.translate_file(
            file, target=target, source=source, engine=engine, format_name=format_name, license=license_id,
            owner=svc.settings.actor(), progress=progress, assume_license=assume_license, authors=authors,
            model=model, memory=not no_memory, glossary=None if no_glossary else glossary_project,
            simplify=simplify_level, simplifier=simplifier, simplifier_model=simplifier_model,
        )
    licensing = svc.licences.status(summary.resource_id, "translate")
    payload = {"resource": summary.resource_id, "suggestions": summary.suggestions, "flagged": summary.flagged,
               "unchanged": summary.unchanged, "segments": summary.segments, "license": licensing.license.id,
               "license_warnings": licensing.warnings()}
    origin = svc.resource_source_language(summary.resource_id, source)  # given, stated, detected or en
    payload["source_language"] = origin.to_json()
    emit(as_json, payload,
         f"resource {summary.resource_id}: {summary.suggestions} new suggestions "
         f"({summary.flagged} flagged for review, {summary.unchanged} already there) for {summary.segments} segments"
         f"\n{origin.note}"
         f"\nlicence: {licensing.license.short}" + "".join(f"\n  note: {w}" for w in licensing.warnings()))


@click.command()
@json_option
@click.pass_context
def resources(ctx, as_json):
    """List imported resources."""
    rows = service(ctx).resources()
    payload = [
        {"resource": r.id, "title": r.title, "format": r.format, "language": r.language, "license": r.license,
         "source": r.source_name}
        for r in rows
    ]
    text = "\n".join(f"{r.id}\t{r.format}\t{r.language or '?'}\t{r.license or '?'}\t{r.title or r.source_name}"
                     for r in rows) or "no resources yet: import one with `adapt translate FILE --to LANG`"
    emit(as_json, payload, text)


@click.command()
@click.argument("resource", type=int)
@click.option("--out", type=click.Path(path_type=Path),
              help="Where to write the adapted file; for a book or a cartridge, a new folder or a .zip/.imscc.")
@click.option("--to", "target", metavar="LANG", help="Which target language (when there are several).")
@click.option("--include-unreviewed", is_flag=True,
              help="Also use suggestions nobody reviewed; the file then marks them as unreviewed.")
@click.option("--license", "license_id", metavar="ID",
              help="The adaptation's licence (default: the source's; share-alike sources allow no other).")
@click.option("--assume-license", metavar="ID",
              help="Confirm a licence for a source that states none (recorded with your name).")
@click.option("--metadata", "metadata_out", type=click.Path(path_type=Path), metavar="FILE.jsonld",
              help="Also (or, without --out, only) write the accepted metadata as LRMI JSON-LD.")
@json_option
@click.pass_context
def export(ctx, resource, out, target, include_unreviewed, license_id, assume_license, metadata_out, as_json):
    """Write RESOURCE in its source format with the reviewed text, attribution and changes made (and/or
    its accepted metadata as JSON-LD)."""
    if out is None and metadata_out is None:
        raise click.UsageError("give --out FILE, --metadata FILE.jsonld, or both")
    svc = service(ctx)
    payload, lines = {"resource": resource}, []
    planned = None
    if out is not None:
        result = svc.export(resource, out, target_language=target, include_unreviewed=include_unreviewed,
                            license=license_id, assume_license=assume_license)
        stats = result.export.stats
        payload.update(result.to_json())
        target = target or result.export.plan.target_language
        planned = result.export  # the metadata describes the same plan: read and built once
        lines.append(f"wrote {out}: {stats.accepted} accepted, {stats.edited} edited, {stats.unreviewed} unreviewed, "
                     f"{stats.untouched} left as in the source"
                     + "".join(f"\n  {note}" for note in result.export.plan.notices)  # attribution, changes, licence
                     + (f"\n  ({result.export.notes_message})" if result.export.notes_message else ""))
    if metadata_out is not None:
        from adapt.metadata import missing_keys

        missing = missing_keys(svc.export_metadata(resource, metadata_out, target_language=target, planned=planned))
        payload.update({"metadata": str(metadata_out), "metadata_missing": missing})
        lines.append(f"wrote {metadata_out}"
                     + (f" (nothing accepted yet for: {', '.join(missing)})" if missing else ""))
    emit(as_json, payload, "\n".join(lines))


@click.command()
@click.option("--to", "target", default="pt", show_default=True, help="Target language.")
@json_option
@click.pass_context
def demo(ctx, target, as_json):
    """Translate the bundled sample lesson and show the first suggestions."""
    from importlib import resources as importlib_resources

    sample = Path(str(importlib_resources.files("adapt") / "samples" / "comments.md"))
    svc = service(ctx)
    with progress_bar("Translating the sample", enabled=not as_json) as progress:
        summary = svc.translate_file(sample, target=target, owner=svc.settings.actor(), progress=progress)
    rows = svc.review.suggestions(summary.resource_id)
    payload = {"resource": summary.resource_id, "suggestions": [s.to_json() for s in rows]}
    lines = [f"resource {summary.resource_id}: {len(rows)} suggestions; review them with `adapt suggestions "
             f"{summary.resource_id}`"]
    for s in rows[:8]:
        lines.append(f"  [{s.id}] {s.source_text}\n       → {s.text}" + ("  ⚑" if s.flagged else ""))
    emit(as_json, payload, "\n".join(lines))


COMMANDS = [translate, resources, export, demo]
