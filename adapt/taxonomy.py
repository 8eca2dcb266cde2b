"""The ISCED-F 2013 fields of education, with the label texts the subject tagger embeds.

Codes stay strings (leading zeros matter); the level is the number of digits: 2 broad, 3 narrow,
4 detailed, 6 a keyword row (the compiler's serial, not an official UNESCO code). Field data ships in
`adapt/data/`: `isced_f_2013.tsv` (UNESCO-UIS fields compiled by Benjamin Abel, CC BY-SA 4.0) and
`isced_f_descriptions.tsv` (our own descriptions; see its header).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as importlib_resources

LEVELS = {2: "broad", 3: "narrow", 4: "detailed", 6: "keyword"}
# Labels with known extraction typos in the compiled file (see ../shared/data/README.md).
_TYPO_FIXES = {"0021": "Literacy and numeracy", "9999": "Field unknown"}
ATTRIBUTION = (
    "ISCED-F 2013 fields and keywords from UNESCO Institute for Statistics (2015), compiled by Benjamin Abel "
    "(https://archives.lyceum.fr, repository benabel/archives.lyceum.fr), CC BY-SA 4.0"
)
SCHEME_URL = "http://uis.unesco.org/en/topic/international-standard-classification-education-isced"


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    parent: str | None
    description: str = ""
    keywords: tuple[str, ...] = ()
    children: tuple[str, ...] = field(default=())
    excludes: str = ""  # what ISCED-F puts elsewhere (documentation; not embedded)

    @property
    def level(self) -> str:
        return LEVELS.get(len(self.code), "root")

    @property
    def residual(self) -> bool:
        """'not further defined' (x0), inter-disciplinary (x8), 'not elsewhere classified' (x9) and
        'field unknown' codes: real codes, but nothing a document can be recognised as by its content."""
        if self.code.startswith("99"):
            return True
        return len(self.code) in (3, 4) and self.code[-1] in "089"


class Taxonomy:
    def __init__(self, fields: dict[str, Field]) -> None:
        self.fields = fields

    def __getitem__(self, code: str) -> Field:
        return self.fields[code]

    def __contains__(self, code: object) -> bool:
        return code in self.fields

    def get(self, code: str) -> Field | None:
        return self.fields.get(code)

    def at_level(self, level: str, *, include_residual: bool = False) -> list[Field]:
        return [f for f in self.fields.values()
                if f.level == level and (include_residual or not f.residual)]

    def ancestors(self, code: str) -> list[Field]:
        """Broad first, ending with the field itself."""
        chain: list[Field] = []
        current = self.fields.get(code)
        while current is not None and current.level != "root":
            chain.append(current)
            current = self.fields.get(current.parent) if current.parent else None
        return list(reversed(chain))

    def narrow_of(self, code: str) -> str | None:
        return code[:3] if len(code) >= 3 else None

    def label_texts(self, code: str) -> list[str]:
        """What is embedded for a field: its label with its description, and its keywords."""
        f = self.fields[code]
        # The descriptions name the field first ("Economics: markets, ..."), so they stand alone.
        texts = [f.description or f.label]
        texts += [k for k in f.keywords if k.strip("() ")]
        return texts


def parse(hierarchy_tsv: str, descriptions_tsv: str = "") -> Taxonomy:
    descriptions: dict[str, str] = {}
    excludes: dict[str, str] = {}
    for row in csv.reader(io.StringIO(_strip_comments(descriptions_tsv)), delimiter="\t"):
        if len(row) >= 2 and row[0] != "code":
            descriptions[row[0].strip()] = row[1].strip()
            if len(row) >= 3:
                excludes[row[0].strip()] = row[2].strip()
    rows: list[tuple[str, str, str]] = []
    for row in csv.reader(io.StringIO(hierarchy_tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if len(row) < 2 or row[0] == "code":
            continue
        code, label = row[0].strip(), row[1].strip()
        parent = row[2].strip() if len(row) > 2 else ""
        if not code.isdigit():
            continue
        rows.append((code, _TYPO_FIXES.get(code, label), parent))
    keywords: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    for code, label, parent in rows:
        if len(code) == 6:
            keywords.setdefault(parent, []).append(label)
        elif parent:
            children.setdefault(parent, []).append(code)
    fields = {
        code: Field(code, label, parent or None, descriptions.get(code, ""), tuple(keywords.get(code, ())),
                    tuple(children.get(code, ())), excludes.get(code, ""))
        for code, label, parent in rows
        if len(code) != 6
    }
    return Taxonomy(fields)


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("#"))


@lru_cache(maxsize=1)
def isced() -> Taxonomy:
    """The packaged ISCED-F 2013 taxonomy (loaded once per process)."""
    data = importlib_resources.files("adapt") / "data"
    return parse((data / "isced_f_2013.tsv").read_text(encoding="utf-8"),
                 (data / "isced_f_descriptions.tsv").read_text(encoding="utf-8"))
