"""Configurable limits: exceeding one is a clear error, not a hang or a memory blow-up."""

from __future__ import annotations

from click.testing import CliRunner

from claimdiff.cli import cli

GOOD = "Source: Wire\n\nThe ministry said 2,500 troops are stationed in Iraq.\n"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_fifty_megabyte_file_over_the_default_limit(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"The ministry said troops are in Iraq. " * 1_400_000)
    result = run("report", big, "-o", tmp_path / "o.pdf")
    assert result.exit_code == 3
    assert "big.txt" in result.stderr and "over the limit of 20,000,000" in result.stderr
    assert "--max-file-size" in result.stderr


def test_max_file_size_is_configurable(write, tmp_path):
    path = write("a.txt", GOOD + "x " * 600_000)
    assert run("report", path, "-o", tmp_path / "o.json", "--max-file-size", "1").exit_code == 3
    assert run("report", write("b.txt", GOOD), "-o", tmp_path / "o.json", "--max-file-size", "1").exit_code == 0


def test_max_articles(write, tmp_path):
    for n in range(4):
        write(f"in/a{n}.txt", GOOD.replace("2,500", str(2500 + n)))
    result = run("report", tmp_path / "in", "-o", tmp_path / "o.json", "--max-articles", "3")
    assert result.exit_code == 3 and "more than 3 articles" in result.stderr


def test_max_claims(write, tmp_path):
    text = "Source: Wire\n\n" + "".join(f"The ministry said {n},000 troops are in Iraq. " for n in range(1, 30))
    result = run("report", write("a.txt", text), "-o", tmp_path / "o.json", "--max-claims", "10")
    assert result.exit_code == 3 and "more than 10 claims" in result.stderr


def test_limits_must_be_positive(write, tmp_path):
    result = run("report", write("a.txt", GOOD), "-o", tmp_path / "o.json", "--max-articles", "0")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_batch_on_jsonl_keeps_the_same_limits(tmp_path):
    import json

    lines = [json.dumps({"event": "storm", "source": f"Outlet {n}", "text": GOOD.split("\n\n")[1].replace(
        "2,500", str(2500 + n))}) for n in range(5)]
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(lines) + "\n" + json.dumps({"event": "storm", "text": "x " * 600_000}) + "\n")
    too_big = run("batch", source, "-o", tmp_path / "out1", "--max-file-size", "1")
    assert too_big.exit_code == 3 and "over the limit" in too_big.stderr
    source.write_text("\n".join(lines) + "\n")
    too_many = run("batch", source, "-o", tmp_path / "out2", "--max-articles", "3")
    assert too_many.exit_code == 3 and "more than 3 articles" in too_many.stderr
