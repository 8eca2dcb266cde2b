"""Every module of the two OpenStax books: imports, round-trips unchanged, and (slow) exports a real
en→pt Bergamot translation as well-formed CNXML with the same element skeleton."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapt.formats import read_document, render_document
from adapt.formats.base import RenderPlan
from adapt.formats.cnxml import canonical
from tests.adapt.formats.formats_xmlcheck import parse
from tests.conftest import shared_data

BOOKS = ("openstax-intro-python", "openstax-psychology-2e")
MODULES = sorted(p for book in BOOKS for p in (shared_data() / "oer" / book / "modules").glob("*/index.cnxml"))
LIMIT = 50 * 1024 * 1024


def _id(path: Path) -> str:
    return path.parent.name


def test_all_modules_are_there():
    assert len(MODULES) == 116 + 16


@pytest.mark.parametrize("path", MODULES, ids=_id)
def test_cnxml_module_round_trips_unchanged(path: Path):
    doc, data = read_document(path, max_bytes=LIMIT)
    assert doc.format == "cnxml"
    assert render_document(doc, RenderPlan()) == data  # byte-identical
    keys = [s.key for s in doc.segments]
    assert len(keys) == len(set(keys))
    assert all(k.startswith(f"{path.parent.name}:") for k in keys)
    # Every segment given back as it came (placeholders restored, XML escaped) is canonical-equal.
    same = RenderPlan(replacements={s.key: s.text for s in doc.segments})
    assert canonical(render_document(doc, same)) == canonical(data)
    meta = doc.metadata
    assert meta["module_id"] == path.parent.name
    assert meta["book"]["license_url"] == "http://creativecommons.org/licenses/by/4.0/"
    assert meta["language"] == "en" and meta["license_url"] == meta["book"]["license_url"]
    assert "authors" not in meta  # the sources name none: never invented


def test_cnxml_segments_inline_markup_as_placeholders(shared):
    doc, _ = read_document(shared / "oer/openstax-intro-python/modules/m00002/index.cnxml", max_bytes=LIMIT)
    para = doc.segment("m00002:para-00012")
    assert para.text.startswith("By tradition, [1]Hello World[/1] is the first program")
    roles = {ph.number: ph.role for ph in para.placeholders}
    assert roles == {1: "link", 2: "code"}
    assert para.placeholder(2).raw.startswith('<code class="python inline-code"')
    assert para.context == {"element": "para", "element_id": "para-00012"}
    item = doc.segment("m00002:list-00002/item[2]")  # mixed content: text, then a block para with code
    assert item.text == "Copy the following lines to the end of the program:"
    assert not doc.segment("m00002:para-00018").translatable  # only code
    assert doc.segment("m00002:sect-00002/title").kind == "heading"


def test_cnxml_figure_captions_credits_and_glossary(shared):
    doc, _ = read_document(shared / "oer/openstax-psychology-2e/modules/m82169/index.cnxml", max_bytes=LIMIT)
    captions = [s for s in doc.segments if s.kind == "caption"]
    cereal = next(s for s in captions if s.context.get("figure_id") == "CNX_Psych_02_04_cereal")
    assert cereal.context["credit"] == "Tim Skillern"
    alt = doc.segment("m82169:fs-idm23474448@alt")
    assert alt.text == "A photograph shows a bowl of cereal." and alt.context["figure_id"] == "CNX_Psych_02_04_cereal"
    terms = [s for s in doc.segments if s.kind == "term"]
    meanings = [s for s in doc.segments if s.kind == "definition"]
    assert terms and len(terms) == len(meanings)


@pytest.mark.parametrize("book", BOOKS)
@pytest.mark.parametrize("entry", ["folder", "collection"])
def test_cnxml_book_imports_from_folder_or_collection(shared, book, entry):
    root = shared / "oer" / book
    path = root if entry == "folder" else next((root / "collections").glob("*.collection.xml"))
    doc, data = read_document(path, max_bytes=LIMIT)
    assert doc.format == "cnxml-book"
    assert render_document(doc, RenderPlan()) == data
    meta = doc.metadata
    assert meta["language"] == "en" and meta["license_url"] == "http://creativecommons.org/licenses/by/4.0/"
    present = sorted(p.name for p in (root / "modules").iterdir())
    if book == "openstax-intro-python":
        assert meta["title"] == "Introduction to Python Programming"
        assert len(meta["modules"]) == 115 and "m00067" not in meta["modules"]  # not in the collection
    else:
        assert meta["title"] == "Psychology 2e"
        assert sorted(meta["modules"]) == present and "m82103" in meta["missing_modules"]
    chapter_titles = [s for s in doc.segments if s.key.startswith("collection:")]
    assert any(s.text == "Statements" or s.text == "Introduction to Psychology" for s in chapter_titles)
    # A translation touches every file and keeps each well-formed.
    plan = RenderPlan(replacements={s.key: s.text.upper() for s in doc.segments if s.translatable},
                      target_language="pt")
    out = render_document(doc, plan)
    from adapt.formats.zipsafe import open_zip

    zf = open_zip(out, "book")
    for name in zf.namelist():
        if name.endswith((".cnxml", ".xml")):
            parse(zf.read(name))
    coll = parse(zf.read(next(n for n in zf.namelist() if n.endswith(".collection.xml"))))
    assert coll.find(".//{http://cnx.rice.edu/mdml}language").text == "pt"


def test_cnxml_book_export_writes_a_folder(service, shared, tmp_path):
    imported = service.import_file(shared / "oer/openstax-psychology-2e")
    doc = imported.document
    seg = next(s for s in doc.segments if s.translatable and s.key.startswith("m82161:"))
    from adapt.store import NewSuggestion

    service.store.add_suggestions([NewSuggestion(
        resource_id=imported.resource_id,
        segment_id=next(r.id for r in service.store.segments(imported.resource_id) if r.key == seg.key),
        task="translate", target_language="pt", source_text=seg.text, text="Texto traduzido.", model_signature={})])
    out = tmp_path / "book-pt"
    result = service.export(imported.resource_id, out, include_unreviewed=True)
    assert result.export.stats.unreviewed == 1
    module = (out / "modules/m82161/index.cnxml").read_bytes()
    assert "⚠ Texto traduzido." in module.decode()
    assert (out / "media/CNX_Psych_01_02_Watson.jpg").is_file()
    assert not (out / "adapt-book.json").exists()
    for path in out.rglob("*.cnxml"):
        parse(path.read_bytes())
    zipped = service.export(imported.resource_id, tmp_path / "book-pt.zip", include_unreviewed=True)
    assert zipped.path.read_bytes()[:2] == b"PK"
