"""People and the review UI: `adapt users ...` and `adapt serve`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from adapt.cli.common import emit, json_option, service
from adapt.errors import UserError
from adapt.people import ROLES

DEMO_USER = "demo"


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group()
def users():
    """Manage the people who log in to the review UI."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True,
              help="teacher: own resources; editor: all; evaluator: read only.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@json_option
@click.pass_context
def users_add(ctx, name, role, password_stdin, as_json):
    """Add a user (the password is asked for, and stored as a scrypt hash)."""
    user = service(ctx).people.add(name, role, _read_password(password_stdin))
    emit(as_json, user.to_json(), f"added {user.name} ({user.role})")


@users.command("list")
@json_option
@click.pass_context
def users_list(ctx, as_json):
    """List users and their roles."""
    rows = service(ctx).people.list()
    emit(as_json, [u.to_json() for u in rows],
         "\n".join(f"{u.name}\t{u.role}" for u in rows)
         or "no users yet: add one with `adapt users add NAME --role editor`")


@users.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@json_option
@click.pass_context
def users_password(ctx, name, password_stdin, as_json):
    """Set a user's password."""
    service(ctx).people.set_password(name, _read_password(password_stdin))
    emit(as_json, {"name": name, "password": "changed"}, f"changed the password of {name}")


@users.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@json_option
@click.pass_context
def users_role(ctx, name, role, as_json):
    """Change a user's role."""
    service(ctx).people.set_role(name, role)
    emit(as_json, {"name": name, "role": role}, f"{name} is now {role}")


@users.command("remove")
@click.argument("name")
@json_option
@click.pass_context
def users_remove(ctx, name, as_json):
    """Remove a user (their decisions stay in the log under their name)."""
    service(ctx).people.remove(name)
    emit(as_json, {"name": name, "removed": True}, f"removed {name}")


def prepare_demo(svc, *, target: str = "pt") -> dict:
    """The demo: a `demo` editor with a fresh password, the bundled sample imported, a translation job."""
    import secrets
    from importlib import resources as importlib_resources


    password = secrets.token_urlsafe(9)
    if any(u.name == DEMO_USER for u in svc.people.list()):
        svc.people.set_role(DEMO_USER, "editor")
        svc.people.set_password(DEMO_USER, password)
    else:
        svc.people.add(DEMO_USER, "editor", password)
    sample = Path(str(importlib_resources.files("adapt") / "samples" / "comments.md"))
    imported = svc.import_file(sample, owner=DEMO_USER, language="en")
    who = svc.people.get(DEMO_USER)
    have = {s.target_language for s in svc.review.suggestions(imported.resource_id, task="translate")
            if s.segment_id is not None}
    pending = [j for j in svc.session(who).jobs() if j.resource_id == imported.resource_id and not j.finished]
    job = pending[0] if pending else None
    if target not in have and job is None:
        job = svc.session(who).start_job(imported.resource_id, [{"task": "translate", "target": target}])
    return {"user": DEMO_USER, "password": password, "resource": imported.resource_id,
            "job": job.id if job else None}


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes the app to your network.")
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535))
@click.option("--demo", is_flag=True, help="Import the bundled sample, translate it to Portuguese, log in as demo.")
@click.option("--max-upload-mb", default=20, show_default=True, type=click.IntRange(1, 1024),
              help="Largest file a reviewer may upload.")
@json_option
@click.pass_context
def serve(ctx, host, port, demo, max_upload_mb, as_json):
    """Start the review UI (Gradio) on http://HOST:PORT, offline."""
    from ui.server import is_loopback
    from ui.server import serve as run_server

    svc = service(ctx)
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}: anyone who can reach this machine can try to log in", err=True)
    info = None
    if demo:
        info = prepare_demo(svc)
    elif not svc.people.list():
        raise UserError("nobody can log in yet", hint="add a user first: adapt users add NAME --role editor")
    url = f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"
    lines = [f"OER Adapt review UI on {url}  (Ctrl+C stops it)"]
    read_only = svc.read_only
    if read_only:
        lines.append(f"the database {svc.settings.db_path} is read-only: serving it read-only "
                     "(reviewers can read and export; decisions, uploads and jobs are refused)")
    if info:
        lines.insert(0, f"demo: log in as '{info['user']}' with password '{info['password']}' "
                        "(a new password each time you start with --demo)")
    emit(as_json, {"url": url, "demo": info, "read_only": read_only}, "\n".join(lines))
    try:
        run_server(svc, host=host, port=port, max_upload_bytes=max_upload_mb * 1024 * 1024, quiet=True)
    finally:
        svc.stop_job_runner()


COMMANDS = [users, serve]
