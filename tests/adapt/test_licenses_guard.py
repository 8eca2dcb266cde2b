"""The guard in the service paths: checked before anything is written, --license at import, elements with
their own licence kept out of the pipeline and of the export, confirmations recorded. Real SQLite,
real files, the real CLI."""

from __future__ import annotations

import json

import pytest

from adapt.errors import LicenseConfirmationRequired, LicenseError
from adapt.store import NewSuggestion
from tests.adapt.licensing_support import FakeTranslator, install_fake, write_lesson

CREDITED = "A leaf under the microscope (credit: Jane Doe, CC BY-ND 2.0)."


def test_translate_file_refuses_no_derivatives_before_writing_anything(service, tmp_path):
    install_fake(service)
    path = write_lesson(tmp_path, footer="Licensed under [CC BY-ND 4.0](https://creativecommons.org/licenses/by-nd/4.0/).")
    with pytest.raises(LicenseError) as caught:
        service.translate_file(path, target="pt")
    assert "no-derivatives" in caught.value.message and "lesson.md" in caught.value.message
    assert service.resources() == []  # nothing imported


def test_translate_file_unknown_needs_confirmation_then_records_it(service, tmp_path):
    install_fake(service)
    path = write_lesson(tmp_path)
    with pytest.raises(LicenseConfirmationRequired) as caught:
        service.translate_file(path, target="pt")
    assert "--assume-license" in caught.value.hint
    assert service.resources() == []
    summary = service.translate_file(path, target="pt", assume_license="CC-BY-SA-4.0", owner="ana")
    assert summary.suggestions > 0
    report = service.licences.report(summary.resource_id)
    assert report["stated"] == "UNKNOWN"
    assert report["assumed"]["license"] == "CC-BY-SA-4.0" and report["assumed"]["by"] == "ana"
    # confirmed once: the same file again needs no new confirmation
    service.translate_file(path, target="pt", owner="ana")
    assert len(service.licences.report(summary.resource_id)["confirmations"]) == 1


def test_license_option_overrides_what_the_source_states(service, tmp_path):
    install_fake(service)
    path = write_lesson(tmp_path, footer="Licensed under CC BY-ND 4.0.")
    summary = service.translate_file(path, target="pt", license="CC-BY-4.0")
    res = service.resource(summary.resource_id)
    assert res.license == "CC-BY-4.0"
    assert res.metadata["license_detection"]["license"] == "CC-BY-ND-4.0"  # what the source said is kept
    assert res.metadata["license_detection"]["set_by_user"] == "CC-BY-4.0"


def test_reimport_with_license_updates_the_stored_licence(service, tmp_path):
    path = write_lesson(tmp_path)
    first = service.import_file(path)
    assert first.license is None and service.resource(first.resource_id).license is None
    again = service.import_file(path, license="https://creativecommons.org/licenses/by-nc/4.0/deed.pt")
    assert again.resource_id == first.resource_id and not again.created
    assert service.resource(first.resource_id).license == "CC-BY-NC-4.0"


def test_unrecognised_license_option_is_an_error(service, tmp_path):
    with pytest.raises(LicenseError, match="not a licence OER Adapt recognises"):
        service.import_file(write_lesson(tmp_path), license="my own terms")


def test_set_license_and_confirm_wrong_use(service, tmp_path):
    rid = service.import_file(write_lesson(tmp_path, footer="CC BY-ND 4.0")).resource_id
    with pytest.raises(LicenseError, match="no-derivatives"):
        service.licences.check(rid, "simplify")
    with pytest.raises(LicenseError, match="states its licence"):
        service.licences.check(rid, "simplify", "CC-BY-4.0")
    lic = service.licences.set_license(rid, "CC BY 4.0", actor="ana")  # the rights holder granted it
    assert lic.id == "CC-BY-4.0"
    assert service.licences.check(rid, "simplify").license.id == "CC-BY-4.0"
    assert service.resource(rid).metadata["license_detection"]["set_by"] == "ana"


