"""Shared plumbing of the reference learners: envs and tasks, logging, evaluation, checkpoints.

Nothing here is algorithm code (that stays in one readable file per algorithm, cleanrl-style); this is the
part every learner needs the same way:

- :class:`TaskVecEnv` drives a native vector env (``vectorization_mode="vector_entry_point"``) and puts
  tasks through the rlenvs task API: ``task_index=k`` pins every env to task ``k`` of ``task_split``
  (per-task training), ``task_index=None`` lets every episode draw its task from the split (multi-task
  training). ``task_in_obs=True`` appends each env's task parameters (``Task.to_array()``) to the
  observation, for an oracle multi-task learner. It also tracks episodic returns and marks the
  ``NEXT_STEP`` autoreset steps (whose action the env ignores) so that learners can drop them.
- :func:`evaluate` runs a policy callable (``obs -> action``) for whole episodes and returns their returns.
- :func:`save_checkpoint` / :func:`load_policy`: a checkpoint is a ``torch.save`` dict that
  :func:`load_policy` turns back into a :class:`Policy` callable (``obs -> action``);
  :func:`checkpoint_policy` is the policy factory for ``rlenvs evaluate`` (``BASELINES_CHECKPOINT=path``).
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

import gymnasium as gym
import numpy as np
import torch
from gymnasium import spaces
from gymnasium.vector import AutoresetMode

import rlenvs  # noqa: F401  (registers the rlenvs/ ids with Gymnasium)


def is_rlenvs_id(env_id: str) -> bool:
    return env_id.startswith("rlenvs/")


def seed_everything(seed: int, torch_deterministic: bool = True) -> None:
    """Seed Python's and torch's global RNGs; NumPy randomness goes through explicit ``default_rng(seed)``
    Generators and the envs are seeded through ``reset(seed=...)``, so no global NumPy state is read."""
    random.seed(seed)
    torch.manual_seed(seed)
    torch.backends.cudnn.deterministic = torch_deterministic


def resolve_device(device: str) -> torch.device:
    """``torch.device(device)`` with a clear error when a GPU is asked for and none is present."""
    dev = torch.device(device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"--device {device!r} asked for CUDA, but torch sees no GPU (torch {torch.__version__})")
    return dev


def resolve_task(env_id: str, task_split: str, task_index: int | None):
    """The task that ``task_index`` names in ``task_split`` of ``env_id`` (``None``: no task fixed)."""
    if task_index is None:
        return None
    if not is_rlenvs_id(env_id):
        raise ValueError(f"--task-index needs an rlenvs env with tasks; {env_id!r} has none")
    entry = rlenvs.registration.get_entry(env_id)
    env = gym.make(entry.id)
    split = env.unwrapped.task_distribution.split(task_split)
    env.close()
    if not 0 <= task_index < len(split):
        raise ValueError(f"task_index {task_index} out of range: split {task_split!r} of {env_id} "
                         f"has {len(split)} tasks")
    return split[task_index]


class TaskVecEnv:
    """A native vector env with tasks, optional task-in-observation, and episode bookkeeping.

    ``step`` returns ``obs, reward, terminated, truncated, valid`` where ``valid[i]`` is False on the
    autoreset step of env ``i`` (its action was ignored, its reward is 0, its ``obs`` is the first of a
    new episode): learners drop those transitions. Finished episodes' returns and lengths pile up in
    :attr:`finished` until :meth:`pop_finished`.
    """

    def __init__(self, env_id: str, num_envs: int, *, seed: int, task_split: str = "train",
                 task_index: int | None = None, task_in_obs: bool = False, env_kwargs: dict | None = None):
        kwargs = dict(env_kwargs or {})
        self.rlenvs = is_rlenvs_id(env_id)
        if self.rlenvs:
            kwargs.setdefault("task_split", task_split)
        elif task_in_obs:
            raise ValueError(f"--task-in-obs needs an rlenvs env with tasks; {env_id!r} has none")
        self.envs = gym.make_vec(env_id, num_envs=num_envs, vectorization_mode="vector_entry_point", **kwargs)
        mode = self.envs.metadata.get("autoreset_mode", AutoresetMode.NEXT_STEP)
        if mode != AutoresetMode.NEXT_STEP:
            raise ValueError(f"{env_id}: the baselines expect NEXT_STEP autoreset, the env declares {mode}")
        self.env_id, self.num_envs, self.seed = env_id, num_envs, seed
        self.task = resolve_task(env_id, task_split, task_index)
        self.task_in_obs = task_in_obs
        self.single_action_space = self.envs.single_action_space
        base = self.envs.single_observation_space
        if task_in_obs:
            n_task = len(self._task_params()[0]) if self.task is None else len(self.task.to_array())
            low = np.concatenate([base.low, np.full(n_task, -np.inf)]).astype(np.float32)
            high = np.concatenate([base.high, np.full(n_task, np.inf)]).astype(np.float32)
            base = spaces.Box(low, high, dtype=np.float32)
        self.single_observation_space = base
        self._prev_done = np.zeros(num_envs, dtype=bool)
        self._ep_return = np.zeros(num_envs)
        self._ep_length = np.zeros(num_envs, dtype=np.int64)
        self.finished: list[tuple[float, int]] = []

    def _task_params(self) -> np.ndarray:
        return np.stack([t.to_array() for t in self.envs.tasks])

    def _obs(self, obs) -> np.ndarray:
        obs = np.asarray(obs, dtype=np.float32)
        if self.task_in_obs:
            obs = np.concatenate([obs, self._task_params().astype(np.float32)], axis=1)
        return obs

    def reset(self) -> np.ndarray:
        options = {"tasks": [self.task] * self.num_envs} if self.rlenvs else None
        obs, _ = self.envs.reset(seed=self.seed, options=options)
        self._prev_done[:] = False
        self._ep_return[:] = 0.0
        self._ep_length[:] = 0
        return self._obs(obs)

    def step(self, actions):
        obs, reward, terminated, truncated, _ = self.envs.step(actions)
        valid = ~self._prev_done
        self._ep_return += np.where(valid, reward, 0.0)
        self._ep_length += valid
        done = np.logical_or(terminated, truncated)
        for i in np.flatnonzero(done):
            self.finished.append((float(self._ep_return[i]), int(self._ep_length[i])))
            self._ep_return[i] = 0.0
            self._ep_length[i] = 0
        self._prev_done = done
        return self._obs(obs), np.asarray(reward, dtype=np.float64), terminated, truncated, valid

    def pop_finished(self) -> list[tuple[float, int]]:
        out, self.finished = self.finished, []
        return out

    def close(self) -> None:
        self.envs.close()


def scale_action(unit_action: np.ndarray, space: spaces.Box) -> np.ndarray:
    """Map ``[-1, 1]`` to the Box ``[low, high]`` (clipped), in the Box's dtype."""
    unit_action = np.clip(unit_action, -1.0, 1.0)
    return (space.low + (unit_action + 1.0) * 0.5 * (space.high - space.low)).astype(space.dtype)


