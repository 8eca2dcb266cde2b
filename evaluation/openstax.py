"""Read an OpenStax book folder (CNXML) into plain module texts for the tagging evaluation.

A simple lxml walk, not a format handler: it keeps titles, abstracts, paragraphs, list items, notes,
exercises, captions and glossary entries as (kind, text) blocks and drops bibliographies, code,
MathML and media. The real CNXML format (adapt.formats) is what `adapt tag` reads.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

CNXML = "{http://cnx.rice.edu/cnxml}"
MDML = "{http://cnx.rice.edu/mdml}"
_BLOCKS = {"para": "paragraph", "item": "list_item", "caption": "caption", "title": "heading",
           "meaning": "glossary", "entry": "table_cell"}
_SKIP = {"code", "math", "media", "image", "iframe", "preformat"}


@dataclass(frozen=True)
class Module:
    book: str
    module_id: str
    chapter: str
    title: str
    blocks: tuple[tuple[str, str], ...]  # (kind, text) in reading order

    def texts(self) -> list[str]:
        return [t for _, t in self.blocks]

    @property
    def kinds(self) -> list[str]:
        return [k for k, _ in self.blocks]


def read_module(path: Path, *, book: str = "", chapter: str = "") -> Module:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.parse(str(path), parser).getroot()
    title = (root.findtext(f"{CNXML}title") or "").strip()
    blocks: list[tuple[str, str]] = []
    abstract = root.find(f".//{MDML}abstract")
    if abstract is not None:
        text = _text(abstract)
        if text:
            blocks.append(("abstract", text))
    content = root.find(f"{CNXML}content")
    glossary = root.find(f"{CNXML}glossary")
    for part, in_glossary in ((content, False), (glossary, True)):
        if part is None:
            continue
        for el in part.iter():
            if not isinstance(el.tag, str):
                continue
            local = el.tag.replace(CNXML, "")
            if local not in _BLOCKS or _inside_skipped(el):
                continue
            if local == "item" and el.find(f"{CNXML}para") is not None:
                continue  # its paragraphs come on their own
            text = _text(el)
            if not text:
                continue
            kind = "glossary" if in_glossary else _kind(el, _BLOCKS[local])
            blocks.append((kind, text))
    return Module(book, path.parent.name, chapter, title, tuple(blocks))


def _inside_skipped(el) -> bool:
    for anc in el.iterancestors():
        local = anc.tag.replace(CNXML, "") if isinstance(anc.tag, str) else ""
        if local in _SKIP:
            return True
        if local == "section" and "references" in (anc.get("class") or ""):
            return True
    return False


def _kind(el, default: str) -> str:
    for anc in el.iterancestors():
        local = anc.tag.replace(CNXML, "") if isinstance(anc.tag, str) else ""
        if local in ("exercise", "problem", "solution"):
            return "exercise"
        if local == "example":
            return "example"
        if local == "note":
            return "note"
    return default


def _text(el) -> str:
    parts: list[str] = []

    def walk(node) -> None:
        local = node.tag.replace(CNXML, "") if isinstance(node.tag, str) else ""
        if local in _SKIP:
            if node.tail:
                parts.append(node.tail)
            return
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        for child in node:
            walk(child)
        if node.tail and node is not el:
            parts.append(node.tail)

    walk(el)
    return " ".join("".join(parts).split())


def book_title(folder: Path) -> str | None:
    """The book's title from its collection file's metadata (collections/*.xml), None without one."""
    from lxml import etree

    for path in sorted((folder / "collections").glob("*.xml")):
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            title = etree.parse(str(path), parser).getroot().findtext(f".//{MDML}title")
        except etree.XMLSyntaxError:
            continue  # a broken collection file names no title; the book is still scored on its text
        if title and title.strip():
            return " ".join(title.split())
    return None


def read_book(folder: Path) -> list[Module]:
    """Every module listed in the folder's modules-included.tsv, in collection order."""
    index = folder / "modules-included.tsv"
    modules = []
    with index.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            path = folder / "modules" / row["module_id"] / "index.cnxml"
            modules.append(read_module(path, book=folder.name, chapter=row.get("chapter_title") or ""))
    return modules
