"""Learn the story-level dispute model (src/claimdiff/stance_model.json) from stance-labelled pairs.

    python bench/train_stance.py                 # FNC-1 dev from ../shared/eval; writes the model
    python bench/train_stance.py --dry-run       # cross-validated figures only
    python bench/train_stance.py --split headline  # pick the threshold on a looser split

Each pair runs through the pipeline with the story-level check off; where the body has a loose
refutation link to the headline's claim, stance.features() describes the pair, and the label is
whether the body disagrees. A logistic regression (numpy, L2) is fitted; its threshold is the one with
the best cross-validated disagree F1 among those keeping false alarms on `agree` at or under 10%, the folds
split by story by default: headlines and bodies linked through any pair stay on one side, because bodies
recur under several headlines and a split by headline would still show the model the bodies it is tested
on. The figures by headline, by body and by story are all printed; the story figure, not the in-sample one
bench/eval.py prints, is the honest estimate of quality on unseen stories.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from claimdiff import Options, analyse_articles  # noqa: E402
from claimdiff.align import score_pairs  # noqa: E402
from claimdiff.contradict import story_links  # noqa: E402
from claimdiff.evaluation import cross_contradictions, pair_articles  # noqa: E402
from claimdiff.nlp import load_pipeline  # noqa: E402
from claimdiff.stance import StanceModel, feature_names, features, story_candidates  # noqa: E402
from eval import DEFAULT_DATA, read_rows  # noqa: E402

MODEL = ROOT / "src" / "claimdiff" / "stance_model.json"
# Under the gate's 10% with a margin: a reader forgives a missed dispute more easily than a false one,
# and at 9.5% the chosen threshold flagged story-level disputes on real news (ECB+) that were not there.
MAX_AGREE_FALSE_ALARMS = 0.08
SPLITS = ("headline", "body", "story")


def describe(rows: list[dict]) -> tuple[np.ndarray, list[int], np.ndarray]:
    """A feature row for each (headline claim, body) link the pipeline weighs, the pair each row belongs
    to, and which pairs the typed rules flag on their own."""
    nlp = load_pipeline()
    options = Options(story_disputes=False)
    cache: dict = {}
    xs, owner, by_rules = [], [], np.zeros(len(rows), dtype=bool)
    for n, row in enumerate(rows):
        briefing = analyse_articles(pair_articles(row["headline"], row["body"]), options, nlp=nlp, cache=cache)
        by_rules[n] = bool(cross_contradictions(briefing))
        links = story_links(briefing.claims, score_pairs(briefing.claims, options))
        for target, refuter, sentences in story_candidates(briefing.claims, links):
            if target.article_id == "headline" and refuter.article_id == "body":
                xs.append(features(target.text, sentences))
                owner.append(n)
        if (n + 1) % 500 == 0:
            print(f"  {n + 1} pairs read", file=sys.stderr)
    return np.array(xs, dtype=float), owner, by_rules


def flags_at(threshold: float, p: np.ndarray, owner: list[int], by_rules: np.ndarray) -> np.ndarray:
    """A pair is flagged when the rules flag it or any of its links scores at least the threshold."""
    flag = by_rules.copy()
    for n, value in zip(owner, p, strict=True):
        if value >= threshold:
            flag[n] = True
    return flag


def fit(x: np.ndarray, y: np.ndarray, l2: float = 5.0, steps: int = 4000, rate: float = 0.1):
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / scale
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        w -= rate * (z.T @ (p - y) / len(y) + l2 * w / len(y))
        b -= rate * float((p - y).mean())
    return mean, scale, w, b


def predict(model, x: np.ndarray) -> np.ndarray:
    mean, scale, w, b = model
    return 1 / (1 + np.exp(-(((x - mean) / scale) @ w + b)))


def fold_of(rows: list[dict], split: str, folds: int = 5) -> list[int]:
    """Each pair's fold when pairs are split by headline, by body, or by story: the connected groups of
    headlines and bodies, so that no headline and no body is on both sides."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    if split == "headline":
        keys = [row["headline"] for row in rows]
    elif split == "body":
        keys = [f"b{row['body_id']}" for row in rows]
    else:
        for row in rows:
            a, b = find(row["headline"]), find(f"b{row['body_id']}")
            if a != b:
                parent[max(a, b)] = min(a, b)
        keys = [find(row["headline"]) for row in rows]
    names = sorted(set(keys))
    random.Random(0).shuffle(names)
    number = {name: i % folds for i, name in enumerate(names)}
    return [number[k] for k in keys]


