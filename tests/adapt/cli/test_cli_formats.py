"""`adapt translate` and `adapt export` on every format, with the real Bergamot engine."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def cli(tmp_path: Path, *args: str) -> dict:
    env = {**os.environ, "ADAPT_DB": str(tmp_path / "adapt.db"), "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "adapt", *args, "--json"], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def small_book(shared: Path, tmp_path: Path) -> Path:
    """The intro-Python book folder with a collection cut down to two short modules (real files)."""
    src = shared / "oer/openstax-intro-python"
    book = tmp_path / "book"
    shutil.copytree(src / "META-INF", book / "META-INF")
    for module in ("m00073", "m00058"):
        shutil.copytree(src / "modules" / module, book / "modules" / module)
    coll = (src / "collections/introduction-python-programming.collection.xml").read_text()
    coll = re.sub(r"<col:content>.*</col:content>", '<col:content><col:subcollection><md:title>Loops</md:title>'
                  '<col:content><col:module document="m00073"/><col:module document="m00058"/></col:content>'
                  "</col:subcollection></col:content>", coll, flags=re.S)
    (book / "collections").mkdir()
    (book / "collections/introduction-python-programming.collection.xml").write_text(coll)
    return book


def test_cli_translates_and_exports_a_book_from_its_collection_file(shared, tmp_path):
    book = small_book(shared, tmp_path)
    done = cli(tmp_path, "translate", str(book / "collections/introduction-python-programming.collection.xml"),
               "--to", "pt")
    assert done["suggestions"] > 0
    again = cli(tmp_path, "translate", str(book), "--to", "pt")  # the folder is the same book
    assert again["resource"] == done["resource"] and again["suggestions"] == 0
    out = tmp_path / "book-pt"
    cli(tmp_path, "export", str(done["resource"]), "--out", str(out), "--include-unreviewed")
    coll = etree.parse(str(out / "collections/introduction-python-programming.collection.xml"))
    assert coll.find(".//{http://cnx.rice.edu/mdml}language").text == "pt"
    for module in ("m00073", "m00058"):
        tree = etree.parse(str(out / "modules" / module / "index.cnxml"))
        assert tree.find(".//{http://cnx.rice.edu/mdml}language").text == "pt"
        assert tree.find(".//{http://cnx.rice.edu/cnxml}note[@class='adapt-notice']") is not None
    cli(tmp_path, "export", str(done["resource"]), "--out", str(tmp_path / "book-pt.zip"), "--include-unreviewed")
    assert zipfile.is_zipfile(tmp_path / "book-pt.zip")


def test_cli_translates_and_exports_a_module_html_docx_and_cartridge(shared, tmp_path):
    import docx

    word = docx.Document()
    word.add_paragraph("Water is made of hydrogen and ").add_run("oxygen").italic = True
    word.save(tmp_path / "cells.docx")
    html = tmp_path / "page.html"
    html.write_text("<html><body><p>The cell is the <b>basic unit</b> of life.</p></body></html>")
    inputs = {
        "cnxml": (shared / "oer/openstax-intro-python/modules/m00073/index.cnxml", "out.cnxml"),
        "html": (html, "out.html"),
        "docx": (tmp_path / "cells.docx", "out.docx"),
        "imscc": (shared / "packages/imscc/data_imscc_profilev1p1/sample_1", "out.imscc"),
    }
    for name, (path, out) in inputs.items():
        # the HTML, DOCX and cartridge state no licence: confirming one is required (and recorded)
        done = cli(tmp_path, "translate", str(path), "--to", "pt", "--assume-license", "CC-BY-4.0")
        assert done["suggestions"] > 0, name
        result = cli(tmp_path, "export", str(done["resource"]), "--out", str(tmp_path / out), "--include-unreviewed")
        assert result["target_language"] == "pt" and (tmp_path / out).stat().st_size > 0
    page = (tmp_path / "out.html").read_text()
    assert '<html lang="pt">' in page and "<b>" in page and "adapt-notice" in page
    word = docx.Document(str(tmp_path / "out.docx"))
    assert any(run.italic for p in word.paragraphs for run in p.runs if run.text.strip())
    with zipfile.ZipFile(tmp_path / "out.imscc") as zf:
        assert "Olá" in zf.read("page_001.htm").decode()
