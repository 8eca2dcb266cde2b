"""OpenStax CNXML: one module (`index.cnxml`) or a whole book (a collection file with its modules).

Paragraphs, titles, list items, table entries, captions, glossary terms and meanings, notes,
exercises... are segmented as runs of inline content (see markup.py); `emphasis`, `term`, `link`,
`sup`, `sub`, `foreign` become pair placeholders; MathML, `code`, `newline`, media and equations are
protected atoms; block code, media and metadata other than titles and abstracts are never touched.
A `media@alt` is a segment of its own: `<run key>@img1` inside a run (see nested.py), else `<anchor>@alt`.
Rendering splices translated runs into the source text, so a round trip without changes is
byte-identical and a translation keeps the element skeleton.

Segment keys are `<module id>:<element id>` (with a path below the nearest id when the element has
none, and `#N` for the N-th run of a mixed element), so that they stay stable and say where they are.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from adapt.document import Document, Segment, splice
from adapt.errors import FileTooLarge, UnreadableFile, UnsupportedFormat
from adapt.formats import markup, zipsafe
from adapt.formats.base import UNREVIEWED_MARK, UNREVIEWED_NOTICE, RenderPlan, decode_utf8
from adapt.formats.markup import Element, Role
from adapt.formats.nested import NESTED, fold_nested, nested_context

CNXML_NS = "http://cnx.rice.edu/cnxml"
MD_NS = "http://cnx.rice.edu/mdml"
COL_NS = "http://cnx.rice.edu/collxml"
MATHML_NS = "http://www.w3.org/1998/Math/MathML"

_PAIRS = frozenset("emphasis term link sup sub foreign quote cite span footnote cnxn def".split())
_ATOMS = frozenset("newline space code media image iframe equation preformat audio video object".split())
_TEXT_BLOCKS = frozenset("para title item entry caption meaning label cite-title subtitle commentary".split())
_MD_BLOCKS = frozenset({"title", "abstract"})
_ROLES = {"newline": "break", "space": "space", "equation": "math", "media": "media", "image": "media",
          "iframe": "media", "preformat": "code"}
KINDS = {"para": "paragraph", "title": "heading", "item": "list_item", "entry": "table_cell",
         "caption": "caption", "meaning": "definition", "term": "term", "label": "label", "list": "list",
         "note": "note", "@alt": "alt_text"}
_CREDIT_RE = re.compile(r"\(credit[^:()]*:\s*([^()]+(?:\([^()]*\)[^()]*)*)\)\s*$", re.I)


def classify_factory() -> Any:
    return markup.memoized_classifier(_classify)


def _inline_context(el: Element, classify: Any) -> bool:
    parent = el.parent
    if parent is None or parent.name == "#document":
        return False
    if parent.ns == CNXML_NS and parent.name in _TEXT_BLOCKS:
        return True
    if parent.ns == MATHML_NS or classify(parent) in ("pair", "atom"):
        return True
    return parent.has_direct_text()


def _classify(el: Element, classify: Any) -> Role:
    if el.ns == MATHML_NS:
        return "atom" if _inline_context(el, classify) else "skip"
    if el.ns == MD_NS:
        return "block" if el.name in _MD_BLOCKS else "skip"
    if el.ns not in (CNXML_NS, COL_NS):
        return "atom" if _inline_context(el, classify) else "skip"
    if el.name in _PAIRS:
        return "pair" if _inline_context(el, classify) else "block"
    if el.name in _ATOMS:
        return "atom" if _inline_context(el, classify) else "skip"
    return "block"


def role_of(el: Element) -> str:
    if el.ns == MATHML_NS:
        return "math"
    return _ROLES.get(el.name, el.name)


# -- one module -------------------------------------------------------------------------------------


@dataclass
class ParsedFile:
    """One XML file of a module or a book: its text, tree and segments (spans relative to `text`)."""

    name: str
    text: str
    root: Element
    segments: list[Segment]


def segment_xml(text: str, root: Element, prefix: str, *, file: str | None = None) -> list[Segment]:
    classify = classify_factory()
    segments: list[Segment] = []
    seen: dict[str, int] = {}
    for run in markup.runs(root, text, classify, role_of):
        block = run.block
        ident, path = markup.anchor_path(block)
        anchor = ident if not path else (f"{ident}/{path}" if ident else path)
        key = f"{prefix}:{anchor}" + (f"#{run.index}" if run.index > 1 else "")
        context = _context(block, ident, path)
        if file:
            context["file"] = file
        caption_credit = _CREDIT_RE.search(run.builder.text) if block.name == "caption" else None
        if caption_credit:
            context["credit"] = caption_credit.group(1).strip()
        run_seg = _segment(key, _kind(block), run.builder.text, run.builder.placeholders, (run.start, run.end),
                           run.builder.has_words(), context, seen)
        segments.append(run_seg)
        # Media inside the run are atoms of it; the alt text of each is a segment of its own.
        for number, el, index in markup.atom_attributes(run, _is_media, opaque=_opaque):
            if "alt" not in el.attr_spans or not el.attrs["alt"].strip():
                continue
            start, end = el.attr_spans["alt"]
            at = run.atoms[number].start
            ident, path = markup.anchor_path(el)
            alt_context = _context(el, ident, path)
            alt_context["attribute"] = "alt"
            alt_context[NESTED] = nested_context(run_seg.key, number, start - at, end - at)
            if file:
                alt_context["file"] = file
            text_, phs = markup.attribute_text(el.attrs["alt"])
            segments.append(_segment(f"{run_seg.key}@img{index}", "alt_text", text_, phs, (start, end),
                                     _is_prose(el.attrs["alt"]), alt_context, seen))
    # Alternative text of media outside runs (figures, notes): what screen readers say.
    for el in root.iter():
        if el.name == "media" and el.ns == CNXML_NS and classify(el) == "skip" and (el.get("alt") or "").strip():
            text_, phs = markup.attribute_text(el.attrs["alt"])
            ident, path = markup.anchor_path(el)
            anchor = ident if not path else (f"{ident}/{path}" if ident else path)
            context = _context(el, ident, path)
            context["attribute"] = "alt"
            if file:
                context["file"] = file
            seg = _segment(f"{prefix}:{anchor}@alt", "alt_text", text_, phs, el.attr_spans["alt"],
                           _is_prose(el.attrs["alt"]), context, seen)
            segments.append(seg)
    segments.sort(key=lambda s: s.span[0] if s.span else 0)
    return segments


def _is_media(el: Element) -> tuple[str, ...]:
    return ("alt",) if el.name == "media" and el.ns == CNXML_NS else ()


def _opaque(el: Element) -> bool:
    return el.ns == MATHML_NS  # MathML holds no CNXML media


def _is_prose(text: str) -> bool:
    """Alternative text worth translating: words, not a file-like name such as `music_streaming_slides`."""
    return len(re.findall(r"[^\W\d_]{2,}", text)) >= 2 and " " in text.strip()


def _segment(key, kind, text, phs, span, translatable, context, seen) -> Segment:
    if key in seen:  # duplicate ids in the source: keep keys unique and stable
        seen[key] += 1
        key = f"{key}~{seen[key]}"
    else:
        seen[key] = 1
    return Segment(key=key, kind=kind, text=text, placeholders=phs, span=span, translatable=translatable,
                   context=context)


def _kind(block: Element) -> str:
    if block.ns == MD_NS:
        return "title" if block.name == "title" else "abstract"
    if block.name == "title" and block.parent is not None and block.parent.name == "document":
        return "title"
    return KINDS.get(block.name, block.name)


def _context(block: Element, ident: str | None, path: str) -> dict[str, Any]:
    context: dict[str, Any] = {"element": block.qname}
    if block.get("id"):
        context["element_id"] = block.attrs["id"]
    elif ident:
        context["anchor_id"] = ident
    if path:
        context["path"] = path
    figure = block if block.name == "figure" else markup.ancestor(block, "figure")
    if figure is not None and figure.get("id"):
        context["figure_id"] = figure.attrs["id"]
    for name in ("class", "type"):
        if block.get(name):
            context[name] = block.attrs[name]
    return context


def parse_file(name: str, data: bytes, prefix: str) -> ParsedFile:
    markup.safe_xml_check(data, name)
    text = decode_utf8(data, name)
    root = markup.parse_xml(text)
    return ParsedFile(name, text, root, segment_xml(text, root, prefix, file=name))


def _first(root: Element, ns: str, name: str) -> Element | None:
    if ns == MD_NS:  # metadata lives in <metadata>: do not walk the whole module for it
        meta = next((e for e in root.iter() if e.name == "metadata"), None)
        if meta is not None:
            root = meta
    for el in root.iter():
        if el.ns == ns and el.name == name:
            return el
    return None


def module_metadata(root: Element) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    doc = next((e for e in root.elements() if e.name == "document"), None)
    title = _first(root, MD_NS, "title") or (doc.find("title") if doc else None)
    if title is not None:
        meta["title"] = " ".join(title.text_content().split())
    for name, key in (("content-id", "module_id"), ("uuid", "uuid"), ("language", "language")):
        el = _first(root, MD_NS, name)
        if el is not None and el.text_content().strip():
            meta[key] = el.text_content().strip()
    _license(root, meta)
    metadata_el = next((e for e in root.iter() if e.name == "metadata"), None)
    authors = _authors(metadata_el) if metadata_el is not None else []
    if authors:
        meta["authors"] = authors
    for name in ("canonical-url", "derived-from"):
        el = _first(root, MD_NS, name)
        if el is not None and (el.get("url") or el.text_content().strip()):
            meta.setdefault("source_url", el.get("url") or el.text_content().strip())
    return meta


def _license(root: Element, meta: dict[str, Any]) -> None:
    lic = _first(root, MD_NS, "license")
    if lic is not None:
        if lic.get("url"):
            meta["license_url"] = lic.attrs["url"]
        if lic.text_content().strip():
            meta["license_text"] = " ".join(lic.text_content().split())


def _authors(root: Element) -> list[str]:
    """Authors from md:role type="author" (ids) resolved through md:person fullnames, as CNXML 0.7 has them."""
    people = {}
    for el in root.iter():
        if el.ns == MD_NS and el.name in ("person", "organization") and el.get("userid"):
            full = next((c for c in el.iter() if c.name == "fullname"), None)
            people[el.attrs["userid"]] = " ".join((full or el).text_content().split())
    names = []
    for el in root.iter():
        if el.ns == MD_NS and el.name == "role" and el.get("type") == "author":
            names += [people.get(i, i) for i in el.text_content().split()]
    return [n for n in names if n]


def collection_metadata(root: Element) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    meta_el = next((e for e in root.iter() if e.name == "metadata"), None)
    if meta_el is None:
        return meta
    for name in ("title", "slug", "uuid", "language"):
        el = next((e for e in meta_el.elements() if e.ns == MD_NS and e.name == name), None)
        if el is not None and el.text_content().strip():
            meta[name] = " ".join(el.text_content().split())
    _license(meta_el, meta)
    authors = _authors(meta_el)
    if authors:
        meta["authors"] = authors
    return meta


def collection_modules(root: Element) -> list[str]:
    return [el.attrs["document"] for el in root.iter() if el.name == "module" and el.get("document")]


def module_id_of(path: Path, root: Element) -> str:
    el = _first(root, MD_NS, "content-id")
    if el is not None and el.text_content().strip():
        return el.text_content().strip()
    return path.parent.name if path.name == "index.cnxml" and path.parent.name else path.stem


def book_of_module(path: Path, module_id: str) -> dict[str, Any] | None:
    """The metadata of the book (collection) that lists this module, when it sits in a book folder."""
    try:
        if not path.is_file():
            return None
        book_root = path.resolve().parent.parent.parent
        collections = sorted((book_root / "collections").glob("*.collection.xml"))
    except OSError:
        return None
    parsed = []
    for coll in collections:
        try:
            stat = coll.stat()
            meta, modules = _collection_summary(str(coll), stat.st_mtime_ns, stat.st_size)
        except Exception:  # noqa: BLE001 - a broken sibling file must not stop the module's import
            continue
        if module_id in modules:
            return dict(meta)
        parsed.append(meta)
    if len(parsed) == 1:
        # In the book's folder but not listed (a draft or retired module): the book's licence still covers it.
        return {**parsed[0], "listed": False}
    return None


@lru_cache(maxsize=16)
def _collection_summary(path: str, mtime_ns: int, size: int) -> tuple[dict[str, Any], frozenset[str]]:
    """A collection's metadata and module ids, parsed once per file version (a book has 100+ modules)."""
    data = Path(path).read_bytes()
    markup.safe_xml_check(data, Path(path).name)
    root = markup.parse_xml(decode_utf8(data, Path(path).name))
    return collection_metadata(root), frozenset(collection_modules(root))


