"""Searching the catalogue: results carry why, filters (language, licence) hold, the index keeps up."""

from __future__ import annotations

import pytest

from adapt.catalogue.catalogue import Catalogue
from adapt.errors import UserError
from adapt.related import related_to_document, related_to_segment

MAX = 10_000_000


@pytest.fixture
def filled(catalogue, jsonl, topics):
    catalogue.add_paths([jsonl(topics)], max_bytes=MAX)
    return catalogue


def titles(results):
    return [r.item.title for r in results]


def test_catalogue_search_ranks_and_explains(filled):
    results = filled.related_to_text("how do plants make glucose from sunlight in chloroplasts", k=3)
    assert results[0].item.title == "Photosynthesis in plants"
    assert "chloroplasts" in results[0].passage
    assert results[0].similarity >= results[1].similarity >= results[2].similarity
    payload = results[0].to_json()
    assert {"title", "language", "license", "similarity", "why", "url"} <= set(payload)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("pt", {"Fotossíntese nas plantas", "A Revolução Francesa"}),  # pt matches pt-BR too
        ("pt-BR", {"Fotossíntese nas plantas", "A Revolução Francesa"}),  # pt serves pt-BR (adapt.languages)
        ("en", {"Photosynthesis in plants", "For loops in Python", "The French Revolution"}),
        ("de", set()),
    ],
)
def test_catalogue_language_filter(filled, lang, expected):
    results = filled.related_to_text("plants revolution loops", k=10, language=lang)
    assert set(titles(results)) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Real rules from adapt.licenses.compatible_for_remix: ND and unknown never; SA only with BY / same SA.
        ("CC-BY-4.0", {"Photosynthesis in plants", "For loops in Python", "Fotossíntese nas plantas"}),
        ("CC-BY-SA-4.0", {"Photosynthesis in plants", "Fotossíntese nas plantas"}),
        ("CC-BY-NC-4.0", {"Photosynthesis in plants", "For loops in Python"}),
        ("CC-BY-ND-4.0", set()),
    ],
)
def test_catalogue_license_compatible_filter(filled, source, expected):
    from adapt.catalogue.catalogue import remix_predicate

    results = filled.related_to_text("plants revolution loops", k=10, license_of_source=source,
                                     remix=remix_predicate())
    assert set(titles(results)) == expected


def test_catalogue_k_limits_and_is_validated(filled):
    assert len(filled.related_to_text("plants", k=2)) == 2
    with pytest.raises(UserError):
        filled.related_to_text("plants", k=0)
    with pytest.raises(UserError):
        filled.related_to_text("   ")


def test_catalogue_file_query_excludes_itself_and_needs_a_licence_for_remix(filled, tmp_path):
    from adapt.formats import read_document

    lesson = tmp_path / "lesson.md"
    lesson.write_text("# Photosynthesis in plants\n\nPlants turn sunlight water and carbon dioxide into glucose "
                      "and oxygen inside chloroplasts.\n", encoding="utf-8")
    filled.add_paths([lesson], max_bytes=MAX)
    document, _ = read_document(lesson, max_bytes=MAX)
    answer = related_to_document(filled, document, lesson, k=3)
    assert lesson.name not in [r.item.source for r in answer.results]
    assert answer.results[0].item.title == "Photosynthesis in plants"
    with pytest.raises(UserError, match="licence of lesson.md is unknown"):
        related_to_document(filled, document, lesson, license_compatible=True)
    allowed = related_to_document(filled, document, lesson, license_compatible=True, license="CC-BY-SA-4.0")
    assert {r.item.license for r in allowed.results} <= {"CC-BY-4.0", "CC-BY-SA-4.0"}


def test_catalogue_index_is_reused_extended_and_rebuilt(filled, embedder, jsonl, topics, tmp_path):
    filled.index()
    assert filled.index_rebuilds == 1
    reopened = Catalogue(filled.store, embedder, index_folder=filled.index_folder)
    reopened.related_to_text("plants")
    assert reopened.index_rebuilds == 0  # loaded from the files beside the database
    extra = dict(topics[0], url="https://example.org/mitosis", title="Mitosis",
                 description="Cells divide by mitosis into two daughter cells.")
    reopened.add_paths([jsonl([extra], "more.jsonl")], max_bytes=MAX)
    assert reopened.related_to_text("cells divide by mitosis", k=1)[0].item.title == "Mitosis"
    assert reopened.index_rebuilds == 0  # only additions: the index was extended in place
    reopened.remove([reopened.related_to_text("cells divide by mitosis", k=1)[0].item.id])
    assert "Mitosis" not in titles(reopened.related_to_text("cells divide by mitosis", k=10))
    assert reopened.index_rebuilds == 1  # a removal rebuilds


