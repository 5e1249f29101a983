"""Meta-World throughput: our ML10 native vector env against the ``metaworld`` package's own ``gym.make_vec``
on ML10 with 20 envs, every episode switching task, measured in the same run.

- ``metaworld make_vec`` (baseline): ``gym.make_vec("Meta-World/ML10-train", vector_strategy="sync",
  meta_batch_size=20, seed=0)``: 2 envs per train class, each reset moving to another goal of its class
  (``PseudoRandomTaskSelectWrapper``), metaworld's SAME_STEP autoreset and wrapper stack.
- ``rlenvs native``: ``rlenvs.make_vec("rlenvs/MetaWorld-ML10-v3", num_envs=20)``: each reset draws a new
  task (class and goal) from the 500 train tasks; NEXT_STEP autoreset (reset steps are not counted).
- ``rlenvs sync``: Gymnasium's ``SyncVectorEnv`` of our single env, same setting.

Every form runs 500-step episodes with uniform random actions; a block is 500 vector steps (one episode per
env plus the resets). The first block (building every class's envs) is not timed. The ``metaworld``
``Meta-World/ML10-train`` id needs ``envs.call("sample_tasks")`` before its first reset (metaworld 3.1.1).

A second pair times a contact-heavy single env (pick-place driven by the scripted expert, so the gripper
grasps): metaworld's own env class set up as its docs show, against ours (same goal, same actions).
"""

import time

import gymnasium as gym
import numpy as np
import pytest

import rlenvs

NUM_ENVS = 20
BLOCK = 500


class _Block:
    def __init__(self, envs, next_step: bool):
        self.envs, self.next_step = envs, next_step
        self.rng = np.random.default_rng(0)
        self.transitions = 0
        self.ended = np.zeros(envs.num_envs, dtype=bool)
        envs.reset(seed=0)

    def __call__(self):
        envs = self.envs
        for _ in range(BLOCK):
            actions = self.rng.uniform(-1, 1, (envs.num_envs, 4)).astype(np.float32)
            _, _, term, trunc, _ = envs.step(actions)
            # NEXT_STEP: a step right after an episode end is a reset, not a transition
            self.transitions += int(np.count_nonzero(~self.ended)) if self.next_step else envs.num_envs
            self.ended = (term | trunc) if self.next_step else self.ended


def _metaworld_ml10():
    import metaworld  # noqa: F401  (registers the Meta-World/* ids)

    envs = gym.make_vec("Meta-World/ML10-train", vector_strategy="sync", meta_batch_size=NUM_ENVS, seed=0)
    envs.call("sample_tasks")
    return envs


FORMS = {
    "metaworld make_vec": (_metaworld_ml10, False),
    "rlenvs native": (lambda: rlenvs.make_vec("rlenvs/MetaWorld-ML10-v3", num_envs=NUM_ENVS), True),
    "rlenvs sync": (lambda: gym.make_vec("rlenvs/MetaWorld-ML10-v3", num_envs=NUM_ENVS, vectorization_mode="sync"),
                    True),
}


@pytest.mark.parametrize("form", list(FORMS))
def test_ml10_20_envs_steps_per_second(benchmark, record_throughput, rounds, form):
    make, next_step = FORMS[form]
    start = time.perf_counter()
    envs = make()
    block = _Block(envs, next_step)
    build = time.perf_counter() - start
    block()  # untimed: builds the envs of every class met
    block.transitions = 0
    benchmark.group = "metaworld-ML10-20envs"
    benchmark.pedantic(block, rounds=rounds, warmup_rounds=0)
    per_block = block.transitions / rounds
    record_throughput(per_block, env_id="MetaWorld-ML10 (20 envs)", form=form, num_envs=NUM_ENVS,
                      compare="metaworld-ml10", baseline=form == "metaworld make_vec", build_s=build)
    envs.close()
    assert block.transitions > 0


# --- a contact-heavy single env: pick-place driven by the scripted expert ------------------------------

def _expert_episode_runner(env, reset, policy):
    rng = np.random.default_rng(0)

    def run():
        obs = reset()
        for _ in range(BLOCK):
            action = np.clip(policy(obs) + rng.normal(0, 0.1, 4), -1, 1).astype(np.float32)
            obs = env.step(action)[0]

    return run


@pytest.mark.parametrize("form", ["metaworld env", "rlenvs env"])
def test_pick_place_expert_steps_per_second(benchmark, record_throughput, rounds, form):
    """Grasping makes ``touching_object`` (a Python loop over MuJoCo contacts in metaworld) expensive; our
    slots replace it with an exact array form. Same goal, same expert actions, 500-step episodes."""
    import metaworld

    from rlenvs.metaworld import MetaWorldEnv, expert_policy

    ours = MetaWorldEnv("ML1", "pick-place-v3")
    task = ours.task_distribution.split("train")[0]
    policy = expert_policy(task)
    if form == "metaworld env":
        bench = metaworld.ML1("pick-place-v3", seed=0)
        env = bench.train_classes["pick-place-v3"]()
        env.set_task(bench.train_tasks[0])
        run = _expert_episode_runner(env, lambda: env.reset()[0], policy)
    else:
        ours.set_task(task)
        env = ours
        run = _expert_episode_runner(env, lambda: env.reset(seed=0)[0], policy)
    run()
    benchmark.group = "metaworld-pick-place-expert"
    benchmark.pedantic(run, rounds=rounds, warmup_rounds=0)
    record_throughput(BLOCK, env_id="pick-place-v3 expert (1 env)", form=form, num_envs=1,
                      compare="pick-place-expert", baseline=form == "metaworld env")
