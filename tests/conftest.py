import numpy as np
import pytest

import rlenvs

# The single-agent contract covers every Gymnasium env; PettingZoo envs have their own API test.
ALL_IDS = [entry.id for entry in rlenvs.list_envs(api="gymnasium")]
VECTOR_IDS = [entry.id for entry in rlenvs.list_envs(api="gymnasium") if entry.vector]
PARALLEL_IDS = [entry.id for entry in rlenvs.list_envs(api="pettingzoo")]


def rollout(env, actions, seed):
    """Run ``actions`` from ``reset(seed=seed)``, resetting (unseeded) at episode ends; return the record."""
    obs, info = env.reset(seed=seed)
    record = [("reset", np.array(obs), info["task"])]
    for action in actions:
        obs, reward, terminated, truncated, _ = env.step(action)
        record.append(("step", np.array(obs), float(reward), bool(terminated), bool(truncated)))
        if terminated or truncated:
            obs, info = env.reset()
            record.append(("reset", np.array(obs), info["task"]))
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
