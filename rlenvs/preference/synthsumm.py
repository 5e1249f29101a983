"""SynthSumm: a token-level summarisation world with a known gold reward (Kirk et al., ICLR 2024, TL;DR -> CNN/DM).

Vocabulary (96 tokens): ``<pad> <bos> <eos> SUBREDDIT: ARTICLE: TL;DR:``; 4 connectors (``and also with
then``); 3 fillers (``the is of``); 24 concepts x 3 synonyms (:data:`~rlenvs.preference.textworld.CONCEPTS`);
4 entities, 3 attributes and 4 values for facts (``alice team two``).

Document (a :class:`~rlenvs.preference.textworld.TextTask`: ``alpha``, ``seed``). A topic picks a pool
of 8 concepts; ``n_salient`` of them are salient, each mentioned 2-4 times with random synonyms (its
importance ``w_c`` is its share of the salient mentions); 2-4 distractor concepts (any other concept) are
mentioned once; ``n_facts`` facts ``entity attribute is value`` are stated once; filler words pad the
document to its length; everything is in random order. The prompt is
``<bos> HEADER document TL;DR: <pad>...`` (128 tokens). The shift knob ``alpha`` in [0, 1] moves every
generator setting from the TL;DR-like regime to the CNN/DM-like one:

=================  =========================  =========================  ==========================
setting            alpha = 0 (ID, "TL;DR")    alpha = 1 (OOD, "CNN/DM")  in between
=================  =========================  =========================  ==========================
topic set, header  ID topics, ``SUBREDDIT:``  OOD topics, ``ARTICLE:``   OOD with probability alpha
document length    30-60 tokens               60-120 tokens              30(1+alpha)-60(1+alpha)
salient concepts   3-4                        5-6                        3 + floor(2 alpha + u) + b
facts              1-2                        2-3                        1 + floor(alpha + u) + b
=================  =========================  =========================  ==========================

(``u`` uniform, ``b`` a fair coin.) The 24 concepts form 6 blocks of 4; an ID topic's pool is blocks
``t, t+1`` and an OOD topic's pool blocks ``t, t+3`` (mod 6), so OOD documents pair concepts that never
share an ID document: new combinations of known words.

Gold reward of an output ``y`` (tokens up to the first ``<eos>``, at most 16 tokens with the ``<eos>``)::

    r* = 0.5 ** violations * clip(0.45 cov + 0.2 prec + 0.35 facts - 0.2 |len - L*| / 16 - 0.1 rep, 0, 1)

- ``cov`` = sum of ``w_c`` over the salient concepts mentioned (any synonym);
- ``prec`` = salient concepts mentioned / distinct concepts mentioned (0 if none);
- ``facts`` = (correct facts - wrong facts) / the document's facts, at least -1; a fact is
  ``entity attribute value`` and is wrong if the document does not state that value for that pair;
- ``rep`` = repeated mentions (a concept or a fact key stated again);
- ``L*`` = the length of a full summary, ``min(15, 2 n_salient + 4 n_facts - 1)``, ``len`` the tokens
  before ``<eos>``;
- ``violations`` counts grammar errors: an output is items (a concept token, or a fact's 3 tokens)
  separated by single connectors; each adjacent pair of items, connector at the start, end or next to
  another connector, broken fact, any other token (fillers, specials) and a missing ``<eos>`` is one.
  An output with no item scores 0.

Synonyms and the order of items do not change r* (tested), so different outputs can be equally good: the
diversity that RLHF is found to reduce. The full summary of an ID document scores 1; OOD documents have more
content than 15 tokens hold, so their best score is below 1 (:meth:`SynthSummWorld.oracle` finds it).

Demonstrator (the human; SFT data and win-rate reference): mentions each salient concept with probability
0.85 (at least one), each fact with 0.75 (a wrong value with 0.05), one distractor with 0.1, random synonyms,
connectors and order, truncated to 15 tokens. ``noise`` in [0, 1] raises these error rates (omissions +0.5,
distractor +0.6, wrong values +0.4) and adds a grammar slip (a connector replaced by ``the``) with
probability 0.4 noise. Annotator style (for ``style_bias``): half the share of synonym-0 words plus half the
share of adjacent concepts in ascending concept order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np

from rlenvs.core.task import Task, stable_id
from rlenvs.preference.textworld import (
    CONCEPTS,
    NUM_CONCEPTS,
    NUM_SYNONYMS,
    TextTask,
    TextTaskDistribution,
    TextWorld,
    TextWorldEnv,
    class_embeddings,
    counter_uniforms,
    draw_index,
    random_order,
    standard_splits,
    stream_keys,
)

SPECIALS = ("<pad>", "<bos>", "<eos>", "SUBREDDIT:", "ARTICLE:", "TL;DR:")
PAD, BOS, EOS, SUBREDDIT, ARTICLE, TLDR = range(len(SPECIALS))
CONNECTORS = ("and", "also", "with", "then")
FILLERS = ("the", "is", "of")
ENTITIES = ("alice", "bob", "carol", "dave")
ATTRIBUTES = ("age", "team", "home")
VALUES = ("one", "two", "three", "four")
CONNECTOR0 = len(SPECIALS)
FILLER0 = CONNECTOR0 + len(CONNECTORS)
IS = FILLER0 + FILLERS.index("is")
CONTENT0 = FILLER0 + len(FILLERS)
ENTITY0 = CONTENT0 + NUM_CONCEPTS * NUM_SYNONYMS
ATTRIBUTE0 = ENTITY0 + len(ENTITIES)
VALUE0 = ATTRIBUTE0 + len(ATTRIBUTES)
VOCAB = (SPECIALS + CONNECTORS + FILLERS + tuple(word for synonyms in CONCEPTS for word in synonyms)
         + ENTITIES + ATTRIBUTES + VALUES)
NUM_KEYS = len(ENTITIES) * len(ATTRIBUTES)  # a fact key is entity * 3 + attribute

P_MAX, L_MAX = 128, 16
MAX_DOC, MAX_SALIENT, MAX_COUNT, MAX_DISTRACTORS, MAX_FACTS = 120, 6, 4, 4, 3
NUM_TOPICS = 6
TIE_TAU = 0.02
_NAME = "rlenvs/SynthSumm-v0"

# token kinds for the grammar
OTHER, CONNECTOR, CONTENT, ENTITY, ATTRIBUTE, VALUE = range(6)
TOKEN_KIND = np.full(len(VOCAB), OTHER, dtype=np.int64)
TOKEN_KIND[CONNECTOR0:FILLER0] = CONNECTOR
TOKEN_KIND[CONTENT0:ENTITY0] = CONTENT
TOKEN_KIND[ENTITY0:ATTRIBUTE0] = ENTITY
TOKEN_KIND[ATTRIBUTE0:VALUE0] = ATTRIBUTE
TOKEN_KIND[VALUE0:] = VALUE
TOKEN_CONCEPT = np.full(len(VOCAB), -1, dtype=np.int64)
TOKEN_CONCEPT[CONTENT0:ENTITY0] = np.arange(NUM_CONCEPTS * NUM_SYNONYMS) // NUM_SYNONYMS
TOKEN_SYNONYM = np.full(len(VOCAB), -1, dtype=np.int64)
TOKEN_SYNONYM[CONTENT0:ENTITY0] = np.arange(NUM_CONCEPTS * NUM_SYNONYMS) % NUM_SYNONYMS

# The grammar as a state machine over token kinds (INACTIVE: at or after <eos>, no effect). States: start,
# after an item, after a connector, inside a fact after its entity, and after its attribute.
INACTIVE = 6
_START, _ITEM, _CONN, _ENT, _ATT = range(5)
_NEXT = np.tile(np.arange(5)[:, None], (1, 7))  # stray tokens leave the state unchanged
_NEXT[:, CONNECTOR], _NEXT[:, CONTENT], _NEXT[:, ENTITY] = _CONN, _ITEM, _ENT
_NEXT[_ENT, ATTRIBUTE], _NEXT[_ATT, VALUE] = _ATT, _ITEM
_VIOLATION = np.zeros((5, 7), dtype=np.int64)
_VIOLATION[:, OTHER] = 1
_VIOLATION[[_START, _CONN, _ENT, _ATT], CONNECTOR] = 1  # connector first, doubled or inside a fact
_VIOLATION[[_ITEM, _ENT, _ATT], CONTENT] = 1  # two items without a connector, or a broken fact
_VIOLATION[[_ITEM, _ENT, _ATT], ENTITY] = 1
_VIOLATION[[_START, _ITEM, _CONN, _ATT], ATTRIBUTE] = 1  # an attribute not right after an entity
_VIOLATION[[_START, _ITEM, _CONN, _ENT], VALUE] = 1  # a value not right after an attribute
_GOOD_ATTRIBUTE = (np.arange(5)[:, None] == _ENT) & (np.arange(7)[None, :] == ATTRIBUTE)
_GOOD_VALUE = (np.arange(5)[:, None] == _ATT) & (np.arange(7)[None, :] == VALUE)
_END_VIOLATION = np.isin(np.arange(5), [_CONN, _ENT, _ATT]).astype(np.int64)  # ends on a connector or mid-fact

# blocks of 4 concepts (one of each class); ID pools join neighbouring blocks, OOD pools opposite ones
_BLOCKS = np.arange(NUM_CONCEPTS).reshape(4, NUM_TOPICS).T  # block b = {b, b+6, b+12, b+18}
ID_POOLS = np.concatenate([_BLOCKS, np.roll(_BLOCKS, -1, axis=0)], axis=1)  # (6, 8)
OOD_POOLS = np.concatenate([_BLOCKS, np.roll(_BLOCKS, -3, axis=0)], axis=1)


def _layout(draws: tuple[tuple[str, int], ...]) -> tuple[dict[str, slice], int]:
    out, pos = {}, 0
    for name, size in draws:
        out[name] = slice(pos, pos + size)
        pos += size
    return out, pos


_N_ITEMS = MAX_SALIENT * MAX_COUNT + MAX_DISTRACTORS + MAX_FACTS + MAX_DOC
_DOC, _DOC_DRAWS = _layout((
    ("ood", 1), ("topic", 1), ("n_salient", 2), ("pool_order", 8), ("counts", MAX_SALIENT), ("n_distractors", 1),
    ("distractor_order", NUM_CONCEPTS), ("n_facts", 2), ("key_order", NUM_KEYS), ("values", MAX_FACTS),
    ("length", 1), ("synonyms", MAX_SALIENT * MAX_COUNT + MAX_DISTRACTORS), ("item_order", _N_ITEMS),
    ("fillers", MAX_DOC)))
_DEMO, _DEMO_DRAWS = _layout((
    ("omit", MAX_SALIENT), ("fact_omit", MAX_FACTS), ("wrong", MAX_FACTS), ("wrong_value", MAX_FACTS),
    ("distract", 1), ("order", MAX_SALIENT + MAX_FACTS + 1), ("synonyms", MAX_SALIENT + 1),
    ("connectors", MAX_SALIENT + 1 + MAX_FACTS), ("slip", 2)))


@dataclasses.dataclass(frozen=True)
class SummDocs:
    """A batch of SynthSumm documents and their ground truth (arrays with a leading batch axis)."""

    seed: np.ndarray  # (n,) int64
    alpha: np.ndarray  # (n,)
    prompt: np.ndarray  # (n, P_MAX) tokens
    ood_topic: np.ndarray  # (n,) bool: OOD topic set and ARTICLE header
    salient: np.ndarray  # (n, 6) salient concept ids, -1 past n_salient
    weight: np.ndarray  # (n, 24) importance w_c (0 for non-salient concepts; rows sum to 1)
    distractors: np.ndarray  # (n, 4) distractor concept ids, -1 padded
    fact_keys: np.ndarray  # (n, 3) fact keys (entity * 3 + attribute), -1 padded
    fact_values: np.ndarray  # (n, 3) their values
    doc_length: np.ndarray  # (n,) document tokens between header and TL;DR:
    ideal_length: np.ndarray  # (n,) L*

    def __len__(self) -> int:
        return len(self.seed)

    def take(self, index: np.ndarray) -> SummDocs:
        """The documents at ``index`` (any integer index array)."""
        return SummDocs(**{f.name: getattr(self, f.name)[index] for f in dataclasses.fields(self)})

    @property
    def fact_table(self) -> np.ndarray:
        """``(n, 12)`` the stated value of each fact key, -1 where the document has no such fact."""
        table = np.full((len(self), NUM_KEYS), -1, dtype=np.int64)
        rows, cols = np.nonzero(self.fact_keys >= 0)
        table[rows, self.fact_keys[rows, cols]] = self.fact_values[rows, cols]
        return table

    @property
    def n_salient(self) -> np.ndarray:
        return (self.salient >= 0).sum(axis=1)

    @property
    def n_facts(self) -> np.ndarray:
        return (self.fact_keys >= 0).sum(axis=1)


def compose(item_tokens: np.ndarray, item_length: np.ndarray, connectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Write items in order, a connector between neighbours and ``<eos>`` at the end, within 16 tokens.

    ``item_tokens`` ``(n, I, 3)``, ``item_length`` ``(n, I)`` (0 = left out), ``connectors`` ``(n, I)`` (the
    connector after each item). Items that would end past token 15 are dropped with all later ones.
    Returns the outputs ``(n, 16)`` and the position of each connector written ``(n, I)`` (-1: none).
    """
    n, num_items = item_length.shape
    rows = np.arange(n)[:, None]
    step = np.where(item_length > 0, item_length + 1, 0)
    start = np.cumsum(step, axis=1) - step
    keep = (item_length > 0) & (start + item_length <= L_MAX - 1)
    end = np.where(keep, start + item_length, 0).max(axis=1)
    out = np.full((n, L_MAX), PAD, dtype=np.int64)
    for r in range(item_tokens.shape[2]):
        m = keep & (r < item_length)
        out[np.broadcast_to(rows, m.shape)[m], (start + r)[m]] = item_tokens[:, :, r][m]
    conn_pos = start + item_length
    has_conn = keep & (conn_pos < end[:, None])
    out[np.broadcast_to(rows, has_conn.shape)[has_conn], conn_pos[has_conn]] = connectors[has_conn]
    out[np.arange(n), end] = EOS
    return out, np.where(has_conn, conn_pos, -1)


