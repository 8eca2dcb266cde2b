"""Credits must survive adaptation: the names in an element's credit, and the QA flag when one is lost."""

from __future__ import annotations

import pytest

from adapt.licenses.credits import credit_check, credit_names
from adapt.qa import QAInput
from tests.adapt.licensing_support import FakeTranslator, install_fake


@pytest.mark.parametrize(("credit", "names"), [
    # real credits from OpenStax Psychology 2e captions
    ("Tim Skillern", ["Tim Skillern"]),
    ("modification of work by Kim J, Matthews NL, Park S.", ["Kim J", "Matthews NL", "Park S"]),
    ("“classroom” modification of work by Nikolay Georgiev/Pixabay; credit “note taking”: modification of work "
     "by KF/Wikimedia", ["Nikolay Georgiev", "Pixabay", "KF", "Wikimedia"]),
    ('modification of work by "devinf"/Flickr', ["devinf", "Flickr"]),
    ('a: modification of work by "Silly rabbit"/Wikimedia Commons', ["Silly rabbit", "Wikimedia Commons"]),
    ("CDC/Debora Cartagena", ["CDC", "Debora Cartagena"]),
    # institutions are translated, rightly: not required verbatim
    ("Public Affairs Office Fort Wainwright", []),
    ("modification of work by Health and Human Services Department, National Institutes of Health", []),
    ("", []),
    ("((((((((", []),
])
def test_credit_names(credit, names):
    assert credit_names(credit) == names


def test_check_flags_a_lost_name_only():
    check = credit_check({"A brain scan. (credit: Kim J, Park S)": "Kim J, Park S"})
    ok = QAInput("A brain scan. (credit: Kim J, Park S)", "Uma imagem. (crédito: Kim J, Park S)")
    lost = QAInput("A brain scan. (credit: Kim J, Park S)", "Uma imagem. (crédito: Kim J)")
    other = QAInput("Another text.", "Outro texto.")
    assert check(ok) == [] and check(other) == []
    [flag] = check(lost)
    assert flag.code == "credit-lost" and "Park S" in flag.message


class DropsCredits(FakeTranslator):
    """Like a real model that sometimes drops the end of a caption."""

    def translate(self, texts, *, source, target):
        return [f"pt: {t.split('(credit')[0]}" for t in texts]


def test_translation_that_drops_a_credit_is_flagged(service, shared):
    install_fake(service)
    service.engines.use_translator(DropsCredits())
    path = shared / "oer" / "openstax-psychology-2e" / "modules" / "m82169" / "index.cnxml"
    rid = service.translate_file(path, target="pt").resource_id
    flagged = [s for s in service.review.suggestions(rid) if any(f["code"] == "credit-lost" for f in s.qa_flags)]
    credited = [e for e in service.licences.report(rid)["elements"] if e["credit"]]
    assert len(flagged) == len(credited) == 7
    assert any("Cory Zanker" in f["message"] for s in flagged for f in s.qa_flags)
