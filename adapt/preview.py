"""A rendered, sanitized HTML preview of an adapted document, as the export would write it.

Whatever the source held (raw HTML in Markdown, an uploaded HTML page), the preview goes through nh3:
no scripts, no event handlers, no styles, no images (an image would make the browser fetch something,
and the app runs offline), links marked noopener.
"""

from __future__ import annotations

import html
from typing import Any

import nh3

# Formats whose rendered bytes are themselves a readable page; the others (DOCX, CNXML, cartridges)
# are previewed from their segments in reading order.
TEXT_FORMATS = ("markdown", "html", "text")

ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) - {"img"}


def sanitize(fragment: str) -> str:
    return nh3.clean(fragment, tags=ALLOWED_TAGS, link_rel="noopener noreferrer nofollow")


def markdown_to_html(text: str) -> str:
    from markdown_it import MarkdownIt

    # Raw HTML is rendered so that the preview looks like the document, then sanitized below.
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


def preview_html(format_name: str, data: bytes) -> str:
    """Sanitized HTML for a rendered document's bytes."""
    text = data.decode("utf-8", errors="replace")
    if format_name == "markdown":
        body = markdown_to_html(text)
    elif format_name in ("html", "xhtml"):
        body = text
    else:
        body = f"<pre>{html.escape(text)}</pre>"
    return sanitize(body)


def segments_preview(document: Any, plan: Any) -> str:
    """Sanitized HTML from a document's segments with the plan's text: headings, list items, paragraphs."""
    from adapt.document import restore_placeholders
    from adapt.formats.base import UNREVIEWED_MARK

    out: list[str] = []
    in_list = False
    for seg in document.translatable_segments():
        text = plan.replacements.get(seg.key, seg.text)
        plain = restore_placeholders(text, seg.placeholders, atom=lambda p: "", pair=lambda p: ("", ""))
        if seg.key in plan.unreviewed:
            plain = UNREVIEWED_MARK + plain
        body = html.escape(plain)
        if seg.kind == "list_item" and not in_list:
            out.append("<ul>")
            in_list = True
        elif seg.kind != "list_item" and in_list:
            out.append("</ul>")
            in_list = False
        tag = {"title": "h1", "heading": "h2", "list_item": "li", "caption": "figcaption"}.get(seg.kind, "p")
        out.append(f"<{tag}>{body}</{tag}>")
    if in_list:
        out.append("</ul>")
    return sanitize("".join(out))


def document_preview(document: Any, plan: Any, rendered: bytes | None) -> str:
    if document.format in TEXT_FORMATS and rendered is not None:
        return preview_html(document.format, rendered)
    return segments_preview(document, plan)
