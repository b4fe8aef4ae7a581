"""Quality of contradiction detection, as numbers.

    python bench/eval.py                       # FNC-1 dev (../shared/eval) and every sample set
    python bench/eval.py DATA --limit 500      # the first 500 pairs of a .jsonl or .jsonl.gz file
    python bench/eval.py --json                # one JSON object with the headline figures
    python bench/eval.py --check               # fail (exit 1) when a figure is below bench/baseline.json

Each FNC-1 pair runs through the same pipeline as `claimdiff report`: the headline is a one-sentence
article from source "headline", the body an article from source "article". A pair is flagged when any
contradiction links a headline claim to a body claim. Positives are `disagree`; negatives agree+discuss.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimdiff import Options, analyse, analyse_articles  # noqa: E402
from claimdiff.evaluation import (  # noqa: E402
    StanceScore,
    cross_contradictions,
    pair_articles,
    score_sample,
)
from claimdiff.nlp import load_pipeline  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "fnc1-dev.jsonl.gz"
BASELINE = ROOT / "bench" / "baseline.json"


def read_rows(path: Path, limit: int | None) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    rows = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    return rows


def evaluate_pairs(rows: list[dict]) -> tuple[StanceScore, list[tuple], float]:
    nlp = load_pipeline()
    cache: dict = {}  # a body shared by several headlines is parsed once
    score = StanceScore()
    details = []
    options = Options()
    start = time.perf_counter()
    for row in rows:
        briefing = analyse_articles(pair_articles(row["headline"], row["body"]), options, nlp=nlp, cache=cache)
        hits = cross_contradictions(briefing)
        flagged = bool(hits)
        score.add(row["stance"], flagged)
        details.append((row, briefing, hits))
    elapsed = time.perf_counter() - start
    return score, details, elapsed


def evaluate_samples() -> dict[str, dict]:
    out = {}
    for spec_path in sorted((ROOT / "samples").glob("*/expected.json")):
        briefing = analyse([spec_path.parent])
        s = score_sample(briefing, json.loads(spec_path.read_text("utf-8")))
        out[spec_path.parent.name] = {"planted": s.planted, "found": s.found, "recall": round(s.recall, 4),
                                      "traps": s.traps, "false_alarms": s.false_alarms, "missed": s.missed,
                                      "flagged": s.flagged}
    return out


def _claims_text(briefing, hits) -> str:
    lines = []
    for c in hits[:2]:
        lines.append(f"      [{c.kind} {c.confidence}] {c.explanation[:200]}")
    return "\n".join(lines)


def print_report(score: StanceScore, details, elapsed: float, samples: dict) -> None:
    print(f"FNC-1 pairs: {score.pairs}   ({score.pairs / elapsed:.1f} pairs/s, {elapsed:.0f} s)")
    print(f"disagree  precision {score.precision:.3f}  recall {score.recall:.3f}  F1 {score.f1:.3f}")
    print(f"false alarms on agree: {score.agree_false_alarm_rate:.1%}")
    print("\nstance     flagged  not flagged")
    for stance in ("disagree", "agree", "discuss"):
        flagged, not_flagged = score.per_stance.get(stance, [0, 0])
        print(f"{stance:<10} {flagged:>7}  {not_flagged:>11}")
    misses = [(row, b, h) for row, b, h in details if row["stance"] == "disagree" and not h]
    alarms = [(row, b, h) for row, b, h in details if row["stance"] == "agree" and h]
    alarms.sort(key=lambda d: -max(c.confidence for c in d[2]))
    print("\nTen misses (disagree, not flagged):")
    for row, briefing, _ in misses[:10]:
        refuting = [c.text[:120] for c in briefing.claims if c.refutes and c.article_id == "body"][:2]
        print(f"  - {row['headline'][:110]}")
        for text in refuting:
            print(f"      refuting claim not aligned: {text}")
    print("\nTen worst false alarms (agree, flagged):")
    for row, briefing, hits in alarms[:10]:
        print(f"  - {row['headline'][:110]}")
        print(_claims_text(briefing, hits))
    print("\nSample sets:")
    for name, s in samples.items():
        print(f"  {name}: planted contradictions found {s['found']}/{s['planted']}, "
              f"planted agreements wrongly flagged {s['false_alarms']}/{s['traps']}")
        for m in s["missed"]:
            print(f"      missed {m}")
        for f in s["flagged"]:
            print(f"      flagged {f}")


def check(figures: dict, baseline: dict) -> list[str]:
    failures = []
    for key, floor in baseline.get("fnc1_floor", {}).items():
        if figures["fnc1"].get(key, 0) < floor:
            failures.append(f"FNC-1 {key} {figures['fnc1'][key]:.3f} is below the pinned floor {floor}")
    for key, ceiling in baseline.get("fnc1_ceiling", {}).items():
        if figures["fnc1"].get(key, 1) > ceiling:
            failures.append(f"FNC-1 {key} {figures['fnc1'][key]:.3f} is above the pinned ceiling {ceiling}")
    floor = baseline.get("samples_recall_floor", 1.0)
    for name, s in figures["samples"].items():
        if s["recall"] < floor:
            failures.append(f"{name}: planted contradictions found {s['found']}/{s['planted']} (floor {floor})")
        if s["false_alarms"] > baseline.get("samples_false_alarms_max", 0):
            failures.append(f"{name}: {s['false_alarms']} planted agreements flagged")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="evaluate the first N pairs only")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the figures")
    parser.add_argument("--check", action="store_true", help="exit 1 if below the floors in bench/baseline.json")
    args = parser.parse_args(argv)

    if not args.data.exists():
        print(f"evaluation data not found: {args.data} (FNC-1 lives in ../shared/eval); "
              "only the sample sets are evaluated", file=sys.stderr)
        rows = []
    else:
        rows = read_rows(args.data, args.limit)
    score, details, elapsed = evaluate_pairs(rows)
    samples = evaluate_samples()
    figures = {
        "fnc1": {"precision": round(score.precision, 4), "recall": round(score.recall, 4), "f1": round(score.f1, 4),
                 "agree_false_alarm_rate": round(score.agree_false_alarm_rate, 4), "pairs": score.pairs,
                 "pairs_per_second": round(score.pairs / elapsed, 2) if elapsed else 0.0},
        "samples": samples,
    }
    if args.json:
        print(json.dumps({**figures["fnc1"], "samples": {k: {kk: v[kk] for kk in ("found", "planted", "recall",
                                                                               "false_alarms", "traps")}
                                                        for k, v in samples.items()}}))
    else:
        print_report(score, details, elapsed, samples)
    if args.check:
        baseline = json.loads(BASELINE.read_text("utf-8"))
        if rows and args.limit is None and len(rows) != baseline.get("pairs", len(rows)):
            print(f"note: {len(rows)} pairs, the baseline was pinned on {baseline['pairs']}", file=sys.stderr)
        if not rows:
            baseline = {k: v for k, v in baseline.items() if not k.startswith("fnc1")}
        failures = check(figures, baseline)
        for failure in failures:
            print(f"QUALITY GATE FAILED: {failure}", file=sys.stderr)
        if failures:
            return 1
        print("quality gate passed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
