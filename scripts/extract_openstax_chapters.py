"""Copy the first chapters of an OpenStax book out of its git repository, in the layout of the shared
OpenStax folders (`collections/`, `modules/<id>/index.cnxml`, `modules-included.tsv`, `LICENSE`), so that
`python -m evaluation.tagging_openstax --data OUT` can score books nobody tuned on.

The check books of issue 16 are listed, with their commits and gold fields, in
`evaluation/check_books.tsv`; `--all-check-books` extracts every one whose repository is cloned under
`--repos` (a folder holding `osbooks-…` clones or bare mirrors):

    git clone https://github.com/openstax/osbooks-introduction-philosophy repos/osbooks-introduction-philosophy
    python scripts/extract_openstax_chapters.py --all-check-books --repos repos --out /tmp/check-books

Files are copied byte for byte (`git show COMMIT:PATH`); nothing is edited. A "chapter" is a subcollection
that lists modules and no subcollection (a unit is not a chapter); the preface and unit openers are left out.
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
from pathlib import Path

from lxml import etree

COL = "{http://cnx.rice.edu/collxml}"
MD = "{http://cnx.rice.edu/mdml}"
_MODULE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
CHECK_BOOKS = Path(__file__).resolve().parents[1] / "evaluation" / "check_books.tsv"


class ExtractError(Exception):
    """What to fix: the repository, commit or collection named cannot be read as an OpenStax book."""


def git_show(repo: Path, commit: str, path: str) -> bytes:
    """One file of the repository at a commit (works on a clone or a bare mirror)."""
    done = subprocess.run(["git", "-C", str(repo), "show", f"{commit}:{path}"], capture_output=True)
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()
        raise ExtractError(f"{path} is not in {repo} at {commit}" + (f" ({reason[-1]})" if reason else ""))
    return done.stdout


def chapters(collection: bytes, count: int) -> list[tuple[int, str, list[str]]]:
    """(number, title, module ids) of the first `count` chapters, in collection order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(collection, parser)
    except etree.XMLSyntaxError as exc:
        raise ExtractError(f"the collection file is not well-formed XML: {exc}") from None
    found: list[tuple[int, str, list[str]]] = []
    for sub in root.iter(f"{COL}subcollection"):
        content = sub.find(f"{COL}content")
        if content is None or content.find(f"{COL}subcollection") is not None:
            continue  # a unit (it holds chapters), not a chapter
        modules = [m.get("document") for m in content.findall(f"{COL}module") if m.get("document")]
        bad = [m for m in modules if not _MODULE_ID.fullmatch(m)]
        if bad:  # a module id becomes a folder name: nothing like "../x" may leave the output folder
            raise ExtractError(f"the collection names a module {bad[0]!r}, which is not a module id (m12345)")
        if modules:
            found.append((len(found) + 1, " ".join((sub.findtext(f"{MD}title") or "").split()), modules))
        if len(found) == count:
            break
    return found


def extract(repo: Path, commit: str, collection_path: str, out: Path, *, count: int = 2) -> int:
    """Write the first `count` chapters to `out`; returns the number of modules."""
    collection = git_show(repo, commit, collection_path)
    picked = chapters(collection, count)
    if not picked:
        raise ExtractError(f"{collection_path} has no chapter (a subcollection listing modules)")
    (out / "collections").mkdir(parents=True, exist_ok=True)
    (out / "collections" / Path(collection_path).name).write_bytes(collection)
    try:
        (out / "LICENSE").write_bytes(git_show(repo, commit, "LICENSE"))
    except ExtractError:
        pass  # the collection's md:license still states the licence
    rows = []
    for number, title, modules in picked:
        for module in modules:
            data = git_show(repo, commit, f"modules/{module}/index.cnxml")
            (out / "modules" / module).mkdir(parents=True, exist_ok=True)
            (out / "modules" / module / "index.cnxml").write_bytes(data)
            try:
                root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
            except etree.XMLSyntaxError as exc:
                raise ExtractError(f"module {module} is not well-formed XML: {exc}") from None
            module_title = root.findtext("{http://cnx.rice.edu/cnxml}title") or ""
            rows.append((module, number, title, "", " ".join(module_title.split())))
    with (out / "modules-included.tsv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["module_id", "chapter_no", "chapter_title", "unit_or_note", "module_title"])
        writer.writerows(rows)
    return len(rows)


def check_books(path: Path | None = None) -> list[dict[str, str]]:
    """The rows of evaluation/check_books.tsv (folder, repository, commit, collection, gold field, why)."""
    with (path or CHECK_BOOKS).open(encoding="utf-8") as fh:
        rows = csv.DictReader(fh, delimiter="\t")
        return [row for row in rows if row["folder"] and not row["folder"].startswith("#")]


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except ExtractError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="folder to write the book folder(s) into")
    parser.add_argument("--chapters", type=int, default=2)
    parser.add_argument("--all-check-books", action="store_true", help="every book of evaluation/check_books.tsv")
    parser.add_argument("--repos", type=Path, help="with --all-check-books: folder of osbooks-… clones or mirrors")
    parser.add_argument("--set", dest="book_set", metavar="NAME",
                        help="with --all-check-books: only the books of this set (new-fields, reserve)")
    parser.add_argument("--repo", type=Path, help="one book: its repository (clone or bare mirror)")
    parser.add_argument("--commit", default="HEAD")
    parser.add_argument("--collection", help="one book: the collection file's path in the repository")
    parser.add_argument("--folder", help="one book: the name of the folder to write")
    args = parser.parse_args(argv)
    if args.all_check_books:
        if args.repos is None:
            parser.error("--all-check-books needs --repos")
        books = [b for b in check_books() if args.book_set in (None, b.get("set"))]
        if not books:
            parser.error(f"no check book is in the set {args.book_set!r}")
        gold = [["folder", "book_title", "isced_f_detailed_code", "isced_f_detailed_label", "isced_f_narrow_code",
                 "isced_f_broad_code"]]
        for book in books:
            name = book["repository"].split("/")[-1]
            candidates = [args.repos / name, args.repos / name / "repo", args.repos / f"openstax+{name}" / "repo"]
            repo = next((c for c in candidates if c.exists()), None)
            if repo is None:
                print(f"skipped {book['folder']}: no clone of {book['repository']} under {args.repos}", file=sys.stderr)
                continue
            n = extract(repo, book["commit"], book["collection"], args.out / book["folder"], count=args.chapters)
            code = book["gold"]
            gold.append([book["folder"], book["book_title"], code, book["gold_label"], code[:3], code[:2]])
            print(f"{book['folder']}: {n} modules", file=sys.stderr)
        args.out.mkdir(parents=True, exist_ok=True)
        with (args.out / "subject-gold.tsv").open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter="\t", lineterminator="\n").writerows(gold)
        return 0
    if not (args.repo and args.collection and args.folder):
        parser.error("give --all-check-books, or --repo, --collection and --folder")
    n = extract(args.repo, args.commit, args.collection, args.out / args.folder, count=args.chapters)
    print(f"{args.folder}: {n} modules", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