def unscale_action(action: np.ndarray, space: spaces.Box) -> np.ndarray:
    """Map the Box ``[low, high]`` to ``[-1, 1]``."""
    return 2.0 * (np.asarray(action, dtype=np.float64) - space.low) / (space.high - space.low) - 1.0


class Logger:
    """TensorBoard ``SummaryWriter`` plus opt-in W&B (``track=True``) and a tqdm bar with SPS and return."""

    def __init__(self, run_name: str, args: Any, total: int, *, track: bool = False, wandb_project: str = "rlenvs",
                 log_dir: str = "runs", progress: bool = True):
        if track:
            try:
                import wandb
            except ImportError as err:
                raise ImportError("--track logs to Weights & Biases, but wandb is not installed: "
                                  "`pip install wandb`, or run without --track (TensorBoard only)") from err
            wandb.init(project=wandb_project, sync_tensorboard=True, config=vars_of(args), name=run_name,
                       save_code=True)
        from torch.utils.tensorboard import SummaryWriter

        self.path = os.path.join(log_dir, run_name)
        self.writer = SummaryWriter(self.path)
        table = "\n".join(f"|{k}|{v}|" for k, v in vars_of(args).items())
        self.writer.add_text("hyperparameters", f"|param|value|\n|-|-|\n{table}")
        self.start = time.time()
        self.bar = None
        if progress:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, unit="step", dynamic_ncols=True)
        self.last_return = float("nan")

    def sps(self, global_step: int) -> int:
        return int(global_step / max(time.time() - self.start, 1e-9))

    def episodes(self, finished: Sequence[tuple[float, int]], global_step: int) -> None:
        for ret, length in finished:
            self.writer.add_scalar("charts/episodic_return", ret, global_step)
            self.writer.add_scalar("charts/episodic_length", length, global_step)
            self.last_return = ret

    def scalars(self, values: dict[str, float], global_step: int) -> None:
        for key, value in values.items():
            self.writer.add_scalar(key, value, global_step)

    def progress(self, global_step: int) -> None:
        sps = self.sps(global_step)
        self.writer.add_scalar("charts/SPS", sps, global_step)
        if self.bar is not None:
            self.bar.n = global_step
            self.bar.set_postfix(SPS=sps, ret=f"{self.last_return:.3g}", refresh=False)
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        self.writer.close()


def vars_of(args: Any) -> dict[str, Any]:
    return dataclasses.asdict(args) if dataclasses.is_dataclass(args) else dict(vars(args))


