"""What the token-level text worlds share: concepts and synonyms, per-document random streams, the annotator,
the Gymnasium shell and the cached data sets.

A text world (``SynthSumm-v0``, ``SeqInstruct-v0``) is a :class:`TextWorld`: a small vocabulary, a generator
that turns a task (one document or instruction: ``alpha`` and ``seed``) into a prompt and its ground truth,
a gold reward over generated outputs, a human-like demonstrator and a style score for the annotator's bias.
Every method takes batches (``(n, ...)`` integer arrays), which is the API to generate and score with
(token-level RL through a Python vector env would be far too slow); :class:`TextWorldEnv` is the
Gymnasium form, one token per step.

Documents are pure functions of their task: the generator reads counter-based uniforms keyed by the task's
``seed`` (:func:`counter_uniforms`, SplitMix64 as in :mod:`rlenvs.core.rng`), so a document is the same
whether it is built alone (an env reset) or in a batch of thousands (a split), and the same seed at a
different ``alpha`` gives the *same* draws pushed further out of distribution (paired shift splits).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np
from gymnasium import spaces

from rlenvs.core import rng as _rng
from rlenvs.core.env import TaskEnv
from rlenvs.core.spaces import check_action
from rlenvs.core.task import Task, TaskDistribution, stable_id, task_field
from rlenvs.preference.strength import sigmoid

# 24 concepts in 4 classes of 6, each with 3 synonyms (synonym 0 is the "canonical" word).
CONCEPT_CLASSES = ("animals", "food", "tools", "places")
CONCEPTS = (
    ("dog", "hound", "pup"), ("cat", "kitty", "feline"), ("horse", "steed", "pony"),
    ("bird", "fowl", "avian"), ("fish", "trout", "carp"), ("bear", "grizzly", "cub"),
    ("bread", "loaf", "bun"), ("soup", "broth", "stew"), ("apple", "fruit", "pippin"),
    ("cheese", "brie", "curd"), ("rice", "grain", "pilaf"), ("cake", "pastry", "torte"),
    ("hammer", "mallet", "gavel"), ("saw", "blade", "cutter"), ("drill", "auger", "borer"),
    ("rope", "cord", "line"), ("ladder", "steps", "rungs"), ("shovel", "spade", "scoop"),
    ("city", "town", "metropolis"), ("beach", "shore", "coast"), ("forest", "woods", "grove"),
    ("river", "stream", "creek"), ("market", "bazaar", "mall"), ("castle", "fort", "keep"),
)
NUM_CONCEPTS = len(CONCEPTS)
NUM_SYNONYMS = 3
CONCEPTS_PER_CLASS = NUM_CONCEPTS // len(CONCEPT_CLASSES)
EMBED_DIM = 16
_RANDOM_SEED_START = 1 << 30  # seeds of tasks drawn by ``sample``; split seeds stay below it
_SPLIT_SEED_STRIDE = 1 << 20


def concept_class(concept: np.ndarray) -> np.ndarray:
    """The class index of concept ids."""
    return np.asarray(concept) // CONCEPTS_PER_CLASS


# --- counter-based uniforms -----------------------------------------------------------------------------

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def counter_uniforms(keys: np.ndarray, count: int) -> np.ndarray:
    """``(n, count)`` uniforms in [0, 1): draw ``j`` of key ``k`` is SplitMix64 of ``k + (j + 1) * gamma``.

    The same numbers as ``rlenvs.core.rng.draw_uniform`` on a stream ``[key, 0]``.
    """
    keys = np.asarray(keys, dtype=np.uint64).reshape(-1, 1)
    z = keys + np.arange(1, count + 1, dtype=np.uint64)[None, :] * _GAMMA
    for shift, mult in ((30, _M1), (27, _M2)):
        z ^= z >> np.uint64(shift)
        z *= mult
    z ^= z >> np.uint64(31)
    z >>= np.uint64(11)
    return z.view(np.int64) * (1.0 / 9007199254740992.0)  # 53-bit integers convert exactly (int64 is faster)


def stream_keys(world: str, seeds: np.ndarray, stream: str) -> np.ndarray:
    """Keys of the named random ``stream`` (``"document"``, ``"reference"``, ...) of each document seed."""
    mixed = np.asarray(seeds, dtype=np.uint64) ^ np.uint64(stable_id(f"{world}/{stream}"))
    return _rng.seed_keys(mixed)


def draw_index(u: np.ndarray, n: np.ndarray | int) -> np.ndarray:
    """``floor(u * n)`` as int64, clipped to ``n - 1`` (a uniform index below ``n``)."""
    n = np.asarray(n)
    return np.minimum((u * n).astype(np.int64), n - 1)


def random_order(u: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Per row, a random permutation of the columns with the ``valid`` ones first (keys ``u``)."""
    return np.argsort(np.where(valid, u, 2.0), axis=1, kind="stable")


