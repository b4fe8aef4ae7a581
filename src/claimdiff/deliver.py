"""Emailing a briefing: settings from a config file and the environment, a message with the PDF attached
and a text and an HTML body written by templates, and SMTP delivery whose every failure is one clear
sentence. The password is never taken from the command line and never appears in a message or an error."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import smtplib
import socket
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, make_msgid
from pathlib import Path

from .errors import DeliveryError, InputError

SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
ENV_PREFIX = "CLAIMDIFF_SMTP_"
DEFAULT_CONFIG = Path("~/.config/claimdiff/config.toml")
_REGISTRY = HeaderRegistry()
_ADDR_SPEC = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                        r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


@dataclass(frozen=True)
class SMTPSettings:
    host: str = ""
    port: int | None = None
    user: str = ""
    password: str = field(default="", repr=False)  # never shown, not even in a traceback's repr
    sender: str = ""
    security: str = "starttls"
    timeout: float = 30.0
    ca_file: str = ""
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]


def load_settings(config: str | os.PathLike | None = None, environ: Mapping[str, str] | None = None,
                  home_config: Path = DEFAULT_CONFIG) -> SMTPSettings:
    """Settings from the config file's [smtp] table, then CLAIMDIFF_SMTP_* variables over them."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    notes: list[str] = []
    path = Path(config) if config is not None else home_config.expanduser()
    if config is not None and not path.is_file():
        raise DeliveryError(f"{path}: config file not found")
    if path.is_file():
        import tomllib

        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise DeliveryError(f"{path}: cannot read the config file: {e}") from None
        table = data.get("smtp", {})
        if not isinstance(table, dict):
            raise DeliveryError(f"{path}: [smtp] must be a table")
        values.update({("sender" if k == "from" else k): v for k, v in table.items()})
        if "password" in table and _readable_by_others(path):
            notes.append(f"{path} holds the SMTP password and other users can read it; "
                         f"make it private with: chmod 600 {path}")
    for key in ("host", "port", "user", "password", "from", "security", "timeout", "ca_file"):
        if ENV_PREFIX + key.upper() in environ:
            values["sender" if key == "from" else key] = environ[ENV_PREFIX + key.upper()]
    unknown = set(values) - ({f.name for f in SMTPSettings.__dataclass_fields__.values()} - {"warnings"})
    if unknown:
        raise DeliveryError(f"{path}: unknown [smtp] setting {', '.join(sorted(unknown))}")
    for key, value in values.items():
        if key not in ("port", "timeout") and not isinstance(value, str):
            name = "from" if key == "sender" else key
            raise DeliveryError(f"{path}: SMTP setting '{name}' must be a string, not {_toml_type(value)}")
    settings = SMTPSettings()
    try:
        if "port" in values and values["port"] not in ("", None):
            values["port"] = int(values["port"])  # type: ignore[arg-type]
        else:
            values.pop("port", None)
        if "timeout" in values:
            values["timeout"] = float(values["timeout"])  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DeliveryError("SMTP port and timeout must be numbers") from None
    settings = replace(settings, **{k: (v.strip() if isinstance(v, str) and k != "password" else v)
                                    for k, v in values.items()})
    settings = replace(settings, security=settings.security.lower())
    if settings.security not in SECURITY_MODES:
        raise DeliveryError(f"SMTP security must be one of {', '.join(SECURITY_MODES)}, not '{settings.security}'")
    if not 0 < settings.timeout <= 600:
        raise DeliveryError("SMTP timeout must be between 0 and 600 seconds")
    if settings.ca_file and not Path(settings.ca_file).expanduser().is_file():
        raise DeliveryError(f"SMTP ca_file {settings.ca_file}: no such file")
    return replace(settings, ca_file=str(Path(settings.ca_file).expanduser()) if settings.ca_file else "",
                   warnings=tuple(notes))


def _readable_by_others(path: Path) -> bool:
    try:
        return bool(path.stat().st_mode & 0o044)
    except OSError:
        return False


def _toml_type(value: object) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a table"}.get(
        type(value), type(value).__name__)


