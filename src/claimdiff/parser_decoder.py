"""spaCy's dependency parser, stepped from Python: the same parses, without its per-unit lock traffic.

spaCy's greedy parser runs its decoding loop with Python's lock released, and for each of the 64 hidden
units of each state at each step its maxout calls a helper (thinc's `Vec.arg_max`) that takes the lock
back and releases it again. That lock traffic, not arithmetic, was over half of the parser's time (seen
with `perf`).

Here the steps are driven from Python, with the lock held throughout, and each step scores the states of
all the minibatches at hand in a few array operations. Everything that decides the parse is spaCy's own:
- the layers are the model's own, run on the same minibatches spaCy runs them on (its `pipe` sorts each
  batch by length and parses it in quarters), so the feature tables are spaCy's to the bit;
- the state features (which tokens a state looks at) come from spaCy's own states, and the moves are
  applied by spaCy's own transition code (`transition_states`), which also checks their validity;
- the hidden layer is summed in spaCy's order in float32, so it is spaCy's to the bit. Only the last
  matrix product (64 terms a score) runs in numpy's BLAS rather than spaCy's, which may round the last
  bit differently. So the chosen move must beat every other valid move by more than both scores'
  rounding bounds (gamma_n * sum|h||w|, as in entity_decoder); where one does not, the minibatch is
  parsed again by spaCy itself.
Validity is not computed here: in spaCy's arc-eager system a move is valid or not by its kind alone
(shift, reduce, left arc, right arc, break), whatever its label. So a step is safe when the best move of
each kind leads the rest of its kind, and the bests of the kinds are far apart; only a state where that
fails asks spaCy which kinds are valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import SimpleNamespace

import numpy as np

_UNIT_ROUNDOFF = 2.0**-24  # float32
_KINDS = "SDLRB"  # shift, reduce, left arc, right arc, break: spaCy's class names start with these


class ParserDecoder:
    """Stands in for a spaCy `DependencyParser` in a pipeline: `pipe` and `__call__` annotate docs exactly
    as the parser would. Minibatches are decoded together up to `max_tokens` tokens (the feature table
    costs 4 KB a token). Fewer than `min_documents` documents are left to spaCy: a step's array
    operations cost about as much as spaCy's step for ten states, so two documents parsed here took
    2.4 times as long as spaCy's, eight about as long, and twelve or more three quarters as long."""

    def __init__(self, parser, max_tokens: int = 24_000, min_documents: int = 8) -> None:
        self.parser = parser
        self.model = parser.model  # what code walking the pipeline's models (nlp._speed_up) looks for
        self.max_tokens = max_tokens
        self.min_documents = min_documents
        self.fallbacks = 0  # minibatches left or handed back to spaCy (for tests and curiosity)
        self.asked = 0  # states whose valid moves were asked of spaCy
        self.tok2vec, self.lower, self.upper = parser.model.layers
        self.weights = self.upper.get_param("W")  # (classes, hidden)
        self.score_bias = self.upper.get_param("b")
        self.abs_weights = np.abs(self.weights)
        self.abs_score_bias = np.abs(self.score_bias)
        self.largest_weights = self.abs_weights.max(axis=0)  # (hidden,)
        self.largest_bias = self.abs_score_bias.max()
        self.hidden_bias = self.lower.get_param("b")  # (hidden, pieces)
        n_terms = self.weights.shape[1] + 1
        self.gamma = n_terms * _UNIT_ROUNDOFF / (1 - n_terms * _UNIT_ROUNDOFF)
        names = [parser.moves.get_class_name(i) for i in range(parser.moves.n_moves)]
        kinds = [_KINDS.index(name[0]) for name in names]
        # Classes come grouped by kind: where each kind starts, one class name of each, and each class's.
        starts = [i for i in range(len(kinds)) if i == 0 or kinds[i] != kinds[i - 1]]
        self.starts = np.array(starts)
        self.kind_names = [names[i] for i in starts]
        self.kind_of = np.searchsorted(self.starts, np.arange(len(kinds)), side="right") - 1
        # spaCy's ParserStepModel.get_token_ids reads nothing of its model but the number of features.
        self._features = SimpleNamespace(state2vec=SimpleNamespace(nF=self.lower.get_dim("nF")))

    @staticmethod
    def supports(parser) -> bool:
        """The model shape this decoder reproduces: spaCy's greedy arc-eager parser with maxout hidden
        units, an output layer, every class seen in training, classes grouped by kind, no subtokens."""
        try:
            model = parser.model
            lower = model.layers[1]
            names = [parser.moves.get_class_name(i) for i in range(parser.moves.n_moves)]
            kinds = [_KINDS.index(name[0]) for name in names]
            return (
                parser.cfg.get("beam_width", 1) == 1
                and type(parser.moves).__name__ == "ArcEager"
                and len(model.layers) == 3
                and model.attrs.get("has_upper", False)
                and not model.attrs.get("unseen_classes")
                and lower.get_dim("nP") >= 2
                and kinds == sorted(kinds)
                and not any(name.endswith("-subtok") for name in names)
            )
        except (AttributeError, IndexError, KeyError, ValueError):
            return False

    # ------------------------------------------------------------------ the pipeline interface

    def __call__(self, doc):
        return self.parser(doc)

    def pipe(self, stream: Iterable, batch_size: int = 256) -> Iterator:
        from spacy.util import minibatch

        batches: list[list] = []
        tokens = 0
        for batch in minibatch(stream, size=batch_size):
            batches.append(list(batch))
            tokens += sum(len(doc) for doc in batches[-1])
            if tokens >= self.max_tokens:
                yield from self._annotate(batches, batch_size)
                batches, tokens = [], 0
        if batches:
            yield from self._annotate(batches, batch_size)

    def _annotate(self, batches: list[list], batch_size: int) -> Iterator:
        # spaCy's own minibatches: each batch sorted by length, parsed a quarter at a time.
        size = max(batch_size // 4, 2)
        units = []
        for batch in batches:
            by_length = sorted(batch, key=len)
            units += [by_length[i:i + size] for i in range(0, len(by_length), size)]
        if sum(1 for unit in units for doc in unit if len(doc)) < self.min_documents:
            parsed = [None] * len(units)
        else:
            parsed = self.decode(units)
        for unit, states in zip(units, parsed, strict=True):
            if states is None:
                self.fallbacks += 1
                states = self.parser.predict(unit)
            self.parser.set_annotations(unit, states)
        for batch in batches:
            yield from batch

    # ------------------------------------------------------------------ decoding

    def decode(self, units: list[list]) -> list[list | None]:
        """The final parser states of each minibatch, or None for one to be parsed by spaCy (a move too
        close to call against spaCy's rounding, or labels the model did not have)."""
        parser = self.parser
        if any(parser._ensure_labels_are_added(unit) for unit in units):
            return [None] * len(units)  # the model grew classes: spaCy's own code copes
        n_features = self.lower.get_dim("nF")
        tokens = sum(len(doc) for unit in units for doc in unit)
        if not tokens:
            return [parser.moves.init_batch(unit) for unit in units]
        # One table for all minibatches, one row per (token, feature), so that a step's features are
        # one gather: row block 0 is the padding, then each minibatch's tokens.
        width = self.lower.get_dim("nO") * self.lower.get_dim("nP")
        features = np.empty(((tokens + 1) * n_features, width), dtype=np.float32)
        features[:n_features] = self.lower.get_param("pad").reshape(n_features, width)  # the table's row 0
        results: list[list | None] = []
        states, owner, first_rows = [], [], []
        at = n_features
        for u, unit in enumerate(units):
            results.append(parser.moves.init_batch(unit))
            size = sum(len(doc) for doc in unit) * n_features
            if size:
                # ParserStepModel's own two calls: the listener's vectors, then every token's features.
                table = self.lower.predict(self.tok2vec.predict(unit))
                features[at:at + size] = table[1:].reshape(size, width)
            for state in results[-1]:
                if not state.is_final():
                    states.append(state)
                    owner.append(u)
                    first_rows.append(at)
            at += size
        owners = np.array(owner, dtype=np.int64)
        offsets = np.array(first_rows, dtype=np.int64)[:, None]
        columns = np.arange(n_features)
        hidden_bias = self.hidden_bias.ravel()
        pieces = self.hidden_bias.shape[1]
        while states:
            ids = _token_ids(self._features, states)
            rows = np.where(ids >= 0, ids * n_features + offsets, 0) + columns
            # spaCy: zeroed, then each feature added in turn (saxpy with 1.0), then the bias. A reduction
            # over an outer axis adds whole rows in order, which is that sum to the bit (tested).
            summed = np.add.reduce(features[rows], axis=1)
            summed += hidden_bias
            summed = summed.reshape(len(states), -1, pieces)
            hidden = summed[:, :, 0]
            for piece in range(1, pieces):
                hidden = np.maximum(hidden, summed[:, :, piece])
            scores = hidden @ self.weights.T
            scores += self.score_bias
            unsure = self._unsure(states, hidden, scores)
            if unsure:
                for u in {int(owners[i]) for i in unsure}:
                    results[u] = None
                keep = np.array([results[u] is not None for u in owners.tolist()])
                states = [s for s, k in zip(states, keep.tolist(), strict=True) if k]
                owners, scores, offsets = owners[keep], scores[keep], offsets[keep]
                if not states:
                    break
            going = parser.transition_states(states, np.ascontiguousarray(scores))  # the unfinished ones
            if len(going) < len(states):
                alive = set(map(id, going))
                keep = np.array([id(s) in alive for s in states])
                states, owners, offsets = going, owners[keep], offsets[keep]
        return results

    def _unsure(self, states: list, hidden: np.ndarray, scores: np.ndarray) -> list[int]:
        """States whose chosen move may not be the one spaCy's own scores would choose."""
        # First a cheap sieve with one bound a state (sum|h||w| of any class is at most |h| times each
        # unit's largest |w|): a state is suspect when a kind's best is within twice the bound of another
        # move of its kind, or of another kind's best. Whatever the valid kinds, spaCy's choice is
        # then ours.
        close = 8 * self.gamma * (np.abs(hidden) @ self.largest_weights + self.largest_bias)
        bests = np.maximum.reduceat(scores, self.starts, axis=1)  # (states, kinds)
        near = scores >= (bests - close[:, None])[:, self.kind_of]
        suspect = (np.add.reduceat(near, self.starts, axis=1) >= 2).any(axis=1)
        ranked = np.sort(bests, axis=1)
        suspect |= (np.diff(ranked, axis=1) <= close[:, None]).any(axis=1)
        unsure = []
        for i in np.flatnonzero(suspect).tolist():
            self.asked += 1
            valid_kinds = np.array([self.parser.moves.is_valid(states[i], name) for name in self.kind_names])
            valid = valid_kinds[self.kind_of]
            if not valid.any():
                continue  # spaCy ends such a state; whatever the scores, so does transition_states
            # Ours and spaCy's score can each be off the exact one by its bound (gamma_n * sum|h||w|,
            # padded four times as in entity_decoder): the best valid move must lead every other valid
            # one by both their bounds.
            bounds = 4 * self.gamma * (np.abs(hidden[i]) @ self.abs_weights.T + self.abs_score_bias)
            masked = np.where(valid, scores[i], -np.inf)
            best = int(masked.argmax())
            margin = masked[best] - masked - bounds[best] - bounds
            margin[best] = np.inf
            if (margin <= 0).any():
                unsure.append(i)
        return unsure


def _token_ids(model, states: list) -> np.ndarray:
    from spacy.ml.parser_model import ParserStepModel

    return ParserStepModel.get_token_ids(model, states)