# --- evaluation and checkpoints ------------------------------------------------------------------------
class Policy:
    """``policy(obs) -> action`` over a batch of observations (or one), in the env's action space.

    ``task_in_obs``: the policy expects each observation followed by its task's ``Task.to_array()``.
    """

    def __init__(self, act: Callable[[torch.Tensor], torch.Tensor], action_space: gym.Space, *, task_in_obs: bool,
                 device: torch.device, obs_mean: np.ndarray | None = None, obs_std: np.ndarray | None = None):
        self._act = act
        self.action_space = action_space
        self.task_in_obs = task_in_obs
        self.device = device
        self.obs_mean, self.obs_std = obs_mean, obs_std

    @property
    def uses_task(self) -> bool:
        """For rlenvs' evaluation runner: a task-in-obs policy is called as ``act(obs, task_params)``."""
        return self.task_in_obs

    def act(self, obs: np.ndarray, task_params: np.ndarray | None = None) -> np.ndarray:
        """``policy(obs)``, with ``task_params`` (rows of ``Task.to_array()``) appended for task-in-obs policies."""
        if self.task_in_obs:
            if task_params is None:
                raise ValueError("this policy was trained with --task-in-obs: call act(obs, task_params)")
            obs = np.concatenate([np.asarray(obs, np.float32), np.asarray(task_params, np.float32)], axis=-1)
        return self(obs)

    @torch.no_grad()
    def __call__(self, obs: np.ndarray) -> np.ndarray:
        obs = np.asarray(obs, dtype=np.float32)
        single = obs.ndim == 1
        if single:
            obs = obs[None]
        if self.obs_mean is not None:
            obs = (obs - self.obs_mean) / self.obs_std
        out = self._act(torch.as_tensor(obs, dtype=torch.float32, device=self.device)).cpu().numpy()
        if isinstance(self.action_space, spaces.Box):
            out = scale_action(out, self.action_space)
        else:
            out = out.astype(np.int64)
        return out[0] if single else out


def evaluate(policy: Callable[[np.ndarray], np.ndarray], env_id: str, *, episodes: int = 10, seed: int = 0,
             task_split: str = "train", task_index: int | None = None, task_in_obs: bool | None = None,
             num_envs: int | None = None) -> np.ndarray:
    """Run ``policy`` for ``episodes`` whole episodes and return their undiscounted returns."""
    if task_in_obs is None:
        task_in_obs = bool(getattr(policy, "task_in_obs", False))
    num_envs = num_envs or episodes
    env = TaskVecEnv(env_id, num_envs, seed=seed, task_split=task_split, task_index=task_index,
                     task_in_obs=task_in_obs)
    obs = env.reset()
    stateful = hasattr(policy, "feedback")  # a recurrent policy: fresh state, then reward and episode starts
    if stateful:
        policy.reset(num_envs)
    returns: list[float] = []
    while len(returns) < episodes:
        obs, reward, _, _, valid = env.step(policy(obs))
        if stateful:
            policy.feedback(reward, ~valid)
        returns.extend(ret for ret, _ in env.pop_finished())
    env.close()
    return np.array(returns[:episodes])


def save_checkpoint(path: str, algo: str, args: Any, state: dict[str, Any], meta: dict[str, Any]) -> str:
    """Write ``{"algo", "args", "state", "meta"}`` with ``torch.save``; return ``path``."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    torch.save({"algo": algo, "args": vars_of(args), "state": state, "meta": meta}, path)
    return path


CHECKPOINT_ENV_VAR = "BASELINES_CHECKPOINT"


def checkpoint_policy(envs) -> Policy:
    """Policy factory for ``rlenvs evaluate --policy baselines.common:checkpoint_policy``.

    Loads the checkpoint named by the environment variable ``BASELINES_CHECKPOINT`` and checks that its
    action space and observation size fit ``envs`` (the evaluation runner's vector env).
    """
    path = os.environ.get(CHECKPOINT_ENV_VAR)
    if not path:
        raise ValueError(f"set {CHECKPOINT_ENV_VAR}=path/to/checkpoint.pt to evaluate a baselines checkpoint")
    policy = load_policy(path)
    if policy.action_space != envs.single_action_space:
        raise ValueError(f"checkpoint {path!r} acts in {policy.action_space}, the env in {envs.single_action_space}")
    return policy


def load_policy(path: str, device: str = "cpu") -> Policy:
    """The deterministic policy of a checkpoint written by ``baselines/{ppo,sac,td3_bc}.py``."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"no checkpoint at {path!r}")
    ckpt = torch.load(path, map_location=device, weights_only=False)
    if not isinstance(ckpt, dict) or "algo" not in ckpt:
        raise ValueError(f"{path!r} is not a baselines checkpoint (no 'algo' key)")
    module = importlib.import_module(f"baselines.{ckpt['algo']}")
    return module.policy_from_checkpoint(ckpt, resolve_device(device))


@dataclasses.dataclass
class TrainResult:
    """What ``train(args)`` returns: the final policy, the training curve, speed and the checkpoint path."""

    policy: Policy
    episodic_returns: list[float]
    global_step: int
    sps: int
    checkpoint: str | None
    run_dir: str
