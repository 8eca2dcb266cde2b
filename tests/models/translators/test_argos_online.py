"""`adapt models install argos FROM TO` through the real download code, against an Argos index and
packages served from 127.0.0.1 (the generated tiny en→es package, models/fixtures): good installs,
wrong checksums, an index that lies about sizes, a server that stops mid-download, not-a-zip files,
an unreachable index. Nothing leaves 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from adapt.errors import HostileInput, InputError, UnsupportedLanguagePair, UserError
from models.translators.argos import ArgosTranslator, install_from_index, installed_packages, packages_dir
from models.translators.argos_index import DownloadFailed, IndexEntry, read_index

from .conftest import ARGOS_MODEL

PACKAGE = ARGOS_MODEL.read_bytes()
SHA = hashlib.sha256(PACKAGE).hexdigest()


class Files:
    """What the server answers: path -> (body, declared Content-Length or None, bytes actually sent)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[bytes, int | None, int | None]] = {}
        self.requests: list[str] = []

    def add(self, path: str, body: bytes, *, length: int | None = None, send: int | None = None) -> None:
        self.routes[path] = (body, len(body) if length is None else length, send)


@pytest.fixture
def server() -> Iterator[tuple[str, Files]]:
    files = Files()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            files.requests.append(self.path)
            if self.path not in files.routes:
                self.send_error(404)
                return
            body, length, send = files.routes[self.path]
            self.send_response(200)
            if length is not None:
                self.send_header("Content-Length", str(length))
            self.end_headers()
            self.wfile.write(body[:send] if send is not None else body)
            if send is not None:
                self.wfile.flush()
                self.close_connection = True  # stop mid-download

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", files
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def index(base: str, package_path: str = "/en_es.argosmodel", **extra: object) -> bytes:
    entry = {"type": "translate", "code": "translate-en_es-tiny", "from_code": "en", "to_code": "es",
             "package_version": "1.0", "links": [base + package_path], **extra}
    other = {"type": "translate", "from_code": "en", "to_code": "fr", "links": [base + "/en_fr.argosmodel"]}
    return json.dumps([{"type": "sbd", "code": "x"}, other, entry]).encode()


def test_installs_from_a_served_index_and_translates(server, tmp_path):
    base, files = server
    files.add("/index.json", index(base, sha256=SHA, size=len(PACKAGE)))
    files.add("/en_es.argosmodel", PACKAGE)
    pkg = install_from_index("en", "es", tmp_path, index_url=base + "/index.json")
    assert (pkg.source, pkg.target, pkg.name) == ("en", "es", "translate-en_es-tiny")
    assert [p.name for p in installed_packages(tmp_path)] == ["translate-en_es-tiny"]
    assert ArgosTranslator(data_dir=tmp_path).translate(["The cat is big."], source="en", target="es") == [
        "El gato es grande."]
    assert files.requests == ["/index.json", "/en_es.argosmodel"]
    assert not list((tmp_path / "argos" / "downloads").iterdir())  # the download was cleaned up


