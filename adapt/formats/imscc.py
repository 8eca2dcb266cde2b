"""IMS Common Cartridge: a `.imscc` zip or an unpacked cartridge folder.

`imsmanifest.xml` is read with the hardened XML parser. The titles in the manifest (organization
items, LOM title and description) and the HTML and plain-text files of its resources are segmented
(keys are `<file>:<key in that file>`); every other file is copied byte for byte. A round trip with
no changes gives back the stored zip unchanged; a translated cartridge keeps the manifest's elements
and every `<file href>`, so it stays a valid cartridge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from adapt.document import Document, Segment, splice
from adapt.errors import UnreadableFile, UnsupportedFormat
from adapt.formats import imscc_rights, markup, zipsafe
from adapt.formats.base import UNREVIEWED_MARK, UNREVIEWED_NOTICE, RenderPlan, decode_utf8
from adapt.formats.markup import Element

MANIFEST = "imsmanifest.xml"
_HTML_EXT = (".html", ".htm", ".xhtml")
_TEXT_EXT = (".txt",)


@dataclass
class Member:
    name: str
    handler: Any
    doc: Document


def _looks_html(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _manifest_targets(root: Element) -> list[Element]:
    """The manifest elements whose text people read: item and organization titles, LOM title/description."""
    out = []
    for el in root.iter():
        parent = el.parent
        if el.name == "title" and parent is not None and parent.name in ("item", "organization"):
            out.append(el)
        elif el.name in ("string", "langstring") and parent is not None and parent.name in ("title", "description") \
                and markup.ancestor(el, "general") is not None:
            out.append(el)
    return out


def segment_manifest(text: str, root: Element) -> list[Segment]:
    segments = []
    for el in _manifest_targets(root):
        owner = markup.ancestor(el, "item") or markup.ancestor(el, "organization")
        for run in markup.runs(el, text, lambda e: "atom", lambda e: e.name):
            if owner is not None and owner.get("identifier"):
                where = f"{owner.attrs['identifier']}/title"
            else:
                where = markup.anchor_path(el, ("identifier",))[1]
            segments.append(Segment(
                key=f"{MANIFEST}:{where}", kind="title" if el.name == "title" else "metadata",
                text=run.builder.text, placeholders=run.builder.placeholders, span=(run.start, run.end),
                translatable=run.builder.has_words(), context={"element": el.qname, "file": MANIFEST}))
    return segments


def manifest_metadata(root: Element) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    general = next((e for e in root.iter() if e.name == "general"), None)
    if general is not None:
        for field in ("title", "description"):
            el = next((e for e in general.elements() if e.name == field), None)
            if el is not None and el.text_content().strip():
                meta[field] = " ".join(el.text_content().split())
        lang = next((e for e in general.elements() if e.name == "language"), None)
        if lang is not None and lang.text_content().strip():
            meta["language"] = lang.text_content().strip()
    rights = next((e for e in root.iter() if e.name == "rights"), None)
    if rights is not None:
        desc = next((e for e in rights.iter() if e.name == "description"), None)
        if desc is not None and desc.text_content().strip():
            text = " ".join(desc.text_content().split())
            meta["license_text"] = text
            url = re.search(r"https?://\S+", text)
            if url:
                meta["license_url"] = url.group(0).rstrip(".,;)")
    authors = []
    for contribute in (e for e in root.iter() if e.name == "contribute"):
        role = " ".join(e.text_content() for e in contribute.iter() if e.name == "value").lower()
        if "author" in role:
            for entity in (e for e in contribute.iter() if e.name == "entity"):
                fn = re.search(r"^FN:(.+)$", entity.text_content(), re.M)
                if fn:
                    authors.append(fn.group(1).strip())
    if authors:
        meta["authors"] = authors
    if "title" not in meta:
        title = next((e for e in root.iter() if e.name == "title" and e.parent is not None
                      and e.parent.name == "organization"), None)
        if title is not None and title.text_content().strip():
            meta["title"] = " ".join(title.text_content().split())
    schema = next((e for e in root.iter() if e.name == "schemaversion"), None)
    if schema is not None:
        meta["cc_version"] = schema.text_content().strip()
    return meta


def resource_files(root: Element) -> list[str]:
    names: list[str] = []
    for res in (e for e in root.iter() if e.name == "resource"):
        base = res.get("xml:base") or ""
        hrefs = ([res.attrs["href"]] if res.get("href") else []) + [f.attrs["href"] for f in res.elements("file")
                                                                     if f.get("href")]
        for href in hrefs:
            name = str(PurePosixPath(base) / href) if base else href
            if name not in names:
                names.append(name)
    return names


class ImsccFormat:
    name = "imscc"
    extensions = (".imscc",)
    canonical_form = "bytes"  # the zip itself on an identity round trip; each member by its own format
    container = True

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() == ".imscc":
            return True
        if path.is_dir():
            return (path / MANIFEST).is_file()
        return head.startswith(b"PK") and MANIFEST.encode() in head

    def pack(self, path: Path, *, max_bytes: int) -> bytes:
        from adapt.formats import load_source

        path = Path(path)
        if path.is_dir():
            if not (path / MANIFEST).is_file():
                raise UnsupportedFormat(f"{path} has no {MANIFEST}",
                                        hint="name an unpacked IMS Common Cartridge folder")
            return zipsafe.pack(zipsafe.folder_members(path, max_bytes=max_bytes))
        data = load_source(path, max_bytes=max_bytes)
        zipsafe.open_zip(data, path.name)  # refuse a bad archive before anything is stored
        return data

    def read(self, path: Path, data: bytes) -> Document:
        from adapt.formats.html import HtmlFormat
        from adapt.formats.plaintext import PlainTextFormat

        zf = zipsafe.open_zip(data, path.name)
        names = zf.namelist()
        if MANIFEST not in names:
            raise UnreadableFile(f"{path.name} has no {MANIFEST} at its top", hint="is it an IMS Common Cartridge?")
        manifest_data = zipsafe.read_member(zf, MANIFEST, path.name)
        markup.safe_xml_check(manifest_data, MANIFEST)
        text = decode_utf8(manifest_data, MANIFEST)
        root = markup.parse_xml(text)
        segments = segment_manifest(text, root)
        members: dict[str, Member] = {}
        missing = []
        for name in resource_files(root):
            if name not in names:
                missing.append(name)
                continue
            body = zipsafe.read_member(zf, name, path.name)
            lower = name.lower()
            handler: HtmlFormat | PlainTextFormat | None = None
            if lower.endswith(_HTML_EXT) or _looks_html(body):
                handler = HtmlFormat()
            elif lower.endswith(_TEXT_EXT):
                handler = PlainTextFormat()
            if handler is None:
                continue
            try:
                sub = handler.read(Path(PurePosixPath(name).name), body)
            except UnreadableFile:
                continue  # not UTF-8 text: copied as it is
            members[name] = Member(name, handler, sub)
            for seg in sub.segments:
                context = dict(seg.context)
                context["file"] = name
                segments.append(Segment(key=f"{name}:{seg.key}", kind=seg.kind, text=seg.text,
                                        placeholders=seg.placeholders, span=seg.span,
                                        translatable=seg.translatable, context=context))
        meta = manifest_metadata(root)
        meta.setdefault("title", path.stem)
        components = [{**c, "file": name} for name, m in members.items()
                      for c in m.doc.metadata.get("component_licenses") or ()]
        if components:  # figures and quotes with their own licence, in the cartridge's pages
            meta["component_licenses"] = components[:1000]
        meta["files"] = len(names)
        if missing:
            meta["missing_files"] = missing
        doc = Document(self.name, path.name, text, segments, meta)
        doc.extra.update(data=data, root=root, members=members)
        return doc

    def render(self, doc: Document, plan: RenderPlan) -> bytes:
        from adapt.formats.html import render_html

        data: bytes = doc.extra["data"]
        if plan.is_identity and not plan.unreviewed:
            return data
        notes = ([plan.unreviewed_notice or UNREVIEWED_NOTICE] if plan.unreviewed else []) + list(plan.notices)
        zf = zipsafe.open_zip(data, doc.source_name)
        members: dict[str, Member] = doc.extra["members"]
        out = []
        for name in zf.namelist():
            if name == MANIFEST:
                out.append((name, self._render_manifest(doc, plan, notes).encode("utf-8")))
            elif name in members:
                member = members[name]
                prefix = f"{name}:"
                sub_plan = RenderPlan(
                    replacements={k[len(prefix):]: v for k, v in plan.replacements.items() if k.startswith(prefix)},
                    unreviewed=frozenset(k[len(prefix):] for k in plan.unreviewed if k.startswith(prefix)),
                    target_language=plan.target_language, notices=tuple(plan.notices),
                )
                if member.handler.name == "html":
                    from adapt.formats.base import join_newlines

                    sub = member.doc
                    html = render_html(sub.text, sub.extra["root"], sub.segments, sub_plan, notes)
                    out.append((name, join_newlines(html, sub.newline).encode("utf-8")))
                else:
                    out.append((name, member.handler.render(member.doc, sub_plan)))
            else:
                out.append((name, zipsafe.read_member(zf, name, doc.source_name)))
        return zipsafe.pack(out)

    def _render_manifest(self, doc: Document, plan: RenderPlan, notes: list[str]) -> str:
        text, root = doc.text, doc.extra["root"]
        pieces: list[tuple[tuple[int, int], str]] = []
        for seg in doc.segments:
            if seg.context.get("file") != MANIFEST or seg.span is None:
                continue
            new = plan.replacements.get(seg.key)
            if new is not None:
                aligned = markup.align_placeholders(new, seg.text, seg.placeholders)
                restored = seg.restore(aligned, escape=markup.xml_escape)
                pieces.append((seg.span, (UNREVIEWED_MARK if seg.key in plan.unreviewed else "") + restored))
        general = next((e for e in root.iter() if e.name == "general"), None)
        if plan.target_language and general is not None:
            lang = next((e for e in general.elements() if e.name == "language"), None)
            if lang is not None:
                pieces.append(((lang.start_end, lang.end_start), markup.xml_escape(plan.target_language)))
        pieces += imscc_rights.metadata_edits(text, root, notes, plan.metadata)  # notes and licence in LOM
        return splice(text, pieces)

