"""Batched behaviour policies for dataset collection.

A policy is a callable ``policy(obs, task_params, rng) -> actions`` over a batch: ``obs`` has one row per
env, ``task_params`` the rows of ``Task.to_array()`` of each env's task, ``rng`` a NumPy Generator for any
noise. :func:`get_policy` returns the policy of a quality tier for an env; families add their experts to
:data:`TIER_POLICIES` (and later baselines plug in trained agents the same way). A policy with
``needs_env = True`` is also handed the single env it acts in (``policy(obs, task_params, rng, env)``):
privileged scripted experts that read the env's internals, collected without the vector env. A policy
with a ``bind(envs)`` method is bound to the native vector env that collects with it
(:class:`ReferenceTier`: a leaderboard reference as a dataset policy).
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


class ReferenceTier:
    """A leaderboard reference policy factory (``"module:factory"``, see :mod:`rlenvs.evaluation.runner`) as a
    dataset policy for a ``Discrete`` action space: each step, with probability ``epsilon`` an env takes a
    uniform random action instead (``epsilon=0``: the reference itself; the medium tier mixes in noise)."""

    def __init__(self, factory: str, epsilon: float = 0.0):
        self.factory, self.epsilon = factory, float(epsilon)
        self._act = None

    def bind(self, envs) -> None:
        from rlenvs.evaluation.runner import load_object

        policy = load_object(self.factory)(envs)
        self._act = getattr(policy, "act", policy)
        self._uses_task = getattr(policy, "uses_task", False)
        self._n = int(envs.single_action_space.n)

    def __call__(self, obs, task_params, rng):
        if self._act is None:
            raise RuntimeError(f"{self.factory} must be bound to the vector env first (rollout_episodes does it)")
        actions = np.asarray(self._act(obs, task_params) if self._uses_task else self._act(obs), dtype=np.int64)
        if self.epsilon:
            explore = rng.random(len(actions)) < self.epsilon
            actions = np.where(explore, rng.integers(0, self._n, size=len(actions)), actions)
        return actions



class HouseOracle:
    """HouseNav's privileged shortest-path oracle (:class:`rlenvs.house.references.Oracle`) as a dataset
    policy: it reads the single env it acts in (``needs_env``), so its recipes collect with single envs."""

    needs_env = True

    def __init__(self):
        from rlenvs.house.references import Oracle

        self.oracle = Oracle()

    def __call__(self, obs, task_params, rng, env):
        return np.array([self.oracle(env, obs[0])])


# (env id, entry point or family of the registry entry, tier) -> policy factory taking the single-env action
# space; get_policy looks the env up in that order.
TIER_POLICIES: dict[tuple[str, str], Callable[[object], Policy]] = {
    ("point_robot", "expert"): lambda space: point_robot_expert,
    ("point_robot", "medium"): lambda space: point_robot_medium,
    ("metaworld", "expert"): lambda space: metaworld_tier(0.0),
    ("metaworld", "medium"): lambda space: metaworld_tier(METAWORLD_MEDIUM_NOISE),
    ("house", "expert"): lambda space: HouseOracle(),
    **{(entry_point, tier): (lambda space, ref=ref, eps=eps if tier == "medium" else 0.0: ReferenceTier(ref, eps))
       for entry_point, ref, eps in (
           ("rlenvs.gridworld.lpg:LPGGridEnv", "rlenvs.gridworld.references:lpg_optimal", 0.5),
           ("rlenvs.gridworld.maze:MazeEnv", "rlenvs.gridworld.references:maze_shortest_path", 0.5),
           # a lock pays only for the whole combination: (1 - eps + eps / A)^H of episodes open it (0.4 here)
           ("rlenvs.gridworld.lock:CombinationLockEnv", "rlenvs.gridworld.references:lock_oracle", 0.1))
       for tier in ("expert", "medium")},
}

TIERS = ("random", "medium", "expert")


def get_policy(env_id: str, tier: str, action_space) -> Policy:
    """The behaviour policy of ``tier`` (``random``, ``medium`` or ``expert``) for ``env_id``."""
    if tier == "random":
        return random_policy(action_space)
    entry = get_entry(env_id)
    keys = (entry.id, entry.entry_point, entry.family)
    factory = next((TIER_POLICIES[(key, tier)] for key in keys if (key, tier) in TIER_POLICIES), None)
    if factory is None:
        known = sorted({t for (key, t) in TIER_POLICIES if key in keys} | {"random"})
        raise ValueError(f"no {tier!r} policy for {entry.id} (family {entry.family}); available tiers: {known}")
    return factory(action_space)
