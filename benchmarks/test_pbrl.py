"""Preference-RL throughput: PrefPointButton's native vector env with and without the feedback wrapper
(the wrapper's cost), the exact PrefGrid solve an A-PARL step needs, and the B-Pref teacher's labels/s.

Every-id single/sync/vector figures are in ``test_throughput.py``; this file adds what is the family's own.
"""

import numpy as np
import pytest

from rlenvs.benchmarking import Runner
from rlenvs.preference.point_button import PrefPointButtonVectorEnv
from rlenvs.preference.pref_grid import PrefGridDistribution, grid_transitions, reward_features, soft_value_iteration
from rlenvs.preference.teachers import SimTeacher

ENV_ID = "rlenvs/PrefPointButton-v0"


@pytest.mark.parametrize("num_envs", [64, 1024])
def test_point_button_wrapped_vector_steps_per_second(benchmark, record_throughput, rounds, num_envs):
    runner = Runner(ENV_ID, "vector", num_envs)
    runner.warm_up()
    benchmark.group = "pbrl-point-button"
    benchmark.pedantic(runner.run_block, rounds=rounds)
    record_throughput(runner.transitions_per_block, env_id=ENV_ID, form="wrapped vector", num_envs=num_envs,
                      compare=f"pbrl-{num_envs}", baseline=False)
    runner.close()


@pytest.mark.parametrize("num_envs", [64, 1024])
def test_point_button_bare_vector_steps_per_second(benchmark, record_throughput, rounds, num_envs):
    """The base env without the wrapper: the baseline of the wrapper's overhead."""
    envs = PrefPointButtonVectorEnv(num_envs)
    envs.reset(seed=0)
    envs.action_space.seed(0)
    actions = [envs.action_space.sample() for _ in range(max(1, 16384 // num_envs))]

    def block():
        for a in actions:
            envs.step(a)

    block()
    benchmark.group = "pbrl-point-button"
    benchmark.pedantic(block, rounds=rounds, warmup_rounds=1)
    # 100-step episodes: one autoreset step in 101
    record_throughput(len(actions) * num_envs * 100 / 101, env_id=ENV_ID, form="bare vector", num_envs=num_envs,
                      compare=f"pbrl-{num_envs}", baseline=True)


def test_pref_grid_soft_value_iteration_with_gradients(benchmark, record_throughput, rounds):
    """One exact lower-level solve of PrefGrid (8x8, H = 30, 4 reward parameters, forward-mode derivatives)."""
    task = PrefGridDistribution().split("test")[0]
    phi, transitions = reward_features(task), grid_transitions()
    reward = phi @ np.array([1.0, -0.5, -0.5, -0.05])
    benchmark.group = "pbrl-grid"
    benchmark.pedantic(soft_value_iteration, args=(reward, transitions, 30, 0.1, phi), rounds=rounds, warmup_rounds=1)
    record_throughput(1, env_id="rlenvs/PrefGrid-v0", form="soft VI + grad solves/s", num_envs=1,
                      compare="pbrl-grid")


def test_teacher_labels_per_second(benchmark, record_throughput, rounds):
    """B-Pref's largest feedback round: 1000 pairs of 50-step segments, noisy (Bradley-Terry) teacher."""
    teacher = SimTeacher("noisy", seed=0)
    r0, r1 = np.random.default_rng(0).uniform(0, 1, (2, 1000, 50))
    benchmark.group = "pbrl-teacher"
    benchmark.pedantic(teacher.label, args=(r0, r1, 5.0), rounds=rounds, warmup_rounds=1)
    record_throughput(1000, env_id="SimTeacher", form="labels/s", num_envs=1, compare="pbrl-teacher")
