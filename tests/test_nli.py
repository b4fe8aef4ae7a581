"""The pluggable NLI backend: asked only about aligned pairs, its verdicts become explained disputes."""

from __future__ import annotations

import pytest

from claimdiff import ClaimdiffError, Options, analyse
from claimdiff.nli import TransformersNLI
from conftest import SAMPLES


class FakeNLI:
    name = "fake"

    def __init__(self, sure_about: str) -> None:
        self.sure_about = sure_about
        self.asked: list[tuple[str, str]] = []

    def contradiction_probabilities(self, pairs):
        self.asked.extend(pairs)
        return [0.97 if self.sure_about in a + b else 0.01 for a, b in pairs]


def test_backend_sees_only_aligned_pairs_and_its_verdicts_are_flagged():
    backend = FakeNLI("partnership")
    plain = analyse([SAMPLES / "iraq-2021"])
    with_nli = analyse([SAMPLES / "iraq-2021"], Options(nli=backend))
    n = len(plain.claims)
    assert 0 < len(backend.asked) < n * (n - 1) / 2 / 4  # candidate pairs only, never all pairs
    extra = [c for c in with_nli.contradictions if "NLI model fake" in c.explanation]
    asked_about = [p for p in backend.asked if "partnership" in p[0] + p[1]]
    assert len(extra) == len(asked_about)
    assert len(with_nli.contradictions) == len(plain.contradictions) + len(extra)


def test_off_by_default():
    assert Options().nli is None


def test_missing_model_directory_is_a_clear_error(tmp_path):
    with pytest.raises(ClaimdiffError, match="not a model directory"):
        TransformersNLI(tmp_path)
