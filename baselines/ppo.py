"""PPO (Schulman et al., 2017) on rlenvs' native vector envs: discrete and continuous actions, one file.

cleanrl-style (``vwxyzjn/cleanrl``'s ``ppo.py`` / ``ppo_continuous_action.py`` are the model; the code is
our own): GAE, clipped surrogate and value losses, per-minibatch advantage normalisation, entropy bonus,
global-norm gradient clipping, linear learning-rate annealing, optional early stop on an approximate KL.

Differences from cleanrl worth knowing:

- Gymnasium's ``NEXT_STEP`` autoreset is handled exactly: the step after an episode ends (whose action the
  env ignores) is masked out of every loss, and truncated episodes bootstrap from the value of their final
  observation (which ``NEXT_STEP`` returns at the truncating step), terminated ones do not.
- Continuous actions live in ``[-1, 1]`` (a Gaussian with a state-independent log-std); the env gets them
  clipped and scaled to its Box. The deterministic policy is the clipped mean.
- Tasks: ``--task-index k`` trains on task ``k`` of ``--task-split`` in every env (per-task training);
  without it each episode draws its task from the split (multi-task); ``--task-in-obs`` shows the task.

Usage::

    python baselines/ppo.py --env-id rlenvs/PointRobot-v0 --task-index 0 --total-timesteps 200000
    python baselines/ppo.py --env-id CartPole-v1 --total-timesteps 200000

``train(args)`` runs in-process and returns a :class:`~baselines.common.TrainResult`; the checkpoint
(``--save-path``) loads back as a policy callable with :func:`baselines.common.load_policy`.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
from gymnasium import spaces
from torch.distributions import Categorical, Normal

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
    exp_name: str = "ppo"
    """name of the run (TensorBoard folder ``runs/{env}__{exp_name}__{seed}__{time}``)"""
    seed: int = 1
    """seed of torch, numpy and the envs (env ``i`` gets ``seed + i``)"""
    torch_deterministic: bool = True
    """``torch.backends.cudnn.deterministic``"""
    device: str = "cpu"
    """torch device, e.g. ``cpu`` or ``cuda``"""
    torch_threads: int = 1
    """``torch.set_num_threads`` (small nets are fastest on one thread)"""
    track: bool = False
    """log to Weights & Biases as well (needs ``wandb``)"""
    wandb_project: str = "rlenvs"
    """W&B project with ``--track``"""
    log_dir: str = "runs"
    """TensorBoard root folder"""
    save_path: str | None = None
    """checkpoint file (default: ``{log_dir}/{run_name}/ppo.pt``); ``""`` saves nothing"""
    progress: bool = True
    """show a progress bar with SPS and the last episodic return"""

    env_id: str = "rlenvs/PointRobot-v0"
    """Gymnasium id with a ``vector_entry_point`` (every rlenvs id, CartPole-v1, ...)"""
    task_split: str = "train"
    """task split the episodes draw from (rlenvs envs)"""
    task_index: int | None = None
    """train on this task of the split in every env (per-task); None: multi-task over the split"""
    task_in_obs: bool = False
    """append the task parameters to the observation (oracle multi-task)"""
    total_timesteps: int = 200_000
    """env steps in all (over all envs)"""
    num_envs: int = 8
    """parallel envs (one native vector env)"""
    num_steps: int = 128
    """steps per env per rollout"""
    learning_rate: float = 3e-4
    """Adam learning rate"""
    anneal_lr: bool = True
    """anneal the learning rate linearly to 0"""
    gamma: float = 0.99
    """discount"""
    gae_lambda: float = 0.95
    """GAE lambda"""
    num_minibatches: int = 4
    """minibatches per epoch"""
    update_epochs: int = 10
    """epochs per rollout"""
    norm_adv: bool = True
    """normalise advantages per minibatch"""
    clip_coef: float = 0.2
    """surrogate clipping coefficient"""
    clip_vloss: bool = True
    """clip the value loss as in the PPO implementations"""
    ent_coef: float = 0.0
    """entropy bonus"""
    vf_coef: float = 0.5
    """value loss coefficient"""
    max_grad_norm: float = 0.5
    """global gradient-norm clip"""
    target_kl: float | None = None
    """stop the epochs of an update early above this approximate KL"""
    hidden: int = 64
    """width of the two tanh hidden layers of actor and critic"""
    init_log_std: float = 0.0
    """initial log-std of the Gaussian (continuous actions, in units of half the Box width)"""
    recurrent: bool = False
    """GRU core over (obs, previous action, previous reward), RL^2-style; the state resets at episode starts"""
    rnn_hidden: int = 128
    """GRU width with --recurrent"""


def layer_init(layer: nn.Linear, std: float = np.sqrt(2), bias_const: float = 0.0) -> nn.Linear:
    torch.nn.init.orthogonal_(layer.weight, std)
    torch.nn.init.constant_(layer.bias, bias_const)
    return layer


class Agent(nn.Module):
    recurrent = False
    """Separate tanh MLPs for the value and the policy (Categorical or diagonal Gaussian in [-1, 1])."""

    def __init__(self, obs_dim: int, action_space: spaces.Space, hidden: int = 64, init_log_std: float = 0.0):
        super().__init__()
        self.discrete = isinstance(action_space, spaces.Discrete)
        out = int(action_space.n) if self.discrete else int(np.prod(action_space.shape))
        self.critic = nn.Sequential(
            layer_init(nn.Linear(obs_dim, hidden)), nn.Tanh(),
            layer_init(nn.Linear(hidden, hidden)), nn.Tanh(),
            layer_init(nn.Linear(hidden, 1), std=1.0),
        )
        self.actor = nn.Sequential(
            layer_init(nn.Linear(obs_dim, hidden)), nn.Tanh(),
            layer_init(nn.Linear(hidden, hidden)), nn.Tanh(),
            layer_init(nn.Linear(hidden, out), std=0.01),
        )
        if not self.discrete:
            self.log_std = nn.Parameter(torch.full((1, out), float(init_log_std)))

    def value(self, obs: torch.Tensor) -> torch.Tensor:
        return self.critic(obs).squeeze(-1)

    def dist(self, obs: torch.Tensor):
        out = self.actor(obs)
        if self.discrete:
            return Categorical(logits=out)
        return Normal(out, self.log_std.expand_as(out).exp())

    def act_and_value(self, obs: torch.Tensor, action: torch.Tensor | None = None):
        dist = self.dist(obs)
        if action is None:
            action = dist.sample()
        logprob, entropy = dist.log_prob(action), dist.entropy()
        if not self.discrete:
            logprob, entropy = logprob.sum(-1), entropy.sum(-1)
        return action, logprob, entropy, self.value(obs)

    def deterministic(self, obs: torch.Tensor) -> torch.Tensor:
        """The greedy action: argmax (discrete) or the mean (continuous, in [-1, 1] units)."""
        out = self.actor(obs)
        return out.argmax(-1) if self.discrete else out.clamp(-1.0, 1.0)


class RecurrentAgent(nn.Module):
    """A GRU core shared by a linear policy head and a linear value head (RL^2-style in-context learner).

    The core reads ``[obs, previous action (one-hot or in [-1, 1]), previous reward]`` through a tanh layer;
    its state and the previous action and reward are zeroed at every episode start (``starts``), so the
    memory spans one episode: adaptation happens within the episode, across its steps.
    """

    recurrent = True

    def __init__(self, obs_dim: int, action_space: spaces.Space, hidden: int = 64, rnn_hidden: int = 128,
                 init_log_std: float = 0.0):
        super().__init__()
        self.discrete = isinstance(action_space, spaces.Discrete)
        self.n_act = int(action_space.n) if self.discrete else int(np.prod(action_space.shape))
        self.rnn_hidden = rnn_hidden
        self.encoder = nn.Sequential(layer_init(nn.Linear(obs_dim + self.n_act + 1, hidden)), nn.Tanh())
        self.gru = nn.GRUCell(hidden, rnn_hidden)
        self.actor = layer_init(nn.Linear(rnn_hidden, self.n_act), std=0.01)
        self.critic = layer_init(nn.Linear(rnn_hidden, 1), std=1.0)
        if not self.discrete:
            self.log_std = nn.Parameter(torch.full((1, self.n_act), float(init_log_std)))

    def initial_state(self, n: int, device: torch.device):
        """(hidden state, previous action input, previous reward) of ``n`` fresh episodes."""
        return (torch.zeros((n, self.rnn_hidden), device=device), torch.zeros((n, self.n_act), device=device),
                torch.zeros(n, device=device))

    def action_input(self, action: torch.Tensor) -> torch.Tensor:
        if self.discrete:
            return nn.functional.one_hot(action.long(), self.n_act).float()
        return action.clamp(-1.0, 1.0)

    def core(self, obs: torch.Tensor, prev_action: torch.Tensor, prev_reward: torch.Tensor, h: torch.Tensor,
             starts: torch.Tensor):
        """Run the GRU over ``(T, N, ...)`` inputs from state ``h``; returns ``(features (T, N, H), last h)``."""
        keep = 1.0 - starts.unsqueeze(-1)
        x = self.encoder(torch.cat([obs, prev_action * keep, (prev_reward * (1.0 - starts)).unsqueeze(-1)], -1))
        out = []
        for t in range(x.shape[0]):
            h = self.gru(x[t], h * keep[t])
            out.append(h)
        return torch.stack(out), h

    def dist(self, feats: torch.Tensor):
        out = self.actor(feats)
        if self.discrete:
            return Categorical(logits=out)
        return Normal(out, self.log_std.expand_as(out).exp())

    def heads(self, feats: torch.Tensor, action: torch.Tensor | None = None):
        dist = self.dist(feats)
        if action is None:
            action = dist.sample()
        logprob, entropy = dist.log_prob(action), dist.entropy()
        if not self.discrete:
            logprob, entropy = logprob.sum(-1), entropy.sum(-1)
        return action, logprob, entropy, self.critic(feats).squeeze(-1)

    def deterministic(self, feats: torch.Tensor) -> torch.Tensor:
        out = self.actor(feats)
        return out.argmax(-1) if self.discrete else out.clamp(-1.0, 1.0)


class RecurrentPolicy(Policy):
    """Stateful deterministic policy of a :class:`RecurrentAgent`.

    ``policy(obs)`` acts and advances the GRU state; ``policy.feedback(reward, starts)`` hands it the reward
    of that step and which envs start a new episode at the next call (``evaluate`` does both);
    ``policy.reset(n)`` starts ``n`` fresh episodes (also done on a batch-size change).
    """

    def __init__(self, agent: RecurrentAgent, action_space, *, task_in_obs: bool, device: torch.device):
        super().__init__(self._step, action_space, task_in_obs=task_in_obs, device=device)
        self.agent = agent
        self.state = None

    def reset(self, n: int) -> None:
        self._resetting = None
        h, a, r = self.agent.initial_state(n, self.device)
        self.state = [h, a, r, torch.ones(n, device=self.device)]

    def _step(self, obs: torch.Tensor) -> torch.Tensor:
        if self.state is None or self.state[0].shape[0] != obs.shape[0]:
            self.reset(obs.shape[0])
        h, prev_a, prev_r, starts = self.state
        feats, h = self.agent.core(obs[None], prev_a[None], prev_r[None], h, starts[None])
        action = self.agent.deterministic(feats[0])
        self.state = [h, self.agent.action_input(action), torch.zeros_like(prev_r), torch.zeros_like(starts)]
        return action

    def reset_memory(self) -> None:
        """Forget everything (rlenvs' evaluation runner calls this before each trial)."""
        self.state = None
        self._resetting = None

    def observe(self, rewards, terminations, truncations) -> None:
        """rlenvs' evaluation-runner hook: :meth:`feedback` from the env's flags (``NEXT_STEP`` autoreset)."""
        ended = np.logical_or(terminations, truncations)
        resetting = getattr(self, "_resetting", None)
        starts = np.zeros_like(ended) if resetting is None else resetting  # the step just taken was a reset
        self._resetting = ended
        self.feedback(rewards, starts)

    def feedback(self, reward, starts) -> None:
        """The reward of the last step and, per env, whether the next observation starts an episode."""
        self.state[2] = torch.as_tensor(np.asarray(reward, dtype=np.float32), device=self.device)
        self.state[3] = torch.as_tensor(np.asarray(starts, dtype=np.float32), device=self.device)


def make_agent(args: Args | dict, obs_dim: int, action_space: spaces.Space) -> nn.Module:
    get = args.get if isinstance(args, dict) else lambda k, d=None: getattr(args, k, d)
    if get("recurrent", False):
        return RecurrentAgent(obs_dim, action_space, get("hidden"), get("rnn_hidden"), get("init_log_std", 0.0))
    return Agent(obs_dim, action_space, get("hidden"), get("init_log_std", 0.0))


def make_policy(agent: nn.Module, action_space, task_in_obs: bool, device: torch.device) -> Policy:
    if agent.recurrent:
        return RecurrentPolicy(agent, action_space, task_in_obs=task_in_obs, device=device)
    return Policy(agent.deterministic, action_space, task_in_obs=task_in_obs, device=device)


def policy_from_checkpoint(ckpt: dict, device: torch.device) -> Policy:
    """The deterministic :class:`Policy` (:class:`RecurrentPolicy` with ``--recurrent``) of a PPO checkpoint."""
    meta = ckpt["meta"]
    agent = make_agent(ckpt["args"], meta["obs_dim"], meta["action_space"]).to(device)
    agent.load_state_dict(ckpt["state"]["agent"])
    agent.eval()
    return make_policy(agent, meta["action_space"], meta["task_in_obs"], device)


def train(args: Args) -> TrainResult:
    torch.set_num_threads(args.torch_threads)
    seed_everything(args.seed, args.torch_deterministic)
    device = resolve_device(args.device)
    run_name = f"{args.env_id.replace('/', '_')}__{args.exp_name}__{args.seed}__{int(time.time())}"

    envs = TaskVecEnv(args.env_id, args.num_envs, seed=args.seed, task_split=args.task_split,
                      task_index=args.task_index, task_in_obs=args.task_in_obs)
    act_space = envs.single_action_space
    if not isinstance(act_space, (spaces.Discrete, spaces.Box)):
        raise ValueError(f"PPO supports Discrete and Box actions, {args.env_id} has {act_space}")
    obs_dim = int(np.prod(envs.single_observation_space.shape))
    agent = make_agent(args, obs_dim, act_space).to(device)
    optimizer = torch.optim.Adam(agent.parameters(), lr=args.learning_rate, eps=1e-5)

    batch_size = args.num_envs * args.num_steps
    minibatch_size = batch_size // args.num_minibatches
    if minibatch_size < 1:
        raise ValueError(f"num_envs * num_steps ({batch_size}) must be >= num_minibatches ({args.num_minibatches})")
    if args.recurrent and args.num_envs % args.num_minibatches:
        raise ValueError(f"--recurrent splits minibatches by env: num_envs ({args.num_envs}) must be a multiple of "
                         f"num_minibatches ({args.num_minibatches})")
    num_iterations = max(1, args.total_timesteps // batch_size)
    logger = Logger(run_name, args, num_iterations * batch_size, track=args.track,
                    wandb_project=args.wandb_project, log_dir=args.log_dir, progress=args.progress)

    T, N = args.num_steps, args.num_envs
    obs_buf = torch.zeros((T, N, obs_dim), device=device)
    act_shape = () if agent.discrete else act_space.shape
    actions = torch.zeros((T, N, *act_shape), device=device, dtype=torch.long if agent.discrete else torch.float32)
    logprobs = torch.zeros((T, N), device=device)
    rewards = torch.zeros((T, N), device=device)
    terms = torch.zeros((T, N), device=device)
    dones = torch.zeros((T, N), device=device)
    valids = torch.zeros((T, N), device=device)
    values = torch.zeros((T, N), device=device)
    if agent.recurrent:  # what the GRU read at each step, and its state at the start of each rollout
        rnn_state = agent.initial_state(N, device)
        starts = torch.ones(N, device=device)
        prev_acts = torch.zeros((T, N, agent.n_act), device=device)
        prev_rews = torch.zeros((T, N), device=device)
        starts_buf = torch.zeros((T, N), device=device)

    all_returns: list[float] = []
    global_step = 0
    next_obs = torch.as_tensor(envs.reset(), device=device)
    for iteration in range(1, num_iterations + 1):
        if args.anneal_lr:
            optimizer.param_groups[0]["lr"] = (1.0 - (iteration - 1.0) / num_iterations) * args.learning_rate
        if agent.recurrent:
            h0 = rnn_state[0].clone()
        for t in range(T):
            global_step += N
            obs_buf[t] = next_obs
            with torch.no_grad():
                if agent.recurrent:
                    h, prev_a, prev_r = rnn_state
                    prev_acts[t], prev_rews[t], starts_buf[t] = prev_a, prev_r, starts
                    feats, h = agent.core(next_obs[None], prev_a[None], prev_r[None], h, starts[None])
                    action, logprob, _, value = agent.heads(feats[0])
                else:
                    action, logprob, _, value = agent.act_and_value(next_obs)
            actions[t], logprobs[t], values[t] = action, logprob, value
            env_action = action.cpu().numpy()
            if not agent.discrete:
                env_action = scale_action(env_action, act_space)
            obs, reward, terminated, truncated, valid = envs.step(env_action)
            rewards[t] = torch.as_tensor(reward, device=device)
            terms[t] = torch.as_tensor(terminated, device=device)
            dones[t] = torch.as_tensor(np.logical_or(terminated, truncated), device=device)
            valids[t] = torch.as_tensor(valid, device=device)
            next_obs = torch.as_tensor(obs, device=device)
            if agent.recurrent:
                rnn_state = (h, agent.action_input(action), rewards[t].clone())
                starts = 1.0 - valids[t]  # after an autoreset step the obs is the first of an episode
            finished = envs.pop_finished()
            all_returns.extend(ret for ret, _ in finished)
            logger.episodes(finished, global_step)

        # GAE; values[t + 1] is V of the obs that step t returned (the final obs at a done step).
        with torch.no_grad():
            if agent.recurrent:
                feats, _ = agent.core(next_obs[None], rnn_state[1][None], rnn_state[2][None], rnn_state[0],
                                      starts[None])
                next_value = agent.critic(feats[0]).squeeze(-1)
            else:
                next_value = agent.value(next_obs)
            advantages = torch.zeros_like(rewards)
            lastgaelam = torch.zeros(N, device=device)
            for t in reversed(range(T)):
                nv = next_value if t == T - 1 else values[t + 1]
                delta = rewards[t] + args.gamma * nv * (1.0 - terms[t]) - values[t]
                lastgaelam = delta + args.gamma * args.gae_lambda * (1.0 - dones[t]) * lastgaelam
                advantages[t] = lastgaelam
            returns = advantages + values

        b_obs = obs_buf.reshape(-1, obs_dim)
        b_actions = actions.reshape(-1, *act_shape)
        b_logprobs, b_adv, b_returns = logprobs.reshape(-1), advantages.reshape(-1), returns.reshape(-1)
        b_values, b_valid = values.reshape(-1), valids.reshape(-1)
        clipfracs: list[float] = []
        pg_loss = v_loss = entropy_loss = approx_kl = old_approx_kl = torch.zeros(())
        for _epoch in range(args.update_epochs):
            if agent.recurrent:  # minibatches of whole env sequences, replayed through the GRU from h0
                env_perm = torch.randperm(N, device=device)
                groups = env_perm.reshape(args.num_minibatches, -1)
            else:
                perm = torch.randperm(batch_size, device=device)
                groups = [perm[s:s + minibatch_size] for s in range(0, batch_size, minibatch_size)]
            for group in groups:
                if agent.recurrent:
                    mb = (torch.arange(T, device=device)[:, None] * N + group[None, :]).reshape(-1)
                    feats, _ = agent.core(obs_buf[:, group], prev_acts[:, group], prev_rews[:, group], h0[group],
                                          starts_buf[:, group])
                    _, newlogprob, entropy, newvalue = agent.heads(feats.reshape(len(mb), -1), b_actions[mb])
                else:
                    mb = group
                    _, newlogprob, entropy, newvalue = agent.act_and_value(b_obs[mb], b_actions[mb])
                w = b_valid[mb]
                n_valid = w.sum().clamp(min=1.0)
                logratio = newlogprob - b_logprobs[mb]
                ratio = logratio.exp()
                with torch.no_grad():
                    old_approx_kl = (-logratio * w).sum() / n_valid
                    approx_kl = (((ratio - 1) - logratio) * w).sum() / n_valid
                    clipfracs.append(float((((ratio - 1.0).abs() > args.clip_coef).float() * w).sum() / n_valid))
                mb_adv = b_adv[mb]
                if args.norm_adv:
                    mean = (mb_adv * w).sum() / n_valid
                    std = (((mb_adv - mean) ** 2 * w).sum() / n_valid).sqrt()
                    mb_adv = (mb_adv - mean) / (std + 1e-8)
                pg1 = -mb_adv * ratio
                pg2 = -mb_adv * torch.clamp(ratio, 1 - args.clip_coef, 1 + args.clip_coef)
                pg_loss = (torch.max(pg1, pg2) * w).sum() / n_valid
                if args.clip_vloss:
                    v_unclipped = (newvalue - b_returns[mb]) ** 2
                    v_clipped = b_values[mb] + torch.clamp(newvalue - b_values[mb], -args.clip_coef, args.clip_coef)
                    v_elem = 0.5 * torch.max(v_unclipped, (v_clipped - b_returns[mb]) ** 2)
                else:
                    v_elem = 0.5 * (newvalue - b_returns[mb]) ** 2
                v_loss = (v_elem * w).sum() / n_valid
                entropy_loss = (entropy * w).sum() / n_valid
                loss = pg_loss - args.ent_coef * entropy_loss + v_loss * args.vf_coef
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(agent.parameters(), args.max_grad_norm)
                optimizer.step()
            if args.target_kl is not None and approx_kl > args.target_kl:
                break

        valid_idx = b_valid > 0
        y_pred, y_true = b_values[valid_idx], b_returns[valid_idx]
        var_y = y_true.var()
        explained_var = float("nan") if var_y == 0 else float(1 - (y_true - y_pred).var() / var_y)
        logger.scalars({
            "charts/learning_rate": optimizer.param_groups[0]["lr"],
            "losses/value_loss": v_loss.item(), "losses/policy_loss": pg_loss.item(),
            "losses/entropy": entropy_loss.item(), "losses/old_approx_kl": float(old_approx_kl),
            "losses/approx_kl": float(approx_kl), "losses/clipfrac": float(np.mean(clipfracs)),
            "losses/explained_variance": explained_var,
        }, global_step)
        logger.progress(global_step)

    sps = logger.sps(global_step)
    envs.close()
    logger.close()
    policy = make_policy(agent, act_space, args.task_in_obs, device)
    checkpoint = None
    if args.save_path != "":
        checkpoint = save_checkpoint(args.save_path or os.path.join(logger.path, "ppo.pt"), "ppo", args,
                                     {"agent": agent.state_dict()},
                                     {"obs_dim": obs_dim, "action_space": act_space, "task_in_obs": args.task_in_obs,
                                      "env_id": args.env_id, "global_step": global_step})
    return TrainResult(policy, all_returns, global_step, sps, checkpoint, logger.path)


if __name__ == "__main__":
    import tyro

    result = train(tyro.cli(Args))
    tail = result.episodic_returns[-20:]
    print(f"steps {result.global_step}  SPS {result.sps}  mean return (last {len(tail)} episodes) "
          f"{np.mean(tail) if tail else float('nan'):.3f}  checkpoint {result.checkpoint}")
