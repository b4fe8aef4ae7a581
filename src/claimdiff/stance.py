"""Story-level disputes: does one article, taken as a whole, dispute another source's claim?

A refutation is often spread over an article rather than put in one sentence that names the claim:
"The photo circulating on Twitter is a fake ... the agency denied it ... no evidence". For a headline or
a claim on its own, each other article with refutation cues is a candidate (contradict.story_links);
whether the article disputes the claim is decided here by a logistic model over counted cues
(refutation, denial, hedging, agreement words, in the article and in the disputed claim) and word
overlap. The weights are learned from stance-labelled news pairs by bench/train_stance.py and ship in
stance_model.json; every flag names the cues it rests on, so the decision stays explainable. No I/O
beyond reading that packaged file.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .model import Claim

CUES: dict[str, str] = {
    "hoax": r"\bhoax\w*",
    "fake": r"\bfake[ds]?\b|\bfaked\b",
    "false": r"\bfalse\w*|\buntrue\b|\bnot true\b|\bno truth\b",
    "debunk": r"\bdebunk\w*",
    "deny": r"\bden(?:y|ied|ies|ying|ial)\b",
    "satire": r"\bsatir\w*|\bprank\w*|\bparody\b|\bjoke\b",
    "fabricated": r"\bfabricat\w*|\bdoctored\b|\bphotoshop\w*|\bbogus\b|\bmade[- ]up\b",
    "no evidence": r"\bno (?:evidence|proof|basis)\b",
    "rumour": r"\brumou?rs?\b",
    "in fact": r"\bturn(?:ed|s) out\b|\bin fact\b|\bactually\b",
    "claim": r"\bclaim(?:s|ed)?\b",
    "hedge": r"\breportedly\b|\ballegedly\b|\bpurportedly\b|\bapparently\b",
    "unconfirmed": r"\bunconfirmed\b|\bnot (?:been )?(?:confirmed|verified)\b|\bcould not (?:be )?(?:confirm|verif)\w*",
    "confirm": r"\bconfirm(?:s|ed)?\b",
    "according to": r"\baccording to\b",
    "refute": r"\brefut\w*|\bdismiss\w*|\breject\w*",
    "wrong": r"\bmisinform\w*|\bmisleading\b|\bwrong\b|\bincorrect\b|\berroneous\w*",
    "negation": r"\bnot\b|n't\b|\bno\b|\bnever\b",
    "question": r"\?",
    "viral": r"\bviral\b|\bcirculat\w*|\bspread\w*",
}
_CUES = {name: re.compile(pattern, re.I) for name, pattern in CUES.items()}
# The cues that can make an article a refutation; an article with none of them is never flagged here.
REFUTING = ("hoax", "fake", "false", "debunk", "deny", "satire", "fabricated", "no evidence", "refute",
            "unconfirmed", "wrong")
_REFUTING = re.compile("|".join(CUES[name] for name in REFUTING), re.I)
_WORD = re.compile(r"[a-z]+")
_STOP = frozenset({"the", "a", "an", "of", "to", "in", "and", "or", "for", "on", "at", "by", "with", "from", "is",
                   "are", "was", "were", "be", "been", "it", "its", "this", "that", "as", "has", "have", "had",
                   "will", "would", "said", "says"})


def may_refute(claim: Claim) -> bool:
    """A sentence that may carry its article's refutation of a story: refutation language found by the
    parse (claim.refutes) or a refutation cue word. Whether it does is decided from the whole article."""
    return claim.refutes or _has_refuting_cue(claim.text)


@lru_cache(maxsize=1 << 16)
def _has_refuting_cue(text: str) -> bool:
    # Asked of every claim by the aligner and again by the story check; the pattern is a long alternation.
    return _REFUTING.search(text) is not None


def refuting_cues(text: str) -> list[str]:
    """The refutation words in a text, as written ("hoax", "denied")."""
    return [m.group(0) for m in _REFUTING.finditer(text)]


def _stems(text: str) -> set[str]:
    return {w[:6] for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def feature_names() -> list[str]:
    names = []
    for cue in CUES:
        names += [f"{cue}: in article", f"{cue}: in its opening", f"{cue}: in the claim"]
    return names + ["claim words in article", "claim words in best sentence", "claim words in best refuting sentence",
                    "article length", "refuted claim x refutation", "refutation", "refutation near the claim",
                    "hedging near the claim", "negation near the claim", "claim negated", "claim hedged"]


def features(claim_text: str, article: Sequence[str]) -> list[float]:
    """What the model sees of one claim and one other article (its sentences, in order)."""
    body = " ".join(article)
    opening = body[: max(400, len(body) // 5)]
    out: list[float] = []
    for rx in _CUES.values():
        out += [math.log1p(len(rx.findall(body))), math.log1p(len(rx.findall(opening))),
                1.0 if rx.search(claim_text) else 0.0]
    claim_stems = _stems(claim_text)
    size = max(1, len(claim_stems))
    shares = [len(claim_stems & _stems(s)) / size for s in article]
    out.append(len(claim_stems & _stems(body)) / size)
    out.append(max(shares, default=0.0))
    out.append(max((share for share, s in zip(shares, article, strict=True) if _REFUTING.search(s)), default=0.0))
    out.append(math.log(max(1, len(body.split()))))
    claim_refutes = 1.0 if _REFUTING.search(claim_text) else 0.0
    refutations = math.log1p(len(_REFUTING.findall(body)))
    out += [claim_refutes * refutations, (1 - claim_refutes) * refutations]
    near = [s for share, s in zip(shares, article, strict=True) if share >= 0.3]
    out.append(math.log1p(sum(len(_REFUTING.findall(s)) for s in near)))
    out.append(math.log1p(sum(len(_CUES["hedge"].findall(s)) + len(_CUES["claim"].findall(s)) for s in near)))
    out.append(math.log1p(sum(len(_CUES["negation"].findall(s)) for s in near)))
    out.append(1.0 if _CUES["negation"].search(claim_text) else 0.0)
    out.append(1.0 if _CUES["hedge"].search(claim_text) or _CUES["claim"].search(claim_text) else 0.0)
    return out


@dataclass(frozen=True)
class StanceModel:
    """A logistic model over standardised features."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, values: Sequence[float]) -> float:
        z = self.bias + math.fsum(w * (v - m) / s for w, v, m, s in
                                  zip(self.weights, values, self.mean, self.scale, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict:
        return {"names": list(self.names), "mean": list(self.mean), "scale": list(self.scale),
                "weights": list(self.weights), "bias": self.bias, "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: dict) -> StanceModel:
        model = cls(tuple(data["names"]), tuple(data["mean"]), tuple(data["scale"]), tuple(data["weights"]),
                    float(data["bias"]), float(data["threshold"]))
        if list(model.names) != feature_names():
            raise ValueError("stance model was trained on other features; retrain with bench/train_stance.py")
        return model


@lru_cache(maxsize=1)
def shipped_model() -> StanceModel | None:
    """The packaged model, or None when it is absent (the story-level check is then off)."""
    try:
        raw = resources.files("claimdiff").joinpath("stance_model.json").read_text("utf-8")
    except FileNotFoundError:
        return None
    return StanceModel.from_json(json.loads(raw))


@dataclass(frozen=True)
class StoryDispute:
    target: Claim  # the claim disputed
    refuter: Claim  # the other article's sentence that disputes it most plainly
    probability: float
    cues: tuple[str, ...]


def story_candidates(claims: Sequence[Claim], links: Sequence[tuple[Claim, Claim]]
                     ) -> list[tuple[Claim, Claim, list[str]]]:
    """(claim, refuting sentence, that article's sentences): one per claim and article, from `links`
    ((claim, refuting claim) pairs, strongest first), the article's best-linked sentence standing for
    it. What the model is asked about, here and in training (bench/train_stance.py)."""
    by_article: dict[str, list[str]] = {}
    for claim in claims:
        by_article.setdefault(claim.article_id, []).append(claim.text)
    best: dict[tuple[str, str], tuple[Claim, Claim]] = {}
    for target, refuter in links:
        best.setdefault((target.id, refuter.article_id), (target, refuter))
    return [(target, refuter, by_article[refuter.article_id]) for target, refuter in best.values()]


def story_disputes(claims: Sequence[Claim], links: Sequence[tuple[Claim, Claim]],
                   model: StanceModel) -> list[StoryDispute]:
    """For each candidate (story_candidates), whether the other article as a whole disputes the claim."""
    out = []
    for target, refuter, sentences in story_candidates(claims, links):
        p = model.probability(features(target.text, sentences))
        if p >= model.threshold:
            cues = tuple(dict.fromkeys(cue.lower() for s in sentences for cue in refuting_cues(s)))
            out.append(StoryDispute(target, refuter, round(p, 2), cues[:5]))
    return out
