"""Smoke, plumbing and checkpoint tests of baselines/ (fast: a few hundred env or gradient steps each)."""

import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

pytest.importorskip("tyro")
pytest.importorskip("tensorboard")

from baselines import ppo, sac, td3_bc  # noqa: E402
from baselines.common import TaskVecEnv, evaluate, load_policy, scale_action, unscale_action  # noqa: E402
from rlenvs.point_robot.tasks import PointRobotDistribution  # noqa: E402

PR = "rlenvs/PointRobot-v0"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def tb_tags(run_dir):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    acc = EventAccumulator(run_dir)
    acc.Reload()
    return set(acc.Tags()["scalars"])


def expert_dataset(task_index, episodes):
    """Analytic expert (each axis moves min(0.1, distance) towards the goal) on one task, recomputed here."""
    goal = np.array(PointRobotDistribution().split("train")[task_index].goal)
    obs, acts, rews, nxt = [], [], [], []
    for _ in range(episodes):
        pos = np.zeros(2)
        for _t in range(20):
            a = np.clip(goal - pos, -0.1, 0.1).astype(np.float32)
            obs.append(pos.astype(np.float32))
            pos = pos + a
            acts.append(a)
            rews.append(-np.linalg.norm(pos - goal))
            nxt.append(pos.astype(np.float32))
    return {"observations": np.array(obs), "actions": np.array(acts), "rewards": np.array(rews),
            "next_observations": np.array(nxt), "terminations": np.zeros(len(obs), dtype=bool)}


def check_roundtrip(result, obs_dim, act_space):
    loaded = load_policy(result.checkpoint)
    obs = np.random.default_rng(0).uniform(-1, 1, size=(7, obs_dim)).astype(np.float32)
    expected, got = result.policy(obs), loaded(obs)
    np.testing.assert_array_equal(got, expected)
    assert got.shape[0] == 7 and all(act_space.contains(a) for a in got)
    np.testing.assert_array_equal(loaded(obs[0]), expected[0])  # a single observation works too


# --- TaskVecEnv: tasks, autoreset mask, returns -------------------------------------------------------
def test_task_vec_env_per_task_and_multi_task():
    split = PointRobotDistribution().split("train")
    env = TaskVecEnv(PR, 3, seed=5, task_index=4)
    env.reset()
    assert env.envs.tasks == [split[4]] * 3
    for _ in range(45):  # across autoresets the pinned task stays
        env.step(np.zeros((3, 2), np.float32))
    assert env.envs.tasks == [split[4]] * 3
    env.close()
    multi = TaskVecEnv(PR, 8, seed=5, task_in_obs=True)
    obs = multi.reset()
    assert obs.shape == (8, 4) and multi.single_observation_space.shape == (4,)
    goals = obs[:, 2:]
    assert len({tuple(g) for g in goals}) > 1  # multi-task: the envs draw different tasks of the split
    assert {tuple(np.float32(split[k].goal)) for k in range(len(split))} >= {tuple(g) for g in goals}
    multi.close()


def test_task_vec_env_masks_autoreset_steps_and_sums_returns():
    env = TaskVecEnv(PR, 2, seed=0, task_index=0)
    env.reset()
    goal = np.array(PointRobotDistribution().split("train")[0].goal)
    action = np.array([[0.05, -0.02], [0.0, 0.1]], np.float32)
    valids, rewards = [], []
    for _ in range(42):
        _, r, _, _, valid = env.step(action)
        valids.append(valid.copy())
        rewards.append(r)
    valids = np.array(valids)
    # 20-step episodes, NEXT_STEP autoreset: steps 21 and 42 (1-based) are the ignored reset steps.
    expected = np.ones((42, 2), bool)
    expected[[20, 41]] = False
    np.testing.assert_array_equal(valids, expected)
    finished = env.pop_finished()
    assert [length for _, length in finished] == [20, 20, 20, 20]
    pos = np.cumsum(np.repeat(action[None].astype(np.float64), 20, 0), axis=0)  # (20, 2 envs, 2)
    ret = -np.linalg.norm(pos - goal, axis=-1).sum(0)
    np.testing.assert_allclose([r for r, _ in finished[:2]], ret, rtol=1e-6)
    env.close()


