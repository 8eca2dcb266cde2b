"""Real en→pt Bergamot translations of the OpenStax books exported as well-formed CNXML with the same
element skeleton (same elements, same order, same ids; only text changed), except inline elements whose
words the model dropped (issue 15): those are left out rather than exported empty, and their rows are flagged.

Every segment of all 132 modules is translated with the real engine in one batched run (about a
minute on the quiet 2-core machine). ADAPT_TEST_SEGMENT_CAP=N translates only N segments per module
(those with inline markup first: they are the risky ones), for a quick local run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from adapt.pipeline import SegmentInput, TranslateStep, run_step
from adapt.service import AdaptService
from adapt.settings import Settings
from tests.adapt.formats.formats_xmlcheck import MD_LANGUAGE, MD_LICENSE, dropped_from, parse, skeleton
from tests.conftest import shared_data

pytestmark = pytest.mark.slow

BOOKS = ("openstax-intro-python", "openstax-psychology-2e")
MODULES = sorted(p for book in BOOKS for p in (shared_data() / "oer" / book / "modules").glob("*/index.cnxml"))
CAP = int(os.environ["ADAPT_TEST_SEGMENT_CAP"]) if os.environ.get("ADAPT_TEST_SEGMENT_CAP") else None
FULL = ["m00002", "m82161"]


def _chosen(records, cap):
    segs = [SegmentInput.from_record(r) for r in records if r.translatable]
    if cap is None:
        return segs
    risky = [s for s in segs if any(p["kind"] == "pair" for p in s.placeholders)]
    rest = [s for s in segs if s not in risky]
    keep = {s.key for s in (risky[: cap // 2] + rest)[:cap]}
    return [s for s in segs if s.key in keep]


@pytest.fixture(scope="session")
def translated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("books")
    svc = AdaptService(Settings(db_path=tmp / "adapt.db", cache_dir=tmp / "c", data_dir=tmp / "d", user="t"))
    ids = {path: svc.import_file(path).resource_id for path in MODULES}
    step = TranslateStep(svc.translator("bergamot"), source="en", target="pt")
    chosen = [s for rid in ids.values() for s in _chosen(svc.store.segments(rid), CAP)]
    # One run over all modules' segments: batches mix modules, the engine's threads stay busy.
    run_step(svc.store, next(iter(ids.values())), step, segments=chosen, batch_size=128)
    yield svc, ids, {s.key for s in chosen}, tmp
    svc.close()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.parent.name)
def test_cnxml_every_module_exports_translation_with_same_skeleton(translated, path: Path):
    svc, ids, chosen, tmp = translated
    rid = ids[path]
    svc.review.accept_all(rid, actor="tester")
    out = tmp / f"{path.parent.name}.pt.cnxml"
    result = svc.export(rid, out, target_language="pt")
    source, exported = path.read_bytes(), out.read_bytes()
    tree = parse(exported)  # well-formed: lxml, not our own tokenizer, says so
    assert tree.find(f".//{MD_LANGUAGE}").text == "pt"
    assert tree.find(f".//{MD_LICENSE}").get("url") == "https://creativecommons.org/licenses/by/4.0/"
    dropped = dropped_from(skeleton(source), skeleton(exported))
    assert dropped is not None, "the export added, moved or renamed an element"
    inline = {f"{{http://cnx.rice.edu/cnxml}}{tag}" for tag in ("term", "emphasis", "link", "sub", "sup", "foreign")}
    assert all(entry.split("#")[0] in inline for entry in dropped), dropped
    if dropped:  # an inline element is left out only where the model lost its pair, and that row says so
        # Usually flagged placeholder-missing / markup-emptied; in two modules a pair that placement
        # reported as placed (placeholder-repaired) was still left out: flagged all the same, to look into.
        lost = [r for r in svc.review.suggestions(rid, task="translate")
                if any(f["code"].startswith(("placeholder-", "markup-")) for f in r.qa_flags)]
        assert len(lost) >= 1 and len(dropped) <= sum(r.source_text.count("[/") for r in lost)
    assert not [el for el in parse(exported).iter() if isinstance(el.tag, str) and el.tag in inline
                and not (el.text or "").strip() and not len(el)
                and el.get("id") not in _empty_in_source(source)], "an inline element exported empty"
    assert result.export.stats.accepted == len([k for k in chosen if k.startswith(f"{path.parent.name}:")])
    assert result.export.stats.accepted > 0 and exported != source


def _empty_in_source(source: bytes) -> set[str | None]:
    return {el.get("id") for el in parse(source).iter() if isinstance(el.tag, str)
            and not (el.text or "").strip() and not len(el)}


@pytest.mark.parametrize("module", FULL)
def test_cnxml_full_module_translation_unreviewed_export(service, shared, tmp_path, module):
    path = next(p for p in MODULES if p.parent.name == module)
    imported = service.import_file(path)
    summary = service.translate_resource(imported.resource_id, target="pt")
    assert summary.suggestions == len(imported.document.translatable_segments())
    out = tmp_path / "out.cnxml"
    result = service.export(imported.resource_id, out, include_unreviewed=True)
    assert result.export.stats.unreviewed == summary.suggestions
    exported = out.read_bytes()
    assert skeleton(exported) == skeleton(path.read_bytes())
    text = exported.decode()
    assert 'class="adapt-notice"' in text and "⚠ " in text
    assert "<md:language>pt</md:language>" in text
