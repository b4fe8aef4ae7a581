"""spaCy's entity recognizer, decoded in numpy: the same entities, in a fraction of the time.

spaCy's greedy NER asks each of its 74 moves whether it is valid, one compiled call per move per token,
and each call takes and releases Python's lock: that bookkeeping, not arithmetic, is most of what the
recognizer costs (seen with `perf`). The rules behind those calls are few (an entity is open or not; a
move's label matches the open entity's; a token is whitespace; the next token starts a sentence), so
they fit in a table, and every document of a batch can take its next step in a handful of array
operations.

The result is the recognizer's own, not an approximation:
- the layers are the model's own, run on the same minibatches as spaCy runs them, and the scores of a
  state are summed in spaCy's order, in float32, up to the last matrix product;
- that product (64 terms a score) runs in numpy's BLAS rather than spaCy's, which may round the last
  bit differently. Each chosen move must beat every other valid move by more than the two scores'
  rounding bounds (gamma_n * sum|h||w|, Higham's bound for a dot product in any order); where one does
  not, the minibatch is decoded again by spaCy itself. On news text that is rare (tested);
- a document that already carries entities (spaCy's preset-entity rules) goes to spaCy too, and so
  does a lone document, which spaCy decodes faster (a whole step's array operations for one state).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

BEGIN, IN, LAST, UNIT, OUT = range(5)
_UNIT_ROUNDOFF = 2.0**-24  # float32


class EntityDecoder:
    """Stands in for a spaCy `EntityRecognizer` in a pipeline: `pipe` and `__call__` annotate docs
    exactly as the recognizer would. `decode_together` minibatches share each decoding step."""

    def __init__(self, ner, decode_together: int = 8) -> None:
        self.ner = ner
        self.model = ner.model  # what code walking the pipeline's models (nlp._speed_up) looks for
        self.decode_together = decode_together
        self.fallbacks = 0  # minibatches handed back to spaCy (for tests and curiosity)
        self.tok2vec, self.lower, self.upper = ner.model.layers
        self.weights = self.upper.get_param("W")  # (classes, hidden)
        self.abs_weights = np.abs(self.weights)
        self.score_bias = self.upper.get_param("b")
        self.hidden_bias = self.lower.get_param("b")  # (hidden, pieces)
        n_terms = self.weights.shape[1] + 1  # the products and the bias
        self.gamma = n_terms * _UNIT_ROUNDOFF / (1 - n_terms * _UNIT_ROUNDOFF)
        self.moves, self.labels = self._classes(ner)
        kinds = sorted(set(self.labels[self.labels != 0].tolist()))
        # Each class's label as an index into `kinds` (-1: none), which numbers the open-entity states.
        self.label_kind = np.array([kinds.index(x) if x else -1 for x in self.labels.tolist()])
        self._valid = self._validity_table(kinds)

    @staticmethod
    def supports(ner) -> bool:
        """The model shape this decoder reproduces: spaCy's greedy BILUO recognizer with three state
        features, maxout hidden units, an output layer and every class seen in training."""
        try:
            model = ner.model
            lower = model.layers[1]
            return (
                ner.cfg.get("beam_width", 1) == 1
                and len(model.layers) == 3
                and model.attrs.get("has_upper", False)
                and not model.attrs.get("unseen_classes")
                and lower.get_dim("nF") == 3
                and lower.get_dim("nP") >= 2
                and type(ner.moves).__name__ == "BiluoPushDown"
            )
        except (AttributeError, IndexError, KeyError, ValueError):
            return False

    @staticmethod
    def _classes(ner) -> tuple[np.ndarray, np.ndarray]:
        moves, labels = [], []
        strings = ner.vocab.strings
        for i in range(ner.moves.n_moves):
            name = ner.moves.get_class_name(i)  # "B-ORG", "U-" (label 0: never valid), "O"
            if name == "O":
                moves.append(OUT)
                labels.append(0)
            else:
                move, _, label = name.partition("-")
                moves.append("BILU".index(move))
                labels.append(strings[label] if label else 0)
        return np.array(moves), np.array(labels, dtype=np.uint64)

    def _validity_table(self, kinds: list[int]) -> np.ndarray:
        """Which classes are valid, for each kind of state (computed as `kind` in decode): spaCy's
        `is_valid` rules for Begin, In, Last, Unit and Out when no entity is preset.

        Rows 0-7, no entity open, by bits: 1 at least two tokens left, 2 the next token starts a
        sentence, 4 this token is whitespace. Rows 8 + 4*k + bits, entity of label k open, by bits:
        1 two tokens left, 2 next starts a sentence."""
        moves, labels = self.moves, self.labels
        named = labels != 0
        rows = []
        for bits in range(8):
            two, next_starts, space = bool(bits & 1), bool(bits & 2), bool(bits & 4)
            begin = (moves == BEGIN) & named & two & (not next_starts) & (not space)
            unit = (moves == UNIT) & named & (not space)
            rows.append(begin | unit | (moves == OUT))
        for label in kinds:
            same = labels == label
            for bits in range(4):
                two, next_starts = bool(bits & 1), bool(bits & 2)
                inside = (moves == IN) & same & two & (not next_starts)
                rows.append(inside | ((moves == LAST) & same))
        # Added to the scores: invalid classes can never be the best.
        return np.where(np.array(rows), np.float32(0), np.float32(-np.inf))

    # ------------------------------------------------------------------ the pipeline interface

    def __call__(self, doc):
        return next(iter(self.pipe([doc])))

    def pipe(self, stream: Iterable, batch_size: int = 128) -> Iterator:
        minibatches: list[list] = []
        for doc in stream:
            if not minibatches or len(minibatches[-1]) >= batch_size:
                if len(minibatches) >= self.decode_together:
                    yield from self._annotate(minibatches)
                    minibatches = []
                minibatches.append([])
            minibatches[-1].append(doc)
        if minibatches:
            yield from self._annotate(minibatches)

    def _annotate(self, minibatches: list[list]) -> Iterator:
        # A lone document is spaCy's: one state a step does not pay for the array operations.
        lone = sum(1 for batch in minibatches for doc in batch if len(doc)) < 2
        plain = [i for i, batch in enumerate(minibatches) if not lone and not self._has_preset_entities(batch)]
        entities, unsure = self.decode([minibatches[i] for i in plain])
        decoded = {i: entities[j] for j, i in enumerate(plain) if j not in unsure}
        for i, batch in enumerate(minibatches):
            if i in decoded:
                for doc, found in zip(batch, decoded[i], strict=True):
                    self._set_entities(doc, found)
            else:
                self.fallbacks += 1
                self.ner.set_annotations(batch, self.ner.predict(batch))
            yield from batch

    @staticmethod
    def _has_preset_entities(docs: list) -> bool:
        from spacy.attrs import ENT_IOB

        return any(len(doc) and doc.to_array(ENT_IOB).any() for doc in docs)

    @staticmethod
    def _set_entities(doc, found: list[tuple[int, int, int]]) -> None:
        from spacy.tokens import Span

        # Without preset entities spaCy's own set_annotations comes to this: the spans, O elsewhere.
        doc.set_ents([Span(doc, start, end, label=label) for start, end, label in found], default="outside")

    # ------------------------------------------------------------------ decoding

    def decode(self, minibatches: list[list]) -> tuple[list[list[list[tuple[int, int, int]]]], set[int]]:
        """Entities (start, end, label hash) of every doc of every minibatch, and the minibatches
        where a choice was too close to call against spaCy's rounding (to be decoded by spaCy)."""
        from spacy.attrs import IS_SPACE, SENT_START

        docs = [doc for batch in minibatches for doc in batch]
        batch_of = np.repeat(np.arange(len(minibatches)), [len(b) for b in minibatches])
        lengths = np.array([len(doc) for doc in docs], dtype=np.int64)
        # Each minibatch's features exactly as spaCy computes them: row 0 is the padding, then tokens.
        tables = [self.lower.predict(self.tok2vec.predict(batch)) for batch in minibatches
                  if any(len(doc) for doc in batch)]
        padding = tables[0][:1] if tables else None
        features = np.concatenate([padding] + [t[1:] for t in tables]) if tables else None
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])) + 1  # row of each doc's first token
        total = int(lengths.sum())
        flags = np.zeros(total + 1, dtype=np.int64)  # per token: 2 next starts a sentence, 4 whitespace
        if total:
            starts = np.concatenate([doc.to_array(SENT_START).astype(np.int64) for doc in docs if len(doc)])
            spaces = np.concatenate([doc.to_array(IS_SPACE).astype(np.int64) for doc in docs if len(doc)])
            flags[:total] = 4 * (spaces != 0)
            flags[:total - 1] += 2 * (starts[1:] == 1)
        first_token = offsets - 1  # index of each doc's first token in `flags`

        entities: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        unsure_docs: set[int] = set()
        position = np.zeros(len(docs), dtype=np.int64)
        open_label = np.full(len(docs), -1, dtype=np.int64)  # index of the open entity's label, -1 none
        open_start = np.zeros(len(docs), dtype=np.int64)
        active = np.flatnonzero(lengths > 0)
        moves, labels = self.moves, self.labels
        while active.size:
            at = position[active]
            token = first_token[active] + at
            row = offsets[active] + at
            opened = open_label[active]
            is_open = opened >= 0
            entity_row = np.where(is_open, offsets[active] + open_start[active], 0)
            previous_row = np.where(is_open, row - 1, 0)
            # spaCy: zeroed, then each feature added in turn (saxpy with 1.0), then the bias.
            summed = np.zeros((active.size,) + features.shape[2:], dtype=np.float32)
            summed += features[row, 0]
            summed += features[entity_row, 1]
            summed += features[previous_row, 2]
            summed += self.hidden_bias
            hidden = summed.max(axis=-1)
            scores = hidden @ self.weights.T
            scores += self.score_bias
            two_left = (lengths[active] - at >= 2).astype(np.int64)
            token_flags = flags[token] & np.where(two_left == 1, 6, 4)  # no next token: no next flag
            kind = np.where(is_open, 8 + 4 * opened + two_left + (token_flags & 2), two_left + token_flags)
            masked = scores + self._valid[kind]
            best = masked.argmax(axis=1)
            rows = np.arange(active.size)
            # Too close to call? Ours and spaCy's score can each be off the exact one by its bound, so
            # the best must lead every other valid move by twice both bounds (and twice that, as slack
            # for the rounding of the bounds themselves).
            bounds = 4 * self.gamma * (np.abs(hidden) @ self.abs_weights.T + np.abs(self.score_bias))
            margin = masked[rows, best][:, None] - masked - bounds[rows, best][:, None] - bounds
            margin[rows, best] = np.inf
            close = (margin <= 0).any(axis=1)
            if close.any():
                unsure_docs.update(active[close].tolist())
            chosen = moves[best]
            label = labels[best]
            opens = chosen == BEGIN
            if opens.any():
                docs_opening = active[opens]
                open_label[docs_opening] = self.label_kind[best[opens]]
                open_start[docs_opening] = at[opens]
            closes = chosen == LAST
            for k in np.flatnonzero(closes | (chosen == UNIT)).tolist():
                doc = int(active[k])
                start = int(open_start[doc]) if closes[k] else int(at[k])
                entities[doc].append((start, int(at[k]) + 1, int(label[k])))
            if closes.any():
                open_label[active[closes]] = -1
            position[active] += 1
            active = active[position[active] < lengths[active]]
        grouped: list[list[list[tuple[int, int, int]]]] = [[] for _ in minibatches]
        for index, found in enumerate(entities):
            grouped[batch_of[index]].append(found)
        return grouped, {int(batch_of[i]) for i in unsure_docs}
