"""The licence × action table: for every licence a user meets (the six CC 4.0 licences, CC0, the Public
Domain Mark, all rights reserved, unknown) and every action (translate, simplify, tag, export), what
OER Adapt allows and what it says. Run twice: on the pure policy, and through the real service with a
real SQLite store and real files, where export is judged on reviewed suggestions already in the store
(as after a licence was corrected)."""

from __future__ import annotations

import pytest

from adapt.errors import LicenseConfirmationRequired, LicenseError
from adapt.licenses import UNKNOWN, parse_license, verdict
from adapt.store import NewSuggestion
from tests.adapt.licensing_support import install_fake, write_lesson

OK, NO, ASK = "allowed", "refused", "confirm"

# licence id: {action: (outcome, words the message must contain)}
TABLE = {
    "CC-BY-4.0": {
        "translate": (OK, "CC BY 4.0 allows adaptations with attribution"),
        "simplify": (OK, "statement of the changes"),
        "tag": (OK, "tags describe the resource without changing it"),
        "export": (OK, "CC BY 4.0 allows adaptations"),
    },
    "CC-BY-SA-4.0": {
        "translate": (OK, "share-alike: the adaptation must be shared under CC BY-SA 4.0"),
        "simplify": (OK, "share-alike"),
        "tag": (OK, "tagging is allowed under any licence"),
        "export": (OK, "share-alike"),
    },
    "CC-BY-NC-4.0": {
        "translate": (OK, "non-commercial: the adaptation may not be used commercially"),
        "simplify": (OK, "non-commercial"),
        "tag": (OK, "tagging is allowed"),
        "export": (OK, "non-commercial"),
    },
    "CC-BY-NC-SA-4.0": {
        "translate": (OK, "share-alike: the adaptation must be shared under CC BY-NC-SA 4.0; non-commercial"),
        "simplify": (OK, "share-alike"),
        "tag": (OK, "tagging is allowed"),
        "export": (OK, "non-commercial"),
    },
    "CC-BY-ND-4.0": {
        "translate": (NO, "CC BY-ND 4.0 is a no-derivatives licence: it forbids sharing translations"),
        "simplify": (NO, "no-derivatives"),
        "tag": (OK, "tagging is allowed under any licence"),
        "export": (NO, "no-derivatives"),
    },
    "CC-BY-NC-ND-4.0": {
        "translate": (NO, "CC BY-NC-ND 4.0 is a no-derivatives licence"),
        "simplify": (NO, "no-derivatives"),
        "tag": (OK, "tagging is allowed"),
        "export": (NO, "no-derivatives"),
    },
    "CC0-1.0": {
        "translate": (OK, "CC0 1.0 waives all rights: adaptations are allowed and attribution is not required"),
        "simplify": (OK, "attribution is not required"),
        "tag": (OK, "tagging is allowed"),
        "export": (OK, "waives all rights"),
    },
    "PDM-1.0": {
        "translate": (OK, "Public Domain Mark says the work is free of known copyright"),
        "simplify": (OK, "attribution is not required"),
        "tag": (OK, "tagging is allowed"),
        "export": (OK, "free of known copyright"),
    },
    "ARR": {
        "translate": (NO, "'all rights reserved': translating it needs the rights holder's permission"),
        "simplify": (NO, "simplifying it needs the rights holder's permission"),
        "tag": (OK, "tagging is allowed under any licence"),
        "export": (NO, "exporting an adaptation of it needs the rights holder's permission"),
    },
    "UNKNOWN": {
        "translate": (ASK, "the licence of this resource is unknown: translating it is only allowed"),
        "simplify": (ASK, "the licence of this resource is unknown"),
        "tag": (OK, "tagging is allowed under any licence"),
        "export": (ASK, "the licence of this resource is unknown"),
    },
}
CASES = [(lic, action, *TABLE[lic][action]) for lic in TABLE for action in ("translate", "simplify", "tag", "export")]
HINTS = {NO: {"CC-BY-ND-4.0": "ask the rights holder", "CC-BY-NC-ND-4.0": "use the resource unchanged",
              "ARR": "ask the rights holder for an open licence"},
         ASK: {"UNKNOWN": "--assume-license"}}


def test_table_covers_every_licence_and_action():
    assert len(CASES) == 40
    assert {parse_license(lic).id for lic in TABLE} == set(TABLE)


@pytest.mark.parametrize(("license_id", "action", "outcome", "said"), CASES)
def test_policy_table(license_id, action, outcome, said):
    lic = parse_license(license_id)
    v = verdict(lic, action)
    assert v.outcome == outcome
    assert said in v.message
    if outcome != OK:
        assert HINTS[outcome][license_id] in v.hint
    if outcome == OK and action != "tag":
        # SA forces the export licence; NC is said on export; public domain gets CC0 for the changes.
        expected = {"PDM-1.0": "CC0-1.0", "CC0-1.0": "CC0-1.0"}.get(license_id, license_id)
        assert v.export_license is not None and v.export_license.id == expected
        assert v.export_license_forced == lic.share_alike
        assert any("Non-commercial" in n for n in v.notices) == lic.noncommercial
        assert any("Share-alike" in n for n in v.notices) == lic.share_alike


def _resource(service, tmp_path, license_id: str) -> int:
    path = write_lesson(tmp_path)  # states no licence: the licence comes from --license, or stays unknown
    imported = service.import_file(path, language="en", license=None if license_id == "UNKNOWN" else license_id,
                                   owner="ana")
    assert service.resource(imported.resource_id).license == (None if license_id == "UNKNOWN" else license_id)
    return imported.resource_id


