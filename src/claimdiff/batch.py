"""Many events in one run: a folder of event folders, a JSONL file of articles with an `event` key, or a
flat folder of articles clustered into events. One briefing per event, an index of all events, a
manifest so that unchanged events are not redone, and a claims cache shared by every run."""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from . import __version__
from .align import UnionFind, title_case
from .claims import ANALYSIS_VERSION, cache_key
from .errors import ClaimdiffError, InputError, LimitError
from .ingest import SUPPORTED, Unreadable, decode, jsonl_objects, read_articles, record_article, unique_name
from .model import Article, Options, Problem

MANIFEST = "manifest.json"
CACHE_NAME = ".claimdiff-cache.sqlite"
CLUSTER_SIMILARITY = 0.2


@dataclass(frozen=True)
class EventJob:
    name: str
    slug: str
    articles: tuple[Article, ...]
    skipped: tuple[Problem, ...] = ()
    clustered_by: tuple[str, ...] = ()  # for events found by clustering: the names they share

    def fingerprint(self, options: Options, formats: Sequence[str]) -> str:
        parts = [__version__, ANALYSIS_VERSION, ",".join(formats), repr(options.title),
                 *sorted(cache_key(a, options) for a in self.articles)]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class EventResult:
    name: str
    slug: str
    ok: bool
    reason: str = ""
    sources: int = 0
    claims: int = 0
    contested: int = 0
    contradictions: int = 0
    agreements: int = 0
    outputs: tuple[str, ...] = ()
    unchanged: bool = False
    made_at: str = ""  # when its briefing was made: "2026-11-30 18:10 UTC" (an unchanged event keeps its own)
    fingerprint: str = ""
    clustered_by: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchReport:
    mode: str  # "folders", "jsonl" or "clustered"
    events: tuple[EventResult, ...]
    skipped: tuple[Problem, ...] = field(default_factory=tuple)
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> tuple[EventResult, ...]:
        return tuple(e for e in self.events if not e.ok)


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:60] or "event"


def _unique_slugs(jobs: list[EventJob]) -> list[EventJob]:
    seen: set[str] = set()
    return [replace(job, slug=unique_name(job.slug, seen)) for job in jobs]


# ---------------------------------------------------------------- planning


def plan(
    source: str | os.PathLike, options: Options, nlp=None, cache=None, leave_out: str | os.PathLike | None = None
) -> tuple[str, list[EventJob], list[Problem]]:
    """Find the events in `source`: (mode, jobs, problems). Reads files; analyses only to cluster.
    `leave_out` (the output folder, when it lies inside the input) is never read as articles."""
    path = Path(source)
    skip = Path(leave_out).resolve() if leave_out is not None else None
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_file():
        if path.suffix.lower() not in {".jsonl", ".ndjson"}:
            raise InputError(f"{path}: a batch input is a folder, or a .jsonl file of articles with an 'event' key")
        return "jsonl", _plan_jsonl(path, options), []
    subfolders = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")
                        and p.resolve() != skip)
    event_folders = [p for p in subfolders if any(f.suffix.lower() in SUPPORTED for f in p.rglob("*") if f.is_file())]
    if event_folders:
        jobs, problems = [], []
        for folder in event_folders:
            try:
                ingested = read_articles([folder], options)
            except ClaimdiffError as e:
                problems.append(Problem(str(folder), str(e)))
                jobs.append(EventJob(folder.name, slugify(folder.name), (), (Problem(str(folder), str(e)),)))
                continue
            jobs.append(EventJob(folder.name, slugify(folder.name), ingested.articles, ingested.skipped))
        return "folders", _unique_slugs(jobs), problems
    inside = skip is not None and skip.is_relative_to(path.resolve())
    # Read the input's entries one by one when our own output folder sits among them.
    entries = [p for p in sorted(path.iterdir()) if p.resolve() != skip and not p.name.startswith(".") and (
        p.is_dir() or p.suffix.lower() in SUPPORTED)] if inside else [path]
    if not entries:
        raise InputError(f"{path}: no articles besides the output folder")
    ingested = read_articles(entries, options)
    return "clustered", _unique_slugs(cluster(ingested.articles, options, nlp, cache)), list(ingested.skipped)


