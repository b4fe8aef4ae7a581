"""The command line: a thin shell over the library. The only module that prints or exits."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import textwrap
import traceback
from pathlib import Path

import click

from . import __version__
from .errors import ClaimdiffError, DeliveryError
from .model import Options

FORMAT_CHOICES = ("pdf", "html", "md", "json")


class CLIGroup(click.Group):
    """Turns the tool's own errors into one line on stderr and an exit code, in this one place."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ClaimdiffError as e:
            echo(f"Error: {e}", err=True)
            ctx.exit(e.exit_code)
        except KeyboardInterrupt:
            echo("Interrupted.", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as e:  # a bug, not a user mistake: say so in one line, details with --debug
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            echo(f"Error: internal error ({type(e).__name__}: {e}); rerun with --debug and report it",
                       err=True)
            ctx.exit(70)



def echo(message: str = "", **kwargs) -> None:
    from .rendering import strip_controls

    click.echo(strip_controls(message), **kwargs)


def analysis_options(func):
    """Options every analysing command takes."""
    options = [
        click.option("--strict", is_flag=True, help="Fail on any file that cannot be read instead of skipping it."),
        click.option("--max-file-size", type=click.IntRange(min=1), default=20, show_default=True,
                     help="Largest article file to read, in MB."),
        click.option("--max-articles", type=click.IntRange(min=1), default=2000, show_default=True,
                     help="Most articles to read in one run."),
        click.option("--max-claims", type=click.IntRange(min=1), default=2000, show_default=True,
                     help="Most claims to extract from one article."),
        click.option("--aliases", "aliases_file", type=click.Path(dir_okay=False, path_type=Path),
                     help="JSON file of extra name aliases, {\"name\": \"canonical name\"}."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_options(strict: bool, max_file_size: int, max_articles: int, max_claims: int,
                 aliases_file: Path | None, title: str | None = None) -> Options:
    aliases = {}
    if aliases_file is not None:
        try:
            aliases = json.loads(aliases_file.read_text("utf-8"))
        except (OSError, ValueError) as e:
            raise ClaimdiffError(f"{aliases_file}: cannot read aliases: {e}") from None
        if not isinstance(aliases, dict) or not all(isinstance(v, str) for v in aliases.values()):
            raise ClaimdiffError(f"{aliases_file}: aliases must be a JSON object of name -> canonical name")
    return Options(
        title=title,
        strict=strict,
        max_file_bytes=max_file_size * 1_000_000,
        max_articles=max_articles,
        max_claims_per_article=max_claims,
        aliases=aliases,
        generated_at=run_time(),
    )


def run_time() -> dt.datetime:
    """The run's timestamp; SOURCE_DATE_EPOCH makes it reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise ClaimdiffError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def report_problems(briefing) -> None:
    for problem in briefing.skipped:
        echo(f"skipped {problem.path}: {problem.reason}", err=True)
    for problem in briefing.warnings:
        echo(f"warning {problem.path}: {problem.reason}", err=True)


def _set_debug(ctx: click.Context, _param, value: bool) -> bool:
    if value:
        root = ctx.find_root()
        root.obj = {**(root.obj or {}), "debug": True}
    return value


def debug_option(func):
    """--debug, accepted before or after the command name."""
    return click.option("--debug", is_flag=True, expose_value=False, is_eager=True, callback=_set_debug,
                        help="Show the traceback of an internal error.")(func)


@click.group(cls=CLIGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimdiff")
@debug_option
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Compare articles about one event: what the sources agree on, where they contradict each other,
    who says what, and what only one source claims."""
    ctx.obj = {"debug": bool((ctx.obj or {}).get("debug"))}


@cli.command(short_help="Compare ARTICLES and write a briefing.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str), metavar="ARTICLES...")
@debug_option
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Where to write the briefing; the format follows the suffix (.pdf .html .md .json).")
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES),
              help="Output format, when the suffix does not say or to print md/json/html to stdout.")
@click.option("--title", help="Briefing title (default: derived from the articles).")
@click.option("--template-dir", type=click.Path(path_type=Path),
              help="Folder of templates that override the shipped ones.")
@click.option("--email-to", "email_to", multiple=True, metavar="ADDR",
              help="After writing the PDF, email it to ADDR (repeatable). SMTP settings: see `claimdiff email`.")
@click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path),
              help="SMTP config file for --email-to (default ~/.config/claimdiff/config.toml).")
