"""Email delivery against a real SMTP server (aiosmtpd on 127.0.0.1, started here): attachment bytes,
both bodies, headers, every recipient; STARTTLS with a self-signed certificate; authentication accepted
and refused; a server that is down; a refused recipient; a size limit; the --dry-run .eml."""

from __future__ import annotations

import datetime as dt
import email
import socket
import ssl
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner

from claimdiff.cli import cli
from claimdiff.deliver import load_settings

PASSWORD = "s3cret-Pa55"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"analyst" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def server():
    started = []

    def start(**kwargs):
        inbox = Inbox()
        port = free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        started.append(controller)
        return inbox, port

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, made here."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                       serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return folder / "cert.pem", context


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory, rendered_pdf):
    path = tmp_path_factory.mktemp("pdf") / "Storm briefing.pdf"
    path.write_bytes(rendered_pdf("corinne-storm"))
    return path


@pytest.fixture
def run(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))  # no user config file leaks in
    for key in ("HOST", "PORT", "USER", "PASSWORD", "FROM", "SECURITY", "TIMEOUT", "CA_FILE"):
        monkeypatch.delenv(f"CLAIMDIFF_SMTP_{key}", raising=False)

    def invoke(*args, env=None):
        return CliRunner().invoke(cli, [str(a) for a in args], env=env or {}, catch_exceptions=False)

    return invoke


def smtp_env(port, **extra):
    env = {"CLAIMDIFF_SMTP_HOST": "127.0.0.1", "CLAIMDIFF_SMTP_PORT": str(port),
           "CLAIMDIFF_SMTP_SECURITY": "none", "CLAIMDIFF_SMTP_FROM": "Zoë Analyst <zoe@claimdiff.example>",
           "CLAIMDIFF_SMTP_TIMEOUT": "5"}
    env.update({f"CLAIMDIFF_SMTP_{k.upper()}": v for k, v in extra.items()})
    return env