def _plan_jsonl(path: Path, options: Options) -> list[EventJob]:
    """The events of a JSONL file, under the same limits as `report`: the file's size, and the number of
    articles in each event."""
    try:
        size = path.stat().st_size
        if size > options.max_file_bytes:
            raise LimitError(f"{path}: file is {size:,} bytes, over the limit of {options.max_file_bytes:,} "
                             f"(raise it with --max-file-size)")
        text = decode(path.read_bytes())
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    except Unreadable as e:
        raise InputError(f"{path}: {e}") from None
    events: dict[str, list[Article]] = defaultdict(list)
    problems: dict[str, list[Problem]] = defaultdict(list)
    for lineno, obj in jsonl_objects(path, text, problems[""]):
        where = f"{path}:{lineno}"
        if not isinstance(obj, dict) or not str(obj.get("event") or "").strip():
            problems[""].append(Problem(where, "no 'event' key; line skipped"))
            continue
        event = str(obj["event"]).strip()
        try:
            article = record_article(path, obj, lineno, problems[event])
        except Unreadable as why:
            problems[event].append(Problem(where, f"{why}; line skipped"))
            continue
        events[event].append(replace(article, id=str(obj.get("id") or f"{slugify(event)}-{lineno}"), path=where))
    if not events:
        raise InputError(f"{path}: no article with an 'event' key")
    for name, arts in events.items():
        if len(arts) > options.max_articles:
            raise LimitError(f"{path}: event {name!r} has more than {options.max_articles} articles "
                             f"(raise the limit with --max-articles)")
    return _unique_slugs([EventJob(name, slugify(name), tuple(arts), tuple(problems.get(name, ())))
                          for name, arts in sorted(events.items())])


def fuller_names(names: set[str]) -> dict[str, str]:
    """Each name whose words all stand in a longer name, mapped to that name when exactly one such
    exists: "lindqvist" is "ana lindqvist"; a "john" among two Johns is left alone."""
    words = {name: set(name.split()) for name in names}
    out = {}
    for name, own in words.items():
        fuller = [other for other, theirs in words.items() if other != name and own < theirs]
        # The shortest fuller names, so that "lindqvist" -> "ana lindqvist" rather than "judge ana lindqvist".
        shortest = [f for f in fuller if not any(words[g] < words[f] for g in fuller)]
        if len(shortest) == 1:
            out[name] = shortest[0]
    return out


def cluster(articles: Sequence[Article], options: Options, nlp=None, cache=None) -> list[EventJob]:
    """Group articles into events by the names they share (weighted by how rare each name is), with
    union-find over pairs at least CLUSTER_SIMILARITY alike. Each event says which names joined it."""
    from .claims import extract_claims
    from .nlp import load_pipeline

    claims = extract_claims(articles, nlp or load_pipeline(), options, cache=cache)
    names: dict[str, Counter] = {a.id: Counter() for a in articles}
    canonical = fuller_names({e for claim in claims for e in claim.entities})
    for claim in claims:
        names[claim.article_id].update(canonical.get(e, e) for e in claim.entities)
    df = Counter(name for counts in names.values() for name in counts)
    n = len(articles)
    weight = {name: math.log(1 + n / count) for name, count in df.items()}
    signature = {aid: {name for name, _ in sorted(counts.items(), key=lambda i: (-i[1], i[0]))[:12]}
                 for aid, counts in names.items()}
    components = UnionFind()
    for article in articles:
        components.find(article.id)
    by_name: dict[str, list[str]] = defaultdict(list)
    for aid, sig in signature.items():
        for name in sig:
            by_name[name].append(aid)
    compared: set[tuple[str, str]] = set()
    for members in by_name.values():
        if len(members) > 200:
            continue  # a name in most articles ("united states") joins nothing by itself
        for i, x in enumerate(members):
            for y in members[i + 1:]:
                if (x, y) in compared:
                    continue
                compared.add((x, y))
                a, b = signature[x], signature[y]
                union = sum(weight[t] for t in sorted(a | b))
                if union and sum(weight[t] for t in sorted(a & b)) / union >= CLUSTER_SIMILARITY:
                    components.union(x, y)
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        groups[components.find(article.id)].append(article)
    jobs = []
    for members in sorted(groups.values(), key=lambda m: (-len(m), m[0].id)):
        shared = Counter(name for a in members for name in sorted(signature[a.id]))
        ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))
        top = [name for name, count in ranked[:3] if count >= min(2, len(members))]
        name = " / ".join(title_case(t) for t in top[:2]) or members[0].title or members[0].id
        jobs.append(EventJob(name, slugify(name), tuple(members), (), tuple(top)))
    return jobs