def cross_validate(x: np.ndarray, y: np.ndarray, folds: list[int]) -> np.ndarray:
    """Each row's probability from a model fitted without its fold."""
    folds_array = np.array(folds)
    held_out = np.zeros(len(y))
    for k in sorted(set(folds)):
        train = folds_array != k
        held_out[~train] = predict(fit(x[train], y[train]), x[~train])
    return held_out


def figures(flag: np.ndarray, stances: list[str]) -> dict:
    positive = np.array([s == "disagree" for s in stances])
    agree = np.array([s == "agree" for s in stances])
    tp, fp = int((flag & positive).sum()), int((flag & ~positive).sum())
    fn = int((~flag & positive).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "agree_false_alarm_rate": round(float((flag & agree).sum() / max(1, agree.sum())), 3)}


def story_split_figures(rows: list[dict], threshold: float) -> dict:
    """The honest FNC-1 figure: the stance model cross-validated by story (no headline or body on both
    sides of a fold), flagging at `threshold`, with the typed rules' own flags."""
    stances = [r["stance"] for r in rows]
    x, owner, by_rules = describe(rows)
    y = np.array([stances[n] == "disagree" for n in owner], dtype=float)
    held_out = cross_validate(x, y, [fold_of(rows, "story")[n] for n in owner])
    return figures(flags_at(threshold, held_out, owner, by_rules), stances)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--dry-run", action="store_true", help="print cross-validated figures, write nothing")
    parser.add_argument("--split", choices=SPLITS, default="story",
                        help="the cross-validation split whose F1 picks the threshold (default: story)")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no evaluation data at {args.data}", file=sys.stderr)
        return 2
    rows = read_rows(args.data, None)
    stances = [r["stance"] for r in rows]
    x, owner, by_rules = describe(rows)
    y = np.array([stances[n] == "disagree" for n in owner], dtype=float)
    # Headlines share bodies, so a headline split still shows the model articles it learned from; the
    # body and story splits (headlines and bodies linked through any pair stay together) do not.
    held_out = {split: cross_validate(x, y, [fold_of(rows, split)[n] for n in owner]) for split in SPLITS}
    model_fit = fit(x, y)
    in_sample = predict(model_fit, x)
    best = None
    for threshold in np.arange(0.05, 0.9, 0.01):
        cv = figures(flags_at(threshold, held_out[args.split], owner, by_rules), stances)
        fitted = figures(flags_at(threshold, in_sample, owner, by_rules), stances)
        # Both the held-out and the in-sample false alarms on `agree` must stay in bounds: the CI gate
        # measures the shipped model on this same file.
        allowed = max(cv["agree_false_alarm_rate"], fitted["agree_false_alarm_rate"]) <= MAX_AGREE_FALSE_ALARMS
        if allowed and (best is None or cv["f1"] > best[1]["f1"]):
            best = (round(float(threshold), 2), cv, fitted)
    print(f"pairs {len(rows)}; story links weighed {len(owner)} in {len(set(owner))} pairs")
    print(f"rules alone: {figures(by_rules, stances)}")
    print(f"threshold {best[0]} (chosen on the {args.split} split):")
    for split in SPLITS:
        flagged = flags_at(best[0], held_out[split], owner, by_rules)
        print(f"  cross-validated by {split:8s} {figures(flagged, stances)}")
    print(f"  in-sample                {best[2]}")
    if args.dry_run:
        return 0
    mean, scale, w, b = model_fit
    model = StanceModel(tuple(feature_names()), tuple(map(float, mean)), tuple(map(float, scale)),
                        tuple(map(float, w)), float(b), best[0])
    about = ("Learned by bench/train_stance.py from FNC-1 dev stance pairs (../shared/eval); "
             f"cross-validated disagree figures ({args.split} split): {best[1]}; in-sample: {best[2]}")
    payload = {"_about": about, **model.to_json()}
    MODEL.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MODEL.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
