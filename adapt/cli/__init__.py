"""The `adapt` command line. Exit codes: 0 ok, 1 a user error (the message says what to do), 2 internal."""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any

import click

from adapt.errors import AdaptError
from adapt.settings import apply_offline_environment


class AdaptGroup(click.Group):
    """Turns our errors into one line and the documented exit codes."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:  # noqa: D401
        kwargs["standalone_mode"] = False
        argv = list(args) if args is not None else sys.argv[1:]
        want_json = "--json" in argv
        debug = "--debug" in argv or _debug()
        try:
            return super().main(args, *rest, **kwargs)
        except AdaptError as exc:
            _fail(exc.one_line(), exc.exit_code, want_json, hint=exc.hint, message=exc.message)
        except click.exceptions.Abort:
            _fail("aborted", 1, want_json)
        except click.ClickException as exc:
            _fail(exc.format_message(), 1, want_json)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 1, want_json)
        except Exception as exc:  # noqa: BLE001 - the last line of defence: say it is our fault
            if debug:
                traceback.print_exc()
            _fail(
                f"internal error: {type(exc).__name__}: {exc}",
                2,
                want_json,
                hint="this is a bug in OER Adapt; rerun with ADAPT_DEBUG=1 for the traceback and report it",
            )


def _debug() -> bool:
    import os

    return os.environ.get("ADAPT_DEBUG") == "1"


def _fail(line: str, code: int, want_json: bool, *, hint: str | None = None, message: str | None = None) -> None:
    if want_json:
        click.echo(json.dumps({"error": message or line, "hint": hint, "exit_code": code}, ensure_ascii=False))
    else:
        click.echo(f"error: {line}", err=True)
    sys.exit(code)


@click.group(cls=AdaptGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=False), envvar="ADAPT_DB",
              help="SQLite database (default adapt.db) or a postgresql:// URL.")
@click.version_option(package_name="oer-adapt")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """OER Adapt: translate, simplify and tag Open Educational Resources, under human review."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db


def _register() -> click.Group:
    """Attach every command module's COMMANDS (explicit, never at import; safe to call twice)."""
    from adapt.cli import (
        comments,
        evaluate,
        ingest,
        licences,
        memory,
        models,
        people,
        related,
        review,
        run,
        scale,
        simplify,
        tagging,
    )

    for module in (run, review, comments, licences, people, evaluate, simplify, tagging, related, models, memory,
                   ingest, scale):
        for command in module.COMMANDS:
            cli.add_command(command)
    return cli


def main() -> None:
    apply_offline_environment()
    _register()
    cli.main(prog_name="adapt")


__all__ = ["cli", "main"]
