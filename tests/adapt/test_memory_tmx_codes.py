"""TMX inline codes: placeholders written as <ph>/<bpt>/<ept> and read back from other tools' files."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapt.memory import canonical, export_tmx, import_tmx, load_memory, parse_tmx, read_tmx
from adapt.tmx_codes import Code, write_seg
from tests.adapt.test_memory_reuse import EchoTranslator, translate_file

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def echo(service):
    fake = EchoTranslator()
    service.engines.use_translator(fake, "echo")
    return fake


def _seg(text: str, codes: dict[int, Code] | None = None) -> str:
    seg = ET.Element("seg")
    write_seg(seg, text, codes)
    return ET.tostring(seg, encoding="unicode")


def _tmx(body: str, *, doctype: str = "", srclang: str = "en-US") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<tmx version="1.4"><header creationtool="t" '
            f'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="{srclang}" '
            f'datatype="plaintext"/><body>{body}</body></tmx>').encode()


# -- export ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes", "xml"),
    [
        ("plain & <text>", None, "<seg>plain &amp; &lt;text&gt;</seg>"),
        ("See [2].", {2: Code("atom", "<img src='a&b'>", type="image")},
         '<seg>See <ph x="2" type="image">&lt;img src=\'a&amp;b\'&gt;</ph>.</seg>'),
        ("Press [1]Run[/1]", {1: Code("pair", "**", "**", "bold")},
         '<seg>Press <bpt i="1" x="1" type="bold">**</bpt>Run<ept i="1">**</ept></seg>'),
        ("[4]a[/4] [4]b[/4]", None,  # the same pair twice: i stays unique inside the <seg>
         '<seg><bpt i="4" x="4" />a<ept i="4" /> <bpt i="10000" x="4" />b<ept i="10000" /></seg>'),
        ("[3]lost its end", {3: Code("pair", "<b>", "</b>")},
         '<seg><it pos="begin" x="3">&lt;b&gt;</it>lost its end</seg>'),
        ("no start[/3]", {3: Code("pair", "<b>", "</b>")}, '<seg>no start<it pos="end" x="3">&lt;/b&gt;</it></seg>'),
        ("[1] unknown atom", None, '<seg><ph x="1" /> unknown atom</seg>'),
        ("bad\x00char\x1f", None, "<seg>badchar</seg>"),
    ],
)
def test_tmx_codes_written_as_inline_elements(text, codes, xml):
    assert _seg(text, codes) == xml


def _pairs_of(seg: ET.Element) -> list[tuple[str, str]]:
    """(i of each bpt, i of its ept) in order: each bpt must be closed by the next ept with its i."""
    opened: list[str] = []
    pairs = []
    for child in seg:
        if child.tag == "bpt":
            opened.append(child.get("i"))
        elif child.tag == "ept":
            assert child.get("i") in opened, "ept without its bpt"
            opened.remove(child.get("i"))
            pairs.append(child.get("i"))
    assert not opened
    return pairs


def test_tmx_export_keeps_markup_and_round_trips(service, echo, tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text("Press **Run** to see `x` and [the docs](https://a.b/c?d=1&e=2).\n", encoding="utf-8")
    run = translate_file(service, doc, target="es", engine="echo")
    (s,) = service.review.suggestions(run.resource_id)
    edited = "Mira [3]la documentación[/3] y [2], pulsa [1]Ejecutar[/1]."
    service.review.edit(s.id, edited, actor="ana")

    out = tmp_path / "out.tmx"
    assert export_tmx(service.store, out) == 1
    root = ET.fromstring(out.read_bytes())
    (tu,) = root.iter("tu")
    segs = {tuv.get(XML_LANG): tuv.find("seg") for tuv in tu.iter("tuv")}
    src, tgt = segs["en"], segs["es"]
    # Source: the original Markdown inside the codes, pairs with the same i on both variants.
    assert [(c.tag, c.get("i") or c.get("x"), c.text) for c in src] == [
        ("bpt", "1", "**"), ("ept", "1", "**"), ("ph", "2", "`x`"), ("bpt", "3", "["), ("ept", "3", "](https://a.b/c?d=1&e=2)")]
    assert sorted(_pairs_of(src)) == sorted(_pairs_of(tgt)) == ["1", "3"]
    assert {c.get("type") for c in src if c.tag == "bpt"} == {"bold", "link"}
    assert b"d=1&amp;e=2" in out.read_bytes()  # escaped, not raw
    assert "".join(tgt.itertext()).startswith("Mira [la documentación](https://a.b/c?d=1&e=2)")

    # Back in: the same placeholders and pairing, now numbered by appearance in the source.
    (pair,), skipped = parse_tmx(out.read_bytes())
    assert skipped == 0
    assert pair == ("en", "es", "Press [1]Run[/1] to see [2] and [3]the docs[/3].", edited)
    imported = tmp_path / "in.tmx"
    imported.write_bytes(out.read_bytes())
    store_units = import_tmx(service.store, imported)
    assert store_units.units == 1
    # ... and out again: the codes' markup survives a second trip through the memory.
    again = tmp_path / "again.tmx"
    export_tmx(service.store, again)
    assert again.read_bytes().count(b"](https://a.b/c?d=1&amp;e=2)</ept>") == 2  # one unit: edited and tmx dedup
    assert len(list(ET.fromstring(again.read_bytes()).iter("tu"))) == 1


def test_tmx_export_import_keeps_numbers_for_reordered_target(store, tmp_path):
    data = _tmx('<tu><tuv xml:lang="en"><seg>a <ph x="1">A</ph> b <bpt i="1" x="2">[</bpt>c<ept i="1">]</ept>'
                '</seg></tuv>'
                '<tuv xml:lang="de"><seg><bpt i="7" x="2">&lt;</bpt>C<ept i="7">&gt;</ept> B <ph x="1">A</ph>'
                '</seg></tuv></tu>')
    path = tmp_path / "x.tmx"
    path.write_bytes(data)
    import_tmx(store, path)
    out = tmp_path / "out.tmx"
    export_tmx(store, out)
    assert parse_tmx(out.read_bytes())[0] == [("en", "de", "a [1] b [2]c[/2]", "[2]C[/2] B [1]")]
    tuvs = list(ET.fromstring(out.read_bytes()).iter("seg"))
    assert [c.text for c in tuvs[1]] == ["<", ">", "A"]  # the target keeps its own markup


# -- import from other tools -------------------------------------------------------------------------

OMEGAT = _tmx(
    # OmegaT level 2: a DOCTYPE naming the DTD, bpt/ept with i and x, ph; the target reorders the codes.
    '<tu><tuv lang="EN-US"><seg>Click <bpt i="1" x="1">&lt;b0&gt;</bpt>Save<ept i="1">&lt;/b0&gt;</ept> '
    'or press <ph x="2">&lt;k1/&gt;</ph>.</seg></tuv>'
    '<tuv lang="PT-BR"><seg>Pressione <ph x="2">&lt;k1/&gt;</ph> ou clique em <bpt i="1" x="1">&lt;b0&gt;</bpt>'
    'Salvar<ept i="1">&lt;/b0&gt;</ept>.</seg></tuv></tu>',
    doctype='<!DOCTYPE tmx SYSTEM "tmx11.dtd">\n',
)


def test_tmx_omegat_sample_applies_to_other_numbers(store, tmp_path):
    path = tmp_path / "project_save-level2.tmx"
    path.write_bytes(OMEGAT)
    result = import_tmx(store, path)
    assert (result.units, result.skipped) == (1, 0)
    memory = load_memory(store, "en", "pt")
    match = memory.exact("Click [7]Save[/7] or press [3].")
    assert match is not None and match.text == "Pressione [3] ou clique em [7]Salvar[/7]."
    (fuzzy,) = memory.fuzzy("Click [2]Save[/2] or press [5] now.")
    assert fuzzy.text == "Pressione [5] ou clique em [2]Salvar[/2]."


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        # Trados style: bpt/ept with i only (the same i on both variants), ph with x.
        ('Use <bpt i="1">&lt;cf bold="True"&gt;</bpt>this<ept i="1">&lt;/cf&gt;</ept> <ph x="2" type="x-img"/>',
         'Usa <ph x="2" type="x-img"/> <bpt i="1">&lt;cf bold="True"&gt;</bpt>esto<ept i="1">&lt;/cf&gt;</ept>',
         ("Use [1]this[/1] [2]", "Usa [2] [1]esto[/1]")),
        # memoQ style: different i on each side, matched by x.
        ('<bpt i="3" x="9" type="bold">{}</bpt>Hi<ept i="3">{}</ept> there',
         '<bpt i="1" x="9" type="bold">{}</bpt>Hola<ept i="1">{}</ept> allí', ("[1]Hi[/1] there", "[1]Hola[/1] allí")),
        # <hi> is a pair around translated text; <ut> and <it> are atoms; <sub> text is code, not segment text.
        ('<hi type="bold">big</hi> <ut>{\\b}</ut> <it pos="begin">&lt;i&gt;</it>x '
         '<ph>&lt;img alt="<sub>a cat</sub>"/&gt;</ph>',
         '<hi type="bold">grande</hi> <ut>{\\b}</ut> <it pos="begin">&lt;i&gt;</it>x <ph>&lt;img/&gt;</ph>',
         ("[1]big[/1] [2] [3]x [4]", "[1]grande[/1] [2] [3]x [4]")),
        # Overlapping pairs (allowed by TMX) and a nested <hi>.
        ('<bpt i="1" x="1"/>a<bpt i="2" x="2"/>b<ept i="1"/>c<ept i="2"/> <hi x="5">d <hi>e</hi></hi>',
         '<bpt i="1" x="1"/>A<bpt i="2" x="2"/>B<ept i="1"/>C<ept i="2"/> <hi x="5">D <hi>E</hi></hi>',
         ("[1]a[2]b[/1]c[/2] [3]d [4]e[/4][/3]", "[1]A[2]B[/1]C[/2] [3]D [4]E[/4][/3]")),
        # A literal "[1]" in plain text (older OER Adapt exports) keeps its number; codes come after it.
        ('See [1] and <ph x="1">@</ph>', 'Ver [1] y <ph x="1">@</ph>', ("See [1] and [2]", "Ver [1] y [2]")),
        # A translation may drop a code (QA flags that when it is used).
        ('a <ph x="1"/> b', "A B", ("a [1] b", "A B")),
    ],
)
def test_tmx_inline_codes_from_other_tools(source, target, expected):
    data = _tmx(f'<tu><tuv xml:lang="en"><seg>{source}</seg></tuv><tuv xml:lang="es"><seg>{target}</seg></tuv></tu>')
    pairs, skipped = parse_tmx(data)
    assert skipped == 0 and [(p[2], p[3]) for p in pairs] == [expected]


def test_tmx_utf16_file_with_bom(store, tmp_path):
    text = OMEGAT.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = tmp_path / "trados.tmx"
    path.write_bytes(text.encode("utf-16"))
    assert import_tmx(store, path).units == 1


@pytest.mark.parametrize(
    ("seg", "reason"),
    [
        ('a <ept i="1"/> b', "without its <bpt>"),
        ('a <bpt i="1"/> b', "without its <ept>"),
        ('<bpt i="1"/>a<bpt i="1"/>b<ept i="1"/>', "two open"),
        ('<bpt/>a<ept/>', "<bpt> without i"),
        ("<hi>" * 40 + "deep" + "</hi>" * 40, "nested deeper"),
        ("".join(f'<ph x="{n}"/>' for n in range(10_001)) + " text", "more than 9999"),
    ],
)
def test_tmx_mismatched_codes_skip_the_unit_with_a_reason(seg, reason):
    good = '<tu><tuv xml:lang="en"><seg>fine</seg></tuv><tuv xml:lang="es"><seg>bien</seg></tuv></tu>'
    bad = f'<tu><tuv xml:lang="en"><seg>{seg}</seg></tuv><tuv xml:lang="es"><seg>x {seg}</seg></tuv></tu>'
    read = read_tmx(_tmx(good + bad + good))
    assert [u.source_text for u in read.units] == ["fine", "fine"]
    assert read.skipped == 1 and len(read.problems) == 1
    assert read.problems[0].startswith("unit 2: ") and reason in read.problems[0]


def test_tmx_target_with_unknown_code_is_skipped_per_language(store, tmp_path):
    data = _tmx('<tu><tuv xml:lang="en"><seg>a <ph x="1"/></seg></tuv>'
                '<tuv xml:lang="es"><seg>A <ph x="1"/> <ph x="8"/></seg></tuv>'
                '<tuv xml:lang="fr"><seg>A <ph x="1"/></seg></tuv></tu>'
                '<tu><tuv xml:lang="en"><seg>b</seg></tuv>'
                '<tuv xml:lang="es"><seg>B <bpt i="1"/>x<ept i="1"/></seg></tuv></tu>')
    path = tmp_path / "x.tmx"
    path.write_bytes(data)
    result = import_tmx(store, path)
    assert result.pairs == {"en→fr": 1} and result.skipped == 1
    assert result.problems == ("unit 2: es: the translation has an inline code the source does not have",)
    assert result.to_json()["problems"] == list(result.problems)


def test_tmx_deep_xml_nesting_is_not_a_crash():
    seg = "<hi>" * 100_000 + "x" + "</hi>" * 100_000
    data = _tmx(f'<tu><tuv xml:lang="en"><seg>{seg}</seg></tuv><tuv xml:lang="es"><seg>y</seg></tuv></tu>')
    read = read_tmx(data)
    assert read.units == [] and read.skipped == 1 and "nested deeper" in read.problems[0]


def test_tmx_codes_and_canonical_keys_agree():
    """What import produces is what matching expects: numbers 1, 2... in source order."""
    pairs, _ = parse_tmx(OMEGAT)
    ((_, _, source, _),) = pairs
    assert canonical(source)[0] == source


# -- property: whatever placeholder text we write, we read back (renumbered in source order) ----------

_WORDS = st.text(st.characters(codec="utf-8", exclude_characters="[]\r", exclude_categories=("Cs", "Cc")),
                 max_size=6)
_TOKENS = st.one_of(
    _WORDS,
    st.builds(lambda n: f"[{n}]", st.integers(1, 12)),
    st.builds(lambda n: f"[/{n}]", st.integers(1, 12)),
    st.builds(lambda n, w: f"[{n}]{w}[/{n}]", st.integers(1, 12), _WORDS),
)


@given(source=st.lists(_TOKENS, max_size=10), order=st.randoms(use_true_random=False), data=st.data())
@settings(max_examples=150, deadline=None)
def test_tmx_codes_round_trip_property(source, order, data):
    import re

    from adapt.document import PLACEHOLDER_RE

    source_text = "w " + "".join(source) + " z"
    # The translation reorders (and may drop) the source's codes and words.
    target_tokens = [t for t in source if data.draw(st.booleans())]
    order.shuffle(target_tokens)
    target_text = "W " + "".join(target_tokens) + " Z"
    codes = {n: Code("pair" if f"[/{n}]" in source_text else "atom", f"<{n}>", f"</{n}>")
             for n in {int(m.group(2)) for m in PLACEHOLDER_RE.finditer(source_text)}}
    tu = ET.Element("tu")
    for lang, text in (("en", source_text), ("es", target_text)):
        write_seg(ET.SubElement(ET.SubElement(tu, "tuv", {XML_LANG: lang}), "seg"), text, codes)
    read = read_tmx(_tmx(ET.tostring(tu, encoding="unicode")))
    assert read.skipped == 0, read.problems
    (unit,) = read.units
    _, numbers = canonical(source_text)
    mapping = {n: i + 1 for i, n in enumerate(numbers)}
    renumbered = {k: re.sub(r"\s+", " ", PLACEHOLDER_RE.sub(
        lambda m: f"[{m.group(1)}{mapping[int(m.group(2))]}]", v)).strip() for k, v in
        (("source", source_text), ("target", target_text))}
    assert re.sub(r"\s+", " ", unit.source_text) == renumbered["source"]
    assert re.sub(r"\s+", " ", unit.target_text) == renumbered["target"]
    for number, code in unit.source_codes.items():  # the markup comes back with its placeholder
        original = numbers[number - 1]
        assert code.open in ("", f"<{original}>") and code.close in ("", f"</{original}>")
