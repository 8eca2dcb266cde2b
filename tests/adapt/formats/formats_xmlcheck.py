"""Independent checks on exported XML: lxml (not our tokenizer) parses it and lists its elements."""

from __future__ import annotations

from lxml import etree

MD_LANGUAGE = "{http://cnx.rice.edu/mdml}language"
MD_LICENSE = "{http://cnx.rice.edu/mdml}license"


def parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(data, parser)


def skeleton(data: bytes, *, ignore_added: bool = True) -> list[str]:
    """Every element's tag and id in document order; our own additions (notice, md:language and the
    adaptation's md:license in the metadata) left out."""
    out = []
    for el in parse(data).iter():
        if not isinstance(el.tag, str):
            continue
        if ignore_added and (el.tag in (MD_LANGUAGE, MD_LICENSE) or _in_notice(el)):
            continue
        out.append(f"{el.tag}#{el.get('id') or ''}")
    return out


def _in_notice(el: etree._Element) -> bool:
    node = el
    while node is not None:
        if node.get("class") == "adapt-notice":
            return True
        node = node.getparent()
    return False


def dropped_from(source: list[str], exported: list[str]) -> list[str] | None:
    """The entries of `source` missing from `exported` when `exported` is `source` with some entries left
    out (order kept); None when it is not (an element added, moved or renamed)."""
    dropped: list[str] = []
    i = 0
    for entry in source:
        if i < len(exported) and exported[i] == entry:
            i += 1
        else:
            dropped.append(entry)
    return dropped if i == len(exported) else None
