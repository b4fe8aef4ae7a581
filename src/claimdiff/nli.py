"""An optional natural-language-inference backend: claim pairs in, contradiction probabilities out.

Off by default. Off-the-shelf NLI models call most unrelated-but-specific sentence pairs contradictions,
so claimdiff only ever asks about pairs the aligner already judged to be about the same thing. No model
is downloaded: a user points `--nli-model DIR` at a model directory on disk."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from .errors import ClaimdiffError


class NLIBackend(Protocol):
    name: str

    def contradiction_probabilities(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """For each (premise, hypothesis), the probability that they contradict each other."""
        ...


class TransformersNLI:
    """A sequence-classification NLI model (MNLI-style labels) from a local directory, run with the
    `transformers` package (`pip install claimdiff[nli]`). Nothing is fetched from the network."""

    def __init__(self, model_dir: str | Path, batch_size: int = 16) -> None:
        folder = Path(model_dir)
        if not (folder / "config.json").is_file():
            raise ClaimdiffError(f"{folder}: not a model directory (no config.json)")
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError:
            raise ClaimdiffError("the NLI backend needs transformers and torch: pip install 'claimdiff[nli]'") from None
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
            self.model = AutoModelForSequenceClassification.from_pretrained(folder, local_files_only=True).eval()
        except (OSError, ValueError) as e:
            raise ClaimdiffError(f"{folder}: cannot load the NLI model: {e}") from None
        labels = {v.lower(): k for k, v in self.model.config.id2label.items()}
        if "contradiction" not in labels:
            raise ClaimdiffError(f"{folder}: the model has no 'contradiction' label ({sorted(labels)})")
        self.index = labels["contradiction"]
        self.batch_size = batch_size
        self.name = folder.name
        self._torch = torch

    def contradiction_probabilities(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        out: list[float] = []
        for start in range(0, len(pairs), self.batch_size):
            batch = pairs[start:start + self.batch_size]
            encoded = self.tokenizer([p for p, _ in batch], [h for _, h in batch], truncation=True,
                                     padding=True, return_tensors="pt")
            with self._torch.no_grad():
                probs = self.model(**encoded).logits.softmax(-1)[:, self.index]
            out.extend(float(p) for p in probs)
        return out
