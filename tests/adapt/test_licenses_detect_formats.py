"""Detection through the real format readers: HTML licence links and badges, LRMI JSON-LD, an IMS Common
Cartridge manifest's rights, a DOCX with the licence in its text."""

from __future__ import annotations

import shutil

import pytest

from adapt.formats import read_document
from adapt.licenses.detect import detect_license

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Leaves</title>{head}</head>
<body><h1>Leaves</h1><p>Leaves make sugar from light.</p>{body}</body></html>
"""


@pytest.mark.parametrize(("head", "body", "expected"), [
    ("", '<footer><a rel="license" href="http://creativecommons.org/licenses/by-nc-sa/4.0/"><img alt="CC" '
         'src="https://i.creativecommons.org/l/by-nc-sa/4.0/88x31.png"></a></footer>', "CC-BY-NC-SA-4.0"),
    ('<link rel="license" href="https://creativecommons.org/licenses/by-nd/4.0/deed.fr">', "", "CC-BY-ND-4.0"),
    ("", '<p><img src="https://licensebuttons.net/l/by-sa/3.0/88x31.png" alt="CC BY-SA"></p>', "CC-BY-SA-3.0"),
    ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"LearningResource",'
     '"license":"https://creativecommons.org/publicdomain/zero/1.0/"}</script>', "", "CC0-1.0"),
    ('<meta name="dcterms.license" content="https://creativecommons.org/licenses/by/4.0/">', "", "CC-BY-4.0"),
    ("", "<footer>© 2024 Example School. All rights reserved.</footer>", "ARR"),
    ("", "<footer>Made with care.</footer>", "UNKNOWN"),
])
def test_html(tmp_path, head, body, expected):
    path = tmp_path / "page.html"
    path.write_text(PAGE.format(head=head, body=body), encoding="utf-8")
    document, _ = read_document(path, max_bytes=1_000_000)
    assert document.format == "html"
    assert detect_license(document).license.id == expected


@pytest.mark.parametrize(("rights", "expected"), [
    ("<lomimscc:copyrightAndOtherRestrictions><lomimscc:value>yes</lomimscc:value>"
     "</lomimscc:copyrightAndOtherRestrictions><lomimscc:description><lomimscc:string language=\"en\">"
     "Licensed under https://creativecommons.org/licenses/by-sa/4.0/</lomimscc:string></lomimscc:description>",
     "CC-BY-SA-4.0"),
    ("<lomimscc:description><lomimscc:string>Creative Commons Attribution-NonCommercial 4.0 International"
     "</lomimscc:string></lomimscc:description>", "CC-BY-NC-4.0"),
    (None, "UNKNOWN"),  # the sample as published states no rights
])
def test_common_cartridge_manifest_rights(shared, tmp_path, rights, expected):
    folder = tmp_path / "cartridge"
    shutil.copytree(shared / "packages" / "imscc" / "data_imscc_profilev1p1" / "sample_1", folder)
    manifest = folder / "imsmanifest.xml"
    if rights:
        text = manifest.read_text(encoding="utf-8")
        lom = ('<lomimscc:lom><lomimscc:general><lomimscc:title><lomimscc:string>Sample</lomimscc:string>'
               f'</lomimscc:title></lomimscc:general><lomimscc:rights>{rights}</lomimscc:rights></lomimscc:lom>')
        text = text.replace('<lom xmlns="http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"/>', lom, 1)
        assert lom in text
        manifest.write_text(text, encoding="utf-8")
    document, _ = read_document(folder, max_bytes=10_000_000, format_name="imscc")
    assert detect_license(document).license.id == expected


def test_docx_licence_in_the_text(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("Leaves", level=1)
    d.add_paragraph("Leaves make sugar from light.")
    d.add_paragraph("This worksheet is licensed under CC BY-NC 4.0.")
    d.core_properties.author = "Ada Lovelace"
    path = tmp_path / "sheet.docx"
    d.save(path)
    document, _ = read_document(path, max_bytes=10_000_000)
    assert document.format == "docx"
    found = detect_license(document)
    assert (found.license.id, found.source) == ("CC-BY-NC-4.0", "text")
    assert document.metadata["authors"] == ["Ada Lovelace"]


FIGURE_PAGE = PAGE.format(head="", body=(
    '<figure><img src="leaf.jpg" alt="A green leaf"><figcaption>A leaf. Photo by Jane Doe, <a rel="license" '
    'href="https://creativecommons.org/licenses/by-nd/2.0/">CC BY-ND 2.0</a></figcaption></figure>'
    '<p>Chlorophyll absorbs red and blue light.</p><footer><p>This page is licensed under <a rel="license" '
    'href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>.</p></footer>'))


def test_html_figure_with_its_own_licence(service, tmp_path):
    """The page is CC BY; a photo in it is CC BY-ND: the photo's caption is kept out of adaptation."""
    from tests.adapt.licensing_support import install_fake

    path = tmp_path / "page.html"
    path.write_text(FIGURE_PAGE, encoding="utf-8")
    document, _ = read_document(path, max_bytes=1_000_000)
    found = detect_license(document)
    assert (found.license.id, found.source) == ("CC-BY-4.0", "metadata:license_url")
    assert document.metadata["component_licenses"][0]["license_url"].endswith("/by-nd/2.0/")
    install_fake(service)
    rid = service.translate_file(path, target="pt").resource_id
    [element] = service.licences.report(rid)["elements"]
    assert element["segment"].endswith("figcaption") and not element["adaptable"]
    assert all(not s.segment_key.endswith("figcaption") for s in service.review.suggestions(rid))


FOOTER = ('<footer><p>Page licence: <a rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">'
          'CC BY-SA 4.0</a></p></footer>')


