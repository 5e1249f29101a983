"""Throughput of every registered env: the single env, Gymnasium's SyncVectorEnv of it, and the native
batched vector env, all measured in the same run with :class:`rlenvs.benchmarking.Runner` (the code
``rlenvs bench`` uses)."""

import pytest

import rlenvs
from rlenvs.benchmarking import Runner

SYNC_NUM_ENVS = 64
FORMS = {"single": "gym.make", "sync": "SyncVectorEnv", "vector": "native vector"}

CASES = [
    pytest.param(entry.id, mode, id=f"{entry.id.split('/')[1]}-{mode}")
    for entry in rlenvs.list_envs(api="gymnasium")
    if entry.ci  # the others: `rlenvs bench ID`
    for mode in ("single", "sync", "vector")
    if mode != "vector" or entry.vector
]


@pytest.mark.parametrize(("env_id", "mode"), CASES)
def test_env_steps_per_second(benchmark, record_throughput, rounds, request, env_id, mode):
    num_envs = {"single": 1, "sync": SYNC_NUM_ENVS, "vector": request.config.getoption("--rlenvs-num-envs")}[mode]
    runner = Runner(env_id, mode, num_envs)
    runner.warm_up()
    benchmark.group = env_id
    benchmark.pedantic(runner.run_block, rounds=rounds)
    record_throughput(runner.transitions_per_block, env_id=env_id, mode=mode, form=FORMS[mode],
                             num_envs=runner.num_envs, compare=env_id, baseline=mode == "sync")
    runner.close()
    assert runner.transitions > 0