def book_dict(meta: dict[str, Any]) -> dict[str, Any]:
    return {k: meta[k] for k in ("title", "slug", "uuid", "license_url", "language") if k in meta}


# -- rendering --------------------------------------------------------------------------------------


def render_file(parsed: ParsedFile, segments: list[Segment], plan: RenderPlan, notes: list[str]) -> str:
    pieces: list[tuple[tuple[int, int], str]] = []
    text = parsed.text
    root = parsed.root
    if plan.target_language:
        pieces += _language_edits(text, root, plan.target_language)
    license_url = plan.metadata.get("license_url")
    if license_url and (plan.replacements or plan.target_language):
        # The adaptation's licence (share-alike carries over) goes where CNXML keeps it: md:license.
        pieces += _license_edits(text, root, str(license_url), str(plan.metadata.get("license_name") or ""))
    if notes:
        content = next((e for e in root.iter() if e.name == "content" and e.ns == CNXML_NS), None)
        if content is not None:
            pieces.append(((content.start_end, content.start_end), _notice_xml(notes)))
    def restored(seg: Segment, new: str) -> str:
        escape = markup.attr_escape if seg.context.get("attribute") else markup.xml_escape
        out = seg.restore(markup.align_placeholders(new, seg.text, seg.placeholders), escape=escape)
        return UNREVIEWED_MARK + out if seg.key in plan.unreviewed else out

    for seg in fold_nested(segments, plan, restored):
        new = plan.replacements.get(seg.key)
        if new is None or seg.span is None:
            continue
        pieces.append((seg.span, restored(seg, new)))
    return splice(text, pieces)


