"""TD3+BC (Fujimoto & Gu, 2021): offline RL from a fixed dataset, one file.

The actor maximises ``lambda * Q(s, pi(s)) - (pi(s) - a)^2`` with ``lambda = alpha / mean|Q|`` (``alpha``
2.5), on top of TD3 (twin critics, target policy smoothing with clipped noise, delayed actor and target
updates). States are normalised with the dataset's mean and std (kept in the checkpoint, applied by the
policy callable). The code is our own; the paper's defaults are the defaults here.

Datasets (``--dataset``):

- ``path.npz``: plain arrays ``observations`` (n, obs_dim), ``actions`` (n, act_dim, in the env's Box),
  ``rewards`` (n,), ``next_observations`` (n, obs_dim), ``terminations`` (n,) (True where the episode
  terminated; truncation is not termination). :func:`save_npz` writes one.
- anything else: a Minari dataset id (e.g. ``rlenvs/pointrobot/expert-v0`` from ``rlenvs dataset create``),
  loaded with :func:`rlenvs.datasets.load` (needs the ``offline`` extra); its episodes are flattened into
  the arrays above.
- no ``--dataset``: ``--collect-episodes`` episodes of the ``--collect-tier`` behaviour policy of
  :mod:`rlenvs.datasets.policies` (``expert``, ``medium``, ``random``) on the evaluation task, collected
  in-process by :func:`collect_dataset`.

Evaluation: every ``--eval-freq`` gradient steps the deterministic actor runs ``--eval-episodes`` episodes on
``--env-id`` (task ``--task-index`` of ``--task-split``); their mean is logged as ``charts/episodic_return``.

Usage::

    python baselines/td3_bc.py --env-id rlenvs/PointRobot-v0 --task-index 10 --total-steps 5000
    python baselines/td3_bc.py --env-id rlenvs/PointRobot-v0 --task-index 10 --dataset expert.npz
"""

from __future__ import annotations

import copy
import os
import sys
import time
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from gymnasium import spaces

if __package__ in (None, ""):  # run as a script: make `baselines` importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from baselines.common import (  # noqa: E402
    Logger,
    Policy,
    TaskVecEnv,
    TrainResult,
    evaluate,
    resolve_device,
    save_checkpoint,
    seed_everything,
    unscale_action,
)

DATASET_KEYS = ("observations", "actions", "rewards", "next_observations", "terminations")


@dataclass
class Args:
    exp_name: str = "td3_bc"
    """name of the run (TensorBoard folder ``runs/{env}__{exp_name}__{seed}__{time}``)"""
    seed: int = 1
    """seed of torch, numpy and the evaluation envs"""
    torch_deterministic: bool = True
    """``torch.backends.cudnn.deterministic``"""
    device: str = "cpu"
    """torch device, e.g. ``cpu`` or ``cuda``"""
    torch_threads: int = 1
    """``torch.set_num_threads``"""
    track: bool = False
    """log to Weights & Biases as well (needs ``wandb``)"""
    wandb_project: str = "rlenvs"
    """W&B project with ``--track``"""
    log_dir: str = "runs"
    """TensorBoard root folder"""
    save_path: str | None = None
    """checkpoint file (default: ``{log_dir}/{run_name}/td3_bc.pt``); ``""`` saves nothing"""
    progress: bool = True
    """show a progress bar with gradient steps per second and the last evaluation return"""

    env_id: str = "rlenvs/PointRobot-v0"
    """evaluation env (a Gymnasium id with a ``vector_entry_point`` and a Box action space)"""
    task_split: str = "train"
    """task split of the evaluation episodes"""
    task_index: int | None = None
    """evaluate on this task of the split; None: each evaluation episode draws its task"""
    task_in_obs: bool = False
    """the dataset's observations end with the task parameters (evaluate with them appended)"""
    dataset: str | None = None
    """``.npz`` arrays or a Minari dataset id/path; None: collect one with --collect-tier"""
    collect_tier: str = "expert"
    """behaviour policy (rlenvs.datasets.policies tier) when no --dataset is given"""
    collect_episodes: int = 10
    """episodes to collect when no --dataset is given"""
    total_steps: int = 1_000_000
    """gradient steps"""
    batch_size: int = 256
    """minibatch size"""
    learning_rate: float = 3e-4
    """Adam learning rate of actor and critics"""
    gamma: float = 0.99
    """discount"""
    tau: float = 0.005
    """target smoothing coefficient"""
    policy_noise: float = 0.2
    """std of the target policy smoothing noise (in [-1, 1] action units)"""
    noise_clip: float = 0.5
    """clip of the target policy smoothing noise"""
    policy_frequency: int = 2
    """actor and target updates every this many critic updates"""
    alpha: float = 2.5
    """weight of the Q term against behaviour cloning"""
    normalize_states: bool = True
    """normalise states with the dataset's mean and std"""
    hidden: int = 256
    """width of the two ReLU hidden layers"""
    eval_freq: int = 5_000
    """gradient steps between evaluations"""
    eval_episodes: int = 10
    """episodes per evaluation"""