def _credited_resource(service, tmp_path) -> tuple[int, str]:
    path = write_lesson(tmp_path, footer=CREDITED + "\n\nLicensed under CC BY 4.0.")
    rid = service.import_file(path, language="en").resource_id
    [key] = [r.key for r in service.store.segments(rid) if "Jane Doe" in r.source_text]
    return rid, key


def test_element_with_its_own_licence_is_kept_out_of_the_pipeline(service, tmp_path):
    install_fake(service)
    rid, key = _credited_resource(service, tmp_path)
    assert service.resource(rid).license == "CC-BY-4.0"  # the credit's licence is not the resource's
    summary = service.translate_resource(rid, target="pt")
    translated = {s.segment_key for s in service.review.suggestions(rid)}
    assert key not in translated and len(translated) == summary.segments
    report = service.licences.report(rid)
    [element] = [e for e in report["elements"] if e["segment"] == key]
    assert not element["adaptable"] and "CC BY-ND 2.0" in element["reason"]
    assert [s.key for s in service.licences.adaptable_segments(rid)] == sorted(translated, key=[
        r.key for r in service.store.segments(rid)].index)


def test_element_kept_out_of_the_export_even_if_a_suggestion_was_accepted(service, tmp_path):
    install_fake(service)
    rid, key = _credited_resource(service, tmp_path)
    service.translate_resource(rid, target="pt")
    record = next(r for r in service.store.segments(rid) if r.key == key)
    # a suggestion for it from elsewhere (e.g. made before the credit was recognised), accepted by mistake
    [sid] = service.store.add_suggestions([NewSuggestion(rid, record.id, "translate", "pt", record.source_text,
                                                         "pt: uma folha", {"engine": "fake", "model": "x"})])
    service.review.accept_all(rid, actor="rui")
    out = tmp_path / "out.md"
    result = service.export(rid, out)
    text = out.read_text(encoding="utf-8")
    assert CREDITED in text and "pt: uma folha" not in text
    assert "1 elemento(s) com licença própria que não permite adaptações ficaram como na fonte" in text  # pt notes
    assert result.export.stats.untouched >= 1


def test_reviewer_work_is_not_lost_when_an_element_is_blocked(service, tmp_path):
    rid, key = _credited_resource(service, tmp_path)
    record = next(r for r in service.store.segments(rid) if r.key == key)
    [sid] = service.store.add_suggestions([NewSuggestion(rid, record.id, "translate", "pt", record.source_text,
                                                         "pt: uma folha", {"engine": "fake", "model": "x"})])
    service.review.edit(sid, "pt: uma folha (editada)", actor="rui")
    service.export(rid, tmp_path / "out.md", include_unreviewed=True)
    assert service.review.suggestion(sid).status == "edited"  # kept in the store, only not exported


def test_tagging_is_allowed_on_no_derivatives_with_a_warning(service, tmp_path):
    rid = service.import_file(write_lesson(tmp_path, footer="CC BY-NC-ND 4.0")).resource_id
    check = service.licences.check(rid, "tag")
    assert check.verdict.allowed and any("does not allow adapting" in w for w in check.warnings())


def test_export_without_changes_of_a_no_derivatives_resource_still_carries_attribution(service, tmp_path):
    rid = service.import_file(write_lesson(tmp_path, footer="CC BY-ND 4.0"), language="en").resource_id
    out = tmp_path / "copy.md"
    service.export(rid, out)
    text = out.read_text(encoding="utf-8")
    assert "licensed under CC BY-ND 4.0 (https://creativecommons.org/licenses/by-nd/4.0/)" in text
    assert "Changes made: none; the text is as in the source." in text
    assert "does not allow sharing adaptations" in text


# -- the CLI ----------------------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    """The real CLI over a real database, with the fake translator in place of Bergamot."""
    import models.translators as translators

    monkeypatch.setitem(translators.ENGINES, "fake", lambda **_: FakeTranslator())
    monkeypatch.setenv("ADAPT_DB", str(tmp_path / "cli.db"))
    monkeypatch.setenv("ADAPT_ENGINE", "fake")
    monkeypatch.setenv("ADAPT_USER", "ana")
    from adapt.cli import _register, cli

    _register()
    return cli