# --- tasks --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TextTask(Task):
    """One document (or instruction) of a text world: its shift level and its seed."""

    alpha: float = task_field(low=0.0, high=1.0, default=0.0,
                              doc="shift from in-distribution (0) to out-of-distribution (1)")
    seed: int = task_field(low=0, high=2**31 - 1, default=0, doc="seed of the document's random draws")


@dataclass(frozen=True)
class SplitSpec:
    """A fixed split: ``size`` documents with seeds ``seed_block * 2^20 + i`` and fixed task fields."""

    size: int
    seed_block: int
    fields: tuple[tuple[str, Any], ...]


class TextTaskDistribution(TaskDistribution):
    """Documents of a text world: ``sample`` draws ``alpha`` uniformly in [0, 1] and a seed in [2^30, 2^31).

    The splits are listed in ``splits``. ``train`` and ``valid`` use their own seed blocks; the test splits
    share one block, so ``test``, ``test_alpha25/50/75`` and ``test_ood`` hold the same documents at
    growing shift (a paired curve of performance against alpha).
    """

    splits: ClassVar[Mapping[str, SplitSpec]]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "splits" in cls.__dict__:
            cls.split_sizes = {name: spec.size for name, spec in cls.splits.items()}

    def sample(self, rng: np.random.Generator) -> Task:
        return self.task_type(alpha=rng.uniform(0.0, 1.0), seed=int(rng.integers(_RANDOM_SEED_START, 2**31)))

    def _split_tasks(self, name: str) -> list[Task]:
        spec = self.splits[name]
        base = spec.seed_block * _SPLIT_SEED_STRIDE
        return [self.task_type(seed=base + i, **dict(spec.fields)) for i in range(spec.size)]


def standard_splits() -> dict[str, SplitSpec]:
    """``train`` (8192), ``valid`` (512) at alpha 0; ``test``, ``test_alpha25/50/75``, ``test_ood``."""
    out = {"train": SplitSpec(8192, 0, (("alpha", 0.0),)), "valid": SplitSpec(512, 1, (("alpha", 0.0),))}
    for name, alpha in (("test", 0.0), ("test_alpha25", 0.25), ("test_alpha50", 0.5), ("test_alpha75", 0.75),
                        ("test_ood", 1.0)):
        out[name] = SplitSpec(512, 2, (("alpha", alpha),))
    return out


# --- the annotator ------------------------------------------------------------------------------------

