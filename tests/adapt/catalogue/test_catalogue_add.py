"""Adding to the catalogue: files, folders, JSONL; re-adding unchanged content does no work at all."""

from __future__ import annotations

import json

import pytest

from adapt.catalogue.catalogue import Catalogue
from adapt.errors import InputError, UnreadableFile
from tests.conftest import shared_data

MAX = 10_000_000

LESSON = """# Photosynthesis

Plants use sunlight, water and carbon dioxide to make glucose and oxygen. This happens in the chloroplasts,
small green organelles inside the cells of leaves.

## Why it matters

Almost every food chain starts with photosynthesis: animals eat plants, or eat animals that ate plants.
"""


def add(catalogue, *paths, **options):
    return catalogue.add_paths(list(paths), max_bytes=MAX, **options)


def test_catalogue_add_file_stores_item_passages_and_vectors(catalogue, embedder, tmp_path):
    lesson = tmp_path / "lesson.md"
    lesson.write_text(LESSON, encoding="utf-8")
    report = add(catalogue, lesson, language="en", license="CC-BY-4.0")
    assert (report.added, report.unchanged, report.updated) == (1, 0, 0)
    item = catalogue.item(report.item_ids[0])
    assert item.title == "Photosynthesis" and item.language == "en" and item.license == "CC-BY-4.0"
    passages = catalogue.passages(item.id)
    assert passages and "chloroplasts" in " ".join(passages)
    assert report.embedded == len(set(passages)) == len(embedder.embedded)
    stats = catalogue.stats()
    assert stats["items"] == 1 and stats["passages"] == len(passages) and stats["vectors"] == len(set(passages))


def test_catalogue_readd_unchanged_does_no_work(catalogue, embedder, tmp_path, jsonl, topics):
    lesson = tmp_path / "lesson.md"
    lesson.write_text(LESSON, encoding="utf-8")
    records = jsonl(topics)
    first = add(catalogue, lesson, records)
    index = catalogue.index()
    generation = catalogue.stats()["generation"]
    embedded_before = list(embedder.embedded)

    # A fresh Catalogue over the same store and index folder: nothing may be embedded, written or rebuilt.
    again = Catalogue(catalogue.store, embedder, index_folder=catalogue.index_folder)
    second = add(again, lesson, records)
    assert second.embedded == 0 and second.passages == 0
    assert second.unchanged == first.added == len(topics) + 1 and second.added == second.updated == 0
    assert embedder.embedded == embedded_before, "nothing may be re-embedded"
    assert again.stats()["generation"] == generation
    assert again.index().state["generation"] == index.state["generation"]
    assert again.index_rebuilds == 0


def test_catalogue_metadata_change_updates_row_without_embedding(catalogue, embedder, jsonl, topics):
    add(catalogue, jsonl(topics))
    count = len(embedder.embedded)
    topics[0]["licence"] = "CC0-1.0"
    topics[1]["subject"] = ["computing"]
    report = add(catalogue, jsonl(topics))
    assert (report.relabelled, report.unchanged, report.embedded) == (2, len(topics) - 2, 0)
    assert len(embedder.embedded) == count
    licences = {i.url: i.license for i in catalogue.items()}
    assert licences["https://example.org/photosynthesis"] == "CC0-1.0"


def test_catalogue_changed_text_embeds_only_new_passages(catalogue, embedder, tmp_path):
    lesson = tmp_path / "lesson.md"
    lesson.write_text(LESSON, encoding="utf-8")
    add(catalogue, lesson)
    old = set(embedder.embedded)
    lesson.write_text(LESSON.replace("Almost every food chain", "Nearly every food web"), encoding="utf-8")
    report = add(catalogue, lesson)
    assert (report.updated, report.added) == (1, 0)
    new = set(embedder.embedded[len(old):])
    assert new and all("food web" in text for text in new), "unchanged passages come from the cache"
    assert len(catalogue.items()) == 1


def test_catalogue_same_text_under_two_urls_is_embedded_once(catalogue, embedder, jsonl, topics):
    twin = dict(topics[0], url="https://mirror.example.net/photosynthesis", licence="CC-BY-SA-4.0")
    report = add(catalogue, jsonl([topics[0], twin]))
    assert report.added == 2 and report.embedded == 1 and len(embedder.embedded) == 1