def test_bad_task_index_and_task_in_obs_without_tasks():
    with pytest.raises(ValueError, match="out of range"):
        TaskVecEnv(PR, 1, seed=0, task_index=45)
    with pytest.raises(ValueError, match="rlenvs env"):
        TaskVecEnv("CartPole-v1", 1, seed=0, task_in_obs=True)


def test_action_scaling_roundtrip():
    from gymnasium import spaces

    box = spaces.Box(np.array([-0.1, -2.0], np.float32), np.array([0.1, 4.0], np.float32), dtype=np.float32)
    unit = np.array([[-1.0, 1.0], [0.0, 0.5], [3.0, -7.0]])
    scaled = scale_action(unit, box)
    np.testing.assert_allclose(scaled, [[-0.1, 4.0], [0.0, 2.5], [0.1, -2.0]], rtol=1e-6)
    np.testing.assert_allclose(unscale_action(scaled[:2], box), unit[:2], atol=1e-6)


# --- smoke runs: every learner for a few hundred steps, logs and checkpoints -----------------------------
def test_ppo_continuous_smoke_logs_and_checkpoint(tmp_path):
    args = ppo.Args(env_id=PR, task_index=3, total_timesteps=320, num_envs=4, num_steps=40, update_epochs=2,
                    log_dir=str(tmp_path), progress=False)
    result = ppo.train(args)
    assert result.global_step == 320
    assert len(result.episodic_returns) == 4 * 3  # 80 steps per env, NEXT_STEP resets: 3 whole episodes
    assert all(r < 0 for r in result.episodic_returns)
    assert {"charts/episodic_return", "charts/SPS", "losses/value_loss", "losses/policy_loss",
            "losses/approx_kl"} <= tb_tags(result.run_dir)
    check_roundtrip(result, 2, rlenvs_space(PR))


def test_ppo_discrete_cartpole_smoke(tmp_path):
    args = ppo.Args(env_id="CartPole-v1", total_timesteps=256, num_envs=2, num_steps=64, update_epochs=1,
                    log_dir=str(tmp_path), progress=False, save_path=str(tmp_path / "cp.pt"))
    result = ppo.train(args)
    assert result.checkpoint == str(tmp_path / "cp.pt")
    policy = load_policy(result.checkpoint)
    actions = policy(np.zeros((5, 4), np.float32))
    assert actions.dtype == np.int64 and set(actions.tolist()) <= {0, 1}
    returns = evaluate(policy, "CartPole-v1", episodes=2)
    assert returns.shape == (2,) and (returns >= 1).all()


def test_ppo_is_deterministic_given_the_seed(tmp_path):
    def run():
        return ppo.train(ppo.Args(env_id=PR, task_index=1, total_timesteps=160, num_envs=2, num_steps=40,
                                  update_epochs=2, log_dir=str(tmp_path), progress=False, save_path=""))

    a, b = run(), run()
    assert a.checkpoint is None
    assert a.episodic_returns == b.episodic_returns
    obs = np.random.default_rng(1).uniform(-1, 1, (4, 2)).astype(np.float32)
    np.testing.assert_array_equal(a.policy(obs), b.policy(obs))


def test_sac_smoke_logs_and_checkpoint(tmp_path):
    args = sac.Args(env_id=PR, task_index=2, total_timesteps=300, num_envs=2, learning_starts=100, batch_size=32,
                    hidden=32, log_dir=str(tmp_path), progress=False)
    result = sac.train(args)
    assert result.global_step == 300
    assert len(result.episodic_returns) == 2 * 7  # 150 steps per env: 7 whole episodes of 20 (+7 reset steps)
    assert {"charts/episodic_return", "charts/SPS", "losses/qf_loss", "losses/actor_loss",
            "losses/alpha"} <= tb_tags(result.run_dir)
    check_roundtrip(result, 2, rlenvs_space(PR))


