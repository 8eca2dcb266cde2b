"""Review commands: list suggestions and accept, edit, reject or undo them."""

from __future__ import annotations

import click

from adapt.cli.common import actor, actor_option, emit, json_option, service
from adapt.store import STATUSES


@click.command()
@click.argument("resource", type=int)
@click.option("--status", type=click.Choice(STATUSES), help="Only suggestions with this status.")
@click.option("--task", metavar="TASK", help="Only this task (translate, simplify...).")
@json_option
@click.pass_context
def suggestions(ctx, resource, status, task, as_json):
    """List the suggestions for RESOURCE."""
    rows = service(ctx).review.suggestions(resource, status=status, task=task)
    lines = []
    for s in rows:
        flags = "  ⚑ " + "; ".join(f["message"] for f in s.qa_flags) if s.qa_flags else ""
        origin = ""
        if s.origin != "model":  # memory suggestions say where they came from
            memory = s.scores.get("memory", {})
            origin = f"  ({s.origin}: {memory.get('description', '')}, {memory.get('similarity', '')}%)"
        why = ""
        if s.scores.get("operations"):  # a simplification says what it did
            from adapt.simplify import describe_operations

            why = "\n    why: " + "; ".join(describe_operations(s.scores["operations"]))
        lines.append(f"[{s.id}] {s.status:<8} {s.segment_key or '-'}{origin}\n    {s.source_text}"
                     f"\n  → {s.current_text}{flags}{why}")
    from adapt.comments import comments_by_suggestion

    notes = comments_by_suggestion(service(ctx).store, resource) if rows else {}
    emit(as_json, [{**s.to_json(), "comments": [c.to_json() for c in notes.get(s.id, [])]} for s in rows],
         "\n".join(lines) or "no suggestions")


def _report(as_json: bool, verb: str, done) -> None:
    emit(as_json, [s.to_json() for s in done], "\n".join(f"{verb} {s.id}: now {s.status}" for s in done))


@click.command()
@click.argument("ids", type=int, nargs=-1)
@click.option("--resource", type=int, help="With --all: the resource whose suggestions to accept.")
@click.option("--all", "accept_all", is_flag=True, help="Accept every pending suggestion of --resource.")
@click.option("--unflagged", is_flag=True, help="With --all: skip suggestions that have QA flags.")
@actor_option
@json_option
@click.pass_context
def accept(ctx, ids, resource, accept_all, unflagged, as_json, **kw):
    """Accept suggestions by id, or all pending ones of a resource."""
    who = actor(ctx, kw.get("actor"))
    svc = service(ctx)
    if accept_all:
        if resource is None or ids:
            raise click.UsageError("use --all with --resource RESOURCE and no ids")
        done = svc.review.accept_all(resource, actor=who, only_unflagged=unflagged)
        taken = set(done)
        flagged = sum(1 for s in svc.review.suggestions(resource) if s.id in taken and s.qa_flags)
        said = f" ({flagged} of them flagged by QA: check them before export)" if flagged else ""
        emit(as_json, {"resource": resource, "accepted": done, "flagged": flagged},
             f"accepted {len(done)} suggestions{said}")
        return
    if not ids:
        raise click.UsageError("name suggestion ids, or use --resource R --all")
    _report(as_json, "accepted", svc.review.accept(ids, actor=who))


@click.command()
@click.argument("suggestion", type=int)
@click.option("--text", required=True, help="The corrected text (keep the [N] markers).")
@actor_option
@json_option
@click.pass_context
def edit(ctx, suggestion, text, as_json, **kw):
    """Replace a suggestion's text with your own."""
    _report(as_json, "edited", [service(ctx).review.edit(suggestion, text, actor=actor(ctx, kw.get("actor")))])


@click.command()
@click.argument("ids", type=int, nargs=-1, required=True)
@actor_option
@json_option
@click.pass_context
def reject(ctx, ids, as_json, **kw):
    """Reject suggestions: the source text stays in the export."""
    _report(as_json, "rejected", service(ctx).review.reject(ids, actor=actor(ctx, kw.get("actor"))))


@click.command()
@click.argument("suggestion", type=int)
@actor_option
@json_option
@click.pass_context
def undo(ctx, suggestion, as_json, **kw):
    """Undo the last decision on a suggestion (the log keeps it)."""
    _report(as_json, "undid", [service(ctx).review.undo(suggestion, actor=actor(ctx, kw.get("actor")))])


@click.command()
@click.argument("suggestion", type=int)
@json_option
@click.pass_context
def history(ctx, suggestion, as_json):
    """Show every decision made on a suggestion, and its comments (action "comment"), in time order."""
    from adapt.comments import comments

    rows = service(ctx).review.history(suggestion)
    payload = [{"action": d.action, "text": d.text, "actor": d.actor, "at": d.created_at} for d in rows]
    notes = comments(service(ctx).store, suggestion)
    payload += [{"action": "comment", "text": c.text, "actor": c.actor, "at": c.created_at} for c in notes]
    payload.sort(key=lambda event: str(event["at"]))  # stable: a decision and a comment at once keep their order
    emit(as_json, payload, "\n".join(f"{e['at']} {e['actor']} {e['action']} {e['text'] or ''}" for e in payload)
         or "no decisions yet")


COMMANDS = [suggestions, accept, edit, reject, undo, history]
