"""Find the licence of a Document, and of the elements inside it that carry their own.

The format readers put what the source states into `Document.metadata` (`license_url`, `license_text`,
`license`, `rights`, and `book` for a module that inherits a book's metadata) and, per segment, into
`Segment.context` (`license_url`, `license_urls`, `license`, `credit`). A reader never puts an element's
own licence (an HTML figure's rel="license" credit) into the document's metadata. Detection reads those first, then
the source's own licence markup where a reader left it in the text (HTML `rel="license"` and CC badges, `<meta>`
rights, LRMI / JSON-LD `license`, CNXML `md:license`, IMS CC `<rights>`), then a licence named in the
text. It stops at the first place that names a licence for certain; when the text names several
different ones it does not pick: the licence stays unknown and the candidates are reported.
"""

from __future__ import annotations

import bisect
import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from adapt.document import Document, Segment
from adapt.licenses.model import UNKNOWN, License, find_mentions, parse_license
from adapt.licenses.policy import compatible_for_remix

# Kinds of segment that describe an element (an image, a table, a video) rather than the resource:
# a licence named there is the element's, not the resource's.
ELEMENT_KINDS = frozenset({"caption", "figcaption", "credit", "attribution", "figure", "media", "image", "alt",
                           "alt_text"})
# "(credit: Jane Doe, CC BY-SA 2.0)" inside a paragraph: the licence named there is the image's.
_CREDIT_RE = re.compile(r"\((?:image\s+|photo\s+)?credits?\b[^()]{0,1000}\)", re.I)

# Tag patterns stop at the next "<" so that hostile input ("<a <a <a ...") costs linear time.
_TAG_RE = re.compile(r"<(?:a|link|area)\b[^<>]*>", re.I)
_META_RE = re.compile(r"<meta\b[^<>]*>", re.I)
_ATTR_RE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_MD_LICENSE_RE = re.compile(r"<(?:\w+:)?license\b[^<>]*?\burl\s*=\s*[\"']([^\"'<>]+)[\"']", re.I)
_JSONLD_OPEN_RE = re.compile(r"<script\b[^<>]*type\s*=\s*[\"']application/ld\+json[\"'][^<>]*>", re.I)
_RIGHTS_OPEN_RE = re.compile(r"<(?:\w+:)?rights\b[^<>]*>", re.I)
_RIGHTS_CLOSE_RE = re.compile(r"</(?:\w+:)?rights\s*>", re.I)
_IMG_RE = re.compile(r"<img\b[^<>]*>", re.I)
_MAX_BLOCKS = 20  # JSON-LD scripts or rights blocks looked at per document
_MAX_BLOCK = 200_000  # characters of one JSON-LD script or rights block
_META_NAMES = {"dc.rights", "dcterms.license", "dc.license", "dcterms.rights", "license", "copyright", "rights"}
_MAX_MARKUP_SCAN = 20_000_000  # characters; beyond this a file is data, not a page with a licence link


@dataclass(frozen=True)
class Detection:
    """The licence a resource states and where it was found; `license` is UNKNOWN when it states none
    (or states several that disagree: `candidates` then lists them)."""

    license: License
    source: str  # metadata:license_url, book:license_url, markup:rel-license, jsonld, text, none, conflict...
    raw: str | None = None  # exactly what the source said
    candidates: tuple[License, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"license": self.license.id, "source": self.source, "raw": self.raw,
                "candidates": [c.id for c in self.candidates]}

    def describe(self) -> str:
        if self.license.known:
            return f"{self.license.short}, from {SOURCE_WORDS.get(self.source.split(':')[0], self.source)}"
        if self.candidates:
            return ("unknown: the text names several licences (" + ", ".join(c.short for c in self.candidates)
                    + ")")
        return "unknown: the source states no licence OER Adapt recognises" + (f" ({self.raw!r})" if self.raw else "")