def test_sac_multi_task_with_task_in_obs(tmp_path):
    args = sac.Args(env_id=PR, task_in_obs=True, total_timesteps=120, num_envs=4, learning_starts=40,
                    batch_size=16, hidden=16, log_dir=str(tmp_path), progress=False)
    result = sac.train(args)
    policy = load_policy(result.checkpoint)
    assert policy.task_in_obs
    assert evaluate(policy, PR, episodes=3).shape == (3,)  # evaluate appends the task itself


def test_sac_rejects_discrete_actions(tmp_path):
    with pytest.raises(ValueError, match="Box action space"):
        sac.train(sac.Args(env_id="CartPole-v1", total_timesteps=10, log_dir=str(tmp_path), progress=False))


def test_td3_bc_smoke_on_npz_dataset(tmp_path):
    path = td3_bc.save_npz(str(tmp_path / "expert.npz"), expert_dataset(5, 2))
    args = td3_bc.Args(env_id=PR, task_index=5, dataset=path, total_steps=200, eval_freq=100, eval_episodes=2,
                       batch_size=32, hidden=32, log_dir=str(tmp_path), progress=False)
    result = td3_bc.train(args)
    assert len(result.episodic_returns) == 2  # two evaluations
    assert {"charts/episodic_return", "losses/critic_loss", "losses/bc_loss", "charts/SPS"} <= tb_tags(result.run_dir)
    check_roundtrip(result, 2, rlenvs_space(PR))
    ckpt = torch.load(result.checkpoint, weights_only=False)
    data = expert_dataset(5, 1)
    np.testing.assert_allclose(ckpt["meta"]["obs_mean"], data["observations"].mean(0), rtol=1e-5)


def test_td3_bc_collect_dataset_matches_the_analytic_expert():
    data = td3_bc.collect_dataset(PR, "expert", 3, task_index=5)
    ours = expert_dataset(5, 3)
    for key in td3_bc.DATASET_KEYS:
        np.testing.assert_allclose(data[key], ours[key], rtol=1e-5, atol=1e-6, err_msg=key)


def test_td3_bc_dataset_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        td3_bc.load_dataset(str(tmp_path / "missing.npz"))
    bad = tmp_path / "bad.npz"
    np.savez(bad, observations=np.zeros((3, 2)))
    with pytest.raises(ValueError, match="lacks the arrays"):
        td3_bc.load_dataset(str(bad))
    wrong = td3_bc.save_npz(str(tmp_path / "wrong.npz"), {**expert_dataset(0, 1),
                                                          "observations": np.zeros((20, 3), np.float32)})
    with pytest.raises(ValueError, match="do not match"):
        td3_bc.train(td3_bc.Args(env_id=PR, dataset=wrong, total_steps=1, log_dir=str(tmp_path), progress=False))


# --- flags and errors -----------------------------------------------------------------------------------
@pytest.mark.skipif(importlib.util.find_spec("wandb") is not None, reason="wandb is installed")
def test_track_without_wandb_is_a_clear_error(tmp_path):
    with pytest.raises(ImportError, match="wandb is not installed"):
        ppo.train(ppo.Args(env_id=PR, track=True, total_timesteps=8, num_envs=1, num_steps=8, log_dir=str(tmp_path)))


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU is present")
def test_cuda_device_without_gpu_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="no GPU"):
        sac.train(sac.Args(device="cuda", total_timesteps=8, log_dir=str(tmp_path), progress=False))


def test_load_policy_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_policy(str(tmp_path / "nope.pt"))
    torch.save({"weights": 1}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="not a baselines checkpoint"):
        load_policy(str(tmp_path / "other.pt"))


