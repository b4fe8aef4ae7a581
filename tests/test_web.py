"""Articles given as web addresses, fetched from a real HTTP server on 127.0.0.1 that the tests start:
pages, a redirect, a redirect loop and one to a file, a 404, a slow server, a huge page and a response
that is not a web page."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from claimdiff import InputError, Options, analyse
from claimdiff.cli import cli
from claimdiff.ingest import read_articles
from conftest import SAMPLES

STORY = """<html><head><title>Storm kills 14 in Kessel Falls</title>
<meta property="og:site_name" content="Harbour Herald"></head><body><article>
<h1>Storm kills 14 in Kessel Falls</h1>
<p>The storm killed 14 people in Kessel Falls on Monday, the mayor said at a news conference in the town hall.</p>
<p>Rescue teams were still searching the flooded streets of the lower town late into the evening.</p>
<p>The regional government said it would send emergency aid to the town on Tuesday morning.</p>
</article></body></html>"""

OTHER = STORY.replace("Harbour Herald", "Valley Post").replace("killed 14 people", "killed 9 people").replace(
    "Storm kills 14", "Storm kills 9")


class Handler(BaseHTTPRequestHandler):
    agents: list[str] = []

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def send(self, code: int, body: bytes, kind: str = "text/html; charset=utf-8", headers=()) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        Handler.agents.append(self.headers.get("User-Agent", ""))
        path = self.path
        if path == "/story.html":
            self.send(200, STORY.encode())
        elif path == "/other.html":
            self.send(200, OTHER.encode())
        elif path == "/moved":
            self.send(302, b"", headers=[("Location", "/story.html")])
        elif path == "/loop":
            self.send(302, b"", headers=[("Location", "/loop")])
        elif path == "/to-file":
            self.send(302, b"", headers=[("Location", "file:///etc/passwd")])
        elif path == "/slow":
            time.sleep(3)
            self.send(200, STORY.encode())
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"<p>" + b"x" * 10_000 + b"</p>")
            except OSError:
                pass  # the client hung up, as it should
        elif path == "/data.json":
            self.send(200, json.dumps({"text": "not a page"}).encode(), kind="application/json")
        else:
            self.send(404, b"<html><body>not here</body></html>")


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up on a slow or huge page is what the tests want


@pytest.fixture(scope="module")
def site():
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_two_pages_are_compared_and_remember_where_they_came_from(site, tmp_path):
    out = tmp_path / "brief.json"
    result = run("report", f"{site}/story.html", f"{site}/other.html", "-o", out)
    assert result.exit_code == 0, result.output
    model = json.loads(out.read_text())
    assert sorted(a["source"] for a in model["articles"]) == ["Harbour Herald", "Valley Post"]
    assert {a["url"] for a in model["articles"]} == {f"{site}/story.html", f"{site}/other.html"}
    assert all(a["fetched_at"].endswith("+00:00") for a in model["articles"])
    assert any(set(c["values"]) == {"14", "9"} for c in model["contradictions"])
    assert Handler.agents[-1].startswith("claimdiff/")


def test_a_redirect_is_followed_and_the_address_given_is_kept(site):
    (article,) = read_articles([f"{site}/moved"]).articles
    assert article.source == "Harbour Herald" and article.url == f"{site}/moved"


@pytest.mark.parametrize("path, words", [
    ("/missing", "the server answered 404"),
    ("/data.json", "not a web page (application/json)"),
    ("/loop", "too many redirects"),
    ("/to-file", "redirected to a non-web address"),
])
def test_a_page_that_cannot_be_had_alone_is_a_one_line_error(site, path, words):
    result = run("report", f"{site}{path}", "-o", "brief.pdf")
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {site}{path}: ") and words in lines[0]


def test_a_failed_page_among_other_inputs_is_skipped_and_listed(site, tmp_path):
    out = tmp_path / "brief.json"
    result = run("report", f"{site}/missing", f"{site}/story.html", SAMPLES / "iraq-2021" / "wire-report.txt",
                 "-o", out)
    assert result.exit_code == 0, result.output
    assert f"skipped {site}/missing: the server answered 404" in result.stderr
    skipped = json.loads(out.read_text())["skipped"]
    assert [s["path"] for s in skipped] == [f"{site}/missing"]


def test_a_slow_server_is_given_up_on_in_time(site):
    started = time.monotonic()
    with pytest.raises(InputError, match="within 1 seconds"):
        read_articles([f"{site}/slow"], Options(fetch_timeout=1))
    assert time.monotonic() - started < 2.5


def test_a_huge_page_is_cut_off_at_the_size_limit(site):
    with pytest.raises(InputError, match="over the limit of 200,000 bytes"):
        read_articles([f"{site}/huge"], Options(max_file_bytes=200_000))


@pytest.mark.parametrize("address", ["file:///etc/passwd", "ftp://127.0.0.1/story.html"])
def test_other_schemes_are_refused(address):
    result = run("report", address, "-o", "brief.pdf")
    assert result.exit_code != 0
    assert "only http and https addresses can be fetched" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_briefing_names_the_address_and_the_time_of_fetching(site):
    from claimdiff import render

    html = render(analyse([f"{site}/story.html", f"{site}/other.html"]), "html").decode()
    assert f"{site}/story.html" in html and "fetched" in html