def test_catalogue_cache_is_keyed_by_embedder_signature(catalogue, embedder, jsonl, topics):
    add(catalogue, jsonl(topics))
    newer = type(embedder)(version="2")  # another model version: its vectors are not interchangeable
    other = Catalogue(catalogue.store, newer, index_folder=catalogue.index_folder)
    report = add(other, jsonl(topics))
    assert report.unchanged == len(topics) and report.embedded == 0  # the items did not change...
    other.index()  # ...but the new model's index embeds every passage once with the new model
    assert len(newer.embedded) == len(topics)
    assert other.stats()["vectors"] == len(topics) and catalogue.stats()["vectors"] == len(topics)
    assert other.folder != catalogue.folder


def test_catalogue_folder_adds_every_supported_file_and_reports_the_rest(catalogue, tmp_path, topics, jsonl):
    folder = tmp_path / "course"
    (folder / "unit1").mkdir(parents=True)
    (folder / "unit1" / "a.md").write_text(LESSON, encoding="utf-8")
    (folder / "b.txt").write_text("Cells divide by mitosis. Each daughter cell gets a full copy of the DNA.\n",
                                  encoding="utf-8")
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / ".hidden.md").write_text("# ignored", encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not a Word document")
    # A damaged document stops the add (or is listed with --skip-bad); a picture is no document: passed over.
    with pytest.raises(InputError, match="broken.docx"):
        add(catalogue, folder)
    report = add(catalogue, folder, skip_bad=True)
    assert report.added == 2 and len(report.bad) == 1 and "broken.docx" in str(report.bad[0])
    assert [f.split(":")[0] for f in report.other_files] == [str(folder / "picture.png")]


def test_catalogue_add_missing_path_fails_with_a_hint(catalogue, tmp_path):
    with pytest.raises(UnreadableFile, match="does not exist"):
        add(catalogue, tmp_path / "nope.md")


def test_catalogue_interrupted_add_keeps_embedded_vectors(catalogue, embedder, jsonl, topics, monkeypatch):
    """Vectors are stored batch by batch before the items: a failed add is resumed without re-embedding."""
    import adapt.catalogue.catalogue as module

    monkeypatch.setattr(module, "BATCH_ITEMS", 2)
    calls = {"n": 0}
    real = module.repo.write_entries

    def fail_second(conn, entries, counts):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return real(conn, entries, counts)

    monkeypatch.setattr(module.repo, "write_entries", fail_second)
    with pytest.raises(RuntimeError):
        add(catalogue, jsonl(topics))
    embedded = len(embedder.embedded)
    assert len(catalogue.items()) == 2
    monkeypatch.setattr(module.repo, "write_entries", real)
    report = add(catalogue, jsonl(topics))
    assert report.added == len(topics) - 2 and report.unchanged == 2
    assert len(embedder.embedded) == embedded + 1  # only the fifth record's text was never embedded
    assert json.dumps(report.to_json())


def test_catalogue_add_a_book_folder_catalogues_its_modules_with_the_books_licence_and_title(catalogue, tmp_path):
    """An OpenStax book folder as it comes: images, a LICENSE file, the collection and the modules. The
    modules become items (each with the book's CC BY 4.0 and title); the rest is passed over and named,
    without --skip-bad; the collection (the whole book again) is not a second copy of every module."""
    import shutil

    book_src = shared_data() / "oer" / "openstax-economics-3e"
    book = tmp_path / "economics"
    shutil.copytree(book_src / "collections", book / "collections")
    modules = sorted((book_src / "modules").iterdir())[:2]
    for module in modules:
        shutil.copytree(module, book / "modules" / module.name)
    (book / "media").mkdir()
    (book / "media" / "figure.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a picture")
    shutil.copy(book_src / "LICENSE", book / "LICENSE")
    report = add(catalogue, book)
    assert report.added == 2 and report.bad == []
    assert len(report.other_files) == 3 and any("collection file" in f for f in report.other_files)
    assert any(f.startswith(str(book / "media" / "figure.jpg")) for f in report.other_files)
    for item in (catalogue.item(i) for i in report.item_ids):
        assert item.license == "CC-BY-4.0" and item.title.endswith("· Principles of Economics 3e")
    # Named on its own, the collection is the book: one item.
    alone = add(catalogue, book / "collections" / next((book / "collections").iterdir()).name)
    assert alone.added == 1 and catalogue.item(alone.item_ids[0]).title == "Principles of Economics 3e"
    # A file named explicitly that OER Adapt cannot read is still an error, not passed over.
    with pytest.raises(InputError, match="cannot tell the format"):
        add(catalogue, book / "media" / "figure.jpg")
