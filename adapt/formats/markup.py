"""Markup trees with source offsets, and the segmenter shared by the XML and HTML formats.

Rendering splices translated runs into the source text, so every node remembers where it came from:
an Element its start tag and end tag spans, a Text its span and decoded value. A *profile* says what
each element is: a block (its direct text forms runs of its own), an inline pair (`<emphasis>`: a
`[N]...[/N]` placeholder around translated text), an atom (`<m:math>`, inline `<code>`: protected as
`[N]`), or skipped (block `<code>`, `<script>`, metadata: never touched).

A *run* is the longest stretch of text and inline elements inside one block, between block children;
each run with words becomes one Segment. Whitespace around a run stays outside its span, so
indentation and line breaks of the source survive every translation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from adapt.limits import InputLimits
from adapt.limits import breach as limit_breach
from adapt.limits import check as check_limit
from adapt.limits import current as current_limits
from adapt.segmenting import PlaceholderBuilder

Role = Literal["block", "pair", "atom", "skip"]


Classify = Callable[["Element"], Role]


def memoized_classifier(classify_one: Callable[[Element, Classify], Role]) -> Classify:
    """A per-document classifier that decides each element's role once (roles depend on ancestors).

    Ancestors are decided first, top down, so that `classify_one` asking for its parent's role finds it
    decided: no recursion as deep as the document (a hostile file nests 100,000 levels)."""
    cache: dict[int, Role] = {}

    def classify(el: Element) -> Role:
        key = id(el)
        if key not in cache:
            chain: list[Element] = []
            node: Element | None = el
            while node is not None and id(node) not in cache:
                chain.append(node)
                node = node.parent
            for node in reversed(chain):
                cache[id(node)] = classify_one(node, classify)
        return cache[key]

    return classify


@dataclass(eq=False)
class Text:
    start: int
    end: int
    value: str  # decoded (entities resolved)
    raw_kind: str = "text"  # text, cdata, comment, pi

    @property
    def is_markup(self) -> bool:
        return self.raw_kind in ("comment", "pi")


@dataclass(eq=False)
class Element:
    name: str  # local name (lower case for HTML)
    ns: str | None
    qname: str  # as written
    attrs: dict[str, str]
    attr_spans: dict[str, tuple[int, int]]  # the value's span (without quotes)
    start: int  # of the start tag
    start_end: int  # end of the start tag
    end_start: int = -1  # start of the end tag (== start_end for an empty element)
    end: int = -1
    children: list[Element | Text] = field(default_factory=list)
    parent: Element | None = None

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def iter(self) -> Iterator[Element]:
        """This element and all below it, in document order (iterative: books are deep and long)."""
        stack: list[Element] = [self]
        while stack:
            el = stack.pop()
            yield el
            stack.extend(reversed([c for c in el.children if isinstance(c, Element)]))

    def find(self, name: str) -> Element | None:
        return next((c for c in self.children if isinstance(c, Element) and c.name == name), None)

    def elements(self, name: str | None = None) -> list[Element]:
        return [c for c in self.children if isinstance(c, Element) and (name is None or c.name == name)]

    def text_content(self) -> str:
        out: list[str] = []
        stack: list[Element | Text] = list(reversed(self.children))  # iterative: any depth
        while stack:
            node = stack.pop()
            if isinstance(node, Text):
                if not node.is_markup:
                    out.append(node.value)
            else:
                stack.extend(reversed(node.children))
        return "".join(out)

    def has_words(self) -> bool:
        """True when any text below has a non-space character. Worked out bottom up once for the whole
        subtree and kept on each element: asking every element of a 100,000-level chain stays linear."""
        known = self.__dict__.get("_words")
        if known is not None:
            return known
        stack: list[tuple[Element, bool]] = [(self, False)]
        while stack:
            el, children_done = stack.pop()
            if children_done:
                el.__dict__["_words"] = any(
                    (not c.is_markup and bool(c.value.strip())) if isinstance(c, Text) else c.__dict__["_words"]
                    for c in el.children)
            elif "_words" not in el.__dict__:
                stack.append((el, True))
                stack.extend((c, False) for c in el.children if isinstance(c, Element))
        return self.__dict__["_words"]

    def has_direct_text(self) -> bool:
        # Asked once per child while classifying: kept, so that 100,000 children cost 100,000, not 100,000².
        known = self.__dict__.get("_direct_text")
        if known is None:
            known = self.__dict__["_direct_text"] = any(
                isinstance(c, Text) and not c.is_markup and c.value.strip() for c in self.children)
        return known


# -- XML --------------------------------------------------------------------------------------------

# One literal "<" first, so that the engine skips text fast.
_XML_TOKEN = re.compile(
    r"""<(?:!--.*?-->
    |!\[CDATA\[(?P<cdata>.*?)\]\]>
    |\?.*?\?>
    |!DOCTYPE(?:[^\[>]|\[.*?\])*>
    |/(?P<end>[^\s>]+)\s*>
    |(?P<start>[^\s/>!?]+)(?P<attrs>(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(?P<empty>/)?>)""",
    re.S | re.X,
)
_ATTR = re.compile(r"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_XML_ENTITY = re.compile(r"&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def xml_unescape(text: str) -> str:
    if "&" not in text:
        return text
    def repl(m: re.Match[str]) -> str:
        if m.group(1):
            return chr(int(m.group(1)))
        if m.group(2):
            return chr(int(m.group(2), 16))
        return _NAMED[m.group(3)]
    return _XML_ENTITY.sub(repl, text)


# Characters XML 1.0 cannot hold at all (machine output sometimes has them): dropped, never written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_chars(text: str) -> str:
    """`text` without the characters XML cannot hold."""
    return _NOT_XML.sub("", text)


def xml_escape(text: str) -> str:
    return xml_chars(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr_escape(text: str) -> str:
    """An attribute value for either quote style; line breaks and tabs as references, as XML keeps them."""
    return (xml_escape(text).replace('"', "&quot;").replace("'", "&#39;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


def attribute_text(value: str) -> tuple[str, tuple]:
    """A decoded attribute value as segment text: protected URLs and look-alikes keep their source
    form, so that their raw is attribute-escaped like the text around them."""
    from dataclasses import replace

    from adapt.segmenting import segment_text

    text, phs = segment_text(value, protect_tex=False)
    return text, tuple(replace(ph, raw=attr_escape(ph.raw)) if ph.kind == "atom" else ph for ph in phs)


def atom_attributes(
    run: Run, pick: Callable[[Element], tuple[str, ...]], *, opaque: Callable[[Element], bool] = lambda el: False
) -> Iterator[tuple[int, Element, int]]:
    """(placeholder number, element, its index among picked elements of its name) for every element
    inside the run's atoms for which `pick` names attributes (an inline image for its alt text).
    Elements inside an `opaque` one (a script, a template) are never looked at."""
    counts: dict[str, int] = {}
    for number in sorted(run.atoms):
        stack = [run.atoms[number]]
        while stack:
            el = stack.pop()
            if opaque(el):
                continue
            if pick(el):
                counts[el.name] = counts.get(el.name, 0) + 1
                yield number, el, counts[el.name]
            stack.extend(reversed(el.elements()))


# Elements that make a segment when they hold text of their own (HTML, XHTML, CNXML). The parsers
# count them as each one closes, so a file with far more segments than `max_segments` stops there
# instead of after its whole tree is built and segmented (seconds of CPU for 100,000 paragraphs).
_SEGMENT_BLOCKS = frozenset("p h1 h2 h3 h4 h5 h6 li td th dt dd caption figcaption para item entry".split())


class SegmentCounter:
    """Counts closed block elements with text of their own (a lower bound on segments) and stops at the limit."""

    def __init__(self, limits: InputLimits) -> None:
        self.limits = limits
        self.count = 0

    def closed(self, el: Element) -> None:
        if el.name in _SEGMENT_BLOCKS and any(
                isinstance(c, Text) and c.raw_kind == "text" and c.value.strip() for c in el.children):
            self.count += 1
            if self.count > self.limits.max_segments:
                raise limit_breach("max_segments", f"{self.count:,} found while reading", "the file", self.limits)


def parse_xml(text: str) -> Element:
    """The element tree of well-formed XML text (check it with `safe_xml_check` first).

    Returns a synthetic root (name "#document") whose children are the top-level nodes.
    """
    root = Element("#document", None, "#document", {}, {}, 0, 0, len(text), len(text))
    limits = current_limits()
    stack: list[Element] = [root]
    scopes: list[dict[str, str]] = [{"xml": "http://www.w3.org/XML/1998/namespace"}]
    counter = SegmentCounter(limits)
    pos = 0
    for m in _XML_TOKEN.finditer(text):
        top = stack[-1]
        if m.start() > pos:
            top.children.append(Text(pos, m.start(), xml_unescape(text[pos : m.start()])))
        pos = m.end()
        token = m.group(0)
        if m.group("start"):
            qname = m.group("start")
            attrs: dict[str, str] = {}
            spans: dict[str, tuple[int, int]] = {}
            scope = scopes[-1]
            raw_attrs = m.group("attrs")
            if raw_attrs:
                base = m.start("attrs")
                for a in _ATTR.finditer(raw_attrs):
                    value_group = 2 if a.group(2) is not None else 3
                    name = a.group(1)
                    check_limit("max_attribute_chars", a.end(value_group) - a.start(value_group),
                                f"attribute {name} at offset {base + a.start():,}", limits)
                    attrs[name] = xml_unescape(a.group(value_group))
                    spans[name] = (base + a.start(value_group), base + a.end(value_group))
                    if name == "xmlns" or name.startswith("xmlns:"):
                        if scope is scopes[-1]:
                            scope = dict(scope)  # copied only where a namespace is declared
                        scope[name[6:]] = attrs[name]
            prefix, _, local = qname.rpartition(":")
            el = Element(local, scope.get(prefix), qname, attrs, spans, m.start(), m.end(), parent=top)
            top.children.append(el)
            if m.group("empty"):
                el.end_start = el.end = m.end()
            else:
                stack.append(el)
                scopes.append(scope)
                if len(stack) > limits.max_depth + 1:
                    raise limit_breach("max_depth", f"at offset {m.start():,}", f"element <{qname}>", limits)
        elif m.group("end"):
            el = stack.pop()
            scopes.pop()
            el.end_start, el.end = m.start(), m.end()
            counter.closed(el)
        elif m.group("cdata") is not None:
            top.children.append(Text(m.start(), m.end(), m.group("cdata"), "cdata"))
        elif token.startswith("<!--"):
            top.children.append(Text(m.start(), m.end(), "", "comment"))
        else:
            top.children.append(Text(m.start(), m.end(), "", "pi"))
    if pos < len(text):
        stack[-1].children.append(Text(pos, len(text), xml_unescape(text[pos:])))
    for el in stack[1:]:  # only for text that skipped the well-formedness check
        el.end_start = el.end = len(text)
    return root


def safe_xml_check(data: bytes, name: str) -> None:
    """Refuse hostile or malformed XML before we touch it: entity declarations (billion laughs),
    external entities and DTD fetches are refused by defusedxml; anything not well-formed too."""
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as safe_et
    from defusedxml import DefusedXmlException

    from adapt.errors import HostileInput, UnreadableFile

    try:
        tree = safe_et.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise HostileInput(
            f"{name} declares XML entities or external references ({type(exc).__name__})",
            hint="entity declarations can expand to gigabytes or read local files; remove the DOCTYPE's entities",
        ) from None
    except ParseError as exc:
        raise UnreadableFile(f"{name} is not well-formed XML: {exc}",
                             hint="fix the XML (e.g. run xmllint on it)") from None
    _check_depth(tree, name)


def _check_depth(tree, name: str) -> None:
    """Refuse XML nested deeper than the depth limit (walked with a stack: any depth is safe to measure)."""
    limit = current_limits().max_depth
    stack = [(tree, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > limit:
            raise limit_breach("max_depth", f"<{el.tag}> at level {depth:,}", name)
        stack.extend((child, depth + 1) for child in el)


# -- HTML -------------------------------------------------------------------------------------------

# HTML also allows unquoted values (`alt=cell`): rendering quotes them when it replaces one (`unquoted`).
_HTML_ATTR = re.compile(r"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")


def unquoted(text: str, span: tuple[int, int]) -> bool:
    """True when the attribute value at `span` of `text` has no quotes around it."""
    start, end = span
    return not (start > 0 and text[start - 1] in "\"'" and text[end : end + 1] == text[start - 1])


def quoted_value(context, value: str) -> str:
    """An attribute segment's new value, quoted when the source's value was not (it may now hold spaces)."""
    return f'"{value}"' if context.get("unquoted") else value


HTML_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen".split()
)
# Tags that close an open <p> (and friends) implicitly, as browsers do.
_CLOSES_P = frozenset(
    "address article aside blockquote details div dl fieldset figcaption figure footer form h1 h2 h3 h4 h5 "
    "h6 header hr main nav ol p pre section table ul".split()
)
_IMPLIED = {
    "li": {"li"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "tr": {"tr", "td", "th"},
    "td": {"td", "th"},
    "th": {"td", "th"},
    "option": {"option"},
    "thead": {"tbody", "tfoot"},
    "tbody": {"tbody", "thead", "tfoot", "tr", "td", "th"},
    "body": {"head"},
}


# Elements whose text is never a segment (or not prose): long text there is no reason to refuse a file.
_RAW_TEXT = frozenset("script style template pre code textarea noscript svg math xmp iframe object".split())
_ENTITY_REF = re.compile(r"&[A-Za-z0-9]+;?")
_CHAR_REF = re.compile(r"&#[xX]?[0-9a-fA-F]+;?")


def parse_html(text: str) -> Element:
    """An element tree of an HTML page or fragment, with source offsets (Python's forgiving tokenizer)."""
    from html import unescape
    from html.parser import HTMLParser

    line_starts = [0]
    for m in re.finditer("\n", text):
        line_starts.append(m.end())
    root = Element("#document", None, "#document", {}, {}, 0, 0, len(text), len(text))
    limits = current_limits()
    counter = SegmentCounter(limits)

    class Builder(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=False)
            self.stack: list[Element] = [root]
            # Adjacent text (data, entity and character references) is merged into one node as it
            # comes: 5 MB of `&amp;` or of `<` is one Text, not millions (memory and time).
            self.open_text: Text | None = None
            self.text_parts: list[str] = []
            self.stray: Text | None = None  # the last stray end tag, which the next one extends
            self.long_text_ok = False
            self.strays = 0

        def _end_text(self) -> None:
            if self.open_text is not None and len(self.text_parts) > 1:
                self.open_text.value = "".join(self.text_parts)
            self.open_text, self.text_parts = None, []

        def _children(self) -> list[Element | Text]:
            self._end_text()
            return self.stack[-1].children

        def _at(self) -> int:
            line, col = self.getpos()
            return line_starts[line - 1] + col

        def _close(self, el: Element, at: int, end: int | None = None) -> None:
            while self.stack[-1] is not el:
                inner = self.stack.pop()
                inner.end_start = inner.end = at
                counter.closed(inner)
            self.stack.pop()
            el.end_start, el.end = at, (end if end is not None else at)
            counter.closed(el)

        def _open(self, tag: str, attrs: list[tuple[str, str | None]], empty: bool) -> None:
            self._end_text()
            self.stray = None
            at = self._at()
            raw = self.get_starttag_text() or ""
            top = self.stack[-1]
            if tag in _CLOSES_P or tag in _IMPLIED:
                closers = _IMPLIED.get(tag, set()) | ({"p"} if tag in _CLOSES_P else set())
                for el in reversed(self.stack[1:]):
                    if el.name in closers:
                        self._close(el, at)
                        break
                    if el.name in ("table", "ul", "ol", "dl", "div", "body", "td", "th", "li", "select"):
                        break
                top = self.stack[-1]
            spans: dict[str, Any] = {}
            for a in _HTML_ATTR.finditer(raw):
                group = next(g for g in (2, 3, 4) if a.group(g) is not None)
                check_limit("max_attribute_chars", a.end(group) - a.start(group),
                            f"attribute {a.group(1)} at offset {at + a.start():,}", limits)
                spans.setdefault(a.group(1).lower(), (at + a.start(group), at + a.end(group)))
            el = Element(tag, None, tag, {k: (v or "") for k, v in attrs}, spans, at, at + len(raw), parent=top)
            top.children.append(el)
            if empty or tag in HTML_VOID:
                el.end_start = el.end = el.start_end
            else:
                self.stack.append(el)
                if len(self.stack) > limits.max_depth + 1:
                    raise limit_breach("max_depth", f"at offset {at:,}", f"element <{tag}>", limits)

        def handle_starttag(self, tag, attrs):
            self._open(tag, attrs, False)

        def handle_startendtag(self, tag, attrs):
            self._open(tag, attrs, True)

        def handle_endtag(self, tag):
            self._end_text()
            at = self._at()
            close = text.find(">", at)
            end = close + 1 if close >= 0 else len(text)
            for i in range(len(self.stack) - 1, 0, -1):  # by index: no copy of a deep stack per end tag
                if self.stack[i].name == tag:
                    self._close(self.stack[i], at, end)
                    return
            # A stray end tag: keep it as markup so that nothing is lost (a run of them is one node).
            if self.stray is not None and self.stray.end == at and self.stack[-1].children[-1:] == [self.stray]:
                self.stray.end = end
                self.strays += 1
                if self.strays > limits.max_inline:  # each is an inline element kept as markup
                    raise limit_breach("max_inline", f"{self.strays:,} stray end tags in a row",
                                       f"the markup at offset {self.stray.start:,}", limits)
                return
            self.stray, self.strays = Text(at, end, "", "comment"), 1
            self.stack[-1].children.append(self.stray)

        def _text(self, raw_len: int, value: str, kind: str = "text") -> None:
            at = self._at()
            last = self.open_text
            if kind == "text" and last is not None and last.end == at and self.stack[-1].children[-1:] == [last]:
                self.text_parts.append(value)
                last.end = at + raw_len
                if last.end - last.start > limits.max_segment_chars and not self.long_text_ok:
                    # Text this long will be a segment over the limit (unless a script or the like holds
                    # it): stop now, not after millions of parser events.
                    if not any(el.name in _RAW_TEXT for el in self.stack):
                        raise limit_breach("max_segment_chars", f"{last.end - last.start:,} so far",
                                           f"the text at offset {last.start:,}", limits)
                    self.long_text_ok = True
                return
            children = self._children()
            node = Text(at, at + raw_len, value, kind)
            children.append(node)
            self.stray = None
            if kind == "text":
                self.open_text, self.text_parts, self.long_text_ok = node, [value], False

        def handle_data(self, data):
            self._text(len(data), data)

        def handle_entityref(self, name):
            at = self._at()
            m = _ENTITY_REF.match(text, at)  # matched in place: slicing the rest is quadratic
            raw = m.group(0) if m else "&" + name
            self._text(len(raw), unescape(raw))

        def handle_charref(self, name):
            at = self._at()
            m = _CHAR_REF.match(text, at)
            raw = m.group(0) if m else "&#" + name
            self._text(len(raw), unescape(raw))

        def handle_comment(self, data):
            self._raw_markup()

        def handle_decl(self, decl):
            self._raw_markup()

        def handle_pi(self, data):
            self._raw_markup()

        def unknown_decl(self, data):
            self._raw_markup()

        def _raw_markup(self) -> None:
            # The markup ends where the next token starts: fixed up in `_finish`.
            at = self._at()
            self._children().append(Text(at, -1, "", "comment"))
            self.stray = None

    builder = Builder()
    builder.feed(text)
    builder.close()
    builder._end_text()
    for el in builder.stack[1:]:
        el.end_start = el.end = len(text)
    _fix_markup_ends(root, text)
    return root


def _fix_markup_ends(root: Element, text: str) -> None:
    for el in root.iter():
        for node in el.children:
            if isinstance(node, Text) and node.end == -1:
                if text.startswith("<!--", node.start):
                    close = text.find("-->", node.start + 4)
                    node.end = close + 3 if close >= 0 else len(text)
                else:
                    close = text.find(">", node.start)
                    node.end = close + 1 if close >= 0 else len(text)


# -- runs -------------------------------------------------------------------------------------------

Classifier = Callable[[Element], Role]
PairRole = Callable[[Element], str]

_BREAK_WS = re.compile(r"\s*\n\s*")


@dataclass
class Run:
    """One stretch of inline content inside a block, ready to become a Segment."""

    block: Element
    start: int
    end: int
    builder: PlaceholderBuilder
    index: int  # 1 for the block's first run, 2 for the next...
    atoms: dict[int, Element] = field(default_factory=dict)  # placeholder number -> the element it holds


def runs(
    root: Element,
    text: str,
    classify: Classifier,
    role_of: PairRole,
    *,
    collapse_newlines: bool = True,
    protect_tex: bool = False,
) -> Iterator[Run]:
    """Every run of inline content under `root`, in document order."""

    limits = current_limits()

    def walk(top: Element) -> Iterator[Run]:
        # An explicit stack of open blocks (block, its children, pending inline nodes, runs so far):
        # no recursion, however deep the document.
        frames: list[tuple[Element, Iterator[Element | Text], list[Element | Text], list[int]]] = [
            (top, iter(top.children), [], [0])]
        while frames:
            block, children, pending, count = frames[-1]
            child = next(children, None)
            if child is None:
                frames.pop()
                run = _flush(block, pending, count[0] + 1)
                if run is not None:
                    yield run
                continue
            if isinstance(child, Text) or classify(child) in ("pair", "atom"):
                pending.append(child)
                continue
            run = _flush(block, pending, count[0] + 1)
            pending.clear()
            if run is not None:
                count[0] += 1
                yield run
            if classify(child) == "block":
                frames.append((child, iter(child.children), [], [0]))

    def _flush(block: Element, nodes: list[Element | Text], index: int) -> Run | None:
        def blank(node: Element | Text) -> bool:
            return isinstance(node, Text) and (node.is_markup or not node.value.strip())

        lo, hi = 0, len(nodes)  # trimmed by index: slicing a run of 1,000,000 nodes each step is quadratic
        while lo < hi and blank(nodes[lo]):
            lo += 1
        while hi > lo and blank(nodes[hi - 1]):
            hi -= 1
        if lo == hi:
            return None
        nodes = nodes[lo:hi]
        first, last = nodes[0], nodes[-1]
        start = first.start + (_lead(text[first.start : first.end]) if isinstance(first, Text) else 0)
        end = last.end - (_trail(text[last.start : last.end]) if isinstance(last, Text) else 0)
        builder = PlaceholderBuilder(protect_tex=protect_tex)
        atoms: dict[int, Element] = {}
        chars = [0]  # about how long the segment is so far: stop at the limit, not after 5 MB
        for i, node in enumerate(nodes):
            _feed(node, builder, atoms, chars, first=i == 0, last=i == len(nodes) - 1)
        where = f"the text at offset {start:,}"
        check_limit("max_segment_chars", len(builder.text), where, limits)
        return Run(block, start, end, builder, index, atoms)

    def _feed(top: Element | Text, builder: PlaceholderBuilder, atoms: dict[int, Element], chars: list[int], *,
              first: bool = False, last: bool = False) -> None:
        # Iterative: a pair's children are pushed above a marker that closes it (any depth).
        stack: list[tuple[Element | Text, bool, bool] | tuple[None, int, str]] = [(top, first, last)]
        while stack:
            item = stack.pop()
            if item[0] is None:
                builder.close_pair(item[1], item[2])
                continue
            node, is_first, is_last = item
            if builder.size > limits.max_inline:
                raise limit_breach("max_inline", f"{builder.size:,}", f"the text at offset {top.start:,}", limits)
            chars[0] += len(node.value) if isinstance(node, Text) else 3
            if chars[0] > limits.max_segment_chars:
                raise limit_breach("max_segment_chars", f"{chars[0]:,} so far", f"the text at offset {top.start:,}",
                                   limits)
            if isinstance(node, Text):
                if node.is_markup:
                    builder.atom("markup", text[node.start : node.end])
                    continue
                value = node.value
                if node.raw_kind == "cdata":
                    builder.atom("cdata", text[node.start : node.end])
                    continue
                if is_first:
                    value = value.lstrip()
                if is_last:
                    value = value.rstrip()
                if collapse_newlines:
                    value = _BREAK_WS.sub(" ", value)
                before = builder.size
                builder.text_run(value)
                _escape_new_atoms(builder, before)
                continue
            role = classify(node)
            if role == "pair" and node.end_start > node.start_end and node.has_words():
                number = builder.open_pair(role_of(node), text[node.start : node.start_end])
                stack.append((None, number, text[node.end_start : node.end]))
                stack.extend((child, False, False) for child in reversed(node.children))
            else:
                atoms[builder.atom(role_of(node), text[node.start : node.end])] = node
        if builder.size > limits.max_inline:
            raise limit_breach("max_inline", f"{builder.size:,}", f"the text at offset {top.start:,}", limits)

    yield from walk(root)


def _escape_new_atoms(builder: PlaceholderBuilder, before: int) -> None:
    """URLs and look-alikes found in decoded text: their raw source must be markup again (`&` -> `&amp;`)."""
    from dataclasses import replace

    phs = builder._placeholders  # noqa: SLF001 - the builder protects decoded text; we re-escape its atoms
    for i in range(before, len(phs)):
        if phs[i].kind == "atom" and any(c in phs[i].raw for c in "&<>"):
            phs[i] = replace(phs[i], raw=xml_escape(phs[i].raw))


def _lead(s: str) -> int:
    return len(s) - len(s.lstrip())


def _trail(s: str) -> int:
    return len(s) - len(s.rstrip())


def anchor_path(el: Element, id_attrs: tuple[str, ...] = ("id",)) -> tuple[str | None, str]:
    """(the nearest id at or above `el`, the path from there), e.g. ("list-1", "item[2]")."""
    steps: list[str] = []
    node: Element | None = el
    while node is not None and node.name != "#document":
        ident = next((node.attrs[a] for a in id_attrs if node.attrs.get(a)), None)
        if ident:
            return ident, "/".join(reversed(steps))
        parent = node.parent
        if parent is None:
            break
        number, total = _sibling_position(parent, node)
        steps.append(f"{node.qname}[{number}]" if total > 1 else node.qname)
        node = parent
    return None, "/".join(reversed(steps))


def _sibling_position(parent: Element, node: Element) -> tuple[int, int]:
    """(1-based position of `node` among its parent's children of the same qname, how many there are).
    Counted once per parent and kept on it: a block with 100,000 children must not cost 100,000²."""
    table = parent.__dict__.get("_positions")
    if table is None:
        totals: dict[str, int] = {}
        positions: dict[int, int] = {}
        for child in parent.children:
            if isinstance(child, Element):
                totals[child.qname] = totals.get(child.qname, 0) + 1
                positions[id(child)] = totals[child.qname]
        table = parent.__dict__["_positions"] = (positions, totals)
    positions, totals = table
    return positions[id(node)], totals[node.qname]


def ancestor(el: Element, name: str) -> Element | None:
    """The nearest element above `el` named `name`. Answers are kept on each element on the way, so asking
    it for every element of a 100,000-level tree is linear, not quadratic."""
    chain: list[Element] = []
    node = el
    while True:
        memo = node.__dict__.get("_ancestors")
        if memo is not None and name in memo:
            answer = memo[name]
            break
        if node.parent is None:
            answer = None
            node.__dict__.setdefault("_ancestors", {})[name] = None
            break
        chain.append(node)
        node = node.parent
    for child in reversed(chain):  # `node` is the parent of `child`, whose answer is known
        answer = node if node.name == name else answer
        child.__dict__.setdefault("_ancestors", {})[name] = answer
        node = child
    return answer


def align_placeholders(text: str, source: str, placeholders) -> str:
    """Put a model's placeholders back into the source's order, each exactly once.

    Tree formats promise the same element skeleton after translation (same elements, same order,
    same ids), but models drop, repeat and reorder placeholders. The placeholders of the output that
    follow the source's order (the longest such sequence) stay where the model put them; every other
    one (missing, repeated or out of order) is dropped from where it was and put back right after its
    predecessor in the source. Nesting is then the source's, so the markup is always well-formed.
    QA has flagged the change already, so the reviewer knows; this keeps the file whole.
    """
    from bisect import bisect_left

    from adapt.document import PLACEHOLDER_RE

    kinds = {ph.number: ph.kind for ph in placeholders}

    def ours(m) -> bool:
        kind = kinds.get(int(m.group(2)))
        return kind is not None and not (m.group(1) == "/" and kind != "pair")

    order = [m.group(0) for m in PLACEHOLDER_RE.finditer(source) if ours(m)]
    index = {token: i for i, token in enumerate(order)}
    found = [(m, index[m.group(0)]) for m in PLACEHOLDER_RE.finditer(text) if ours(m) and m.group(0) in index]
    # Longest strictly increasing run of source positions (patience sorting, with back links).
    tails: list[int] = []
    tail_at: list[int] = []
    back = [-1] * len(found)
    for i, (_, pos) in enumerate(found):
        j = bisect_left(tails, pos)
        if j == len(tails):
            tails.append(pos)
            tail_at.append(i)
        else:
            tails[j] = pos
            tail_at[j] = i
        back[i] = tail_at[j - 1] if j else -1
    kept: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        kept.add(i)
        i = back[i]
    kept_positions = sorted(found[i][1] for i in kept)
    after: dict[int, list[str]] = {}  # source position of a kept token (-1: the start) -> tokens to follow it
    for pos, token in enumerate(order):
        if pos in kept_positions:
            continue
        j = bisect_left(kept_positions, pos)
        after.setdefault(kept_positions[j - 1] if j else -1, []).append(token)
    out: list[str] = ["".join(after.get(-1, []))]
    last = 0
    for i, (m, pos) in enumerate(found):
        out.append(text[last : m.start()])
        last = m.end()
        if i in kept:
            out.append(m.group(0))
            out.extend(after.get(pos, []))
    out.append(text[last:])
    return "".join(out)