def test_ppo_script_runs_from_the_command_line(tmp_path):
    out = subprocess.run(
        [sys.executable, os.path.join(REPO, "baselines", "ppo.py"), "--env-id", PR, "--task-index", "0",
         "--total-timesteps", "80", "--num-envs", "2", "--num-steps", "40", "--update-epochs", "1",
         "--log-dir", str(tmp_path), "--no-progress"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "SPS" in out.stdout and os.path.exists(out.stdout.strip().split("checkpoint ")[-1])


def test_cli_args_parse_with_tyro():
    import tyro

    args = tyro.cli(sac.Args, args=["--task-index", "3", "--num-envs", "4", "--no-autotune"])
    assert (args.task_index, args.num_envs, args.autotune) == (3, 4, False)
    args = tyro.cli(td3_bc.Args, args=["--dataset", "x.npz", "--alpha", "1.0"])
    assert (args.dataset, args.alpha) == ("x.npz", 1.0)


def rlenvs_space(env_id):
    import rlenvs

    return rlenvs.make(env_id).action_space


# --- recurrent PPO --------------------------------------------------------------------------------------
def scalar_values(run_dir, tag):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    acc = EventAccumulator(run_dir)
    acc.Reload()
    return [e.value for e in acc.Scalars(tag)]


@pytest.mark.parametrize(("env_id", "recurrent"), [(PR, True), ("CartPole-v1", True), (PR, False)])
def test_ppo_update_replays_the_rollout_exactly(tmp_path, env_id, recurrent):
    # With a zero learning rate the policy never changes, so every minibatch must recompute exactly the
    # log-probs of the rollout: this catches misaligned GRU states, episode starts or minibatch indices.
    args = ppo.Args(env_id=env_id, recurrent=recurrent, total_timesteps=2 * 4 * 50, num_envs=4, num_steps=50,
                    num_minibatches=2, update_epochs=2, learning_rate=0.0, anneal_lr=False, rnn_hidden=16,
                    log_dir=str(tmp_path), progress=False, save_path="")
    result = ppo.train(args)
    for tag in ("losses/approx_kl", "losses/old_approx_kl", "losses/clipfrac"):
        np.testing.assert_allclose(scalar_values(result.run_dir, tag), 0.0, atol=1e-6, err_msg=tag)


def test_ppo_recurrent_smoke_and_stateful_policy(tmp_path):
    args = ppo.Args(env_id=PR, recurrent=True, total_timesteps=320, num_envs=4, num_steps=40, update_epochs=2,
                    rnn_hidden=16, log_dir=str(tmp_path), progress=False)
    result = ppo.train(args)
    check_roundtrip(result, 2, rlenvs_space(PR))
    policy = load_policy(result.checkpoint)
    assert type(policy).__name__ == "RecurrentPolicy"
    obs = np.zeros((3, 2), np.float32)
    policy.reset(3)
    first = policy(obs)
    policy.feedback(np.array([-1.0, -2.0, -3.0]), np.zeros(3, bool))
    second = policy(obs)
    assert not np.array_equal(first, second)  # memory: the same obs after a different history acts differently
    policy.feedback(np.zeros(3), np.ones(3, bool))  # all episodes restart: the state is forgotten
    np.testing.assert_array_equal(policy(obs), first)
    a = evaluate(policy, PR, episodes=4, task_index=3)
    np.testing.assert_array_equal(a, evaluate(policy, PR, episodes=4, task_index=3))  # evaluate resets the state


def test_ppo_recurrent_needs_whole_env_minibatches(tmp_path):
    with pytest.raises(ValueError, match="multiple of"):
        ppo.train(ppo.Args(recurrent=True, num_envs=3, num_minibatches=2, total_timesteps=8, log_dir=str(tmp_path),
                           progress=False))


def test_td3_bc_reads_a_real_minari_dataset(tmp_path, monkeypatch):
    from rlenvs import datasets
    from rlenvs.datasets import recipes

    monkeypatch.setenv("MINARI_DATASETS_PATH", str(tmp_path))
    recipe = datasets.Recipe("rlenvs/PointRobot-v0", "expert", split="test", episodes_per_task=2, num_envs=8)
    monkeypatch.setitem(recipes.RECIPES, "tiny/expert-v0", recipe)
    with pytest.warns(UserWarning):  # Minari's reminders about optional metadata
        datasets.create("tiny/expert-v0")
    data = td3_bc.load_dataset("rlenvs/tiny/expert-v0")
    episodes = recipes.build_episodes(recipe)
    assert len(data["observations"]) == sum(len(ep.actions) for ep in episodes) == 5 * 2 * 20
    np.testing.assert_array_equal(data["actions"], np.concatenate([ep.actions for ep in episodes]))
    np.testing.assert_array_equal(data["next_observations"][:19], data["observations"][1:20])
    assert not data["terminations"].any()
    with pytest.raises(datasets.DatasetError, match="rlenvs dataset create"):
        td3_bc.load_dataset("rlenvs/tiny/missing-v0")


def test_checkpoint_policy_factory_for_the_evaluation_runner(tmp_path, monkeypatch):
    # rlenvs' evaluation runner calls factory(envs), then act(obs[, task_params]), reset_memory(), observe(...).
    import rlenvs
    from baselines.common import checkpoint_policy

    monkeypatch.delenv("BASELINES_CHECKPOINT", raising=False)
    envs = rlenvs.make_vec(PR, num_envs=3, vectorization_mode="vector_entry_point")
    with pytest.raises(ValueError, match="BASELINES_CHECKPOINT"):
        checkpoint_policy(envs)
    res = sac.train(sac.Args(env_id=PR, task_in_obs=True, total_timesteps=60, num_envs=2, learning_starts=20,
                             batch_size=8, hidden=8, log_dir=str(tmp_path), progress=False))
    monkeypatch.setenv("BASELINES_CHECKPOINT", res.checkpoint)
    policy = checkpoint_policy(envs)
    assert policy.uses_task
    obs, _ = envs.reset(seed=0)
    tasks = np.random.default_rng(0).uniform(-1, 1, (3, 2))
    np.testing.assert_array_equal(policy.act(obs, tasks), policy(np.concatenate([obs, tasks], 1).astype(np.float32)))
    with pytest.raises(ValueError, match="task_params"):
        policy.act(obs)
    cart = ppo.train(ppo.Args(env_id="CartPole-v1", total_timesteps=32, num_envs=2, num_steps=16, update_epochs=1,
                              log_dir=str(tmp_path), progress=False))
    monkeypatch.setenv("BASELINES_CHECKPOINT", cart.checkpoint)
    with pytest.raises(ValueError, match="acts in"):
        checkpoint_policy(envs)
    envs.close()


def test_recurrent_policy_observe_hook_matches_feedback(tmp_path):
    res = ppo.train(ppo.Args(env_id=PR, recurrent=True, total_timesteps=80, num_envs=2, num_steps=40, rnn_hidden=8,
                             update_epochs=1, num_minibatches=2, log_dir=str(tmp_path), progress=False))
    a, b = load_policy(res.checkpoint), load_policy(res.checkpoint)
    a.reset_memory()
    b.reset(2)
    env = TaskVecEnv(PR, 2, seed=3, task_index=7)
    obs = env.reset()
    for _ in range(45):  # two episode ends and their autoreset steps
        act_a, act_b = a.act(obs), b(obs)
        np.testing.assert_array_equal(act_a, act_b)
        obs, reward, term, trunc, valid = env.step(act_a)
        a.observe(reward, term, trunc)
        b.feedback(reward, ~valid)
    env.close()