def _component(tag: str, href: str = "https://creativecommons.org/licenses/by-nc/4.0/") -> str:
    inner = f'Photo by X, <a rel="license" href="{href}">CC BY-NC</a>'
    if tag == "figure":
        return f'<figure><img src="leaf.jpg" alt="A leaf"><figcaption>{inner}</figcaption></figure>'
    return f"<{tag}><p>A quoted line about leaves.</p><p>{inner}</p></{tag}>"


@pytest.mark.parametrize("tag", ["figure", "blockquote", "aside"])
@pytest.mark.parametrize(("head", "body_after", "expected", "source"), [
    ("", FOOTER, "CC-BY-SA-4.0", "metadata:license_url"),  # the footer comes after the component
    ('<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">', "", "CC-BY-4.0",
     "metadata:license_url"),
    ('<meta name="dcterms.license" content="https://creativecommons.org/licenses/by/4.0/">', "", "CC-BY-4.0",
     "metadata:license_url"),
    ('<script type="application/ld+json">{"@context":"https://schema.org","license":'
     '"https://creativecommons.org/licenses/by-sa/3.0/"}</script>', "", "CC-BY-SA-3.0", "jsonld:license"),
    ("", "", "UNKNOWN", "none"),  # only the component states a licence: the page's is not known
])
def test_html_page_licence_wins_over_a_component_licence(tmp_path, tag, head, body_after, expected, source):
    path = tmp_path / "page.html"
    path.write_text(PAGE.format(head=head, body=_component(tag) + body_after), encoding="utf-8")
    document, _ = read_document(path, max_bytes=1_000_000)
    found = detect_license(document)
    assert (found.license.id, found.source) == (expected, source)
    [component] = document.metadata["component_licenses"]
    assert component["element"] == tag and component["license_url"].endswith("/by-nc/4.0/")
    assert "Photo by X" in component["credit"]
    owned = {s.key: s.context.get("license_url") for s in document.segments if s.context.get("component")}
    assert owned and all(url.endswith("/by-nc/4.0/") for url in owned.values())
    assert all("attribute" not in s.context for s in document.segments if s.context.get("component"))


def test_html_figure_with_two_licences_goes_as_far_as_both_allow(tmp_path):
    from adapt.licenses import parse_license
    from adapt.licenses.detect import detect_element_licenses

    figure = ('<figure><img src="a.jpg" alt="x"><img src="b.jpg" alt="y"><figcaption>Left: A, <a rel="license" '
              'href="https://creativecommons.org/licenses/by/4.0/">CC BY</a>; right: B, <a rel="license" '
              'href="https://creativecommons.org/licenses/by-nd/4.0/">CC BY-ND</a></figcaption></figure>')
    path = tmp_path / "page.html"
    path.write_text(PAGE.format(head="", body=figure + FOOTER), encoding="utf-8")
    document, _ = read_document(path, max_bytes=1_000_000)
    [element] = detect_element_licenses(document, parse_license("CC-BY-SA-4.0"))
    assert element.key.endswith("figcaption") and not element.adaptable and element.license.id == "CC-BY-ND-4.0"


def test_html_component_licences_in_the_licence_report(service, tmp_path):
    from adapt.licenses.report import format_report

    path = tmp_path / "page.html"
    path.write_text(PAGE.format(head="", body=_component("aside") + FOOTER), encoding="utf-8")
    rid = service.import_file(path).resource_id
    report = service.licences.report(rid)
    assert report["license"]["id"] == "CC-BY-SA-4.0"
    assert [c["element"] for c in report["components"]] == ["aside"]
    elements = {e["segment"]: e for e in report["elements"]}
    assert set(elements) == {"html/body/aside/p[1]", "html/body/aside/p[2]"}
    assert not any(e["adaptable"] for e in elements.values())  # BY-NC inside a BY-SA page: kept as in the source
    text = format_report(report)
    assert "licences of components" in text and "/by-nc/4.0/" in text


def test_html_nested_component_links_never_become_the_page_licence():
    """Text-level detection (markup left in a document's text) treats nested components as one stretch."""
    from adapt.licenses.detect import _rel_license_links

    text = ('<aside><figure><a rel="license" href="u1">a</a></figure><p><a rel="license" href="u2">b</a></p>'
            '</aside><footer><a rel="license" href="u3">c</a></footer>')
    assert _rel_license_links(text) == (["u1", "u2"], ["u3"])


def test_html_many_component_licences_are_bounded(tmp_path):
    """A hostile page: thousands of licensed figures, nested asides and unclosed components."""
    figures = "".join(f'<figure id="f{i}"><figcaption>Photo {i}, <a rel="license" '
                      f'href="https://creativecommons.org/licenses/by-nd/4.0/">CC BY-ND</a></figcaption></figure>'
                      for i in range(1500))
    nested = ("<aside><aside><blockquote><p>Deep <a rel='license' href='u'>x</a></p>" * 50
              + "</blockquote></aside></aside>" * 50)
    body = figures + "<p>Plain text here.</p>" * 2000 + nested + FOOTER
    path = tmp_path / "page.html"
    path.write_text(PAGE.format(head="", body=body), encoding="utf-8")
    document, _ = read_document(path, max_bytes=50_000_000)
    assert detect_license(document).license.id == "CC-BY-SA-4.0"  # no component link ever becomes the page's
    assert len(document.metadata["component_licenses"]) == 1000  # the metadata keeps the first 1,000
    owned = [s for s in document.segments if s.context.get("component")]
    assert sum(1 for s in owned if s.kind == "caption") == 1500  # every one is marked, past the listing's cap
    assert all(not s.context.get("component") for s in document.segments if s.text == "Plain text here.")
    deep = [s for s in document.segments if s.text.startswith("Deep")]
    assert deep and all(s.context.get("license_url") == "u" for s in deep)
