"""Hostile and broken inputs: a clear error, exit code 1, and nothing written to the store."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

CNXML_HEAD = '<document xmlns="http://cnx.rice.edu/cnxml"><title>T</title><content><para id="p1">'
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE document [\n<!ENTITY a "ha">\n'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
          + ']>\n' + CNXML_HEAD + "&j;</para></content></document>")
EXTERNAL = ('<?xml version="1.0"?>\n<!DOCTYPE document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            + CNXML_HEAD + "&x;</para></content></document>")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


MANIFEST = (b'<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="M"><organizations/>'
            b'<resources><resource identifier="R" type="webcontent"><file href="a.htm"/></resource></resources>'
            b'</manifest>')


def _docx_with_entities() -> bytes:
    body = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
            '<w:t>&x;</w:t></w:r></w:p></w:body></w:document>')
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": body.encode()})


CASES = {
    # name: (file name, bytes, expected words in the message, extra environment)
    "malformed-xml": ("m.cnxml", (CNXML_HEAD + "</content>").encode(), "not well-formed", {}),
    "billion-laughs": ("m.cnxml", LAUGHS.encode(), "entities", {}),
    "external-entity": ("m.cnxml", EXTERNAL.encode(), "entities", {}),
    "zip-slip": ("c.imscc", _zip({"imsmanifest.xml": MANIFEST, "../../evil.htm": b"<p>x</p>"}), "zip slip", {}),
    "zip-bomb": ("c.imscc", _zip({"imsmanifest.xml": MANIFEST, "a.htm": b"<p>" + b" " * 5_000_000 + b"x</p>"}),
                 "zip bomb", {"ADAPT_MAX_UNPACKED_BYTES": "1000000"}),
    "docx-not-a-zip": ("d.docx", b"This is plain text pretending to be a Word file.", "not a zip", {}),
    "docx-entities": ("d.docx", _docx_with_entities(), "entities", {}),
    "imscc-not-a-zip": ("c.imscc", b"<html>not a zip</html>", "not a zip", {}),
    "too-large": ("p.html", b"<p>" + b"word " * 1000 + b"</p>", "over the limit", {"ADAPT_MAX_FILE_BYTES": "1000"}),
}


def run_cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {**os.environ, "ADAPT_DB": str(tmp_path / "adapt.db"), "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run([sys.executable, "-m", "adapt", *args], capture_output=True, text=True, env=environ,
                          cwd=tmp_path, timeout=120)


def assert_nothing_stored(tmp_path: Path) -> None:
    db = tmp_path / "adapt.db"
    if db.exists():
        with sqlite3.connect(db) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if "resources" in tables:
                assert conn.execute("SELECT COUNT(*) FROM resources").fetchone()[0] == 0


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_is_refused_with_exit_1(tmp_path, case):
    name, data, words, env = CASES[case]
    path = tmp_path / name
    path.write_bytes(data)
    result = run_cli(tmp_path, "translate", str(path), "--to", "pt", "--json", env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    error = json.loads(result.stdout)
    assert words in error["error"] and error["hint"]
    assert_nothing_stored(tmp_path)


def test_a_200_mb_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.html"
    with path.open("wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.truncate(200 * 1024 * 1024)
    result = run_cli(tmp_path, "translate", str(path), "--to", "pt")
    assert result.returncode == 1 and "over the limit" in result.stderr
    assert_nothing_stored(tmp_path)


def test_a_book_folder_over_the_limit_is_refused(tmp_path, shared):
    result = run_cli(tmp_path, "translate", str(shared / "oer/openstax-psychology-2e"), "--to", "pt",
                     env={"ADAPT_MAX_FILE_BYTES": "100000"})
    assert result.returncode == 1 and "more than" in result.stderr
    assert_nothing_stored(tmp_path)
