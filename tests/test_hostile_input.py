"""Every kind of broken input gets either a correct report (the bad file skipped, listed in the briefing
and on stderr) or one line naming the file and the cause, with a non-zero exit. Never a traceback."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claimdiff.cli import cli

GOOD = "Title: Good\nSource: Wire\nDate: 2021-07-27\n\nThe ministry said 2,500 troops are stationed in Iraq.\n"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def one_line_error(result, *words):
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


def report_skips(write, tmp_path, name, content, reason_word):
    """In a folder next to a good article: the report is written, the file listed as skipped."""
    write("in/good.txt", GOOD)
    write(f"in/{name}", content)
    out = tmp_path / "out.json"
    result = run("report", tmp_path / "in", "-o", out)
    assert result.exit_code == 0, result.output
    assert f"skipped {tmp_path / 'in' / name}" in result.stderr
    skipped = json.loads(out.read_text())["skipped"]
    assert any(s["path"].endswith(name) and reason_word in s["reason"] for s in skipped), skipped
    return result


CASES = {
    "empty.txt": (b"", "empty"),
    "blank.txt": (b" \n\t\n   \n", "empty"),
    "binary.txt": (bytes(range(256)) * 20, "binary"),
    "paper.txt": (b"%PDF-1.4\n1 0 obj<<>>endobj\n", "PDF"),
    "image.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    "nobody.html": (b"<html><head><title>x</title></head><body><nav>Home</nav></body></html>", "no article text"),
    "scalar.json": (b"42", "object or a list"),
    "broken.json": (b'{"text": "unterminated', "invalid JSON"),
    "nested.json": (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    "photo.jpg": (b"\xff\xd8\xff\xe0", "unsupported"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_named_file_is_a_one_line_error(write, tmp_path, name):
    content, word = CASES[name]
    path = write(name, content)
    result = run("report", path, "-o", tmp_path / "out.pdf")
    one_line_error(result, name, word)
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("name", sorted(CASES))
def test_file_in_folder_is_skipped_and_listed(write, tmp_path, name):
    content, word = CASES[name]
    report_skips(write, tmp_path, name, content, word)


@pytest.mark.parametrize("name", sorted(CASES))
def test_strict_makes_the_skip_an_error(write, tmp_path, name):
    content, word = CASES[name]
    write("in/good.txt", GOOD)
    write(f"in/{name}", content)
    one_line_error(run("report", "--strict", tmp_path / "in", "-o", tmp_path / "o.json"), name)


def test_malformed_html_still_read(write, tmp_path):
    html = ("<html><body><div><p>The ministry said 2,500 troops are stationed in Iraq, officials said on Monday."
            "<p>Officials in Baghdad put the number closer to 3,500.<div><table><tr><td>unclosed" * 3)
    path = write("broken.html", html)
    result = run("report", path, "-o", tmp_path / "o.json")
    assert result.exit_code == 0, result.output
    assert "2,500" in (tmp_path / "o.json").read_text()


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16"])
def test_legacy_encodings_make_a_report(write, tmp_path, encoding):
    text = GOOD.replace("Good", "Café crème") + "Officials in Zürich said 40 people were evacuated.\n"
    path = write(f"e-{encoding}.txt", text.encode(encoding))
    result = run("report", path, "-o", tmp_path / "o.json")
    assert result.exit_code == 0
    data = json.loads((tmp_path / "o.json").read_text())
    assert data["articles"][0]["title"] == "Café crème"


def test_invalid_utf8_in_the_middle(write, tmp_path):
    data = GOOD.encode() + b"Caf\xc3\xa9 owners said \xff\xfe 40 people left. " * 3 + "Zürich.".encode()
    assert run("report", write("m.txt", data), "-o", tmp_path / "o.json").exit_code == 0


def test_mixed_line_endings(write, tmp_path):
    data = b"Title: T\r\nSource: S\r\n\r\nThe ministry said 2,500 troops are in Iraq.\rOfficials said 300 left.\n"
    result = run("report", write("m.txt", data), "-o", tmp_path / "o.json")
    assert result.exit_code == 0
    assert json.loads((tmp_path / "o.json").read_text())["articles"][0]["source"] == "S"


def test_jsonl_with_one_bad_line_names_it(write, tmp_path):
    lines = [json.dumps({"text": "The ministry said 2,500 troops are in Iraq.", "source": "A"}), "{oops",
             json.dumps({"text": "Officials said 3,500 troops are in Iraq.", "source": "B"})]
    path = write("a.jsonl", "\n".join(lines))
    result = run("report", path, "-o", tmp_path / "o.json")
    assert result.exit_code == 0
    assert f"{path}:2" in result.stderr and "invalid JSON" in result.stderr


def test_unparseable_header_date(write, tmp_path):
    path = write("d.txt", GOOD.replace("2021-07-27", "sometime last spring"))
    result = run("report", path, "-o", tmp_path / "o.json")
    assert result.exit_code == 0
    assert "unparseable date" in result.stderr
    assert json.loads((tmp_path / "o.json").read_text())["articles"][0]["date"] is None


def test_non_english_article_is_read_with_a_warning(write, tmp_path):
    french = ("Source: Le Quotidien\n\nLe ministère a déclaré que 2 500 soldats américains sont toujours en Irak, "
              "selon les responsables. Les autorités irakiennes estiment que le nombre est plus proche de 3 500. "
              "Le Premier ministre a rencontré le président à Washington lundi dernier pour discuter du retrait.")
    result = run("report", write("fr.txt", french), "-o", tmp_path / "o.json")
    assert result.exit_code == 0
    assert "does not look like English" in result.stderr


def test_duplicate_articles_are_one_source(write, tmp_path):
    write("in/a.txt", GOOD)
    write("in/b.txt", GOOD.replace("Source: Wire", "Source: Wire"))
    write("in/c.txt", "Source: Other\n\nThe ministry said 2,500 troops are stationed in Iraq.\n")
    out = tmp_path / "o.json"
    result = run("report", tmp_path / "in", "-o", out)
    assert result.exit_code == 0
    data = json.loads(out.read_text())
    assert len(data["articles"]) == 1  # the same text three times is one source, not three agreeing
    assert sum("duplicate" in s["reason"] for s in data["skipped"]) == 2
    assert data["agreements"] == []


def test_folder_with_no_supported_file(write, tmp_path):
    write("in/a.csv", "x")
    write("in/b.docx", "x")
    one_line_error(run("report", tmp_path / "in", "-o", tmp_path / "o.json"), "no supported article files")


def test_symlink_loop(write, tmp_path):
    write("in/a.txt", GOOD)
    (tmp_path / "in" / "loop").symlink_to(tmp_path / "in")
    (tmp_path / "in" / "self.txt").symlink_to(tmp_path / "in" / "self.txt")
    result = run("report", tmp_path / "in", "-o", tmp_path / "o.json")
    assert result.exit_code == 0, result.output


def test_named_symlink_loop(tmp_path):
    loop = tmp_path / "self.txt"
    loop.symlink_to(loop)
    one_line_error(run("report", loop, "-o", tmp_path / "o.json"), "self.txt")


def test_unreadable_file_in_folder(write, tmp_path, monkeypatch):
    import pathlib

    write("in/good.txt", GOOD)
    write("in/locked.txt", GOOD + "More.")
    real_open = pathlib.Path.open

    def guarded(self, *args, **kwargs):
        if self.name == "locked.txt":  # root reads anything: refuse where the OS would for a user
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", guarded)
    out = tmp_path / "o.json"
    result = run("report", tmp_path / "in", "-o", out)
    assert result.exit_code == 0
    assert "locked.txt: cannot read: permission denied" in result.stderr


def test_one_line_of_two_megabytes(write, tmp_path):
    path = write("long.txt", "x" * 2_000_000)
    result = run("report", path, "-o", tmp_path / "o.json")
    assert result.exit_code == 0, result.output


def test_two_megabytes_of_sentences_on_one_line_hit_the_claims_limit(write, tmp_path):
    line = "The ministry said 2,500 troops are stationed in Iraq on Monday. " * 32_000
    path = write("long.txt", line)
    result = run("report", path, "-o", tmp_path / "o.json", "--max-claims", "500")
    one_line_error(result, "long.txt", "more than 500 claims")


def test_front_matter_aliases_are_refused_within_bounded_memory(tmp_path):
    """A few hundred bytes of nested YAML aliases expand to gigabytes ("billion laughs"); front matter is
    read without aliases, so the article is read, its body kept, and the block's metadata dropped."""
    import resource
    import subprocess
    import sys

    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for depth, name in enumerate("bcdefghi"):
        previous = "abcdefgh"[depth]
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    lines.append("title: &t [*i, *i, *i, *i, *i, *i, *i, *i, *i]")
    (tmp_path / "bomb.md").write_text("---\n" + "\n".join(lines) + "\n---\n\nThe council approved the budget "
                                      "on Monday after a long debate, officials said.\n")
    script = ("import sys; from claimdiff.ingest import read_articles; from claimdiff.model import Options; "
              "r = read_articles([sys.argv[1]], Options()); a = r.articles[0]; "
              "print(a.title == '' or 'x' not in a.title, 'approved the budget' in a.text)")

    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "bomb.md")], capture_output=True,
                          text=True, timeout=120, preexec_fn=limit_memory)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.split() == ["True", "True"]