def _notice_xml(notes: list[str]) -> str:
    paras = "".join(f'<para id="adapt-notice-{i}">{markup.xml_escape(n)}</para>' for i, n in enumerate(notes, 1))
    return f'\n<note id="adapt-notice" class="adapt-notice">{paras}</note>'


def _language_edits(text: str, root: Element, language: str) -> list[tuple[tuple[int, int], str]]:
    edits: list[tuple[tuple[int, int], str]] = []
    for el in root.iter():
        if "xml:lang" in el.attr_spans:
            edits.append((el.attr_spans["xml:lang"], markup.attr_escape(language)))
    meta = next((e for e in root.iter() if e.name == "metadata"), None)
    if meta is None:
        return edits
    lang = next((e for e in meta.elements() if e.ns == MD_NS and e.name == "language"), None)
    if lang is not None:
        edits.append(((lang.start_end, lang.end_start), markup.xml_escape(language)))
        return edits
    prefix = next((p.split(":", 1)[1] for p, v in _ns_decls(meta) if v == MD_NS and ":" in p), "md")
    anchor = next((e for e in meta.elements() if e.ns == MD_NS and e.name == "title"), None)
    at = anchor.end if anchor is not None else meta.start_end
    line_start = text.rfind("\n", 0, anchor.start if anchor is not None else meta.start) + 1
    indent = _leading_blanks(text[line_start:]) if anchor is not None else "  "
    decl = "" if prefix in _prefixes_in_scope(meta) else f' xmlns:{prefix}="{MD_NS}"'
    edits.append(((at, at), f"\n{indent}<{prefix}:language{decl}>{markup.xml_escape(language)}</{prefix}:language>"))
    return edits


