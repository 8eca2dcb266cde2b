"""Commands for simplification: simplify a file to a reading level, show readability."""

from __future__ import annotations

from pathlib import Path

import click

from adapt.cli.common import emit, json_option, progress_bar, service

SIMPLIFIER_NAMES = ["default", "lexical", "structural", "rules", "llm"]
simplifier_option = click.option("--simplifier", type=click.Choice(SIMPLIFIER_NAMES), default=None,
                                 help="default (simpler words, then split sentences), lexical (words only), "
                                      "structural (sentences only), rules (clause splits only) or llm (a local "
                                      "chat model; --model implies it).")
model_option = click.option("--model", metavar="PATH",
                            help="A GGUF file or transformers model folder for the llm simplifier "
                                 "(default: the packaged SmolLM2-135M-Instruct).")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--level", required=True, metavar="grade:N", help="Target US school grade, e.g. grade:6.")
@simplifier_option
@model_option
@click.option("--keep", "keep_terms", multiple=True, metavar="TERM",
              help="A term every simplification must keep (repeatable).")
@click.option("--from", "language", metavar="LANG", help="Language of FILE (default: from the file, else en).")
@click.option("--format", "format_name", metavar="NAME", help="Force the input format (markdown, text...).")
@click.option("--license", "license_id", metavar="ID", help="Set or override the source licence.")
@click.option("--assume-license", metavar="ID",
              help="Confirm a licence for a source that states none (recorded with your name).")
@click.option("--author", "authors", multiple=True, metavar="NAME",
              help="An author the source does not state (repeat for several).")
@json_option
@click.pass_context
def simplify(ctx, file, level, simplifier, model, keep_terms, language, format_name, license_id, assume_license,
             authors, as_json):
    """Import FILE and suggest simpler text for every segment above the target grade.

    Every suggestion is guarded (meaning kept, numbers and markup kept, grade lowered); one that fails
    is stored rejected by "guard" with the reason: `adapt suggestions RESOURCE --status rejected`."""
    svc = service(ctx)
    with progress_bar(f"Simplifying {file.name}", enabled=not as_json) as progress:
        summary = svc.simplify_file(file, level=level, language=language, simplifier=simplifier, model=model,
                                    keep_terms=keep_terms, format_name=format_name, license=license_id,
                                    owner=svc.settings.actor(), progress=progress,
                                    assume_license=assume_license, authors=authors)
    reasons = ", ".join(f"{code} {n}" for code, n in sorted(summary.rejections.items()))
    emit(as_json, summary.to_json(),
         f"resource {summary.resource_id}: grade {summary.grade_before:.1f} → {summary.grade_after:.1f} "
         f"(target {summary.target_grade:g}) if every suggestion is accepted\n"
         f"  {summary.above_target} of {summary.segments} segments above the target; {summary.suggestions} "
         f"suggestions offered ({summary.flagged} flagged), {summary.rejected} rejected by the guards"
         + (f" ({reasons})" if reasons else "") + f", {summary.unchanged} unchanged")


@click.command()
@click.argument("target")
@click.option("--segments/--no-segments", default=True, help="Show each segment (default) or only the total.")
@json_option
@click.pass_context
def readability(ctx, target, segments, as_json):
    """Readability (grade and reading ease) of a FILE or an imported RESOURCE, per segment and in all."""
    svc = service(ctx)
    if target.isdigit() and not Path(target).exists():
        rows, whole = svc.readability(int(target))
    else:
        from adapt.readability import document_readability
        from adapt.readability import readability as measure
        from adapt.simplify_guards import plain

        document, _ = svc.read(Path(target))
        language = document.metadata.get("language") or "en"
        texts = [(s.key, plain(s.text)) for s in document.translatable_segments()]
        rows = [(key, measure(text, language)) for key, text in texts]
        whole = document_readability([t for _, t in texts], language)
    payload = {"document": whole.to_json(), "segments": [{"segment": k, **r.to_json()} for k, r in rows]}
    lines = [f"document: grade {whole.grade:.1f}, reading ease {whole.ease:.1f} ({whole.grade_formula}; "
             f"{whole.words} words, {whole.sentences} sentences)"]
    if segments:
        lines += [f"  {k}\tgrade {r.grade:5.1f}\tease {r.ease:6.1f}\t{r.words} words" for k, r in rows]
    emit(as_json, payload, "\n".join(lines))


COMMANDS = [simplify, readability]
