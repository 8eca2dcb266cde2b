"""Detecting the licence of a Document: format metadata, licence markup left in the source, the text;
and the elements inside it with a licence of their own."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from adapt.document import Document, Placeholder, Segment
from adapt.formats import read_document
from adapt.licenses import UNKNOWN, parse_license
from adapt.licenses.detect import detect_element_licenses, detect_license


def doc(text: str = "", segments=(), metadata=None, fmt: str = "html") -> Document:
    segs = list(segments) or [Segment("p1", "paragraph", "Plants turn light into energy.")]
    return Document(fmt, "page." + fmt, text, segs, dict(metadata or {}))


def para(key: str, text: str, kind: str = "paragraph", context=None, placeholders=()) -> Segment:
    return Segment(key, kind, text, tuple(placeholders), None, True, dict(context or {}))


@pytest.mark.parametrize(("metadata", "expected", "source"), [
    ({"license_url": "http://creativecommons.org/licenses/by/4.0/"}, "CC-BY-4.0", "metadata:license_url"),
    ({"license_url": "https://creativecommons.org/licenses/by-sa/3.0/deed.es"}, "CC-BY-SA-3.0", "metadata:license_url"),
    ({"license": "CC-BY-NC-4.0"}, "CC-BY-NC-4.0", "metadata:license"),
    ({"license": {"@id": "https://creativecommons.org/publicdomain/zero/1.0/"}}, "CC0-1.0", "metadata:license"),
    ({"license_text": "Creative Commons Attribution-NoDerivatives 4.0 International"}, "CC-BY-ND-4.0",
     "metadata:license_text"),
    ({"rights": "© 2021 Example School. All rights reserved."}, "ARR", "metadata:rights"),
    ({"license_text": "This work is licensed under CC BY-SA 4.0 unless noted."}, "CC-BY-SA-4.0",
     "metadata:license_text"),
    ({"license_text": "Text CC BY 4.0; images CC BY-ND 4.0"}, "UNKNOWN", "none"),  # two: no guess
    # a module inherits its book's licence (the CNXML reader copies the collection's metadata in "book")
    ({"book": {"title": "Psychology 2e", "license_url": "http://creativecommons.org/licenses/by/4.0/"}},
     "CC-BY-4.0", "book:license_url"),
    # the CNXML reader copies the book's licence down into the module's metadata: the book states it
    ({"license_url": "http://creativecommons.org/licenses/by/4.0/",
      "book": {"license_url": "http://creativecommons.org/licenses/by/4.0/"}}, "CC-BY-4.0", "book:license_url"),
    # the module's own statement wins over the book's
    ({"license_url": "https://creativecommons.org/licenses/by-sa/4.0/",
      "book": {"license_url": "http://creativecommons.org/licenses/by/4.0/"}}, "CC-BY-SA-4.0", "metadata:license_url"),
    # an URL we cannot read, with a text we can
    ({"license_url": "https://example.org/our-licence", "license_text": "CC BY 4.0"}, "CC-BY-4.0",
     "metadata:license_text"),
    ({"license_url": "https://example.org/our-licence"}, "UNKNOWN", "none"),
    ({"license_text": "Creative Commons Attribution License"}, "UNKNOWN", "none"),  # OpenStax wording, no version
    ({"comments": "Worksheet for grade 6. Shared under CC BY-SA 4.0."}, "CC-BY-SA-4.0", "metadata:comments"),
    ({"description": "Compares CC BY 4.0 with CC BY-SA 4.0."}, "UNKNOWN", "none"),  # names two: no guess
    ({"description": "A course on plants.", "license_url": "https://creativecommons.org/licenses/by/4.0/"},
     "CC-BY-4.0", "metadata:license_url"),
    ({}, "UNKNOWN", "none"),
])
def test_from_metadata(metadata, expected, source):
    found = detect_license(doc(metadata=metadata))
    assert (found.license.id, found.source) == (expected, source)


def test_unknown_keeps_what_the_source_said():
    found = detect_license(doc(metadata={"license_url": "https://example.org/our-licence"}))
    assert found.raw == "https://example.org/our-licence"
    assert "example.org/our-licence" in found.describe()


HTML_CASES = [
    ('<footer><a rel="license" href="http://creativecommons.org/licenses/by-sa/4.0/">'
     '<img alt="Creative Commons Licence" src="https://i.creativecommons.org/l/by-sa/4.0/88x31.png"/></a></footer>',
     "CC-BY-SA-4.0", "markup:rel-license"),
    ("<head><link rel='license' href='https://creativecommons.org/licenses/by-nc/4.0/deed.de'></head>",
     "CC-BY-NC-4.0", "markup:rel-license"),
    ('<a class="x" rel="cc:license license" href="https://creativecommons.org/licenses/by/3.0/us/">CC</a>',
     "CC-BY-3.0-US", "markup:rel-license"),
    ('<p><img src="https://licensebuttons.net/l/by-nc-nd/4.0/88x31.png"></p>', "CC-BY-NC-ND-4.0", "markup:badge"),
    ('<meta name="dcterms.license" content="https://creativecommons.org/publicdomain/zero/1.0/">', "CC0-1.0",
     "markup:meta"),
    ('<meta content="CC BY-NC-SA 4.0" name="DC.rights">', "CC-BY-NC-SA-4.0", "markup:meta"),
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "LearningResource", '
     '"license": "https://creativecommons.org/licenses/by/4.0/", "isBasedOn": {"license": '
     '"https://creativecommons.org/licenses/by-sa/4.0/"}}</script>', "CC-BY-4.0", "jsonld:license"),
    ('<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, {"license": {"@id": '
     '"https://creativecommons.org/licenses/by-nd/4.0/"}}]}</script>', "CC-BY-ND-4.0", "jsonld:license"),
    ('<md:license url="http://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution License</md:license>',
     "CC-BY-4.0", "markup:md-license"),
    ("<lomimscc:rights><lomimscc:copyrightAndOtherRestrictions><lomimscc:value>yes</lomimscc:value>"
     "</lomimscc:copyrightAndOtherRestrictions><lomimscc:description><lomimscc:string language=\"en\">"
     "This course is licensed under CC BY-SA 4.0</lomimscc:string></lomimscc:description></lomimscc:rights>",
     "CC-BY-SA-4.0", "rights:description"),
    ('<script type="application/ld+json">{not json</script>', "UNKNOWN", "none"),
    ('<a rel="license" href="https://example.org/terms">terms</a>', "UNKNOWN", "none"),
]


@pytest.mark.parametrize(("markup", "expected", "source"), HTML_CASES)
def test_from_markup_left_in_the_source(markup, expected, source):
    found = detect_license(doc(text=f"<html><body><p>Plants.</p>{markup}</body></html>"))
    assert (found.license.id, found.source) == (expected, source)


def test_metadata_wins_over_markup_and_text():
    d = doc(text='<a rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">x</a>',
            segments=[para("p1", "Shared under CC BY-NC 4.0.")],
            metadata={"license_url": "https://creativecommons.org/licenses/by/4.0/"})
    assert detect_license(d).license.id == "CC-BY-4.0"


def test_from_text_url_in_a_placeholder():
    link = Placeholder(1, "pair", "link", "[", "](https://creativecommons.org/licenses/by-nc-sa/4.0/)")
    d = doc(fmt="md", segments=[para("p1", "Plants turn light into energy."),
                                para("p2", "Shared under [1]this licence[/1].", placeholders=[link])])
    found = detect_license(d)
    assert (found.license.id, found.source) == ("CC-BY-NC-SA-4.0", "text")


def test_several_licences_in_the_text_are_a_conflict_not_a_guess():
    d = doc(fmt="md", segments=[para("p1", "This page is CC BY 4.0."), para("p2", "This page is CC BY-SA 4.0.")])
    found = detect_license(d)
    assert found.license == UNKNOWN and found.source == "conflict"
    assert [c.id for c in found.candidates] == ["CC-BY-4.0", "CC-BY-SA-4.0"]
    assert "several licences" in found.describe()


def test_a_credit_line_names_the_image_licence_not_the_resource_licence():
    d = doc(fmt="md", segments=[
        para("p1", "Plants turn light into energy."),
        para("c1", "A leaf (credit: Jane Doe, CC BY-SA 2.0)", kind="caption"),
        para("p3", "A sunflower, photo by Joe (image credit: Joe / CC BY-ND 2.0)."),
    ])
    assert detect_license(d).license == UNKNOWN


@pytest.mark.parametrize(("name", "body", "expected"), [
    ("lesson.md", "# Leaves\n\nText.\n\nLicensed under [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/).\n",
     "CC-BY-SA-4.0"),
    ("lesson.md", "# Leaves\n\nText.\n\n![CC BY](https://i.creativecommons.org/l/by/4.0/88x31.png)\n", "CC-BY-4.0"),
    ("lesson.md", "# Leaves\n\nText.\n\n<a rel=\"license\" href=\"http://creativecommons.org/licenses/by-nc/4.0/\">"
                  "licence</a>\n", "CC-BY-NC-4.0"),
    ("notes.txt", "Leaves make sugar.\n\n© 2020 Example School. All rights reserved.\n", "ARR"),
    ("notes.txt", "Leaves make sugar.\n\nSPDX-License-Identifier: CC0-1.0\n", "CC0-1.0"),
    ("notes.txt", "Leaves make sugar.\n", "UNKNOWN"),
])
def test_real_files_through_the_readers(tmp_path, name, body, expected):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    document, _ = read_document(path, max_bytes=1_000_000)
    assert detect_license(document).license.id == expected


def test_the_bundled_sample_states_cc_by():
    from importlib import resources

    sample = Path(str(resources.files("adapt") / "samples" / "comments.md"))
    document, _ = read_document(sample, max_bytes=1_000_000)
    found = detect_license(document)
    assert (found.license.id, found.source) == ("CC-BY-4.0", "text")


def test_huge_hostile_document_is_scanned_quickly():
    noise = ('<a rel="license" href="' + "x" * 3000 + '">' + "<meta " * 20000 + "{" * 50000
             + '<script type="application/ld+json">' + "[" * 100000 + "</script>")
    segs = [para(f"p{i}", "CC BY " * 50 + "Attribution " * 50) for i in range(2000)]
    start = time.perf_counter()
    found = detect_license(doc(text=noise * 3, segments=segs))
    assert found.license == UNKNOWN
    assert time.perf_counter() - start < 10


# -- elements with their own licence ------------------------------------------------------------------

BY = parse_license("CC-BY-4.0")


@pytest.mark.parametrize(("context", "kind", "text", "resource", "adaptable", "said"), [
    ({"license_url": "https://creativecommons.org/licenses/by-nd/2.0/"}, "caption", "A leaf.", BY, False,
     "does not allow adaptation"),
    ({"license": "All rights reserved", "credit": "ACME"}, "caption", "The ACME logo.", BY, False,
     "does not allow adaptation"),
    ({"license_url": "https://example.org/terms"}, "caption", "A leaf.", BY, False, "cannot tell"),
    ({"license_url": "https://creativecommons.org/licenses/by-sa/4.0/"}, "caption", "A leaf.",
     parse_license("CC-BY-NC-4.0"), False, "cannot be combined"),
    ({"license_url": "https://creativecommons.org/licenses/by-sa/4.0/"}, "caption", "A leaf.", BY, True,
     "allows adaptation"),
    ({"license_url": "http://creativecommons.org/licenses/by/4.0/"}, "caption", "A leaf.", BY, True,
     "the resource's"),
    ({"credit": "Cory Zanker"}, "caption", "The moon. (credit: Cory Zanker)", BY, True,
     "no licence of its own"),
    ({}, "caption", "A leaf (credit: Jane Doe, CC BY-ND 2.0).", BY, False, "does not allow adaptation"),
    ({}, "caption", "attribution: Copyright Rice University, OpenStax, under CC BY 4.0 license", BY, True,
     "the resource's"),
    # two credited parts: the element goes only as far as both allow
    ({}, "caption", "A leaf (credit: Jane, CC BY-SA 2.0; Joe, CC BY-ND 2.0).", BY, False,
     "its own licence (CC BY-ND 2.0) does not allow adaptation"),
    ({}, "caption", "A leaf (credit a: Jane, CC BY-SA 2.0; b: Joe, CC BY 2.0).", BY, True, "allows adaptation"),
    # a paragraph's "(credit: ...)" names the image's licence
    ({}, "paragraph", "Leaves are green (credit: Jane Doe, CC BY-ND 2.0).", BY, False, "does not allow adaptation"),
])
def test_element_licences(context, kind, text, resource, adaptable, said):
    d = doc(segments=[para("p1", "Plants."), para("fig1", text, kind=kind, context=context)])
    [element] = detect_element_licenses(d, resource)
    assert element.key == "fig1"
    assert element.adaptable is adaptable
    assert said in element.reason


def test_plain_paragraphs_are_not_elements():
    # the OpenStax preface explains its art licences: a paragraph about licences is not an element
    preface = ("For illustrations (e.g. graphs, charts, etc.) that are not credited, use the following attribution: "
               "Copyright Rice University, OpenStax, under CC BY 4.0 license. Some art is under a CC0 license.")
    d = doc(segments=[para("p1", "This book is CC BY 4.0."), para("p2", "Plants."), para("p3", preface)])
    assert detect_element_licenses(d, BY) == []


def test_openstax_module_in_its_book_folder(shared):
    """The real CNXML reader: a Psychology 2e module inherits the book's licence; captions carry credits."""
    from adapt.formats.cnxml import CnxmlFormat

    path = shared / "oer" / "openstax-psychology-2e" / "modules" / "m82169" / "index.cnxml"
    document = CnxmlFormat().read(path, path.read_bytes())
    found = detect_license(document)
    assert (found.license.id, found.source) == ("CC-BY-4.0", "book:license_url")
    elements = detect_element_licenses(document, found.license)
    credits = {e.credit for e in elements}
    assert "Cory Zanker" in credits and all(e.adaptable for e in elements)


