"""CombinationLock: the rich-observation (diabolical) combination lock of exploration theory.

``H`` levels with 3 latent states each (two good, one absorbing dead), ``A`` actions and a secret
combination, the task: in good state ``s`` of level ``h`` only the action ``secret[h, s]`` keeps the agent
alive, anything else drops it into the dead state for good; the reward comes at the end. Uniform exploration
opens the lock with probability ``A**-H`` per episode (:func:`random_success_probability`), while a policy
that knows the combination always does. :func:`offline_dataset` collects epsilon-greedy oracle data whose
coverage of the optimal policy is tunable (:func:`coverage`), for hybrid RL (Hy-Q, HyGLOW).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from functools import cache, cached_property
from typing import ClassVar

import numpy as np
from gymnasium import spaces

from rlenvs.core.env import TaskEnv
from rlenvs.core.task import Task, TaskDistribution, task_field
from rlenvs.gridworld import _kernels as K
from rlenvs.gridworld._common import GridVectorEnv, fast_discrete

MAX_HORIZON = 1000
MAX_ACTIONS = 1000


@dataclasses.dataclass(frozen=True)
class CombinationLockTask(Task):
    """Base of the lock tasks: one class per ``(horizon, num_actions)`` from :func:`lock_task_type`, with the
    fields ``good_a`` (the secret action of good state 0 at each level) and ``good_b`` (of good state 1)."""

    horizon: ClassVar[int]
    num_actions: ClassVar[int]

    @property
    def secret(self) -> np.ndarray:
        """``(H, 2)`` int array: ``secret[h, s]`` opens good state ``s`` of level ``h``."""
        return np.stack([self.good_a, self.good_b], axis=1)


_TASK_NAME = re.compile(r"CombinationLockTask_H(\d+)_A(\d+)")


def lock_task_type(horizon: int, num_actions: int) -> type[CombinationLockTask]:
    """The task class of locks with ``horizon`` levels and ``num_actions`` actions (made once, then reused;
    picklable by name as ``rlenvs.gridworld.lock.CombinationLockTask_H{H}_A{A}``)."""
    name = f"CombinationLockTask_H{horizon}_A{num_actions}"
    cls = globals().get(name)
    if cls is None:
        fields = [(field, tuple[int, ...], task_field(low=0, high=num_actions - 1, size=horizon,
                                                      doc=f"secret action of good state {s} at each level"))
                  for s, field in enumerate(("good_a", "good_b"))]
        cls = dataclasses.make_dataclass(name, fields, bases=(CombinationLockTask,), frozen=True,
                                         namespace={"horizon": horizon, "num_actions": num_actions})
        cls.__module__ = __name__
        globals()[name] = cls
    return cls


def __getattr__(name: str):  # unpickling finds the per-size task classes by name
    match = _TASK_NAME.fullmatch(name)
    if match is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return lock_task_type(int(match[1]), int(match[2]))


def _check_int(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{name} must be an int in [{low}, {high}], got {value!r}")
    return int(value)


class CombinationLockDistribution(TaskDistribution):
    """Secret combinations uniform over ``{0..A-1}^(2H)``; splits ``train`` (100) and ``test`` (20)."""

    split_sizes: ClassVar[dict[str, int]] = {"train": 100, "test": 20}

    def __init__(self, horizon: int = 10, num_actions: int = 10):
        self.horizon = _check_int("horizon", horizon, 1, MAX_HORIZON)
        self.num_actions = _check_int("num_actions", num_actions, 2, MAX_ACTIONS)
        self.task_type = lock_task_type(self.horizon, self.num_actions)
        self.family = f"combination_lock_H{self.horizon}_A{self.num_actions}"

    def sample(self, rng: np.random.Generator) -> CombinationLockTask:
        good = rng.integers(0, self.num_actions, size=(2, self.horizon))
        return self.task_type(good_a=tuple(good[0].tolist()), good_b=tuple(good[1].tolist()))

    def __repr__(self) -> str:
        return f"CombinationLockDistribution(horizon={self.horizon}, num_actions={self.num_actions})"


@cache
def lock_distribution(horizon: int = 10, num_actions: int = 10) -> CombinationLockDistribution:
    """The shared distribution of one lock size."""
    return CombinationLockDistribution(horizon, num_actions)


def hadamard(n: int) -> np.ndarray:
    """The ``n x n`` Sylvester Hadamard matrix divided by ``sqrt(n)`` (orthonormal); ``n`` a power of two."""
    out = np.ones((1, 1))
    while out.shape[0] < n:
        out = np.block([[out, out], [out, -out]])
    return out / np.sqrt(n)


@dataclasses.dataclass(frozen=True)
class LockConfig:
    """Everything of a lock but its secret (the env's arguments)."""

    horizon: int = 10
    num_actions: int = 10
    swap_prob: float = 0.5
    noise_std: float = 0.1
    noise_dims: int | None = None
    rotate: bool = False
    final_reward: float = 1.0
    anti_shaping_reward: float = 0.0
    step_penalty: float = 0.0

    def __post_init__(self) -> None:
        _check_int("horizon", self.horizon, 1, MAX_HORIZON)
        _check_int("num_actions", self.num_actions, 2, MAX_ACTIONS)
        if self.noise_dims is None:
            object.__setattr__(self, "noise_dims", self.horizon)
        _check_int("noise_dims", self.noise_dims, 0, 100_000)
        if not 0.0 <= self.swap_prob <= 1.0:
            raise ValueError(f"swap_prob must be in [0, 1], got {self.swap_prob!r}")
        if not self.noise_std >= 0.0:
            raise ValueError(f"noise_std must be >= 0, got {self.noise_std!r}")

    @property
    def latent_dims(self) -> int:
        """``3 + H + 1 + noise_dims``: the one-hots and the distractors before any rotation."""
        return 3 + self.horizon + 1 + self.noise_dims

    @property
    def obs_dim(self) -> int:
        """The observation size: ``latent_dims``, or the next power of two with ``rotate``."""
        return 1 << (self.latent_dims - 1).bit_length() if self.rotate else self.latent_dims

    @cached_property
    def rotation(self) -> np.ndarray:
        """The observation's rotation (:func:`hadamard`), or an empty ``(0, 0)`` array without ``rotate``."""
        return hadamard(self.obs_dim) if self.rotate else np.zeros((0, 0))

    def kernel_args(self) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
        """``(cfg, noise_dims, rotation, scratch)`` as the kernels read them."""
        cfg = np.array([self.horizon, self.swap_prob, self.final_reward, self.anti_shaping_reward, self.step_penalty,
                        self.noise_std], dtype=np.float64)
        return cfg, int(self.noise_dims), self.rotation, np.zeros(self.obs_dim)

    def spaces(self) -> tuple[spaces.Box, spaces.Discrete]:
        """(observation space, action space) of one lock."""
        return (spaces.Box(-np.inf, np.inf, shape=(self.obs_dim,), dtype=np.float32),
                spaces.Discrete(self.num_actions))

    def decode(self, obs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(latent, level)`` of a batch of observations: the argmax of each one-hot block (after undoing the
        rotation). Exact while the noise on the one-hots stays well below 0.5."""
        x = np.asarray(obs, dtype=np.float64)
        if self.rotate:
            x = x @ self.rotation  # the rotation is symmetric and orthonormal: its own inverse
        return x[..., :3].argmax(-1), x[..., 3:4 + self.horizon].argmax(-1)

    def optimal_return(self) -> float:
        """The return of the secret's actions: ``final_reward - step_penalty`` (``final_reward`` if H = 1)."""
        return self.final_reward - (self.step_penalty if self.horizon > 1 else 0.0)


def random_success_probability(horizon: int, num_actions: int) -> float:
    """``A**-H``: the chance that uniformly random actions open the lock in one episode (each level's action is
    right with probability ``1 / A`` whichever good state the agent is in)."""
    return float(num_actions) ** -horizon


class CombinationLockEnv(TaskEnv):
    """Open an ``H``-level combination lock from rich observations: exploration is exponentially hard.

    ## Description
    The diabolical combination lock of Misra et al. (HOMER, 2020), as in microsoft/Intrepid's
    ``diabolical_combolock.py`` and used for hybrid RL by Hy-Q (Song et al., 2023): the demonstration problem
    of coverability-based exploration (GLOW / HyGLOW, Amortila et al., 2024). Each level ``h`` has two good
    latent states and a dead one; in good state ``s`` the action ``secret[h, s]`` moves to a good state of
    level ``h + 1`` (the other one with ``swap_prob``), any other action to the dead state, which absorbs.

    ## Task distribution
    The secret: ``CombinationLockTask(good_a, good_b)`` (``H`` actions each; one task class per
    ``(H, A)``, :func:`lock_task_type`), uniform over ``{0..A-1}^(2H)``. Splits ``train`` (100), ``test`` (20).

    ## Action Space
    ``Discrete(num_actions)``.

    ## Observation Space
    ``Box(-inf, inf, (D,), float32)``: ``x = [onehot(latent, 3), onehot(h, H + 1), distractors]`` with
    ``N(0, noise_std**2)`` noise added to the one-hots (Intrepid's Gaussian noise) and ``noise_dims``
    distractor dims drawn Bernoulli(1/2) every step (Intrepid's Bernoulli noise; ``D = 2H + 4`` by
    default). With ``rotate`` the observation is ``M x`` for the orthonormal Sylvester-Hadamard matrix ``M``
    of the next power of two (``x`` zero-padded), Misra et al.'s rich observation: no single coordinate then
    reveals the latent state.

    ## Rewards
    ``final_reward`` (1) for the secret action at the last level; with Intrepid's anti-shaping,
    ``anti_shaping_reward`` with probability 1/2 on falling into the dead state and ``-step_penalty / (H - 1)``
    on every other good-to-good step. Optimal return ``final_reward - step_penalty``, reachable only with the
    secret.

    ## Starting State
    Good state 0 or 1 of level 0, uniformly.

    ## Episode End
    Terminates after ``H`` steps (the level ``H`` is terminal); the dead state does not end the episode.

    ## Arguments
    ``horizon`` (10), ``num_actions`` (10), ``swap_prob`` (0.5), ``noise_std`` (0.1), ``noise_dims``
    (``horizon``), ``rotate`` (False), ``final_reward`` (1.0), ``anti_shaping_reward`` (0.0),
    ``step_penalty`` (0.0), ``task``, ``task_split``.

    ## Deviations
    Intrepid draws one secret per env seed and offers Gaussian, Bernoulli or Hadamard noise separately; here the
    secret is the task and the noise knobs combine. The reward comes only at the end by default (Intrepid's
    diabolical config uses anti-shaping). Intrepid starts in good state 0 (``spawn_prob = 0``), HOMER in
    either; this env in either.

    ## Version History
    - v0: initial version.
    """

    metadata = {"render_modes": []}

    def __init__(self, *, horizon: int = 10, num_actions: int = 10, swap_prob: float = 0.5, noise_std: float = 0.1,
                 noise_dims: int | None = None, rotate: bool = False, final_reward: float = 1.0,
                 anti_shaping_reward: float = 0.0, step_penalty: float = 0.0,
                 task: CombinationLockTask | Mapping | None = None, task_split: str = "train"):
        self.config = LockConfig(horizon, num_actions, swap_prob, noise_std, noise_dims, rotate, final_reward,
                                 anti_shaping_reward, step_penalty)
        super().__init__(lock_distribution(horizon, num_actions), task=task, task_split=task_split)
        self.observation_space, self.action_space = self.config.spaces()
        self._cfg, self._noise_dims, self._rotation, self._scratch = self.config.kernel_args()
        self._params = np.zeros((1, 2 * horizon))
        self._state = np.zeros((1, K.CS_SIZE), dtype=np.int64)
        self._elapsed = np.zeros(1, dtype=np.int64)
        self._obs = np.zeros((1, self.config.obs_dim), dtype=np.float32)

    def _reset_episode(self, task: CombinationLockTask):
        self._params[0] = task.to_array()
        K.lock_reset_single(self._rng, self._state, self._elapsed, self._obs, self._cfg, self._noise_dims,
                            self._rotation, self._scratch)
        return self._obs[0].copy(), {}

    def step(self, action):
        action = fast_discrete(action, self.config.num_actions, self.action_space)
        reward, terminated, truncated = K.lock_step_single(action, self._rng, self._params, self._state,
                                                           self._elapsed, self._obs, self._cfg, self._noise_dims,
                                                           self._rotation, self._scratch)
        return self._obs[0].copy(), float(reward), bool(terminated), bool(truncated), {}

    @property
    def latent_state(self) -> tuple[int, int]:
        """``(latent, level)``: latent 0 or 1 good, 2 dead."""
        return int(self._state[0, K.CS_LATENT]), int(self._state[0, K.CS_LEVEL])


class CombinationLockVectorEnv(GridVectorEnv):
    """``num_envs`` combination locks (see :class:`CombinationLockEnv`) stepped in one numba call.

    Same arguments as the single env plus ``num_envs``, ``max_episode_steps`` (a cap below ``H``, default
    none), ``tasks`` and ``copy``; see :class:`~rlenvs.core.vector.BatchedVectorEnv`.
    """

    metadata = {**GridVectorEnv.metadata, "render_modes": []}

    def __init__(self, num_envs: int, *, horizon: int = 10, num_actions: int = 10, swap_prob: float = 0.5,
                 noise_std: float = 0.1, noise_dims: int | None = None, rotate: bool = False,
                 final_reward: float = 1.0, anti_shaping_reward: float = 0.0, step_penalty: float = 0.0,
                 max_episode_steps: int | None = None, task_split: str = "train",
                 tasks: Sequence[CombinationLockTask | Mapping | None] | CombinationLockTask | Mapping | None = None,
                 copy: bool = True):
        self.config = LockConfig(horizon, num_actions, swap_prob, noise_std, noise_dims, rotate, final_reward,
                                 anti_shaping_reward, step_penalty)
        obs_space, act_space = self.config.spaces()
        super().__init__(num_envs, lock_distribution(horizon, num_actions), obs_space, act_space,
                         max_episode_steps=max_episode_steps, task_split=task_split, tasks=tasks, copy=copy)
        self._cfg, self._noise_dims, self._rotation, self._scratch = self.config.kernel_args()
        self._state = np.zeros((self.num_envs, K.CS_SIZE), dtype=np.int64)

    def _reset_envs(self, mask):
        K.lock_reset_batch(mask, self._rng, self._task_fixed, self._fixed_params, self._split_params,
                           self._task_params, self._task_index, self._state, self._elapsed, self._obs, self._cfg,
                           self._noise_dims, self._rotation, self._scratch)

    def _step_envs(self) -> int:
        return K.lock_step_batch(self._actions, self._rng, self._task_fixed, self._fixed_params, self._split_params,
                                 self._task_params, self._task_index, self._needs_reset, self._state, self._elapsed,
                                 self._obs, self._cfg, self._noise_dims, self._rotation, self._scratch,
                                 self.config.num_actions, self._max_steps, self._rewards, self._terminations,
                                 self._truncations)

    @property
    def latent_states(self) -> np.ndarray:
        """``(num_envs, 2)``: ``(latent, level)`` of every env (a copy)."""
        return self._state.copy()


class EpsilonOracle:
    """The secret-knowing policy with probability ``1 - epsilon``, a uniform action otherwise.

    It reads the latent state from the observation (:meth:`LockConfig.decode`) and the secret from the task
    rows (``Task.to_array()``: ``good_a`` then ``good_b``). Callable as ``policy(obs, task_params, rng)``
    (rlenvs.datasets' behaviour policies) and, as a leaderboard oracle, ``act(obs, task_params)``.
    """

    uses_task = True

    def __init__(self, config: LockConfig, epsilon: float = 0.0):
        if not 0.0 <= epsilon <= 1.0:
            raise ValueError(f"epsilon must be in [0, 1], got {epsilon!r}")
        self.config = config
        self.epsilon = float(epsilon)
        self.rng = np.random.default_rng(0)

    def seed(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def __call__(self, obs, task_params, rng: np.random.Generator) -> np.ndarray:
        latent, level = self.config.decode(obs)
        horizon = self.config.horizon
        rows = np.arange(len(latent))
        good = np.minimum(latent, 1)  # in the dead state every action is alike
        secret = np.asarray(task_params)[rows, good * horizon + np.minimum(level, horizon - 1)].astype(np.int64)
        explore = rng.random(len(latent)) < self.epsilon
        return np.where(explore, rng.integers(0, self.config.num_actions, len(latent)), secret)

    def act(self, obs, task_params) -> np.ndarray:
        return self(obs, task_params, self.rng)


def coverage(epsilon: float, horizon: int, num_actions: int) -> float:
    """The probability that an :class:`EpsilonOracle` episode stays in the good states to the end,
    ``q**H`` with ``q = 1 - epsilon + epsilon / A``. Its inverse is the concentrability of the optimal
    policy's occupancy with respect to the data (the worst level's ratio ``d*_h / mu_h = q**-h``)."""
    return (1.0 - epsilon + epsilon / num_actions) ** horizon


def offline_dataset(task: CombinationLockTask | Mapping, num_episodes: int, epsilon: float, *, seed: int = 0,
                    num_envs: int = 1024, **env_kwargs) -> list:
    """``num_episodes`` episodes of :class:`EpsilonOracle` (``epsilon``) on one lock, as
    :class:`rlenvs.datasets.Episode` objects (``rlenvs.datasets.write_minari`` writes them for the default
    lock size).

    ``epsilon`` tunes the coverage of the optimal policy (:func:`coverage`): 0 gives only optimal
    trajectories, 1 uniform exploration, in between the offline data of Hy-Q / HyGLOW. Episode ``k`` is reset
    with seed ``seed + k``; ``env_kwargs`` are :class:`CombinationLockEnv`'s.
    """
    from rlenvs.datasets import Episode

    n = max(1, min(int(num_envs), int(num_episodes)))
    envs = CombinationLockVectorEnv(n, **env_kwargs)
    task = envs.task_distribution.task_type.coerce(task)
    policy = EpsilonOracle(envs.config, epsilon)
    horizon = envs.config.horizon
    task_params = np.repeat(task.to_array()[None], n, axis=0)
    episodes = []
    for start in range(0, int(num_episodes), n):
        obs, _ = envs.reset(seed=[seed + start + i for i in range(n)], options={"tasks": [task] * n})
        rng = np.random.default_rng([seed, start])
        observations, actions, rewards, terminations = [obs], [], [], []
        for _ in range(horizon):
            action = policy(obs, task_params, rng)
            obs, reward, term, _, _ = envs.step(action)
            observations.append(obs)
            actions.append(action)
            rewards.append(reward)
            terminations.append(term)
        observations, actions = np.stack(observations), np.stack(actions)
        rewards, terminations = np.stack(rewards), np.stack(terminations)
        for i in range(min(n, int(num_episodes) - start)):
            episodes.append(Episode(observations[:, i], actions[:, i], rewards[:, i], terminations[:, i],
                                    np.zeros(horizon, dtype=bool), task.to_dict()))
    envs.close()
    return episodes
