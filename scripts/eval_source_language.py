"""Source-language detection on NTREX-128 (development data): per language and chunk size, how often
the detector is sure (used) and how often it is then wrong. Prints a Markdown table.

Usage: .venv/bin/python scripts/eval_source_language.py [DATA_DIR]   (default ../shared/data)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapt.source_language import detect_source_language  # noqa: E402

SETS = {"en": ("newstest2019-src.eng.txt", "en"), "pt": ("newstest2019-ref.por.txt", "pt"),
        "pt-BR": ("newstest2019-ref.por-BR.txt", "pt"), "es": ("newstest2019-ref.spa.txt", "es"),
        "fr": ("newstest2019-ref.fra.txt", "fr"), "ca": ("newstest2019-ref.cat.txt", "ca"),
        "de": ("newstest2019-ref.deu.txt", "de"), "gl": ("newstest2019-ref.glg.txt", "gl")}


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data"
    folder = data / "mt" / "ntrex-128"
    print("| chunk | " + " | ".join(SETS) + " |")
    print("|---|" + "---|" * len(SETS))
    for size in (1, 3, 10):
        cells = []
        for name, want in SETS.values():
            lines = (folder / name).read_text(encoding="utf-8").splitlines()
            chunks = [lines[i:i + size] for i in range(0, len(lines) - size + 1, size)][:300]
            found = [detect_source_language(c) for c in chunks]
            sure = [f for f in found if f.origin == "detected"]
            wrong = sum(f.language != want for f in sure)
            cells.append(f"{len(sure) / len(chunks):.0%} / {wrong}")
        print(f"| {size} line(s): detected / wrong | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
