"""The adaptation's licence lands in CNXML's own metadata (md:license), in a module and in a book."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from adapt.formats import read_document, render_document
from adapt.formats.base import RenderPlan
from tests.conftest import shared_data

MD = "http://cnx.rice.edu/mdml"
SA = {"license_url": "http://creativecommons.org/licenses/by-sa/4.0/", "license_name": "CC BY-SA 4.0"}


def _licenses(xml: bytes) -> list[tuple[str | None, str]]:
    root = etree.fromstring(xml)
    return [(e.get("url"), (e.text or "").strip()) for e in root.iter(f"{{{MD}}}license")]


def test_cnxml_module_export_gains_md_license():
    path = shared_data() / "oer" / "openstax-psychology-2e" / "modules" / "m82161" / "index.cnxml"
    doc, data = read_document(path, max_bytes=50_000_000)
    assert _licenses(data) == []  # OpenStax modules inherit the book's licence
    first = doc.translatable_segments()[0]
    out = render_document(doc, RenderPlan(replacements={first.key: first.text}, target_language="pt", metadata=SA))
    assert _licenses(out) == [(SA["license_url"], "CC BY-SA 4.0")]
    # an unchanged render stays byte-identical: the licence is written only into an adaptation
    assert render_document(doc, RenderPlan(metadata=SA)) == data


def test_cnxml_book_export_rewrites_the_collection_license():
    book = shared_data() / "oer" / "openstax-psychology-2e"
    doc, _ = read_document(book, max_bytes=200_000_000)
    first = doc.translatable_segments()[0]
    out = render_document(doc, RenderPlan(replacements={first.key: first.text}, target_language="pt", metadata=SA))
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        collection = next(n for n in zf.namelist() if n.endswith(".collection.xml"))
        assert [url for url, _ in _licenses(zf.read(collection))] == [SA["license_url"]]
