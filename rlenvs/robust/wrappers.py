"""Adversaries and domain randomisation over envs with RRLS-style parameters (the rlenvs robust envs).

The wrapped env's ``unwrapped`` must have ``get_params()``, ``set_params(**params)`` (effective at once,
mid-episode included) and ``set_task``, as :class:`rlenvs.robust.env.RobustEnv` has. ``bounds`` (``{name:
(low, high)}``) default to the env's whole uncertainty set and must lie inside it.
"""

from __future__ import annotations

from collections.abc import Mapping

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from rlenvs.core.spaces import check_action

MIXINGS = ("probabilistic", "noisy")


def _bounds(env: gym.Env, bounds: Mapping[str, tuple[float, float]] | None) -> tuple[list[str], np.ndarray, np.ndarray]:
    base = env.unwrapped
    if not all(hasattr(base, name) for name in ("get_params", "set_params", "set_task")):
        raise TypeError(f"{type(base).__name__} has no get_params/set_params; wrap an rlenvs robust env")
    valid = {spec.name: (spec.low, spec.high) for spec in base.task_distribution.task_type.field_specs()}
    bounds = dict(valid if bounds is None else bounds)
    if not bounds:
        raise ValueError("bounds must name at least one parameter")
    unknown = sorted(set(bounds) - set(valid))
    if unknown:
        raise ValueError(f"unknown parameter(s) {unknown}; the env's parameters: {list(valid)}")
    for name, (low, high) in bounds.items():
        if not valid[name][0] <= low <= high <= valid[name][1]:
            raise ValueError(f"bounds of {name!r} must satisfy {valid[name][0]:g} <= low <= high <= {valid[name][1]:g} "
                             f"(the env's set), got ({low}, {high})")
    names = list(bounds)
    return names, np.array([bounds[n][0] for n in names], float), np.array([bounds[n][1] for n in names], float)


def _pair(action, first: spaces.Space, second: spaces.Space, what: str) -> tuple[np.ndarray, np.ndarray]:
    if not (isinstance(action, (tuple, list)) and len(action) == 2):
        raise ValueError(f"the action must be a pair ({what}), got {action!r}")
    return check_action(action[0], first), check_action(action[1], second)


class DynamicAdversary(gym.Wrapper):
    """Nature moves every step (RRLS's ``DynamicAdversarial``; RARL / M3DDPG-style dynamic adversaries).

    The action is ``(agent_action, nature_action)``, ``nature_action`` in ``Box(-1, 1, (d,))``, mapped
    linearly onto ``bounds`` (``-1`` -> low, ``1`` -> high) and applied with ``set_params`` before the
    agent's move. ``info["adversarial_reward"] = -reward``; ``info`` also holds the parameters of the step.
    Every reset restores the task the env had when wrapped (none fixed: it draws from its split again).
    """

    def __init__(self, env: gym.Env, bounds: Mapping[str, tuple[float, float]] | None = None):
        super().__init__(env)
        self.names, self.low, self.high = _bounds(env, bounds)
        self._reset_task = env.unwrapped.task
        self.nature_space = spaces.Box(-1.0, 1.0, shape=(len(self.names),), dtype=np.float32)
        self.action_space = spaces.Tuple((env.action_space, self.nature_space))

    def reset(self, *, seed=None, options=None):
        self.env.unwrapped.set_task(self._reset_task)
        return self.env.reset(seed=seed, options=options)

    def step(self, action):
        agent, nature = _pair(action, self.env.action_space, self.nature_space, "agent, nature")
        values = np.clip(self.low + (nature + 1.0) * 0.5 * (self.high - self.low), self.low, self.high)  # rounding
        self.env.unwrapped.set_params(**dict(zip(self.names, values.tolist(), strict=True)))
        obs, reward, terminated, truncated, info = self.env.step(agent.astype(self.env.action_space.dtype))
        return obs, reward, terminated, truncated, {**info, "adversarial_reward": -float(reward)}


class DomainRandomization(gym.Wrapper):
    """Every reset draws the parameters uniformly from ``bounds`` (RRLS's ``DomainRandomization``).

    The draws come from the env's ``np_random``, which ``reset(seed=s)`` seeds, so a seeded run is
    reproducible; RRLS draws from the global ``np.random`` instead.
    """

    def __init__(self, env: gym.Env, bounds: Mapping[str, tuple[float, float]] | None = None):
        super().__init__(env)
        self.names, self.low, self.high = _bounds(env, bounds)

    def reset(self, *, seed=None, options=None):
        base = self.env.unwrapped
        if seed is not None:  # seed the stream now, as the env's reset is about to
            base._np_random, base._np_random_seed = gym.utils.seeding.np_random(seed)
        draws = base.np_random
        params = dict(zip(self.names, draws.uniform(self.low, self.high).tolist(), strict=True))
        obs, info = self.env.reset(seed=seed, options={**(options or {}), **params})
        base._np_random = draws  # the seeded reset made a fresh generator: continue the one drawn from
        return obs, info


class ProbabilisticActionRobust(gym.Wrapper):
    """Action-robust MDPs (Tessler, Efroni and Mannor, ICML 2019): the action is ``(agent, adversary)``,
    both in the env's action space.

    - ``mixing="probabilistic"`` (PR-MDP, the default): with probability ``alpha`` the adversary's action
      is executed, otherwise the agent's (draws from the env's ``np_random``, seeded by ``reset(seed=s)``);
      ``info["adversary_acted"]`` says which.
    - ``mixing="noisy"`` (NR-MDP): ``(1 - alpha) * agent + alpha * adversary`` is executed. RRLS's
      ``ProbabilisticActionRobust`` does this (under the PR name), with ``alpha = 0.15``.

    ``info["adversarial_reward"] = -reward``.
    """

    def __init__(self, env: gym.Env, alpha: float = 0.15, mixing: str = "probabilistic"):
        super().__init__(env)
        if not isinstance(env.action_space, spaces.Box):
            raise TypeError("ProbabilisticActionRobust needs a Box action space")
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0.0 <= alpha <= 1.0:
            raise ValueError(f"alpha must be a number in [0, 1], got {alpha!r}")
        if mixing not in MIXINGS:
            raise ValueError(f"mixing must be one of {MIXINGS}, got {mixing!r}")
        self.alpha, self.mixing = float(alpha), mixing
        self.action_space = spaces.Tuple((env.action_space, env.action_space))

    def step(self, action):
        agent, adversary = _pair(action, self.env.action_space, self.env.action_space, "agent, adversary")
        extra = {}
        if self.mixing == "probabilistic":
            acted = bool(self.env.unwrapped.np_random.uniform() < self.alpha)
            executed, extra["adversary_acted"] = (adversary if acted else agent), acted
        else:
            executed = (1.0 - self.alpha) * agent + self.alpha * adversary
        obs, reward, terminated, truncated, info = self.env.step(executed.astype(self.env.action_space.dtype))
        return obs, reward, terminated, truncated, {**info, **extra, "adversarial_reward": -float(reward)}
