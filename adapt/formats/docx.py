"""DOCX (Office Open XML word processing) through python-docx and its lxml tree.

Every paragraph of the body, of table cells (nested tables too), content controls, headers and
footers is a segment. Inside a paragraph, the formatting most of its text has is the base; runs with
other formatting (bold, italic, superscript, a character style...) become pair placeholders around
their text and hyperlinks become `link` pairs, so a translation keeps each run's formatting. Tabs,
breaks, images, fields and footnote references are atoms; an inline picture's description
(`wp:docPr/@descr`, its alt text) is a segment of its own, `<paragraph key>@img1`. Rendering rebuilds only the replaced
paragraphs' runs and saves the package; an identity round trip returns the file's own bytes.
"""

from __future__ import annotations

import copy
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from adapt.document import PLACEHOLDER_RE, Document, Segment
from adapt.errors import UnreadableFile
from adapt.formats import docx_props, markup, zipsafe
from adapt.formats.base import UNREVIEWED_MARK, UNREVIEWED_NOTICE, RenderPlan
from adapt.limits import check as check_limit
from adapt.limits import current as current_limits
from adapt.segmenting import PlaceholderBuilder

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_ATOM_TAGS = {w("tab"): "tab", w("br"): "break", w("cr"): "break", w("drawing"): "image", w("pict"): "image",
              w("object"): "object", w("sym"): "symbol", w("footnoteReference"): "footnote",
              w("endnoteReference"): "endnote", w("fldChar"): "field", w("instrText"): "field",
              w("noBreakHyphen"): "hyphen", w("softHyphen"): "hyphen", w("ptab"): "tab"}
_IGNORED_IN_RUN = {w("rPr"), w("lastRenderedPageBreak")}
_NOISE = {w("lang"), w("noProof"), w("spellingErr"), w("rtl")}


@dataclass
class ParaInfo:
    """What render needs to rebuild one paragraph: its element, base formatting, and placeholder sources."""

    element: Any
    base_rpr: Any | None
    pairs: dict[int, tuple[str, Any, Any]] = field(default_factory=dict)  # n -> (format|link, rPr|hyperlink, base)
    atoms: dict[int, Any] = field(default_factory=dict)  # n -> the element to copy back
    keep: list[Any] = field(default_factory=list)  # bookmarks and the like, kept at the paragraph's start


def _signature(rpr: Any) -> str:
    if rpr is None:
        return ""
    from lxml import etree

    clone = copy.deepcopy(rpr)
    for child in list(clone):
        if child.tag in _NOISE:
            clone.remove(child)
    return etree.tostring(clone, method="c14n").decode() if len(clone) else ""


def _role(rpr: Any) -> str:
    if rpr is None:
        return "format"
    tags = {child.tag for child in rpr}
    va = rpr.find(w("vertAlign"))
    if va is not None and va.get(w("val")) in ("superscript", "subscript"):
        return "sup" if va.get(w("val")) == "superscript" else "sub"
    if w("b") in tags:
        return "strong"
    if w("i") in tags:
        return "emphasis"
    if w("rStyle") in tags:
        return "style"
    return "format"


