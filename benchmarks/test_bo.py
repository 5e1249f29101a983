"""BO-specific throughput: objective evaluations per second (the numba kernel over a batch of points), the
batched env on Hartmann-6 with 1024 candidates (copied and ``copy=False`` outputs), and the GP-features
observation (d=6, T=32, 64 candidates). Targets (issue 8): >= 5M evaluations/s, >= 200k env-steps/s and
>= 25k env-steps/s on one core; printed beside each figure, not asserted (timings on shared machines vary).

Every-id single/sync/vector figures are in ``test_throughput.py``. Actions are uniform over the candidates,
as ``action_space.sample()`` draws them (so some are already-queried candidates: invalid, cheap steps).
"""

import numpy as np
import pytest

import rlenvs
from rlenvs.bo import _kernels as K
from rlenvs.bo.tasks import FUNCTIONS

ENV_ID = "rlenvs/BO-Hartmann6-v0"


class Block:
    """``steps`` vector steps of fixed uniform actions; counts transitions (NEXT_STEP autoresets excluded)."""

    def __init__(self, num_envs, steps, copy=True, **options):
        self.envs = rlenvs.make_vec(ENV_ID, num_envs=num_envs, vectorization_mode="vector_entry_point", copy=copy,
                                    **options)
        self.envs.action_space.seed(0)
        self.actions = [self.envs.action_space.sample() for _ in range(steps)]
        self.envs.reset(seed=0)
        self.transitions = 0
        self._resetting = 0

    def run(self):
        step = self.envs.step
        for action in self.actions:
            _, _, terminated, truncated, _ = step(action)
            self.transitions += len(action) - self._resetting
            self._resetting = int(np.count_nonzero(terminated | truncated))


def test_bo_function_evaluations_per_second(benchmark, record_throughput, rounds):
    function = FUNCTIONS["hartmann6"]
    lo, hi = function.bounds(6)
    X = np.random.default_rng(0).random((1 << 20, 6))
    params = np.array([1.0, 0.05, -0.05, 0.0, 0.02, -0.01, 0.03])
    out = np.empty(len(X))
    args = (function.fn_id, X, params, lo, hi, function.mean, function.std, function.transform, out)
    K.evaluate_batch(*args)
    benchmark.group = "bo-evaluations"
    benchmark.pedantic(K.evaluate_batch, args=args, rounds=rounds, warmup_rounds=1)
    rate = record_throughput(len(X), env_id=ENV_ID, form="Hartmann-6 evals/s", num_envs=1, compare="bo-evals")
    print(f"\nHartmann-6 evaluations: {rate / 1e6:.1f}M/s (target 5M/s)")


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "nocopy"])
def test_bo_vector_steps_per_second(benchmark, record_throughput, rounds, request, copy):
    num_envs = request.config.getoption("--rlenvs-num-envs")
    block = Block(num_envs, max(1, 32768 // num_envs), copy=copy)
    block.run()  # compile / load the kernels
    block.transitions = 0
    benchmark.group = "bo-vector"
    benchmark.pedantic(block.run, rounds=rounds, warmup_rounds=1)
    rate = record_throughput(block.transitions / (rounds + 1), env_id=ENV_ID, form=f"vector copy={copy}",
                             num_envs=num_envs, compare="bo-vector")
    print(f"\n{ENV_ID}, 1024 candidates, {num_envs} envs, copy={copy}: {rate:,.0f} env-steps/s (target 200k)")


def test_bo_gp_features_steps_per_second(benchmark, record_throughput, rounds):
    num_envs = 256
    block = Block(num_envs, 128, copy=False, gp_features=True, budget=32, n_candidates=64)
    block.run()
    block.transitions = 0
    benchmark.group = "bo-gp-features"
    benchmark.pedantic(block.run, rounds=rounds, warmup_rounds=1)
    rate = record_throughput(block.transitions / (rounds + 1), env_id=ENV_ID, form="GP features copy=False",
                             num_envs=num_envs, compare="bo-gp")
    print(f"\n{ENV_ID} with GP features (T=32, 64 candidates): {rate:,.0f} env-steps/s (target 25k)")