SOURCE_WORDS = {
    "metadata": "the file's metadata", "book": "the book's collection file", "markup": "the licence link in the markup",
    "jsonld": "the JSON-LD metadata", "rights": "the rights statement", "text": "a statement in the text",
    "user": "the licence set by the user",
}


@dataclass(frozen=True)
class ElementLicense:
    """An element (figure, caption, credited image...) with a licence or credit of its own."""

    key: str
    license: License | None  # None: credited, but under the resource's licence
    raw: str | None
    credit: str | None
    adaptable: bool
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"segment": self.key, "license": self.license.id if self.license else None, "raw": self.raw,
                "credit": self.credit, "adaptable": self.adaptable, "reason": self.reason}


def detect_license(doc: Document) -> Detection:
    """The licence `doc` states, or UNKNOWN with the reason. Never a guess."""
    meta = doc.metadata if isinstance(doc.metadata, Mapping) else {}
    text = doc.text if isinstance(doc.text, str) else ""
    unparsed: str | None = None
    for source, value in _metadata_values(meta):
        found = parse_statement(value)
        if found.known:
            return Detection(found, source, value)
        unparsed = unparsed or value
    for source, value in _markup_values(text[:_MAX_MARKUP_SCAN]):
        found = parse_statement(value)
        if found.known:
            return Detection(found, source, value)
        unparsed = unparsed or value
    mentions = _text_mentions(doc)
    distinct = _distinct(m.license for m in mentions)
    if len(distinct) == 1:
        return Detection(distinct[0], "text", mentions[0].raw)
    if len(distinct) > 1:
        return Detection(UNKNOWN, "conflict", "; ".join(m.raw for m in mentions[:6]), tuple(distinct))
    return Detection(UNKNOWN, "none", unparsed)


def parse_statement(value: str) -> License:
    """A licence from a field meant to hold one (a rights statement, a licence text): an id, URL or name,
    or a sentence that names exactly one licence ("© 2021 X. All rights reserved.")."""
    found = parse_license(value)
    if found.known:
        return found
    named = _distinct(m.license for m in find_mentions(value[:20_000]))
    return named[0] if len(named) == 1 else UNKNOWN


def _metadata_values(meta: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    book = meta.get("book")
    for key in ("license_url", "license", "license_text", "rights"):
        value = _as_text(meta.get(key))
        if value:
            # A module's reader copies its book's licence down: say the book states it when they agree.
            inherited = isinstance(book, Mapping) and _as_text(book.get(key)) == value
            yield f"{'book' if inherited else 'metadata'}:{key}", value
    if isinstance(book, Mapping):
        for key in ("license_url", "license", "license_text"):
            value = _as_text(book.get(key))
            if value:
                yield f"book:{key}", value
    # Free-text properties (DOCX core "comments", a manifest's description): used only when they name
    # exactly one licence (parse_statement), after every field meant for the licence.
    for key in ("comments", "description", "keywords"):
        value = _as_text(meta.get(key))
        if value:
            yield f"metadata:{key}", value


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, Mapping):  # JSON-LD style {"@id": url} or {"url": url}
        for key in ("@id", "url", "id", "name"):
            if isinstance(value.get(key), str):
                return value[key].strip() or None
    if isinstance(value, (list, tuple)) and value:
        return _as_text(value[0])
    return None


def _attrs(tag: str) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(next(g for g in m.groups()[1:] if g is not None))
            for m in _ATTR_RE.finditer(tag)}


