"""The adaptation's licence and notes in a cartridge manifest: LOM `rights` and `general/description` in
the cartridge's own LOM namespace, a whole `<metadata>` record for a CC 1.0 cartridge that has none (never
an XML comment), checked with lxml on the real pyslet samples and on variants of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from adapt.formats import read_document, render_document
from adapt.formats.base import RenderPlan
from adapt.formats.imscc_rights import LOM_NS, cc_version
from adapt.formats.markup import parse_xml
from adapt.formats.zipsafe import open_zip
from adapt.licenses.detect import detect_license
from tests.adapt.formats.formats_xmlcheck import parse
from tests.conftest import shared_data

PROFILES = ("data_imscc_profilev1p0", "data_imscc_profilev1p1")
V10, V11 = (shared_data() / "packages/imscc" / v / "sample_1" for v in PROFILES)
LIMIT = 50 * 1024 * 1024
BY_SA = {"license": "CC-BY-SA-4.0", "license_url": "https://creativecommons.org/licenses/by-sa/4.0/",
         "license_name": "Creative Commons Attribution-ShareAlike 4.0 International"}
CC0 = {"license": "CC0-1.0", "license_url": "https://creativecommons.org/publicdomain/zero/1.0/",
       "license_name": "CC0 1.0 Universal Public Domain Dedication"}
NOTES = ("Source: “Sample” & <friends> -- ]]> by Steve Lay.", "Changes made: translated from en to pt.")
CP10 = "http://www.imsglobal.org/xsd/imscc/imscp_v1p1"


def export(folder: Path, metadata=BY_SA, notices=NOTES):
    doc, _ = read_document(folder, max_bytes=LIMIT, format_name="imscc")
    out = render_document(doc, RenderPlan(replacements={}, notices=tuple(notices), metadata=metadata))
    return out, open_zip(out, "out.imscc").read("imsmanifest.xml")


def local(el) -> str:
    return el.tag.rsplit("}", 1)[-1]


def lom_of(manifest):
    [meta] = [c for c in manifest if isinstance(c.tag, str) and local(c) == "metadata"]
    [lom] = [c for c in meta if isinstance(c.tag, str) and local(c) == "lom"]
    return meta, lom


def texts(el, name: str) -> list[str]:
    return ["".join(e.itertext()) for e in el.iter() if isinstance(e.tag, str) and local(e) == name]


def test_cc10_without_metadata_gets_a_lom_record_first_in_the_manifest(tmp_path):
    out, data = export(V10)
    manifest = parse(data)
    assert b"<!--" not in data  # no comment: a place an importer reads
    children = [local(c) for c in manifest if isinstance(c.tag, str)]
    assert children[:3] == ["metadata", "organizations", "resources"]  # IMS CP order
    meta, lom = lom_of(manifest)
    assert [local(c) for c in meta] == ["schema", "schemaversion", "lom"]
    assert texts(meta, "schema") == ["IMS Common Cartridge"] and texts(meta, "schemaversion") == ["1.0.0"]
    assert lom.tag == f"{{{LOM_NS['1.0']}}}lom"
    assert all(e.tag.startswith(f"{{{LOM_NS['1.0']}}}") for e in lom.iter() if isinstance(e.tag, str))
    [rights] = [e for e in lom if local(e) == "rights"]
    restriction = next(e for e in rights if local(e) == "copyrightAndOtherRestrictions")
    assert [(local(e), e.text) for e in restriction] == [("source", "LOMv1.0"), ("value", "yes")]  # LOM loose
    assert texts(rights, "string") == [f"{BY_SA['license_name']} - {BY_SA['license_url']}"]
    [general] = [e for e in lom if local(e) == "general"]
    assert texts(general, "string") == [" ".join(NOTES)]  # escaped, whole
    location = manifest.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()
    assert len(location) % 2 == 0 and location[location.index(LOM_NS["1.0"]) + 1].endswith("lomLoose_localised.xsd")
    # What an importer (and OER Adapt) reads back: the adaptation's licence.
    path = tmp_path / "out.imscc"
    path.write_bytes(out)
    again, _ = read_document(path, max_bytes=LIMIT)
    found = detect_license(again)
    assert (found.license.id, found.source) == ("CC-BY-SA-4.0", "metadata:license_url")
    assert again.metadata["cc_version"] == "1.0.0"


def test_cc11_lom_gets_rights_in_its_profile(tmp_path):
    _, data = export(V11)
    manifest = parse(data)
    _, lom = lom_of(manifest)
    assert lom.tag == f"{{{LOM_NS['1.1']}}}lom"
    [rights] = [e for e in lom if local(e) == "rights"]
    restriction = next(e for e in rights if local(e) == "copyrightAndOtherRestrictions")
    assert [local(e) for e in restriction] == ["value"]  # the 1.1 manifest profile: value alone
    assert [local(e) for e in lom] == ["general", "rights"]
    location = manifest.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()
    assert location.count(LOM_NS["1.1"]) == 1  # declared already: not added twice


def _variant(tmp_path: Path, old: str, new: str, source: Path = V10) -> Path:
    folder = tmp_path / "cartridge"
    shutil.copytree(source, folder)
    manifest = folder / "imsmanifest.xml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_source_rights_are_replaced_by_the_adaptations(tmp_path):
    lom = ('<lomimscc:lom><lomimscc:general><lomimscc:title><lomimscc:string>Sample</lomimscc:string>'
           '</lomimscc:title></lomimscc:general><lomimscc:rights><lomimscc:copyrightAndOtherRestrictions>'
           '<lomimscc:value>yes</lomimscc:value></lomimscc:copyrightAndOtherRestrictions><lomimscc:description>'
           '<lomimscc:string>Licensed under https://creativecommons.org/licenses/by/4.0/</lomimscc:string>'
           '</lomimscc:description></lomimscc:rights><lomimscc:classification/></lomimscc:lom>')
    folder = _variant(tmp_path, '<lom xmlns="http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"/>', lom, V11)
    doc, _ = read_document(folder, max_bytes=LIMIT, format_name="imscc")
    assert detect_license(doc).license.id == "CC-BY-4.0"
    _, data = export(folder)
    _, lom_el = lom_of(parse(data))
    assert [local(e) for e in lom_el] == ["general", "rights", "classification"]
    assert texts(lom_el, "title") == ["Sample"]
    assert len([e for e in lom_el.iter() if local(e) == "rights"]) == 1
    assert "by-sa/4.0" in "".join(lom_el.find(f"{{{LOM_NS['1.1']}}}rights").itertext())


@pytest.mark.parametrize(("old", "new", "expected_children"), [
    ("<organizations/>", "<metadata/>\n    <organizations/>", ["schema", "schemaversion", "lom"]),
    ("<organizations/>", "<metadata><schema>IMS Common Cartridge</schema><schemaversion>1.0.0</schemaversion>"
                         "</metadata>\n    <organizations/>", ["schema", "schemaversion", "lom"]),
    ("<organizations/>", '<metadata><x:extra xmlns:x="urn:x">kept</x:extra></metadata>\n    <organizations/>',
     ["schema", "schemaversion", "extra", "lom"]),
])
def test_cc10_existing_metadata_without_lom(tmp_path, old, new, expected_children):
    _, data = export(_variant(tmp_path, old, new))
    meta, _ = lom_of(parse(data))
    assert [local(c) for c in meta] == expected_children


def test_cc10_official_namespace_and_public_domain(tmp_path):
    folder = _variant(tmp_path, 'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"', f'xmlns="{CP10}"')
    _, data = export(folder, metadata=CC0)
    manifest = parse(data)
    meta, lom = lom_of(manifest)
    assert meta.tag == f"{{{CP10}}}metadata" and lom.tag == f"{{{LOM_NS['1.0']}}}lom"
    assert texts(lom.find(f"{{{LOM_NS['1.0']}}}rights"), "value") == ["no"]  # nothing reserved


def test_notes_without_a_licence_and_nothing_at_all(tmp_path):
    _, data = export(V10, metadata={"license": None, "license_name": None, "license_url": None})
    _, lom = lom_of(parse(data))
    assert [local(e) for e in lom] == ["general"]
    doc, source = read_document(V10, max_bytes=LIMIT)
    out = render_document(doc, RenderPlan(replacements={}, target_language="pt"))
    assert open_zip(out, "o").read("imsmanifest.xml") == open_zip(source, "s").read("imsmanifest.xml")


@pytest.mark.parametrize(("manifest", "expected"), [
    ('<manifest xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"/>', "1.3"),
    (f'<manifest xmlns="{CP10}"/>', "1.0"),
    ('<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><metadata><schemaversion>1.2.0</schemaversion>'
     "</metadata></manifest>", "1.2"),
    ('<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><resources><resource type="imsdt_xmlv1p1"/>'
     "</resources></manifest>", "1.1"),
    ('<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"/>', "1.0"),
])
def test_cc_version(manifest, expected):
    assert cc_version(parse_xml(manifest)) == expected


def test_service_export_of_a_cc10_cartridge_states_the_adaptations_licence(service, tmp_path):
    from tests.adapt.licensing_support import install_fake

    install_fake(service)
    summary = service.translate_file(V10, target="pt", assume_license="CC-BY-4.0", source="en")
    service.review.accept([s.id for s in service.review.suggestions(summary.resource_id)], actor="rui")
    service.export(summary.resource_id, tmp_path / "course.imscc")
    data = open_zip((tmp_path / "course.imscc").read_bytes(), "course").read("imsmanifest.xml")
    assert b"<!--" not in data
    _, lom = lom_of(parse(data))
    [rights] = texts(lom.find(f"{{{LOM_NS['1.0']}}}rights"), "string")
    assert rights == "Creative Commons Attribution 4.0 International - https://creativecommons.org/licenses/by/4.0/"
    [notes] = texts(lom.find(f"{{{LOM_NS['1.0']}}}general"), "string")
    assert "Alterações: tradução do inglês para o português" in notes and "Revisão de rui" in notes  # pt notes


def test_component_licences_of_cartridge_pages_are_listed(tmp_path):
    folder = tmp_path / "cartridge"
    shutil.copytree(V10, folder)
    page = folder / "page_001.htm"
    page.write_text(page.read_text(encoding="utf-8").replace("<p>", (
        '<figure><img src="images/image_0001.gif" alt="x"><figcaption>Photo: A, <a rel="license" '
        'href="https://creativecommons.org/licenses/by-nd/4.0/">CC BY-ND</a></figcaption></figure><p>'), 1),
        encoding="utf-8")
    doc, _ = read_document(folder, max_bytes=LIMIT, format_name="imscc")
    [component] = doc.metadata["component_licenses"]
    assert component["file"] == "page_001.htm" and component["element"] == "figure"
    [caption] = [s for s in doc.segments if s.context.get("component")]
    assert caption.key.startswith("page_001.htm:") and caption.context["license_url"].endswith("/by-nd/4.0/")
    assert detect_license(doc).license.id == "UNKNOWN"  # the photo's licence is not the cartridge's
