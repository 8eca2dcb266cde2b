"""DOCX licence in the document properties: read from docProps/core.xml (dc:rights, Comments) and
docProps/custom.xml (License, Rights...), written back on export as custom properties. Real .docx files
built with python-docx in tmp_path, their property parts edited as Word and other tools write them."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from adapt.errors import HostileInput, UnreadableFile
from adapt.formats import read_document
from adapt.formats.base import RenderPlan
from adapt.formats.docx import DocxFormat
from adapt.formats.docx_props import CUSTOM_NS, VT_NS
from adapt.licenses.detect import detect_license

CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"


def base_docx(text: str = "Leaves make sugar from light.") -> bytes:
    d = docx.Document()
    d.add_heading("Leaves", level=1)
    d.add_paragraph(text)
    d.core_properties.comments = ""
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def rewrite(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """The package with members replaced, added (name -> bytes) or removed (name -> None)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in src.namelist():
            if name in changes:
                if changes[name] is not None:
                    zf.writestr(name, changes[name])
            else:
                zf.writestr(name, src.read(name))
        for name, body in changes.items():
            if name not in src.namelist() and body is not None:
                zf.writestr(name, body)
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def with_rights(data: bytes, rights: str) -> bytes:
    core = member(data, "docProps/core.xml").decode()
    core = core.replace("</cp:coreProperties>", f"<dc:rights>{rights}</dc:rights></cp:coreProperties>")
    return rewrite(data, {"docProps/core.xml": core.encode()})


def custom_xml(props: dict[str, str]) -> bytes:
    body = "".join(f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" name="{name}">'
                   f"<vt:lpwstr>{value}</vt:lpwstr></property>" for i, (name, value) in enumerate(props.items(), 2))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="{CUSTOM_NS}" '
            f'xmlns:vt="{VT_NS}">{body}</Properties>').encode()


def with_custom(data: bytes, props: dict[str, str] | None = None, raw: bytes | None = None) -> bytes:
    types = member(data, "[Content_Types].xml").decode().replace(
        "</Types>", f'<Override PartName="/docProps/custom.xml" ContentType="{CUSTOM_CT}"/></Types>')
    rels = member(data, "_rels/.rels").decode().replace(
        "</Relationships>", f'<Relationship Id="rIdCustom" Type="{CUSTOM_REL}" Target="docProps/custom.xml"/>'
                            "</Relationships>")
    return rewrite(data, {"[Content_Types].xml": types.encode(), "_rels/.rels": rels.encode(),
                          "docProps/custom.xml": raw if raw is not None else custom_xml(props or {})})


def read(tmp_path: Path, data: bytes):
    path = tmp_path / "sheet.docx"
    path.write_bytes(data)
    document, _ = read_document(path, max_bytes=50_000_000)
    assert document.format == "docx"
    return document


@pytest.mark.parametrize(("rights", "expected"), [
    ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
    ("https://creativecommons.org/licenses/by-nc/4.0/", "CC-BY-NC-4.0"),
    ("This work is licensed under a Creative Commons Attribution 4.0 International License.", "CC-BY-4.0"),
    ("© 2024 Example School. All rights reserved.", "ARR"),
    ("Ask the author.", "UNKNOWN"),
])
def test_docx_licence_from_core_dc_rights(tmp_path, rights, expected):
    document = read(tmp_path, with_rights(base_docx(), rights))
    found = detect_license(document)
    assert found.license.id == expected
    assert document.metadata["rights"] == rights
    if expected != "UNKNOWN":
        assert found.source == "metadata:rights"
        assert document.metadata["license_properties"] == {"core:dc:rights": rights}


@pytest.mark.parametrize(("props", "expected", "source"), [
    ({"License": "https://creativecommons.org/licenses/by-sa/3.0/us/"}, "CC-BY-SA-3.0-US", "metadata:license_url"),
    ({"Licence": "CC BY-NC 4.0"}, "CC-BY-NC-4.0", "metadata:license"),
    ({"license url": "https://creativecommons.org/publicdomain/zero/1.0/"}, "CC0-1.0", "metadata:license_url"),
    ({"Copyright": "Licensed CC-BY-4.0 by the Ministry"}, "CC-BY-4.0", "metadata:rights"),
    ({"Department": "Biology", "Reviewed": "yes"}, "UNKNOWN", "none"),
])
def test_docx_licence_from_custom_properties(tmp_path, props, expected, source):
    found = detect_license(read(tmp_path, with_custom(base_docx(), props)))
    assert (found.license.id, found.source) == (expected, source)


