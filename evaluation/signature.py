"""Signatures: everything that changes a number, so that the number can be reproduced.

Like sacrebleu's `nrefs:1|case:mixed|tok:13a|...|version:2.6.0`, a signature lists the metric and its
version, every setting, the versions of the libraries that compute it, and the model that produced
the scored output. Two scores with equal signatures on equal data are comparable; a changed setting
gives a different signature (and a different `digest`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


def library_versions(names: Iterable[str]) -> dict[str, str]:
    """Installed versions of the named distributions ("not-installed" when absent)."""
    from models.signature import package_version

    return {name: package_version(name) for name in sorted(set(names))}


def _plain(value: Any) -> Any:
    """Settings as JSON-able plain values, in a stable order."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "to_json"):
        return _plain(value.to_json())
    return str(value)


@dataclass(frozen=True)
class Signature:
    metric: str  # e.g. "BLEU"
    version: str  # our implementation's version of the metric: bump it when the formula changes
    settings: Mapping[str, Any] = field(default_factory=dict)
    libraries: Mapping[str, str] = field(default_factory=dict)
    model: Mapping[str, Any] | None = None  # the ModelSignature.to_json() of what produced the output

    def to_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "version": self.version,
            "settings": _plain(dict(self.settings)),
            "libraries": dict(sorted(self.libraries.items())),
            "model": _plain(dict(self.model)) if self.model else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Signature:
        return cls(
            metric=data["metric"],
            version=data.get("version", ""),
            settings=dict(data.get("settings") or {}),
            libraries=dict(data.get("libraries") or {}),
            model=dict(data["model"]) if data.get("model") else None,
        )

    @property
    def digest(self) -> str:
        """A short hash of the whole signature: equal digests, comparable numbers."""
        blob = json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]

    def format(self) -> str:
        """One line in sacrebleu's style: metric|settings|libraries|model."""
        parts = [f"{self.metric.lower()}:{self.version}"]
        parts += [f"{k}:{_short(v)}" for k, v in _plain(dict(self.settings)).items()]
        parts += [f"{k}:{v}" for k, v in sorted(self.libraries.items())]
        if self.model:
            model = self.model
            name = f"{model.get('engine', '?')}:{model.get('model', '?')}"
            if model.get("version"):
                name += f"@{model['version']}"
            parts.append(f"model:{name}")
            if model.get("settings"):
                parts.append("model-settings:" + json.dumps(_plain(model["settings"]), sort_keys=True,
                                                            separators=(",", ":"), ensure_ascii=False))
        return "|".join(parts)

    def __str__(self) -> str:
        return self.format()


def _short(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return str(value).lower() if isinstance(value, bool) else str(value)
