"""SAC (Haarnoja et al., 2018) with automatic entropy tuning on rlenvs' native vector envs, one file.

cleanrl-style (``vwxyzjn/cleanrl``'s ``sac_continuous_action.py`` is the model; the code is our own): a
tanh-squashed Gaussian actor, twin Q-networks with Polyak-averaged targets, a delayed actor update
(``--policy-frequency``), the temperature ``alpha`` tuned towards ``target_entropy = -|A|`` (or fixed with
``--no-autotune``), and a uniform replay buffer.

Details:

- Actions live in ``[-1, 1]``; the env gets them scaled to its Box. The deterministic policy is
  ``tanh(mean)``.
- Gymnasium's ``NEXT_STEP`` autoreset: the autoreset step (action ignored) is not stored; a transition
  bootstraps unless the episode *terminated* (truncation bootstraps from the final observation, which
  ``NEXT_STEP`` returns at the truncating step).
- With ``--num-envs N`` every iteration steps all envs once and then does
  ``max(1, round(N * utd_ratio))`` gradient steps, so the update-to-data ratio stays ``utd_ratio``.
- Tasks: ``--task-index k`` trains on task ``k`` of ``--task-split`` (per-task, as Meta-DT's data
  collection and IWOCS do); without it each episode draws its task from the split; ``--task-in-obs``
  shows the task to the agent.

Usage::

    python baselines/sac.py --env-id rlenvs/PointRobot-v0 --task-index 10 --total-timesteps 10000

``train(args)`` runs in-process and returns a :class:`~baselines.common.TrainResult`; the checkpoint loads
back as a policy callable with :func:`baselines.common.load_policy`.
"""

from __future__ import annotations

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
    resolve_device,
    save_checkpoint,
    scale_action,
    seed_everything,
)


@dataclass
class Args:
    exp_name: str = "sac"
    """name of the run (TensorBoard folder ``runs/{env}__{exp_name}__{seed}__{time}``)"""
    seed: int = 1
    """seed of torch, numpy and the envs (env ``i`` gets ``seed + i``)"""
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
    """checkpoint file (default: ``{log_dir}/{run_name}/sac.pt``); ``""`` saves nothing"""
    progress: bool = True
    """show a progress bar with SPS and the last episodic return"""

    env_id: str = "rlenvs/PointRobot-v0"
    """Gymnasium id with a ``vector_entry_point`` and a Box action space"""
    task_split: str = "train"
    """task split the episodes draw from (rlenvs envs)"""
    task_index: int | None = None
    """train on this task of the split in every env (per-task); None: multi-task over the split"""
    task_in_obs: bool = False
    """append the task parameters to the observation (oracle multi-task)"""
    total_timesteps: int = 1_000_000
    """env steps in all (over all envs)"""
    num_envs: int = 1
    """parallel envs (one native vector env)"""
    buffer_size: int = 1_000_000
    """replay buffer capacity (transitions)"""
    gamma: float = 0.99
    """discount"""
    tau: float = 0.005
    """target smoothing coefficient"""
    batch_size: int = 256
    """replay minibatch size"""
    learning_starts: int = 5_000
    """env steps of uniform random actions before learning"""
    policy_lr: float = 3e-4
    """actor (and alpha) learning rate"""
    q_lr: float = 1e-3
    """critic learning rate"""
    policy_frequency: int = 2
    """actor updates every this many critic updates (each one done this many times: TD3-style delay)"""
    target_network_frequency: int = 1
    """target update every this many critic updates"""
    utd_ratio: float = 1.0
    """gradient steps per env step"""
    alpha: float = 0.2
    """entropy temperature (initial value with --autotune)"""
    autotune: bool = True
    """tune alpha towards target_entropy = -|A|"""
    hidden: int = 256
    """width of the two ReLU hidden layers"""


LOG_STD_MIN, LOG_STD_MAX = -5.0, 2.0


class SoftQNetwork(nn.Module):
    def __init__(self, obs_dim: int, act_dim: int, hidden: int):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs_dim + act_dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, 1))

    def forward(self, obs: torch.Tensor, act: torch.Tensor) -> torch.Tensor:
        return self.net(torch.cat([obs, act], -1)).squeeze(-1)