def test_control_characters_never_reach_the_terminal_or_markdown(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    evil = "\x1b[2J\x1b]0;owned\x07\u202e"
    (folder / "wire.txt").write_text(f"Source: Wire{evil}\n\nThe ministry{evil} said 2,500 troops are in Iraq.\n")
    (folder / "other.txt").write_text("Source: Herald\n\nThe ministry said 3,500 troops are in Iraq.\n")
    (folder / f"bad{evil}.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["report", str(folder), "--format", "md"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for stream in (result.stdout, result.stderr):
        assert not any(ch in stream for ch in "\x1b\x07\u202e"), repr(stream[:300])
    assert "skipped" in result.stderr and "2,500" in result.stdout


def test_a_lone_surrogate_in_json_is_read(tmp_path):
    article = tmp_path / "a.json"
    article.write_text('{"title": "Vote \\ud800", "source": "Wire \\udc00", "text": "The council approved '
                       'the budget on Monday by 7 votes to 2. \\ud83d Officials said 2,500 homes were '
                       'affected."}', encoding="ascii")
    out = tmp_path / "b.md"
    result = run("report", article, "-o", out)
    assert result.exit_code == 0, result.output
    assert "2,500 homes" in out.read_text("utf-8") and "Wire \ufffd" in out.read_text("utf-8")


def test_an_output_name_with_a_line_break_is_refused_before_the_analysis(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(GOOD)
    result = run("report", article, "-o", tmp_path / "brief\nfake line.md")
    one_line_error(result, "line break")
    assert list(tmp_path.iterdir()) == [article]


def test_a_folder_that_cannot_be_written_is_a_one_line_error(tmp_path, monkeypatch):
    import tempfile

    # Root ignores file modes, so the refusal the file system would give is made here.
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    article = tmp_path / "a.txt"
    article.write_text(GOOD)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    one_line_error(run("report", article, "-o", tmp_path / "b.md"), "b.md", "Permission denied")
    monkeypatch.setattr("pathlib.Path.mkdir", refuse)
    one_line_error(run("batch", tmp_path, "-o", tmp_path / "out"), "out", "Permission denied")
