"""PrefStrength: preference pairs with a known gold reward (Secrets of RLHF in LLMs Part II, Wang et al. 2024).

Everything the paper can only estimate is known here: every pair carries the gold reward difference, whether
its label is wrong, and whether it is ambiguous. The generator (a :class:`PrefWorld`, fixed by the task's
``world_seed``) has

- prompts ``x ~ N(0, I_8)`` (in distribution) and out-of-distribution prompts
  ``x ~ N(s v, (1 + s/2)^2 I_8)``, with ``s`` the task's ``prompt_shift`` and ``v`` a fixed unit vector
  (the Oasst1 / PKU-SafeRLHF analog);
- a base policy pi_0 (the "SFT" model): ``y = A x + b + sigma_0 eps`` with ``sigma_0 = 1``, ``y`` in R^8.
  Coordinate 7 of ``y`` is a "length" coordinate that the gold reward ignores (see ``spurious``);
- shifted policies pi_k, k = 1..R (the "PPO round k" analog): the mean takes k steps of length
  ``shift_step`` up the gold reward's gradient, ``mu_k = mu_{k-1} + delta * g / |g|`` with ``g`` the
  gradient of r* in y at ``mu_{k-1}``, and the spread shrinks to ``sigma_k = sigma_0 rho^k``. Responses
  to one prompt become similar, the regime where a vanilla reward model stops discriminating (MetaRM's
  premise);
- the gold reward r*(x, y): a fixed random 2-layer tanh network (32 units) on ``[x, y~, x * y~]`` (``y~``
  is ``y`` with the length coordinate zeroed) minus a fluency penalty ``0.1 |y~ - mu_0(x)|^2`` (the distance
  from pi_0's mean), standardised to mean 0 and std 1 under pi_0 on ID prompts. *Deviation:* the spec's
  gold reward is the network alone; without the penalty its optimum lies on the boundary of any response
  box and uniformly random responses beat pi_0 (as if random tokens beat the SFT model). With it the
  optimum is about 1.7 from pi_0's mean and worth about +1.7 std (gradient ascent), and random responses
  in ``[-10, 10]^8`` score about -36;
- the annotator (the crowd worker): ``P(y1 > y2) = sigmoid(beta_ann * (r*(y1) - r*(y2)))``, then the label
  flips with probability ``eps_flip`` everywhere and, independently, with probability ``eps_sys`` inside a
  systematic region of prompt space (the half-space ``x . u > Phi^-1(1 - sys_fraction)``, which holds
  ``sys_fraction`` of the ID prompts): a pair's label flips with ``1 - (1 - eps_flip)(1 - eps_sys)`` in the
  region and ``eps_flip`` outside;
- the judge (the GPT-4 analog): the gold label, wrong with probability ``eps_judge``;
- ``spurious``: in the ID pi_0 data (train, valid) the length coordinate is
  ``sigma_0 (spurious * r*(x, y) + sqrt(1 - spurious^2) eps)``, correlated with the gold reward; in every
  other set it is plain noise. A reward model that uses it fails out of distribution.

The task's defaults (beta_ann 3.5, eps_flip 0.05, eps_sys 0.5 on 20 % of prompts) give about 25 % wrong
labels in ``train`` (25.1 % for world 0, 23-25 % for worlds 1-3), the fraction the paper's 10-RM ensemble
finds on HH-RLHF (mu < 0 for about 25 % of pairs), and 7-9 % ambiguous pairs (``|delta_gold| < 0.1``).
Along the shift rounds (default ``shift_step`` 0.5, ``rho`` 0.7) the mean gold reward of pi_k rises
(0.66, 1.05, 1.39, 1.48 for k = 1..4 in world 0) while the pairs become ambiguous (17 %, 27 %, 58 %, 85 %).

Pair sets (``PrefStrengthEnv.dataset(name)``, sizes are env arguments):

====================  ============================================================================
``train``             pi_0 pairs on ID prompts, annotator labels (default 20,000)
``valid_orig``        pi_0 pairs on ID prompts, annotator labels (default 2,000)
``valid_judge``       the same pairs, judge labels
``valid_consistent``  the pairs whose annotator and judge labels agree (the paper's third set)
``meta_k``            unlabelled groups of 4 responses from pi_k to one prompt, for MetaRM (1,000 prompts)
``shift_test_k``      pi_k pairs on ID prompts, gold labels (2,000)
``ood_test``          pi_0 pairs on OOD prompts, gold labels (2,000)
====================  ============================================================================

A pair set is a dict of arrays, oriented by the set's own label (chosen = preferred): ``prompt``,
``chosen``, ``rejected`` (n, 8); ``gold_chosen``, ``gold_rejected``, ``delta_gold`` = their difference;
``is_wrong`` = ``delta_gold < 0`` (the label contradicts the gold reward); ``is_ambiguous`` =
``|delta_gold| < TAU`` (0.1); ``p_annotator`` = the annotator's BT probability of preferring ``chosen``
(before flips); ``flipped`` = the label was flipped (annotator sets) or the judge erred (``valid_judge``);
always False for gold-labelled sets; ``in_sys_region``. A ``meta_k`` set holds ``prompt`` (n, 8),
``responses`` (n, 4, 8) and their ``gold`` (n, 4). Arrays are read-only (they are cached).

Every set is a pure function of the task and the sizes: its own random stream comes from
``SeedSequence([family id, world_seed, set id, k])``, and all of its draws (prompts, noise, the label
uniforms) are made in a fixed order whatever the task's annotator parameters, so two tasks of the same
world differ only where their parameters act (common random numbers).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

import numpy as np
from gymnasium import spaces

from rlenvs.core import rng as _rng
from rlenvs.core.env import TaskEnv
from rlenvs.core.spaces import check_action
from rlenvs.core.task import Task, TaskDistribution, stable_id, task_field

D_X = 8  # prompt dimension
D_Y = 8  # response dimension
LENGTH = D_Y - 1  # the response's "length" coordinate, ignored by the gold reward
HIDDEN = 32  # units of the gold reward network
SIGMA_0 = 1.0  # spread of the base policy
KAPPA = 0.1  # weight of the gold reward's fluency penalty on the distance from pi_0's mean
TAU = 0.1  # |delta_gold| below this is "ambiguous"; also the tie threshold of gold win rates
META_GROUP = 4  # responses per prompt in the meta sets
_NORMALISATION_SAMPLES = 4096
_FAMILY = "rlenvs/PrefWorld-v0"


@dataclass(frozen=True)
class PrefTask(Task):
    """One preference world and its annotator, judge and policy-shift parameters."""

    world_seed: int = task_field(low=0, high=2**31 - 1, default=0,
                                 doc="seed of the world: gold network, base policy, prompts, responses")
    beta_ann: float = task_field(low=0.0, high=100.0, default=3.5,
                                 doc="annotator rationality: P(y1 > y2) = sigmoid(beta_ann * delta_gold)")
    eps_flip: float = task_field(low=0.0, high=0.5, default=0.05, doc="instance-independent label flip rate")
    eps_sys: float = task_field(low=0.0, high=1.0, default=0.5, doc="extra flip rate inside the systematic region")
    sys_fraction: float = task_field(low=0.0, high=1.0, default=0.2,
                                     doc="share of ID prompts inside the systematic flip region")
    eps_judge: float = task_field(low=0.0, high=0.5, default=0.05, doc="error rate of the judge (GPT-4 analog)")
    prompt_shift: float = task_field(low=0.0, high=5.0, default=1.5,
                                     doc="OOD prompts: mean shift along a fixed direction; std 1 + shift / 2")
    shift_step: float = task_field(low=0.0, high=5.0, default=0.5,
                                   doc="policy shift per round along the gold gradient")
    rho: float = task_field(low=0.01, high=1.0, default=0.7, doc="spread shrink per round: sigma_k = rho^k")
    spurious: float = task_field(low=0.0, high=0.99, default=0.0,
                                 doc="correlation of the length coordinate with r* in the ID data")


class PrefTaskDistribution(TaskDistribution):
    """Preference worlds with random annotator, judge and shift parameters.

    ``sample`` draws ``world_seed`` uniformly in [0, 2^31), ``beta_ann`` in [1.5, 6], ``eps_flip`` in
    [0, 0.2], ``eps_sys`` in [0, 0.8], ``sys_fraction`` in [0.1, 0.3], ``eps_judge`` in [0.02, 0.08],
    ``prompt_shift`` in [0.5, 2.5], ``shift_step`` in [0.25, 1], ``rho`` in [0.5, 0.9] and ``spurious``
    in [0, 0.6], all uniformly. Splits: ``train`` (32) and ``test`` (16).
    """

    family = "preference_world"
    task_type = PrefTask
    split_sizes = {"train": 32, "test": 16}

    def sample(self, rng: np.random.Generator) -> PrefTask:
        return PrefTask(
            world_seed=int(rng.integers(0, 2**31)),
            beta_ann=rng.uniform(1.5, 6.0),
            eps_flip=rng.uniform(0.0, 0.2),
            eps_sys=rng.uniform(0.0, 0.8),
            sys_fraction=rng.uniform(0.1, 0.3),
            eps_judge=rng.uniform(0.02, 0.08),
            prompt_shift=rng.uniform(0.5, 2.5),
            shift_step=rng.uniform(0.25, 1.0),
            rho=rng.uniform(0.5, 0.9),
            spurious=rng.uniform(0.0, 0.6),
        )


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function, stable for large ``|z|``."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


class PrefWorld:
    """The fixed part of a preference world: base policy, gold reward network, region and shift directions.

    Built from ``world_seed`` alone (use :func:`pref_world`, which caches). Methods take batched arrays:
    prompts ``(..., 8)``, responses ``(..., 8)``.
    """

    def __init__(self, world_seed: int):
        self.world_seed = int(world_seed)
        rng = np.random.default_rng(np.random.SeedSequence([stable_id(_FAMILY), self.world_seed]))
        self.A = rng.normal(0.0, 0.5 / math.sqrt(D_X), size=(D_Y, D_X))
        self.b = rng.normal(0.0, 0.25, size=D_Y)
        self.A[LENGTH] = 0.0
        self.b[LENGTH] = 0.0
        self.W1 = rng.normal(0.0, 1.0 / math.sqrt(3 * D_X), size=(HIDDEN, 3 * D_X))
        self.b1 = rng.normal(0.0, 0.5, size=HIDDEN)
        self.w2 = rng.normal(0.0, 1.0 / math.sqrt(HIDDEN), size=HIDDEN)
        self.sys_direction = _unit(rng.normal(size=D_X))
        self.ood_direction = _unit(rng.normal(size=D_X))
        self._offset, self._scale = 0.0, 1.0
        x = rng.normal(size=(_NORMALISATION_SAMPLES, D_X))
        raw = self.gold_reward(x, self.base_mean(x) + SIGMA_0 * rng.normal(size=(_NORMALISATION_SAMPLES, D_Y)))
        self._offset, self._scale = float(raw.mean()), float(raw.std())

    # --- policies -----------------------------------------------------------------------------------
    def base_mean(self, x: np.ndarray) -> np.ndarray:
        """Mean response of pi_0: ``A x + b`` (the length coordinate's mean is 0)."""
        return x @ self.A.T + self.b

    def shifted_mean(self, x: np.ndarray, k: int, step: float) -> np.ndarray:
        """Mean response of pi_k: ``k`` normalised gold-gradient steps of length ``step`` from pi_0's mean."""
        mu = self.base_mean(x)
        for _ in range(int(k)):
            g = self.gold_gradient(x, mu)
            mu = mu + step * g / np.maximum(np.linalg.norm(g, axis=-1, keepdims=True), 1e-12)
        return mu

    def sample_responses(self, x: np.ndarray, noise: np.ndarray, k: int = 0, task: PrefTask | None = None,
                         spurious: float = 0.0) -> np.ndarray:
        """Responses of pi_k to prompts ``x`` for standard normal ``noise`` of the same shape.

        ``k > 0`` needs ``task`` (its ``shift_step`` and ``rho``). ``spurious`` sets the correlation of
        the length coordinate with the gold reward (the ID data of a task with ``spurious > 0``).
        """
        if k == 0:
            y = self.base_mean(x) + SIGMA_0 * noise
            sigma = SIGMA_0
        else:
            if task is None:
                raise ValueError("shifted responses (k > 0) need the task's shift_step and rho")
            sigma = SIGMA_0 * task.rho**k
            y = self.shifted_mean(x, k, task.shift_step) + sigma * noise
        if spurious:
            r = self.gold_reward(x, y)
            y[..., LENGTH] = sigma * (spurious * r + math.sqrt(1.0 - spurious**2) * noise[..., LENGTH])
        return y

    # --- gold reward --------------------------------------------------------------------------------
    def _hidden(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The hidden units of the gold network and the response's offset from pi_0's mean (length zeroed)."""
        content = y.copy()
        content[..., LENGTH] = 0.0
        z = np.concatenate([x, content, x * content], axis=-1)
        return np.tanh(z @ self.W1.T + self.b1), content - self.base_mean(x)

    def gold_reward(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """r*(x, y): shape ``(...)`` for prompts and responses of shape ``(..., 8)`` (broadcast)."""
        x, y = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        h, offset = self._hidden(x, y)
        return (h @ self.w2 - KAPPA * (offset**2).sum(axis=-1) - self._offset) / self._scale

    def gold_gradient(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """d r* / d y, shape ``(..., 8)``; zero in the length coordinate."""
        x, y = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        h, offset = self._hidden(x, y)
        dz = ((1.0 - h**2) * self.w2) @ self.W1
        g = (dz[..., D_X:2 * D_X] + x * dz[..., 2 * D_X:] - 2.0 * KAPPA * offset) / self._scale
        g[..., LENGTH] = 0.0
        return g

    # --- prompts ------------------------------------------------------------------------------------
    def ood_prompts(self, noise: np.ndarray, shift: float) -> np.ndarray:
        """OOD prompts from standard normal ``noise``: ``shift * v + (1 + shift / 2) * noise``."""
        return shift * self.ood_direction + (1.0 + 0.5 * shift) * noise

    def in_sys_region(self, x: np.ndarray, fraction: float) -> np.ndarray:
        """Whether prompts lie in the systematic flip region, which holds ``fraction`` of ID prompts."""
        if fraction <= 0.0:
            return np.zeros(x.shape[:-1], dtype=bool)
        if fraction >= 1.0:
            return np.ones(x.shape[:-1], dtype=bool)
        return x @ self.sys_direction > NormalDist().inv_cdf(1.0 - fraction)


@lru_cache(maxsize=64)
def pref_world(world_seed: int) -> PrefWorld:
    """The (cached) world of ``world_seed``."""
    return PrefWorld(world_seed)


# --- pair sets ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PairSetSizes:
    """How many pairs (or meta prompts) each set holds, and how many shift rounds there are."""

    n_train: int = 20_000
    n_valid: int = 2_000
    n_meta: int = 1_000
    n_test: int = 2_000
    rounds: int = 4

    def __post_init__(self):
        for name in ("n_train", "n_valid", "n_meta", "n_test", "rounds"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")

    def set_names(self) -> tuple[str, ...]:
        """Every pair set of a world with these sizes, in a fixed order."""
        ks = range(1, self.rounds + 1)
        return ("train", "valid_orig", "valid_judge", "valid_consistent", *(f"meta_{k}" for k in ks),
                *(f"shift_test_{k}" for k in ks), "ood_test")


def _stream(task: PrefTask, name: str, k: int = 0) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([stable_id(_FAMILY), task.world_seed, stable_id(name), k]))


def _pairs(world: PrefWorld, task: PrefTask, x: np.ndarray, y1: np.ndarray, y2: np.ndarray, g1: np.ndarray,
           g2: np.ndarray, prefers_1: np.ndarray, flipped: np.ndarray) -> dict[str, np.ndarray]:
    """A pair set oriented by ``prefers_1`` (the set's labels) with its ground truth (``g`` = gold rewards)."""
    chosen = np.where(prefers_1[:, None], y1, y2)
    rejected = np.where(prefers_1[:, None], y2, y1)
    gold_c, gold_r = np.where(prefers_1, g1, g2), np.where(prefers_1, g2, g1)
    delta = gold_c - gold_r
    out = {
        "prompt": x,
        "chosen": chosen,
        "rejected": rejected,
        "gold_chosen": gold_c,
        "gold_rejected": gold_r,
        "delta_gold": delta,
        "is_wrong": delta < 0.0,
        "is_ambiguous": np.abs(delta) < TAU,
        "p_annotator": sigmoid(task.beta_ann * delta),
        "flipped": flipped,
        "in_sys_region": world.in_sys_region(x, task.sys_fraction),
    }
    for arr in out.values():
        arr.setflags(write=False)
    return out


def _annotated_pairs(world: PrefWorld, task: PrefTask, rng: np.random.Generator, n: int, spurious: float):
    """ID pi_0 pairs with their annotator labels and the uniforms of the judge."""
    x = rng.normal(size=(n, D_X))
    y1 = world.sample_responses(x, rng.normal(size=(n, D_Y)), spurious=spurious)
    y2 = world.sample_responses(x, rng.normal(size=(n, D_Y)), spurious=spurious)
    u_label, u_flip, u_sys, u_judge = rng.random((4, n))
    g1, g2 = world.gold_reward(x, y1), world.gold_reward(x, y2)
    raw = u_label < sigmoid(task.beta_ann * (g1 - g2))
    flipped = (u_flip < task.eps_flip) | (world.in_sys_region(x, task.sys_fraction) & (u_sys < task.eps_sys))
    judge_error = u_judge < task.eps_judge
    return (x, y1, y2, g1, g2), raw ^ flipped, flipped, (g1 > g2) ^ judge_error, judge_error


@lru_cache(maxsize=8)
def pair_set(task: PrefTask, name: str, sizes: PairSetSizes = PairSetSizes()) -> dict[str, np.ndarray]:
    """The pair set ``name`` of ``task`` (see the module docstring for the names and the arrays)."""
    if name not in sizes.set_names():
        raise ValueError(f"unknown pair set {name!r}; valid sets: {list(sizes.set_names())}")
    world = pref_world(task.world_seed)
    if name == "train":
        pairs, label, flipped, _, _ = _annotated_pairs(world, task, _stream(task, "train"), sizes.n_train,
                                                       task.spurious)
        return _pairs(world, task, *pairs, label, flipped)
    if name.startswith("valid_"):
        pairs, label, flipped, judge, judge_error = _annotated_pairs(world, task, _stream(task, "valid"),
                                                                     sizes.n_valid, task.spurious)
        if name == "valid_orig":
            return _pairs(world, task, *pairs, label, flipped)
        if name == "valid_judge":
            return _pairs(world, task, *pairs, judge, judge_error)
        keep = label == judge
        return _pairs(world, task, *(a[keep] for a in pairs), label[keep], flipped[keep])
    if name.startswith("meta_"):
        k = int(name.rsplit("_", 1)[1])
        rng = _stream(task, "meta", k)
        x = rng.normal(size=(sizes.n_meta, D_X))
        xs = np.repeat(x[:, None, :], META_GROUP, axis=1)
        responses = world.sample_responses(xs, rng.normal(size=(sizes.n_meta, META_GROUP, D_Y)), k, task)
        out = {"prompt": x, "responses": responses, "gold": world.gold_reward(xs, responses)}
        for arr in out.values():
            arr.setflags(write=False)
        return out
    if name.startswith("shift_test_"):
        k = int(name.rsplit("_", 1)[1])
        rng = _stream(task, "shift_test", k)
        x = rng.normal(size=(sizes.n_test, D_X))
        y1 = world.sample_responses(x, rng.normal(size=(sizes.n_test, D_Y)), k, task)
        y2 = world.sample_responses(x, rng.normal(size=(sizes.n_test, D_Y)), k, task)
    else:  # ood_test
        rng = _stream(task, "ood_test")
        x = world.ood_prompts(rng.normal(size=(sizes.n_test, D_X)), task.prompt_shift)
        y1 = world.sample_responses(x, rng.normal(size=(sizes.n_test, D_Y)))
        y2 = world.sample_responses(x, rng.normal(size=(sizes.n_test, D_Y)))
    g1, g2 = world.gold_reward(x, y1), world.gold_reward(x, y2)
    return _pairs(world, task, x, y1, y2, g1, g2, g1 > g2, np.zeros(len(x), dtype=bool))


def label_probability(task: PrefTask, name: str, x: np.ndarray, y1: np.ndarray, y2: np.ndarray) -> np.ndarray:
    """The probability that the labeller of pair set ``name`` prefers ``y1``: the Bayes-optimal prediction.

    Annotator sets (``train``, ``valid_orig``): the BT probability through the flips; ``valid_judge``: the
    gold label through the judge's error; gold-labelled sets: the gold label. ``valid_consistent`` is
    selected on agreement, so its exact probability also involves the judge; this returns the annotator's.
    """
    world = pref_world(task.world_seed)
    delta = world.gold_reward(x, y1) - world.gold_reward(x, y2)
    if name in ("train", "valid_orig", "valid_consistent"):
        in_region = world.in_sys_region(x, task.sys_fraction)
        q = np.where(in_region, 1.0 - (1.0 - task.eps_flip) * (1.0 - task.eps_sys), task.eps_flip)
        p = sigmoid(task.beta_ann * delta)
        return (1.0 - q) * p + q * (1.0 - p)
    gold = (delta > 0.0).astype(np.float64)
    if name == "valid_judge":
        return (1.0 - task.eps_judge) * gold + task.eps_judge * (1.0 - gold)
    return gold


# --- the Gymnasium env --------------------------------------------------------------------------------

P_CLIP = 1e-6  # predictions are clipped to [P_CLIP, 1 - P_CLIP] inside the log-likelihood reward


class PrefStrengthEnv(TaskEnv):
    """Predict which of two responses the labeller prefers, over a sweep of a pair set.

    ## Description
    The label-prediction stage of "Secrets of RLHF in LLMs Part II" (Wang et al. 2024) on a synthetic
    preference world with a known gold reward (see :mod:`rlenvs.preference.strength`). Reward-model
    training is supervised, so most methods use the array API ``env.unwrapped.dataset(name)``; the env
    itself scores a predictor pair by pair with the label's log-likelihood.

    ## Task distribution
    :class:`PrefTask`: the world seed and the annotator, judge and shift parameters;
    :class:`PrefTaskDistribution` has splits ``train`` (32) and ``test`` (16).

    ## Action space
    ``Box(0, 1, (1,), float64)``: the predicted probability that ``y1`` is preferred.

    ## Observation space
    ``Box(-inf, inf, (24,), float64)``: ``[x, y1, y2]``, the prompt and the two responses of a pair.
    The order within a pair is random (the set stores chosen / rejected).

    ## Rewards
    The log-likelihood of the pair set's label: ``log p`` if ``y1`` is the labelled winner, else
    ``log(1 - p)``, with ``p`` clipped to ``[1e-6, 1 - 1e-6]``. The step's info holds the ground truth of
    the pair just scored: ``label`` (1.0 if ``y1`` won), ``delta_gold`` (r*(y1) - r*(y2)), ``is_wrong``,
    ``is_ambiguous``, ``flipped``.

    ## Starting state
    Each episode sweeps the pair set ``pairs`` once, in an order drawn from the env's seeded stream.

    ## Episode end
    Terminates after the last pair of the set.

    ## Arguments
    ``task``, ``task_split`` (the task contract); ``pairs``: the pair set the episodes sweep (default
    ``"valid_judge"``, the paper's GPT-4-labelled validation set, so an episode's return is a predictor's
    log-likelihood on it; any set but ``meta_k``); ``n_train``, ``n_valid``, ``n_meta``, ``n_test``, ``rounds``:
    the sizes of the pair sets (defaults 20,000 / 2,000 / 1,000 / 2,000 / 4).

    ## Deviations
    The paper's data are HH-RLHF pairs labelled by crowd workers and GPT-4; here they are generated, so
    every quantity the paper estimates with a 10-RM ensemble (wrong and ambiguous labels, preference
    strength) is known exactly. The spec's ``Dict(x, y1, y2)`` observation is flattened into one Box
    (the contract tests and vector envs need array observations).

    ## Version history
    - v0: initial version.
    """

    metadata = {"render_modes": []}

    def __init__(self, *, task: PrefTask | Mapping | None = None, task_split: str = "train", pairs: str = "valid_judge",
                 n_train: int = 20_000, n_valid: int = 2_000, n_meta: int = 1_000, n_test: int = 2_000,
                 rounds: int = 4):
        super().__init__(PrefTaskDistribution(), task=task, task_split=task_split)
        self.sizes = PairSetSizes(n_train, n_valid, n_meta, n_test, rounds)
        if pairs not in self.sizes.set_names() or pairs.startswith("meta_"):
            valid = [n for n in self.sizes.set_names() if not n.startswith("meta_")]
            raise ValueError(f"pairs must be one of {valid}, got {pairs!r}")
        self.pairs = pairs
        self.observation_space = spaces.Box(-np.inf, np.inf, shape=(D_X + 2 * D_Y,), dtype=np.float64)
        self.action_space = spaces.Box(0.0, 1.0, shape=(1,), dtype=np.float64)
        self._data: dict[str, np.ndarray] | None = None
        self._order = np.zeros(0, dtype=np.int64)
        self._swap = np.zeros(0, dtype=bool)
        self._t = 0

    @property
    def world(self) -> PrefWorld:
        """The world of the current task."""
        return pref_world(self._current_task().world_seed)

    def _current_task(self) -> PrefTask:
        if self.task is None:
            raise RuntimeError("no task yet: call reset() or set_task() first")
        return self.task

    def dataset(self, name: str) -> dict[str, np.ndarray]:
        """The pair set ``name`` of the current task (``train``, ``valid_orig``, ..., ``meta_k``, ...)."""
        return pair_set(self._current_task(), name, self.sizes)

    def _reset_episode(self, task: PrefTask):
        self._data = pair_set(task, self.pairs, self.sizes)
        n = len(self._data["prompt"])
        self._order = np.argsort(_rng.draw_uniform(self._rng, 0, n), kind="stable")
        self._swap = _rng.draw_uniform(self._rng, 0, n) < 0.5
        self._t = 0
        return self._observation(), {}

    def _observation(self) -> np.ndarray:
        i = self._order[min(self._t, len(self._order) - 1)]
        d = self._data
        first, second = (d["rejected"][i], d["chosen"][i]) if self._swap[i] else (d["chosen"][i], d["rejected"][i])
        return np.concatenate([d["prompt"][i], first, second])

    def step(self, action):
        action = check_action(action, self.action_space)
        if self._data is None:
            raise RuntimeError("call reset() before step()")
        i = self._order[min(self._t, len(self._order) - 1)]
        y1_won = not self._swap[i]
        p = float(np.clip(action[0], P_CLIP, 1.0 - P_CLIP))
        reward = math.log(p) if y1_won else math.log1p(-p)
        delta = float(self._data["delta_gold"][i])
        info = {
            "label": float(y1_won),
            "delta_gold": delta if y1_won else -delta,
            "is_wrong": bool(self._data["is_wrong"][i]),
            "is_ambiguous": bool(self._data["is_ambiguous"][i]),
            "flipped": bool(self._data["flipped"][i]),
        }
        self._t += 1
        terminated = self._t >= len(self._order)
        return self._observation(), reward, terminated, False, info