def parse_addresses(text: str, what: str = "address") -> tuple[Address, ...]:
    """The mailboxes in one option value, read by the standard library's address parser: '"Doe, John"
    <john@example.com>' is one mailbox, 'a@example.com, b@example.org' two. Anything the parser reports a
    defect in, or that is not a plain user@domain mailbox, is refused before any connection."""
    if "\n" in text or "\r" in text:
        raise DeliveryError(f"invalid {what} {text!r}: line breaks are not allowed")
    header = _REGISTRY("To", text)
    addresses = tuple(header.addresses)
    if not text.strip() or header.defects or not addresses or any(
            not _ADDR_SPEC.match(a.addr_spec) for a in addresses):
        raise DeliveryError(f"invalid {what} {text!r}")
    return tuple(Address(display_name=a.display_name, addr_spec=a.addr_spec) for a in addresses)


def check_address(text: str, what: str = "address") -> str:
    """Return the address as given if it holds valid mailboxes; raise otherwise (before any connection)."""
    parse_addresses(text, what)
    return text.strip()


def _address(text: str) -> Address:
    """The one mailbox of a sender address."""
    addresses = parse_addresses(text, "sender address")
    if len(addresses) != 1:
        raise DeliveryError(f"invalid sender address {text!r}: give one address")
    return addresses[0]


def _mailboxes(values: Sequence[str], what: str = "recipient address") -> list[Address]:
    return [a for value in values for a in parse_addresses(value, what)]


# ---------------------------------------------------------------- the message


