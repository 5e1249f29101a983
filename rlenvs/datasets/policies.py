"""Batched behaviour policies for dataset collection.

A policy is a callable ``policy(obs, task_params, rng) -> actions`` over a batch: ``obs`` has one row per
env, ``task_params`` the rows of ``Task.to_array()`` of each env's task, ``rng`` a NumPy Generator for any
noise. :func:`get_policy` returns the policy of a quality tier for an env; families add their experts to
:data:`TIER_POLICIES` (and later baselines plug in trained agents the same way). A policy with
``needs_env = True`` is also handed the single env it acts in (``policy(obs, task_params, rng, env)``):
privileged scripted experts that read the env's internals, collected without the vector env.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rlenvs.registration import get_entry

Policy = Callable[[np.ndarray, np.ndarray, np.random.Generator], np.ndarray]

POINT_ROBOT_MAX_STEP = 0.1
POINT_ROBOT_MEDIUM_NOISE = 0.1


def random_policy(action_space) -> Policy:
    """Uniform actions over a Box or Discrete single-env action space."""
    from gymnasium import spaces

    def act(obs, task_params, rng):
        n = obs.shape[0]
        if isinstance(action_space, spaces.Discrete):
            return rng.integers(action_space.start, action_space.start + action_space.n, size=n)
        if isinstance(action_space, spaces.Box):
            return rng.uniform(action_space.low, action_space.high, size=(n, *action_space.shape)).astype(
                action_space.dtype)
        raise TypeError(f"no random policy for {type(action_space).__name__}")

    return act


def point_robot_expert(obs, task_params, rng):
    """The optimal Point-Robot policy: each axis moves as far towards the goal as the action box allows.

    The box is separable and the reward is ``-|pos - goal|`` after each move, so the greedy step is
    optimal at every step and for the episode.
    """
    return np.clip(task_params[:, :2] - obs, -POINT_ROBOT_MAX_STEP, POINT_ROBOT_MAX_STEP).astype(np.float32)


def point_robot_medium(obs, task_params, rng):
    """The expert with Gaussian action noise (std 0.1), clipped to the action box.

    Meta-DT's medium data come from an intermediate SAC checkpoint; a noisy expert stands in for it until
    the SAC baseline exists (plug it in through ``TIER_POLICIES``).
    """
    noisy = point_robot_expert(obs, task_params, rng) + rng.normal(0.0, POINT_ROBOT_MEDIUM_NOISE, size=obs.shape)
    return np.clip(noisy, -POINT_ROBOT_MAX_STEP, POINT_ROBOT_MAX_STEP).astype(np.float32)


METAWORLD_MEDIUM_NOISE = 0.5


def metaworld_tier(noise_std: float) -> Policy:
    """metaworld's scripted expert of each env's task, plus Gaussian action noise, clipped to ``[-1, 1]``.

    ``noise_std=0`` is the expert; the medium tier uses :data:`METAWORLD_MEDIUM_NOISE` (Meta-DT's medium
    data come from a partly trained SAC agent; a noisy expert stands in for it, as for Point-Robot).
    """
    from rlenvs.metaworld.experts import ExpertReference

    experts = ExpertReference(None)

    def act(obs, task_params, rng):
        actions = experts.act(obs, task_params)
        if noise_std:
            actions = np.clip(actions + rng.normal(0.0, noise_std, size=actions.shape), -1.0, 1.0)
        return actions.astype(np.float32)

    return act


class HouseOracle:
    """HouseNav's privileged shortest-path oracle (:class:`rlenvs.house.references.Oracle`) as a dataset
    policy: it reads the single env it acts in (``needs_env``), so its recipes collect with single envs."""

    needs_env = True

    def __init__(self):
        from rlenvs.house.references import Oracle

        self.oracle = Oracle()

    def __call__(self, obs, task_params, rng, env):
        return np.array([self.oracle(env, obs[0])])


# (family of the registry entry, tier) -> policy factory taking the single-env action space.
TIER_POLICIES: dict[tuple[str, str], Callable[[object], Policy]] = {
    ("point_robot", "expert"): lambda space: point_robot_expert,
    ("point_robot", "medium"): lambda space: point_robot_medium,
    ("metaworld", "expert"): lambda space: metaworld_tier(0.0),
    ("metaworld", "medium"): lambda space: metaworld_tier(METAWORLD_MEDIUM_NOISE),
    ("house", "expert"): lambda space: HouseOracle(),
}

TIERS = ("random", "medium", "expert")


def get_policy(env_id: str, tier: str, action_space) -> Policy:
    """The behaviour policy of ``tier`` (``random``, ``medium`` or ``expert``) for ``env_id``."""
    if tier == "random":
        return random_policy(action_space)
    entry = get_entry(env_id)
    factory = TIER_POLICIES.get((entry.family, tier))
    if factory is None:
        known = sorted({t for (family, t) in TIER_POLICIES if family == entry.family} | {"random"})
        raise ValueError(f"no {tier!r} policy for {entry.id} (family {entry.family}); available tiers: {known}")
    return factory(action_space)
