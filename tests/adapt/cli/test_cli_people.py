"""`adapt users ...` and `adapt serve` checks that need no browser."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from adapt.cli import _register, cli
from adapt.cli.people import prepare_demo


@pytest.fixture
def run(tmp_path):
    _register()
    db = tmp_path / "adapt.db"

    def invoke(*args: str, stdin: str | None = None):
        return CliRunner().invoke(cli, ["--db", str(db), *args], input=stdin)

    return invoke


def test_cli_users_add_list_password_role_remove(run):
    assert run("users", "add", "ana", "--role", "teacher", "--password-stdin", stdin="password-1\n").exit_code == 0
    listed = run("users", "list", "--json")
    assert json.loads(listed.output)[0]["name"] == "ana" and json.loads(listed.output)[0]["role"] == "teacher"
    assert run("users", "password", "ana", "--password-stdin", stdin="password-2\n").exit_code == 0
    assert run("users", "role", "ana", "editor").exit_code == 0
    assert json.loads(run("users", "list", "--json").output)[0]["role"] == "editor"
    assert run("users", "remove", "ana").exit_code == 0
    assert "no users yet" in run("users", "list").output


def test_cli_users_add_asks_twice_for_the_password(run):
    result = run("users", "add", "ana", "--role", "editor", stdin="password-1\npassword-1\n")
    assert result.exit_code == 0, result.output
    assert "password-1" not in result.output.replace("Password", "")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("users", "add", "ana", "--role", "admin", "--password-stdin"), "password-1\n", "admin"),
        (("users", "add", "ana", "--role", "editor", "--password-stdin"), "short\n", "too short"),
        (("users", "password", "nobody", "--password-stdin"), "password-1\n", "no user 'nobody'"),
        (("serve",), None, "nobody can log in yet"),
    ],
)
def test_cli_people_errors_say_what_to_do(run, args, stdin, message):
    result = run(*args, stdin=stdin)
    assert result.exit_code in (1, 2) and message in result.output


def test_cli_demo_prepares_a_login_a_resource_and_one_job(service):
    first = prepare_demo(service)
    second = prepare_demo(service)
    assert first["password"] != second["password"]
    assert service.people.authenticate("demo", second["password"]).role == "editor"
    assert service.people.authenticate("demo", first["password"]) is None
    assert first["resource"] == second["resource"] and first["job"] == second["job"] is not None
    assert service.resource(first["resource"]).owner == "demo"