# ---------------------------------------------------------------- running


def run_event(job: EventJob, outdir: str, options: Options, formats: tuple[str, ...],
              cache_path: str | None, fingerprint: str) -> EventResult:
    """Analyse and render one event into outdir/slug/. Never raises: a failure is the result's reason.
    A top-level function of plain data, so local processes and Dask workers can both run it."""
    base = EventResult(job.name, job.slug, ok=False, fingerprint=fingerprint, clustered_by=job.clustered_by,
                       articles=tuple(a.id for a in job.articles))
    if not job.articles:
        return replace(base, reason=job.skipped[0].reason if job.skipped else "no readable articles")
    try:
        from .briefing import contested_points
        from .cache import ClaimCache
        from .files import make_folder, write_atomic
        from .pipeline import analyse_articles
        from .rendering import render

        cache = ClaimCache(cache_path) if cache_path else None
        event_options = replace(options, parse_processes=1)
        briefing = analyse_articles(job.articles, event_options, skipped=job.skipped, cache=cache)
        folder = make_folder(Path(outdir) / job.slug)
        outputs = []
        for fmt in formats:
            target = folder / f"briefing.{fmt}"
            write_atomic(target, render(briefing, fmt))
            outputs.append(str(target.relative_to(outdir)))
        if cache is not None:
            cache.close()
        return replace(base, ok=True, sources=len(briefing.articles), claims=len(briefing.claims),
                       contested=len(contested_points(briefing)), contradictions=len(briefing.contradictions),
                       agreements=len(briefing.agreements), outputs=tuple(outputs),
                       made_at=briefing.generated_at.strftime("%Y-%m-%d %H:%M UTC"))
    except ClaimdiffError as e:
        return replace(base, reason=str(e))
    except Exception as e:  # one bad event must not stop the batch
        return replace(base, reason=f"internal error: {type(e).__name__}: {e}")