def test_catalogue_graph_and_exact_agree_through_the_catalogue(store, embedder, jsonl, topics, tmp_path):
    records = [dict(t, url=f"{t['url']}/{n}", title=f"{t['title']} {n}") for n in range(30) for t in topics]
    small = Catalogue(store, embedder, index_folder=tmp_path / "idx", exact_limit=20)
    small.add_paths([jsonl(records)], max_bytes=MAX)
    assert small.index().uses_graph
    for query in ("plants glucose", "French Revolution Bastille", "loop over a list"):
        exact = small.related_to_text(query, k=5, method="exact")
        graph = small.related_to_text(query, k=5, method="hnsw")
        assert [round(r.similarity, 4) for r in exact] == [round(r.similarity, 4) for r in graph]
        assert graph[0].method == "hnsw"


def test_catalogue_related_for_segment_of_a_review_resource(filled, service, tmp_path):
    lesson = tmp_path / "lesson.md"
    lesson.write_text("# Loops\n\nA for loop repeats a block of code once for every item of a list.\n\n"
                      "The French Revolution began in 1789.\n", encoding="utf-8")
    resource = service.import_file(lesson, license="CC-BY-4.0").resource_id
    store = service.store
    keys = [s.key for s in store.segments(resource)]
    catalogue = Catalogue(store, filled.embedder, index_folder=tmp_path / "svc-index")
    catalogue.add(list(filled_entries(filled)))
    answer = related_to_segment(catalogue, store, resource, keys[1], k=2)
    assert answer.results[0].item.title == "For loops in Python"
    assert "segment" in answer.subject
    compatible = related_to_segment(catalogue, store, resource, keys[2], k=5, license_compatible=True)
    assert all(r.item.license != "CC-BY-ND-4.0" and r.item.license is not None for r in compatible.results)
    with pytest.raises(UserError, match="no segment"):
        related_to_segment(catalogue, store, resource, "nope")


def filled_entries(catalogue):
    """The entries of a filled catalogue, to copy them into another store."""
    from adapt.catalogue.records import Entry

    for item in catalogue.items():
        yield Entry(key=item.key, title=item.title, description=item.description, url=item.url,
                    language=item.language, license=item.license, subject=tuple(item.subject), source=item.source,
                    format=item.format, passages=tuple(catalogue.passages(item.id)))


def test_catalogue_prepared_segments_need_no_model_call(filled, embedder, service, tmp_path):
    from adapt.related import prepare_resource

    lesson = tmp_path / "prep.md"
    lesson.write_text("# Loops\n\nA for loop repeats a block of code.\n\nPlants need light.\n", encoding="utf-8")
    resource = service.import_file(lesson).resource_id
    catalogue = Catalogue(service.store, embedder, index_folder=tmp_path / "prep-index")
    catalogue.add(list(filled_entries(filled)))
    assert prepare_resource(catalogue, service.store, resource) == 3
    assert prepare_resource(catalogue, service.store, resource) == 0  # the second time: nothing to embed
    calls = len(embedder.embedded)
    for key in [s.key for s in service.store.segments(resource)]:
        related_to_segment(catalogue, service.store, resource, key, k=2)
    assert len(embedder.embedded) == calls, "prepared segments are answered from the vector cache"
    fresh = catalogue.related_to_text("Plants need light.", k=1, cached=False)
    assert fresh[0].item.title == "Photosynthesis in plants"


def test_concurrent_searches_on_a_stale_index_build_it_once(filled) -> None:
    """The review UI answers requests on several threads: a stale index must be rebuilt once, not by each."""
    from concurrent.futures import ThreadPoolExecutor

    assert filled.index_rebuilds == 0  # adding did not build it: the first searches find it missing
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: titles(filled.related_to_text("plants and sunlight", k=3)), range(16)))
    assert filled.index_rebuilds == 1
    assert all(answer == answers[0] for answer in answers)
