"""Dataset collection speed: the native vector env against a single-env loop, in the same run.

Both paths roll out the Point-Robot expert over Meta-DT's 45 train tasks x 20 episodes (900 episodes of
20 steps); the figure is collected transitions per second (Minari writing excluded).
"""

import pytest

import rlenvs
from rlenvs.datasets import get_policy, rollout_episodes

ENV_ID = "rlenvs/PointRobot-v0"
TASKS = [t for t in rlenvs.make(ENV_ID).unwrapped.task_distribution.split("train") for _ in range(20)]
POLICY = get_policy(ENV_ID, "expert", None)


@pytest.mark.parametrize("vectorized", [True, False], ids=["native-vector", "single-env-loop"])
def test_collection_transitions_per_second(benchmark, record_throughput, rounds, vectorized):
    def collect():
        return rollout_episodes(ENV_ID, POLICY, TASKS, num_envs=1024, vectorized=vectorized)

    collect()  # warm-up: kernels
    benchmark.group = "dataset collection"
    episodes = benchmark.pedantic(collect, rounds=rounds, warmup_rounds=0)
    record_throughput(sum(len(ep.actions) for ep in episodes), env_id=ENV_ID, mode="collect",
                      form="collect vector" if vectorized else "collect single", num_envs=1024 if vectorized else 1,
                      compare="collect", baseline=not vectorized)
    assert len(episodes) == len(TASKS)