def _markup_values(text: str) -> Iterable[tuple[str, str]]:
    """Licence statements in the source's own markup, most explicit first."""
    if "<" not in text and '"license"' not in text:
        return
    _, outside = _rel_license_links(text)
    for href in outside:
        yield "markup:rel-license", href
    for match in _MD_LICENSE_RE.finditer(text):
        yield "markup:md-license", match.group(1)
    for block in _blocks(text, _JSONLD_OPEN_RE, re.compile(r"</script\s*>", re.I)):
        for value in _jsonld_licenses(block):
            yield "jsonld:license", value
    for tag in _META_RE.findall(text):
        attrs = _attrs(tag)
        if (attrs.get("name") or attrs.get("property") or "").lower() in _META_NAMES and attrs.get("content"):
            yield "markup:meta", attrs["content"]
    for block in _blocks(text, _RIGHTS_OPEN_RE, _RIGHTS_CLOSE_RE):
        mentions = find_mentions(html.unescape(re.sub(r"<[^<>]*>", " ", block)))
        if mentions:
            yield "rights:description", mentions[0].raw
    for tag in _IMG_RE.findall(text):
        src = _attrs(tag).get("src", "")
        if "creativecommons.org" in src or "licensebuttons.net" in src:
            yield "markup:badge", src


def _blocks(text: str, opener: re.Pattern[str], closer: re.Pattern[str]) -> Iterable[str]:
    """The contents of the first few <opener>...</closer> blocks, each bounded in length."""
    for count, match in enumerate(opener.finditer(text)):
        if count >= _MAX_BLOCKS:
            return
        end = closer.search(text, match.end(), match.end() + _MAX_BLOCK)
        if end is not None:
            yield text[match.end():end.start()]


# A licence link inside a figure, a quote or an aside is that element's own (see adapt.formats.html).
_FIGURE_OPEN_RE = re.compile(r"<(figure|figcaption|blockquote|aside)\b[^<>]*>", re.I)
_FIGURE_CLOSE_RE = {
    name: re.compile(rf"</{name}\s*>", re.I) for name in ("figure", "figcaption", "blockquote", "aside")
}


def _rel_license_links(text: str) -> tuple[list[str], list[str]]:
    """The hrefs of rel="license" links inside figures, quotes and asides (an element's own licence) and
    outside them (the page's)."""
    if "license" not in text:
        return [], []
    figures: list[tuple[int, int]] = []
    for count, match in enumerate(_FIGURE_OPEN_RE.finditer(text)):
        if count >= 10_000:
            break
        end = _FIGURE_CLOSE_RE[match.group(1).lower()].search(text, match.end(), match.end() + _MAX_BLOCK)
        if end is not None:
            figures.append((match.start(), end.end()))
    merged: list[tuple[int, int]] = []
    for first, last in sorted(figures):  # nested components (a figure in an aside): one stretch
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    figures = merged
    starts = [a for a, _ in figures]
    inside: list[str] = []
    outside: list[str] = []
    for match in _TAG_RE.finditer(text):
        attrs = _attrs(match.group(0))
        if "license" in attrs.get("rel", "").lower().split() and attrs.get("href"):
            at = bisect.bisect_right(starts, match.start()) - 1
            within = at >= 0 and match.start() < figures[at][1]
            (inside if within else outside).append(attrs["href"])
    return inside, outside


def _jsonld_licenses(block: str) -> list[str]:
    try:
        data = json.loads(block)
    except (ValueError, RecursionError):
        return []
    found: list[str] = []

    def walk(node: Any, depth: int) -> None:
        if depth > 20 or len(found) > 20:
            return
        if isinstance(node, Mapping):
            for key in ("license", "schema:license", "http://schema.org/license"):
                value = _as_text(node.get(key))
                if value:
                    found.append(value)
            for key, child in node.items():
                if key not in ("isBasedOn", "schema:isBasedOn"):  # the source's source has its own licence
                    walk(child, depth + 1)
        elif isinstance(node, list):
            for child in node[:1000]:
                walk(child, depth + 1)

    walk(data, 0)
    return found


def _segment_text(seg: Segment) -> str:
    """The segment's text with its markup restored: URLs and link targets are licence evidence too."""
    return seg.restore(seg.text)


def _is_element(seg: Segment) -> bool:
    ctx = seg.context if isinstance(seg.context, Mapping) else {}
    return seg.kind in ELEMENT_KINDS or bool(ctx.get("license_url") or ctx.get("license") or ctx.get("credit"))


