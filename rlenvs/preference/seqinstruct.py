"""SeqInstruct: compositional list instructions with a known gold reward (Kirk et al.'s Sequential Instructions analog).

Vocabulary (96 tokens): ``<pad> <bos> <eos> ; =>``; 6 operations ``copy reverse sort filter take dedup``;
4 class words (``animals food tools places``) and the numbers ``1``-``9`` as arguments; 24 concepts x 3
synonyms (:data:`~rlenvs.preference.textworld.CONCEPTS`, 6 concepts per class).

An instruction (a :class:`SeqInstructTask`: ``alpha``, ``heldout``, ``seed``) is a sequence of ``m``
operations applied in turn to a list of 5-10 words (random concepts and synonyms)::

    <bos> filter tools reverse ; saw dog mallet rope bread => <pad>...      target: rope mallet saw <eos>

- ``copy``; ``reverse``; ``sort`` (stable, by concept id); ``filter C`` (keep the words of class ``C``,
  drawn among the classes present, so the result is never empty); ``take k`` (the first ``k``, ``1 <= k <
  len`` when the list has two or more words); ``dedup`` (drop later repeats of a concept).
- ``m = 1 + floor(2 alpha + u) + b`` steps: 1-2 in distribution (alpha 0), 3-4 out of it (alpha 1), the
  Sequential Instructions shift of the paper.
- Consecutive operations ``(a, b)`` with ``(a + 2 b) mod 3 = 0`` (12 of the 36 ordered pairs, 2 per first
  operation) are *held out*: ``heldout = 0`` instructions use only the other 24 pairs, ``heldout = 1``
  instructions (at least 2 steps) only the held-out ones: a new mix of known operations (the AlpacaEval-like
  OOD set).

Gold reward of an output ``y`` (words up to ``<eos>``)::

    r* = (1 if y ends with <eos> else 0.5) * max over steps j of  (j / m) * sim(y, t_j)

with ``t_j`` the list after the first ``j`` operations and ``sim = 1 - lev(y, t) / max(|y|, |t|, 1)`` the
normalised edit similarity of the *concept* sequences (any synonym of the right concept matches; other
tokens match nothing). So the exact answer scores 1, the answer after ``j`` of ``m`` steps ``j / m``
(per-step partial credit), and near misses in between. Synonyms are free: outputs can differ in wording at
no cost.

Demonstrator: performs each operation (skipping it with probability 0.15), writes each word with a random
synonym with probability 0.3 (else the word of the input), drops one word with probability 0.1; ``noise``
adds 0.5 to the skip rate and 0.4 to the drop rate. Annotator style: the share of synonym-0 words.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np

from rlenvs.core.task import Task, task_field
from rlenvs.preference.textworld import (
    CONCEPT_CLASSES,
    CONCEPTS,
    CONCEPTS_PER_CLASS,
    NUM_CONCEPTS,
    NUM_SYNONYMS,
    SplitSpec,
    TextTask,
    TextTaskDistribution,
    TextWorld,
    TextWorldEnv,
    class_embeddings,
    counter_uniforms,
    draw_index,
    standard_splits,
    stream_keys,
)

SPECIALS = ("<pad>", "<bos>", "<eos>", ";", "=>")
PAD, BOS, EOS, SEP, ANSWER = range(len(SPECIALS))
OPS = ("copy", "reverse", "sort", "filter", "take", "dedup")
COPY, REVERSE, SORT, FILTER, TAKE, DEDUP = range(len(OPS))
NUMBERS = tuple(str(k) for k in range(1, 10))
OP0 = len(SPECIALS)
CLASS0 = OP0 + len(OPS)
NUM0 = CLASS0 + len(CONCEPT_CLASSES)
CONTENT0 = NUM0 + len(NUMBERS)
VOCAB = SPECIALS + OPS + CONCEPT_CLASSES + NUMBERS + tuple(word for synonyms in CONCEPTS for word in synonyms)

P_MAX, L_MAX = 24, 12
MAX_LIST, MAX_STEPS = 10, 4
TIE_TAU = 0.02
_NAME = "rlenvs/SeqInstruct-v0"
_BIG = 1 << 20

TOKEN_CONCEPT = np.full(len(VOCAB), -1, dtype=np.int64)
TOKEN_CONCEPT[CONTENT0:] = np.arange(NUM_CONCEPTS * NUM_SYNONYMS) // NUM_SYNONYMS
TOKEN_SYNONYM = np.full(len(VOCAB), -1, dtype=np.int64)
TOKEN_SYNONYM[CONTENT0:] = np.arange(NUM_CONCEPTS * NUM_SYNONYMS) % NUM_SYNONYMS
# what the gold reward compares: the concept of a word, a distinct negative code for any other token
TOKEN_CODE = np.where(TOKEN_CONCEPT >= 0, TOKEN_CONCEPT, -1 - np.arange(len(VOCAB)))

HELD_OUT_PAIRS = frozenset((a, b) for a in range(len(OPS)) for b in range(len(OPS)) if (a + 2 * b) % 3 == 0)
ID_SUCCESSORS = np.array([[b for b in range(len(OPS)) if (a, b) not in HELD_OUT_PAIRS] for a in range(len(OPS))])
HELD_OUT_SUCCESSORS = np.array([[b for b in range(len(OPS)) if (a, b) in HELD_OUT_PAIRS] for a in range(len(OPS))])

_DOC_DRAWS = {"length": slice(0, 1), "concepts": slice(1, 11), "synonyms": slice(11, 21), "n_steps": slice(21, 23),
              "ops": slice(23, 27), "args": slice(27, 31)}
_DEMO = {"skip": slice(0, 4), "resynonym": slice(4, 14), "synonym": slice(14, 24), "drop": slice(24, 26)}


@dataclasses.dataclass(frozen=True)
class SeqInstructTask(TextTask):
    """One instruction: its shift level, whether it uses the held-out operation pairs, and its seed."""

    heldout: int = task_field(choices=(0, 1), default=0, doc="1: consecutive operations from the held-out pairs")


@dataclasses.dataclass(frozen=True)
class InstrDocs:
    """A batch of instructions and their ground truth."""

    seed: np.ndarray  # (n,)
    alpha: np.ndarray  # (n,)
    heldout: np.ndarray  # (n,) bool
    prompt: np.ndarray  # (n, P_MAX)
    words: np.ndarray  # (n, 10) the input list, -1 padded
    n_steps: np.ndarray  # (n,)
    ops: np.ndarray  # (n, 4), -1 past n_steps
    args: np.ndarray  # (n, 4): the class of filter, k of take, else -1
    targets: np.ndarray  # (n, 4, 10): the list after each step, -1 padded (rows past n_steps: -1)

    def __len__(self) -> int:
        return len(self.seed)

    def take(self, index: np.ndarray) -> InstrDocs:
        """The instructions at ``index``."""
        return InstrDocs(**{f.name: getattr(self, f.name)[index] for f in dataclasses.fields(self)})


def compact(words: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """The kept words of each row moved to the front in order, -1 after them."""
    order = np.argsort(~keep, axis=1, kind="stable")
    out = np.take_along_axis(np.where(keep, words, -1), order, axis=1)
    return out


def _concepts(words: np.ndarray) -> np.ndarray:
    return np.where(words >= 0, TOKEN_CONCEPT[np.maximum(words, 0)], _BIG)


def _reverse(words: np.ndarray, arg: np.ndarray) -> np.ndarray:
    length = (words >= 0).sum(axis=1, keepdims=True)
    j = np.arange(words.shape[1])[None, :]
    return np.take_along_axis(words, np.where(j < length, length - 1 - j, j), axis=1)


def _sort(words: np.ndarray, arg: np.ndarray) -> np.ndarray:
    return np.take_along_axis(words, np.argsort(_concepts(words), axis=1, kind="stable"), axis=1)


def _filter(words: np.ndarray, arg: np.ndarray) -> np.ndarray:
    return compact(words, (words >= 0) & (_concepts(words) // CONCEPTS_PER_CLASS == arg[:, None]))


def _take(words: np.ndarray, arg: np.ndarray) -> np.ndarray:
    return np.where(np.arange(words.shape[1])[None, :] < arg[:, None], words, -1)


def _dedup(words: np.ndarray, arg: np.ndarray) -> np.ndarray:
    concept, valid = _concepts(words), words >= 0
    earlier = np.tril(np.ones((words.shape[1],) * 2, dtype=bool), k=-1)  # earlier[j, i]: i < j
    repeat = ((concept[:, :, None] == concept[:, None, :]) & valid[:, None, :] & earlier[None]).any(axis=2)
    return compact(words, valid & ~repeat)


_OPERATIONS = {REVERSE: _reverse, SORT: _sort, FILTER: _filter, TAKE: _take, DEDUP: _dedup}


def apply_op(words: np.ndarray, op: np.ndarray, arg: np.ndarray) -> np.ndarray:
    """Apply operation ``op[i]`` with argument ``arg[i]`` to each list ``words[i]`` (-1 padded)."""
    out = words.copy()  # rows whose operation is copy keep their words
    for code in np.unique(op).tolist():
        if code != COPY:
            rows = op == code
            out[rows] = _OPERATIONS[code](words[rows], arg[rows])
    return out


class SeqInstructWorld(TextWorld):
    """The SeqInstruct generator, gold reward, demonstrator and annotator style (see the module docstring)."""

    name = _NAME
    vocab = VOCAB
    P_MAX, L_MAX = P_MAX, L_MAX
    PAD, BOS, EOS = PAD, BOS, EOS
    tie_tau = TIE_TAU
    demo_uniforms = 26

    def __init__(self):
        self.task_distribution = SeqInstructDistribution()
        embeddings = np.zeros((len(VOCAB), 16))
        embeddings[CONTENT0:] = np.repeat(class_embeddings(_NAME + "/concepts"), NUM_SYNONYMS, axis=0)
        self.token_embeddings = embeddings

    def documents(self, tasks: Sequence[Task]) -> InstrDocs:
        return self.generate(np.array([t.alpha for t in tasks], dtype=np.float64),
                             np.array([t.heldout for t in tasks], dtype=bool),
                             np.array([t.seed for t in tasks], dtype=np.int64))

    def generate(self, alpha: np.ndarray, heldout: np.ndarray, seed: np.ndarray) -> InstrDocs:
        """The instructions of seeds ``seed`` at shift ``alpha``, with held-out pairs where ``heldout``."""
        alpha = np.asarray(alpha, dtype=np.float64)
        heldout = np.asarray(heldout, dtype=bool)
        seed = np.asarray(seed, dtype=np.int64)
        n = len(seed)
        rows = np.arange(n)
        u = counter_uniforms(stream_keys(_NAME, seed, "document"), 31)

        def draw(name):
            return u[:, _DOC_DRAWS[name]]

        length = 5 + draw_index(draw("length")[:, 0], 6)
        concepts = draw_index(draw("concepts"), NUM_CONCEPTS)
        words = CONTENT0 + NUM_SYNONYMS * concepts + draw_index(draw("synonyms"), NUM_SYNONYMS)
        words = np.where(np.arange(MAX_LIST)[None, :] < length[:, None], words, -1)
        ns = draw("n_steps")
        n_steps = 1 + np.floor(2.0 * alpha + ns[:, 0]).astype(np.int64) + (ns[:, 1] < 0.5)
        n_steps = np.where(heldout, np.maximum(n_steps, 2), n_steps)
        u_ops, u_args = draw("ops"), draw("args")
        ops = np.full((n, MAX_STEPS), -1, dtype=np.int64)
        args = np.full((n, MAX_STEPS), -1, dtype=np.int64)
        targets = np.full((n, MAX_STEPS, MAX_LIST), -1, dtype=np.int64)
        op = draw_index(u_ops[:, 0], len(OPS))
        current = words
        for j in range(int(n_steps.max(initial=0))):
            if j > 0:
                op = np.where(heldout, HELD_OUT_SUCCESSORS[op, draw_index(u_ops[:, j], 2)],
                              ID_SUCCESSORS[op, draw_index(u_ops[:, j], 4)])
            active = j < n_steps
            size = (current >= 0).sum(axis=1)
            pick = np.take_along_axis(current, draw_index(u_args[:, j], size)[:, None], axis=1)[:, 0]
            filter_class = TOKEN_CONCEPT[np.maximum(pick, 0)] // CONCEPTS_PER_CLASS
            take_k = np.where(size >= 2, 1 + draw_index(u_args[:, j], np.maximum(size - 1, 1)), 1)
            arg = np.select([op == FILTER, op == TAKE], [filter_class, take_k], -1)
            ops[:, j] = np.where(active, op, -1)
            args[:, j] = np.where(active, arg, -1)
            current = np.where(active[:, None], apply_op(current, np.where(active, op, COPY), arg), current)
            targets[:, j] = np.where(active[:, None], current, -1)
        # prompt: <bos> op [arg] op [arg] ... ; words => <pad>...
        arg_token = np.select([ops == FILTER, ops == TAKE], [CLASS0 + args, NUM0 + args - 1], -1)
        piece = np.where(ops >= 0, 1 + (arg_token >= 0), 0)
        start = 1 + np.cumsum(piece, axis=1) - piece
        prompt = np.full((n, P_MAX), PAD, dtype=np.int64)
        prompt[:, 0] = BOS
        has_op = ops >= 0
        prompt[np.broadcast_to(rows[:, None], has_op.shape)[has_op], start[has_op]] = OP0 + ops[has_op]
        has_arg = arg_token >= 0
        prompt[np.broadcast_to(rows[:, None], has_arg.shape)[has_arg], start[has_arg] + 1] = arg_token[has_arg]
        sep = 1 + piece.sum(axis=1)
        prompt[rows, sep] = SEP
        is_word = words >= 0
        prompt[np.broadcast_to(rows[:, None], is_word.shape)[is_word],
               (sep[:, None] + 1 + np.arange(MAX_LIST))[is_word]] = words[is_word]
        prompt[rows, sep + 1 + length] = ANSWER
        return InstrDocs(seed=seed, alpha=alpha, heldout=heldout, prompt=prompt, words=words, n_steps=n_steps,
                         ops=ops, args=args, targets=targets)

    def gold_reward(self, docs: InstrDocs, outputs: np.ndarray) -> np.ndarray:
        out = self.check_outputs(outputs, len(docs))
        n, width = out.shape
        end, has_eos = self.output_end(out)
        y = TOKEN_CODE[out]
        valid_t = docs.targets >= 0
        target = np.where(valid_t, TOKEN_CONCEPT[np.maximum(docs.targets, 0)], _BIG)
        target_len = valid_t.sum(axis=2)  # (n, 4)
        # Levenshtein distance of y[:end] to every target: the DP row by row, each row in closed form
        # (D[i, j] = min over k <= j of base[k] + j - k, with base the row before the insertions)
        cols = np.arange(MAX_LIST + 1)
        row = np.broadcast_to(cols, (n, MAX_STEPS, MAX_LIST + 1))
        dist = np.where(end[:, None] == 0, target_len, 0)
        for i in range(1, width + 1):
            mismatch = y[:, None, i - 1, None] != target  # (n, 4, 10)
            base = np.concatenate([np.full((n, MAX_STEPS, 1), i),
                                   np.minimum(row[..., 1:] + 1, row[..., :-1] + mismatch)], axis=-1)
            row = np.minimum.accumulate(base - cols, axis=-1) + cols
            at_end = (end == i)[:, None]
            dist = np.where(at_end, np.take_along_axis(row, target_len[..., None], axis=-1)[..., 0], dist)
        sim = 1.0 - dist / np.maximum(np.maximum(end[:, None], target_len), 1)
        credit = np.where(np.arange(MAX_STEPS)[None, :] < docs.n_steps[:, None],
                          (np.arange(1, MAX_STEPS + 1)[None, :] / docs.n_steps[:, None]) * sim, 0.0)
        return credit.max(axis=1) * np.where(has_eos, 1.0, 0.5)

    def _final(self, docs: InstrDocs) -> np.ndarray:
        return docs.targets[np.arange(len(docs)), docs.n_steps - 1]

    def _write(self, words: np.ndarray) -> np.ndarray:
        out = np.full((len(words), L_MAX), PAD, dtype=np.int64)
        out[:, :MAX_LIST] = np.where(words >= 0, words, PAD)
        out[np.arange(len(words)), (words >= 0).sum(axis=1)] = EOS
        return out

    def oracle(self, docs: InstrDocs) -> np.ndarray:
        """The exact answer (the input's words, transformed), then ``<eos>``."""
        return self._write(self._final(docs))

    def demonstrate(self, docs: InstrDocs, u: np.ndarray, noise: np.ndarray | float = 0.0) -> np.ndarray:
        n = len(docs)
        u = np.asarray(u, dtype=np.float64)
        if u.shape != (n, self.demo_uniforms):
            raise ValueError(f"u must have shape ({n}, {self.demo_uniforms}), got {u.shape}")
        noise = np.broadcast_to(np.asarray(noise, dtype=np.float64), (n,))

        def draw(name):
            return u[:, _DEMO[name]]

        current = docs.words
        skip = draw("skip") < (0.15 + 0.5 * noise)[:, None]
        for j in range(MAX_STEPS):
            do = (j < docs.n_steps) & ~skip[:, j]
            current = apply_op(current, np.where(do, docs.ops[:, j], COPY), docs.args[:, j])
        valid = current >= 0
        concept = TOKEN_CONCEPT[np.maximum(current, 0)]
        synonym = draw_index(draw("synonym"), NUM_SYNONYMS)
        current = np.where(valid & (draw("resynonym") < 0.3), CONTENT0 + NUM_SYNONYMS * concept + synonym, current)
        length = valid.sum(axis=1)
        drop = (draw("drop")[:, 0] < 0.1 + 0.4 * noise) & (length >= 2)
        drop_at = draw_index(draw("drop")[:, 1], np.maximum(length, 1))
        keep = valid & ~(drop[:, None] & (np.arange(MAX_LIST)[None, :] == drop_at[:, None]))
        return self._write(compact(current, keep))

    def style_score(self, outputs: np.ndarray) -> np.ndarray:
        content = self.content(outputs)
        is_word = (content >= 0) & (TOKEN_SYNONYM[np.maximum(content, 0)] >= 0)
        canonical = is_word & (TOKEN_SYNONYM[np.maximum(content, 0)] == 0)
        return canonical.sum(axis=1) / np.maximum(is_word.sum(axis=1), 1)

    def extras(self, docs: InstrDocs) -> dict[str, np.ndarray]:
        """``target`` (the exact answer with ``<eos>``), ``n_steps`` and ``heldout``."""
        return {"target": self.oracle(docs), "n_steps": docs.n_steps, "heldout": docs.heldout}


class SeqInstructDistribution(TextTaskDistribution):
    """SeqInstruct instructions: the standard text-world splits at ``heldout = 0`` (``train`` 8192, ``valid``,
    ``test``, ``test_alpha25/50/75``, ``test_ood``: 512 each) plus ``test_heldout`` (512, alpha 0, held-out
    operation pairs, the ``test`` seeds). ``sample`` draws ``heldout`` as a fair coin."""

    family = "seqinstruct"
    task_type = SeqInstructTask
    splits = {**standard_splits(), "test_heldout": SplitSpec(512, 2, (("alpha", 0.0), ("heldout", 1)))}

    def sample(self, rng: np.random.Generator) -> SeqInstructTask:
        base = super().sample(rng)
        return SeqInstructTask(alpha=base.alpha, seed=base.seed, heldout=int(rng.integers(0, 2)))


SEQINSTRUCT = SeqInstructWorld()


class SeqInstructEnv(TextWorldEnv):
    """Carry out a compositional list instruction token by token; a gold reward scores the answer.

    ## Description
    The instruction-following analog of Kirk et al. (ICLR 2024): 1-2-step instructions in distribution,
    3-4-step ones (Sequential Instructions) and held-out operation mixes (AlpacaEval-like) out of it, and a
    gold reward with per-step partial credit (see :mod:`rlenvs.preference.seqinstruct`). The batched API is
    ``env.unwrapped.world`` (:class:`SeqInstructWorld`), the data ``env.unwrapped.dataset(split)``.

    ## Task distribution
    A task is one instruction, :class:`SeqInstructTask` (``alpha``, ``seed``, ``heldout``); see
    :class:`SeqInstructDistribution` for the splits.

    ## Action space
    ``Discrete(96)``: the next token.

    ## Observation space
    ``MultiDiscrete([96] * 36)``: the prompt (24 tokens) followed by the output so far (12 tokens, ``<pad>``
    where not yet written).

    ## Rewards
    0 until the output ends, then the gold reward r* in [0, 1], also in ``info["gold_reward"]``.

    ## Starting state
    An instruction of ``task_split`` (drawn with the env's seeded stream) and an empty output.

    ## Episode end
    Terminates at ``<eos>`` or after 12 tokens. Stepping a finished episode raises ``RuntimeError``.

    ## Arguments
    ``task``, ``task_split``; ``beta_ann`` (10), ``style_bias`` (0), ``eps_flip`` (0): the annotator of
    the pairs in :meth:`dataset`.

    ## Deviations
    The spec's CANONICALISE operation is left out: the gold reward compares concepts, so that synonyms stay a
    free choice (surface diversity at no cost), which would make it a no-op; ``dedup`` takes its place.

    ## Version history
    - v0: initial version.
    """

    def __init__(self, *, task: SeqInstructTask | Mapping | None = None, task_split: str = "train",
                 beta_ann: float = 10.0, style_bias: float = 0.0, eps_flip: float = 0.0):
        super().__init__(SEQINSTRUCT, task=task, task_split=task_split, beta_ann=beta_ann, style_bias=style_bias,
                         eps_flip=eps_flip)
