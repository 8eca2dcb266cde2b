"""Cross-lingual retrieval with the real default embedder (multilingual e5): a Portuguese query finds
the English resource on the same topic and vice versa, through the service and the CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.slow

RECORDS = [
    {"title": "Photosynthesis", "description": "Green plants capture light energy in their chloroplasts and use it "
     "to turn carbon dioxide and water into sugar, releasing oxygen.", "url": "https://e.org/en/photosynthesis",
     "language": "en", "licence": "CC-BY-4.0"},
    {"title": "The French Revolution", "description": "In 1789 the people of Paris stormed the Bastille and the "
     "monarchy of Louis XVI began to fall.", "url": "https://e.org/en/revolution", "language": "en",
     "licence": "CC-BY-SA-4.0"},
    {"title": "Loops in Python", "description": "A for loop runs the same block of code once for each element "
     "of a list.", "url": "https://e.org/en/loops", "language": "en", "licence": "CC-BY-NC-4.0"},
    {"title": "Fotossíntese", "description": "As plantas verdes captam a energia da luz nos cloroplastos e a usam "
     "para transformar gás carbônico e água em açúcar, liberando oxigênio.", "url": "https://e.org/pt/fotossintese",
     "language": "pt-BR", "licence": "CC-BY-4.0"},
    {"title": "A Revolução Francesa", "description": "Em 1789 o povo de Paris tomou a Bastilha e a monarquia de "
     "Luís XVI começou a cair.", "url": "https://e.org/pt/revolucao", "language": "pt-BR", "licence": "CC-BY-4.0"},
    {"title": "Laços em Python", "description": "Um laço for executa o mesmo bloco de código uma vez para cada "
     "elemento de uma lista.", "url": "https://e.org/pt/lacos", "language": "pt-BR", "licence": "CC-BY-ND-4.0"},
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """One catalogue for the module, built through the CLI (the e5 model loads once)."""
    from adapt.cli import _register, cli

    _register()
    folder = tmp_path_factory.mktemp("crosslingual")
    catalogue = folder / "catalogue.jsonl"
    catalogue.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    db = folder / "adapt.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db), "catalog", "add", str(catalogue), "--json"],
                           catch_exceptions=False, standalone_mode=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["added"] == 6 and report["embedded"] == 6
    return folder, db, runner, cli


def related(workspace, *args):
    folder, db, runner, cli = workspace
    result = runner.invoke(cli, ["--db", str(db), "related", *args, "--json"], catch_exceptions=False,
                           standalone_mode=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["results"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Como as plantas produzem açúcar a partir da luz do sol?", "en", "Photosynthesis"),
        ("A queda da Bastilha e o fim do rei", "en", "The French Revolution"),
        ("Percorrer todos os itens de uma lista com um laço", "en", "Loops in Python"),
        ("How do plants make sugar from sunlight?", "pt", "Fotossíntese"),
        ("The storming of the Bastille in 1789", "pt", "A Revolução Francesa"),
        ("Repeat code for every element of a list", "pt", "Laços em Python"),
    ],
)
def test_catalogue_crosslingual_query_finds_the_other_language(workspace, text, lang, expected):
    folder = workspace[0]
    query = folder / f"query-{abs(hash(text))}.md"
    query.write_text(text + "\n", encoding="utf-8")
    results = related(workspace, str(query), "--lang", lang, "--k", "3")
    assert results[0]["title"] == expected
    assert all(r["language"].startswith(lang) for r in results)
    assert results[0]["why"] and results[0]["similarity"] > results[-1]["similarity"]


def test_catalogue_crosslingual_without_filter_ranks_both_languages_first(workspace):
    folder = workspace[0]
    query = folder / "q.md"
    query.write_text("Plantas, luz e cloroplastos.\n", encoding="utf-8")
    top2 = {r["title"] for r in related(workspace, str(query), "--k", "2")}
    assert top2 == {"Photosynthesis", "Fotossíntese"}


def test_catalogue_crosslingual_license_compatible_and_segments(workspace):
    from adapt.service import AdaptService
    from adapt.settings import Settings

    folder, db = workspace[0], workspace[1]
    lesson = folder / "lição.md"
    lesson.write_text("# Revolução\n\nO povo de Paris tomou a Bastilha em 1789.\n", encoding="utf-8")
    service = AdaptService(Settings(db_path=db, user="tester"))
    try:
        resource = service.import_file(lesson, language="pt", license="CC-BY-NC-4.0").resource_id
        key = [s.key for s in service.store.segments(resource)][1]
        answer = service.related_for_segment(resource, key, k=3, language="en")
        assert answer.results[0].item.title == "The French Revolution"
        whole = service.related(resource, k=3, language="en")  # what the review UI's related tab calls
        assert whole.to_json()["results"][0]["title"] == "The French Revolution"
        assert service.prepare_related(resource) >= 1 and service.prepare_related(resource) == 0
        # BY-NC source: BY-SA (must stay SA, cannot add NC) and ND are not remixable with it.
        compatible = service.related_for_segment(resource, key, k=6, license_compatible=True)
        licences = {r.item.license for r in compatible.results}
        assert licences and licences <= {"CC-BY-4.0", "CC-BY-NC-4.0"}
    finally:
        service.close()
