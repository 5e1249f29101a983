"""Reference policies of the preference worlds for the leaderboards (``rlenvs evaluate --policy module:factory``).

Each factory takes the vector env the policy acts in (see :mod:`rlenvs.evaluation.runner`); all but
:func:`strength_constant` are told the task (``uses_task``) because they read the gold reward or the
generator. They bracket what a learned method can do:

- ``PrefStrength-v0``: :func:`strength_constant` (p = 1/2, no information) and :func:`strength_label_model`
  (the labeller's exact probability: the Bayes-optimal predictor, the top of the log-likelihood scale).
- ``PrefBandit-v0``: :func:`bandit_base` (pi_0, the SFT model), :func:`bandit_best_of_16` (best of 16 pi_0
  samples by the gold reward: BoN with a perfect reward model) and :func:`bandit_gold_ascent` (gradient
  ascent on the gold reward from pi_0's mean: the oracle).
- ``SynthSumm-v0`` / ``SeqInstruct-v0``: ``*_demonstrator`` (a fresh sample of the human demonstrator),
  ``*_best_of_16`` (best of 16 demonstrator samples by the gold reward) and ``*_oracle`` (a gold-optimal
  output). A learned SFT model should approach the demonstrator; RLHF can pass it.
"""

from __future__ import annotations

import numpy as np

from rlenvs.preference.bandit import RESPONSE_SCALE
from rlenvs.preference.seqinstruct import SEQINSTRUCT
from rlenvs.preference.strength import D_X, D_Y, PrefTask, label_probability, pref_world
from rlenvs.preference.synthsumm import SYNTHSUMM
from rlenvs.preference.textworld import TextWorld

BEST_OF = 16


class _Seeded:
    """A policy with its own generator, reseeded by the runner's ``seed(seed)`` hook."""

    uses_task = True

    def __init__(self):
        self.rng = np.random.default_rng(0)

    def seed(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)


# --- PrefStrength -------------------------------------------------------------------------------------

class _LabelModel:
    uses_task = True

    def __init__(self, envs):
        self.pairs = envs.get_attr("pairs")

    def act(self, obs, task_params):
        out = np.empty((len(obs), 1))
        for i, (row, params) in enumerate(zip(obs, task_params, strict=True)):
            x, y1, y2 = row[None, :D_X], row[None, D_X:D_X + D_Y], row[None, D_X + D_Y:]
            out[i] = label_probability(PrefTask.from_array(params), self.pairs[i], x, y1, y2)
        return np.clip(out, 0.0, 1.0)


def strength_label_model(envs) -> _LabelModel:
    """Predicts the labeller's exact probability of preferring y1 (``strength.label_probability``)."""
    return _LabelModel(envs)


def strength_constant(envs):
    """Predicts 1/2 for every pair (the return is ``n log 1/2``)."""
    return lambda obs: np.full((len(obs), 1), 0.5)


# --- PrefBandit ---------------------------------------------------------------------------------------

class _BanditPolicy(_Seeded):
    def __init__(self, mode: str):
        super().__init__()
        self.mode = mode

    def _respond(self, task: PrefTask, x: np.ndarray) -> np.ndarray:
        world = pref_world(task.world_seed)
        if self.mode == "base":
            return world.sample_responses(x[None], self.rng.normal(size=(1, D_Y)), spurious=task.spurious)[0]
        if self.mode == "best_of_16":
            xs = np.repeat(x[None], BEST_OF, axis=0)
            ys = world.sample_responses(xs, self.rng.normal(size=(BEST_OF, D_Y)), spurious=task.spurious)
            return ys[np.argmax(world.gold_reward(xs, ys))]
        y = world.base_mean(x)  # gold ascent: 200 normalised steps of 0.05 from pi_0's mean
        for _ in range(200):
            g = world.gold_gradient(x, y)
            y = np.clip(y + 0.05 * g / max(np.linalg.norm(g), 1e-12), -RESPONSE_SCALE, RESPONSE_SCALE)
        return y

    def act(self, obs, task_params):
        responses = [self._respond(PrefTask.from_array(p), x) for x, p in zip(obs, task_params, strict=True)]
        return np.clip(np.stack(responses) / RESPONSE_SCALE, -1.0, 1.0)


def bandit_base(envs) -> _BanditPolicy:
    """A response of the base policy pi_0 (the SFT model)."""
    return _BanditPolicy("base")


def bandit_best_of_16(envs) -> _BanditPolicy:
    """The best of 16 pi_0 responses by the gold reward."""
    return _BanditPolicy("best_of_16")


def bandit_gold_ascent(envs) -> _BanditPolicy:
    """Gradient ascent on the gold reward from pi_0's mean (200 steps of length 0.05): the oracle."""
    return _BanditPolicy("gold_ascent")


# --- text worlds --------------------------------------------------------------------------------------

class _TokenPlan(_Seeded):
    """Plans a whole output when an episode starts (empty output in the observation) and emits it token by token."""

    def __init__(self, envs, world: TextWorld, mode: str):
        super().__init__()
        self.world, self.mode = world, mode
        self.plans = np.full((envs.num_envs, world.L_MAX), world.EOS, dtype=np.int64)

    def _plan(self, task) -> np.ndarray:
        docs = self.world.documents([task])
        if self.mode == "oracle":
            return self.world.oracle(docs)[0]
        if self.mode == "demonstrator":
            return self.world.sample_demonstrations(docs, self.rng)[0]
        many = docs.take(np.zeros(BEST_OF, dtype=np.int64))
        outputs = self.world.sample_demonstrations(many, self.rng)
        return outputs[np.argmax(self.world.gold_reward(many, outputs))]

    def act(self, obs, task_params):
        task_type = self.world.task_distribution.task_type
        written = (obs[:, self.world.P_MAX:] != self.world.PAD).sum(axis=1)
        for i in np.nonzero(written == 0)[0]:
            self.plans[i] = self._plan(task_type.from_array(task_params[i]))
        return self.plans[np.arange(len(obs)), np.minimum(written, self.world.L_MAX - 1)]


def synthsumm_demonstrator(envs) -> _TokenPlan:
    """A fresh SynthSumm demonstrator sample per document."""
    return _TokenPlan(envs, SYNTHSUMM, "demonstrator")


def synthsumm_best_of_16(envs) -> _TokenPlan:
    """The best of 16 SynthSumm demonstrator samples by the gold reward."""
    return _TokenPlan(envs, SYNTHSUMM, "best_of_16")


def synthsumm_oracle(envs) -> _TokenPlan:
    """A gold-optimal SynthSumm summary (``SynthSummWorld.oracle``)."""
    return _TokenPlan(envs, SYNTHSUMM, "oracle")


def seqinstruct_demonstrator(envs) -> _TokenPlan:
    """A fresh SeqInstruct demonstrator sample per instruction."""
    return _TokenPlan(envs, SEQINSTRUCT, "demonstrator")


def seqinstruct_best_of_16(envs) -> _TokenPlan:
    """The best of 16 SeqInstruct demonstrator samples by the gold reward."""
    return _TokenPlan(envs, SEQINSTRUCT, "best_of_16")


def seqinstruct_oracle(envs) -> _TokenPlan:
    """The exact SeqInstruct answer."""
    return _TokenPlan(envs, SEQINSTRUCT, "oracle")