def _license_edits(text: str, root: Element, url: str, name: str) -> list[tuple[tuple[int, int], str]]:
    meta = next((e for e in root.iter() if e.name == "metadata"), None)
    if meta is None:
        return []
    lic = next((e for e in meta.elements() if e.ns == MD_NS and e.name == "license"), None)
    if lic is not None:
        edits = []
        if "url" in lic.attr_spans:
            edits.append((lic.attr_spans["url"], markup.attr_escape(url)))
        if name and lic.end_start > lic.start_end:
            edits.append(((lic.start_end, lic.end_start), markup.xml_escape(name)))
        return edits
    prefix = next((p.split(":", 1)[1] for p, v in _ns_decls(meta) if v == MD_NS and ":" in p), "md")
    anchor = next((e for e in meta.elements() if e.ns == MD_NS and e.name in ("language", "title")), None)
    at = anchor.end if anchor is not None else meta.start_end
    line_start = text.rfind("\n", 0, anchor.start if anchor is not None else meta.start) + 1
    indent = _leading_blanks(text[line_start:]) if anchor is not None else "  "
    decl = "" if prefix in _prefixes_in_scope(meta) else f' xmlns:{prefix}="{MD_NS}"'
    body = markup.xml_escape(name)
    element = (f'<{prefix}:license{decl} url="{markup.attr_escape(url)}">{body}</{prefix}:license>' if body
               else f'<{prefix}:license{decl} url="{markup.attr_escape(url)}"/>')
    return [((at, at), f"\n{indent}{element}")]