@pytest.mark.parametrize("hostile", [
    "<a " * 300_000,
    "<rights>" * 200_000,
    '<script type="application/ld+json">' * 50_000,
    "<md:license " * 200_000,
    "<meta " * 300_000,
    "Attribution" + " " * 1_000_000 + "x",
    ("Creative Commons Attribution-" + "-" * 100_000) * 3,
    "https://creativecommons.org/licenses/" * 50_000,
])
def test_pathological_markup_costs_linear_time(hostile):
    start = time.perf_counter()
    found = detect_license(doc(text=hostile, segments=[para("p1", hostile[:200_000])]))
    assert found.license == UNKNOWN
    assert time.perf_counter() - start < 5


def _openstax_modules():
    from tests.conftest import shared_data

    root = shared_data() / "oer"
    return sorted(root.glob("openstax-*/modules/*/index.cnxml"))


# OpenStax books are CC BY 4.0 except those listed (read from each book's collection file by hand).
BOOK_LICENSES = {"openstax-calculus-vol1": "CC-BY-NC-SA-4.0"}


def test_every_openstax_module_is_cc_by_from_its_book_and_nothing_is_kept_out():
    """Every real module of the shared books (132 in the first two books, more since the data grew): the
    licence comes from the collection file; captions carry credits, which are recorded, and no element
    names a licence that would keep it out of adaptation."""
    from adapt.formats.cnxml import CnxmlFormat

    modules = _openstax_modules()
    assert len(modules) >= 132
    credited = 0
    for path in modules:
        document = CnxmlFormat().read(path, path.read_bytes())
        found = detect_license(document)
        book = path.parents[2].name
        assert (found.license.id, found.source) == (BOOK_LICENSES.get(book, "CC-BY-4.0"), "book:license_url"), path
        elements = detect_element_licenses(document, found.license)
        assert all(e.adaptable for e in elements), [e for e in elements if not e.adaptable]
        credited += sum(1 for e in elements if e.credit)
    assert credited > 25  # Psychology 2e credits most photos in its captions