def run_batch(
    source: str | os.PathLike,
    outdir: str | os.PathLike,
    options: Options | None = None,
    workers: int = 1,
    dask_address: str | None = None,
    formats: tuple[str, ...] = ("pdf", "json"),
    cache_path: str | os.PathLike | None = "",
    on_event: Callable[[EventResult], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
) -> BatchReport:
    """Plan the events, skip the unchanged ones, run the rest (local processes or a Dask cluster), and
    write the index and the manifest. `cache_path` "" means OUTDIR/.claimdiff-cache.sqlite, None no cache."""
    options = options or Options()
    out = Path(outdir)
    if Path(source).is_dir() and out.resolve() == Path(source).resolve():
        raise InputError(f"{out}: the output folder is the input folder; choose another with -o")
    from .files import make_folder

    make_folder(out)
    cache_file = str(out / CACHE_NAME) if cache_path == "" else (str(cache_path) if cache_path else None)
    from .cache import CacheDamaged, ClaimCache

    warnings = []
    try:
        cache = ClaimCache(cache_file) if cache_file else None
        if cache is not None:
            cache.check()
    except CacheDamaged as e:
        warnings.append(f"{e}; this run does without it")
        cache, cache_file = None, None
    mode, jobs, problems = plan(source, options, cache=cache, leave_out=out)
    if cache is not None:
        cache.close()
    manifest = _read_manifest(out)
    todo, done = [], []
    for job in jobs:
        fingerprint = job.fingerprint(options, formats)
        previous = manifest.get(job.slug)
        kept = _unchanged(previous, fingerprint, out) if previous else None
        if kept is not None:
            done.append(kept)
        else:
            todo.append((job, fingerprint))
    if on_plan:
        on_plan(len(jobs))
    for result in done:
        if on_event:
            on_event(result)
    # The manifest is written as each event finishes, so an interrupted run resumes where it stopped.
    finished = {r.slug: asdict(r) for r in done}

    def record(result: EventResult) -> None:
        if result.ok:
            finished[result.slug] = asdict(result)
            _write_manifest(out, finished)
        if on_event:
            on_event(result)

    results = done + _execute(todo, out, options, formats, cache_file, workers, dask_address, record)
    order = {job.slug: i for i, job in enumerate(jobs)}
    results.sort(key=lambda r: order[r.slug])
    report = BatchReport(mode, tuple(results), tuple(problems), tuple(warnings))
    _write_index(out, report)
    return report


def _execute(todo, out: Path, options: Options, formats, cache_file, workers: int, dask_address, on_event):
    portable = replace(options, nli=None)
    args = [(job, str(out), portable, formats, cache_file, fp) for job, fp in todo]
    results: list[EventResult] = []
    if not args:
        return results

    def collect(result: EventResult) -> None:
        results.append(result)
        if on_event:
            on_event(result)

    if dask_address:
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise ClaimdiffError("--dask needs the dask extra: pip install 'claimdiff[dask]'") from None
        try:
            client = Client(dask_address, timeout="10s")
        except (OSError, TimeoutError) as e:
            raise ClaimdiffError(f"cannot reach the Dask scheduler at {dask_address}: {e}") from None
        with client:
            futures = [client.submit(run_event, *a, pure=False) for a in args]
            for future in as_completed(futures):
                collect(future.result())
        return results
    if workers <= 1 or len(args) == 1:
        for a in args:
            collect(run_event(*a))
        return results
    from concurrent.futures import as_completed

    from .workers import process_pool

    pool = process_pool(workers)
    try:
        futures = [pool.submit(run_event, *a) for a in args]
        for future in as_completed(futures):
            collect(future.result())
    except BaseException:
        # Interrupted: events not started are dropped; those running finish and are written.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results


def _unchanged(previous: dict, fingerprint: str, out: Path) -> EventResult | None:
    """The earlier result of an event whose inputs and options have not changed and whose files are all
    still there, or None."""
    outputs = previous.get("outputs")
    if previous.get("fingerprint") != fingerprint or not previous.get("ok") or not isinstance(outputs, list):
        return None
    if not all(isinstance(p, str) and (out / p).is_file() for p in outputs):
        return None
    try:
        result = EventResult(**{**previous, "outputs": tuple(outputs),
                                "clustered_by": tuple(previous.get("clustered_by", ())),
                                "articles": tuple(previous.get("articles", ()))})
    except TypeError:
        return None
    return replace(result, unchanged=True)


def _read_manifest(out: Path) -> dict:
    try:
        data = json.loads((out / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    # A damaged manifest only costs a redo: every entry is checked before it is trusted.
    events = data.get("events") if isinstance(data, dict) else None
    return {k: v for k, v in events.items() if isinstance(v, dict)} if isinstance(events, dict) else {}


def _write_index(out: Path, report: BatchReport) -> None:
    from .files import write_atomic
    from .rendering import template_env

    ranked = sorted(report.events, key=lambda e: (not e.ok, -e.contested, -e.sources, e.name))
    index = {"mode": report.mode, "events": [asdict(e) for e in ranked],
             "skipped": [asdict(p) for p in report.skipped]}
    write_atomic(out / "index.json", (json.dumps(index, indent=2, ensure_ascii=False) + "\n").encode())
    html = template_env().get_template("index.html.j2").render(report=report, events=ranked)
    write_atomic(out / "index.html", html.encode())
    _write_manifest(out, {e.slug: asdict(e) for e in report.events if e.ok})


def _write_manifest(out: Path, events: dict[str, dict]) -> None:
    from .files import write_atomic

    manifest = {"claimdiff_version": __version__, "events": events}
    write_atomic(out / MANIFEST, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
