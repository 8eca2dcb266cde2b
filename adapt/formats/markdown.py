"""Markdown (CommonMark with GFM tables and strikethrough, `$...$` / `$$...$$` math, front matter).

Blocks come from markdown-it-py's token stream. Each heading, paragraph and table cell is a Segment
whose span covers its inline content in the source, so rendering splices translations in and leaves
every other byte alone. Inline markup is mapped back to the exact source characters it came from: the
inline rules are wrapped to record the source positions they consumed. An image's alt text (its label)
is a segment of its own, `<block key>@img1`, nested in the block's image placeholder (see nested.py).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from adapt.document import Document, Segment, splice
from adapt.formats import markdown_guard
from adapt.formats.base import (
    UNREVIEWED_MARK,
    UNREVIEWED_NOTICE,
    RenderPlan,
    decode_utf8,
    join_newlines,
    split_newlines,
)
from adapt.formats.nested import NESTED, fold_nested, nested_context
from adapt.limits import check as check_limit
from adapt.limits import current as current_limits
from adapt.segmenting import PlaceholderBuilder, has_words

_SPAN = "adapt_span"


class MarkdownFormat:
    name = "markdown"
    extensions = (".md", ".markdown", ".mdown", ".mkd")
    canonical_form = "bytes"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() in self.extensions

    def read(self, path: Path, data: bytes) -> Document:
        text, newline = split_newlines(decode_utf8(data, path.name))
        # markdown-it reads a lone CR as a line end; keep offsets aligned with the source by parsing a
        # copy of the same length (CRLF -> " LF", CR -> LF) and splicing into the original.
        parse_text = text.replace("\r\n", " \n").replace("\r", "\n") if "\r" in text else text
        segments = list(_segments(parse_text))
        title = next((s.plain_text() for s in segments if s.kind == "heading"), path.stem)
        return Document(
            format=self.name,
            source_name=path.name,
            text=text,
            segments=segments,
            metadata={"title": title},
            newline=newline,
        )

    def render(self, doc: Document, plan: RenderPlan) -> bytes:
        def restored(seg: Segment, new: str) -> str:
            out = seg.restore(new, escape=_escape_for(seg))
            out = UNREVIEWED_MARK + out if seg.key in plan.unreviewed else out
            return f'"{out}"' if seg.context.get("unquoted") else out  # an inline <img alt=bare>

        pieces = [(seg.span, restored(seg, plan.replacements[seg.key]))
                  for seg in fold_nested(doc.segments, plan, restored)
                  if seg.key in plan.replacements and seg.span is not None]
        text = splice(doc.text, pieces)
        notes = list(plan.notices)
        if plan.unreviewed:
            notes.insert(0, plan.unreviewed_notice or UNREVIEWED_NOTICE)
        if notes:
            text = _insert_notes(text, notes, plan.notice_label or "Note")
        return join_newlines(text, doc.newline).encode("utf-8")


def _escape_inline(plain: str) -> str:
    # Machine output must not start new markup: escape what would open emphasis, code or a link.
    return re.sub(r"([*_`\[\]<\\])", r"\\\1", plain)


def _escape_cell(plain: str) -> str:
    return _escape_inline(plain).replace("|", "\\|")


def _escape_alt(plain: str) -> str:
    # An image's alt text is a link label: one line of inline text whose brackets must stay balanced.
    # `&` that would read as an entity (`&amp;`, `&#9;`) is escaped too: alt text is what is read out.
    return re.sub(r"&(?=#?[0-9A-Za-z]+;)", r"\\&", _escape_inline(re.sub(r"\s*\n\s*", " ", plain)))


def _escape_for(seg: Segment):
    if seg.context.get("markup") == "html":  # an inline <img> tag's attribute
        from adapt.formats.markup import attr_escape

        if seg.context.get("in") == "table_cell":  # a raw `|` would split the table's cell
            return lambda plain: attr_escape(plain).replace("|", "&#124;")
        return attr_escape
    if seg.context.get("attribute") == "alt":
        return _escape_alt_cell if seg.context.get("in") == "table_cell" else _escape_alt
    return _escape_cell if seg.kind == "table_cell" else _escape_inline


def _escape_alt_cell(plain: str) -> str:
    return _escape_alt(plain).replace("|", "\\|")


def _insert_notes(text: str, notes: list[str], label: str = "Note") -> str:
    block = "".join(f"> **{label}:** {_escape_inline(n)}\n>\n" for n in notes).rstrip(">\n") + "\n\n"
    front = re.match(r"---\n.*?\n---\n", text, flags=re.S)
    at = front.end() if front else 0
    return text[:at] + block + text[at:]


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_space=True, double_inline=True).use(front_matter_plugin)
    md.core.ruler.disable("text_join")  # keep escapes and entities as their own tokens
    # Inline content is parsed per block by `_inline_text`, after the limits are checked: parsing it
    # here too would cost twice, and a hostile 5 MB paragraph before any check.
    md.core.ruler.disable("inline")
    markdown_guard.install(md)  # the limits, checked while the blocks are parsed
    for rule in md.inline.ruler.__rules__:
        rule.fn = _tracking(rule.fn)
    md.inline.ruler.__compiled__ = {}
    return md


def _tracking(fn):
    """Wrap an inline rule so every token it pushes remembers the source span it came from."""

    def rule(state, silent):
        start, count = state.pos, len(state.tokens)
        matched = fn(state, silent)
        if matched and not silent:
            for token in state.tokens[count:]:
                if token.meta is None:
                    token.meta = {}
                token.meta.setdefault(_SPAN, (start, state.pos))
        return matched

    return rule


def _segments(text: str):
    md = _parser()
    lines = text.split("\n")
    line_starts = [0]
    for line in lines:
        line_starts.append(line_starts[-1] + len(line) + 1)
    limits = current_limits()
    env: dict[str, Any] = {markdown_guard.LIMITS_KEY: limits}
    tokens = md.parse(text, env)
    check_limit("max_segments", sum(t.type == "inline" for t in tokens), "the file", limits)
    counters: dict[str, int] = {}
    context: list[str] = []
    for i, token in enumerate(tokens):
        if token.nesting == 1:
            context.append(token.type.removesuffix("_open"))
        elif token.nesting == -1 and context:
            context.pop()
        if token.type != "inline" or token.map is None:
            continue
        kind = _kind(context)
        if kind == "table_cell":
            spans = _cell_spans(lines[token.map[0]])
            index = _cell_index(tokens, i)
            if index >= len(spans):
                continue
            start, end = spans[index]
            start += line_starts[token.map[0]]
            end += line_starts[token.map[0]]
            content = text[start:end]
        else:
            content = token.content
            located = _locate(content, lines, line_starts, token.map)
            if located is None:
                continue  # cannot map it back to the source: leave it untouched
            start, end = located
        if not content.strip():
            continue
        check_limit("max_segment_chars", len(content), f"line {token.map[0] + 1}", limits)
        images: list[tuple[int, tuple[int, int], bool]] = []
        builder = _inline_text(md, content, env, images)
        counters[kind] = counters.get(kind, 0) + 1
        key = f"{kind}-{counters[kind]}"
        yield Segment(
            key=key,
            kind=kind,
            text=builder.text,
            placeholders=builder.placeholders,
            span=(start, end),
            translatable=builder.has_words(),
            context={"line": token.map[0] + 1, "level": token.tag if kind == "heading" else ""},
        )
        # Each inline image stays an atom of the block; its alt text is a segment of its own.
        # The loop's current values are bound as defaults: `place` is used only in this iteration.
        def place(a: int, b: int, start: int = start, content: str = content, line: int = token.map[0],
                  cell: bool = kind == "table_cell") -> tuple[int, int] | None:
            return (start + a, start + b) if cell else _source_span(text, content, start, line, line_starts, a, b)

        for index, (number, (img_start, img_end), html) in enumerate(images, 1):
            found = (_html_alts(content, img_start, img_end) if html
                     else _label_alt(md, env, content, img_start, img_end))
            for a, b, attr, alt_text, alt_phs, bare in found:
                src = place(a, b)
                if src is None or _unprefixed(text[src[0] : src[1]]) != _unprefixed(content[a:b]):
                    continue  # cannot place it in the source exactly: leave it untouched
                yield Segment(
                    key=f"{key}@img{index}" + ("" if attr == "alt" else f".{attr}"),
                    kind="alt_text",
                    text=alt_text,
                    placeholders=alt_phs,
                    span=src,
                    translatable=has_words(alt_text),
                    context={"line": token.map[0] + 1, "attribute": attr, "in": kind,
                             "markup": "html" if html else "markdown", **({"unquoted": True} if bare else {}),
                             NESTED: nested_context(key, number, a - img_start, b - img_start)},
                )


def _label_alt(md, env: dict[str, Any], content: str, img_start: int, img_end: int) -> list[tuple]:
    """The label of `![label](src)` at content[img_start:img_end]: (start, end, "alt", text, placeholders,
    unquoted)."""
    label_end = _label_end(md, content, env, img_start + 1, nested=True)
    if label_end is None or label_end > img_end or not content[img_start + 2 : label_end].strip():
        return []
    alt = _inline_text(md, content[img_start + 2 : label_end], env)
    return [(img_start + 2, label_end, "alt", alt.text, alt.placeholders, False)]


def _html_alts(content: str, img_start: int, img_end: int) -> list[tuple]:
    """Alt text and title of an inline HTML `<img>` tag at content[img_start:img_end], as the HTML format
    reads them (entities decoded; written back attribute-escaped)."""
    from adapt.formats import markup

    root = markup.parse_html(content[img_start:img_end])
    out = []
    for el in root.iter():
        if el.name != "img":
            continue
        for attr in ("alt", "title"):
            if attr in el.attr_spans and el.attrs.get(attr, "").strip():
                a, b = el.attr_spans[attr]
                text, phs = markup.attribute_text(el.attrs[attr])
                out.append((img_start + a, img_start + b, attr, text, phs,
                            markup.unquoted(content[img_start:img_end], (a, b))))
    return out


def _unprefixed(lines: str) -> str:
    # A block's content lines lost their container prefix (`> `, a list item's indent); the source's did not.
    return re.sub(r"\n[ \t>]*", "\n", lines)


def _source_span(text: str, content: str, start: int, first_line: int, line_starts: list[int],
                 a: int, b: int) -> tuple[int, int] | None:
    """Where content[a:b] of a block sits in the source; its lines may have lost a container prefix."""

    def at(offset: int) -> int | None:
        row = content.count("\n", 0, offset)
        if row == 0:
            return start + offset
        line_start = content.rfind("\n", 0, offset) + 1
        line_end = content.find("\n", offset)
        piece = content[line_start : line_end if line_end >= 0 else len(content)]
        if first_line + row + 1 >= len(line_starts):
            return None
        source_line = text[line_starts[first_line + row] : line_starts[first_line + row + 1] - 1]
        col = source_line.rfind(piece) if piece else -1
        return None if col < 0 else line_starts[first_line + row] + col + (offset - line_start)

    begin, end = at(a), at(b)
    return None if begin is None or end is None else (begin, end)


def _kind(context: list[str]) -> str:
    if "th" in context or "td" in context:
        return "table_cell"
    if "heading" in context:
        return "heading"
    if "list_item" in context:
        return "list_item"
    if "blockquote" in context:
        return "quote"
    return "paragraph"


def _cell_index(tokens, i: int) -> int:
    index, j = 0, i - 1
    while j >= 0 and tokens[j].type != "tr_open":
        if tokens[j].type in ("th_open", "td_open"):
            index += 1
        j -= 1
    return index - 1


def _cell_spans(line: str) -> list[tuple[int, int]]:
    """Content spans of a table row's cells, split exactly as markdown-it's table rule splits them."""
    leading = re.match(r"(?:[ \t]*>)*[ \t]*", line)
    assert leading is not None  # every part of the pattern is optional: it always matches
    prefix = leading.end()
    end = len(line.rstrip())
    bounds, last, escaped = [], prefix, False
    for pos in range(prefix, end):
        ch = line[pos]
        if ch == "|" and not escaped:
            bounds.append((last, pos))
            last = pos + 1
        escaped = ch == "\\"
    bounds.append((last, end))
    if bounds and line[bounds[0][0] : bounds[0][1]] == "" and bounds[0][0] == prefix:
        bounds.pop(0)  # the row starts with a pipe
    if bounds and bounds[-1][0] == bounds[-1][1]:
        bounds.pop()  # the row ends with a pipe
    spans = []
    for a, b in bounds:
        cell = line[a:b]
        lead = len(cell) - len(cell.lstrip())
        trail = len(cell) - len(cell.rstrip())
        spans.append((a + lead, max(a + lead, b - trail)))
    return spans


def _locate(content: str, lines: list[str], line_starts: list[int], line_map) -> tuple[int, int] | None:
    """The source span from the first to the last character of an inline token's content."""
    first_line, last_line = line_map[0], line_map[1] - 1
    parts = content.split("\n")
    first, last = parts[0], parts[-1]
    start_col = _find_in_line(lines[first_line], first, at_end=len(parts) > 1)
    if start_col is None:
        return None
    if len(parts) == 1:
        return line_starts[first_line] + start_col, line_starts[first_line] + start_col + len(first)
    # Setext headings and paragraphs: the last content line is the last non-underline line of the map.
    for row in range(last_line, first_line, -1):
        col = _find_in_line(lines[row], last, at_end=False)
        if col is not None:
            return line_starts[first_line] + start_col, line_starts[row] + col + len(last)
    return None


