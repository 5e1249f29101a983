"""Adversary and randomisation wrappers over envs with RRLS-style parameters.

They need an env whose unwrapped form has ``get_params() -> dict`` and ``set_params(**params)`` (the
change takes effect at once, mid-episode included), as the rlenvs robust families do.
"""

from __future__ import annotations

from collections.abc import Mapping

import gymnasium as gym
import numpy as np
from gymnasium import spaces


def _bounds_arrays(bounds: Mapping[str, tuple[float, float]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    if not bounds:
        raise ValueError("bounds must name at least one parameter")
    names = list(bounds)
    low = np.array([bounds[n][0] for n in names], dtype=np.float64)
    high = np.array([bounds[n][1] for n in names], dtype=np.float64)
    if np.any(low > high):
        raise ValueError(f"every bound needs low <= high, got {dict(bounds)}")
    return names, low, high


def _check_params(env: gym.Env, names: list[str]) -> None:
    base = env.unwrapped
    if not (hasattr(base, "get_params") and hasattr(base, "set_params")):
        raise TypeError(f"{type(base).__name__} has no get_params/set_params; use an rlenvs robust env")
    unknown = sorted(set(names) - set(base.get_params()))
    if unknown:
        raise ValueError(f"unknown parameters {unknown}; the env has {sorted(base.get_params())}")


class DynamicAdversary(gym.Wrapper):
    """Nature acts every step: the action is ``(agent_action, nature_action)`` with nature's action in
    ``[-1, 1]^d``, mapped linearly onto ``bounds`` and applied with ``set_params`` before the agent's move
    (RRLS's ``DynamicAdversarial``). ``info["adversarial_reward"] = -reward``. Every reset restores the
    parameters the env had when wrapped."""

    def __init__(self, env: gym.Env, bounds: Mapping[str, tuple[float, float]]):
        super().__init__(env)
        self.names, self.low, self.high = _bounds_arrays(bounds)
        _check_params(env, self.names)
        self._defaults = {n: env.unwrapped.get_params()[n] for n in self.names}
        nature = spaces.Box(-1.0, 1.0, shape=(len(self.names),), dtype=np.float32)
        self.action_space = spaces.Tuple((env.action_space, nature))

    def reset(self, **kwargs):
        self.env.unwrapped.set_params(**self._defaults)
        return self.env.reset(**kwargs)

    def step(self, action):
        agent, nature = action
        nature = np.asarray(nature, dtype=np.float64)
        if nature.shape != self.low.shape or np.any(np.abs(nature) > 1.0) or not np.all(np.isfinite(nature)):
            raise ValueError(f"nature's action must be {self.low.shape[0]} values in [-1, 1], got {nature!r}")
        values = self.low + (nature + 1.0) * 0.5 * (self.high - self.low)
        self.env.unwrapped.set_params(**dict(zip(self.names, values.tolist(), strict=True)))
        obs, reward, terminated, truncated, info = self.env.step(agent)
        info = {**info, "adversarial_reward": -reward, "params": self.env.unwrapped.get_params()}
        return obs, reward, terminated, truncated, info


class DomainRandomization(gym.Wrapper):
    """Every reset draws the parameters uniformly from ``bounds`` with the env's own seeded ``np_random``
    (RRLS draws them from the global ``np.random``, so its resets are not reproducible)."""

    def __init__(self, env: gym.Env, bounds: Mapping[str, tuple[float, float]]):
        super().__init__(env)
        self.names, self.low, self.high = _bounds_arrays(bounds)
        _check_params(env, self.names)

    def reset(self, *, seed=None, options=None):
        if seed is not None:
            self.env.unwrapped._np_random, _ = gym.utils.seeding.np_random(seed)
        values = self.env.unwrapped.np_random.uniform(self.low, self.high)
        self.env.unwrapped.set_params(**dict(zip(self.names, values.tolist(), strict=True)))
        obs, info = self.env.reset(seed=seed, options=options)
        return obs, {**info, "params": self.env.unwrapped.get_params()}


class ProbabilisticActionRobust(gym.Wrapper):
    """PR-MDP (Tessler et al., ICML 2019): the action is ``(agent, adversary)`` and the env executes
    ``(1 - alpha) * agent + alpha * adversary`` (RRLS's default ``alpha`` is 0.15)."""

    def __init__(self, env: gym.Env, alpha: float = 0.15):
        super().__init__(env)
        if not isinstance(env.action_space, spaces.Box):
            raise TypeError("ProbabilisticActionRobust needs a Box action space")
        if not 0.0 <= alpha <= 1.0:
            raise ValueError(f"alpha must be in [0, 1], got {alpha}")
        self.alpha = float(alpha)
        self.action_space = spaces.Tuple((env.action_space, env.action_space))

    def step(self, action):
        agent, adversary = (np.asarray(a, dtype=np.float64) for a in action)
        mixed = (1.0 - self.alpha) * agent + self.alpha * adversary
        return self.env.step(mixed.astype(self.env.action_space.dtype))
