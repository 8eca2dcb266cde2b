"""The adaptation's licence and notes in a cartridge manifest, where importers read them.

IMS Common Cartridge keeps a cartridge's metadata in the manifest's `<metadata>`: `<schema>`,
`<schemaversion>` and a LOM record in the cartridge's own LOM namespace. The notes (attribution,
changes made, unreviewed warning) go into the LOM `general/description`; the licence into LOM
`rights` (`copyrightAndOtherRestrictions` and a `description` "licence name - URL", as Canvas and
other LMSs write and read it). A source `rights` element describes the source, so it is replaced.

A cartridge with no LOM record (CC 1.0 cartridges often have none, nor a `<metadata>` at all) gets
one: `<metadata>` first in the manifest (IMS CP order), `schema`/`schemaversion` for its version and
a LOM record in that version's namespace, which is also added to `xsi:schemaLocation` when the
manifest has one (CP metadata holds foreign elements with strict processing: a validator needs it).
CC 1.0's LOM is IEEE LOM "loose" (a vocabulary value comes with its `source`, LOMv1.0); the 1.1+
manifest LOM profiles take the value alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from adapt.formats import markup
from adapt.formats.markup import Element

Piece = tuple[tuple[int, int], str]

LOM_NS = {"1.0": "http://ltsc.ieee.org/xsd/imscc/LOM"}
LOM_SCHEMA = {"1.0": "http://www.imsglobal.org/profile/cc/ccv1p0/derived_schema/domainProfile_1/lomLoose_localised.xsd"}
for _minor in (1, 2, 3):
    LOM_NS[f"1.{_minor}"] = f"http://ltsc.ieee.org/xsd/imsccv1p{_minor}/LOM/manifest"
    LOM_SCHEMA[f"1.{_minor}"] = f"http://www.imsglobal.org/profile/cc/ccv1p{_minor}/LOM/ccv1p{_minor}_lommanifest_v1p0.xsd"
_PUBLIC_DOMAIN = {"CC0-1.0", "PDM-1.0"}
_LOM_ORDER_AFTER_RIGHTS = ("relation", "annotation", "classification")


def cc_version(root: Element) -> str:
    """"1.0".."1.3": from `schemaversion`, else the manifest's namespace, else its resource types."""
    schema = next((e for e in root.iter() if e.name == "schemaversion"), None)
    if schema is not None:
        m = re.match(r"\s*1\.([0-3])", schema.text_content())
        if m:
            return f"1.{m.group(1)}"
    manifest = next((e for e in root.iter() if e.name == "manifest"), None)
    m = re.search(r"imsccv1p([1-3])", (manifest.ns or "") if manifest is not None else "")
    if m:
        return f"1.{m.group(1)}"
    for res in (e for e in root.iter() if e.name == "resource"):
        m = re.search(r"(?:imscc|imsdt|imswl)_xmlv1p([0-3])", res.get("type") or "")
        if m:
            return f"1.{m.group(1)}"
    return "1.0"


def rights_text(metadata: Mapping[str, object]) -> str | None:
    name, url = metadata.get("license_name"), metadata.get("license_url")
    if not isinstance(name, str) or not name:
        return None
    return f"{name} - {url}" if isinstance(url, str) and url else name


