"""The generated hostile-input corpus (tests/adapt/hostile_corpus.py), each file imported by the real CLI in
a child process: exit 0 or 1 (never 2), within 60 s, peak RSS within 1.5 GB and 10x the file + 500 MB;
on exit 1 a one-line message and nothing stored."""

from __future__ import annotations

import os
import time

import pytest

from tests.adapt import hostile_corpus

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]  # about 3 minutes on a quiet 2-core machine


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory, pytestconfig):
    root = tmp_path_factory.mktemp("hostile")
    paths = hostile_corpus.write_corpus(root / "files")
    workers = max(2, min(4, (os.cpu_count() or 2)))
    started = time.monotonic()
    ran = hostile_corpus.run_corpus(paths, root / "runs", workers=workers)
    # The summary goes to the terminal even when output is captured: the README figure comes from CI.
    line = hostile_corpus.summary(ran, time.monotonic() - started)
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else _nothing():
        print(f"\n{line} (workers {workers}, load average {os.getloadavg()[0]:.1f})")
    return {o.name: o for o in ran}


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_the_corpus_covers_every_format_with_at_least_100_files(outcomes):
    assert len(outcomes) >= 100
    suffixes = {name.rsplit(".", 1)[1] for name in outcomes}
    assert {"md", "html", "cnxml", "docx", "imscc", "txt"} <= suffixes


def test_every_hostile_file_ends_within_the_caps(outcomes):
    failures = [f"{o.figures()}: {'; '.join(o.problems())}" for o in outcomes.values() if o.problems()]
    assert not failures, f"{len(failures)} of {len(outcomes)} cases broke a cap:\n" + "\n".join(failures)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("html-nested-div-1000.html", "ADAPT_MAX_DEPTH"),  # failure 1: was a RecursionError, exit 2
        ("cnxml-nested-emphasis-5000.cnxml", "ADAPT_MAX_DEPTH"),
        ("md-one-line-5mb-words.md", "ADAPT_MAX_SEGMENT_CHARS"),  # failure 2: was 4.4 GB and no end
        ("md-one-line-links-5mb.md", "ADAPT_MAX_SEGMENT_CHARS"),  # failure 2: was 101 s and 2.2 GB
        ("md-one-line-emphasis-5mb.md", "ADAPT_MAX_SEGMENT_CHARS"),
        ("html-huge-title-attr-5mb.html", "ADAPT_MAX_ATTRIBUTE_CHARS"),
        ("html-100k-paragraphs.html", "ADAPT_MAX_SEGMENTS"),  # these six ran past 60 s under load: now
        ("html-unclosed-p-100k.html", "ADAPT_MAX_SEGMENTS"),  # refused as the limit is crossed
        ("md-200k-headings.md", "ADAPT_MAX_SEGMENTS"),
        ("cnxml-120k-paras.cnxml", "ADAPT_MAX_SEGMENTS"),
        ("docx-120k-paragraphs.docx", "ADAPT_MAX_SEGMENTS"),
        ("md-links-and-emphasis-lines-5mb.md", "ADAPT_MAX_SEGMENT_CHARS"),
        ("html-100k-inline-b.html", "ADAPT_MAX_INLINE"),
        ("cnxml-billion-laughs.cnxml", "entities"),
        ("docx-zip-bomb.docx", "zip bomb"),
        ("imscc-zip-slip.imscc", "zip slip"),
    ],
)
def test_the_issue_cases_are_refused_with_what_to_do(outcomes, name, words):
    outcome = outcomes[name]
    assert outcome.exit_code == 1 and words in outcome.stderr, f"{outcome.figures()}: {outcome.stderr}"