def _reviewed_suggestions(service, resource_id: int) -> None:
    """Suggestions already in the store and accepted (e.g. made before the licence was corrected)."""
    records = [r for r in service.store.segments(resource_id) if r.translatable]
    ids = service.store.add_suggestions([
        NewSuggestion(resource_id, r.id, "translate", "pt", r.source_text, f"pt: {r.source_text}",
                      {"engine": "fake", "model": "fake-en-pt", "version": "1.0", "settings": {}})
        for r in records
    ])
    service.review.accept([i for i in ids if i is not None], actor="rui")


@pytest.mark.parametrize(("license_id", "action", "outcome", "said"), CASES)
def test_service_table(service, tmp_path, license_id, action, outcome, said):
    install_fake(service)
    rid = _resource(service, tmp_path, license_id)
    if action == "translate":
        call = lambda: service.translate_resource(rid, target="pt")  # noqa: E731
    elif action == "export":
        _reviewed_suggestions(service, rid)
        call = lambda: service.export(rid, tmp_path / "out.md")  # noqa: E731
    else:
        call = lambda: service.licences.check(rid, action)  # noqa: E731
    if outcome == OK:
        result = call()
        if action == "translate":
            assert result.suggestions == len([r for r in service.store.segments(rid) if r.translatable])
        elif action == "export":
            text = (tmp_path / "out.md").read_text(encoding="utf-8")  # a pt export: its notes are Portuguese
            assert "Alterações: tradução do inglês para o português." in text and "fake-en-pt" not in text
            assert "Revisão de rui" in text
            lic = parse_license(license_id)
            if lic.kind == "cc":
                assert f"licenciada sob {lic.short} ({lic.url})" in text
                assert ("Compartilha igual" in text) == lic.share_alike
                assert ("Não comercial" in text) == lic.noncommercial
            else:
                assert "Esta adaptação é dedicada ao domínio público sob CC0 1.0" in text
        else:
            assert said in result.verdict.message
        return
    error = LicenseConfirmationRequired if outcome == ASK else LicenseError
    with pytest.raises(error) as caught:
        call()
    assert said in caught.value.message
    assert HINTS[outcome][license_id] in caught.value.hint
    assert caught.value.exit_code == 1
    if action == "translate":
        assert service.review.suggestions(rid) == []  # nothing was written
    if action == "export":
        assert not (tmp_path / "out.md").exists()


@pytest.mark.parametrize("action", ["translate", "simplify", "export"])
def test_unknown_licence_confirmed_then_allowed_and_said(service, tmp_path, action):
    install_fake(service)
    rid = _resource(service, tmp_path, "UNKNOWN")
    if action == "export":
        _reviewed_suggestions(service, rid)
        service.export(rid, tmp_path / "out.md", assume_license="CC-BY-4.0", actor="ana")
        text = (tmp_path / "out.md").read_text(encoding="utf-8")
        assert "a fonte não indica licença; ana confirmou esta" in text
    elif action == "translate":
        service.translate_resource(rid, target="pt", assume_license="CC-BY-4.0", actor="ana")
    else:
        check = service.licences.check(rid, action, "CC-BY-4.0", actor="ana")
        assert check.assumed and check.license.id == "CC-BY-4.0"
        assert "ana confirmed CC BY 4.0" in " ".join(check.warnings())
    # the confirmation is recorded, and holds for the next action
    report = service.licences.report(rid)
    assert [c["by"] for c in report["confirmations"]] == ["ana"]
    assert report["stated"] == UNKNOWN.id and report["assumed"]["license"] == "CC-BY-4.0"
    assert service.licences.check(rid, "simplify").license.id == "CC-BY-4.0"


def test_assumed_licence_cannot_unlock_a_no_derivatives_resource(service, tmp_path):
    rid = _resource(service, tmp_path, "CC-BY-ND-4.0")
    with pytest.raises(LicenseError, match="states its licence"):
        service.licences.check(rid, "translate", "CC-BY-4.0")


def test_assuming_a_no_derivatives_licence_is_refused_and_not_recorded(service, tmp_path):
    rid = _resource(service, tmp_path, "UNKNOWN")
    with pytest.raises(LicenseError, match="no-derivatives"):
        service.licences.check(rid, "translate", "CC-BY-ND-4.0", actor="ana")
    assert service.licences.report(rid)["confirmations"] == []


@pytest.mark.parametrize(("source", "wanted", "ok"), [
    ("CC-BY-SA-4.0", "CC-BY-4.0", False),  # SA forces the export licence
    ("CC-BY-SA-4.0", "CC-BY-SA-4.0", True),
    ("CC-BY-SA-3.0", "CC-BY-SA-4.0", True),  # a later version of the same licence
    ("CC-BY-NC-SA-4.0", "CC-BY-SA-4.0", False),
    ("CC-BY-NC-4.0", "CC-BY-4.0", False),  # NC may not be dropped
    ("CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", True),
    ("CC-BY-4.0", "CC-BY-SA-4.0", True),  # BY lets the adapter choose
    ("CC-BY-4.0", "ARR", True),
    ("CC0-1.0", "CC-BY-4.0", True),
])
def test_export_licence_choice(service, tmp_path, source, wanted, ok):
    rid = _resource(service, tmp_path, source)
    _reviewed_suggestions(service, rid)
    out = tmp_path / "out.md"
    if ok:
        result = service.export(rid, out, license=wanted)
        assert result.to_json()["license"] == wanted
    else:
        with pytest.raises(LicenseError) as caught:
            service.export(rid, out, license=wanted)
        assert ("share-alike" in caught.value.message) or ("non-commercial" in caught.value.message)
        assert not out.exists()