def parts(raw: bytes):
    message = email.message_from_bytes(raw, policy=policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    attachments = list(message.iter_attachments())
    return message, text, html, attachments


def test_delivered_intact(server, run, pdf_file):
    inbox, port = server()
    result = run("email", pdf_file, "--to", "desk@example.org", "--to", "Chief Editor <chief@example.org>",
                 "--cc", "legal@example.org", "--bcc", "archive@example.org", env=smtp_env(port))
    assert result.exit_code == 0, result.output
    assert "sent" in result.stderr
    (mail_from, rcpts, raw), = inbox.messages
    assert mail_from == "zoe@claimdiff.example"
    assert sorted(rcpts) == ["archive@example.org", "chief@example.org", "desk@example.org", "legal@example.org"]
    message, text, html, attachments = parts(raw)
    (attachment,) = attachments
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "Storm briefing.pdf"
    assert attachment.get_content() == pdf_file.read_bytes()
    assert "Contested points" in text and "$25 million" in text
    assert "<ol" in html and "$25 million" in html
    assert message["From"].addresses[0].display_name == "Zoë Analyst"
    assert "Storm Corinne" in message["Subject"]
    assert message["Date"] and message["Message-ID"].endswith("@claimdiff.example>")
    assert "archive@example.org" not in raw.decode("ascii", "replace")  # Bcc stays out of the headers
    assert b"=?utf-8?" in raw  # the non-ASCII name is encoded in the header


def test_non_ascii_subject(server, run, pdf_file):
    inbox, port = server()
    result = run("email", pdf_file, "--to", "desk@example.org", "--subject", "Sturm über Port Alder — Lagebild",
                 env=smtp_env(port))
    assert result.exit_code == 0
    message = email.message_from_bytes(inbox.messages[0][2], policy=policy.default)
    assert message["Subject"] == "Sturm über Port Alder — Lagebild"


def test_starttls_with_authentication(server, run, pdf_file, certificate):
    cert, context = certificate
    inbox, port = server(tls_context=context, require_starttls=True, authenticator=authenticator)
    env = smtp_env(port, security="starttls", user="analyst", password=PASSWORD, ca_file=str(cert))
    result = run("email", pdf_file, "--to", "desk@example.org", env=env)
    assert result.exit_code == 0, result.output
    assert len(inbox.messages) == 1
    assert PASSWORD not in result.output


def test_untrusted_certificate_is_a_tls_failure(server, run, pdf_file, certificate):
    _, context = certificate
    inbox, port = server(tls_context=context, require_starttls=True)
    result = run("email", pdf_file, "--to", "desk@example.org", env=smtp_env(port, security="starttls"))
    assert result.exit_code != 0
    assert "TLS failure" in result.stderr and "certificate" in result.stderr
    assert not inbox.messages


def test_authentication_refused(server, run, pdf_file, certificate):
    cert, context = certificate
    inbox, port = server(tls_context=context, require_starttls=True, authenticator=authenticator)
    env = smtp_env(port, security="starttls", user="analyst", password="wrong-password", ca_file=str(cert))
    result = run("email", pdf_file, "--to", "desk@example.org", env=env)
    assert result.exit_code != 0
    assert "refused the login for user 'analyst'" in result.stderr
    assert "wrong-password" not in result.output
    assert "saved at" not in result.stderr  # the user gave that PDF; only a PDF just written is news
    assert not inbox.messages


def test_server_down(run, pdf_file):
    result = run("email", pdf_file, "--to", "desk@example.org", env=smtp_env(free_port()))
    assert result.exit_code != 0
    assert "cannot reach the SMTP server 127.0.0.1:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_partly_refused_recipients_are_named(server, run, pdf_file):
    inbox, port = server()
    result = run("email", pdf_file, "--to", "desk@example.org", "--to", "nobody@example.org", env=smtp_env(port))
    assert result.exit_code != 0
    assert "nobody@example.org" in result.stderr and "550" in result.stderr
    assert inbox.messages[0][1] == ["desk@example.org"]


def test_all_recipients_refused(server, run, pdf_file):
    inbox, port = server()
    result = run("email", pdf_file, "--to", "nobody@example.org", env=smtp_env(port))
    assert result.exit_code != 0
    assert "refused every recipient" in result.stderr
    assert not inbox.messages


def test_message_over_the_size_limit(server, run, pdf_file):
    inbox, port = server(data_size_limit=10_000)
    result = run("email", pdf_file, "--to", "desk@example.org", env=smtp_env(port))
    assert result.exit_code != 0
    assert "over 127.0.0.1:" in result.stderr and "limit of 10,000" in result.stderr
    assert not inbox.messages


@pytest.mark.parametrize("option, value, envelope, header", [
    # A comma inside a quoted display name is part of the name: one recipient, the one in the brackets.
    ("--to", '"Doe, John" <john@example.com>', ["john@example.com"], ("To", "Doe, John")),
    # An address inside a display name is text, never a recipient.
    ("--bcc", '"leak@evil.org, B" <bcc@example.com>', ["bcc@example.com", "desk@example.org"], None),
    # Two mailboxes in one value are two recipients; neither is dropped.
    ("--to", '"x" <a@example.com>, b@example.org', ["a@example.com", "b@example.org"], ("To", "x")),
    # A non-ASCII display name with a comma is encoded, not a crash.
    ("--cc", '"Müller, Jörg" <j@example.com>', ["desk@example.org", "j@example.com"], ("Cc", "Müller, Jörg")),
])
def test_envelope_holds_exactly_the_intended_recipients(server, run, pdf_file, option, value, envelope, header):
    inbox, port = server()
    args = ["email", pdf_file, option, value] + ([] if option == "--to" else ["--to", "desk@example.org"])
    result = run(*args, env=smtp_env(port))
    assert result.exit_code == 0, result.output
    (_, rcpts, raw), = inbox.messages
    assert sorted(rcpts) == envelope
    if header is not None:
        name, display = header
        message = parts(raw)[0]
        assert display in [a.display_name for a in message[name].addresses]
    assert b"leak@evil.org" not in raw or option == "--bcc"
    assert b"bcc@example.com" not in raw  # a blind copy never shows in the headers


@pytest.mark.parametrize("bad", ["not-an-address", "a@b", "x@example.org\nBcc: evil@example.org", "", "a,b@c.org",
                                 "Doe, John <john@example.com>", "john@example.com junk", "<>"])
def test_invalid_addresses_rejected_before_connecting(run, pdf_file, bad):
    # No server on this port: an attempt to connect would give a different error.
    result = run("email", pdf_file, "--to", bad, env=smtp_env(free_port()))
    assert result.exit_code != 0
    assert "invalid recipient address" in result.stderr


def test_report_then_email_in_one_run(server, run, tmp_path):
    from conftest import SAMPLES

    inbox, port = server()
    out = tmp_path / "brief.pdf"
    result = run("report", SAMPLES / "iraq-2021", "-o", out, "--email-to", "desk@example.org", env=smtp_env(port))
    assert result.exit_code == 0, result.output
    _, _, _, (attachment,) = parts(inbox.messages[0][2])
    assert attachment.get_content() == out.read_bytes()


def test_report_keeps_the_pdf_when_sending_fails(run, tmp_path):
    from conftest import SAMPLES

    out = tmp_path / "brief.pdf"
    result = run("report", SAMPLES / "iraq-2021", "-o", out, "--email-to", "desk@example.org",
                 env=smtp_env(free_port()))
    assert result.exit_code != 0
    assert out.read_bytes().startswith(b"%PDF")
    assert f"saved at {out}" in result.stderr


def test_dry_run_eml_parses_back(run, pdf_file, tmp_path):
    eml = tmp_path / "out.eml"
    env = smtp_env(free_port(), password=PASSWORD, user="analyst")
    result = run("email", pdf_file, "--to", "desk@example.org", "--dry-run", "--eml", eml, env=env)
    assert result.exit_code == 0, result.output
    raw = eml.read_bytes()
    assert PASSWORD.encode() not in raw
    message, text, html, (attachment,) = parts(raw)
    assert attachment.get_content() == pdf_file.read_bytes()
    assert "Contested points" in text and "Contested points" in html
    assert message["To"] == "desk@example.org"


def test_config_file_and_environment(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[smtp]\nhost = "mail.example.org"\nuser = "analyst"\npassword = "from-file"\n'
                      'from = "a@example.org"\n')
    settings = load_settings(config, environ={"CLAIMDIFF_SMTP_PORT": "2525"})
    assert (settings.host, settings.effective_port, settings.security) == ("mail.example.org", 2525, "starttls")
    assert "from-file" not in repr(settings)
    assert load_settings(config, environ={}).effective_port == 587
    assert load_settings(config, environ={"CLAIMDIFF_SMTP_SECURITY": "ssl"}).effective_port == 465


def test_bad_config_is_a_clear_error(run, pdf_file, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[smtp\nhost=")
    result = run("email", pdf_file, "--to", "desk@example.org", "--config", config)
    assert result.exit_code != 0 and "cannot read the config file" in result.stderr


def test_no_password_option_on_the_command_line():
    for name in ("email", "report"):
        assert not any("password" in opt for p in cli.commands[name].params for opt in getattr(p, "opts", []))


def test_missing_pdf(run, tmp_path):
    result = run("email", tmp_path / "none.pdf", "--to", "desk@example.org")
    assert result.exit_code != 0 and "none.pdf" in result.stderr


def test_email_from_a_pdf_not_made_by_claimdiff(server, run, tmp_path):
    inbox, port = server()
    other = tmp_path / "other.pdf"
    from claimdiff.rendering import html_to_pdf, shipped_templates

    other.write_bytes(html_to_pdf("<p>Some other report</p>", [shipped_templates()]))
    result = run("email", other, "--to", "desk@example.org", env=smtp_env(port))
    assert result.exit_code == 0
    _, text, _, _ = parts(inbox.messages[0][2])
    assert "other.pdf" in text


def test_paths_are_not_modified(pdf_file):
    assert Path(pdf_file).read_bytes().startswith(b"%PDF")


def test_a_server_echoing_the_auth_line_never_shows_the_password(server, run, pdf_file):
    import base64

    plain = base64.b64encode(f"\0analyst\0{PASSWORD}".encode()).decode()

    def echoing(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=False, handled=False,
                          message=f"535 5.7.8 rejected: AUTH PLAIN {plain} (password {PASSWORD})")

    inbox, port = server(authenticator=echoing, auth_require_tls=False)
    result = run("email", pdf_file, "--to", "desk@example.org",
                 env=smtp_env(port, user="analyst", password=PASSWORD))
    assert result.exit_code == 4
    assert "refused the login for user 'analyst'" in result.stderr
    assert PASSWORD not in result.output and plain not in result.output and plain[:20] not in result.output
    assert not inbox.messages


def test_a_config_others_can_read_warns_once(server, run, pdf_file, tmp_path):
    inbox, port = server()
    config = tmp_path / "config.toml"
    config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
                      f'from = "a@example.org"\npassword = "{PASSWORD}"\n')
    config.chmod(0o644)
    result = run("email", pdf_file, "--to", "desk@example.org", "--config", config)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1 and "chmod 600" in warnings[0] and PASSWORD not in result.output
    config.chmod(0o600)
    result = run("email", pdf_file, "--to", "desk@example.org", "--config", config)
    assert result.exit_code == 0 and "warning" not in result.stderr


@pytest.mark.parametrize("setting, words", [
    ('host = 5', "'host' must be a string"),
    ('security = 5', "'security' must be a string"),
    ('from = ["a@example.org"]', "'from' must be a string"),
    ('ca_file = "/nonexistent/ca.pem"', "ca_file /nonexistent/ca.pem: no such file"),
])
def test_config_of_the_wrong_kind_is_a_one_line_error(run, pdf_file, tmp_path, setting, words):
    config = tmp_path / "config.toml"
    base = {"host": 'host = "127.0.0.1"', "from": 'from = "a@example.org"'}
    base[setting.split(" ")[0]] = setting
    config.write_text("[smtp]\n" + "\n".join(base.values()) + "\n")
    result = run("email", pdf_file, "--to", "desk@example.org", "--config", config)
    assert result.exit_code == 4 and "internal error" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr, result.stderr


@pytest.mark.parametrize("damage", ["nan", "wrong types", "not an object"])
def test_a_damaged_embedded_model_is_a_one_line_error(run, pdf_file, tmp_path, damage):
    import json

    from pypdf import PdfReader, PdfWriter

    from claimdiff.rendering import EMBEDDED_NAME

    reader = PdfReader(pdf_file)
    model = json.loads(reader.attachments[EMBEDDED_NAME][0])
    if damage == "nan":
        model["contradictions"][0]["confidence"] = float("nan")
    elif damage == "wrong types":
        model["contradictions"] = "none"
    else:
        model = [model]
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.add_attachment(EMBEDDED_NAME, json.dumps(model).encode())
    damaged = tmp_path / "damaged.pdf"
    writer.write(damaged)
    result = run("email", damaged, "--to", "desk@example.org", "--dry-run",
                 env={"CLAIMDIFF_SMTP_FROM": "a@example.org"})
    assert result.exit_code == 2 and "internal error" not in result.stderr
    assert result.stderr.strip().startswith("Error: ") and "damaged" in result.stderr
    assert not (tmp_path / "damaged.eml").exists()


def test_a_dry_run_needs_no_configured_sender(run, pdf_file, tmp_path):
    eml = tmp_path / "out.eml"
    result = run("email", pdf_file, "--to", "desk@example.org", "--dry-run", "--eml", eml)
    assert result.exit_code == 0, result.output
    assert "no sender configured" in result.stderr
    message, _, _, (attachment,) = parts(eml.read_bytes())
    assert message["From"].addresses[0].addr_spec == "sender@example.invalid"
    assert attachment.get_content() == pdf_file.read_bytes()
    sent = run("email", pdf_file, "--to", "desk@example.org")
    assert sent.exit_code == 4 and "no sender address" in sent.stderr
