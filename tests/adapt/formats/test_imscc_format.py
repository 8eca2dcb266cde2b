"""IMS Common Cartridge samples: round trips (folder and .imscc), translated cartridges stay valid."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from adapt.formats import read_document, render_document
from adapt.formats.base import RenderPlan
from adapt.formats.zipsafe import open_zip
from tests.adapt.formats.formats_xmlcheck import parse
from tests.conftest import shared_data

PROFILES = ("data_imscc_profilev1p0", "data_imscc_profilev1p1")
SAMPLES = [shared_data() / "packages/imscc" / v / "sample_1" for v in PROFILES]
LIMIT = 50 * 1024 * 1024
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"


def _zip_folder(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
    return out


def assert_valid_cartridge(data: bytes) -> zipfile.ZipFile:
    zf = open_zip(data, "out.imscc")
    manifest = parse(zf.read("imsmanifest.xml"))
    names = set(zf.namelist())
    hrefs = [el.get("href") for el in manifest.iter() if isinstance(el.tag, str) and el.tag.endswith("}file")]
    assert hrefs and all(h in names for h in hrefs)  # every <file href> resolves
    return zf


@pytest.mark.parametrize("folder", SAMPLES, ids=lambda p: p.parent.name)
def test_imscc_folder_and_zip_round_trip(folder, tmp_path):
    doc, data = read_document(folder, max_bytes=LIMIT)
    assert doc.format == "imscc"
    assert render_document(doc, RenderPlan()) == data
    assert_valid_cartridge(data)
    keys = {s.key for s in doc.segments}
    assert "page_001.htm:html/body/p" in keys and "page_001.htm:html/head/title" in keys
    packed = _zip_folder(folder, tmp_path / "course.imscc")
    doc2, data2 = read_document(packed, max_bytes=LIMIT)
    assert data2 == packed.read_bytes() and render_document(doc2, RenderPlan()) == data2
    assert [s.key for s in doc2.segments] == [s.key for s in doc.segments]


@pytest.mark.parametrize("folder", SAMPLES, ids=lambda p: p.parent.name)
def test_imscc_translation_is_a_valid_cartridge(folder):
    doc, data = read_document(folder, max_bytes=LIMIT)
    replacements = {s.key: "Olá Mundo" if "Hello" in s.text else "Arquivo HTML de exemplo" for s in doc.segments}
    plan = RenderPlan(replacements=replacements, unreviewed=frozenset(replacements), target_language="pt",
                      notices=("Adapted with OER Adapt.",))
    out = render_document(doc, plan)
    zf = assert_valid_cartridge(out)
    src = open_zip(data, "src")
    page = zf.read("page_001.htm").decode()
    assert "Olá Mundo" in page and 'class="adapt-notice"' in page and "Adapted with OER Adapt." in page
    manifest = zf.read("imsmanifest.xml").decode()
    assert "Adapted with OER Adapt." in manifest
    if "v1p1" in str(folder):
        assert "<description><string>" in manifest  # in the LOM metadata
    for name in src.namelist():  # everything not adapted is copied as it was
        if not name.endswith((".htm", ".forum", ".qti", "imsmanifest.xml")):
            assert zf.read(name) == src.read(name)


@pytest.mark.slow
def test_imscc_translate_and_export_with_bergamot(service, tmp_path):
    summary = service.translate_file(SAMPLES[1], target="pt", assume_license="CC-BY-4.0")  # it states none
    assert summary.suggestions > 0
    for out in (tmp_path / "course.imscc", tmp_path / "course-folder"):
        service.export(summary.resource_id, out, include_unreviewed=True)
    data = (tmp_path / "course.imscc").read_bytes()
    zf = assert_valid_cartridge(data)
    assert "Olá" in zf.read("page_001.htm").decode()
    folder = tmp_path / "course-folder"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == sorted(zf.namelist())
