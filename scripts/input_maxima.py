"""How close real files come to the input limits: the longest segment, most inline elements, most segments.

    .venv/bin/python scripts/input_maxima.py ../shared/data/oer

Reads every file or book folder in FOLDER with the limits lifted and prints one line per resource, then
the maxima (what the defaults in adapt/limits.py leave room over)."""

from __future__ import annotations

import sys
from pathlib import Path

from adapt import limits
from adapt.errors import AdaptError
from adapt.formats import read_document
from adapt.settings import apply_offline_environment

LIFTED = limits.InputLimits(10**9, 10**9, 10**9, 10**9, 10**9)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python scripts/input_maxima.py FOLDER", file=sys.stderr)
        return 1
    apply_offline_environment()
    most = {"segment chars": 0, "inline elements": 0, "segments": 0}
    with limits.using(LIFTED):
        for path in sorted(Path(argv[0]).iterdir()):
            try:
                doc, _ = read_document(path, max_bytes=500 * 1024 * 1024)
            except AdaptError as exc:
                print(f"skipped {path.name}: {exc.message}")
                continue
            chars = max((len(s.text) for s in doc.segments), default=0)
            inline = max((len(s.placeholders) for s in doc.segments), default=0)
            print(f"{path.name}: {doc.format}, {len(doc.segments):,} segments, longest {chars:,} characters, "
                  f"most inline elements {inline}")
            for key, value in (("segment chars", chars), ("inline elements", inline), ("segments", len(doc.segments))):
                most[key] = max(most[key], value)
    print("maxima: " + ", ".join(f"{k} {v:,}" for k, v in most.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