@analysis_options
def report(paths, output, fmt, title, template_dir, email_to, config, strict, max_file_size, max_articles,
           max_claims, aliases_file) -> None:
    """Compare ARTICLES (files, folders, or http(s) addresses of web pages) and write a briefing.

    Without -o, the briefing is printed to standard output as Markdown (or as --format says).

    \b
    Example:
      claimdiff report samples/iraq-2021 -o briefing.pdf
      claimdiff report samples/iraq-2021 -o briefing.pdf --email-to desk@example.org
      claimdiff report https://example.org/news/story.html saved-story.html -o briefing.pdf
    """
    from .pipeline import analyse
    from .rendering import SUFFIXES, pdf_renderer, render

    fmt = _output_format(output, fmt, SUFFIXES)
    if output is not None:
        from .files import check_output_name

        check_output_name(output)
    settings = None
    if email_to:
        from .deliver import check_address, load_settings

        if fmt != "pdf" or output is None:
            raise ClaimdiffError("--email-to sends the PDF: write one with -o briefing.pdf")
        for address in email_to:
            check_address(address, "recipient address")
        settings = load_settings(config)  # before the analysis: a bad config fails fast
        warn_settings(settings)
    options = make_options(strict, max_file_size, max_articles, max_claims, aliases_file, title)
    renderer = pdf_renderer() if fmt == "pdf" else None
    try:
        briefing = analyse(paths, options)
        report_problems(briefing)
        data = render(briefing, fmt, template_dir=template_dir, pdf_executor=renderer)
    finally:
        if renderer is not None:
            renderer.shutdown(cancel_futures=True)
    if output is None:
        echo(data.decode("utf-8"), nl=False)
        return
    from .briefing import counts_line
    from .files import write_atomic
    from .web import is_web_address

    write_atomic(output, data, inputs=[p for p in paths if not is_web_address(p)])
    echo(
        f"wrote {output}: {counts_line(briefing)}",
        err=True,
    )
    if settings is not None:
        _send(data, output, settings, list(email_to), [], [], None, template_dir, dry_run=None, just_written=True)


# RFC 2606 reserves .invalid: a placeholder that can never be a real mailbox.
PLACEHOLDER_SENDER = "Sender not configured <sender@example.invalid>"


def warn_settings(settings) -> None:
    for note in settings.warnings:
        echo(f"warning: {note}", err=True)


def _send(pdf: bytes, pdf_path: Path, settings, to, cc, bcc, subject, template_dir, dry_run: Path | None,
          just_written: bool = False) -> None:
    from .deliver import build_message, eml_bytes, send
    from .files import write_atomic

    if dry_run is not None and not settings.sender:
        # A dry run talks to no server, so it needs no configured sender: the file says whose it is not.
        from dataclasses import replace

        settings = replace(settings, sender=PLACEHOLDER_SENDER)
        echo(f"note: no sender configured; {dry_run.name} is From {PLACEHOLDER_SENDER}", err=True)
    try:
        message = build_message(pdf, pdf_path.name, settings, to, cc, subject=subject, template_dir=template_dir,
                                now=run_time())
        if dry_run is not None:
            write_atomic(dry_run, eml_bytes(message), inputs=[pdf_path])
            extra = f" (Bcc, not in the file: {', '.join(bcc)})" if bcc else ""
            echo(f"wrote {dry_run}: the message to {', '.join([*to, *cc])}{extra}, not sent", err=True)
            return
        result = send(message, settings, bcc=bcc)
    except ClaimdiffError as e:
        if not just_written:
            raise
        raise type(e)(f"{e} (the briefing is saved at {pdf_path})") from None
    echo(f"sent {pdf_path.name} to {', '.join(result.delivered)}", err=True)
    if result.refused:
        refused = "; ".join(f"{addr}: {why}" for addr, why in result.refused.items())
        raise DeliveryError(f"some recipients were refused: {refused} (the others received it)")