class SynthSummWorld(TextWorld):
    """The SynthSumm generator, gold reward, demonstrator and annotator style (see the module docstring)."""

    name = _NAME
    vocab = VOCAB
    P_MAX, L_MAX = P_MAX, L_MAX
    PAD, BOS, EOS = PAD, BOS, EOS
    tie_tau = TIE_TAU
    demo_uniforms = _DEMO_DRAWS

    def __init__(self):
        self.task_distribution = SynthSummDistribution()
        embeddings = np.zeros((len(VOCAB), 16))
        embeddings[CONTENT0:ENTITY0] = np.repeat(class_embeddings(_NAME + "/concepts"), NUM_SYNONYMS, axis=0)
        rng = np.random.default_rng(stable_id(_NAME + "/facts"))
        facts = rng.normal(size=(len(VOCAB) - ENTITY0, 16))
        embeddings[ENTITY0:] = facts / np.linalg.norm(facts, axis=1, keepdims=True)
        self.token_embeddings = embeddings

    # --- documents --------------------------------------------------------------------------------
    def documents(self, tasks: Sequence[Task]) -> SummDocs:
        alpha = np.array([t.alpha for t in tasks], dtype=np.float64)
        seed = np.array([t.seed for t in tasks], dtype=np.int64)
        return self.generate(alpha, seed)

    def generate(self, alpha: np.ndarray, seed: np.ndarray) -> SummDocs:
        """The documents of seeds ``seed`` at shift levels ``alpha`` (arrays of the same length)."""
        alpha = np.asarray(alpha, dtype=np.float64)
        seed = np.asarray(seed, dtype=np.int64)
        n = len(seed)
        rows = np.arange(n)
        u = counter_uniforms(stream_keys(_NAME, seed, "document"), _DOC_DRAWS)

        def draw(name):
            return u[:, _DOC[name]]

        ood = draw("ood")[:, 0] < alpha
        topic = draw_index(draw("topic")[:, 0], NUM_TOPICS)
        pools = np.where(ood[:, None], OOD_POOLS[topic], ID_POOLS[topic])
        ns = draw("n_salient")
        n_salient = 3 + np.floor(2.0 * alpha + ns[:, 0]).astype(np.int64) + (ns[:, 1] < 0.5)
        ranks = np.arange(MAX_SALIENT)[None, :]
        is_salient_rank = ranks < n_salient[:, None]
        pool_perm = np.take_along_axis(pools, np.argsort(draw("pool_order"), axis=1), axis=1)
        salient = np.where(is_salient_rank, pool_perm[:, :MAX_SALIENT], -1)
        counts = np.where(is_salient_rank, 2 + draw_index(draw("counts"), 3), 0)
        weight = np.zeros((n, NUM_CONCEPTS))
        np.add.at(weight, (np.repeat(rows, MAX_SALIENT), np.maximum(salient, 0).ravel()),
                  (counts / counts.sum(axis=1, keepdims=True)).ravel())
        n_distractors = 2 + draw_index(draw("n_distractors")[:, 0], 3)
        others = random_order(draw("distractor_order"), weight == 0.0)[:, :MAX_DISTRACTORS]
        distractors = np.where(np.arange(MAX_DISTRACTORS) < n_distractors[:, None], others, -1)
        nf = draw("n_facts")
        n_facts = 1 + np.floor(alpha + nf[:, 0]).astype(np.int64) + (nf[:, 1] < 0.5)
        fact_slot = np.arange(MAX_FACTS)[None, :] < n_facts[:, None]
        fact_keys = np.where(fact_slot, np.argsort(draw("key_order"), axis=1)[:, :MAX_FACTS], -1)
        fact_values = np.where(fact_slot, draw_index(draw("values"), len(VALUES)), -1)
        lo, hi = np.rint(30.0 + 30.0 * alpha).astype(np.int64), np.rint(60.0 + 60.0 * alpha).astype(np.int64)
        unit_tokens = counts.sum(axis=1) + n_distractors + 4 * n_facts
        doc_length = np.maximum(lo + draw_index(draw("length")[:, 0], hi - lo + 1), unit_tokens + 2)

        # the document's items: salient mentions, distractor mentions, facts, fillers; in random order
        synonyms = draw_index(draw("synonyms"), NUM_SYNONYMS)
        mention_concept = np.concatenate([np.repeat(salient, MAX_COUNT, axis=1), distractors], axis=1)
        mention_valid = np.concatenate([
            (np.arange(MAX_COUNT)[None, None, :] < counts[:, :, None]).reshape(n, -1),
            distractors >= 0], axis=1)
        tokens = np.full((n, _N_ITEMS, 4), -1, dtype=np.int64)
        n_mentions = mention_concept.shape[1]
        tokens[:, :n_mentions, 0] = CONTENT0 + NUM_SYNONYMS * mention_concept + synonyms
        facts = slice(n_mentions, n_mentions + MAX_FACTS)
        tokens[:, facts] = np.stack([ENTITY0 + fact_keys // 3, ATTRIBUTE0 + fact_keys % 3,
                                     np.full_like(fact_keys, IS), VALUE0 + fact_values], axis=-1)
        tokens[:, n_mentions + MAX_FACTS:, 0] = CONNECTOR0 + draw_index(draw("fillers"), len(CONNECTORS) + len(FILLERS))
        n_fillers = doc_length - unit_tokens
        valid = np.concatenate([mention_valid, fact_slot, np.arange(MAX_DOC)[None, :] < n_fillers[:, None]], axis=1)
        length = np.where(valid, 1, 0)
        length[:, facts] *= 4
        order = random_order(draw("item_order"), valid)
        length = np.take_along_axis(length, order, axis=1)
        tokens = np.take_along_axis(tokens, order[:, :, None], axis=1)
        start = np.cumsum(length, axis=1) - length
        prompt = np.full((n, P_MAX), PAD, dtype=np.int64)
        prompt[:, 0] = BOS
        prompt[:, 1] = np.where(ood, ARTICLE, SUBREDDIT)
        for r in range(4):
            m = r < length
            prompt[np.broadcast_to(rows[:, None], m.shape)[m], 2 + (start + r)[m]] = tokens[:, :, r][m]
        prompt[rows, 2 + doc_length] = TLDR
        ideal = np.minimum(L_MAX - 1, 2 * n_salient + 4 * n_facts - 1)
        return SummDocs(seed=seed, alpha=alpha, prompt=prompt, ood_topic=ood, salient=salient, weight=weight,
                        distractors=distractors, fact_keys=fact_keys, fact_values=fact_values,
                        doc_length=doc_length, ideal_length=ideal)

    # --- parsing and the gold reward ---------------------------------------------------------------
    def parse(self, outputs: np.ndarray) -> dict[str, np.ndarray]:
        """Read outputs with the grammar: concept mention counts ``(n, 24)``, the first stated value of each
        fact key ``(n, 12)`` (-1: none), fact key counts, grammar ``violations``, ``length`` (tokens before
        ``<eos>``), ``has_eos`` and ``items`` (items read)."""
        out = np.asarray(outputs, dtype=np.int64)
        n, width = out.shape
        rows = np.arange(n)
        end, has_eos = self.output_end(out)
        kind = np.where(np.arange(width)[None, :] < end[:, None], TOKEN_KIND[out], INACTIVE)
        state = np.full(n, _START)
        violations = np.zeros(n, dtype=np.int64)
        entity = np.zeros(n, dtype=np.int64)
        attribute = np.zeros(n, dtype=np.int64)
        fact_key = np.full((n, width), -1, dtype=np.int64)
        for t in range(width):
            k, tok = kind[:, t], out[:, t]
            violations += _VIOLATION[state, k]
            entity = np.where(k == ENTITY, tok - ENTITY0, entity)
            attribute = np.where(_GOOD_ATTRIBUTE[state, k], tok - ATTRIBUTE0, attribute)
            fact_key[:, t] = np.where(_GOOD_VALUE[state, k], entity * len(ATTRIBUTES) + attribute, -1)
            state = _NEXT[state, k]
        violations += _END_VIOLATION[state] + ~has_eos
        is_content = kind == CONTENT
        counts = np.zeros((n, NUM_CONCEPTS), dtype=np.int64)
        np.add.at(counts, (np.broadcast_to(rows[:, None], out.shape)[is_content], TOKEN_CONCEPT[out[is_content]]), 1)
        said = fact_key[:, :, None] == np.arange(NUM_KEYS)  # (n, width, keys)
        fact_count = said.sum(axis=1)
        first = np.take_along_axis(out - VALUE0, said.argmax(axis=1), axis=1)  # value of the first statement
        return {"counts": counts, "fact_value": np.where(fact_count > 0, first, -1), "fact_count": fact_count,
                "violations": violations, "length": end, "has_eos": has_eos,
                "items": is_content.sum(axis=1) + (fact_key >= 0).sum(axis=1)}

    def gold_reward(self, docs: SummDocs, outputs: np.ndarray) -> np.ndarray:
        out = self.check_outputs(outputs, len(docs))
        p = self.parse(out)
        mentioned = p["counts"] > 0
        coverage = (docs.weight * mentioned).sum(axis=1)
        n_mentioned = mentioned.sum(axis=1)
        precision = (mentioned & (docs.weight > 0)).sum(axis=1) / np.maximum(n_mentioned, 1)
        truth = docs.fact_table
        stated = p["fact_count"] > 0
        correct = (stated & (p["fact_value"] == truth) & (truth >= 0)).sum(axis=1)
        wrong = stated.sum(axis=1) - correct
        facts = np.maximum((correct - wrong) / np.maximum(docs.n_facts, 1), -1.0)
        repeats = np.maximum(p["counts"] - 1, 0).sum(axis=1) + np.maximum(p["fact_count"] - 1, 0).sum(axis=1)
        length_dev = np.abs(p["length"] - docs.ideal_length) / L_MAX
        score = 0.45 * coverage + 0.2 * precision + 0.35 * facts - 0.2 * length_dev - 0.1 * repeats
        reward = np.clip(score, 0.0, 1.0) * 0.5 ** p["violations"]
        return np.where(p["items"] > 0, reward, 0.0)

    def fact_values(self, outputs: np.ndarray) -> np.ndarray:
        """``(..., 12)`` the value each output states for each fact key (-1: none); for logical diversity."""
        out = np.asarray(outputs, dtype=np.int64)
        return self.parse(out.reshape(-1, out.shape[-1]))["fact_value"].reshape(*out.shape[:-1], NUM_KEYS)

    # --- demonstrator, oracle, style ----------------------------------------------------------------
    def demonstrate(self, docs: SummDocs, u: np.ndarray, noise: np.ndarray | float = 0.0) -> np.ndarray:
        n = len(docs)
        u = np.asarray(u, dtype=np.float64)
        if u.shape != (n, _DEMO_DRAWS):
            raise ValueError(f"u must have shape ({n}, {_DEMO_DRAWS}), got {u.shape}")
        noise = np.broadcast_to(np.asarray(noise, dtype=np.float64), (n,))[:, None]

        def draw(name):
            return u[:, _DEMO[name]]

        include = (docs.salient >= 0) & (draw("omit") >= 0.15 + 0.5 * noise)
        include[~include.any(axis=1), 0] = True
        include_fact = (docs.fact_keys >= 0) & (draw("fact_omit") >= 0.25 + 0.5 * noise)
        wrong = draw("wrong") < 0.05 + 0.4 * noise
        values = np.where(wrong, (docs.fact_values + 1 + draw_index(draw("wrong_value"), len(VALUES) - 1))
                          % len(VALUES), docs.fact_values)
        include_distractor = draw("distract")[:, :1] < 0.1 + 0.6 * noise
        concepts = np.concatenate([docs.salient, docs.distractors[:, :1]], axis=1)
        synonyms = draw_index(draw("synonyms"), NUM_SYNONYMS)
        items = self._items(concepts, synonyms, docs.fact_keys, values)
        length = np.concatenate([include, include_distractor, 3 * include_fact], axis=1).astype(np.int64)
        order = random_order(draw("order"), length > 0)
        connectors = CONNECTOR0 + draw_index(draw("connectors"), len(CONNECTORS))
        out, conn_pos = compose(np.take_along_axis(items, order[:, :, None], axis=1),
                                np.take_along_axis(length, order, axis=1), connectors)
        n_conn = (conn_pos >= 0).sum(axis=1)
        slip = (draw("slip")[:, 0] < 0.4 * noise[:, 0]) & (n_conn > 0)
        which = draw_index(draw("slip")[:, 1], np.maximum(n_conn, 1))
        pos = np.take_along_axis(np.sort(np.where(conn_pos >= 0, conn_pos, L_MAX), axis=1), which[:, None], axis=1)
        out[np.nonzero(slip)[0], pos[slip, 0]] = FILLER0
        return out

    @staticmethod
    def _items(concepts: np.ndarray, synonyms: np.ndarray, fact_keys: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Item tokens ``(n, C + F, 3)``: concept mentions (first) then facts ``entity attribute value``."""
        n = len(concepts)
        items = np.full((n, concepts.shape[1] + fact_keys.shape[1], 3), PAD, dtype=np.int64)
        items[:, :concepts.shape[1], 0] = CONTENT0 + NUM_SYNONYMS * np.maximum(concepts, 0) + synonyms
        items[:, concepts.shape[1]:] = np.stack([ENTITY0 + np.maximum(fact_keys, 0) // 3,
                                                 ATTRIBUTE0 + np.maximum(fact_keys, 0) % 3,
                                                 VALUE0 + np.maximum(values, 0)], axis=-1)
        return items

    def oracle(self, docs: SummDocs) -> np.ndarray:
        """The best output: for every count of concepts (by importance) and facts, the candidate with canonical
        synonyms; the one of highest gold reward (exact, since r* depends only on which items are said)."""
        n = len(docs)
        by_weight = np.argsort(-docs.weight, axis=1, kind="stable")[:, :MAX_SALIENT]
        counts = [(a, b) for a in range(1, MAX_SALIENT + 1) for b in range(MAX_FACTS + 1)]
        items = self._items(by_weight, np.zeros_like(by_weight), docs.fact_keys, docs.fact_values)
        cand, lengths = [], []
        for a, b in counts:
            length = np.zeros((n, MAX_SALIENT + MAX_FACTS), dtype=np.int64)
            length[:, :a] = (np.arange(a)[None, :] < docs.n_salient[:, None])
            length[:, MAX_SALIENT:MAX_SALIENT + b] = 3 * (docs.fact_keys[:, :b] >= 0)
            cand.append(items)
            lengths.append(length)
        outs, _ = compose(np.concatenate(cand), np.concatenate(lengths),
                          np.full((n * len(counts), MAX_SALIENT + MAX_FACTS), CONNECTOR0, dtype=np.int64))
        gold = self.gold_reward(docs.take(np.tile(np.arange(n), len(counts))), outs).reshape(len(counts), n)
        best = gold.argmax(axis=0)
        return outs.reshape(len(counts), n, L_MAX)[best, np.arange(n)]

    def style_score(self, outputs: np.ndarray) -> np.ndarray:
        out = np.asarray(outputs, dtype=np.int64)
        content = self.content(out)
        concept = np.where(content >= 0, TOKEN_CONCEPT[np.maximum(content, 0)], -1)
        is_content = concept >= 0
        n_content = is_content.sum(axis=1)
        canonical = (is_content & (TOKEN_SYNONYM[np.maximum(content, 0)] == 0)).sum(axis=1) / np.maximum(n_content, 1)
        # ascending order of consecutive concept mentions (1 when there are fewer than two)
        order = np.argsort(~is_content, axis=1, kind="stable")
        seq = np.take_along_axis(concept, order, axis=1)
        pairs = (seq[:, 1:] >= 0) & (seq[:, :-1] >= 0)
        ascending = np.where(pairs.any(axis=1), (pairs & (seq[:, 1:] > seq[:, :-1])).sum(axis=1)
                             / np.maximum(pairs.sum(axis=1), 1), 1.0)
        return np.where(n_content > 0, 0.5 * canonical + 0.5 * ascending, 0.0)


class SynthSummDistribution(TextTaskDistribution):
    """SynthSumm documents: ``train`` (8192) and ``valid`` (512) at alpha 0; ``test``, ``test_alpha25``,
    ``test_alpha50``, ``test_alpha75``, ``test_ood`` (512 each, the same seeds at alpha 0, 0.25, 0.5, 0.75, 1)."""

    family = "synthsumm"
    task_type = TextTask
    splits = standard_splits()


SYNTHSUMM = SynthSummWorld()


class SynthSummEnv(TextWorldEnv):
    """Summarise a synthetic document token by token; a gold reward scores the summary.

    ## Description
    The summarisation analog of Kirk et al. (ICLR 2024), "Understanding the Effects of RLHF on LLM
    Generalisation and Diversity": TL;DR-like documents in distribution, CNN/DM-like ones out of it, and
    a gold reward in place of GPT-4 (see :mod:`rlenvs.preference.synthsumm` for the generator and r*).
    Batched generation and scoring go through ``env.unwrapped.world`` (:class:`SynthSummWorld`):
    ``documents``, ``gold_reward``, ``demonstrate``, ``oracle``; SFT, reward-model and evaluation data
    through ``env.unwrapped.dataset(split)``; diversity metrics in :mod:`rlenvs.evaluation.text`.

    ## Task distribution
    A task is one document, ``TextTask(alpha, seed)``; see :class:`SynthSummDistribution` for the splits.

    ## Action space
    ``Discrete(96)``: the next token.

    ## Observation space
    ``MultiDiscrete([96] * 144)``: the prompt (128 tokens: ``<bos> HEADER document TL;DR:`` then ``<pad>``)
    followed by the output so far (16 tokens, ``<pad>`` where not yet written).

    ## Rewards
    0 until the output ends, then the gold reward r* in [0, 1], also in ``info["gold_reward"]``. Wrap in
    :class:`~rlenvs.preference.learned_reward.LearnedRewardWrapper` to train on a reward model.

    ## Starting state
    A document of ``task_split`` (drawn with the env's seeded stream) and an empty output.

    ## Episode end
    Terminates at ``<eos>`` or after 16 tokens. Stepping a finished episode raises ``RuntimeError``.

    ## Arguments
    ``task``, ``task_split`` (the task contract); ``beta_ann`` (10), ``style_bias`` (0) and ``eps_flip``
    (0): the annotator of the pairs in :meth:`dataset`.

    ## Deviations
    The spec's ``reset(options={"split", "alpha"})`` is covered by the task contract instead: ``alpha`` is a
    task field and each split is a fixed set of documents (``task_split``).

    ## Version history
    - v0: initial version.
    """

    def __init__(self, *, task: TextTask | Mapping | None = None, task_split: str = "train", beta_ann: float = 10.0,
                 style_bias: float = 0.0, eps_flip: float = 0.0):
        super().__init__(SYNTHSUMM, task=task, task_split=task_split, beta_ann=beta_ann, style_bias=style_bias,
                         eps_flip=eps_flip)
