"""SMTP credentials never appear in output, errors, reprs or the .eml."""

from __future__ import annotations

import socket

from click.testing import CliRunner

from claimdiff.cli import cli
from claimdiff.deliver import build_message, eml_bytes, load_settings

SECRET = "hunter2-Very-Secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_password_not_in_repr_or_message(rendered_pdf):
    settings = load_settings(None, environ={"CLAIMDIFF_SMTP_PASSWORD": SECRET, "CLAIMDIFF_SMTP_HOST": "h",
                                            "CLAIMDIFF_SMTP_FROM": "a@example.org", "CLAIMDIFF_SMTP_USER": "u"},
                             home_config=__import__("pathlib").Path("/nonexistent/config.toml"))
    assert SECRET not in repr(settings) and SECRET not in str(settings)
    message = build_message(rendered_pdf("iraq-2021"), "b.pdf", settings, ["d@example.org"])
    assert SECRET.encode() not in eml_bytes(message)


def test_password_not_in_any_failure_output(rendered_pdf, tmp_path):
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(rendered_pdf("iraq-2021"))
    env = {"HOME": str(tmp_path), "CLAIMDIFF_SMTP_HOST": "127.0.0.1", "CLAIMDIFF_SMTP_PORT": str(free_port()),
           "CLAIMDIFF_SMTP_USER": "analyst", "CLAIMDIFF_SMTP_PASSWORD": SECRET, "CLAIMDIFF_SMTP_FROM": "a@example.org",
           "CLAIMDIFF_SMTP_SECURITY": "none", "CLAIMDIFF_SMTP_TIMEOUT": "2"}
    runner = CliRunner()
    for args in (["email", pdf, "--to", "d@example.org"], ["email", pdf, "--to", "d@example.org", "--dry-run"],
                 ["--debug", "email", pdf, "--to", "bad address"]):
        result = runner.invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
        assert SECRET not in result.output
    eml = pdf.with_suffix(".eml")
    assert eml.exists() and SECRET.encode() not in eml.read_bytes()