def _text_mentions(doc: Document):
    mentions = []
    for seg in doc.segments:
        if _is_element(seg):
            continue  # an image's caption or credit names the image's licence, not the resource's
        mentions.extend(find_mentions(_CREDIT_RE.sub(" ", _segment_text(seg))))
    return mentions


def _credit_text(seg: Segment) -> str:
    """Where an element's own licence may be named: a caption's whole text, else its "(credit: ...)" parts."""
    text = _segment_text(seg)
    if seg.kind in ELEMENT_KINDS:
        return text
    return " ".join(m.group(0) for m in _CREDIT_RE.finditer(text))


def _distinct(licenses: Iterable[License]) -> list[License]:
    out: list[License] = []
    for lic in licenses:
        if lic not in out:
            out.append(lic)
    return out


def detect_element_licenses(doc: Document, resource_license: License) -> list[ElementLicense]:
    """Elements whose format gives them a licence or credit of their own, and whether they may be adapted.

    The format says so through `Segment.context` (`license_url`, `license`, `credit`); a caption or
    credit line that names a licence in its text counts too. An element may be adapted only when its
    licence allows adaptation and combines with the resource's (e.g. not BY-SA inside a BY-NC book).
    """
    out: list[ElementLicense] = []
    for seg in doc.segments:
        ctx = seg.context if isinstance(seg.context, Mapping) else {}
        raw = _as_text(ctx.get("license_url")) or _as_text(ctx.get("license"))
        credit = _as_text(ctx.get("credit"))
        many = [u for u in ctx.get("license_urls") or () if isinstance(u, str)][:20]
        if raw and len(many) > 1:  # one element under several licences (two credited photos in a figure)
            decisions = [decide_element(seg.key, parse_license(u), u, credit, resource_license) for u in many]
            out.append(next((d for d in decisions if not d.adaptable), decisions[0]))
            continue
        if raw:
            out.append(decide_element(seg.key, parse_license(raw), raw, credit, resource_license))
            continue
        scan = _credit_text(seg)
        found = _distinct(m.license for m in find_mentions(scan)) if scan else []
        if not found:
            if credit:
                out.append(decide_element(seg.key, None, None, credit, resource_license))
            continue
        # Several credited parts (a, b) may each name a licence: the element goes only as far as all allow.
        decisions = [decide_element(seg.key, lic, lic.short, credit, resource_license) for lic in found]
        chosen = next((d for d in decisions if not d.adaptable), decisions[0])
        named = ", ".join(lic.short for lic in found)
        out.append(ElementLicense(seg.key, chosen.license, named, credit, chosen.adaptable, chosen.reason))
    return out


def decide_element(
    key: str, lic: License | None, raw: str | None, credit: str | None, resource: License
) -> ElementLicense:
    if lic is None:
        return ElementLicense(key, None, None, credit, True,
                              "credited, with no licence of its own: the resource's licence applies")
    if lic == resource:
        return ElementLicense(key, lic, raw, credit, True, f"its own licence is the resource's ({lic.short})")
    if not lic.known:
        return ElementLicense(key, lic, raw, credit, False,
                              f"it states its own licence ({raw}) and OER Adapt cannot tell what that allows: kept as "
                              "in the source")
    if not lic.allows_adaptation:
        return ElementLicense(key, lic, raw, credit, False,
                              f"its own licence ({lic.short}) does not allow adaptation: kept as in the source")
    if resource.known and not compatible_for_remix(resource.id, lic.id):
        return ElementLicense(key, lic, raw, credit, False,
                              f"its own licence ({lic.short}) cannot be combined with the resource's "
                              f"({resource.short}) in one adaptation: kept as in the source")
    return ElementLicense(key, lic, raw, credit, True, f"its own licence ({lic.short}) allows adaptation")
