"""A rendered, sanitized HTML preview of an adapted document, as the export would write it.

Whatever the source held (raw HTML in Markdown, an uploaded HTML page), the preview goes through nh3:
no scripts, no event handlers, no styles, no images (an image would make the browser fetch something,
and the app runs offline), links marked noopener.
"""

from __future__ import annotations

import html

import nh3

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