class Actor(nn.Module):
    def __init__(self, obs_dim: int, act_dim: int, hidden: int):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs_dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, act_dim), nn.Tanh())

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        return self.net(obs)


class Critic(nn.Module):
    def __init__(self, obs_dim: int, act_dim: int, hidden: int):
        super().__init__()
        self.q1 = nn.Sequential(nn.Linear(obs_dim + act_dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                                nn.Linear(hidden, 1))
        self.q2 = copy.deepcopy(self.q1)
        for layer in self.q2:
            if isinstance(layer, nn.Linear):
                layer.reset_parameters()

    def forward(self, obs: torch.Tensor, act: torch.Tensor):
        x = torch.cat([obs, act], -1)
        return self.q1(x).squeeze(-1), self.q2(x).squeeze(-1)


# --- datasets ------------------------------------------------------------------------------------------
def collect_dataset(env_id: str, tier: str, episodes: int, *, seed: int = 0, task_split: str = "train",
                    task_index: int | None = None, task_in_obs: bool = False) -> dict[str, np.ndarray]:
    """``episodes`` episodes of a :mod:`rlenvs.datasets.policies` tier, as the plain arrays of an ``.npz``."""
    from rlenvs.datasets.policies import get_policy

    env = TaskVecEnv(env_id, episodes, seed=seed, task_split=task_split, task_index=task_index,
                     task_in_obs=task_in_obs)
    behaviour = get_policy(env_id, tier, env.single_action_space)
    rng = np.random.default_rng(seed)
    obs = env.reset()
    raw_obs_dim = env.envs.single_observation_space.shape[0]
    parts: dict[str, list[np.ndarray]] = {k: [] for k in DATASET_KEYS}
    keeps = []
    done = np.zeros(episodes, dtype=bool)
    while not done.all():
        task_params = np.stack([t.to_array() for t in env.envs.tasks])
        actions = np.asarray(behaviour(obs[:, :raw_obs_dim], task_params, rng))
        next_obs, reward, terminated, truncated, valid = env.step(actions)
        keep = valid & ~done
        keeps.append(keep)
        for key, value in zip(DATASET_KEYS, (obs, actions, reward, next_obs, terminated), strict=True):
            parts[key].append(np.asarray(value))
        done |= (terminated | truncated) & keep
        obs = next_obs
    env.close()
    keep_by_env = np.stack(keeps).T  # (episodes, steps): episode after episode, in step order
    data = {k: np.swapaxes(np.stack(v), 0, 1)[keep_by_env] for k, v in parts.items()}
    data["terminations"] = data["terminations"].astype(bool)
    return data


def save_npz(path: str, data: dict[str, np.ndarray]) -> str:
    """Write a dataset dict as the ``.npz`` that ``--dataset`` reads."""
    np.savez(path, **{k: data[k] for k in DATASET_KEYS})
    return path


def load_dataset(source: str) -> dict[str, np.ndarray]:
    """Plain arrays from an ``.npz`` file or a Minari dataset (id or path); see the module docstring."""
    if source.endswith(".npz"):
        if not os.path.exists(source):
            raise FileNotFoundError(f"no dataset at {source!r}")
        with np.load(source) as f:
            missing = [k for k in DATASET_KEYS if k not in f]
            if missing:
                raise ValueError(f"{source!r} lacks the arrays {missing}; a dataset needs {list(DATASET_KEYS)}")
            data = {k: np.asarray(f[k]) for k in DATASET_KEYS}
    else:
        try:
            from rlenvs.datasets import load, read_episodes, to_trajectories
        except ImportError as err:
            raise ImportError(f"--dataset {source!r} is not an .npz file, and reading Minari datasets needs "
                              "minari (`pip install 'rlenvs[offline]'`)") from err
        trajectories = to_trajectories(read_episodes(load(source)))
        renamed = {"terminations": "terminals"}
        data = {k: np.concatenate([t[renamed.get(k, k)] for t in trajectories]) for k in DATASET_KEYS}
    n = len(data["observations"])
    if any(len(v) != n for v in data.values()):
        raise ValueError(f"dataset arrays differ in length: { {k: len(v) for k, v in data.items()} }")
    return data


def policy_from_checkpoint(ckpt: dict, device: torch.device) -> Policy:
    """The deterministic :class:`Policy` of a TD3+BC checkpoint (state normalisation included)."""
    meta = ckpt["meta"]
    actor = Actor(meta["obs_dim"], meta["act_dim"], ckpt["args"]["hidden"]).to(device)
    actor.load_state_dict(ckpt["state"]["actor"])
    actor.eval()
    return Policy(actor, meta["action_space"], task_in_obs=meta["task_in_obs"], device=device,
                  obs_mean=meta["obs_mean"], obs_std=meta["obs_std"])


def train(args: Args) -> TrainResult:
    torch.set_num_threads(args.torch_threads)
    seed_everything(args.seed, args.torch_deterministic)
    device = resolve_device(args.device)
    run_name = f"{args.env_id.replace('/', '_')}__{args.exp_name}__{args.seed}__{int(time.time())}"

    probe = TaskVecEnv(args.env_id, 1, seed=args.seed, task_split=args.task_split, task_index=args.task_index,
                       task_in_obs=args.task_in_obs)
    act_space, obs_space = probe.single_action_space, probe.single_observation_space
    probe.close()
    if not isinstance(act_space, spaces.Box):
        raise ValueError(f"TD3+BC needs a Box action space, {args.env_id} has {act_space}")
    if args.dataset is None:
        data = collect_dataset(args.env_id, args.collect_tier, args.collect_episodes, seed=args.seed + 10_000,
                               task_split=args.task_split, task_index=args.task_index, task_in_obs=args.task_in_obs)
    else:
        data = load_dataset(args.dataset)
    obs_dim, act_dim = int(np.prod(obs_space.shape)), int(np.prod(act_space.shape))
    if data["observations"].shape[1:] != (obs_dim,) or data["actions"].shape[1:] != (act_dim,):
        raise ValueError(f"dataset shapes obs {data['observations'].shape[1:]} / actions {data['actions'].shape[1:]} "
                         f"do not match {args.env_id} (obs ({obs_dim},), actions ({act_dim},)"
                         f"{', task_in_obs' if args.task_in_obs else ''})")

    if args.normalize_states:
        obs_mean = data["observations"].mean(0).astype(np.float32)
        obs_std = (data["observations"].std(0) + 1e-3).astype(np.float32)
    else:
        obs_mean, obs_std = np.zeros(obs_dim, np.float32), np.ones(obs_dim, np.float32)

    def tensor(x):
        return torch.as_tensor(np.asarray(x, dtype=np.float32), device=device)

    d_obs = tensor((data["observations"] - obs_mean) / obs_std)
    d_next = tensor((data["next_observations"] - obs_mean) / obs_std)
    d_act = tensor(np.clip(unscale_action(data["actions"], act_space), -1.0, 1.0))
    d_rew = tensor(data["rewards"])
    d_not_term = 1.0 - tensor(data["terminations"])
    n = len(d_obs)

    actor = Actor(obs_dim, act_dim, args.hidden).to(device)
    actor_target = copy.deepcopy(actor)
    critic = Critic(obs_dim, act_dim, args.hidden).to(device)
    critic_target = copy.deepcopy(critic)
    actor_opt = torch.optim.Adam(actor.parameters(), lr=args.learning_rate)
    critic_opt = torch.optim.Adam(critic.parameters(), lr=args.learning_rate)
    policy = Policy(actor, act_space, task_in_obs=args.task_in_obs, device=device, obs_mean=obs_mean, obs_std=obs_std)

    logger = Logger(run_name, args, args.total_steps, track=args.track, wandb_project=args.wandb_project,
                    log_dir=args.log_dir, progress=args.progress)
    gen = torch.Generator(device=device).manual_seed(args.seed)
    eval_returns: list[float] = []
    actor_loss = bc_loss = torch.zeros(())
    for step in range(1, args.total_steps + 1):
        idx = torch.randint(0, n, (args.batch_size,), device=device, generator=gen)
        obs, act, rew, nxt, not_term = d_obs[idx], d_act[idx], d_rew[idx], d_next[idx], d_not_term[idx]
        with torch.no_grad():
            noise = (torch.randn(act.shape, device=device, generator=gen) * args.policy_noise).clamp(
                -args.noise_clip, args.noise_clip)
            next_act = (actor_target(nxt) + noise).clamp(-1.0, 1.0)
            tq1, tq2 = critic_target(nxt, next_act)
            target = rew + not_term * args.gamma * torch.min(tq1, tq2)
        q1, q2 = critic(obs, act)
        critic_loss = F.mse_loss(q1, target) + F.mse_loss(q2, target)
        critic_opt.zero_grad()
        critic_loss.backward()
        critic_opt.step()

        if step % args.policy_frequency == 0:
            pi = actor(obs)
            q = critic(obs, pi)[0]
            lmbda = args.alpha / q.abs().mean().detach()
            bc_loss = F.mse_loss(pi, act)
            actor_loss = -lmbda * q.mean() + bc_loss
            actor_opt.zero_grad()
            actor_loss.backward()
            actor_opt.step()
            with torch.no_grad():
                for net, tgt in ((critic, critic_target), (actor, actor_target)):
                    for p, tp in zip(net.parameters(), tgt.parameters(), strict=True):
                        tp.mul_(1.0 - args.tau).add_(args.tau * p)

        if step % args.eval_freq == 0 or step == args.total_steps:
            returns = evaluate(policy, args.env_id, episodes=args.eval_episodes, seed=args.seed + 100_000,
                               task_split=args.task_split, task_index=args.task_index, task_in_obs=args.task_in_obs)
            eval_returns.append(float(returns.mean()))
            logger.episodes([(float(returns.mean()), 0)], step)
            logger.scalars({"losses/critic_loss": critic_loss.item(), "losses/actor_loss": actor_loss.item(),
                            "losses/bc_loss": bc_loss.item(), "losses/qf1_values": q1.mean().item()}, step)
            logger.progress(step)

    sps = logger.sps(args.total_steps)
    logger.close()
    checkpoint = None
    if args.save_path != "":
        checkpoint = save_checkpoint(args.save_path or os.path.join(logger.path, "td3_bc.pt"), "td3_bc", args,
                                     {"actor": actor.state_dict(), "critic": critic.state_dict()},
                                     {"obs_dim": obs_dim, "act_dim": act_dim, "action_space": act_space,
                                      "task_in_obs": args.task_in_obs, "env_id": args.env_id,
                                      "obs_mean": obs_mean, "obs_std": obs_std, "dataset_size": n})
    return TrainResult(policy, eval_returns, args.total_steps, sps, checkpoint, logger.path)


if __name__ == "__main__":
    import tyro

    result = train(tyro.cli(Args))
    print(f"gradient steps {result.global_step}  steps/s {result.sps}  evaluation returns {result.episodic_returns}  "
          f"checkpoint {result.checkpoint}")