def embedded_model(pdf: bytes) -> dict | None:
    """The briefing model claimdiff embeds in its PDFs, or None for another PDF."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from .rendering import EMBEDDED_NAME

    try:
        attachments = PdfReader(io.BytesIO(pdf)).attachments
        data = attachments.get(EMBEDDED_NAME)
    except (PdfReadError, ValueError, KeyError, OSError):
        return None
    if not data:
        return None
    try:
        model = json.loads(data[0], parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as e:
        raise InputError(f"the briefing data embedded in the PDF is damaged: {e}") from None
    problem = _model_problem(model)
    if problem:
        raise InputError(f"the briefing data embedded in the PDF is damaged: {problem}")
    return model


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")


_MODEL_FIELDS = {"title": str, "generated_at": (str, type(None)), "articles": list, "claims": list,
                 "agreements": list, "contradictions": list}
_POINT_FIELDS = {"label": (str, type(None)), "kind": str, "explanation": str}


def _model_problem(model: object) -> str:
    """What is wrong with an embedded model, or "" when the email can be written from it."""
    if not isinstance(model, dict):
        return f"expected an object, found {type(model).__name__}"
    for key, kind in _MODEL_FIELDS.items():
        if key in model and not isinstance(model[key], kind):
            return f"'{key}' has the wrong type ({type(model[key]).__name__})"
    for c in model.get("contradictions", []):
        if not isinstance(c, dict):
            return "a contradiction is not an object"
        for key, kind in _POINT_FIELDS.items():
            if key in c and not isinstance(c[key], kind):
                return f"a contradiction's '{key}' has the wrong type ({type(c[key]).__name__})"
        confidence = c.get("confidence", 0)
        if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
            return f"a contradiction's confidence {confidence!r} is not a number from 0 to 1"
    return ""


def email_view(model: dict | None, filename: str) -> dict:
    """What the email bodies show: title, date, counts and the contested points, most important first."""
    if not model:
        return {"title": Path(filename).stem, "generated_at": "", "sources": None, "claims": None,
                "points": [], "agreements": None, "filename": filename}
    contradictions = {c.get("id"): c for c in model.get("contradictions", [])}
    points = []
    if isinstance(model.get("contested_points"), list):
        # The briefing's own contested points, in its order: the email counts what the PDF shows.
        for p in model["contested_points"]:
            lead = contradictions.get(p.get("lead")) if isinstance(p, dict) else None
            if lead is None:
                continue
            points.append({"label": p.get("label") or lead.get("kind"), "kind": ", ".join(p.get("kinds") or []),
                           "confidence": round(100 * lead.get("confidence", 0)),
                           "explanation": lead.get("explanation", ""),
                           "pairs": len(p.get("contradiction_ids") or [])})
    else:
        seen: set[tuple[str, str]] = set()
        for c in sorted(model.get("contradictions", []), key=lambda c: -c.get("confidence", 0)):
            key = (c.get("label", ""), c.get("kind", ""))
            if key in seen:
                continue
            seen.add(key)
            points.append({"label": c.get("label") or c.get("kind"), "kind": c.get("kind"),
                           "confidence": round(100 * c.get("confidence", 0)),
                           "explanation": c.get("explanation", ""), "pairs": 1})
    return {"title": model.get("title", ""), "generated_at": (model.get("generated_at") or "")[:10],
            "sources": len(model.get("articles", [])), "claims": len(model.get("claims", [])),
            "points": points, "pairs": len(contradictions), "agreements": len(model.get("agreements", [])),
            "filename": filename}


def build_message(pdf: bytes, filename: str, settings: SMTPSettings, to: Sequence[str], cc: Sequence[str] = (),
                  subject: str | None = None, template_dir: str | os.PathLike | None = None,
                  now: dt.datetime | None = None) -> EmailMessage:
    if not settings.sender:
        raise DeliveryError(f"no sender address: set {ENV_PREFIX}FROM or 'from' in the [smtp] config")
    check_address(settings.sender, "sender address")
    if not to:
        raise DeliveryError("no recipient: give at least one --to address")
    for addr in [*to, *cc]:
        check_address(addr, "recipient address")
    from .rendering import template_env

    try:
        view = email_view(embedded_model(pdf), filename)
    except InputError as e:
        raise InputError(f"{filename}: {e}") from None
    env = template_env(template_dir)
    text_body = env.get_template("email.txt.j2").render(v=view)
    html_body = env.get_template("email.html.j2").render(v=view)
    now = now or dt.datetime.now(dt.UTC)
    message = EmailMessage(policy=SMTP_POLICY)
    default_subject = f"{view['title']} — briefing {view['generated_at'] or now.date().isoformat()}"
    message["Subject"] = _one_line(subject or default_subject)
    message["From"] = _address(settings.sender)
    message["To"] = _mailboxes(to)
    if cc:
        message["Cc"] = _mailboxes(cc)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=_address(settings.sender).domain or None)
    message["X-Mailer"] = "claimdiff"
    message.set_content(text_body)
    message.add_alternative(html_body, subtype="html")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=Path(filename).name)
    return message


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- sending


@dataclass(frozen=True)
class DeliveryResult:
    delivered: tuple[str, ...]
    refused: dict[str, str]  # address -> the server's reason


def send(message: EmailMessage, settings: SMTPSettings, bcc: Sequence[str] = ()) -> DeliveryResult:
    """Send through the configured server. Raises DeliveryError with the cause; partial refusals are
    returned (the message went to the others). A server's replies are quoted in errors, so anything in
    them that carries the credentials (a hostile or buggy server may echo the AUTH line) is cut out."""
    try:
        result = _send(message, settings, bcc)
    except DeliveryError as e:
        raise DeliveryError(scrub_credentials(str(e), settings)) from None
    return replace(result, refused={addr: scrub_credentials(why, settings) for addr, why in result.refused.items()})


def scrub_credentials(text: str, settings: SMTPSettings) -> str:
    """text without the password, its base64 forms (AUTH PLAIN and LOGIN) or whatever follows 'AUTH'."""
    import base64

    text = re.sub(r"(?i)\bAUTH\b.*", "AUTH [removed]", text)
    if settings.password:
        secrets = {settings.password}
        for raw in (settings.password, f"\0{settings.user}\0{settings.password}",
                    f"{settings.user}\0{settings.user}\0{settings.password}"):
            encoded = base64.b64encode(raw.encode("utf-8")).decode("ascii")
            secrets.update({encoded, encoded.rstrip("=")})
        for secret in sorted(secrets, key=len, reverse=True):
            text = text.replace(secret, "[removed]")
    return text


def _send(message: EmailMessage, settings: SMTPSettings, bcc: Sequence[str]) -> DeliveryResult:
    for addr in bcc:
        check_address(addr, "recipient address")
    if not settings.host:
        raise DeliveryError(f"no SMTP server: set {ENV_PREFIX}HOST or 'host' in the [smtp] config")
    # The envelope comes from the parsed mailboxes, never from splitting header text on commas: a display
    # name may hold a comma or an address of its own ('"leak@evil.org, B" <bcc@example.com>').
    recipients = [a.addr_spec for header in (*message.get_all("To", []), *message.get_all("Cc", []))
                  for a in header.addresses]
    recipients += [a.addr_spec for a in _mailboxes(bcc)]
    recipients = list(dict.fromkeys(recipients))
    sender = _address(settings.sender).addr_spec
    data = message.as_bytes(policy=SMTP_POLICY)
    where = f"{settings.host}:{settings.effective_port}"
    try:
        context = ssl.create_default_context(cafile=settings.ca_file or None)
    except (ssl.SSLError, OSError) as e:
        raise DeliveryError(f"SMTP ca_file {settings.ca_file}: cannot read certificates from it: "
                            f"{getattr(e, 'reason', None) or e.strerror or e}") from None
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.effective_port,
                                                   timeout=settings.timeout, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.effective_port, timeout=settings.timeout)
    except (ConnectionError, socket.gaierror, TimeoutError, OSError) as e:
        if isinstance(e, ssl.SSLError):
            raise DeliveryError(f"TLS failure with {where}: {_ssl_reason(e)}") from None
        raise DeliveryError(f"cannot reach the SMTP server {where}: {_os_reason(e)}") from None
    try:
        with client:
            client.ehlo()
            if settings.security == "starttls":
                if not client.has_extn("starttls"):
                    raise DeliveryError(f"{where} does not offer STARTTLS (set security = \"ssl\" or \"none\")")
                client.starttls(context=context)
                client.ehlo()
            limit = client.esmtp_features.get("size", "")
            if limit.isdigit() and int(limit) and len(data) > int(limit):
                raise DeliveryError(f"the message is {len(data):,} bytes, over {where}'s limit of {int(limit):,}")
            if settings.user:
                client.login(settings.user, settings.password)
            refused = client.sendmail(sender, recipients, data)
    except DeliveryError:
        raise
    except smtplib.SMTPAuthenticationError as e:
        raise DeliveryError(f"{where} refused the login for user '{settings.user}': {_smtp_reason(e)}") from None
    except smtplib.SMTPRecipientsRefused as e:
        reasons = "; ".join(f"{addr} ({_code(v)})" for addr, v in e.recipients.items())
        raise DeliveryError(f"{where} refused every recipient: {reasons}") from None
    except smtplib.SMTPSenderRefused as e:
        raise DeliveryError(f"{where} refused the sender {sender}: {_smtp_reason(e)}") from None
    except smtplib.SMTPDataError as e:
        raise DeliveryError(f"{where} refused the message: {_smtp_reason(e)}") from None
    except smtplib.SMTPNotSupportedError as e:
        raise DeliveryError(f"{where}: {e}") from None
    except ssl.SSLError as e:
        raise DeliveryError(f"TLS failure with {where}: {_ssl_reason(e)}") from None
    except smtplib.SMTPException as e:
        raise DeliveryError(f"SMTP error with {where}: {type(e).__name__}: {_smtp_reason(e)}") from None
    except TimeoutError:
        raise DeliveryError(f"{where} did not answer within {settings.timeout:g} s") from None
    except OSError as e:
        raise DeliveryError(f"connection to {where} failed: {_os_reason(e)}") from None
    refused_reasons = {addr: _code(v) for addr, v in refused.items()}
    return DeliveryResult(tuple(r for r in recipients if r not in refused), refused_reasons)


def _code(value) -> str:
    code, text = value if isinstance(value, tuple) else (value, b"")
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {text}".strip()


def _smtp_reason(e: smtplib.SMTPException) -> str:
    if hasattr(e, "smtp_code"):
        return _code((e.smtp_code, e.smtp_error))
    return str(e) or type(e).__name__


def _ssl_reason(e: ssl.SSLError) -> str:
    return getattr(e, "verify_message", None) or e.reason or str(e)


def _os_reason(e: OSError) -> str:
    if isinstance(e, socket.gaierror):
        return "unknown host"
    if isinstance(e, (TimeoutError, socket.timeout)):
        return "timed out"
    return e.strerror or str(e) or type(e).__name__


def eml_bytes(message: EmailMessage) -> bytes:
    return message.as_bytes(policy=SMTP_POLICY)
