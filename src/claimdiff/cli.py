"""The command line: a thin shell over the library. The only module that prints or exits."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .errors import ClaimdiffError
from .model import Options

FORMAT_CHOICES = ("pdf", "html", "md", "json")


class CLIGroup(click.Group):
    """Turns the tool's own errors into one line on stderr and an exit code, in this one place."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ClaimdiffError as e:
            click.echo(f"Error: {e}", err=True)
            ctx.exit(e.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as e:  # a bug, not a user mistake: say so in one line, details with --debug
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            click.echo(f"Error: internal error ({type(e).__name__}: {e}); rerun with --debug and report it",
                       err=True)
            ctx.exit(70)


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
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise ClaimdiffError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def report_problems(briefing) -> None:
    for problem in briefing.skipped:
        click.echo(f"skipped {problem.path}: {problem.reason}", err=True)
    for problem in briefing.warnings:
        click.echo(f"warning {problem.path}: {problem.reason}", err=True)


@click.group(cls=CLIGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimdiff")
@click.option("--debug", is_flag=True, hidden=True, help="Show tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Compare articles about one event: what the sources agree on, where they contradict each other,
    who says what, and what only one source claims."""
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Where to write the briefing; the format follows the suffix (.pdf .html .md .json).")
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES),
              help="Output format, when the suffix does not say or to print md/json/html to stdout.")
@click.option("--title", help="Briefing title (default: derived from the articles).")
@click.option("--template-dir", type=click.Path(path_type=Path),
              help="Folder of templates that override the shipped ones.")
@analysis_options
def report(paths, output, fmt, title, template_dir, strict, max_file_size, max_articles, max_claims,
           aliases_file) -> None:
    """Compare ARTICLES (files or folders) and write a briefing.

    \b
    Example:
      claimdiff report samples/iraq-2021 -o briefing.pdf
    """
    from .pipeline import analyse
    from .rendering import SUFFIXES, render

    fmt = _output_format(output, fmt, SUFFIXES)
    options = make_options(strict, max_file_size, max_articles, max_claims, aliases_file, title)
    briefing = analyse(paths, options)
    report_problems(briefing)
    data = render(briefing, fmt, template_dir=template_dir)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    from .files import write_atomic

    write_atomic(output, data, inputs=paths)
    click.echo(
        f"wrote {output}: {len(briefing.articles)} sources, {len(briefing.claims)} claims, "
        f"{len(briefing.contradictions)} contested points, {len(briefing.agreements)} agreed points",
        err=True,
    )


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


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
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
        click.echo(f"skipped {problem.path}: {problem.reason}", err=True)
    extracted = extract_claims(ingested.articles, load_pipeline(), options)
    if as_json:
        click.echo(json.dumps([_claim(c) for c in extracted], indent=2, ensure_ascii=False))
        return
    width = shutil.get_terminal_size((120, 20)).columns
    header = f"{'ID':<24} {'SPEAKER':<28} {'FLAGS':<5} {'NUMBERS':<22} CLAIM"
    click.echo(header)
    for c in extracted:
        flags = ("N" if c.negated else "-") + ("H" if c.hedged else "-") + ("R" if c.refutes else "-")
        numbers = ", ".join(q.text for q in c.quantities)
        line = f"{c.id[:24]:<24} {c.speaker[:28]:<28} {flags:<5} {numbers[:22]:<22} "
        room = max(20, width - len(line))
        text = c.text if len(c.text) <= room else c.text[: room - 1] + "…"
        click.echo(line + text)
    click.echo(f"{len(extracted)} claims from {len(ingested.articles)} articles "
               "(flags: N negated, H hedged, R refutes)", err=True)


def main() -> None:  # pragma: no cover - console entry point
    cli(prog_name="claimdiff")
    sys.exit(0)