class Actor(nn.Module):
    """Tanh-squashed diagonal Gaussian in ``[-1, 1]``; log-std squashed into ``[LOG_STD_MIN, LOG_STD_MAX]``."""

    def __init__(self, obs_dim: int, act_dim: int, hidden: int):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(obs_dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU())
        self.mean = nn.Linear(hidden, act_dim)
        self.log_std = nn.Linear(hidden, act_dim)

    def forward(self, obs: torch.Tensor):
        h = self.trunk(obs)
        log_std = torch.tanh(self.log_std(h))
        log_std = LOG_STD_MIN + 0.5 * (LOG_STD_MAX - LOG_STD_MIN) * (log_std + 1)
        return self.mean(h), log_std

    def sample(self, obs: torch.Tensor):
        """(action, log-prob) of a reparameterised sample, with the tanh change of variables."""
        mean, log_std = self(obs)
        std = log_std.exp()
        x = mean + std * torch.randn_like(mean)
        y = torch.tanh(x)
        normal_logp = -0.5 * ((x - mean) / std) ** 2 - log_std - 0.5 * np.log(2 * np.pi)
        log_prob = (normal_logp - torch.log(1 - y.pow(2) + 1e-6)).sum(-1)
        return y, log_prob

    def deterministic(self, obs: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self(obs)[0])


class ReplayBuffer:
    """Uniform replay over ``(obs, action, reward, next_obs, terminated)`` in preallocated NumPy arrays."""

    def __init__(self, capacity: int, obs_dim: int, act_dim: int, rng: np.random.Generator):
        self.obs = np.zeros((capacity, obs_dim), np.float32)
        self.next_obs = np.zeros((capacity, obs_dim), np.float32)
        self.actions = np.zeros((capacity, act_dim), np.float32)
        self.rewards = np.zeros(capacity, np.float32)
        self.terms = np.zeros(capacity, np.float32)
        self.capacity, self.size, self.pos, self.rng = capacity, 0, 0, rng

    def add(self, obs, actions, rewards, next_obs, terms) -> None:
        for i in range(len(obs)):
            p = self.pos
            self.obs[p], self.actions[p], self.rewards[p] = obs[i], actions[i], rewards[i]
            self.next_obs[p], self.terms[p] = next_obs[i], terms[i]
            self.pos = (p + 1) % self.capacity
            self.size = min(self.size + 1, self.capacity)

    def sample(self, batch_size: int, device: torch.device):
        idx = self.rng.integers(0, self.size, size=batch_size)
        return tuple(torch.as_tensor(a[idx], device=device)
                     for a in (self.obs, self.actions, self.rewards, self.next_obs, self.terms))


def policy_from_checkpoint(ckpt: dict, device: torch.device) -> Policy:
    """The deterministic :class:`Policy` (``tanh(mean)``) of a SAC checkpoint."""
    meta = ckpt["meta"]
    actor = Actor(meta["obs_dim"], meta["act_dim"], ckpt["args"]["hidden"]).to(device)
    actor.load_state_dict(ckpt["state"]["actor"])
    actor.eval()
    return Policy(actor.deterministic, meta["action_space"], task_in_obs=meta["task_in_obs"], device=device)


