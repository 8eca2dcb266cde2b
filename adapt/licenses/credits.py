"""Credits must survive adaptation: a QA check that flags a suggestion which dropped a name from the
credit of an element (a photo's author, a host like Wikimedia Commons). Attribution is a condition of
every CC licence, so a lost credit is a licence problem, shown to the reviewer like any QA flag."""

from __future__ import annotations

import re
from collections.abc import Mapping

from adapt.qa import Check, Flag, QAInput
from adapt.store import Store

# Words of the credit formula itself, which a translation rightly changes.
_FORMULA = {
    "credit", "credits", "modification", "modified", "work", "works", "by", "of", "from", "and", "the", "a", "b", "c",
    "d", "left", "right", "top", "bottom", "middle", "center", "centre", "photo", "image", "images", "photograph",
    "illustration", "courtesy", "copyright", "license", "licence", "licensed", "under",
}
# Names of institutions are translated, rightly ("National Institutes of Health"): only people's names,
# handles and hosts must come through unchanged.
_INSTITUTION = re.compile(r"\b(?:Department|Institutes?|Office|University|Agency|Cent(?:er|re)|Services?|National|"
                          r"Health|Museum|Library|Administration|Association|Ministry|Government|Public|Survey|"
                          r"Society|School|College|Council|Foundation|Program(?:me)?|Team)\b")
_QUOTED_RE = re.compile(r"(by\s+)?[\"“”']([^\"“”']{2,60})[\"“”'](\s*/)?")
_NAME_RE = re.compile(r"[A-Z][\w.\-]*(?:[ \u00a0]+(?:[A-Z][\w.\-]*|de|da|van|von|der|la|le|del|dos))*")


def credit_names(credit: str) -> list[str]:
    """The names in a credit line: capitalised runs ("Kim J", "Wikimedia Commons") and quoted handles."""
    names: list[str] = []
    for by, quoted, slash in _QUOTED_RE.findall(credit):
        # "devinf"/Flickr or by "Silly rabbit" is a handle; “left”: or “classroom” labels a panel
        q = quoted.strip()
        if (by or slash) and q.lower() not in _FORMULA and q not in names:
            names.append(q)
    rest = _QUOTED_RE.sub(" ", credit)
    for part in re.split(r"[/;,():]", rest):
        for match in _NAME_RE.finditer(part):
            words = [w for w in match.group(0).split() if w.lower().strip(".") not in _FORMULA]
            name = " ".join(words).strip(" .")
            if _INSTITUTION.search(name):
                continue
            if len(name) >= 2 and name not in names:
                names.append(name)
    return names


def credit_check(credits: Mapping[str, str]) -> Check:
    """A QA check over suggestions whose source text carries one of `credits` (source text -> credit)."""
    wanted = {source: credit_names(credit) for source, credit in credits.items()}

    def check_credit(qa: QAInput) -> list[Flag]:
        names = wanted.get(qa.source)
        if not names:
            return []
        output = " ".join(qa.output.split())
        missing = [n for n in names if n not in output]
        if not missing:
            return []
        return [Flag("credit-lost", f"the credit names {', '.join(missing)}, missing here: keep the credit, "
                                    "attribution is a condition of the licence")]

    check_credit.__name__ = "check_credit"
    return check_credit


def resource_credits(store: Store, resource_id: int) -> dict[str, str]:
    """Source text -> credit for the resource's credited elements."""
    rows = store.read(lambda c: c.execute(
        "SELECT s.source_text, l.credit FROM segment_licenses l JOIN segments s ON s.resource_id = l.resource_id "
        "AND s.key = l.segment_key WHERE l.resource_id = ? AND l.credit IS NOT NULL", (resource_id,)).fetchall())
    return {r["source_text"]: r["credit"] for r in rows}
