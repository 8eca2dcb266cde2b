"""TMX export and import, including hostile and malformed files."""

from __future__ import annotations

import pytest

from adapt.errors import EmptyDocument, FileTooLarge, HostileInput, InputError, UnreadableFile
from adapt.memory import export_tmx, import_tmx, load_memory, parse_tmx

GOOD = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en-US" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"
 creationtool="t" creationtoolversion="1"/>
<body>
 <tu><tuv xml:lang="en-US"><seg>Press <bpt i="1">&lt;b&gt;</bpt>Run<ept i="1">&lt;/b&gt;</ept> now.</seg></tuv>
   <tuv xml:lang="pt-BR"><seg>Pressione <bpt i="1">&lt;b&gt;</bpt>Executar<ept i="1">&lt;/b&gt;</ept> agora.</seg></tuv>
     <tuv xml:lang="es"><seg>Pulsa <bpt i="1">&lt;b&gt;</bpt>Ejecutar<ept i="1">&lt;/b&gt;</ept> ya.</seg></tuv></tu>
 <tu><tuv lang="en"><seg>See <ph x="2">{x}</ph>.</seg></tuv>
     <tuv lang="pt"><seg>Veja <ph x="2">{x}</ph>.</seg></tuv></tu>
 <tu><tuv xml:lang="en"><seg>only one side</seg></tuv></tu>
 <tu><tuv xml:lang="en"><seg>   </seg></tuv><tuv xml:lang="pt"><seg>vazio</seg></tuv></tu>
</body></tmx>"""


def test_tmx_parse_inline_codes_and_languages():
    pairs, skipped = parse_tmx(GOOD.encode())
    # Languages in canonical BCP 47 with their regions kept (adapt.languages): en-US, pt-BR.
    assert ("en-US", "pt-BR", "Press [1]Run[/1] now.", "Pressione [1]Executar[/1] agora.") in pairs
    assert ("en-US", "es", "Press [1]Run[/1] now.", "Pulsa [1]Ejecutar[/1] ya.") in pairs
    assert ("en", "pt", "See [1].", "Veja [1].") in pairs  # codes are numbered 1, 2... per unit
    assert skipped == 2


def test_tmx_import_then_reuse_and_round_trip(store, tmp_path):
    from adapt.store import NewResource

    path = tmp_path / "in.tmx"
    path.write_text(GOOD, encoding="utf-8")
    first = import_tmx(store, path, actor="ana")
    assert (first.units, first.duplicates, first.skipped) == (3, 0, 2)
    assert import_tmx(store, path).duplicates == 3  # importing twice adds nothing
    match = load_memory(store, "en", "pt").exact("Press [4]Run[/4] now.")
    assert match.text == "Pressione [4]Executar[/4] agora." and match.unit.origin == "tmx:in.tmx"

    store.add_resource(NewResource("text", "r.txt", b"x", language="en"), [])  # unrelated resource
    out = tmp_path / "out.tmx"
    assert export_tmx(store, out, target_language="pt") == 2
    again, skipped = parse_tmx(out.read_bytes())
    assert sorted(again) == sorted(p for p in parse_tmx(GOOD.encode())[0] if p[1] in ("pt", "pt-BR")) and skipped == 0


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", InputError),
        (b"<tmx><body><tu>", InputError),
        (b"<html><body/></html>", InputError),
        (b"<tmx version='1.4'><header/></tmx>", EmptyDocument),
        (b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
         b"<tmx><body><tu><tuv xml:lang='en'><seg>&b;</seg></tuv></tu></body></tmx>", HostileInput),
        (b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
         b"<tmx><body><tu><tuv xml:lang='en'><seg>&x;</seg></tuv></tu></body></tmx>", HostileInput),
    ],
)
def test_tmx_hostile_and_malformed(data, error):
    with pytest.raises(error):
        parse_tmx(data)


def test_tmx_import_file_errors(store, tmp_path):
    with pytest.raises(UnreadableFile):
        import_tmx(store, tmp_path / "missing.tmx")
    big = tmp_path / "big.tmx"
    big.write_bytes(b"<tmx>" + b" " * 2000 + b"</tmx>")
    with pytest.raises(FileTooLarge):
        import_tmx(store, big, max_bytes=1000)


def test_tmx_huge_body_is_parsed(store, tmp_path):
    units = "".join(f"<tu><tuv xml:lang='en'><seg>Line {i}.</seg></tuv>"
                    f"<tuv xml:lang='pt'><seg>Linha {i}.</seg></tuv></tu>"
                    for i in range(5000))
    path = tmp_path / "huge.tmx"
    path.write_text(f"<tmx version='1.4'><header srclang='en'/><body>{units}</body></tmx>", encoding="utf-8")
    assert import_tmx(store, path).units == 5000