def _ns_decls(el: Element) -> list[tuple[str, str]]:
    out = []
    node: Element | None = el
    while node is not None:
        out += [(k, v) for k, v in node.attrs.items() if k == "xmlns" or k.startswith("xmlns:")]
        node = node.parent
    return out


def _prefixes_in_scope(el: Element) -> set[str]:
    return {k.split(":", 1)[1] for k, _ in _ns_decls(el) if k.startswith("xmlns:")}


def notes_for(plan: RenderPlan) -> list[str]:
    return ([plan.unreviewed_notice or UNREVIEWED_NOTICE] if plan.unreviewed else []) + list(plan.notices)


def canonical(data: bytes) -> bytes:
    """XML C14N 2.0 with runs of whitespace in text collapsed: how two CNXML files compare."""
    from xml.etree.ElementTree import canonicalize

    c14n = canonicalize(xml_data=data.decode("utf-8"), strip_text=True)
    return re.sub(r"\s+", " ", c14n).encode("utf-8")


class CnxmlFormat:
    name = "cnxml"
    extensions = (".cnxml",)
    canonical_form = "xml-c14n"  # identity round trips are byte-identical; edited ones compare by C14N

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() == ".cnxml" or (b"http://cnx.rice.edu/cnxml" in head and b"<document" in head)

    def read(self, path: Path, data: bytes) -> Document:
        markup.safe_xml_check(data, path.name)
        text = decode_utf8(data, path.name)
        root = markup.parse_xml(text)
        if not any(e.name == "document" and e.ns == CNXML_NS for e in root.elements()):
            raise UnsupportedFormat(f"{path.name} is XML but not a CNXML module",
                                    hint="a CNXML module's root element is <document xmlns=\"http://cnx.rice.edu/cnxml\">")
        module_id = module_id_of(path, root)
        segments = segment_xml(text, root, module_id)
        meta = module_metadata(root)
        meta["module_id"] = module_id
        book = book_of_module(path, module_id)
        if book:
            meta["book"] = book_dict(book)
            if book.get("listed") is False:
                meta["book_lists_module"] = False
            for key in ("language", "license_url", "license_text", "authors"):
                if key in book:
                    meta.setdefault(key, book[key])
        in_module_folder = path.name == "index.cnxml" and path.parent.name
        source_name = f"{path.parent.name}/{path.name}" if in_module_folder else path.name
        doc = Document(self.name, source_name, text, segments, meta)
        doc.extra["parsed"] = ParsedFile(source_name, text, root, segments)
        return doc

    def render(self, doc: Document, plan: RenderPlan) -> bytes:
        if plan.is_identity and not plan.unreviewed:
            return doc.text.encode("utf-8")
        parsed: ParsedFile = doc.extra.get("parsed") or ParsedFile(doc.source_name, doc.text,
                                                                  markup.parse_xml(doc.text), doc.segments)
        return render_file(parsed, doc.segments, plan, notes_for(plan)).encode("utf-8")


# -- a whole book -----------------------------------------------------------------------------------

BOOK_INDEX = "adapt-book.json"  # what the packed zip holds: which collection, which modules were missing


def _book_paths(path: Path) -> tuple[Path, Path]:
    """(book folder, collection file) from a folder or a collection file."""
    if path.is_file():
        if not path.name.endswith(".collection.xml"):
            raise UnsupportedFormat(f"{path.name} is not a collection file",
                                    hint="name a *.collection.xml or a book folder")
        return path.resolve().parent.parent, path.resolve()
    if not path.is_dir():
        raise UnreadableFile(f"{path} does not exist", hint="check the path")
    collections = sorted((path / "collections").glob("*.collection.xml"))
    if not collections:
        raise UnsupportedFormat(f"{path} has no collections/*.collection.xml", hint="name a CNXML book folder")
    if len(collections) > 1:
        names = ", ".join(c.name for c in collections)
        raise UnsupportedFormat(f"{path} holds several books ({names})",
                                hint="name the collection file of the one you want")
    return path.resolve(), collections[0].resolve()


