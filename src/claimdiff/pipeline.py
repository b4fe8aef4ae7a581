"""The stages in order: ingest -> claims -> align -> contradict -> briefing."""

from __future__ import annotations

import os
from collections.abc import Iterable, MutableMapping, Sequence

from .align import group_claims, score_pairs
from .briefing import build_briefing
from .claims import extract_claims
from .contradict import find_contradictions
from .ingest import read_articles
from .model import Article, Briefing, Options, Problem
from .nlp import load_pipeline


def analyse(paths: Iterable[str | os.PathLike], options: Options | None = None) -> Briefing:
    """Read the files at `paths` and compare them. Raises ClaimdiffError for anything the user must fix."""
    options = options or Options()
    ingested = read_articles(paths, options)
    return analyse_articles(ingested.articles, options, ingested.skipped, ingested.warnings)


def analyse_articles(
    articles: Sequence[Article],
    options: Options | None = None,
    skipped: Sequence[Problem] = (),
    warnings: Sequence[Problem] = (),
    nlp=None,
    cache: MutableMapping | None = None,
) -> Briefing:
    """The analysis alone, on articles already in memory: no I/O. `cache` (any mapping) keeps each
    article's claims so that an article seen before is not parsed again."""
    options = options or Options()
    claims = extract_claims(articles, nlp or load_pipeline(), options, cache=cache)
    pairs = score_pairs(claims, options)
    groups = group_claims(claims, pairs, options.group_threshold)
    contradictions = find_contradictions(claims, groups, pairs, options)
    return build_briefing(articles, claims, groups, contradictions, options, skipped, warnings, pairs)