def _find_in_line(line: str, needle: str, *, at_end: bool) -> int | None:
    """Where `needle` sits in `line` after any container prefix; the rightmost plausible place."""
    best = None
    pos = line.find(needle)
    while pos != -1:
        rest = line[pos + len(needle) :]
        if not at_end or not rest.strip():
            if re.fullmatch(r"[\s>*+\-#\d.)\[\]xX]*", line[:pos]):
                best = pos
                break
        pos = line.find(needle, pos + 1)
    return best


def _inline_text(md, content: str, env: dict[str, Any], images: list | None = None) -> PlaceholderBuilder:
    from markdown_it.rules_inline import StateInline

    tokens: list = []
    state = StateInline(content, md, env, tokens)
    md.inline.tokenize(state)
    for fn in md.inline.ruler2.getRules(""):
        fn(state)
    builder = PlaceholderBuilder()
    _walk(md, env, tokens, content, builder, images)
    return builder


_HTML_IMG = re.compile(r"<img\b", re.I)
_ATOM_ROLES = {
    "code_inline": "code",
    "math_inline": "math",
    "math_inline_double": "math",
    "html_inline": "html",
    "image": "image",
}
_PAIR_ROLES = {"em_open": "emphasis", "strong_open": "strong", "s_open": "strikethrough"}


