"""scripts/extract_openstax_chapters.py: the first chapters of an OpenStax book out of a real git repository,
in the shared folders' layout, read back by the tagging evaluation; bad repositories and hostile collections
are refused with a message; the check books' gold fields are fields none of the shared books has."""

from __future__ import annotations

import csv
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from adapt.taxonomy import isced
from evaluation.openstax import book_title, read_book
from tests.conftest import REPO, shared_data

SCRIPT = REPO / "scripts" / "extract_openstax_chapters.py"
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _script():
    spec = importlib.util.spec_from_file_location("extract_openstax_chapters", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _module(mid: str, title: str) -> str:
    return (f'<document xmlns="http://cnx.rice.edu/cnxml"><title>{title}</title><content>'
            f'<para id="p1">{title} is about ledgers and journals.</para></content></document>')


def _collection(body: str) -> str:
    return ('<col:collection xmlns:col="http://cnx.rice.edu/collxml" xmlns:md="http://cnx.rice.edu/mdml" '
            'xmlns="http://cnx.rice.edu/collxml"><col:metadata><md:title>Accounting Basics</md:title>'
            f'</col:metadata><content>{body}</content></col:collection>')


BOOK = _collection(
    '<module document="m0"/>'  # the preface: not in a chapter
    '<subcollection><md:title>Unit One</md:title><content><module document="m9"/>'  # a unit opener
    '<subcollection><md:title>Ledgers</md:title><content><module document="m1"/><module document="m2"/></content>'
    '</subcollection>'
    '<subcollection><md:title>Journals</md:title><content><module document="m3"/></content></subcollection>'
    '</content></subcollection>'
    '<subcollection><md:title>Audits</md:title><content><module document="m4"/></content></subcollection>')


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    repo = tmp_path / "osbooks-accounting"
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "book"], check=True)
    return repo


def _book_files(collection: str = BOOK) -> dict[str, str]:
    files = {"collections/accounting.collection.xml": collection, "LICENSE": "CC BY 4.0\n"}
    for mid, title in (("m0", "Preface"), ("m9", "Unit opener"), ("m1", "Ledgers intro"), ("m2", "Posting"),
                       ("m3", "Journals"), ("m4", "Audits")):
        files[f"modules/{mid}/index.cnxml"] = _module(mid, title)
    return files


def test_the_first_two_chapters_are_copied_byte_for_byte_and_read_back(tmp_path):
    tool = _script()
    repo = _repo(tmp_path, _book_files())
    out = tmp_path / "out" / "openstax-accounting"
    assert tool.extract(repo, "HEAD", "collections/accounting.collection.xml", out) == 3
    rows = list(csv.DictReader((out / "modules-included.tsv").open(encoding="utf-8"), delimiter="\t"))
    assert [(r["module_id"], r["chapter_no"], r["chapter_title"]) for r in rows] == [
        ("m1", "1", "Ledgers"), ("m2", "1", "Ledgers"), ("m3", "2", "Journals")]  # no preface, unit opener, ch. 3
    assert (out / "modules/m2/index.cnxml").read_bytes() == (repo / "modules/m2/index.cnxml").read_bytes()
    assert (out / "LICENSE").read_text() == "CC BY 4.0\n"
    modules = read_book(out)
    assert [m.title for m in modules] == ["Ledgers intro", "Posting", "Journals"]
    assert book_title(out) == "Accounting Basics"


def test_the_command_line_writes_the_gold_file_for_the_check_books(tmp_path, monkeypatch):
    tool = _script()
    repo = _repo(tmp_path / "repos", _book_files())
    table = tmp_path / "check_books.tsv"
    table.write_text("folder\trepository\tcommit\tcollection\tbook_title\tgold\tgold_label\twhy_this_gold\n"
                     "openstax-accounting\topenstax/osbooks-accounting\tHEAD\tcollections/accounting.collection.xml"
                     "\tAccounting Basics\t0411\tAccounting and taxation\tkeyword row Accounting\n"
                     "openstax-absent\topenstax/osbooks-absent\tHEAD\tcollections/x.xml\tAbsent\t0421\tLaw\tnone\n",
                     encoding="utf-8")
    monkeypatch.setattr(tool, "CHECK_BOOKS", table)
    out = tmp_path / "check"
    assert tool.main(["--all-check-books", "--repos", str(repo.parent), "--out", str(out)]) == 0
    gold = list(csv.reader((out / "subject-gold.tsv").open(encoding="utf-8"), delimiter="\t"))
    assert gold[1] == ["openstax-accounting", "Accounting Basics", "0411", "Accounting and taxation", "041", "04"]
    assert len(gold) == 2  # the book with no clone is skipped (and said so), not invented
    from evaluation.tagging_openstax import gold_fields

    assert gold_fields(out) == {"openstax-accounting": "0411"}


@pytest.mark.parametrize("collection, message", [
    ("<col:collection", "not well-formed XML"),
    (_collection(""), "has no chapter"),
    (_collection('<subcollection><content><module document="../../escape"/></content></subcollection>'),
     "not a module id"),
])
def test_bad_collections_are_refused_with_what_is_wrong(tmp_path, capsys, collection, message):
    tool = _script()
    repo = _repo(tmp_path, {**_book_files(), "collections/accounting.collection.xml": collection})
    code = tool.main(["--repo", str(repo), "--collection", "collections/accounting.collection.xml",
                      "--folder", "book", "--out", str(tmp_path / "out")])
    assert code == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "escape").exists()


def test_a_missing_module_or_commit_is_named(tmp_path, capsys):
    tool = _script()
    files = _book_files()
    del files["modules/m2/index.cnxml"]
    repo = _repo(tmp_path, files)
    assert tool.main(["--repo", str(repo), "--collection", "collections/accounting.collection.xml",
                      "--folder", "book", "--out", str(tmp_path / "out")]) == 1
    assert "modules/m2/index.cnxml is not in" in capsys.readouterr().err
    assert tool.main(["--repo", str(repo), "--commit", "0" * 40, "--collection",
                      "collections/accounting.collection.xml", "--folder", "b", "--out", str(tmp_path / "o")]) == 1
    assert "is not in" in capsys.readouterr().err


def test_the_check_books_are_in_fields_no_shared_book_has():
    tool = _script()
    books = tool.check_books()
    taxonomy = isced()
    assert len(books) >= 5
    for book in books:
        assert len(book["commit"]) == 40 and book["repository"].startswith("openstax/osbooks-")
        assert taxonomy[book["gold"]].label == book["gold_label"], book["folder"]
        assert book["why_this_gold"].strip()
    gold_file = shared_data() / "oer" / "subject-gold.tsv"
    shared = {row["isced_f_detailed_code"] for row in csv.DictReader(gold_file.open(encoding="utf-8"),
                                                                        delimiter="\t")}
    new_fields = [b for b in books if b["set"] == "new-fields"]
    assert len(new_fields) >= 5 and {b["set"] for b in books} <= {"new-fields", "reserve"}
    assert not shared & {b["gold"] for b in new_fields}