def _runs_of(container: Any) -> list[Any]:
    """Runs and hyperlinks of a paragraph (or a hyperlink), looking through inserts and smart tags
    (an explicit stack of child iterators: no recursion as deep as the XML)."""
    out = []
    stack = [iter(container)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag in (w("r"), w("hyperlink")):
            out.append(child)
        elif child.tag in (w("ins"), w("smartTag"), w("customXml"), w("fldSimple")):
            stack.append(iter(child))
        elif child.tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                stack.append(iter(content))
    return out


def _text_pieces(run: Any) -> list[tuple[str, Any]]:
    pieces: list[tuple[str, Any]] = []
    for child in run:
        if child.tag in _IGNORED_IN_RUN:
            continue
        if child.tag == w("t"):
            pieces.append(("text", child.text or ""))
        else:
            pieces.append(("atom", child))
    return pieces


def _base_rpr(runs: list[Any]) -> Any | None:
    weights: Counter[str] = Counter()
    first: dict[str, Any] = {}
    for run in runs:
        if run.tag != w("r"):
            continue
        rpr = run.find(w("rPr"))
        sig = _signature(rpr)
        weights[sig] += sum(len(t.text or "") for t in run.findall(w("t")))
        first.setdefault(sig, rpr)
    if not weights:
        return None
    return first[weights.most_common(1)[0][0]]


def segment_paragraph(p: Any, max_inline: int | None = None, where: str = "paragraph"
                      ) -> tuple[PlaceholderBuilder, ParaInfo]:
    """The paragraph's text with placeholders; past `max_inline` placeholders it stops (LimitExceeded)."""
    runs = _runs_of(p)
    base = _base_rpr(runs)
    base_sig = _signature(base)
    info = ParaInfo(p, base)
    builder = PlaceholderBuilder()
    info.keep = [c for c in p if c.tag in (w("bookmarkStart"), w("bookmarkEnd"))]

    # An explicit stack of frames, one per open hyperlink (links nest in hostile files): no recursion
    # as deep as the input. A frame: [its items, the run properties it is written in, its open
    # formatting pair (number, signature) or None, the number of its link pair or None].
    frames: list[list[Any]] = [[iter(runs), base_sig, None, None]]
    while frames:
        frame = frames[-1]
        items, outer_sig, open_pair, _ = frame
        item = next(items, None)
        if item is None:
            if open_pair:
                builder.close_pair(open_pair[0], "")
            frames.pop()
            if frame[3] is not None:
                builder.close_pair(frame[3], "")
            continue
        if item.tag == w("hyperlink"):
            if open_pair:
                builder.close_pair(open_pair[0], "")
                frame[2] = None
            inner = _runs_of(item)
            if any((t.text or "").strip() for t in item.iter(w("t"))):
                number = builder.open_pair("link", item.get(f"{{{R_NS}}}id") or item.get(w("anchor")) or "")
                inner_base = _base_rpr(inner)
                info.pairs[number] = ("link", item, inner_base)
                frames.append([iter(inner), _signature(inner_base), None, number])
            else:
                number = builder.atom("link", "")
                info.atoms[number] = item
            continue
        if max_inline is not None and builder.size > max_inline:  # stop here, not after 100,000 runs
            check_limit("max_inline", builder.size, where)
        rpr = item.find(w("rPr"))
        sig = _signature(rpr)
        for kind, value in _text_pieces(item):
            if kind == "atom":
                number = builder.atom(_ATOM_TAGS.get(value.tag, "markup"), "")
                info.atoms[number] = (value, rpr)
                continue
            if not value:
                continue
            if sig != outer_sig:
                if open_pair is None or open_pair[1] != sig:
                    if open_pair:
                        builder.close_pair(open_pair[0], "")
                    number = builder.open_pair(_role(rpr), "")
                    info.pairs[number] = ("format", rpr, None)
                    open_pair = (number, sig)
            elif open_pair:
                builder.close_pair(open_pair[0], "")
                open_pair = None
            builder.text_run(value)
        frame[2] = open_pair
    return builder, info


def _blocks(container: Any, path: str) -> Any:
    """(path, paragraph element) for every paragraph under a body, cell, header or footer, in order.
    Iterative (a stack of open containers), so nested tables and content controls cost no recursion."""
    frames: list[tuple[Any, str, Counter[str]]] = [(iter(container), path, Counter())]
    while frames:
        children, here, counts = frames[-1]
        child = next(children, None)
        if child is None:
            frames.pop()
        elif child.tag == w("p"):
            counts["p"] += 1
            yield f"{here}/p[{counts['p']}]", child
        elif child.tag == w("tbl"):
            counts["tbl"] += 1
            tpath = f"{here}/tbl[{counts['tbl']}]"
            cells = [(cell, f"{tpath}/r{r}c{c}") for r, row in enumerate(child.findall(w("tr")), 1)
                     for c, cell in enumerate(row.findall(w("tc")), 1)]
            # Cells are walked in order: push them last first, each its own frame.
            frames.extend((iter(cell), cpath, Counter()) for cell, cpath in reversed(cells))
        elif child.tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                counts["sdt"] += 1
                frames.append((iter(content), f"{here}/sdt[{counts['sdt']}]", Counter()))


# Paragraphs that `_blocks` yields (under a body, cell, content control, header or footer) and whose own
# runs hold text: each is a segment, so their count is a lower bound on the segments of a part.
_TEXT_PARAGRAPHS = etree.XPath(
    "count(.//w:p[w:r/w:t[normalize-space()]]"
    "[parent::w:body or parent::w:tc or parent::w:sdtContent or parent::w:hdr or parent::w:ftr])",
    namespaces={"w": W})


def _kind(p: Any, path: str) -> tuple[str, dict[str, Any]]:
    ppr = p.find(w("pPr"))
    style = ""
    if ppr is not None:
        ps = ppr.find(w("pStyle"))
        style = ps.get(w("val")) if ps is not None else ""
        if ppr.find(w("numPr")) is not None:
            return "list_item", {"style": style}
    lowered = style.lower()
    if lowered.startswith("list"):
        return "list_item", {"style": style}
    if lowered.startswith("heading") or lowered == "title":
        return ("title" if lowered == "title" else "heading"), {"style": style}
    if "/tbl[" in path:
        return "table_cell", {"style": style}
    if path.startswith(("header", "footer")):
        return path.split("/")[0].rstrip("0123456789"), {"style": style}
    return "paragraph", {"style": style}


def _parts(document: Any) -> list[tuple[str, Any]]:
    """(name, root element) for the body, then each distinct header and footer part."""
    parts = [("body", document.element.body)]
    seen = set()
    for section in document.sections:
        for attr in ("header", "first_page_header", "even_page_header", "footer", "first_page_footer",
                     "even_page_footer"):
            try:
                hf = getattr(section, attr)
                if hf.is_linked_to_previous:
                    continue
                part = hf.part
            except Exception:  # noqa: BLE001 - a missing or odd header part: nothing to adapt there
                continue
            name = Path(str(part.partname)).stem
            if name in seen:
                continue
            seen.add(name)
            parts.append((name, part.element))
    return parts


def _looks_like(data: bytes) -> str:
    """What a file that is not a zip seems to be, in a teacher's words (for the message)."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "it looks like a PDF"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "it looks like an old Word 97-2003 document (.doc)"
    if head.lstrip().lower().startswith((b"<html", b"<!doc", b"<?xml")):
        return "it looks like a web page or XML file"
    try:
        data[:2000].decode("utf-8")
        return "it looks like plain text"
    except UnicodeDecodeError:
        return "it is some other kind of file"


def open_docx(data: bytes, name: str) -> Any:
    if not data.startswith(b"PK"):  # every .docx is a zip package: say so in plain words (issue 14, defect 13)
        raise UnreadableFile(f"{name} is not a Word document: {_looks_like(data)}, and it is not a zip "
                             "package as every .docx file is",
                             hint="open it in your word processor and save it as a Word document (.docx), "
                                  "or upload it with its own extension (.txt, .md, .html)")
    zf = zipsafe.open_zip(data, name)
    names = zf.namelist()
    if "word/document.xml" not in names:
        raise UnreadableFile(f"{name} is a zip but not a Word document (no word/document.xml)",
                             hint="save it as .docx from your word processor")
    for member in names:
        if member.startswith("docProps/") and member.endswith(".xml"):  # read for the licence: same checks
            docx_props.check_part_size(member, zf.getinfo(member).file_size, name)
            markup.safe_xml_check(zipsafe.read_member(zf, member, name), f"{name}:{member}")
        elif member.startswith("word/") and member.endswith(".xml") or member == "[Content_Types].xml":
            markup.safe_xml_check(zipsafe.read_member(zf, member, name), f"{name}:{member}")
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a broken package
        raise UnreadableFile(f"{name} is not a readable DOCX ({type(exc).__name__}: {exc})",
                             hint="open and re-save it in a word processor") from None


class DocxFormat:
    name = "docx"
    extensions = (".docx",)
    canonical_form = "docx-xml-c14n"  # identity: the same bytes; edited: each part's XML compared by C14N

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() == ".docx"

    def read(self, path: Path, data: bytes) -> Document:
        document = open_docx(data, path.name)
        segments: list[Segment] = []
        infos: dict[str, ParaInfo] = {}
        max_segments, max_inline = current_limits().max_segments, current_limits().max_inline
        parts = _parts(document)
        # Counted in C before any paragraph is segmented: a body of 120,000 paragraphs stops here.
        check_limit("max_segments", sum(int(_TEXT_PARAGRAPHS(root)) for _, root in parts), path.name)
        for part_name, root in parts:
            for seg_path, p in _blocks(root, part_name):
                builder, info = segment_paragraph(p, max_inline, f"{path.name} segment {seg_path}")
                if not builder.text.strip():
                    continue
                kind, context = _kind(p, seg_path)
                context["element"] = "w:p"
                context["part"] = part_name
                segments.append(Segment(key=seg_path, kind=kind, text=builder.text, placeholders=builder.placeholders,
                                        translatable=builder.has_words(), context=context))
                infos[seg_path] = info
                segments += _alt_segments(seg_path, part_name, builder, info)
                if len(segments) > max_segments:  # stop here, not after segmenting the rest
                    check_limit("max_segments", len(segments), path.name)
        core = document.core_properties
        meta: dict[str, Any] = {"title": core.title or next((s.plain_text() for s in segments if s.kind in
                                                                ("title", "heading")), path.stem)}
        if core.language:
            meta["language"] = core.language
        if core.author:
            meta["authors"] = [a.strip() for a in core.author.split(";") if a.strip()]
        if core.subject:
            meta["subject"] = core.subject
        meta.update(docx_props.read_properties(document))  # the licence it states, if any
        doc = Document(self.name, path.name, "", segments, meta)
        doc.extra.update(data=data, docx=document, infos=infos)
        return doc

    def render(self, doc: Document, plan: RenderPlan) -> bytes:
        data: bytes = doc.extra["data"]
        if plan.is_identity and not plan.unreviewed:
            return data
        document = open_docx(data, doc.source_name)  # a fresh tree: rendering never changes the parsed doc
        fresh = {path: p for part, root in _parts(document) for path, p in _blocks(root, part)}
        infos: dict[str, ParaInfo] = {}
        # Alt text first: a rebuilt paragraph copies its pictures, descriptions included.
        for seg in doc.segments:
            if seg.kind == "alt_text" and seg.key in plan.replacements:
                _write_alt(seg, plan.replacements[seg.key], fresh, unreviewed=seg.key in plan.unreviewed)
        for path, p in fresh.items():
            if path in plan.replacements:
                infos[path] = segment_paragraph(p)[1]
        sources = {seg.key: seg.text for seg in doc.segments}
        for key, new in plan.replacements.items():
            info = infos.get(key)
            if info is not None:
                _rebuild(info, new, unreviewed=key in plan.unreviewed, source_text=sources.get(key, ""))
        notes = ([plan.unreviewed_notice or UNREVIEWED_NOTICE] if plan.unreviewed else []) + list(plan.notices)
        core = document.core_properties
        if plan.target_language:
            core.language = plan.target_language
        if plan.metadata:
            docx_props.write_license_properties(document, plan.metadata)
        line = docx_props.license_line(plan.metadata) if plan.metadata else None
        if notes or line:
            # Core properties hold at most 255 characters: the licence first; the body has everything.
            comments = "\n".join(([line] if line else []) + notes)
            core.comments = comments if len(comments) <= 255 else comments[:254] + "…"
        if notes:
            body = document.element.body
            first = next(iter(body), None)
            para = _notice_paragraph(notes)
            if first is not None:
                first.addprevious(para)
            else:
                body.append(para)
        title = plan.metadata.get("title") if plan.metadata else None
        if isinstance(title, str):
            core.title = title
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def _doc_pr(info: ParaInfo, number: int) -> Any | None:
    """The picture's non-visual properties (`wp:docPr`, where its description lives) of atom `number`."""
    atom = info.atoms.get(number)
    if not isinstance(atom, tuple) or atom[0].tag != w("drawing"):
        return None
    return atom[0].find(f".//{{{WP}}}docPr")


def _alt_segments(path: str, part: str, builder: PlaceholderBuilder, info: ParaInfo) -> list[Segment]:
    """A segment for each inline picture's description (its alt text) in the paragraph at `path`."""
    from adapt.formats.nested import NESTED, nested_context
    from adapt.segmenting import has_words, segment_text

    out: list[Segment] = []
    pictures = [ph.number for ph in builder.placeholders if ph.kind == "atom" and ph.role == "image"]
    for index, number in enumerate(pictures, 1):
        doc_pr = _doc_pr(info, number)
        descr = doc_pr.get("descr", "") if doc_pr is not None else ""
        if not descr.strip():
            continue
        text, phs = segment_text(descr, protect_tex=False)
        out.append(Segment(key=f"{path}@img{index}", kind="alt_text", text=text, placeholders=phs,
                           translatable=has_words(text),
                           context={"element": "wp:docPr", "attribute": "descr", "part": part,
                                    NESTED: nested_context(path, number, 0, 0)}))
    return out


def _write_alt(seg: Segment, new: str, fresh: dict[str, Any], *, unreviewed: bool) -> None:
    where = seg.context.get("nested") or {}
    p = fresh.get(str(where.get("parent")))
    if p is None:
        return
    doc_pr = _doc_pr(segment_paragraph(p)[1], int(where.get("placeholder", 0)))
    if doc_pr is None:
        return
    value = markup.xml_chars(seg.restore(new))
    doc_pr.set("descr", UNREVIEWED_MARK + value if unreviewed else value)


def _make_run(text: str | None, rpr: Any | None, atom: Any | None = None) -> Any:
    from lxml import etree

    run = etree.Element(w("r"))
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    if atom is not None:
        run.append(copy.deepcopy(atom))
    if text:
        t = etree.SubElement(run, w("t"))
        t.text = text = markup.xml_chars(text)
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _rebuild(info: ParaInfo, text: str, *, unreviewed: bool, source_text: str = "") -> None:
    from lxml import etree

    from adapt.empty_markup import drop_empty_pairs

    text = drop_empty_pairs(text, source_text, set(info.pairs))  # no empty hyperlink or run for a lost pair

    p = info.element
    for child in list(p):
        if child.tag != w("pPr"):
            p.remove(child)
    for kept in info.keep:
        p.append(kept)
    if unreviewed:
        mark = _make_run(UNREVIEWED_MARK, info.base_rpr)
        rpr = mark.find(w("rPr"))
        if rpr is None:
            rpr = etree.Element(w("rPr"))
            mark.insert(0, rpr)
        highlight = etree.SubElement(rpr, w("highlight"))
        highlight.set(w("val"), "yellow")
        p.append(mark)
    targets = [p]  # where runs go: the paragraph, or an open hyperlink
    formats: list[tuple[int, Any]] = []
    links: list[tuple[int, Any]] = []

    def put(run: Any) -> None:
        targets[-1].append(run)

    def current_rpr() -> Any | None:
        return formats[-1][1] if formats else (links[-1][1] if links else info.base_rpr)

    last = 0
    for match in PLACEHOLDER_RE.finditer(text):
        plain = text[last : match.start()]
        closing, number = match.group(1) == "/", int(match.group(2))
        known = number in info.pairs or number in info.atoms
        if not known:
            continue
        if plain:
            put(_make_run(plain, current_rpr()))
        last = match.end()
        if number in info.atoms:
            atom = info.atoms[number]
            if isinstance(atom, tuple):
                put(_make_run(None, atom[1], atom[0]))
            else:
                put(copy.deepcopy(atom))
            continue
        kind, source, link_base = info.pairs[number]
        if kind == "format":
            if closing:
                formats[:] = [f for f in formats if f[0] != number]
            else:
                formats.append((number, source))
        else:
            if closing:
                if links and links[-1][0] == number and len(targets) > 1:
                    links.pop()
                    targets.pop()
            else:
                link = etree.Element(source.tag, attrib=dict(source.attrib))
                targets[-1].append(link)
                targets.append(link)
                links.append((number, link_base))
    if text[last:]:
        put(_make_run(text[last:], current_rpr()))


def _notice_paragraph(notes: list[str]) -> Any:
    from lxml import etree

    p = etree.Element(w("p"))
    for i, note in enumerate(notes):
        run = _make_run(("" if i == 0 else " ") + note, None)
        rpr = etree.Element(w("rPr"))
        etree.SubElement(rpr, w("b"))
        etree.SubElement(rpr, w("highlight")).set(w("val"), "yellow")
        run.insert(0, rpr)
        p.append(run)
    return p


def canonical(data: bytes) -> bytes:
    """How two DOCX files compare: each XML part by C14N 2.0, other parts by their bytes, in name order.

    A zip's own bytes change with compression and timestamps; what a DOCX says does not.
    """
    import hashlib
    from xml.etree.ElementTree import canonicalize

    zf = zipsafe.open_zip(data, "docx")
    out = []
    for name in sorted(zf.namelist()):
        body = zipsafe.read_member(zf, name, "docx")
        if name.endswith((".xml", ".rels")):
            body = canonicalize(xml_data=body.decode("utf-8")).encode("utf-8")
        out.append(name.encode() + b"\0" + hashlib.sha256(body).digest())
    return b"\n".join(out)
