import os
from pathlib import Path

import numpy as np
import pytest

import rlenvs

# BO-HPOB-v0 reads HPO-B from a user-supplied folder; tests run it on the tiny synthetic copy in tests/bo/.
os.environ["RLENVS_HPOB_DIR"] = str(Path(__file__).parent / "bo" / "hpob_fixture")


def _ids(entries):
    """Parametrize values: ids of entries with ``ci=False`` run only under the ``slow`` marker."""
    return [pytest.param(e.id, marks=() if e.ci else pytest.mark.slow) for e in entries]


# The single-agent contract covers every Gymnasium env; PettingZoo envs have their own API test.
ALL_IDS = _ids(rlenvs.list_envs(api="gymnasium"))
VECTOR_IDS = _ids([e for e in rlenvs.list_envs(api="gymnasium") if e.vector])
PARALLEL_IDS = _ids(rlenvs.list_envs(api="pettingzoo"))


def snapshot(obs):
    """A deep copy of an observation: an array, or a dict of arrays (``Dict`` spaces)."""
    return {key: np.array(value) for key, value in obs.items()} if isinstance(obs, dict) else np.array(obs)


def assert_obs_equal(a, b):
    """Observations (arrays, or dicts of arrays with the same keys) are equal."""
    if isinstance(a, dict) or isinstance(b, dict):
        assert isinstance(a, dict) and isinstance(b, dict) and set(a) == set(b)
        for key in a:
            np.testing.assert_array_equal(a[key], b[key], err_msg=f"observation key {key!r}")
    else:
        np.testing.assert_array_equal(a, b)


def shares_memory(a, b) -> bool:
    """Whether two observations (arrays, or dicts of arrays) share their buffers."""
    if isinstance(a, dict):
        return set(a) == set(b) and all(np.shares_memory(a[key], b[key]) for key in a)
    return np.shares_memory(a, b)


def rollout(env, actions, seed):
    """Run ``actions`` from ``reset(seed=seed)``, resetting (unseeded) at episode ends; return the record."""
    obs, info = env.reset(seed=seed)
    record = [("reset", snapshot(obs), info["task"])]
    for action in actions:
        obs, reward, terminated, truncated, _ = env.step(action)
        record.append(("step", snapshot(obs), float(reward), bool(terminated), bool(truncated)))
        if terminated or truncated:
            obs, info = env.reset()
            record.append(("reset", snapshot(obs), info["task"]))
    return record


def sample_actions(space, n, seed=0):
    space.seed(seed)
    return [space.sample() for _ in range(n)]


@pytest.fixture
def make_env():
    """``make_env(env_id, **kwargs)``: a ``gym.make`` env closed after the test."""
    made = []

    def _make(env_id, **kwargs):
        env = rlenvs.make(env_id, **kwargs)
        made.append(env)
        return env

    yield _make
    for env in made:
        env.close()
