"""What a simplifier did to a text, so the reviewer sees why: named operations kept with the output."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Operation:
    """One edit. kind: "replace" (a word by a simpler one), "split" (a sentence, at a named rule),
    "drop" (a parenthetical...), "rewrite" (e.g. passive to active)."""

    kind: str
    rule: str  # e.g. "lexical", "relative-clause", "semicolon", "parenthetical"
    before: str = ""
    after: str = ""

    def describe(self) -> str:
        if self.kind == "replace":
            return f'replaced "{self.before}" -> "{self.after}"'
        if self.kind == "split":
            return f'split at {self.rule}' + (f' ("{self.before}")' if self.before else "")
        if self.kind == "drop":
            return f'dropped {self.rule} "{self.before}"'
        return f'{self.rule}: "{self.before}" -> "{self.after}"'

    def to_json(self) -> dict[str, str]:
        out = {"kind": self.kind, "rule": self.rule}
        if self.before:
            out["before"] = self.before
        if self.after:
            out["after"] = self.after
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Operation:
        return cls(str(data["kind"]), str(data["rule"]), str(data.get("before", "")), str(data.get("after", "")))


@dataclass
class Simplification:
    """One simplifier output with the operations that made it (empty when the text is unchanged)."""

    text: str
    operations: list[Operation] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.operations)


def describe_all(operations: Sequence[dict[str, Any]]) -> str:
    """Stored operations (their JSON) as one line for the reviewer: 'replaced "a" -> "b"; split at ...'."""
    return "; ".join(Operation.from_json(op).describe() for op in operations)