_MEDIA_RE = re.compile(r"""(?:src|href)\s*=\s*["'](?:\.\./\.\./)?(media/[^"'#?]+)["']""")


class CnxmlBookFormat:
    name = "cnxml-book"
    extensions = (".collection.xml",)
    canonical_form = "xml-c14n"  # per file; the packed zip is byte-identical on an identity round trip
    container = True  # renders to a zip: export writes a folder or a .zip

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.name.endswith(".collection.xml"):
            return True
        return path.is_dir() and any((path / "collections").glob("*.collection.xml"))

    def pack(self, path: Path, *, max_bytes: int) -> bytes:
        book, collection = _book_paths(Path(path))
        coll_data = collection.read_bytes()
        if len(coll_data) > max_bytes:
            raise FileTooLarge(f"{collection.name} is over the limit of {max_bytes:,} bytes",
                               hint="raise ADAPT_MAX_FILE_BYTES")
        markup.safe_xml_check(coll_data, collection.name)
        root = markup.parse_xml(decode_utf8(coll_data, collection.name))
        names = [f"collections/{collection.name}"]
        for extra in ("META-INF/books.xml", "LICENSE", "LICENSE.txt"):
            if (book / extra).is_file():
                names.append(extra)
        missing, media = [], []
        for module_id in collection_modules(root):
            rel = f"modules/{module_id}/index.cnxml"
            if (book / rel).is_file():
                names.append(rel)
                for m in _MEDIA_RE.finditer((book / rel).read_text("utf-8", errors="replace")):
                    if (book / m.group(1)).is_file() and m.group(1) not in media:
                        media.append(m.group(1))
            else:
                missing.append(module_id)
        members = zipsafe.folder_members(book, max_bytes=max_bytes, names=names + media)
        index = {"collection": f"collections/{collection.name}", "missing_modules": missing, "book": book.name}
        return zipsafe.pack([(BOOK_INDEX, json.dumps(index, sort_keys=True).encode()), *members])

    def read(self, path: Path, data: bytes) -> Document:
        zf = zipsafe.open_zip(data, path.name)
        if BOOK_INDEX not in zf.namelist():
            raise UnreadableFile(f"{path.name} is not a packed CNXML book",
                                 hint="import the book folder or collection file")
        index = json.loads(zipsafe.read_member(zf, BOOK_INDEX, path.name))
        coll_name = index["collection"]
        coll = parse_file(coll_name, zipsafe.read_member(zf, coll_name, path.name), "collection")
        files = [coll]
        module_meta: dict[str, Any] = {}
        for name in zf.namelist():
            if name.startswith("modules/") and name.endswith("/index.cnxml"):
                module_id = name.split("/")[1]
                parsed = parse_file(name, zipsafe.read_member(zf, name, path.name), module_id)
                files.append(parsed)
                module_meta[module_id] = module_metadata(parsed.root).get("title")
        meta = collection_metadata(coll.root)
        meta["book"] = book_dict(meta)
        meta["modules"] = [m for m in collection_modules(coll.root) if m in module_meta]
        if index.get("missing_modules"):
            meta["missing_modules"] = index["missing_modules"]
        segments = [s for f in files for s in f.segments]
        name = Path(coll_name).name
        doc = Document(self.name, name, coll.text, segments, meta)
        doc.extra["files"] = files
        doc.extra["data"] = data
        return doc

    def render(self, doc: Document, plan: RenderPlan) -> bytes:
        data: bytes = doc.extra["data"]
        if plan.is_identity and not plan.unreviewed:
            return data
        zf = zipsafe.open_zip(data, doc.source_name)
        files = {f.name: f for f in doc.extra["files"]}
        by_file: dict[str, list[Segment]] = {}
        for seg in doc.segments:
            by_file.setdefault(seg.context.get("file", ""), []).append(seg)
        notes = notes_for(plan)
        members = []
        for name in zf.namelist():
            parsed = files.get(name)
            if parsed is None:
                members.append((name, zipsafe.read_member(zf, name, doc.source_name)))
                continue
            members.append((name, render_file(parsed, by_file.get(name, []), plan, notes).encode("utf-8")))
        return zipsafe.pack(members)


def _leading_blanks(text: str) -> str:
    return text[: len(text) - len(text.lstrip(" \t"))]
