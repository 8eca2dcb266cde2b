"""A DOCX's document properties as licence evidence, and the adaptation's licence written back.

Where a Word file states its rights (read at import):
- custom properties (docProps/custom.xml) named License / Licence / License URL / Rights / Copyright...
  (what Word's File > Properties > Custom shows, and where other tools and OER Adapt put a licence);
- `dc:rights` in the core properties (docProps/core.xml): not in the OPC core-properties schema, but
  some producers write it there;
- the core `description` (Word's "Comments") and `keywords`, used by detection only when they name
  exactly one licence.

What export writes: the adaptation's licence, attribution and changes as custom properties (valid
OPC, kept by Word and LibreOffice, read back by this module), with the licence line first in the core
"Comments". `dc:rights` is not written: the OPC schema does not allow it in core.xml.

Property parts are small; one over `MAX_PROPERTY_PART` bytes is refused as hostile, and each value is
cut to `MAX_VALUE` characters before anything looks at it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from adapt.errors import HostileInput

MAX_PROPERTY_PART = 1 << 20  # bytes; Word writes a few kilobytes
MAX_VALUE = 2000  # characters of one property value (a licence is never longer)
MAX_CUSTOM = 500  # custom properties looked at

CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
DC_NS = "http://purl.org/dc/elements/1.1/"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id every user-defined property carries

# Custom property names (lower case, letters only) -> the Document.metadata key they fill.
_CUSTOM_KEYS = {
    "license": "license", "licence": "license", "licenseurl": "license_url", "licenceurl": "license_url",
    "licenseuri": "license_url", "dctermslicense": "license_url", "ccllicense": "license_url",
    "rights": "rights", "dcrights": "rights", "dctermsrights": "rights", "copyright": "rights",
    "usagerights": "rights", "copyrightnotice": "rights",
}
# What export writes, in this order (names as Word shows them).
EXPORT_PROPERTIES = (
    ("License", "license_url"), ("License name", "license_name"), ("Attribution", "attribution"),
    ("Changes made", "changes"), ("Source license", "source_license_url"), ("Is based on", "is_based_on"),
)


def check_part_size(name: str, size: int, archive: str) -> None:
    if size > MAX_PROPERTY_PART:
        raise HostileInput(
            f"{archive}: {name} is {size:,} bytes; document properties are never that large",
            hint="open the file in a word processor and save it again (that rewrites its properties)",
        )


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value[: MAX_VALUE * 2].split())[:MAX_VALUE]
    return value or None


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def read_properties(document: Any) -> dict[str, Any]:
    """Licence evidence from a python-docx Document's package: Document.metadata entries (license,
    license_url, rights, comments, keywords) and `license_properties` (which property said what)."""
    from lxml import etree

    meta: dict[str, Any] = {}
    found: dict[str, str] = {}
    package = document.part.package
    custom = _related_blob(package, "custom")
    if custom:
        root = etree.fromstring(custom, _parser())
        for prop in root.findall(f"{{{CUSTOM_NS}}}property")[:MAX_CUSTOM]:
            key = _CUSTOM_KEYS.get(_key(prop.get("name") or ""))
            value = _text("".join(prop.itertext()))
            if key and value:
                if key == "license" and re.match(r"(?i)^(?:https?:)?//", value):
                    key = "license_url"
                if key not in meta:
                    meta[key] = value
                    found[f"custom:{prop.get('name')}"] = value
    core = _related_blob(package, "core")
    if core:
        root = etree.fromstring(core, _parser())
        rights = root.find(f"{{{DC_NS}}}rights")
        value = _text("".join(rights.itertext())) if rights is not None else None
        if value:
            meta.setdefault("rights", value)
            found["core:dc:rights"] = value
    props = document.core_properties
    for key, value in (("comments", props.comments), ("keywords", props.keywords)):
        value = _text(value)
        if value:
            meta[key] = value
    if found:
        meta["license_properties"] = found
    return meta


def _parser() -> Any:
    from lxml import etree

    # The part passed the defused check at open (no entities, no DTD fetch); this parser resolves nothing.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _related_blob(package: Any, which: str) -> bytes | None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    reltype = RT.CORE_PROPERTIES if which == "core" else RT.CUSTOM_PROPERTIES
    try:
        part = package.part_related_by(reltype)
    except KeyError:
        return None
    blob = part.blob
    return blob if blob and len(blob) <= MAX_PROPERTY_PART else None


def write_license_properties(document: Any, metadata: Mapping[str, object]) -> None:
    """Put the adaptation's licence and attribution into the package's custom properties (creating
    docProps/custom.xml when the file has none; other custom properties are kept)."""
    wanted = [(name, _text(str(metadata[key]))) for name, key in EXPORT_PROPERTIES
              if isinstance(metadata.get(key), str) and metadata.get(key)]
    wanted = [(name, value) for name, value in wanted if value]
    if not wanted:
        return
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    package = document.part.package
    try:
        part = package.part_related_by(RT.CUSTOM_PROPERTIES)
    except KeyError:
        part = None
    if part is not None and part.blob:
        root = etree.fromstring(part.blob, _parser())
    else:
        root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    ours = {_key(name) for name, _ in wanted}
    for prop in root.findall(f"{{{CUSTOM_NS}}}property"):
        if _key(prop.get("name") or "") in ours:
            root.remove(prop)  # the source's own values of these names describe the source, not the adaptation
    pids = [int(p.get("pid")) for p in root.findall(f"{{{CUSTOM_NS}}}property") if (p.get("pid") or "").isdigit()]
    pid = max(pids + [1])
    for name, value in wanted:
        pid += 1
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if part is None:
        part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package)
        package.relate_to(part, RT.CUSTOM_PROPERTIES)
    else:
        part._blob = blob  # noqa: SLF001 - python-docx has no API for custom properties; a plain part holds bytes


def license_line(metadata: Mapping[str, object]) -> str | None:
    """'License: Creative Commons Attribution 4.0 International (https://...)' for the core Comments."""
    name = metadata.get("license_name") or metadata.get("license")
    url = metadata.get("license_url")
    if not isinstance(name, str) or not name:
        return None
    return f"License: {name}" + (f" ({url})" if isinstance(url, str) and url else "") + "."
