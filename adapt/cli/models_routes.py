"""The Apertium and route sections of `adapt models list`: pairs found here, apt packages missing,
and the route `adapt translate --to LANG` takes to each language."""

from __future__ import annotations

from typing import Any


def apertium_report() -> tuple[dict[str, Any], str]:
    from models.translators.apertium import APT_PACKAGES, apertium_binary, installed_modes, missing_packages

    modes = installed_modes() if apertium_binary() else []
    missing = missing_packages(modes)
    data = {"command": apertium_binary(), "pairs": [{"from": m.source, "to": m.target, "mode": m.name} for m in modes],
            "missing_packages": missing,
            "install": ("sudo apt-get install " + " ".join(missing)) if missing else None,
            "known_packages": sorted(set(APT_PACKAGES.values()))}
    text = "Apertium pairs here: " + (", ".join(f"{m.source}→{m.target}" for m in modes) or "none")
    if missing:
        text += f"\n  missing apt packages: {' '.join(missing)}\n  install: {data['install']}"
    return data, text


def routes_report(svc: Any, source: str = "en") -> tuple[list[dict[str, Any]], str]:
    choices = svc.models.translation_routes(source)
    data = [{"from": source, "to": c.route.target, **c.to_json()} for c in choices]
    lines = [f"routes from {source} (`adapt translate --to LANG` takes these; chrF on NTREX-128):"]
    for c in choices:
        score = f"chrF {c.chrf:5.1f}" if c.chrf is not None else "not measured"
        lines.append(f"  {c.route.target:4} {score}  {c.route.name}  ({c.table})")
    return data, "\n".join(lines)