def _output_format(output: Path | None, fmt: str | None, suffixes: dict[str, str]) -> str:
    if output is not None and fmt is None:
        fmt = suffixes.get(output.suffix.lower())
        if fmt is None:
            raise ClaimdiffError(
                f"{output}: cannot tell the format from the suffix '{output.suffix}' "
                "(use .pdf, .html, .md or .json, or --format)"
            )
    if output is None:
        fmt = fmt or "md"
        if fmt == "pdf":
            raise ClaimdiffError("PDF output needs a file: add -o briefing.pdf")
    return fmt


@cli.command(short_help="Print the claims found in ARTICLES.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str), metavar="ARTICLES...")
@debug_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one list of claims) instead of a table.")
@analysis_options
def claims(paths, as_json, strict, max_file_size, max_articles, max_claims, aliases_file) -> None:
    """Print the claims extracted from ARTICLES: speaker, numbers, dates, negation."""
    from .claims import extract_claims
    from .ingest import read_articles
    from .nlp import load_pipeline
    from .rendering import _claim

    options = make_options(strict, max_file_size, max_articles, max_claims, aliases_file)
    ingested = read_articles(paths, options)
    for problem in ingested.skipped:
        echo(f"skipped {problem.path}: {problem.reason}", err=True)
    extracted = extract_claims(ingested.articles, load_pipeline(), options)
    if as_json:
        echo(json.dumps([_claim(c) for c in extracted], indent=2, ensure_ascii=False))
        return
    from .dates import describe

    # One block per claim, wrapped to the terminal rather than cut: the claim is what the user reads.
    width = max(40, shutil.get_terminal_size((100, 20)).columns)
    for c in extracted:
        flags = "".join(name for name, on in (("negated", c.negated), ("hedged", c.hedged),
                                              ("refutes", c.refutes)) if on)
        echo(f"{c.id}  {c.speaker}" + (f"  [{flags}]" if flags else ""))
        echo(textwrap.fill(c.text, width - 1, initial_indent="    ", subsequent_indent="    ",
                           break_on_hyphens=False))
        details = []
        if c.quantities:
            details.append("numbers: " + ", ".join(q.text for q in c.quantities))
        dates = [f"{d.text} ({describe(d.start, d.end)})" for d in c.dates if not d.implicit]
        if dates:
            details.append("dates: " + ", ".join(dates))
        if details:
            echo(textwrap.fill(" · ".join(details), width - 1, initial_indent="    ",
                               subsequent_indent="      ", break_on_hyphens=False))
    echo(f"{len(extracted)} claims from {len(ingested.articles)} articles", err=True)


@cli.command(short_help="Email a briefing PDF.")
@click.argument("briefing", type=click.Path(dir_okay=False, path_type=Path))
@debug_option
@click.option("--to", "to", multiple=True, metavar="ADDR", help="Recipient (repeatable).")
@click.option("--cc", "cc", multiple=True, metavar="ADDR", help="Copy recipient (repeatable).")
@click.option("--bcc", "bcc", multiple=True, metavar="ADDR", help="Blind-copy recipient (repeatable).")
@click.option("--subject", help="Subject (default: the briefing's title and date).")
@click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path),
              help="SMTP config file (default ~/.config/claimdiff/config.toml).")
@click.option("--dry-run", is_flag=True, help="Write the complete message as an .eml file instead of sending.")
@click.option("--eml", "eml_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where --dry-run writes the message (default: beside the PDF, .eml).")
@click.option("--template-dir", type=click.Path(path_type=Path),
              help="Folder of templates that override the shipped email templates.")
