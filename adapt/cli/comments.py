"""`adapt comment`: a note on a suggestion for the other reviewers (not a decision)."""

from __future__ import annotations

import click

from adapt.cli.common import actor, actor_option, emit, json_option, service


@click.command()
@click.argument("suggestion", type=int)
@click.argument("text")
@actor_option
@json_option
@click.pass_context
def comment(ctx, suggestion, text, as_json, **kw):
    """Add a comment to SUGGESTION: kept with your name and the time, shown in its history."""
    from adapt.comments import add_comment, check_cli_author

    svc = service(ctx)
    who = actor(ctx, kw.get("actor"))
    check_cli_author(svc.people, who)
    added = add_comment(svc.store, suggestion, text, actor=who)
    emit(as_json, added.to_json(), f"commented on {suggestion} as {added.actor}")


COMMANDS = [comment]
