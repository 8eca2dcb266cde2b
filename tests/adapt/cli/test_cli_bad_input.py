"""Every bad input is a one-line error that says what to do, exit code 1, and nothing in the store."""

import sqlite3

import pytest


def _resources(db):
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute("SELECT COUNT(*) FROM resources").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        ("lesson.xyz", b"hello", [], "cannot tell the format"),
        ("missing.md", None, [], "does not exist"),
        ("latin1.md", "Ol\xe1 mundo".encode("latin-1"), [], "is not UTF-8"),
        ("empty.md", b"", [], "is empty"),
        ("blank.md", b"\n\n   \n", [], "is empty"),
        ("code-only.md", b"```\nprint(1)\n```\n", [], "has no text to adapt"),
        ("lesson.md", b"# Hello\n\nWorld.\n", ["--from", "en", "--to", "de"], "cannot translate en"),
        ("lesson.md", b"# Hello\n\nWorld.\n", ["--engine", "nope"], "unknown translation engine"),
        ("lesson.md", b"# Hello\n\nWorld.\n", ["--format", "pdf"], "unknown format"),
    ],
)
def test_cli_translate_bad_input(adapt, tmp_path, name, content, args, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    if "--to" not in args:
        args = [*args, "--to", "pt"]
    result = adapt("translate", path, *args, expect=1)
    err = result.stderr.strip()
    assert err.startswith("error: ") and message in err and len(err.splitlines()) == 1
    assert _resources(adapt.db) == 0
    as_json = adapt.json("translate", path, *args, expect=1)
    assert message in as_json["error"] and as_json["exit_code"] == 1


def test_cli_unreadable_file(adapt, tmp_path):
    path = tmp_path / "secret.md"
    path.write_text("# x\n\ny\n")
    path.chmod(0)
    import os

    if os.geteuid() == 0:  # root reads anything: use a folder instead, which is as unreadable as a file
        path = tmp_path / "folder.md"
        path.mkdir()
    result = adapt("translate", path, "--to", "pt", expect=1)
    assert result.stderr.startswith("error: ")
    assert _resources(adapt.db) == 0


def test_cli_file_over_the_size_limit(adapt, tmp_path, monkeypatch):
    path = tmp_path / "big.md"
    path.write_bytes(b"word " * 3000)
    monkeypatch.setenv("ADAPT_MAX_FILE_BYTES", "10000")
    result = adapt("translate", path, "--to", "pt", expect=1)
    assert "over the limit of 10,000" in result.stderr
    assert _resources(adapt.db) == 0


@pytest.mark.parametrize(
    "args",
    [
        ["suggestions", "7"],
        ["export", "7", "--out", "x.md"],
        ["accept", "--resource", "7", "--all"],
        ["accept", "99"],
        ["reject", "99"],
        ["edit", "99", "--text", "x"],
        ["undo", "99"],
    ],
)
def test_cli_unknown_ids(adapt, args):
    result = adapt(*args, expect=1)
    assert result.stderr.startswith("error: there is no ")


def test_cli_usage_errors_exit_1(adapt):
    assert adapt("accept", expect=1).stderr.startswith("error: ")
    assert adapt("translate", expect=1).stderr.startswith("error: ")