def metadata_edits(text: str, root: Element, notes: list[str], metadata: Mapping[str, object]) -> list[Piece]:
    """Splice pieces that put `notes` and the licence in `metadata` into the manifest's LOM record."""
    rights = rights_text(metadata)
    if not notes and not rights:
        return []
    version = cc_version(root)
    restricted = "no" if metadata.get("license") in _PUBLIC_DOMAIN else "yes"
    lom = next((e for e in root.iter() if e.name == "lom" and markup.ancestor(e, "resource") is None), None)
    if lom is not None:
        return _into_lom(text, lom, notes, rights, restricted, version)
    prefix = "lomimscc:"
    body = _general(prefix, notes) + (_rights(prefix, rights, restricted, version) if rights else "")
    record = f'<lomimscc:lom xmlns:lomimscc="{LOM_NS[version]}">{body}</lomimscc:lom>'
    pieces: list[Piece] = []
    manifest = next((e for e in root.iter() if e.name == "manifest"), None)
    if manifest is None:
        return []
    pieces += _schema_location(manifest, version)
    meta = next((e for e in manifest.elements() if e.name == "metadata"), None)
    cp = manifest.qname[: -len("manifest")]  # the CP prefix, usually none
    head = (f"<{cp}schema>IMS Common Cartridge</{cp}schema>"
            f"<{cp}schemaversion>{version}.0</{cp}schemaversion>")
    if meta is None:
        indent = _indent_after(text, manifest.start_end)
        pieces.append(((manifest.start_end, manifest.start_end),
                       f"{indent}<{cp}metadata>{head}{record}</{cp}metadata>"))
        return pieces
    if any(e.name == "schemaversion" for e in meta.elements()):
        head = ""  # the cartridge says what it is already
    if meta.end_start == meta.start_end:  # <metadata/>: open it up
        opened = re.sub(r"\s*/>$", ">", text[meta.start:meta.start_end])
        pieces.append(((meta.start, meta.end), f"{opened}{head}{record}</{meta.qname}>"))
    else:
        if head:  # schema and schemaversion come first in CP metadata
            pieces.append(((meta.start_end, meta.start_end), head))
        pieces.append(((meta.end_start, meta.end_start), record))
    return pieces


def _indent_after(text: str, at: int) -> str:
    m = re.match(r"[ \t]*\r?\n[ \t]*", text[at:at + 200])
    return m.group(0) if m else ""


def _general(prefix: str, notes: list[str]) -> str:
    if not notes:
        return ""
    return f"<{prefix}general>{_description(prefix, ' '.join(notes))}</{prefix}general>"


def _description(prefix: str, body: str) -> str:
    return (f"<{prefix}description><{prefix}string>{markup.xml_escape(body)}</{prefix}string>"
            f"</{prefix}description>")


def _rights(prefix: str, rights: str, restricted: str, version: str) -> str:
    source = f"<{prefix}source>LOMv1.0</{prefix}source>" if version == "1.0" else ""
    return (f"<{prefix}rights><{prefix}copyrightAndOtherRestrictions>{source}<{prefix}value>{restricted}"
            f"</{prefix}value></{prefix}copyrightAndOtherRestrictions>{_description(prefix, rights)}</{prefix}rights>")


def _into_lom(text: str, lom: Element, notes: list[str], rights: str | None, restricted: str,
              version: str) -> list[Piece]:
    prefix = lom.qname[: -len("lom")]  # "" or "lomimscc:"
    pieces: list[Piece] = []
    children = lom.elements()
    general = next((e for e in children if e.name == "general"), None)
    if lom.end_start == lom.start_end:  # <lom .../>: open it up with everything inside
        opened = re.sub(r"\s*/>$", ">", text[lom.start:lom.start_end])
        inner = _general(prefix, notes) + (_rights(prefix, rights, restricted, version) if rights else "")
        return [((lom.start, lom.end), f"{opened}{inner}</{lom.qname}>")]
    if notes:
        if general is not None:
            pieces.append(((general.end_start, general.end_start), _description(prefix, " ".join(notes))))
        else:
            pieces.append(((lom.start_end, lom.start_end), _general(prefix, notes)))
    if rights:
        new = _rights(prefix, rights, restricted, version)
        old = next((e for e in children if e.name == "rights"), None)
        if old is not None:  # the source's rights describe the source, not this adaptation
            pieces.append(((old.start, old.end), new))
        else:
            after = next((e for e in children if e.name in _LOM_ORDER_AFTER_RIGHTS), None)
            at = after.start if after is not None else lom.end_start
            pieces.append(((at, at), new))
    return pieces


def _schema_location(manifest: Element, version: str) -> list[Piece]:
    name = next((k for k in manifest.attr_spans if k.endswith(":schemaLocation") or k == "schemaLocation"), None)
    if name is None:
        return []
    value = manifest.attrs.get(name, "")
    if LOM_NS[version] in value.split():
        return []
    added = f"{value.rstrip()} {LOM_NS[version]} {LOM_SCHEMA[version]}".strip()
    return [(manifest.attr_spans[name], markup.attr_escape(added))]