def test_docx_licence_property_wins_over_rights_and_text(tmp_path):
    data = base_docx("Photos in this sheet are CC BY-ND 4.0.")
    data = with_custom(with_rights(data, "CC BY-NC-SA 4.0"), {"License": "CC BY 4.0"})
    found = detect_license(read(tmp_path, data))
    assert (found.license.id, found.source) == ("CC-BY-4.0", "metadata:license")
    found = detect_license(read(tmp_path, with_rights(base_docx("Photos in this sheet are CC BY-ND 4.0."),
                                                      "CC BY-NC-SA 4.0")))
    assert (found.license.id, found.source) == ("CC-BY-NC-SA-4.0", "metadata:rights")


def test_docx_licence_in_core_comments_only_when_it_names_one(tmp_path):
    d = docx.Document()
    d.add_paragraph("Leaves make sugar from light.")
    d.core_properties.comments = "Shared under CC BY-SA 4.0 by the science team."
    path = tmp_path / "one.docx"
    d.save(path)
    document, _ = read_document(path, max_bytes=10_000_000)
    assert (detect_license(document).license.id, detect_license(document).source) == ("CC-BY-SA-4.0",
                                                                                       "metadata:comments")
    d.core_properties.comments = "Text CC BY-SA 4.0; photos CC BY-ND 4.0."
    d.save(path)
    document, _ = read_document(path, max_bytes=10_000_000)
    assert detect_license(document).license.id == "UNKNOWN"


# -- hostile and damaged property parts -------------------------------------------------------------

BOMB = (b'<?xml version="1.0"?><!DOCTYPE cp:coreProperties [<!ENTITY a "CC BY 4.0"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:rights>&b;</dc:rights></cp:coreProperties>')
XXE = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
       b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property '
       b'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="License"><vt:lpwstr>&x;</vt:lpwstr>'
       b'</property></Properties>')


def test_docx_entity_tricks_in_properties_are_refused(tmp_path):
    with pytest.raises(HostileInput, match="core.xml"):
        read(tmp_path, rewrite(base_docx(), {"docProps/core.xml": BOMB}))
    with pytest.raises(HostileInput, match="custom.xml"):
        read(tmp_path, with_custom(base_docx(), raw=XXE))


def test_docx_huge_core_xml_is_refused(tmp_path):
    core = member(base_docx(), "docProps/core.xml").decode()
    huge = core.replace("</cp:coreProperties>", "<dc:rights>" + "CC BY 4.0 " * 200_000 + "</dc:rights>"
                        "</cp:coreProperties>")
    with pytest.raises(HostileInput, match="never that large"):
        read(tmp_path, rewrite(base_docx(), {"docProps/core.xml": huge.encode()}))


def test_docx_long_values_and_many_properties_are_bounded(tmp_path):
    # A value is cut to 2,000 characters before anything reads it: a licence named at its start counts...
    document = read(tmp_path, with_custom(base_docx(), {"Rights": "CC BY 4.0. " + "y " * 100_000}))
    assert len(document.metadata["rights"]) == 2000
    assert detect_license(document).license.id == "CC-BY-4.0"
    # ...one buried after 200,000 characters of padding is never scanned for.
    document = read(tmp_path, with_custom(base_docx(), {"Rights": "y " * 100_000 + "CC BY-ND 4.0"}))
    assert detect_license(document).license.id == "UNKNOWN"
    # Only the first 500 custom properties are looked at.
    many = {f"p{i}": "x" for i in range(2000)}
    document = read(tmp_path, with_custom(base_docx(), {"License": "CC BY-SA 4.0", **many}))
    assert detect_license(document).license.id == "CC-BY-SA-4.0"
    document = read(tmp_path, with_custom(base_docx(), {**many, "License": "CC BY-SA 4.0"}))
    assert detect_license(document).license.id == "UNKNOWN"


