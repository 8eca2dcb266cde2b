"""Issue 14, "work beside the text": memory and glossary matches for a segment (adapt.beside), and the
licence in force that the related resources' toggle reads (a confirmed one counts, defect 11)."""

from __future__ import annotations

import pytest

from adapt.errors import UserError
from adapt.formats import parse_stored
from adapt.glossary import Term, add_terms
from adapt.store import NewSuggestion


@pytest.fixture
def tina(service):
    service.people.add("tina", "teacher", "password-1")
    return service.people.get("tina")


def _lesson(service, name: str, text: str, licence: str | None = "CC-BY-4.0") -> int:
    data = text.encode()
    return service.import_document(parse_stored("markdown", name, data), data, language="en", license=licence,
                                   owner="tina").resource_id


def _suggest(service, rid: int, texts: dict[str, str], task: str = "translate", target: str = "pt") -> dict[str, int]:
    segs = [s for s in service.store.segments(rid) if s.translatable and s.source_text in texts]
    ids = service.store.add_suggestions([NewSuggestion(rid, s.id, task, target, s.source_text, texts[s.source_text],
                                                       {"engine": "test"}) for s in segs])
    return {s.source_text: i for s, i in zip(segs, ids, strict=True) if i is not None}


def test_segment_help_offers_reviewed_translations_and_glossary_terms(service, tina):
    earlier = _lesson(service, "old.md", "# Old\n\nThe green colour comes from chlorophyll.\n\nRoots drink water.\n")
    old = _suggest(service, earlier, {"The green colour comes from chlorophyll.": "A cor verde vem da clorofila.",
                                      "Roots drink water.": "As raízes bebem água."})
    service.store.accept(old["The green colour comes from chlorophyll."], actor="tina", expected_version=None)
    add_terms(service.store, [Term("chlorophyll", "dnt", "en"), Term("sunlight", "forced", "en", "pt", "luz solar")])
    lesson = _lesson(service, "new.md", "# New\n\nThe green colour comes from chlorophyll.\n\n"
                                        "The green colour comes from chlorophyl.\n\nRoots drink water.\n")
    new = _suggest(service, lesson, {"The green colour comes from chlorophyll.": "x",
                                     "The green colour comes from chlorophyl.": "y", "Roots drink water.": "z"})
    session = service.session(tina)

    exact = session.segment_help(new["The green colour comes from chlorophyll."])
    assert [(m.text, m.similarity) for m in exact.memory] == [("A cor verde vem da clorofila.", 100.0)]
    assert exact.memory[0].unit.decided_by == "tina"
    assert [(t.term, t.kind) for t in exact.terms] == [("chlorophyll", "dnt")]

    fuzzy = session.segment_help(new["The green colour comes from chlorophyl."])
    assert fuzzy.memory and 75 <= fuzzy.memory[0].similarity < 100  # a fuzzy match, said as such
    assert fuzzy.terms == []  # "chlorophyl" is not the glossary's word

    # Only reviewed translations serve: the pending "As raízes bebem água." is not offered.
    assert session.segment_help(new["Roots drink water."]).memory == []


def test_segment_help_does_not_apply_to_simplifications(service, tina):
    rid = _lesson(service, "s.md", "# S\n\nA rather long sentence that could be simpler for the readers.\n")
    (sid,) = _suggest(service, rid, {"A rather long sentence that could be simpler for the readers.": "Short."},
                      task="simplify", target="en").values()
    assert service.session(tina).segment_help(sid).applies is False


def test_licence_in_force_reads_a_confirmed_licence_for_the_related_toggle(service, tina):
    rid = _lesson(service, "free.md", "# Water\n\nRain falls from the clouds onto the hills.\n", licence=None)
    (sid,) = _suggest(service, rid, {"Rain falls from the clouds onto the hills.": "A chuva cai."}).values()
    session = service.session(tina)
    assert session.license_in_force(rid) is None
    with pytest.raises(UserError, match="not known yet") as raised:
        session.segment_related(sid, license_compatible=True)
    assert "Licence" in (raised.value.hint or "") and "--license" not in (raised.value.hint or "")
    # The teacher confirms CC BY 4.0 (as the job form does when a job is queued).
    service.licences.check(service.store.resource(rid), "translate", "CC-BY-4.0", actor="tina")
    assert session.license_in_force(rid) == "CC-BY-4.0"
    found = session.segment_related(sid, license_compatible=True)  # no error now (the catalogue is empty)
    assert found["catalogue_items"] == 0
