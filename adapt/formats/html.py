"""HTML: a whole page or a fragment.

Block elements (p, h1-h6, li, td, th, dt, dd, figcaption, div with text...) give one segment per run
of inline content; inline elements become placeholders: `a`, `em`, `strong`, `span`, `sup`... are pairs
around translated text, `code`, `kbd`, `img`, `br`, `math`, `svg`, form controls are atoms. Scripts,
styles, templates, `pre` and everything in `<head>` but the title are never touched. The alt text (and
an `img` title) of an image is a segment of its own: `<run key>@img1` for an image inside a run (see
nested.py), `<anchor>@alt` for one outside. Rendering splices
runs into the source, so an unchanged round trip is byte-identical. Export writes HTML as it is; the
review UI sanitizes it where it shows it (nh3), never here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from adapt.document import Document, Segment, splice
from adapt.formats import markup
from adapt.formats.base import (
    UNREVIEWED_MARK,
    UNREVIEWED_NOTICE,
    RenderPlan,
    decode_utf8,
    join_newlines,
    split_newlines,
)
from adapt.formats.markup import Element, Role
from adapt.formats.nested import NESTED, fold_nested, nested_context
from adapt.segmenting import has_words

_PAIRS = frozenset(
    "a abbr b bdi bdo big cite del dfn em font i ins label mark q s small span strike strong sub sup time tt u".split()
)
_ATOMS = frozenset(
    "audio br button canvas code embed iframe img input kbd map math meter noscript object output picture "
    "progress samp script select style svg template textarea var video wbr".split()
)
_NEVER = frozenset("script style template noscript pre textarea svg math select".split())
_HEAD_SKIP = frozenset("meta link base script style noscript template".split())
_TEXT_BLOCKS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li td th dt dd caption figcaption title summary legend blockquote address".split()
)
KINDS = {"p": "paragraph", "li": "list_item", "td": "table_cell", "th": "table_cell", "dt": "term",
         "dd": "definition", "caption": "caption", "figcaption": "caption", "title": "title",
         "blockquote": "quote", **{f"h{i}": "heading" for i in range(1, 7)}}
_ROLES = {"a": "link", "em": "emphasis", "i": "emphasis", "strong": "strong", "b": "strong", "br": "break",
          "img": "image", "code": "code", "kbd": "code", "samp": "code", "math": "math", "svg": "image"}
_ALT_TAGS = frozenset({"img", "area", "input"})


def classify_factory() -> Any:
    return markup.memoized_classifier(_classify)


def _inline_context(el: Element, classify: Any) -> bool:
    parent = el.parent
    if parent is None or parent.name == "#document":
        return False
    if parent.name in _TEXT_BLOCKS or classify(parent) in ("pair", "atom"):
        return True
    return parent.has_direct_text()


def _classify(el: Element, classify: Any) -> Role:
    if markup.ancestor(el, "head") is not None and el.name != "title":
        return "skip"
    if el.name in _HEAD_SKIP and markup.ancestor(el, "body") is None and el.parent is not None \
            and el.parent.name in ("#document", "html", "head"):
        return "skip"
    inline = _inline_context(el, classify)
    if el.name in _PAIRS:
        return "pair" if inline else "block"
    if el.name in _ATOMS:
        return "atom" if inline else "skip"
    if el.name in _NEVER:
        return "skip"
    return "block"


def role_of(el: Element) -> str:
    return _ROLES.get(el.name, el.name)


def segment_html(text: str, root: Element, prefix: str = "", *, file: str | None = None) -> list[Segment]:
    classify = classify_factory()
    segments: list[Segment] = []
    seen: dict[str, int] = {}

    def add(key: str, seg_kwargs: dict[str, Any]) -> str:
        if key in seen:
            seen[key] += 1
            key = f"{key}~{seen[key]}"
        else:
            seen[key] = 1
        segments.append(Segment(key=key, **seg_kwargs))
        return key

    for run in markup.runs(root, text, classify, role_of, protect_tex=True):
        block = run.block
        anchor = _anchor(block)
        context = _context(block, file)
        run_key = add(f"{prefix}{anchor}" + (f"#{run.index}" if run.index > 1 else ""), dict(
            kind=KINDS.get(block.name, block.name if block.name != "#document" else "paragraph"),
            text=run.builder.text, placeholders=run.builder.placeholders, span=(run.start, run.end),
            translatable=run.builder.has_words(), context=context))
        # An image inside the run is an atom of it; its alt text (and title) is a segment of its own.
        for number, el, index in markup.atom_attributes(run, _alt_attributes, opaque=_opaque):
            for attr in _alt_attributes(el):
                value = el.attrs.get(attr, "")
                if attr not in el.attr_spans or not value.strip():
                    continue
                start, end = el.attr_spans[attr]
                at = run.atoms[number].start
                context = _context(el, file)
                context["attribute"] = attr
                if markup.unquoted(text, (start, end)):
                    context["unquoted"] = True
                context[NESTED] = nested_context(run_key, number, start - at, end - at)
                text_, phs = markup.attribute_text(value)
                add(f"{run_key}@{el.name}{index}" + ("" if attr == "alt" else f".{attr}"), dict(
                    kind="alt_text", text=text_, placeholders=phs, span=(start, end),
                    translatable=has_words(text_), context=context))
    # Alternative text (and an image's title) outside runs.
    for el in root.iter():
        for attr in _alt_attributes(el):
            if attr in el.attr_spans and classify(el) == "skip" and len(el.attrs.get(attr, "").split()) >= 2:
                text_, phs = markup.attribute_text(el.attrs[attr])
                context = _context(el, file)
                context["attribute"] = attr
                if markup.unquoted(text, el.attr_spans[attr]):
                    context["unquoted"] = True
                add(f"{prefix}{_anchor(el)}@{attr}", dict(
                    kind="alt_text", text=text_, placeholders=phs, span=el.attr_spans[attr],
                    translatable=True, context=context))
    segments.sort(key=lambda s: s.span[0] if s.span else 0)
    return segments


def _alt_attributes(el: Element) -> tuple[str, ...]:
    return ("alt", "title") if el.name == "img" else ("alt",) if el.name in _ALT_TAGS else ()


def _opaque(el: Element) -> bool:
    # What is never text to read (a script, a template, inline SVG or MathML) holds no alt text to adapt.
    return el.name in _NEVER


def _anchor(el: Element) -> str:
    ident, path = markup.anchor_path(el)
    if ident:
        return f"#{ident}" + (f"/{path}" if path else "")
    return path or "fragment"


def _context(block: Element, file: str | None) -> dict[str, Any]:
    context: dict[str, Any] = {"element": block.name}
    if block.get("id"):
        context["element_id"] = block.attrs["id"]
    figure = block if block.name == "figure" else markup.ancestor(block, "figure")
    if figure is not None and figure.get("id"):
        context["figure_id"] = figure.attrs["id"]
    if block.get("class"):
        context["class"] = block.attrs["class"]
    if file:
        context["file"] = file
    return context


def html_metadata(root: Element) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    by_name: dict[str, Any] = {}
    for el in root.iter():
        if el.name == "title" and "title" not in meta and el.text_content().strip():
            meta["title"] = " ".join(el.text_content().split())
        elif el.name == "html" and el.get("lang"):
            meta["language"] = el.attrs["lang"]
        elif el.name in ("link", "a") and "license" in (el.get("rel") or "").lower().split() and el.get("href"):
            if component_of(el) is None:  # a figure's or a quote's own licence is not the page's
                meta.setdefault("license_url", el.attrs["href"])
        elif el.name == "link" and "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
            meta["source_url"] = el.attrs["href"]
        elif el.name == "meta" and el.get("name") and el.get("content"):
            by_name.setdefault(el.attrs["name"].lower(), []).append(el.attrs["content"])
    if "title" not in meta:
        h1 = next((e for e in root.iter() if e.name == "h1" and e.text_content().strip()), None)
        if h1 is not None:
            meta["title"] = " ".join(h1.text_content().split())
    if by_name.get("author"):
        meta["authors"] = by_name["author"]
    for key in ("dc.rights", "dcterms.license", "license"):
        if by_name.get(key) and "license_url" not in meta:
            value = by_name[key][0]
            meta["license_url" if value.startswith("http") else "license_text"] = value
    if by_name.get("description"):
        meta["description"] = by_name["description"][0]
    components = component_licenses(root)
    if components:  # listed for the licence report; every one of them still marks its segments
        meta["component_licenses"] = [c.to_json() for c in components[:_MAX_COMPONENTS]]
    return meta


# Elements that may carry a licence of their own (a photo and its credit, a quoted passage, a sidebar
# taken from elsewhere): a rel="license" link inside one is that element's licence, not the page's.
COMPONENT_TAGS = frozenset({"figure", "blockquote", "aside"})
_MAX_COMPONENTS = 1000  # listed in the metadata (all of them are applied to their segments)
_MAX_CREDIT = 500  # characters of a component's credit text kept in the metadata


@dataclass(frozen=True)
class ComponentLicense:
    """A licence link inside a figure, quote or aside: the licence of that element only."""

    element: Element  # the figure, blockquote or aside (or a figcaption outside any figure)
    href: str

    def to_json(self) -> dict[str, Any]:
        credit = " ".join(self.element.text_content().split())
        return {"license_url": self.href, "element": self.element.name, "where": _anchor(self.element),
                "credit": credit[:_MAX_CREDIT] + ("…" if len(credit) > _MAX_CREDIT else "")}


def component_of(el: Element) -> Element | None:
    """The nearest figure, blockquote or aside around `el` (a lone figcaption counts as its own)."""
    node = el.parent
    caption: Element | None = None
    while node is not None:
        if node.name in COMPONENT_TAGS:
            return node
        if node.name == "figcaption" and caption is None:
            caption = node
        node = node.parent
    return caption


def component_licenses(root: Element) -> list[ComponentLicense]:
    out: list[ComponentLicense] = []
    for el in root.iter():
        if el.name == "a" and "license" in (el.get("rel") or "").lower().split() and el.get("href"):
            owner = component_of(el)
            if owner is not None:
                out.append(ComponentLicense(owner, el.attrs["href"]))
    return out


def mark_component_segments(segments: list[Segment], components: list[ComponentLicense]) -> None:
    """Give the text inside a licensed figure, quote or aside that element's licence (segment context
    `license_url`, read by licence detection as an element with a licence of its own). Attribute text
    (alt, title) is the page's accessibility text and stays the page's."""
    if not components:
        return
    by_span: dict[tuple[int, int], list[ComponentLicense]] = {}
    for comp in components:
        found = by_span.setdefault((comp.element.start, comp.element.end), [])
        if all(c.href != comp.href for c in found):
            found.append(comp)
    # Elements nest but never overlap: one sweep in document order, with the components open at each
    # point on a stack (innermost on top), costs O(n log n) however many components a hostile page has.
    spans = sorted(by_span.items(), key=lambda item: (item[0][0], -item[0][1]))
    stack: list[tuple[tuple[int, int], list[ComponentLicense]]] = []
    i = 0
    placed = [(s.span, s) for s in segments if s.span is not None and not s.context.get("attribute")
              and not s.context.get("license_url")]
    for span, seg in sorted(placed, key=lambda item: item[0][0]):
        at = span[0]
        while i < len(spans) and spans[i][0][0] <= at:
            while stack and stack[-1][0][1] <= spans[i][0][0]:
                stack.pop()
            stack.append(spans[i])
            i += 1
        while stack and stack[-1][0][1] <= at:
            stack.pop()
        if stack and span[1] <= stack[-1][0][1]:
            comps = stack[-1][1]
            context = cast(dict[str, Any], seg.context)  # a segment's own context, being filled in here
            context["license_url"] = comps[0].href
            if len(comps) > 1:  # two photos in one figure: the element goes only as far as all allow
                context["license_urls"] = [c.href for c in comps]
            context["component"] = comps[0].element.name


_NOTICE_STYLE = "border:2px solid #b26a00;background:#fff4e0;padding:0.5em 1em;margin:0.5em 0"
_MARK_TITLE = "unreviewed machine output"


def notice_html(notes: list[str]) -> str:
    paras = "".join(f"<p>{markup.xml_escape(n)}</p>" for n in notes)
    return f'<div class="adapt-notice" role="note" style="{_NOTICE_STYLE}">{paras}</div>\n'


def render_html(text: str, root: Element, segments: list[Segment], plan: RenderPlan, notes: list[str]) -> str:
    pieces: list[tuple[tuple[int, int], str]] = []
    html_el = next((e for e in root.iter() if e.name == "html"), None)
    if plan.target_language and html_el is not None:
        if "lang" in html_el.attr_spans:
            lang = markup.attr_escape(plan.target_language)
            unquoted = markup.unquoted(text, html_el.attr_spans["lang"])
            pieces.append((html_el.attr_spans["lang"], f'"{lang}"' if unquoted else lang))
        else:
            at = html_el.start + len("<html")
            pieces.append(((at, at), f' lang="{markup.attr_escape(plan.target_language)}"'))
    if notes:
        body = next((e for e in root.iter() if e.name == "body"), None)
        if body is not None:
            at = body.start_end
        else:  # a fragment: before its first element or text
            first = next((c for c in root.children if isinstance(c, Element) or c.value.strip()), None)
            at = first.start if first is not None else 0
        pieces.append(((at, at), notice_html(notes)))
    def restored(seg: Segment, new: str) -> str:
        attribute = seg.context.get("attribute")
        aligned = markup.align_placeholders(new, seg.text, seg.placeholders)
        out = seg.restore(aligned, escape=markup.attr_escape if attribute else markup.xml_escape)
        if seg.key in plan.unreviewed:
            if attribute or seg.kind == "title":
                # Inside an attribute only text can mark it: a screen reader says the sign first.
                out = UNREVIEWED_MARK + out
            else:
                out = f'<mark class="adapt-unreviewed" title="{_MARK_TITLE}">{UNREVIEWED_MARK.strip()}</mark> ' + out
        return markup.quoted_value(seg.context, out) if attribute else out

    for seg in fold_nested(segments, plan, restored):
        new = plan.replacements.get(seg.key)
        if new is None or seg.span is None:
            continue
        pieces.append((seg.span, restored(seg, new)))
    return splice(text, pieces)


def notes_for(plan: RenderPlan) -> list[str]:
    return ([plan.unreviewed_notice or UNREVIEWED_NOTICE] if plan.unreviewed else []) + list(plan.notices)


class HtmlFormat:
    name = "html"
    extensions = (".html", ".htm", ".xhtml")
    canonical_form = "bytes"

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() in self.extensions:
            return True
        start = head.lstrip()[:200].lower()
        return start.startswith((b"<!doctype html", b"<html"))

    def read(self, path: Path, data: bytes) -> Document:
        text, newline = split_newlines(decode_utf8(data, path.name))
        root = markup.parse_html(text)
        segments = segment_html(text, root)
        meta = html_metadata(root)
        meta.setdefault("title", path.stem)
        mark_component_segments(segments, component_licenses(root))
        doc = Document(self.name, path.name, text, segments, meta, newline=newline)
        doc.extra["root"] = root
        return doc

    def render(self, doc: Document, plan: RenderPlan) -> bytes:
        root = doc.extra.get("root") or markup.parse_html(doc.text)
        text = render_html(doc.text, root, doc.segments, plan, notes_for(plan))
        return join_newlines(text, doc.newline).encode("utf-8")


def sanitized_preview(html_text: str) -> str:
    """HTML made safe to show in a browser (the review UI): scripts, handlers and styles removed."""
    import nh3

    return nh3.clean(html_text)


__all__ = ["HtmlFormat", "html_metadata", "render_html", "segment_html", "sanitized_preview"]