def annotate(gold_a: np.ndarray, gold_b: np.ndarray, style_a: np.ndarray, style_b: np.ndarray, u: np.ndarray,
             beta: float, style_bias: float, eps_flip: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bradley-Terry labels on the gold reward plus a style bonus, with random flips.

    ``P(a > b) = sigmoid(beta * (r*_a - r*_b + style_bias * (s_a - s_b)))`` with ``s`` the world's style
    score; the label then flips with probability ``eps_flip``. ``u`` holds two uniforms per pair
    (``(n, 2)``). Returns ``(prefers_a, p, flipped)``.
    """
    p = sigmoid(beta * (gold_a - gold_b + style_bias * (style_a - style_b)))
    flipped = u[:, 1] < eps_flip
    return (u[:, 0] < p) ^ flipped, p, flipped


# --- worlds -------------------------------------------------------------------------------------------

class TextWorld(ABC):
    """A token-level text world (see the module docstring). Subclasses set the class constants and methods."""

    name: ClassVar[str]
    task_distribution: TextTaskDistribution
    vocab: ClassVar[tuple[str, ...]]
    P_MAX: ClassVar[int]  # prompt length (padded)
    L_MAX: ClassVar[int]  # output length, EOS included
    PAD: ClassVar[int] = 0
    BOS: ClassVar[int] = 1
    EOS: ClassVar[int] = 2
    tie_tau: ClassVar[float]  # gold differences below this are ties in win rates and "ambiguous" pairs
    demo_uniforms: ClassVar[int]  # uniforms the demonstrator reads per document
    token_embeddings: np.ndarray  # (V, EMBED_DIM) concept embeddings (synonyms share a row; others 0)

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    @abstractmethod
    def documents(self, tasks: Sequence[Task]) -> Any:
        """The documents of ``tasks`` (an object with ``.prompt``, ``(n, P_MAX)`` int64, and ground truth)."""

    @abstractmethod
    def gold_reward(self, docs: Any, outputs: np.ndarray) -> np.ndarray:
        """r*(prompt, output) in [0, 1] for ``outputs`` ``(n, L)``, ``L <= L_MAX`` tokens (EOS-terminated)."""

    @abstractmethod
    def demonstrate(self, docs: Any, u: np.ndarray, noise: np.ndarray | float = 0.0) -> np.ndarray:
        """Outputs of the human-like demonstrator ``(n, L_MAX)`` from uniforms ``u`` ``(n, demo_uniforms)``;
        ``noise`` in [0, 1] raises its error rates (0: the demonstrator of the SFT data)."""

    @abstractmethod
    def style_score(self, outputs: np.ndarray) -> np.ndarray:
        """The surface style the biased annotator likes, in [0, 1] (gold-irrelevant)."""

    @abstractmethod
    def oracle(self, docs: Any) -> np.ndarray:
        """An output of maximal gold reward for each document."""

    def extras(self, docs: Any) -> dict[str, np.ndarray]:
        """World-specific ground-truth arrays added to :meth:`dataset` (none by default)."""
        return {}

    def sample_demonstrations(self, docs: Any, rng: np.random.Generator, noise: np.ndarray | float = 0.0):
        """Demonstrator outputs drawn with ``rng`` (fresh samples; :meth:`reference` is fixed per document)."""
        return self.demonstrate(docs, rng.random((len(docs.prompt), self.demo_uniforms)), noise)

    def reference(self, docs: Any) -> np.ndarray:
        """The document's fixed reference output: the demonstrator (noise 0) on the ``reference`` stream."""
        return self.demonstrate(docs, counter_uniforms(stream_keys(self.name, docs.seed, "reference"),
                                                       self.demo_uniforms))

    def content(self, outputs: np.ndarray) -> np.ndarray:
        """``outputs`` with EOS, everything after it and PAD set to -1: the input of :mod:`rlenvs.evaluation.text`."""
        outputs = np.asarray(outputs, dtype=np.int64)
        after_eos = np.cumsum(outputs == self.EOS, axis=-1) > 0
        return np.where(after_eos | (outputs == self.PAD), -1, outputs)

    def output_end(self, outputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position of the first EOS or L, whether there is an EOS) per output."""
        is_eos = outputs == self.EOS
        has_eos = is_eos.any(axis=1)
        return np.where(has_eos, is_eos.argmax(axis=1), outputs.shape[1]), has_eos

    def detokenize(self, tokens: np.ndarray) -> str:
        """The words of ``tokens`` (PAD and negative entries dropped, stops after EOS)."""
        words = []
        for t in np.asarray(tokens).reshape(-1).tolist():
            if t == self.EOS:
                break
            if t > self.PAD:
                words.append(self.vocab[t])
        return " ".join(words)

    def check_outputs(self, outputs: np.ndarray, n: int) -> np.ndarray:
        """``outputs`` as an ``(n, L)`` int64 array of valid tokens, ``1 <= L <= L_MAX``; else ``ValueError``."""
        out = np.asarray(outputs)
        if out.ndim != 2 or out.shape[0] != n or not 1 <= out.shape[1] <= self.L_MAX:
            raise ValueError(f"outputs must have shape ({n}, L) with 1 <= L <= {self.L_MAX}, got {out.shape}")
        if not np.issubdtype(out.dtype, np.integer) or out.min() < 0 or out.max() >= self.vocab_size:
            raise ValueError(f"outputs must be integer tokens in [0, {self.vocab_size}), got {out.dtype} "
                             f"in [{out.min()}, {out.max()}]")
        return out.astype(np.int64, copy=False)


def class_embeddings(seed: str) -> np.ndarray:
    """``(NUM_CONCEPTS, EMBED_DIM)`` unit vectors: a class direction plus a concept's own, so same-class
    concepts are closer (mean cosine 0.5-0.6 within a class, about 0 across)."""
    rng = np.random.default_rng(stable_id(seed))
    classes = rng.normal(size=(len(CONCEPT_CLASSES), EMBED_DIM))
    own = rng.normal(size=(NUM_CONCEPTS, EMBED_DIM))
    vectors = classes[np.arange(NUM_CONCEPTS) // CONCEPTS_PER_CLASS] + 0.8 * own
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


# --- data sets ----------------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def text_dataset(world: TextWorld, split: str, beta_ann: float, style_bias: float,
                 eps_flip: float) -> dict[str, np.ndarray]:
    """The documents of ``split`` with their reference outputs and one annotated pair each (read-only arrays).

    Keys: ``prompt``; ``reference`` (the demonstrator's output: the SFT target on ``train``, the win-rate
    reference on the test splits) and ``reference_gold``; a pair of noisier demonstrations per document,
    oriented by the annotator's label: ``chosen``, ``rejected``, ``gold_chosen``, ``gold_rejected``,
    ``delta_gold``, ``is_wrong`` (``delta_gold < 0``), ``is_ambiguous`` (``|delta_gold| < tie_tau``),
    ``p_annotator`` (P(chosen > rejected) before flips), ``flipped``; ``alpha``, ``seed``; and the world's
    :meth:`TextWorld.extras`. The pair's noise levels are uniform in [0, 1] per document.
    """
    tasks = world.task_distribution.split(split)
    docs = world.documents(tasks)
    seeds = docs.seed
    reference = world.reference(docs)
    noise = counter_uniforms(stream_keys(world.name, seeds, "pair_noise"), 2)
    a = world.demonstrate(docs, counter_uniforms(stream_keys(world.name, seeds, "pair_a"), world.demo_uniforms),
                          noise[:, 0])
    b = world.demonstrate(docs, counter_uniforms(stream_keys(world.name, seeds, "pair_b"), world.demo_uniforms),
                          noise[:, 1])
    gold_a, gold_b = world.gold_reward(docs, a), world.gold_reward(docs, b)
    u = counter_uniforms(stream_keys(world.name, seeds, "annotator"), 2)
    prefers_a, p, flipped = annotate(gold_a, gold_b, world.style_score(a), world.style_score(b), u, beta_ann,
                                     style_bias, eps_flip)
    pick = prefers_a[:, None]
    gold_c, gold_r = np.where(prefers_a, gold_a, gold_b), np.where(prefers_a, gold_b, gold_a)
    out = {
        "prompt": docs.prompt,
        "reference": reference,
        "reference_gold": world.gold_reward(docs, reference),
        "chosen": np.where(pick, a, b),
        "rejected": np.where(pick, b, a),
        "gold_chosen": gold_c,
        "gold_rejected": gold_r,
        "delta_gold": gold_c - gold_r,
        "is_wrong": gold_c < gold_r,
        "is_ambiguous": np.abs(gold_c - gold_r) < world.tie_tau,
        "p_annotator": np.where(prefers_a, p, 1.0 - p),
        "flipped": flipped,
        "alpha": docs.alpha,
        "seed": seeds,
        **world.extras(docs),
    }
    for arr in out.values():
        arr.setflags(write=False)
    return out


# --- the Gymnasium shell ------------------------------------------------------------------------------

class TextWorldEnv(TaskEnv):
    """Generate an output token by token for a document; the gold reward scores the finished output.

    Subclasses pass their world; the docstrings of ``SynthSummEnv`` and
    ``SeqInstructEnv`` describe the spaces and the episode.
    """

    metadata = {"render_modes": []}

    def __init__(self, world: TextWorld, *, task: Task | Mapping | None, task_split: str, beta_ann: float,
                 style_bias: float, eps_flip: float):
        super().__init__(world.task_distribution, task=task, task_split=task_split)
        for name, value, lo, hi in (("beta_ann", beta_ann, 0.0, 1e3), ("style_bias", style_bias, -10.0, 10.0),
                                    ("eps_flip", eps_flip, 0.0, 0.5)):
            if not isinstance(value, (int, float)) or not lo <= value <= hi:
                raise ValueError(f"{name} must be a number in [{lo}, {hi}], got {value!r}")
        self.world = world
        self.beta_ann, self.style_bias, self.eps_flip = float(beta_ann), float(style_bias), float(eps_flip)
        self.observation_space = spaces.MultiDiscrete(np.full(world.P_MAX + world.L_MAX, world.vocab_size),
                                                      dtype=np.int64)
        self.action_space = spaces.Discrete(world.vocab_size)
        self._docs = None
        self._prompt = np.zeros(world.P_MAX, dtype=np.int64)
        self._output = np.zeros(world.L_MAX, dtype=np.int64)
        self._t = 0
        self._done = False

    def dataset(self, split: str) -> dict[str, np.ndarray]:
        """The arrays of the documents of ``split`` (see :func:`text_dataset`), with this env's annotator."""
        self.task_distribution.split(split)  # unknown names raise here
        return text_dataset(self.world, split, self.beta_ann, self.style_bias, self.eps_flip)

    def _observation(self) -> np.ndarray:
        return np.concatenate([self._prompt, self._output])

    def _reset_episode(self, task: Task):
        self._docs = self.world.documents([task])
        self._prompt = self._docs.prompt[0].copy()
        self._output[:] = self.world.PAD
        self._t = 0
        self._done = False
        return self._observation(), {}

    def step(self, action):
        token = int(check_action(action, self.action_space))
        if self._docs is None or self._done:
            raise RuntimeError("the episode is over (or not started): call reset()")
        self._output[self._t] = token
        self._t += 1
        self._done = token == self.world.EOS or self._t == self.world.L_MAX
        reward, info = 0.0, {}
        if self._done:
            reward = float(self.world.gold_reward(self._docs, self._output[None, :self._t])[0])
            info = {"gold_reward": reward}
        return self._observation(), reward, self._done, False, info

    def scored_response(self) -> tuple[np.ndarray, np.ndarray]:
        """The (prompt, output) of the finished episode, for :class:`LearnedRewardWrapper` (PAD-filled to L_MAX)."""
        return self._prompt.copy(), self._output.copy()