def test_an_index_without_checksum_or_size_still_installs_within_the_limit(server, tmp_path):
    base, files = server
    files.add("/index.json", index(base))
    files.add("/en_es.argosmodel", PACKAGE)
    assert install_from_index("en", "es", tmp_path, index_url=base + "/index.json").target == "es"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("bad checksum", "sha256"),
        ("index says smaller", "more than"),
        ("index says larger", "the index says"),
        ("server stops mid-download", "stopped after"),
        ("over the size limit", "more than the limit"),
    ],
)
def test_bad_downloads_install_nothing(server, tmp_path, case, message):
    base, files = server
    size_limit = 2 * 1024**3
    if case == "bad checksum":
        files.add("/index.json", index(base, sha256="0" * 64))
        files.add("/en_es.argosmodel", PACKAGE)
    elif case == "index says smaller":  # the index lies: the server sends the whole (larger) file
        files.add("/index.json", index(base, size=1000))
        files.add("/en_es.argosmodel", PACKAGE)
    elif case == "index says larger":
        files.add("/index.json", index(base, size=len(PACKAGE) + 10))
        files.add("/en_es.argosmodel", PACKAGE)
    elif case == "server stops mid-download":
        files.add("/index.json", index(base))
        files.add("/en_es.argosmodel", PACKAGE, send=len(PACKAGE) // 2)
    else:
        files.add("/index.json", index(base))
        files.add("/en_es.argosmodel", PACKAGE)
        size_limit = 100_000
    with pytest.raises(DownloadFailed, match=message):
        install_from_index("en", "es", tmp_path, index_url=base + "/index.json", max_unpacked_bytes=size_limit)
    assert installed_packages(tmp_path) == []
    assert not packages_dir(tmp_path).exists() or not any(packages_dir(tmp_path).iterdir())
    assert not list((tmp_path / "argos" / "downloads").iterdir())


def test_a_server_without_content_length_that_sends_too_much_is_cut_at_the_declared_size(server, tmp_path):
    base, files = server
    files.add("/index.json", index(base, size=50_000))
    files.add("/en_es.argosmodel", PACKAGE, length=None)
    files.routes["/en_es.argosmodel"] = (PACKAGE, None, None)
    with pytest.raises(DownloadFailed, match="sent more than 50000 bytes"):
        install_from_index("en", "es", tmp_path, index_url=base + "/index.json")


def test_a_second_link_is_tried_when_the_first_fails(server, tmp_path):
    base, files = server
    entry = json.loads(index(base, package_path="/missing.argosmodel"))
    entry[-1]["links"].append(base + "/en_es.argosmodel")
    files.add("/index.json", json.dumps(entry).encode())
    files.add("/en_es.argosmodel", PACKAGE)
    assert install_from_index("en", "es", tmp_path, index_url=base + "/index.json").name == "translate-en_es-tiny"
    assert files.requests == ["/index.json", "/missing.argosmodel", "/en_es.argosmodel"]


def test_a_download_that_is_not_an_argos_package_is_refused(server, tmp_path):
    base, files = server
    files.add("/index.json", index(base))
    files.add("/en_es.argosmodel", b"<html>not found</html>")
    with pytest.raises(InputError, match="not a zip"):
        install_from_index("en", "es", tmp_path, index_url=base + "/index.json")
    assert installed_packages(tmp_path) == []


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [(b"{not json", UserError, "not JSON"), (b'{"a": 1}', UserError, "not a list"),
     (b"[" + b" " * (17 * 1024 * 1024) + b"]", HostileInput, "larger than")],
)
def test_bad_indexes(server, body, error, message):
    base, files = server
    files.add("/index.json", body)
    with pytest.raises(error, match=message):
        read_index(base + "/index.json")


def test_unreachable_index_and_missing_pair_say_what_to_do(server, tmp_path):
    base, files = server
    with pytest.raises(UserError, match="cannot read the Argos package index") as info:
        install_from_index("en", "es", tmp_path, index_url=base + "/nothing.json")
    assert "--file" in info.value.hint
    files.add("/index.json", index(base))
    with pytest.raises(UnsupportedLanguagePair, match="no en→sw package"):
        install_from_index("en", "sw", tmp_path, index_url=base + "/index.json")
    with pytest.raises(UserError, match="not an http"):
        read_index("file:///etc/passwd")


@pytest.mark.parametrize(
    ("entry", "parsed"),
    [({"from_code": "en", "to_code": "es", "links": ["http://x/a"]}, ("en", "es")),
     ({"from_code": "pt_BR", "to_code": "EN", "links": ["http://x/a"], "size": True}, ("pt", "en")),
     ({"from_code": "en", "to_code": "es", "links": []}, None),
     ({"type": "sbd", "from_code": "en", "to_code": "es", "links": ["http://x"]}, None),
     ("not a dict", None)],
)
def test_index_entries(entry, parsed):
    got = IndexEntry.from_json(entry)
    assert (None if got is None else (got.source, got.target)) == parsed
    if got is not None:
        assert got.size is None  # a boolean is not a size


def test_cli_installs_from_the_index_setting(server, tmp_path):
    from adapt.cli import _register

    base, files = server
    files.add("/index.json", index(base, sha256=SHA))
    files.add("/en_es.argosmodel", PACKAGE)
    env = {"ADAPT_USER": "tester", "ADAPT_DATA_DIR": str(tmp_path / "data"), "ADAPT_ARGOS_INDEX": base + "/index.json"}
    runner = CliRunner()
    result = runner.invoke(_register(), ["--db", str(tmp_path / "a.db"), "models", "install", "argos", "en", "es",
                                         "--json"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["name"] == "translate-en_es-tiny"
    files.add("/en_es.argosmodel", PACKAGE, send=100)
    result = runner.invoke(_register(), ["--db", str(tmp_path / "a.db"), "models", "install", "argos", "en", "es"],
                           env=env, catch_exceptions=False)
    assert result.exit_code == 1 and "stopped after 100 of" in result.output
    assert Path(tmp_path / "data").is_dir()
