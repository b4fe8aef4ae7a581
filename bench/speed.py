"""Speed and memory, measured in one run:

    python bench/speed.py                 # 10 / 100 / 1,000 articles, cold CLI run, naive baseline
    python bench/speed.py --sizes 10 100  # fewer sizes
    python bench/speed.py --no-naive      # skip the all-pairs baseline (it takes minutes)
    python bench/speed.py --json          # one JSON object

Targets on a 2-core machine: 10 articles to PDF in <= 5 s cold; 1,000 articles analysed in <= 150 s
with peak memory <= 2 GB; time(1000)/time(100) <= 12. At 100 articles the all-pairs run (every pair of
claims compared) is a correctness check: blocking must find every contested point it finds. Both parse
the same articles, so their time ratio measures the benchmark, not the product, and is only printed.
Each size runs in its own process so that peak memory is its own (parser worker processes included).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

TARGETS = {"cold_10_pdf_s": 5.0, "analyse_1000_s": 150.0, "peak_1000_mb": 2048.0, "growth": 12.0}


def _articles(count: int):
    import datetime as dt

    import corpus
    from claimdiff.model import Article

    return [Article(id=a["id"], source=a["source"], text=a["text"], title=a["title"],
                    date=dt.date.fromisoformat(a["date"])) for a in corpus.make_articles(count)]


def measure_size(count: int, naive: bool) -> dict:
    """Runs inside a child process: analysis time, render time, peak memory."""
    from claimdiff import Options, render
    from claimdiff.align import group_claims, score_pairs
    from claimdiff.briefing import build_briefing
    from claimdiff.claims import extract_claims
    from claimdiff.contradict import find_contradictions
    from claimdiff.nlp import load_pipeline

    articles = _articles(count)
    options = Options()
    nlp = load_pipeline()
    start = time.perf_counter()
    claims = extract_claims(articles, nlp, options)
    parsed = time.perf_counter()
    pairs = score_pairs(claims, options)
    groups = group_claims(claims, pairs, options.group_threshold)
    contradictions = find_contradictions(claims, groups, pairs, options)
    briefing = build_briefing(articles, claims, groups, contradictions, options, pairs=pairs)
    done = time.perf_counter()
    pdf = render(briefing, "pdf")
    rendered = time.perf_counter()
    result = {
        "articles": count, "words": sum(len(a.text.split()) for a in articles), "claims": len(claims),
        "pairs_compared": len(pairs), "contradictions": len(contradictions),
        "parse_s": round(parsed - start, 2), "compare_s": round(done - parsed, 2),
        "analyse_s": round(done - start, 2), "render_s": round(rendered - done, 2), "pdf_bytes": len(pdf),
    }
    if naive:
        start = time.perf_counter()
        all_pairs = score_pairs(claims, options, blocking=False)
        naive_groups = group_claims(claims, all_pairs, options.group_threshold)
        naive_found = find_contradictions(claims, naive_groups, all_pairs, options)
        # The same stages as claimdiff's own analysis time, briefing included.
        build_briefing(articles, claims, naive_groups, naive_found, options, pairs=all_pairs)
        naive_compare = time.perf_counter() - start
        blocked = {(c.kind, c.claim_ids) for c in contradictions}
        unblocked = {(c.kind, c.claim_ids) for c in naive_found}
        # What a reader sees: contested points (one kind of conflict about one thing).
        blocked_points = {(c.label, c.kind) for c in contradictions}
        naive_sizes = Counter((c.label, c.kind) for c in naive_found)
        naive_points = set(naive_sizes)
        # Points the naive run backs with many pairs are the ones a reader would miss most.
        major = {p for p, n in naive_sizes.items() if n >= 100}
        result.update({
            "naive_compare_s": round(naive_compare, 2),
            "naive_analyse_s": round(result["parse_s"] + naive_compare, 2),
            "naive_contradictions": len(naive_found),
            "same_contradictions": len(blocked & unblocked),
            "only_naive": len(unblocked - blocked), "only_blocked": len(blocked - unblocked),
            "points": len(blocked_points), "naive_points": len(naive_points),
            "points_in_both": len(blocked_points & naive_points),
            "naive_pairs_in_found_points": round(
                sum(n for p, n in naive_sizes.items() if p in blocked_points) / max(1, len(naive_found)), 3),
            "major_points": len(major), "major_points_found": len(major & blocked_points),
        })
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result["peak_mb"] = round(own, 1)
    result["peak_worker_mb"] = round(children, 1)
    return result


def run_child(count: int, naive: bool) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(count)] + (["--naive"] if naive else []),
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


COLD_RUNS = 5


def cold_cli(count: int = 10, samples: bool = False, runs: int = COLD_RUNS) -> dict:
    """Process start to PDF, `runs` times: the median and the range. The synthetic set is
    contradiction-dense (every figure is random); the samples are ten written articles on two events.
    One run says little: timings on a shared machine drift by a tenth or more between runs."""
    import corpus

    times = []
    with tempfile.TemporaryDirectory() as folder:
        if samples:
            paths = [str(p) for p in sorted((ROOT / "samples").iterdir()) if p.is_dir()]
        else:
            paths = [str(corpus.write_folder(Path(folder) / "articles", count))]
        out = Path(folder) / "brief.pdf"
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "claimdiff", "report", *paths, "-o", str(out)],
                           check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
            times.append(round(time.perf_counter() - start, 2))
            assert out.read_bytes().startswith(b"%PDF")
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--naive", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure_size(args.child, args.naive)))
        return 0

    cold, cold_samples = cold_cli(10), cold_cli(samples=True)
    figures: dict = {"cold_10_pdf_s": cold["median"], "cold_10_pdf_range_s": [cold["min"], cold["max"]],
                     "cold_samples_pdf_s": cold_samples["median"],
                     "cold_samples_pdf_range_s": [cold_samples["min"], cold_samples["max"]], "sizes": {}}
    for size in args.sizes:
        figures["sizes"][size] = run_child(size, naive=(size == 100 and not args.no_naive))
    sizes = figures["sizes"]
    if 100 in sizes and 1000 in sizes:
        figures["growth"] = round(sizes[1000]["analyse_s"] / sizes[100]["analyse_s"], 2)
    if 100 in sizes and "naive_analyse_s" in sizes[100]:
        figures["naive_ratio"] = round(sizes[100]["naive_analyse_s"] / sizes[100]["analyse_s"], 1)
        figures["naive_compare_ratio"] = round(sizes[100]["naive_compare_s"] / max(sizes[100]["compare_s"], 0.01), 1)
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"cold CLI run, 10 articles to PDF, median of {COLD_RUNS}: {figures['cold_10_pdf_s']} s synthetic "
          f"({figures['cold_10_pdf_range_s'][0]}-{figures['cold_10_pdf_range_s'][1]}), "
          f"{figures['cold_samples_pdf_s']} s the 10 sample articles ({figures['cold_samples_pdf_range_s'][0]}-"
          f"{figures['cold_samples_pdf_range_s'][1]}) (target <= {TARGETS['cold_10_pdf_s']})")
    print(f"{'articles':>8} {'words':>8} {'claims':>7} {'parse s':>8} {'compare s':>9} {'analyse s':>9} "
          f"{'render s':>8} {'peak MB':>8} {'workers MB':>10}")
    for size, r in sizes.items():
        print(f"{size:>8} {r['words']:>8} {r['claims']:>7} {r['parse_s']:>8} {r['compare_s']:>9} {r['analyse_s']:>9} "
              f"{r['render_s']:>8} {r['peak_mb']:>8} {r['peak_worker_mb']:>10}")
    if "growth" in figures:
        print(f"growth time(1000)/time(100): {figures['growth']} (target <= {TARGETS['growth']})")
    if "naive_ratio" in figures:
        r = sizes[100]
        print(f"naive all-pairs at 100 articles: {r['naive_analyse_s']} s vs {r['analyse_s']} s -> "
              f"{figures['naive_ratio']}x overall, {figures['naive_compare_ratio']}x in the comparison stage; "
              f"contradictions: blocked {r['contradictions']}, "
              f"naive {r['naive_contradictions']}, in both {r['same_contradictions']}; contested points: blocked "
              f"{r['points']}, naive {r['naive_points']}, in both {r['points_in_both']}; "
              f"{r['major_points_found']} of the naive run's {r['major_points']} points backed by 100+ pairs; "
              f"{r['naive_pairs_in_found_points']:.0%} of its contradicting pairs lie in points blocking found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
