"""The CLI, run in-process with CliRunner: outputs, every error path, help text for every command."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from claimdiff.cli import cli
from conftest import SAMPLES, pdf_text, squash

ARTICLE = "Title: T\nSource: Wire\nDate: 2021-07-27\n\nThe ministry said 2,500 troops are in Iraq.\n"


@pytest.fixture
def run(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def all_commands():
    return sorted(cli.commands)


def walk(command: click.Command, path: str = "claimdiff"):
    """Every command under `command`, itself included, with the words that call it."""
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from walk(sub, f"{path} {name}")


def undocumented(command: click.Command) -> list[str]:
    """Each command without a help text and each option without one, as "claimdiff cmd --option"."""
    missing = []
    for path, cmd in walk(command):
        if not (cmd.help or "").strip():
            missing.append(path)
        for param in cmd.get_params(click.Context(cmd)):
            if isinstance(param, click.Option) and not (param.help or "").strip():
                missing.append(f"{path} {param.opts[0]}")
    return missing


def test_every_command_and_option_has_help():
    assert len(list(walk(cli))) > len(cli.commands)  # groups' subcommands are walked too
    assert undocumented(cli) == []


def test_an_option_without_help_is_caught():
    @click.group(help="A group for the test.")
    def group():
        pass

    @group.command(help="A command for the test.")
    @click.argument("path")
    @click.option("--quiet", is_flag=True)
    @click.option("--loud", is_flag=True, help="Shout.")
    def sub(path, quiet, loud):
        pass

    assert undocumented(group) == ["claimdiff sub --quiet"]


@pytest.mark.parametrize("name", all_commands())
def test_every_command_has_help(run, name):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert cli.commands[name].help and len(cli.commands[name].help.strip()) > 20


def test_top_level_help_lists_commands(run):
    result = run("--help")
    assert result.exit_code == 0
    for name in all_commands():
        assert name in result.output


def test_report_pdf(run, tmp_path):
    out = tmp_path / "brief.pdf"
    result = run("report", SAMPLES / "iraq-2021", "-o", out)
    assert result.exit_code == 0, result.output
    text, pages = pdf_text(out.read_bytes())
    assert pages >= 2
    assert "Contested points" in text
    assert "wrote" in result.stderr and "6 contested points (12 conflicting pairs)" in result.stderr


def test_report_json_shape(run, tmp_path):
    out = tmp_path / "brief.json"
    assert run("report", SAMPLES / "iraq-2021", "-o", out).exit_code == 0
    data = json.loads(out.read_text())
    assert set(data) >= {"articles", "claims", "groups", "contradictions"}
    assert set(data["articles"][0]) >= {"id", "title", "source", "date", "path"}
    claim = next(c for c in data["claims"] if c["quantities"])
    assert set(claim) >= {"id", "article_id", "text", "speaker", "quantities", "dates", "negated"}
    assert set(claim["quantities"][0]) >= {"value", "unit", "text"}
    c = data["contradictions"][0]
    assert set(c) >= {"id", "kind", "claim_ids", "confidence", "explanation"}
    ids = {c["id"] for c in data["claims"]}
    assert all(set(x["claim_ids"]) <= ids for x in data["contradictions"])
    assert data["generated_at"].startswith("2026-01-01")


def test_report_markdown_to_stdout(run):
    result = run("report", SAMPLES / "corinne-storm", "--format", "md")
    assert result.exit_code == 0
    assert result.stdout.startswith("# ")
    assert "## Contested points" in result.stdout
    assert "At least 14" in result.stdout


def test_report_html(run, tmp_path):
    out = tmp_path / "b.html"
    assert run("report", SAMPLES / "corinne-storm", "-o", out).exit_code == 0
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html


def test_same_input_same_output(run, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    run("report", SAMPLES / "iraq-2021", "-o", a)
    run("report", SAMPLES / "iraq-2021", "-o", b)
    assert a.read_bytes() == b.read_bytes()


def test_claims_table_and_json(run):
    result = run("claims", SAMPLES / "iraq-2021" / "newspaper-account.txt")
    assert result.exit_code == 0
    assert "Iraqi officials" in result.stdout and "closer to 3,500" in result.stdout
    result = run("claims", "--json", SAMPLES / "iraq-2021" / "newspaper-account.txt")
    data = json.loads(result.stdout)
    assert any(c["speaker"] == "Pentagon" for c in data)


def test_claims_are_wrapped_whole_with_their_dates_on_80_columns():
    result = CliRunner().invoke(cli, ["claims", str(SAMPLES / "iraq-2021" / "dod-statement.txt")],
                                env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    flowing = " ".join(line.strip() for line in lines)
    # The longest claim, whole, though it is far wider than the terminal.
    assert ("President Joe Biden and Prime Minister Mustafa al-Kadhimi signed the agreement at the White House "
            "on Monday, July 26, 2021, concluding the fourth round of the U.S.-Iraq Strategic Dialogue.") in flowing
    assert "dates: Monday, July 26, 2021 (2021-07-26)" in flowing


# ------------------------------------------------------------------ errors: one line, non-zero, no file


def assert_error(result, *words):
    assert result.exit_code != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in result.output


def test_no_input(run, tmp_path):
    out = tmp_path / "b.pdf"
    assert_error(run("report", "-o", out), "no input")
    assert not out.exists()


def test_missing_file(run, tmp_path):
    out = tmp_path / "b.pdf"
    assert_error(run("report", tmp_path / "nope.txt", "-o", out), "nope.txt", "no such file")
    assert not out.exists()


def test_unsupported_type(run, write, tmp_path):
    path = write("data.csv", "a,b\n1,2\n")
    assert_error(run("report", path, "-o", tmp_path / "b.pdf"), "data.csv", "unsupported file type")


def test_empty_article(run, write, tmp_path):
    path = write("empty.txt", "   \n\n")
    assert_error(run("report", path, "-o", tmp_path / "b.pdf"), "empty.txt", "empty")
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*part"))


def test_header_only_article_is_empty(run, write, tmp_path):
    path = write("head.txt", "Title: Only a title\nSource: X\n\n")
    assert_error(run("report", path, "-o", tmp_path / "b.pdf"), "head.txt", "empty")


def test_undecodable_text(run, write, tmp_path):
    path = write("bad.txt", bytes(range(1, 32)) * 40)
    assert_error(run("report", path, "-o", tmp_path / "b.pdf"), "bad.txt", "decode")


def test_pdf_given_as_article(run, write, tmp_path):
    path = write("paper.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert_error(run("report", path, "-o", tmp_path / "b.pdf"), "paper.txt", "PDF")


def test_unreadable_file(run, write, tmp_path, monkeypatch):
    import pathlib

    path = write("locked.txt", ARTICLE)
    real_open = pathlib.Path.open

    def guarded(self, *args, **kwargs):
        # Root reads any file whatever its mode, so the refusal is simulated where the OS would give it.
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", guarded)
    assert_error(run("report", path, "-o", tmp_path / "b.pdf"), "locked.txt", "permission denied")


def test_unknown_output_suffix(run, write, tmp_path):
    path = write("a.txt", ARTICLE)
    assert_error(run("report", path, "-o", tmp_path / "b.docx"), ".docx")


def test_pdf_to_stdout_refused(run, write):
    assert_error(run("report", write("a.txt", ARTICLE), "--format", "pdf"), "-o")


def test_refuses_to_overwrite_an_input(run, write):
    path = write("a.md", ARTICLE)
    assert_error(run("report", path, "-o", path), "input")
    assert path.read_text() == ARTICLE


def test_existing_output_kept_when_run_fails(run, write, tmp_path):
    out = tmp_path / "b.pdf"
    out.write_bytes(b"previous briefing")
    assert_error(run("report", tmp_path / "missing.txt", "-o", out))
    assert out.read_bytes() == b"previous briefing"


def test_folder_skips_unreadable_files_and_says_so(run, write, tmp_path):
    write("in/good.txt", ARTICLE)
    write("in/empty.txt", "")
    write("in/notes.csv", "x")
    out = tmp_path / "b.json"
    result = run("report", tmp_path / "in", "-o", out)
    assert result.exit_code == 0
    assert "skipped" in result.stderr and "empty.txt" in result.stderr and "notes.csv" in result.stderr
    skipped = {s["path"].rsplit("/", 1)[-1] for s in json.loads(out.read_text())["skipped"]}
    assert skipped == {"empty.txt", "notes.csv"}


def test_strict_turns_skips_into_errors(run, write, tmp_path):
    write("in/good.txt", ARTICLE)
    write("in/empty.txt", "")
    assert_error(run("report", "--strict", tmp_path / "in", "-o", tmp_path / "b.json"), "empty.txt")


def test_folder_without_articles(run, write, tmp_path):
    write("in/a.csv", "x")
    assert_error(run("report", tmp_path / "in", "-o", tmp_path / "b.json"), "no supported article files")


def test_pdf_page_text_mentions_contested_values(run, tmp_path):
    out = tmp_path / "b.pdf"
    run("report", SAMPLES / "corinne-storm", "-o", out, "--title", "Storm Corinne")
    text = squash(pdf_text(out.read_bytes())[0])
    assert "Storm Corinne" in text
    assert "$25 million" in text and "$40 million" in text


def test_command_list_shows_whole_first_lines(run):
    commands = run("--help").output.split("Commands:", 1)[1]
    assert "..." not in commands, commands


def test_usage_names_the_arguments_as_the_help_does(run):
    for name in ("report", "claims"):
        help_text = run(name, "--help").output
        assert f" {name} [OPTIONS] ARTICLES..." in help_text
        assert "PATHS" not in help_text
    assert "standard output as Markdown" in squash(run("report", "--help").output)


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_traceback_of_an_internal_error_wherever_it_is_given(run, tmp_path, monkeypatch, where):
    import claimdiff.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("a bug for the test")

    monkeypatch.setattr(claimdiff.pipeline, "analyse", broken)
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    args = ["--debug", "report", article] if where == "before" else ["report", article, "--debug"]
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 70
    assert "Traceback" in result.output and "a bug for the test" in result.output
    quiet = CliRunner().invoke(cli, ["report", str(article)])
    assert quiet.exit_code == 70 and "Traceback" not in quiet.output
    assert "--debug" in run("report", "--help").output and "--debug" in run("--help").output
