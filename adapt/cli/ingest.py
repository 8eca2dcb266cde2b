"""`adapt import FILE`: read and store a file without suggesting anything (checks a file; scripts import in bulk)."""

from __future__ import annotations

from pathlib import Path

import click

from adapt.cli.common import emit, json_option, service


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "format_name", metavar="NAME", help="Force the input format (markdown, html, cnxml...).")
@click.option("--license", "license_id", metavar="ID", help="Set or override the source licence.")
@json_option
@click.pass_context
def import_file(ctx, file, format_name, license_id, as_json):
    """Import FILE (every format `translate` reads) and store it, with no suggestions yet.

    The input limits apply (see README "Limits"): a file over one is refused with exit 1 and nothing stored."""
    svc = service(ctx)
    document, data = svc.read(file, format_name=format_name)
    result = svc.import_document(document, data, license=license_id, owner=svc.settings.actor())
    segments = len(document.segments)
    emit(as_json, {"resource": result.resource_id, "segments": segments, "format": document.format},
         f"resource {result.resource_id}: {segments} segments ({document.format})")


COMMANDS = [import_file]