@pytest.mark.parametrize("case", ["malformed", "missing-part", "no-core"])
def test_docx_damaged_or_missing_property_parts(tmp_path, case):
    data = base_docx()
    if case == "malformed":
        with pytest.raises(UnreadableFile, match="custom.xml"):
            read(tmp_path, with_custom(data, raw=b"<Properties><property name='License'>"))
        return
    if case == "missing-part":  # the relationship names a part the zip does not hold
        data = rewrite(with_custom(data, {"License": "CC BY 4.0"}), {"docProps/custom.xml": None})
        with pytest.raises(UnreadableFile):
            read(tmp_path, data)
        return
    rels = member(data, "_rels/.rels").decode()
    rels = re.sub(r'<Relationship [^>]*core-properties"[^>]*/>', "", rels)
    data = rewrite(data, {"docProps/core.xml": None, "_rels/.rels": rels.encode()})
    document = read(tmp_path, data)
    assert detect_license(document).license.id == "UNKNOWN" and "rights" not in document.metadata


# -- export ------------------------------------------------------------------------------------------

EXPORT_META = {
    "license": "CC-BY-SA-4.0", "license_url": "https://creativecommons.org/licenses/by-sa/4.0/",
    "license_name": "Creative Commons Attribution-ShareAlike 4.0 International",
    "source_license": "CC-BY-SA-4.0", "source_license_url": "https://creativecommons.org/licenses/by-sa/4.0/",
    "attribution": "Source: “Leaves”, by Ada, licensed under CC BY-SA 4.0.", "changes": "Changes made: translated.",
    "authors": ["Ada"], "is_based_on": None,
}


def custom_props(data: bytes) -> dict[str, str]:
    root = etree.fromstring(member(data, "docProps/custom.xml"))
    return {p.get("name"): "".join(p.itertext()) for p in root.findall(f"{{{CUSTOM_NS}}}property")}


@pytest.mark.parametrize("source_has_custom", [False, True])
def test_docx_export_writes_the_licence_into_the_properties(tmp_path, source_has_custom):
    data = with_rights(base_docx(), "CC BY-SA 4.0")
    if source_has_custom:
        data = with_custom(data, {"Department": "Biology", "License": "CC BY-SA 4.0"})
    document = read(tmp_path, data)
    plan = RenderPlan(replacements={"body/p[2]": "As folhas fazem açúcar com a luz."}, target_language="pt",
                      notices=("Source: “Leaves”.", "Changes made: translated."), metadata=EXPORT_META)
    out = DocxFormat().render(document, plan)
    props = custom_props(out)
    assert props["License"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert props["License name"] == EXPORT_META["license_name"]
    assert props["Attribution"] == EXPORT_META["attribution"] and props["Changes made"] == EXPORT_META["changes"]
    assert "Is based on" not in props  # not stated: nothing invented
    if source_has_custom:
        assert props["Department"] == "Biology"  # the source's other properties are kept
    pids = [p.get("pid") for p in etree.fromstring(member(out, "docProps/custom.xml"))]
    assert len(pids) == len(set(pids)) and all(int(p) >= 2 for p in pids)
    types = member(out, "[Content_Types].xml").decode()
    assert types.count('PartName="/docProps/custom.xml"') == 1 and CUSTOM_CT in types
    assert member(out, "_rels/.rels").decode().count(CUSTOM_REL) == 1
    reopened = docx.Document(io.BytesIO(out))
    assert reopened.core_properties.comments.startswith(
        "License: Creative Commons Attribution-ShareAlike 4.0 International "
        "(https://creativecommons.org/licenses/by-sa/4.0/).")
    again = read(tmp_path, out)  # the adaptation states its own licence to the next reader
    assert (detect_license(again).license.id, detect_license(again).source) == ("CC-BY-SA-4.0",
                                                                                "metadata:license_url")


def test_docx_service_export_carries_the_adaptations_licence(service, tmp_path):
    from tests.adapt.licensing_support import install_fake

    install_fake(service)
    path = tmp_path / "sheet.docx"
    path.write_bytes(with_rights(base_docx(), "https://creativecommons.org/licenses/by-sa/4.0/"))
    rid = service.translate_file(path, target="pt").resource_id
    assert service.licences.report(rid)["license"]["id"] == "CC-BY-SA-4.0"
    service.review.accept([s.id for s in service.review.suggestions(rid)], actor="rui")
    service.export(rid, tmp_path / "out.docx")
    out = (tmp_path / "out.docx").read_bytes()
    props = custom_props(out)
    assert props["License"] == "https://creativecommons.org/licenses/by-sa/4.0/"  # share-alike carries over
    assert props["Source license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert "translated from en to pt" in props["Changes made"]
    assert "licensed under CC BY-SA 4.0" in props["Attribution"]
