import numpy as np
import pytest

import rlenvs


def _ids(entries):
    """Parametrize values: ids of entries with ``ci=False`` run only under the ``slow`` marker."""
    return [pytest.param(e.id, marks=() if e.ci else pytest.mark.slow) for e in entries]


# The single-agent contract covers every Gymnasium env; PettingZoo envs have their own API test.
ALL_IDS = _ids(rlenvs.list_envs(api="gymnasium"))
VECTOR_IDS = _ids([e for e in rlenvs.list_envs(api="gymnasium") if e.vector])
PARALLEL_IDS = _ids(rlenvs.list_envs(api="pettingzoo"))


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