def train(args: Args) -> TrainResult:
    torch.set_num_threads(args.torch_threads)
    seed_everything(args.seed, args.torch_deterministic)
    device = resolve_device(args.device)
    run_name = f"{args.env_id.replace('/', '_')}__{args.exp_name}__{args.seed}__{int(time.time())}"

    envs = TaskVecEnv(args.env_id, args.num_envs, seed=args.seed, task_split=args.task_split,
                      task_index=args.task_index, task_in_obs=args.task_in_obs)
    act_space = envs.single_action_space
    if not isinstance(act_space, spaces.Box):
        raise ValueError(f"SAC needs a Box action space, {args.env_id} has {act_space}")
    obs_dim = int(np.prod(envs.single_observation_space.shape))
    act_dim = int(np.prod(act_space.shape))
    actor = Actor(obs_dim, act_dim, args.hidden).to(device)
    qf1, qf2, qf1_target, qf2_target = (SoftQNetwork(obs_dim, act_dim, args.hidden).to(device) for _ in range(4))
    qf1_target.load_state_dict(qf1.state_dict())
    qf2_target.load_state_dict(qf2.state_dict())
    q_optimizer = torch.optim.Adam(list(qf1.parameters()) + list(qf2.parameters()), lr=args.q_lr)
    actor_optimizer = torch.optim.Adam(actor.parameters(), lr=args.policy_lr)
    if args.autotune:
        target_entropy = -float(act_dim)
        log_alpha = torch.full((1,), float(np.log(args.alpha)), device=device, requires_grad=True)
        alpha = log_alpha.exp().item()
        a_optimizer = torch.optim.Adam([log_alpha], lr=args.policy_lr)
    else:
        alpha = args.alpha

    rng = np.random.default_rng(args.seed)
    rb = ReplayBuffer(min(args.buffer_size, args.total_timesteps), obs_dim, act_dim, rng)
    N = args.num_envs
    num_iterations = max(1, args.total_timesteps // N)
    grad_steps = max(1, round(N * args.utd_ratio))
    logger = Logger(run_name, args, num_iterations * N, track=args.track, wandb_project=args.wandb_project,
                    log_dir=args.log_dir, progress=args.progress)

    all_returns: list[float] = []
    n_updates = 0
    obs = envs.reset()
    global_step = 0
    for _iteration in range(num_iterations):
        global_step += N
        if global_step <= args.learning_starts:
            unit = rng.uniform(-1.0, 1.0, size=(N, act_dim)).astype(np.float32)
        else:
            with torch.no_grad():
                unit, _ = actor.sample(torch.as_tensor(obs, device=device))
            unit = unit.cpu().numpy()
        next_obs, reward, terminated, _truncated, valid = envs.step(scale_action(unit, act_space))
        if valid.any():
            rb.add(obs[valid], unit[valid], reward[valid], next_obs[valid], terminated[valid])
        obs = next_obs
        finished = envs.pop_finished()
        all_returns.extend(ret for ret, _ in finished)
        logger.episodes(finished, global_step)

        if global_step <= args.learning_starts or rb.size < args.batch_size:
            continue
        for _ in range(grad_steps):
            b_obs, b_act, b_rew, b_next, b_term = rb.sample(args.batch_size, device)
            with torch.no_grad():
                next_act, next_logp = actor.sample(b_next)
                q_next = torch.min(qf1_target(b_next, next_act), qf2_target(b_next, next_act)) - alpha * next_logp
                target = b_rew + (1.0 - b_term) * args.gamma * q_next
            q1, q2 = qf1(b_obs, b_act), qf2(b_obs, b_act)
            qf1_loss, qf2_loss = F.mse_loss(q1, target), F.mse_loss(q2, target)
            qf_loss = qf1_loss + qf2_loss
            q_optimizer.zero_grad()
            qf_loss.backward()
            q_optimizer.step()
            n_updates += 1

            if n_updates % args.policy_frequency == 0:
                for _ in range(args.policy_frequency):
                    pi, logp = actor.sample(b_obs)
                    actor_loss = (alpha * logp - torch.min(qf1(b_obs, pi), qf2(b_obs, pi))).mean()
                    actor_optimizer.zero_grad()
                    actor_loss.backward()
                    actor_optimizer.step()
                    if args.autotune:
                        with torch.no_grad():
                            _, logp = actor.sample(b_obs)
                        alpha_loss = (-log_alpha.exp() * (logp + target_entropy)).mean()
                        a_optimizer.zero_grad()
                        alpha_loss.backward()
                        a_optimizer.step()
                        alpha = log_alpha.exp().item()

            if n_updates % args.target_network_frequency == 0:
                with torch.no_grad():
                    for net, tgt in ((qf1, qf1_target), (qf2, qf2_target)):
                        for p, tp in zip(net.parameters(), tgt.parameters(), strict=True):
                            tp.mul_(1.0 - args.tau).add_(args.tau * p)

        if n_updates % 100 < grad_steps:
            scalars = {"losses/qf1_values": q1.mean().item(), "losses/qf2_values": q2.mean().item(),
                       "losses/qf1_loss": qf1_loss.item(), "losses/qf2_loss": qf2_loss.item(),
                       "losses/qf_loss": qf_loss.item() / 2.0, "losses/alpha": alpha}
            if n_updates >= args.policy_frequency:
                scalars["losses/actor_loss"] = actor_loss.item()
                if args.autotune:
                    scalars["losses/alpha_loss"] = alpha_loss.item()
            logger.scalars(scalars, global_step)
            logger.progress(global_step)

    logger.progress(global_step)
    sps = logger.sps(global_step)
    envs.close()
    logger.close()
    policy = Policy(actor.deterministic, act_space, task_in_obs=args.task_in_obs, device=device)
    checkpoint = None
    if args.save_path != "":
        checkpoint = save_checkpoint(args.save_path or os.path.join(logger.path, "sac.pt"), "sac", args,
                                     {"actor": actor.state_dict(), "qf1": qf1.state_dict(), "qf2": qf2.state_dict()},
                                     {"obs_dim": obs_dim, "act_dim": act_dim, "action_space": act_space,
                                      "task_in_obs": args.task_in_obs, "env_id": args.env_id,
                                      "global_step": global_step})
    return TrainResult(policy, all_returns, global_step, sps, checkpoint, logger.path)


if __name__ == "__main__":
    import tyro

    result = train(tyro.cli(Args))
    tail = result.episodic_returns[-20:]
    print(f"steps {result.global_step}  SPS {result.sps}  mean return (last {len(tail)} episodes) "
          f"{np.mean(tail) if tail else float('nan'):.3f}  checkpoint {result.checkpoint}")
