"""Shared pieces of the CLI: the service from the context, JSON output, rich progress bars."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from adapt.pipeline import Progress
from adapt.service import AdaptService
from adapt.settings import Settings, database_location

json_option = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
actor_option = click.option("--as", "actor", metavar="NAME", help="Who is deciding (default: $ADAPT_USER or login).")


def service(ctx: click.Context) -> AdaptService:
    obj = ctx.find_root().obj or {}
    if "service" not in obj:
        db = obj.get("db")
        obj["service"] = AdaptService(Settings.from_env(db_path=database_location(db) if db else None))
        ctx.find_root().call_on_close(obj["service"].close)
    return obj["service"]


def actor(ctx: click.Context, name: str | None) -> str:
    return name or service(ctx).settings.actor()


def emit(as_json: bool, payload: Any, text: str) -> None:
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=None))
    else:
        click.echo(text)


@contextmanager
def progress_bar(label: str, *, enabled: bool = True) -> Iterator[Progress]:
    """A rich progress bar on stderr (so --json output on stdout stays clean), shown from the first
    progress report on: a command that fails while checking its input prints only its error."""
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if not enabled:
            return
        if "bar" not in state:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress

            state["bar"] = RichProgress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=Console(stderr=True), transient=True,
            )
            state["bar"].start()
            state["task"] = state["bar"].add_task(label, total=total)
        state["bar"].update(state["task"], completed=done, total=total)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].stop()
