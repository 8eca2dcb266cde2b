"""What identifies a model run: stored with every suggestion and every evaluation score."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ModelSignature:
    engine: str  # bergamot, argos, transformers, smollm2, rules, memory...
    model: str  # the model's name or path
    version: str = ""  # the model's or the engine's version
    settings: dict[str, Any] = field(default_factory=dict)  # anything that changes the output

    def to_json(self) -> dict[str, Any]:
        return {"engine": self.engine, "model": self.model, "version": self.version, "settings": self.settings}

    def short(self) -> str:
        return f"{self.engine}:{self.model}" + (f"@{self.version}" if self.version else "")

    def __str__(self) -> str:
        return self.short() + ("|" + json.dumps(self.settings, sort_keys=True) if self.settings else "")


def package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not-installed"