def email(briefing, to, cc, bcc, subject, config, dry_run, eml_path, template_dir) -> None:
    """Email an existing BRIEFING PDF: attached, with the summary and contested points in the body.

    \b
    SMTP settings come from ~/.config/claimdiff/config.toml ([smtp] host, port, user,
    password, from, security = starttls|ssl|none, timeout, ca_file) and from the
    variables CLAIMDIFF_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM, _SECURITY, _TIMEOUT,
    _CA_FILE, which win. The password is never taken from the command line.
    """
    from .deliver import check_address, load_settings

    if not to:
        raise ClaimdiffError("no recipient: give at least one --to address")
    for address in [*to, *cc, *bcc]:
        check_address(address, "recipient address")
    try:
        pdf = briefing.read_bytes()
    except OSError as e:
        raise ClaimdiffError(f"{briefing}: cannot read: {e.strerror or e}") from None
    if not pdf.startswith(b"%PDF"):
        raise ClaimdiffError(f"{briefing}: not a PDF file")
    settings = load_settings(config)
    warn_settings(settings)
    target = None
    if dry_run:
        target = eml_path or briefing.with_suffix(".eml")
    _send(pdf, briefing, settings, list(to), list(cc), list(bcc), subject, template_dir, dry_run=target)


@cli.command(short_help="Write one briefing per event, and an index.")
@click.argument("source", type=click.Path(path_type=Path))
@debug_option
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the briefings, index.html, index.json and the manifest.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Local worker processes (default: one per core).")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Run the events on this Dask scheduler (tcp://host:8786) instead of local processes.")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMAT_CHOICES),
              help="Formats to write per event (repeatable; default pdf and json).")
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Claims cache file (default OUTDIR/.claimdiff-cache.sqlite).")
@click.option("--no-cache", is_flag=True, help="Parse every article again.")
@analysis_options
def batch(source, outdir, workers, dask_address, formats, cache_path, no_cache, strict, max_file_size,
          max_articles, max_claims, aliases_file) -> None:
    """Write one briefing per event in SOURCE, plus an index, most contested first.

    \b
    SOURCE is a folder of event folders, a .jsonl file of articles with an "event"
    key, or a flat folder of articles that claimdiff clusters into events by the
    names they share. Events whose inputs have not changed since the last run
    into OUTDIR are not redone; one bad event is reported and skipped.
    """
    from .batch import run_batch

    options = make_options(strict, max_file_size, max_articles, max_claims, aliases_file)
    workers = workers or os.cpu_count() or 1
    progress = Progress()
    try:
        report = run_batch(
            source, outdir, options, workers=workers, dask_address=dask_address,
            formats=tuple(dict.fromkeys(formats)) or ("pdf", "json"),
            cache_path=None if no_cache else (cache_path or ""),
            on_plan=progress.start, on_event=progress.step,
        )
    finally:
        progress.close()
    for note in report.warnings:
        echo(f"warning: {note}", err=True)
    for problem in report.skipped:
        echo(f"skipped {problem.path}: {problem.reason}", err=True)
    for event in report.failed:
        echo(f"failed {event.name}: {event.reason}", err=True)
    redone = sum(1 for e in report.events if e.ok and not e.unchanged)
    unchanged = sum(1 for e in report.events if e.unchanged)
    echo(f"{len(report.events)} events ({report.mode}): {redone} written, {unchanged} unchanged, "
               f"{len(report.failed)} failed; index at {outdir / 'index.html'}", err=True)
    if report.failed:
        raise ClaimdiffError("every event failed" if len(report.failed) == len(report.events) else
                             f"{len(report.failed)} of {len(report.events)} events failed; the others were written")


class Progress:
    """A progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self) -> None:
        self.bar = None

    def start(self, total: int) -> None:
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="event", file=sys.stderr)

    def step(self, result) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(result.name[:30])
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@cli.group()
def cache() -> None:
    """Manage the claims cache that batch runs share."""


@cache.command("clear")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@debug_option
def cache_clear(path) -> None:
    """Empty a claims cache file; a damaged one is deleted.

    PATH is the cache file, by default OUTDIR/.claimdiff-cache.sqlite of a batch run.
    """
    from .cache import clear_cache

    count = clear_cache(path)
    if count < 0:
        echo(f"deleted the damaged cache {path}; the next batch run starts a new one", err=True)
    else:
        echo(f"cleared {count} cached articles from {path}", err=True)
