# ruff: noqa: E501 - one case per line reads best, however long
"""A generated corpus of hostile and broken inputs, in every format OER Adapt reads.

    python tests/adapt/hostile_corpus.py OUT_FOLDER     # writes the files and lists them

tests/adapt/test_hostile_corpus.py runs `adapt import` on each file in a child process and checks that
it ends with exit 0 or 1 (never 2), within the time cap and the peak-memory caps. The files are made
by code (nothing downloaded), deterministically: the same corpus on every machine.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
DEEP = 100_000  # levels of nesting in the deepest cases

CNXML_NS = "http://cnx.rice.edu/cnxml"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"


# -- helpers -----------------------------------------------------------------------------------------

def _cnxml(body: str, *, head: str = '<?xml version="1.0" encoding="UTF-8"?>\n', attrs: str = "") -> str:
    return (f'{head}<document xmlns="{CNXML_NS}" id="m1"{attrs}><title>Hostile</title>'
            f"<content>{body}</content></document>")


def _laughs(root_open: str, root_close: str, levels: int = 10) -> str:
    ents = '<!ENTITY a "ha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(levels - 1))
    return f'<?xml version="1.0"?><!DOCTYPE d [{ents}]>{root_open}&{chr(97 + levels - 1)};{root_close}'


def _zip(members: list[tuple[str, bytes]], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def _zip_quiet(members: list[tuple[str, bytes]]) -> bytes:
    import warnings

    with warnings.catch_warnings():  # duplicate member names are the point of the case
        warnings.simplefilter("ignore")
        return _zip(members)


def _bomb_member(name: str, size: int) -> bytes:
    """A zip whose one member unpacks to `size` bytes of spaces (about size/1000 packed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open(name, "w", force_zip64=True) as fh:
            chunk = b" " * MB
            for _ in range(size // MB):
                fh.write(chunk)
    return buf.getvalue()


def _lying_sizes(data: bytes) -> bytes:
    """The zip with every declared uncompressed size rewritten to 1 byte (a bomb that lies)."""
    out = bytearray(data)
    i = 0
    while (i := out.find(b"PK\x01\x02", i)) >= 0:  # central directory entries
        out[i + 24 : i + 28] = (1).to_bytes(4, "little")
        i += 4
    i = 0
    while (i := out.find(b"PK\x03\x04", i)) >= 0:  # local headers
        out[i + 22 : i + 26] = (1).to_bytes(4, "little")
        i += 4
    return bytes(out)


def _docx(document_xml: str | bytes, *, extra: list[tuple[str, bytes]] | None = None,
          rels: bytes | None = None) -> bytes:
    body = document_xml.encode() if isinstance(document_xml, str) else document_xml
    types = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/'
             b'word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
             b'document.main+xml"/></Types>')
    root_rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    members = [("[Content_Types].xml", types), ("_rels/.rels", root_rels), ("word/document.xml", body)]
    if rels is not None:
        members.append(("word/_rels/document.xml.rels", rels))
    return _zip(members + (extra or []))


def _wdoc(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _manifest(resources: str, *, head: str = '<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    return (f'{head}<manifest xmlns="{CP_NS}" identifier="M"><organizations/><resources>{resources}'
            f"</resources></manifest>").encode()


def _resource(href: str, ident: str = "R1") -> str:
    return f'<resource identifier="{ident}" type="webcontent" href="{href}"><file href="{href}"/></resource>'


def _cartridge(manifest: bytes, files: list[tuple[str, bytes]] | None = None) -> bytes:
    return _zip([("imsmanifest.xml", manifest), *(files or [])])


PAGE = b"<html><body><h1>Lesson</h1><p>Some text to adapt.</p></body></html>"


# -- the cases -------------------------------------------------------------------------------------

def _markdown() -> Iterator[tuple[str, bytes]]:
    yield "md-one-line-5mb-words.md", ("word " * (MB)).encode()
    yield "md-one-line-5mb-no-space.md", b"a" * (5 * MB)
    yield "md-one-line-links-5mb.md", b"[a](http://x.org/y) " * (5 * MB // 20)
    yield "md-one-line-emphasis-5mb.md", b"*a* _b_ **c** " * (5 * MB // 14)
    yield "md-links-and-emphasis-lines-5mb.md", b"[a](b) *c* `d`\n" * (5 * MB // 15)
    yield "md-nested-emphasis.md", b"*" * DEEP + b"deep" + b"*" * DEEP + b"\n"
    yield "md-nested-brackets.md", b"[" * DEEP + b"x" + b"]" * DEEP + b"(y)\n"
    yield "md-open-brackets-5mb.md", b"[" * (5 * MB)
    yield "md-backticks-5mb.md", b"`a" * (5 * MB // 2)
    yield "md-nested-quotes.md", b">" * DEEP + b" deep\n"
    yield "md-nested-lists.md", b"".join(b"  " * i + b"- item\n" for i in range(2000))
    yield "md-nested-html.md", b"<div>" * DEEP + b"deep" + b"</div>" * DEEP + b"\n"
    yield "md-inline-html-5mb.md", b"text <span>x</span> " * (5 * MB // 20)
    yield "md-math-5mb.md", b"$" + b"x+" * (5 * MB // 2) + b"$\n"
    yield "md-table-100k-cells.md", b"|" + b"a|" * 100_000 + b"\n|" + b"-|" * 100_000 + b"\n|" + b"b|" * 100_000 + b"\n"
    yield "md-200k-headings.md", b"# heading\n\n" * 200_000
    yield "md-50k-paragraphs.md", b"A short paragraph of text.\n\n" * 50_000
    yield "md-nul-bytes.md", b"# Title\n\nText\x00with\x00NULs.\n" * 1000
    yield "md-invalid-utf8.md", b"# Title\n\nBad \xff\xfe\xc3 bytes.\n"
    yield "md-utf16-bom.md", "# Title\n\nText in UTF-16.\n".encode("utf-16")
    yield "md-utf16-no-bom.md", "# Title\n\nText in UTF-16.\n".encode("utf-16-le")
    yield "md-entities-5mb.md", b"&amp;&#169;&#x1F600; " * (5 * MB // 21)
    yield "md-images-5mb.md", b"![alt](i.png) " * (5 * MB // 14)
    yield "md-nested-image-alt.md", b"![" * 5000 + b"x" + b"](i.png)" * 5000 + b"\n"
    yield "md-front-matter-5mb.md", b"---\n" + b"key: value\n" * (5 * MB // 11) + b"---\n\n# T\n\ntext\n"
    yield "md-cr-only.md", b"# Title\r\rText with CR line ends.\r" * 1000
    yield "md-control-chars.md", bytes(range(1, 32)) * 1000 + b"\n\nwords here\n"
    yield "md-reference-defs-100k.md", b"".join(b"[r%d]: http://x/%d\n" % (i, i) for i in range(100_000)) + b"\ntext [r1]\n"


def _html() -> Iterator[tuple[str, bytes]]:
    yield "html-nested-div-1000.html", b"<div>" * 1000 + b"deep text" + b"</div>" * 1000
    yield "html-nested-div-100k.html", b"<div>" * DEEP + b"deep text" + b"</div>" * DEEP
    yield "html-nested-span-100k.html", b"<p>" + b"<span>" * DEEP + b"deep text" + b"</span>" * DEEP + b"</p>"
    yield "html-nested-b-unclosed-100k.html", b"<p>text " + b"<b>x " * DEEP
    yield "html-nested-table-10k.html", b"<table><tr><td>" * 10_000 + b"cell" + b"</td></tr></table>" * 10_000
    yield "html-nested-list-100k.html", b"<ul><li>" * DEEP + b"item"
    yield "html-huge-alt-5mb.html", b'<p>text <img alt="' + b"a " * (5 * MB // 2) + b'" src="i.png"></p>'
    yield "html-huge-title-attr-5mb.html", b'<p title="' + b"x" * (5 * MB) + b'">text</p>'
    yield "html-100k-attributes.html", b"<p " + b"".join(b'a%d="v" ' % i for i in range(100_000)) + b">text</p>"
    yield "html-unquoted-attr-5mb.html", b"<p class=" + b"x" * (5 * MB) + b">text</p>"
    yield "html-one-line-5mb.html", b"<p>" + b"word " * MB + b"</p>"
    yield "html-entities-5mb.html", b"<p>" + b"&amp;&#169; " * (5 * MB // 12) + b"</p>"
    yield "html-100k-paragraphs.html", b"<p>para</p>" * 110_000
    yield "html-100k-inline-b.html", b"<p>" + b"<b>x</b> " * 100_000 + b"</p>"
    yield "html-stray-end-tags.html", b"<p>text</p>" + b"</b>" * (MB)
    yield "html-stray-end-tags-deep.html", b"<span>" * 200 + b"text" + b"</x>" * (MB // 4)
    yield "html-unclosed-comment.html", b"<p>text</p><!--" + b"x" * (5 * MB)
    yield "html-script-5mb.html", b"<p>text</p><script>" + b"var a=1;" * (5 * MB // 8) + b"</script>"
    yield "html-nul-bytes.html", b"<p>Text\x00with\x00NULs</p>" * 1000
    yield "html-invalid-utf8.html", b"<p>Bad \xff\xfe bytes</p>"
    yield "html-utf16.html", "<p>UTF-16 text</p>".encode("utf-16")
    yield "html-unclosed-p-100k.html", b"<p>para " * DEEP
    yield "html-many-images.html", b"<p>" + b'<img alt="a picture" src="i.png">' * 20_000 + b"</p>"
    yield "html-lt-5mb.html", b"<" * (5 * MB)
    yield "html-deep-head.html", b"<html><head>" + b"<div>" * DEEP + b"</head><body><p>text</p></body></html>"
    yield "html-doctype-entities.html", _laughs("<html><body><p>", "</p></body></html>").encode()


def _cnxml_cases() -> Iterator[tuple[str, bytes]]:
    yield "cnxml-nested-emphasis-5000.cnxml", _cnxml('<para id="p">' + "<emphasis>" * 5000 + "deep"
                                                   + "</emphasis>" * 5000 + "</para>").encode()
    yield "cnxml-nested-emphasis-100k.cnxml", _cnxml('<para id="p">' + "<emphasis>" * DEEP + "deep"
                                                   + "</emphasis>" * DEEP + "</para>").encode()
    yield "cnxml-nested-sections-100k.cnxml", _cnxml("<section>" * DEEP + '<para id="p">deep</para>'
                                                   + "</section>" * DEEP).encode()
    yield "cnxml-nested-math-100k.cnxml", _cnxml('<para id="p">x <m:math xmlns:m="http://www.w3.org/1998/Math/'
                                               'MathML">' + "<m:mrow>" * DEEP + "<m:mi>x</m:mi>" + "</m:mrow>" * DEEP
                                               + "</m:math></para>").encode()
    yield "cnxml-billion-laughs.cnxml", _laughs(f'<document xmlns="{CNXML_NS}"><content><para>',
                                                "</para></content></document>").encode()
    yield "cnxml-quadratic-blowup.cnxml", (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "{"x" * 50_000}">]>'
                                           f'<document xmlns="{CNXML_NS}"><content><para>' + "&a;" * 50_000
                                           + "</para></content></document>").encode()
    yield "cnxml-external-entity.cnxml", (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                          f'<document xmlns="{CNXML_NS}"><content><para>&x;</para></content>'
                                          "</document>").encode()
    yield "cnxml-external-dtd.cnxml", _cnxml('<para id="p">text</para>', head='<?xml version="1.0"?>'
                                             '<!DOCTYPE document SYSTEM "http://127.0.0.1:9/evil.dtd">').encode()
    yield "cnxml-parameter-entity.cnxml", (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY % p SYSTEM '
                                           f'"file:///etc/passwd"> %p;]><document xmlns="{CNXML_NS}"><content>'
                                           "<para>x</para></content></document>").encode()
    yield "cnxml-huge-attribute-5mb.cnxml", _cnxml('<para id="p">text</para>', attrs=f' class="{"x" * (5 * MB)}"').encode()
    yield "cnxml-huge-alt-5mb.cnxml", _cnxml(f'<para id="p">text <media alt="{"a " * (5 * MB // 2)}"><image src="i.png"'
                                             "/></media></para>").encode()
    yield "cnxml-one-line-5mb.cnxml", _cnxml('<para id="p">' + "word " * MB + "</para>").encode()
    yield "cnxml-120k-paras.cnxml", _cnxml("<para>text</para>" * 120_000).encode()
    yield "cnxml-100k-inline.cnxml", _cnxml('<para id="p">' + "<emphasis>x</emphasis> " * 100_000 + "</para>").encode()
    yield "cnxml-nul.cnxml", _cnxml('<para id="p">text\x00NUL</para>').encode()
    yield "cnxml-invalid-utf8.cnxml", _cnxml('<para id="p">text</para>').encode().replace(b"text", b"t\xffxt")
    yield "cnxml-utf16.cnxml", _cnxml('<para id="p">text</para>', head='<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16")
    yield "cnxml-truncated.cnxml", _cnxml('<para id="p">text</para>').encode()[:-30]
    yield "cnxml-not-xml.cnxml", b"\x00\x01\x02 binary garbage \xff" * 1000
    yield "cnxml-mismatched-tags.cnxml", _cnxml('<para id="p"><emphasis>text</para></emphasis>').encode()
    yield "cnxml-10k-namespaces.cnxml", _cnxml('<para id="p">' + "".join(
        f'<emphasis xmlns:n{i}="urn:{i}">' for i in range(10_000)) + "x" + "</emphasis>" * 10_000 + "</para>").encode()
    yield "cnxml-cdata-5mb.cnxml", _cnxml('<para id="p"><![CDATA[' + "x " * (5 * MB // 2) + "]]></para>").encode()


def _docx_cases() -> Iterator[tuple[str, bytes]]:
    good = _docx(_wdoc(_para("Hello world.")))
    yield "docx-not-a-zip.docx", b"plain text pretending to be Word"
    yield "docx-truncated-half.docx", good[: len(good) // 2]
    yield "docx-truncated-end.docx", good[:-10]
    yield "docx-empty-zip.docx", _zip([])
    yield "docx-no-document-part.docx", _zip([("[Content_Types].xml", b"<Types/>")])
    yield "docx-malformed-document.docx", _docx("<w:document><w:body><w:p>")
    yield "docx-document-not-xml.docx", _docx(b"\x00\xff binary")
    yield "docx-billion-laughs.docx", _docx(_laughs(f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>',
                                                    "</w:t></w:r></w:p></w:body></w:document>"))
    yield "docx-external-entity.docx", _docx(f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                             f'<w:document xmlns:w="{W_NS}"><w:body>{_para("&x;")}</w:body></w:document>')
    yield "docx-nested-sdt-100k.docx", _docx(_wdoc("<w:sdt><w:sdtContent>" * DEEP + _para("deep")
                                                   + "</w:sdtContent></w:sdt>" * DEEP))
    yield "docx-nested-tables-1000.docx", _docx(_wdoc("<w:tbl><w:tr><w:tc>" * 1000 + _para("deep")
                                                      + "</w:tc></w:tr></w:tbl>" * 1000))
    yield "docx-huge-text-5mb.docx", _docx(_wdoc(_para("word " * MB)))
    yield "docx-100k-runs.docx", _docx(_wdoc("<w:p>" + "".join(
        f'<w:r><w:rPr>{"<w:b/>" if i % 2 else "<w:i/>"}</w:rPr><w:t xml:space="preserve">x{i} </w:t></w:r>'
        for i in range(100_000)) + "</w:p>"))
    yield "docx-120k-paragraphs.docx", _docx(_wdoc(_para("text") * 120_000))
    yield "docx-huge-attribute.docx", _docx(_wdoc(f'<w:p w:rsidR="{"0" * (5 * MB)}"><w:r><w:t>x</w:t></w:r></w:p>'))
    yield "docx-nul-in-xml.docx", _docx(_wdoc(_para("te\x00xt")))
    yield "docx-invalid-utf8.docx", _docx(_wdoc(_para("text")).encode().replace(b"text", b"t\xffxt"))
    yield "docx-malformed-styles.docx", _docx(_wdoc(_para("text")), extra=[("word/styles.xml", b"<w:styles><unclosed>")])
    yield "docx-malformed-core-props.docx", _docx(_wdoc(_para("text")), extra=[("docProps/core.xml", b"<cp:coreProperties>")])
    yield "docx-rels-point-outside.docx", _docx(_wdoc(_para("text")), rels=(
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        b'Target="../../../../etc/passwd"/></Relationships>'))
    yield "docx-malformed-rels.docx", _docx(_wdoc(_para("text")), rels=b"<Relationships><oops")
    yield "docx-zip-slip.docx", _docx(_wdoc(_para("text")), extra=[("../../evil.xml", b"<x/>")])
    yield "docx-absolute-member.docx", _docx(_wdoc(_para("text")), extra=[("/etc/evil.xml", b"<x/>")])
    yield "docx-zip-bomb.docx", _bomb_member("word/document.xml", 600 * MB)
    yield "docx-zip-bomb-lying-sizes.docx", _lying_sizes(_docx(_wdoc(_para("word " * (2 * MB)))))
    yield "docx-duplicate-members.docx", _zip_quiet([("word/document.xml", _wdoc(_para("a")).encode()),
                                               ("word/document.xml", _wdoc(_para("b")).encode())])


def _imscc_cases() -> Iterator[tuple[str, bytes]]:
    yield "imscc-not-a-zip.imscc", b"<html>not a zip</html>"
    good = _cartridge(_manifest(_resource("a.html")), [("a.html", PAGE)])
    yield "imscc-truncated.imscc", good[: len(good) // 2]
    yield "imscc-no-manifest.imscc", _zip([("a.html", PAGE)])
    yield "imscc-malformed-manifest.imscc", _cartridge(b"<manifest><resources>", [("a.html", PAGE)])
    yield "imscc-manifest-dotdot.imscc", _cartridge(_manifest(_resource("../../etc/passwd")), [("a.html", PAGE)])
    yield "imscc-manifest-absolute.imscc", _cartridge(_manifest(_resource("/etc/passwd")), [("a.html", PAGE)])
    yield "imscc-manifest-file-url.imscc", _cartridge(_manifest(_resource("file:///etc/passwd")), [("a.html", PAGE)])
    yield "imscc-manifest-http-url.imscc", _cartridge(_manifest(_resource("http://127.0.0.1:9/x.html")),
                                                      [("a.html", PAGE)])
    yield "imscc-manifest-missing-file.imscc", _cartridge(_manifest(_resource("nowhere.html")), [("a.html", PAGE)])
    yield "imscc-manifest-10k-missing.imscc", _cartridge(_manifest("".join(
        _resource(f"f{i}.html", f"R{i}") for i in range(10_000))), [("a.html", PAGE)])
    yield "imscc-zip-slip.imscc", _cartridge(_manifest(_resource("a.html")), [("a.html", PAGE), ("../../evil.html", PAGE)])
    yield "imscc-zip-bomb.imscc", \
        _bomb_member("imsmanifest.xml", 600 * MB)
    yield "imscc-zip-bomb-lying-sizes.imscc", _lying_sizes(_cartridge(_manifest(_resource("a.html")),
                                                                      [("a.html", b"<p>" + b"word " * (2 * MB) + b"</p>")]))
    yield "imscc-manifest-laughs.imscc", _cartridge(_laughs(f'<manifest xmlns="{CP_NS}"><resources>',
                                                            "</resources></manifest>").encode())
    yield "imscc-manifest-external-entity.imscc", _cartridge(
        (f'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><manifest xmlns="{CP_NS}">'
         '<resources>&x;</resources></manifest>').encode())
    yield "imscc-manifest-deep.imscc", _cartridge(_manifest("<x>" * DEEP + "</x>" * DEEP + _resource("a.html")),
                                                  [("a.html", PAGE)])
    yield "imscc-page-nested-100k.imscc", _cartridge(_manifest(_resource("a.html")),
                                                     [("a.html", b"<div>" * DEEP + b"deep" + b"</div>" * DEEP)])
    yield "imscc-page-invalid-utf8.imscc", _cartridge(_manifest(_resource("a.html")), [("a.html", b"<p>\xff\xfe</p>")])
    yield "imscc-page-laughs.imscc", _cartridge(_manifest(_resource("a.html")),
                                                [("a.html", _laughs("<html><body><p>", "</p></body></html>").encode())])
    yield "imscc-huge-manifest-attribute.imscc", _cartridge(
        _manifest(_resource("a.html")).replace(b'identifier="M"', b'identifier="' + b"M" * (5 * MB) + b'"'),
        [("a.html", PAGE)])
    yield "imscc-nul-manifest.imscc", _cartridge(_manifest(_resource("a.html")).replace(b"<organizations/>",
                                                                                        b"<organizations>\x00</organizations>"),
                                                 [("a.html", PAGE)])
    yield "imscc-empty-zip.imscc", _zip([])


def _text_cases() -> Iterator[tuple[str, bytes]]:
    yield "txt-one-line-5mb.txt", b"word " * MB
    yield "txt-one-line-5mb-no-space.txt", b"x" * (5 * MB)
    yield "txt-newlines-5mb.txt", b"\n" * (5 * MB) + b"text"
    yield "txt-200k-lines.txt", b"short line of text\n\n" * 200_000
    yield "txt-nul.txt", b"text\x00with\x00NULs\n" * 1000
    yield "txt-only-nuls.txt", b"\x00" * MB
    yield "txt-invalid-utf8.txt", b"text \xff\xfe\xfd"
    yield "txt-utf16.txt", "UTF-16 text here.".encode("utf-16")
    yield "txt-random-binary.txt", bytes((i * 7919 + 13) % 256 for i in range(MB))
    yield "txt-urls-5mb.txt", b"http://example.org/a?b=c " * (5 * MB // 25)
    yield "txt-placeholder-lookalikes.txt", b"[1] [/2] [3]" * 100_000
    yield "txt-tex-5mb.txt", b"$x$ \\(y\\) " * (5 * MB // 11)
    yield "txt-bom-only.txt", b"\xef\xbb\xbf"
    yield "txt-surrogates.txt", b"\xed\xa0\x80 lone surrogate"


def _other_cases() -> Iterator[tuple[str, bytes]]:
    yield "other-unknown-extension.bin", b"\x7fELF" + b"\x00" * 1000
    yield "other-zip-named-md.md", _zip([("a.md", b"# hi")])
    yield "other-html-named-docx.docx", PAGE
    yield "other-empty.html", b""
    yield "other-whitespace.cnxml", b"   \n\t  "


GROUPS: list[Callable[[], Iterator[tuple[str, bytes]]]] = [
    _markdown, _html, _cnxml_cases, _docx_cases, _imscc_cases, _text_cases, _other_cases]


def write_corpus(folder: Path) -> list[Path]:
    """Write every case into `folder` (made if needed); returns the files, in a stable order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for group in GROUPS:
        for name, data in group():
            path = folder / name
            path.write_bytes(data)
            paths.append(path)
    return paths


# -- running it -----------------------------------------------------------------------------------

TIME_CAP_S = 60.0
RSS_CAP = 1536 * MB


@dataclass
class Outcome:
    name: str
    size: int
    exit_code: int | None  # None: killed at the time cap
    seconds: float  # wall clock (what the cap is on; a loaded machine stretches it)
    peak_rss: int  # bytes, the child's own (ru_maxrss from wait4)
    stdout: str
    stderr: str
    stored: int  # resources in the database afterwards
    cpu_seconds: float = 0.0  # the child's user + system CPU (from wait4): what the case costs

    def figures(self) -> str:
        """Name and cost in one line: what a failure message and the summary report."""
        return (f"{self.name}: exit {self.exit_code}, {self.cpu_seconds:.1f} s CPU, {self.seconds:.1f} s wall, "
                f"peak RSS {self.peak_rss / MB:.0f} MB")

    @property
    def memory_cap(self) -> int:
        """The issue's caps: 1.5 GB for any hostile file, and 10x the file's size + 500 MB."""
        return min(RSS_CAP, 10 * self.size + 500 * MB)

    def problems(self) -> list[str]:
        out = []
        if self.exit_code not in (0, 1):
            out.append(f"exit {self.exit_code} (want 0 or 1): {self.stderr.strip()[-300:]}")
        if self.seconds > TIME_CAP_S:
            out.append(f"took {self.seconds:.1f} s (cap {TIME_CAP_S:.0f} s)")
        if self.peak_rss > self.memory_cap:
            out.append(f"peak RSS {self.peak_rss / MB:.0f} MB (cap {self.memory_cap / MB:.0f} MB)")
        if self.exit_code == 1:
            if len(self.stderr.strip().splitlines()) != 1 or not self.stderr.startswith("error: "):
                out.append(f"exit 1 without a one-line message: {self.stderr.strip()[-300:]!r}")
            if self.stored:
                out.append("exit 1 but a resource was stored")
        return out


# A small launcher between the test process and the case: a child forked from a process that holds
# gigabytes (pytest after the model tests) counts those pages in its own peak RSS until it execs, so the
# case is forked from this ~10 MB launcher instead, which also enforces the time cap and reports the case's
# own exit code, peak RSS and CPU time (wait4) in a JSON file.
LAUNCHER = r"""
import json, os, sys, time
report, cap, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
pid = os.fork()
if pid == 0:
    os.execv(cmd[0], cmd)
started, killed = time.monotonic(), False
while True:
    got, status, usage = os.wait4(pid, os.WNOHANG)
    if got:
        break
    if not killed and time.monotonic() - started > cap:
        os.kill(pid, 9)
        killed = True
    time.sleep(0.02)
with open(report, "w") as f:
    json.dump({"code": os.waitstatus_to_exitcode(status), "killed": killed, "maxrss_kb": usage.ru_maxrss,
               "cpu": usage.ru_utime + usage.ru_stime}, f)
"""


def run_case(path: Path, work: Path, *, time_cap: float = TIME_CAP_S) -> Outcome:
    """`adapt import PATH` in a child process with its own database; the child's peak RSS from wait4
    (through LAUNCHER, so that the test process's own memory is not counted)."""
    import json
    import os
    import sqlite3
    import subprocess
    import time

    work.mkdir(parents=True, exist_ok=True)
    db = work / "adapt.db"
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(repo), "ADAPT_USER": "corpus", "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    env.pop("ADAPT_DEBUG", None)
    out, err, report = work / "stdout", work / "stderr", work / "report.json"
    report.unlink(missing_ok=True)
    command = [sys.executable, "-m", "adapt", "--db", str(db), "import", str(path)]
    started = time.monotonic()
    with out.open("wb") as fo, err.open("wb") as fe:
        # The launcher kills the case at the cap; the timeout here is only a backstop for the launcher.
        subprocess.run([sys.executable, "-c", LAUNCHER, str(report), str(time_cap), *command], stdout=fo,
                       stderr=fe, stdin=subprocess.DEVNULL, cwd=work, env=env, timeout=time_cap + 60, check=False)
    seconds = time.monotonic() - started
    result = json.loads(report.read_text())
    stored = 0
    if db.exists():
        with sqlite3.connect(db) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if "resources" in tables:
                stored = conn.execute("SELECT COUNT(*) FROM resources").fetchone()[0]
    return Outcome(path.name, path.stat().st_size, None if result["killed"] else result["code"], seconds,
                   result["maxrss_kb"] * 1024, out.read_text(errors="replace"), err.read_text(errors="replace"),
                   stored, result["cpu"])


def run_corpus(paths: list[Path], work: Path, *, workers: int = 2) -> list[Outcome]:
    """Every case, `workers` at a time (threads, each waiting on its own child process)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda p: run_case(p, work / p.name), paths))


def summary(outcomes: list[Outcome], seconds: float) -> str:
    """One line for CI logs and the README: cases, passed, the largest costs, and which case they were."""
    failed = sum(bool(o.problems()) for o in outcomes)
    cpu = max(outcomes, key=lambda o: o.cpu_seconds)
    wall = max(outcomes, key=lambda o: o.seconds)
    rss = max(outcomes, key=lambda o: o.peak_rss)
    return (f"hostile corpus: {len(outcomes)} cases, {len(outcomes) - failed} passed, {failed} failed, "
            f"{seconds:.0f} s in all; max {cpu.cpu_seconds:.1f} s CPU ({cpu.name}), max {wall.seconds:.1f} s wall "
            f"({wall.name}), max peak RSS {rss.peak_rss / MB:.0f} MB ({rss.name})")


def main(argv: list[str]) -> int:
    """Write the corpus into OUT_FOLDER; with --run, also run every case and print a table."""
    run = "--run" in argv
    args = [a for a in argv if a != "--run"]
    if len(args) != 1:
        print("usage: python tests/adapt/hostile_corpus.py OUT_FOLDER [--run]", file=sys.stderr)
        return 1
    paths = write_corpus(Path(args[0]) / "files")
    if not run:
        for path in paths:
            print(f"{path.stat().st_size:>12,}  {path}")
        return 0
    import time

    started = time.monotonic()
    outcomes = run_corpus(paths, Path(args[0]) / "runs")
    failed = 0
    for o in outcomes:
        problems = o.problems()
        failed += bool(problems)
        first = (o.stderr.strip().splitlines() or [o.stdout.strip()])[0][:110] if (o.stderr or o.stdout) else ""
        print(f"{'FAIL' if problems else 'ok  '} {o.name:42} exit {o.exit_code}  {o.cpu_seconds:5.1f} s CPU "
              f"{o.seconds:5.1f} s wall {o.peak_rss / MB:6.0f} MB  {'; '.join(problems) or first}")
    print(summary(outcomes, time.monotonic() - started))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
