"""Nothing the user had is lost: output is written atomically and never over an input."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from claimdiff import ClaimdiffError
from claimdiff.cli import cli
from claimdiff.files import write_atomic
from conftest import SAMPLES

GOOD = "Source: Wire\n\nThe ministry said 2,500 troops are stationed in Iraq.\n"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_failure_while_writing_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"the previous briefing")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(ClaimdiffError, match="No space left"):
        write_atomic(target, b"%PDF new and half written")
    assert target.read_bytes() == b"the previous briefing"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.pdf"]  # no temporary file left behind


def test_crash_during_rendering_leaves_no_file(tmp_path, monkeypatch):
    from claimdiff import rendering

    target = tmp_path / "brief.pdf"
    target.write_bytes(b"the previous briefing")

    def crash(*args, **kwargs):
        raise rendering.RenderError("could not render the PDF: simulated crash")

    monkeypatch.setattr(rendering, "html_to_pdf", crash)
    result = run("report", SAMPLES / "corinne-storm", "-o", target)
    assert result.exit_code != 0 and "simulated crash" in result.stderr
    assert target.read_bytes() == b"the previous briefing"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.pdf"]


def test_renderer_process_dying_is_one_clear_error_and_leaves_the_file(tmp_path, monkeypatch):
    # `report` lays the PDF out in a process started before the analysis; if that process dies (a crash
    # in the system's Pango, the out-of-memory killer), the user gets one line and keeps their file.
    from claimdiff import rendering

    target = tmp_path / "brief.pdf"
    target.write_bytes(b"the previous briefing")
    monkeypatch.setattr(rendering, "html_to_pdf", lambda *args, **kwargs: os._exit(1))
    result = run("report", SAMPLES / "corinne-storm", "-o", target)
    assert result.exit_code != 0
    errors = [line for line in result.stderr.splitlines() if not line.startswith("skipped ")]
    assert errors == ["Error: could not render the PDF: the renderer process stopped unexpectedly"]
    assert target.read_bytes() == b"the previous briefing"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.pdf"]


def test_interrupt_during_write_cleans_up(tmp_path, monkeypatch):
    target = tmp_path / "brief.pdf"

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"data")
    assert list(tmp_path.iterdir()) == []


def test_refuses_to_overwrite_an_input_file(write, tmp_path):
    article = write("in/article.md", GOOD)
    result = run("report", article, "-o", article)
    assert result.exit_code != 0 and "refusing to overwrite an input" in result.stderr
    assert article.read_text() == GOOD


def test_refuses_to_overwrite_an_article_inside_an_input_folder(write, tmp_path):
    write("in/a.txt", GOOD)
    other = write("in/b.json", '{"text": "Officials said 3,500 troops are in Iraq."}')
    before = other.read_text()
    result = run("report", tmp_path / "in", "-o", other)
    assert result.exit_code != 0 and "refusing to overwrite an input" in result.stderr
    assert other.read_text() == before


def test_output_folder_must_exist(write, tmp_path):
    result = run("report", write("a.txt", GOOD), "-o", tmp_path / "nope" / "brief.pdf")
    assert result.exit_code != 0 and "does not exist" in result.stderr


def test_output_keeps_the_replaced_files_permissions(write, tmp_path):
    target = tmp_path / "brief.json"
    target.write_text("{}")
    target.chmod(0o640)
    assert run("report", write("a.txt", GOOD), "-o", target).exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o640


def test_refuses_to_replace_a_fifo_or_a_device(write, tmp_path):
    import stat

    fifo = tmp_path / "brief.md"
    os.mkfifo(fifo)
    result = run("report", write("a.txt", GOOD), "-o", fifo)
    assert result.exit_code != 0 and "not a regular file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    with pytest.raises(ClaimdiffError, match="not a regular file"):
        write_atomic("/dev/null", b"x")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_symlink_to_a_regular_file_may_be_replaced(write, tmp_path):
    real = tmp_path / "old.json"
    real.write_text("{}")
    link = tmp_path / "brief.json"
    link.symlink_to(real)
    assert run("report", write("a.txt", GOOD), "-o", link).exit_code == 0
    assert link.is_file() and link.read_text() != "{}"
