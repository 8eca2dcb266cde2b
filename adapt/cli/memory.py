"""`adapt memory ...` (translation memory, TMX) and `adapt glossary ...` (terms per project)."""

from __future__ import annotations

from pathlib import Path

import click

from adapt.cli.common import actor, actor_option, emit, json_option, service


@click.group()
def memory():
    """Translation memory: reviewed translations reused when the same text comes again."""


@memory.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--from", "source", metavar="LANG", help="The source language (default: the TMX header's srclang).")
@actor_option
@json_option
@click.pass_context
def memory_import(ctx, file, source, as_json, **kw):
    """Import translation units from a TMX file (inline codes become placeholders)."""
    result = service(ctx).memory.import_tmx(file, source_language=source, actor=actor(ctx, kw.get("actor")))
    pairs = ", ".join(f"{k}: {v}" for k, v in result.pairs.items()) or "none"
    text = f"imported {result.units} units ({pairs}); {result.duplicates} already there, {result.skipped} skipped"
    if result.problems:
        text += ":\n  " + "\n  ".join(result.problems)
    emit(as_json, result.to_json(), text)


@memory.command("export")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--from", "source", metavar="LANG", help="Only this source language.")
@click.option("--to", "target", metavar="LANG", help="Only this target language.")
@json_option
@click.pass_context
def memory_export(ctx, out, source, target, as_json):
    """Write the memory (accepted and edited translations, imported units) as TMX 1.4b, placeholders as
    inline codes (<ph>, <bpt>/<ept>) holding the original markup."""
    count = service(ctx).memory.export_tmx(out, source_language=source, target_language=target)
    emit(as_json, {"out": str(out), "units": count}, f"wrote {count} translation units to {out}")


@memory.command("lookup")
@click.argument("text")
@click.option("--from", "source", default="en", show_default=True, metavar="LANG")
@click.option("--to", "target", required=True, metavar="LANG")
@json_option
@click.pass_context
def memory_lookup(ctx, text, source, target, as_json):
    """Show what the memory holds for TEXT (exact and ≥75% fuzzy matches)."""
    matches = service(ctx).memory.lookup(text, source_language=source, target_language=target)
    lines = [f"{m.similarity:5.1f}%  {m.text}\n        source: {m.unit.source_text}\n        from: {m.unit.describe()}"
             for m in matches]
    emit(as_json, [{"text": m.text, **m.to_json()} for m in matches], "\n".join(lines) or "no match")


@memory.command("stats")
@json_option
@click.pass_context
def memory_stats(ctx, as_json):
    """How many translations the memory holds, per language pair."""
    stats = service(ctx).memory.stats()
    lines = [f"{pair}: " + ", ".join(f"{n} {kind}" for kind, n in kinds.items()) for pair, kinds in stats.pairs.items()]
    emit(as_json, stats.to_json(), "\n".join(lines) or "the memory is empty: accept or edit translations, or "
                                                       "`adapt memory import FILE.tmx`")


project_option = click.option("--project", default="default", show_default=True, help="The glossary project.")


@click.group()
def glossary():
    """Glossary: do-not-translate terms and forced translations, per project."""


@glossary.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@project_option
@click.option("--from", "source", default="en", show_default=True, metavar="LANG", help="The terms' language.")
@click.option("--to", "target", metavar="LANG", help="Target language of the translations (CSV without a "
                                                      "`target` column; for TBX: only this language).")
@actor_option
@json_option
@click.pass_context
def glossary_import(ctx, file, project, source, target, as_json, **kw):
    """Import terms from a CSV (term,translation,type,source,target,note) or TBX file."""
    result = service(ctx).glossary.import_file(file, project=project, source_language=source, target_language=target,
                                          actor=actor(ctx, kw.get("actor")))
    text = f"glossary {project}: {result.added} terms added, {result.updated} updated"
    if result.skipped:
        text += f", {len(result.skipped)} skipped:\n  " + "\n  ".join(result.skipped[:20])
    emit(as_json, result.to_json(), text)


@glossary.command("add")
@click.argument("term")
@click.option("--translation", help="The forced translation (needs --to); without it the term is do-not-translate.")
@project_option
@click.option("--from", "source", default="en", show_default=True, metavar="LANG")
@click.option("--to", "target", metavar="LANG")
@click.option("--case-sensitive", is_flag=True)
@click.option("--note")
@actor_option
@json_option
@click.pass_context
def glossary_add(ctx, term, translation, project, source, target, case_sensitive, note, as_json, **kw):
    """Add one term (do-not-translate, or forced with --translation and --to)."""
    from adapt.glossary import ANY_TARGET, Term

    kind = "forced" if translation else "dnt"
    entry = Term(term, kind, source, target or ANY_TARGET, translation, case_sensitive, note, project)
    added, updated = service(ctx).glossary.add(entry, actor=actor(ctx, kw.get("actor")))
    emit(as_json, {"added": added, "updated": updated, "term": term, "kind": kind},
         f"{'added' if added else 'updated'} {kind} term “{term}” in glossary {project}")


@glossary.command("list")
@click.option("--project", help="Only this project (default: all).")
@json_option
@click.pass_context
def glossary_list(ctx, project, as_json):
    """List glossary terms."""
    terms = service(ctx).glossary.terms(project)
    lines = [f"{t.id}\t{t.project}\t{t.kind}\t{t.source_language}→{t.target_language}\t{t.term}"
             + (f" → {t.translation}" if t.translation else "") for t in terms]
    emit(as_json, [t.to_json() for t in terms], "\n".join(lines) or "no glossary terms: `adapt glossary import FILE`")


@glossary.command("remove")
@click.argument("term_id", type=int)
@json_option
@click.pass_context
def glossary_remove(ctx, term_id, as_json):
    """Remove a term by id (see `adapt glossary list`)."""
    term = service(ctx).glossary.remove(term_id)
    emit(as_json, term.to_json(), f"removed “{term.term}” from glossary {term.project}")


COMMANDS = [memory, glossary]
