"""Scoring a briefing against planted expectations (samples/*/expected.json) and against stance-labelled
pairs (FNC-1). Used by the tests and by bench/eval.py, so both measure the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Article, Briefing, Claim, Contradiction


def claim_matches(claim: Claim, side: dict) -> bool:
    return claim.article_id == side["article"] and side["text"].lower() in claim.text.lower()


def linking(briefing: Briefing, a: dict, b: dict, kind: str | None = None) -> list[Contradiction]:
    """Contradictions that join a claim matching side a with one matching side b (either order)."""
    found = []
    for c in briefing.contradictions:
        if kind and c.kind != kind:
            continue
        x, y = (briefing.claim(cid) for cid in c.claim_ids)
        if (claim_matches(x, a) and claim_matches(y, b)) or (claim_matches(x, b) and claim_matches(y, a)):
            found.append(c)
    return found


@dataclass
class SampleScore:
    planted: int = 0
    found: int = 0
    traps: int = 0
    false_alarms: int = 0
    missed: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0


def score_sample(briefing: Briefing, spec: dict) -> SampleScore:
    score = SampleScore()
    for item in spec.get("contradictions", []):
        score.planted += 1
        if linking(briefing, item["a"], item["b"], item["kind"]):
            score.found += 1
        else:
            score.missed.append(f"{item['kind']}: {item.get('why', '')}")
    for item in spec.get("agreements", []):
        score.traps += 1
        hits = linking(briefing, item["a"], item["b"])
        if hits:
            score.false_alarms += 1
            score.flagged.append(f"{item.get('why', '')}: {hits[0].explanation}")
    return score


# ---------------------------------------------------------------- stance pairs (FNC-1)

HEADLINE_SOURCE = "headline"
BODY_SOURCE = "article"


def pair_articles(headline: str, body: str) -> list[Article]:
    return [
        Article(id="headline", source=HEADLINE_SOURCE, text=headline.strip(), title=""),
        Article(id="body", source=BODY_SOURCE, text=body.strip()),
    ]


def cross_contradictions(briefing: Briefing) -> list[Contradiction]:
    """Contradictions that link a headline claim to a body claim."""
    out = []
    for c in briefing.contradictions:
        articles = {briefing.claim(cid).article_id for cid in c.claim_ids}
        if articles == {"headline", "body"}:
            out.append(c)
    return out


@dataclass
class StanceScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    per_stance: dict[str, list[int]] = field(default_factory=dict)  # stance -> [flagged, not flagged]

    def add(self, stance: str, flagged: bool) -> None:
        positive = stance == "disagree"
        if positive and flagged:
            self.tp += 1
        elif positive:
            self.fn += 1
        elif flagged:
            self.fp += 1
        else:
            self.tn += 1
        row = self.per_stance.setdefault(stance, [0, 0])
        row[0 if flagged else 1] += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def agree_false_alarm_rate(self) -> float:
        flagged, not_flagged = self.per_stance.get("agree", [0, 0])
        return flagged / (flagged + not_flagged) if flagged + not_flagged else 0.0

    @property
    def pairs(self) -> int:
        return self.tp + self.fp + self.fn + self.tn