def _main(cli, *args):
    """Through AdaptGroup.main, so that errors turn into exit codes as for a user."""
    import sys

    old = sys.argv
    sys.argv = ["adapt", *args]
    try:
        cli.main(args=list(args), prog_name="adapt")
    except SystemExit as exited:
        return exited.code or 0
    finally:
        sys.argv = old
    return 0


def test_cli_refuses_no_derivatives_with_exit_1(cli_env, tmp_path, capsys):
    path = write_lesson(tmp_path, footer="CC BY-ND 4.0")
    code = _main(cli_env, "translate", str(path), "--to", "pt", "--json")
    out = json.loads(capsys.readouterr().out)
    assert code == 1 and "no-derivatives" in out["error"] and "ask the rights holder" in out["hint"]


def test_cli_assume_license_author_export_and_show(cli_env, tmp_path, capsys):
    path = write_lesson(tmp_path)
    assert _main(cli_env, "translate", str(path), "--to", "pt") == 1
    assert "--assume-license" in capsys.readouterr().err
    code = _main(cli_env, "translate", str(path), "--to", "pt", "--assume-license", "CC-BY-4.0",
                 "--author", "Ada Lovelace", "--json")
    assert code == 0
    rid = json.loads(capsys.readouterr().out)["resource"]
    _main(cli_env, "accept", "--resource", str(rid), "--all", "--json")
    capsys.readouterr()
    out = tmp_path / "lesson.pt.md"
    _main(cli_env, "export", str(rid), "--out", str(out), "--json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["license"] == "CC-BY-4.0"
    text = out.read_text(encoding="utf-8")
    assert "de Ada Lovelace (indicado por ana; a fonte não o indica)" in text  # a pt export: Portuguese notes
    assert "a fonte não indica licença; ana confirmou esta" in text
    _main(cli_env, "license", "show", str(rid))
    shown = capsys.readouterr().out
    assert "confirmed by ana" in shown and "translate" in shown
    _main(cli_env, "license", "list", "--json")
    table = json.loads(capsys.readouterr().out)
    assert {r["license"]["id"]: r["actions"]["translate"] for r in table}["CC-BY-ND-4.0"] == "refused"


def test_cli_license_set_confirm_and_attribution(cli_env, tmp_path, capsys):
    path = write_lesson(tmp_path)
    assert _main(cli_env, "translate", str(path), "--to", "pt", "--assume-license", "CC-BY-NC-4.0", "--json") == 0
    rid = json.loads(capsys.readouterr().out)["resource"]
    assert _main(cli_env, "license", "confirm", str(rid), "CC-BY-ND-4.0", "--json") == 1  # cannot unlock
    assert "no-derivatives" in json.loads(capsys.readouterr().out)["error"]
    assert _main(cli_env, "license", "set", str(rid), "https://creativecommons.org/licenses/by-sa/4.0/") == 0
    assert "CC BY-SA 4.0" in capsys.readouterr().out
    _main(cli_env, "accept", "--resource", str(rid), "--all")
    capsys.readouterr()
    assert _main(cli_env, "attribution", str(rid), "--author", "Ada Lovelace", "--source-url",
                 "https://example.org/leaves", "--json") == 0
    att = json.loads(capsys.readouterr().out)
    assert att["source"]["authors"] == ["Ada Lovelace"] and att["export_license"] == "CC-BY-SA-4.0"
    assert att["notices"][0] == ("Source: “Photosynthesis”, by Ada Lovelace (as supplied by ana; not stated in the "
                                 "source), https://example.org/leaves (as supplied by ana), "
                                 "licensed under CC BY-SA 4.0 "
                                 "(https://creativecommons.org/licenses/by-sa/4.0/).")
    assert _main(cli_env, "export", str(rid), "--out", str(tmp_path / "out.md"), "--license", "CC-BY-4.0") == 1
    assert "share-alike" in capsys.readouterr().err
    assert _main(cli_env, "export", str(rid), "--out", str(tmp_path / "out.md")) == 0
    printed = capsys.readouterr().out
    assert "Compartilha igual: a fonte está licenciada sob CC BY-SA 4.0" in printed
