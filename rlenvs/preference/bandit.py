"""PrefBandit: the policy stage of RLHF on a preference world with a gold reward (Wang et al. 2024)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from gymnasium import spaces

from rlenvs.core import rng as _rng
from rlenvs.core.env import TaskEnv
from rlenvs.core.spaces import check_action
from rlenvs.preference.strength import D_X, D_Y, PrefTask, PrefTaskDistribution, PrefWorld, pref_world

RESPONSE_SCALE = 10.0  # response y = RESPONSE_SCALE * action; pi_0's responses stay inside (|y| < 6 in practice)
MAX_ROUND = 16


class PrefBanditEnv(TaskEnv):
    """Answer a prompt with a response; the gold reward scores it (a one-step contextual bandit).

    ## Description
    The policy-optimisation stage of "Secrets of RLHF in LLMs Part II" (PPO on a reward model, MetaRM's
    iterative rounds) on the preference world of ``PrefStrength-v0``: same task, same gold reward, same
    base policy pi_0 (the SFT model). Train a reward model on ``PrefStrength``'s pair sets, wrap this env
    in :class:`~rlenvs.preference.learned_reward.LearnedRewardWrapper` to optimise against it, and read
    the gold reward in ``info["gold_reward"]``. Batched work (best-of-N, PPO on thousands of prompts)
    goes through the world directly: ``env.unwrapped.world`` (a :class:`PrefWorld`) has
    ``sample_responses``, ``gold_reward`` and ``gold_gradient`` over arrays.

    ## Task distribution
    :class:`~rlenvs.preference.strength.PrefTask`, shared with ``PrefStrength-v0`` (same splits and
    hashes), so a reward model trained on a task's pairs is evaluated on the same task here.

    ## Action space
    ``Box(-1, 1, (8,), float64)``: the response scaled down, ``y = 10 * action`` (a normalised action
    space; the world's responses, the pair sets and ``scored_response()`` are in the units of y).

    ## Observation space
    ``Box(-inf, inf, (8,), float64)``: the prompt x, from N(0, I) (``prompts="id"``) or the task's OOD
    prompt distribution (``prompts="ood"``).

    ## Rewards
    The gold reward r*(x, y) (mean 0, std 1 over pi_0's responses to ID prompts). The step info holds
    ``gold_reward``, ``reference_gold_reward`` (the gold reward of a pi_0 response to the same prompt,
    drawn at reset: win / tie / lose against SFT is ``gold_reward - reference_gold_reward`` against
    ``strength.TAU``) and ``round``. ``env.unwrapped.reference_response`` is that pi_0 response.

    ## Starting state
    A prompt drawn from the env's seeded stream, then the pi_0 reference response.

    ## Episode end
    Terminates after one step.

    ## Arguments
    ``task``, ``task_split`` (the task contract); ``prompts``: ``"id"`` (default) or ``"ood"``.
    ``reset(options={"round": k})`` (``0 <= k <= 16``) sets the round of iterative RLHF from that reset on
    (it persists like a task): it is reported in the infos and picks ``reward_fn[k]`` when
    ``LearnedRewardWrapper`` holds one reward model per round.

    ## Version history
    - v0: initial version.
    """

    metadata = {"render_modes": []}
    reset_options = ("task", "round")

    def __init__(self, *, task: PrefTask | Mapping | None = None, task_split: str = "train", prompts: str = "id"):
        super().__init__(PrefTaskDistribution(), task=task, task_split=task_split)
        if prompts not in ("id", "ood"):
            raise ValueError(f"prompts must be 'id' or 'ood', got {prompts!r}")
        self.prompts = prompts
        self.observation_space = spaces.Box(-np.inf, np.inf, shape=(D_X,), dtype=np.float64)
        self.action_space = spaces.Box(-1.0, 1.0, shape=(D_Y,), dtype=np.float64)
        self.round = 0
        self._x = np.zeros(D_X)
        self._y = np.zeros(D_Y)
        self.reference_response = np.zeros(D_Y)
        self._reference_gold = 0.0

    @property
    def world(self) -> PrefWorld:
        """The world of the current task."""
        if self.task is None:
            raise RuntimeError("no task yet: call reset() or set_task() first")
        return pref_world(self.task.world_seed)

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        if isinstance(options, Mapping) and "round" in options:
            k = options["round"]
            if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k <= MAX_ROUND:
                raise ValueError(f"round must be an int in [0, {MAX_ROUND}], got {k!r}")
            self.round = int(k)
        return super().reset(seed=seed, options=options)

    def _reset_episode(self, task: PrefTask):
        world = pref_world(task.world_seed)
        noise = _rng.draw_normal(self._rng, 0, D_X)
        self._x = noise if self.prompts == "id" else world.ood_prompts(noise, task.prompt_shift)
        reference = world.sample_responses(self._x[None], _rng.draw_normal(self._rng, 0, D_Y)[None],
                                           spurious=task.spurious)
        self.reference_response = reference[0]
        self._reference_gold = float(world.gold_reward(self._x, self.reference_response))
        self._y = np.zeros(D_Y)
        return self._x.copy(), {"round": self.round, "reference_gold_reward": self._reference_gold}

    def step(self, action):
        self._y = RESPONSE_SCALE * check_action(action, self.action_space)
        reward = float(self.world.gold_reward(self._x, self._y))
        info = {"gold_reward": reward, "reference_gold_reward": self._reference_gold, "round": self.round}
        return self._x.copy(), reward, True, False, info

    def scored_response(self) -> tuple[np.ndarray, np.ndarray]:
        """The last step's (prompt, response), for :class:`LearnedRewardWrapper`."""
        return self._x.copy(), self._y.copy()