def _span(token) -> tuple[int, int] | None:
    return (token.meta or {}).get(_SPAN)


def _walk(md, env: dict[str, Any], tokens: list, content: str, builder: PlaceholderBuilder,
          images: list | None = None) -> None:
    """Feed a block's inline tokens to `builder`; `images` gets (placeholder, span in content, is HTML) of
    each image (`![alt](src)` or an inline `<img>` tag)."""
    open_pairs: list[int] = []
    link_stack: list[tuple[int, int]] = []
    for i, token in enumerate(tokens):
        kind = token.type
        if link_stack and link_stack[-1][0] == -1 and kind != "link_close":
            continue  # the text inside an autolink: already part of its atom
        if kind == "text":
            builder.text_run(token.content)
        elif kind == "text_special":
            builder.atom("escape" if token.info == "escape" else "entity", token.markup)
        elif kind == "softbreak":
            builder.plain(" ")
        elif kind == "hardbreak":
            builder.atom("break", "\\\n" if _raw(token, content).startswith("\\") else "  \n")
        elif kind in _ATOM_ROLES:
            number = builder.atom(_ATOM_ROLES[kind], _raw(token, content))
            span = _span(token)
            if images is not None and span is not None and (
                    kind == "image" or (kind == "html_inline" and _HTML_IMG.match(content, span[0]))):
                images.append((number, span, kind == "html_inline"))
        elif kind in _PAIR_ROLES:
            open_pairs.append(builder.open_pair(_PAIR_ROLES[kind], token.markup))
        elif kind in ("em_close", "strong_close", "s_close"):
            builder.close_pair(open_pairs.pop(), token.markup)
        elif kind == "link_open":
            span = _span(token) or (0, 0)
            if token.markup == "autolink" or token.info == "auto":
                # <http://...>: the whole autolink is an atom; skip its text and closer.
                builder.atom("url", content[span[0] : span[1]])
                link_stack.append((-1, span[1]))
                continue
            label_end = _label_end(md, content, env, span[0])
            number = builder.open_pair("link", content[span[0] : span[0] + 1])
            link_stack.append((number, span[1]))
            token.meta["label_end"] = label_end
        elif kind == "link_close":
            number, end = link_stack.pop()
            if number >= 0:
                label_end = _find_label_end_for(tokens, i)
                builder.close_pair(number, content[label_end:end] if label_end is not None else "")
        elif kind in ("math_block", "math_block_label"):
            builder.atom("math", _raw(token, content))
        else:
            builder.atom("markup", _raw(token, content))


def _find_label_end_for(tokens: list, close_index: int) -> int | None:
    depth = 0
    for j in range(close_index - 1, -1, -1):
        if tokens[j].type == "link_close":
            depth += 1
        elif tokens[j].type == "link_open":
            if depth == 0:
                return tokens[j].meta.get("label_end")
            depth -= 1
    return None


def _label_end(md, content: str, env: dict[str, Any], start: int, *, nested: bool = False) -> int | None:
    """Index of the `]` closing the link label that opens at `start`, found as markdown-it finds it
    (an image's label may hold brackets and links: `nested`)."""
    from markdown_it.helpers import parseLinkLabel
    from markdown_it.rules_inline import StateInline

    end = parseLinkLabel(StateInline(content, md, env, []), start, not nested)
    return end if end >= 0 else None


def _raw(token, content: str) -> str:
    span = _span(token)
    if span is None:
        return token.markup + token.content + token.markup
    return content[span[0] : span[1]]
