"""PrefGrid: a tabular MDP where preference-based RL can be solved exactly (the PARL testbed).

PARL (Chakraborty et al., ICLR 2024) poses reward learning from preferences as a bilevel problem whose
upper level (fit the reward to the teacher's labels) is evaluated on trajectories of the lower level's
optimal policy. On PrefGrid the lower level is solved exactly and differentiably by finite-horizon soft
value iteration (:func:`soft_value_iteration`), so the exact A-PARL hypergradient can be formed and checked.

Everything an algorithm needs is on the env (``env.unwrapped``): ``transitions`` ``P[s, a, s']``,
``features()`` ``phi[s, a, k]`` (the learner's linear reward class), ``gold_reward()``, ``initial_state``,
``optimal_policy()`` and the exact ``optimal_return()`` / ``random_return()`` for normalising scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from gymnasium import spaces

from rlenvs.core import rng as _rng
from rlenvs.core.env import TaskEnv
from rlenvs.core.spaces import check_action
from rlenvs.core.task import Task, TaskDistribution, task_field

SIZE = 8
HORIZON = 30
SLIP = 0.1
MOVES = ((0, 0), (0, 1), (0, -1), (-1, 0), (1, 0))  # stay, north, south, west, east
NUM_ACTIONS = len(MOVES)
FEATURES = ("goal_closeness", "object1_closeness", "object2_closeness", "moved")
GOLD_WEIGHTS = np.array([1.0, -0.5, -0.5, -0.05])  # on FEATURES, and on their sharp (indicator) forms


@dataclass(frozen=True)
class PrefGridTask(Task):
    """Start, goal and two object cells of the grid."""

    start: tuple[int, ...] = task_field(low=0, high=SIZE - 1, size=2, doc="start cell (x, y)")
    goal: tuple[int, ...] = task_field(low=0, high=SIZE - 1, size=2, doc="goal cell (x, y)")
    objects: tuple[int, ...] = task_field(low=0, high=SIZE - 1, size=4, doc="two object cells (x1, y1, x2, y2)")


class PrefGridDistribution(TaskDistribution):
    """Start, goal and the two objects on four distinct cells, uniformly; splits ``train`` (50), ``test`` (10)."""

    family = "pref_grid"
    task_type = PrefGridTask
    split_sizes = {"train": 50, "test": 10}

    def sample(self, rng: np.random.Generator) -> PrefGridTask:
        cells = rng.choice(SIZE * SIZE, size=4, replace=False)
        x, y = cells % SIZE, cells // SIZE
        return PrefGridTask(start=(x[0], y[0]), goal=(x[1], y[1]), objects=(x[2], y[2], x[3], y[3]))


# --- the MDP as arrays ---------------------------------------------------------------------------------

def grid_transitions(size: int = SIZE, slip: float = SLIP) -> np.ndarray:
    """``P[s, a, s']`` of the ``size x size`` grid (cell ``s = y * size + x``): the chosen move with
    probability ``1 - slip``, a uniformly random one of the 5 moves (the chosen one included) with
    probability ``slip``; a move off the grid stays in place."""
    if not 0.0 <= slip <= 1.0:
        raise ValueError(f"slip must be in [0, 1], got {slip!r}")
    n = size * size
    cells = np.arange(n)
    x, y = cells % size, cells // size
    nxt = np.empty((n, NUM_ACTIONS), dtype=np.int64)
    for a, (dx, dy) in enumerate(MOVES):
        nx, ny = x + dx, y + dy
        inside = (nx >= 0) & (nx < size) & (ny >= 0) & (ny < size)
        nxt[:, a] = np.where(inside, ny * size + nx, cells)
    moved = np.zeros((n, NUM_ACTIONS, n))
    moved[cells[:, None], np.arange(NUM_ACTIONS)[None, :], nxt] = 1.0
    return (1.0 - slip) * moved + slip * moved.mean(axis=1, keepdims=True)


def reward_features(task: PrefGridTask, size: int = SIZE) -> np.ndarray:
    """The learner's features ``phi[s, a, k]`` (see :data:`FEATURES`): for the goal and each object its
    closeness ``1 - manhattan(s, cell) / (2 (size - 1))`` in [0, 1], and ``moved = [a != stay]``."""
    n = size * size
    x, y = np.arange(n) % size, np.arange(n) // size
    phi = np.zeros((n, NUM_ACTIONS, len(FEATURES)))
    for k, (cx, cy) in enumerate(_cells(task)):
        phi[:, :, k] = (1.0 - (np.abs(x - cx) + np.abs(y - cy)) / (2.0 * (size - 1)))[:, None]
    phi[:, 1:, 3] = 1.0
    return phi


def gold_reward(task: PrefGridTask, size: int = SIZE, misspecification: float = 1.0) -> np.ndarray:
    """The teacher's reward ``r*[s, a]`` (of the state the action is taken in):

    ``r* = sum_k w_k ((1 - m) closeness_k(s) + m [s = cell_k]) + w_3 [a != stay]``, ``w = GOLD_WEIGHTS``
    ``= (1, -0.5, -0.5, -0.05)`` over (goal, object 1, object 2, move), ``m = misspecification``.
    At ``m = 0`` it is ``phi . w``, inside the learner's class; at ``m = 1`` (default) it is +1 on the goal,
    -0.5 on each object and -0.05 per move, which no linear function of ``phi`` represents.
    """
    if not 0.0 <= misspecification <= 1.0:
        raise ValueError(f"misspecification must be in [0, 1], got {misspecification!r}")
    n = size * size
    phi = reward_features(task, size)
    sharp = np.zeros((n, len(FEATURES) - 1))
    for k, (cx, cy) in enumerate(_cells(task)):
        sharp[cy * size + cx, k] = 1.0
    m = float(misspecification)
    state_part = ((1.0 - m) * phi[:, 0, :3] + m * sharp) @ GOLD_WEIGHTS[:3]
    return state_part[:, None] + GOLD_WEIGHTS[3] * phi[:, :, 3]


def _cells(task: PrefGridTask) -> list[tuple[int, int]]:
    return [task.goal, task.objects[:2], task.objects[2:]]


# --- exact solvers -------------------------------------------------------------------------------------

class SoftVI(NamedTuple):
    """Result of :func:`soft_value_iteration`; ``h`` indexes the step ``0 .. H-1`` (``v`` has ``H + 1`` rows,
    ``v[H] = 0``). The ``d*`` arrays are derivatives w.r.t. the reward parameters (last axis), or None."""

    q: np.ndarray  # (H, S, A)
    v: np.ndarray  # (H + 1, S)
    policy: np.ndarray  # (H, S, A)
    dq: np.ndarray | None = None  # (H, S, A, d)
    dv: np.ndarray | None = None  # (H + 1, S, d)
    dlog_policy: np.ndarray | None = None  # (H, S, A, d)


def soft_value_iteration(reward: np.ndarray, transitions: np.ndarray, horizon: int, temperature: float,
                         reward_jacobian: np.ndarray | None = None) -> SoftVI:
    """Finite-horizon (soft) value iteration, exact, with forward-mode derivatives.

    ``Q_h = r + P V_{h+1}``, ``V_H = 0``; for ``temperature`` ``lam > 0``: ``V_h = lam log sum_a exp(Q_h / lam)``
    and ``pi_h = exp((Q_h - V_h) / lam)`` (the entropy-regularised optimum: ``pi`` maximises
    ``E[sum_h r(s_h, a_h) - lam log pi_h(a_h | s_h)]``). For ``lam = 0``: ``V_h = max_a Q_h`` and ``pi_h`` is
    greedy (one-hot, ties to the lowest action), the exact optimum of the expected return.

    ``reward_jacobian`` ``dr[s, a, k]`` (e.g. the features ``phi`` for ``r = phi . nu``; needs ``lam > 0``)
    also returns ``dQ_h = dr + P dV_{h+1}``, ``dV_h = sum_a pi_h dQ_h`` and
    ``d log pi_h = (dQ_h - dV_h) / lam``: the exact gradient of every quantity w.r.t. the reward
    parameters, e.g. of ``log pi_nu(a_h | s_h)`` in A-PARL's hypergradient.
    """
    reward = np.asarray(reward, dtype=np.float64)
    n_states, n_actions = reward.shape
    if transitions.shape != (n_states, n_actions, n_states):
        raise ValueError(f"transitions must have shape {(n_states, n_actions, n_states)}, got {transitions.shape}")
    if horizon < 1:
        raise ValueError(f"horizon must be >= 1, got {horizon!r}")
    if not temperature >= 0.0:
        raise ValueError(f"temperature must be >= 0, got {temperature!r}")
    if reward_jacobian is not None and temperature == 0.0:
        raise ValueError("derivatives need temperature > 0 (the greedy policy is not differentiable)")
    q = np.zeros((horizon, n_states, n_actions))
    v = np.zeros((horizon + 1, n_states))
    policy = np.zeros_like(q)
    grads = reward_jacobian is not None
    if grads:
        d = reward_jacobian.shape[-1]
        dq, dv = np.zeros((horizon, n_states, n_actions, d)), np.zeros((horizon + 1, n_states, d))
        dlog = np.zeros_like(dq)
    for h in range(horizon - 1, -1, -1):
        q[h] = reward + transitions @ v[h + 1]
        if temperature > 0.0:
            top = q[h].max(axis=1, keepdims=True)
            z = np.exp((q[h] - top) / temperature)
            v[h] = top[:, 0] + temperature * np.log(z.sum(axis=1))
            policy[h] = z / z.sum(axis=1, keepdims=True)
        else:
            v[h] = q[h].max(axis=1)
            policy[h, np.arange(n_states), q[h].argmax(axis=1)] = 1.0
        if grads:
            dq[h] = reward_jacobian + transitions @ dv[h + 1]
            dv[h] = (policy[h][:, :, None] * dq[h]).sum(axis=1)
            dlog[h] = (dq[h] - dv[h][:, None, :]) / temperature
    if grads:
        return SoftVI(q, v, policy, dq, dv, dlog)
    return SoftVI(q, v, policy)


class PolicyEvaluation(NamedTuple):
    """Exact evaluation of a non-stationary policy ``pi[h, s, a]`` under a reward (:func:`evaluate_policy`)."""

    q: np.ndarray  # (H, S, A): Q^pi_h
    v: np.ndarray  # (H + 1, S): V^pi_h, V^pi_H = 0
    occupancy: np.ndarray  # (H, S): P(s_h = s) from the initial distribution
    expected_return: float  # sum_s mu(s) V^pi_0(s)


def evaluate_policy(policy: np.ndarray, reward: np.ndarray, transitions: np.ndarray,
                    initial: np.ndarray) -> PolicyEvaluation:
    """``Q^pi_h = r + P V^pi_{h+1}``, ``V^pi_h = sum_a pi_h Q^pi_h`` and the state occupancy
    ``d_{h+1}(s') = sum_{s,a} d_h(s) pi_h(a|s) P(s'|s,a)``, ``d_0 = initial``."""
    horizon, n_states, n_actions = policy.shape
    q = np.zeros((horizon, n_states, n_actions))
    v = np.zeros((horizon + 1, n_states))
    for h in range(horizon - 1, -1, -1):
        q[h] = reward + transitions @ v[h + 1]
        v[h] = (policy[h] * q[h]).sum(axis=1)
    occupancy = np.zeros((horizon, n_states))
    occupancy[0] = initial
    for h in range(horizon - 1):
        occupancy[h + 1] = np.einsum("s,sa,sat->t", occupancy[h], policy[h], transitions)
    return PolicyEvaluation(q, v, occupancy, float(initial @ v[0]))


# --- the env ---------------------------------------------------------------------------------------------

class PrefGridEnv(TaskEnv):
    """An 8x8 slippery grid with a goal and two objects; a 30-step episode; the reward is the gold reward.

    ## Description
    The PARL testbed of the rlenvs preference suite: tabular, so the optimal policy of any reward is exact
    (:func:`soft_value_iteration`). The learner fits ``r_nu(s, a) = nu . phi(s, a)`` (``features()``) to a
    teacher's preferences; the teacher's ``gold_reward()`` is outside that class unless
    ``misspecification = 0``, so *where* the reward is fitted (which policy's segments are labelled) decides
    how good the resulting policy is, which is PARL's argument against fitting on past policies' data.
    ``rlenvs/PrefGrid-v0`` is this env inside a
    :class:`~rlenvs.preference.feedback.PreferenceFeedbackWrapper` (reward hidden, 10-step segments, 200
    queries).

    ## Task distribution
    :class:`PrefGridTask` ``(start, goal, objects)``: four distinct cells, uniform
    (:class:`PrefGridDistribution`; splits ``train`` 50, ``test`` 10).

    ## Action Space
    ``Discrete(5)``: stay, north (y + 1), south, west (x - 1), east.

    ## Observation Space
    ``MultiDiscrete([64, 31])``: ``(cell, t)``, cell ``y * 8 + x`` and the step ``t`` (the optimal policy of a
    finite horizon depends on it). The goal and the objects are not observed: they enter through
    ``features()``, which the learner is given.

    ## Transitions
    With probability ``slip`` (0.1) the move is replaced by a uniformly random one of the 5; moves off the
    grid stay (``transitions[s, a, s']`` = :func:`grid_transitions`).

    ## Rewards
    ``gold_reward()[s, a]`` for the action ``a`` taken in cell ``s`` (:func:`gold_reward`): +1 on the goal,
    -0.5 on an object, -0.05 per move at ``misspecification = 1``; the linear shaped reward ``phi . w`` at 0.

    ## Starting State
    The task's start cell, ``t = 0``.

    ## Episode End
    Truncation after ``horizon`` (30) steps; no termination (staying on the goal keeps paying).

    ## Arguments
    ``task``, ``task_split``, ``horizon=30``, ``slip=0.1``, ``misspecification=1.0`` in [0, 1],
    ``render_mode`` ("rgb_array"). Through ``gym.make`` a longer ``horizon`` needs ``max_episode_steps`` too
    (the id's ``TimeLimit`` is 30). The module's functions also take a ``size``, for tiny test instances.

    ## Version History
    - v0: initial version.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 4}

    def __init__(self, *, task: PrefGridTask | Mapping | None = None, task_split: str = "train",
                 horizon: int = HORIZON, slip: float = SLIP, misspecification: float = 1.0,
                 render_mode: str | None = None):
        if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
            raise ValueError(f"horizon must be a positive int, got {horizon!r}")
        if not 0.0 <= misspecification <= 1.0:
            raise ValueError(f"misspecification must be in [0, 1], got {misspecification!r}")
        if render_mode not in (None, *self.metadata["render_modes"]):
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None, got {render_mode!r}")
        self.size, self.horizon = SIZE, int(horizon)
        self.slip, self.misspecification = float(slip), float(misspecification)
        self.transitions = grid_transitions(self.size, self.slip)
        self._next = np.argmax(grid_transitions(self.size, 0.0), axis=2)  # (S, A): the cell each move leads to
        super().__init__(PrefGridDistribution(), task=task, task_split=task_split)
        self.render_mode = render_mode
        self.observation_space = spaces.MultiDiscrete([self.size * self.size, self.horizon + 1])
        self.action_space = spaces.Discrete(NUM_ACTIONS)
        self._cell, self._t = 0, 0
        self._reward = np.zeros((self.size * self.size, NUM_ACTIONS))

    # the MDP of the current task
    def features(self) -> np.ndarray:
        """``phi[s, a, k]`` of the current task (:func:`reward_features`)."""
        return reward_features(self.task, self.size)

    def gold_reward(self) -> np.ndarray:
        """``r*[s, a]`` of the current task (:func:`gold_reward`)."""
        return gold_reward(self.task, self.size, self.misspecification)

    @property
    def initial_state(self) -> int:
        """The start cell of the current task."""
        x, y = self.task.start
        return y * self.size + x

    def initial_distribution(self) -> np.ndarray:
        mu = np.zeros(self.size * self.size)
        mu[self.initial_state] = 1.0
        return mu

    def optimal_policy(self) -> np.ndarray:
        """The exact optimal (greedy, time-dependent) policy ``pi[h, s, a]`` of the gold reward."""
        return soft_value_iteration(self.gold_reward(), self.transitions, self.horizon, 0.0).policy

    def optimal_return(self) -> float:
        """The exact optimal expected gold return from the start cell (the oracle reference)."""
        values = soft_value_iteration(self.gold_reward(), self.transitions, self.horizon, 0.0).v
        return float(values[0, self.initial_state])

    def random_return(self) -> float:
        """The exact expected gold return of the uniformly random policy (the random reference)."""
        uniform = np.full((self.horizon, self.size * self.size, NUM_ACTIONS), 1.0 / NUM_ACTIONS)
        return evaluate_policy(uniform, self.gold_reward(), self.transitions,
                               self.initial_distribution()).expected_return

    # gymnasium API
    def _reset_episode(self, task: PrefGridTask):
        self._reward = gold_reward(task, self.size, self.misspecification)
        self._cell, self._t = self.initial_state, 0
        return self._obs(), {}

    def _obs(self) -> np.ndarray:
        return np.array([self._cell, self._t], dtype=np.int64)

    def step(self, action):
        if self._task is None:
            raise RuntimeError("call reset() before step()")
        if self._t >= self.horizon:
            raise RuntimeError(f"the episode ended after {self.horizon} steps; call reset()")
        action = int(check_action(action, self.action_space))
        reward = float(self._reward[self._cell, action])
        u = float(_rng.draw_uniform(self._rng, 0, 1)[0])
        move = min(int(u / self.slip * NUM_ACTIONS), NUM_ACTIONS - 1) if u < self.slip else action
        self._cell = int(self._next[self._cell, move])
        self._t += 1
        return self._obs(), reward, False, self._t >= self.horizon, {}

    def render(self):
        """An RGB image: the goal green, the objects red, the agent blue (24 pixels per cell, y up)."""
        if self.render_mode != "rgb_array":
            return None
        px = 24
        image = np.full((self.size * px, self.size * px, 3), 235, dtype=np.uint8)
        image[::px, :] = image[:, ::px] = 180
        colours = [((60, 180, 75), self.task.goal), ((220, 50, 50), self.task.objects[:2]),
                   ((220, 50, 50), self.task.objects[2:]), ((0, 90, 200), (self._cell % self.size,
                                                                            self._cell // self.size))]
        for colour, (x, y) in colours:
            row = (self.size - 1 - y) * px
            image[row + 4:row + px - 3, x * px + 4:x * px + px - 3] = colour
        return image


# --- references for the leaderboards (see rlenvs.evaluation.runner) -----------------------------------------

class PrefGridOptimalPolicy:
    """The exact optimal policy of each env's gold reward, from the task (``uses_task``): the oracle reference.

    Works in the vector env of a PrefGrid id (``SyncVectorEnv``); obs rows are ``(cell, t)``.
    """

    uses_task = True

    def __init__(self, envs):
        base = envs.get_attr("unwrapped")[0]
        self._size, self._horizon = base.size, base.horizon
        self._transitions, self._misspecification = base.transitions, base.misspecification
        self._greedy: dict[bytes, np.ndarray] = {}

    def _actions(self, params: np.ndarray) -> np.ndarray:
        key = params.tobytes()
        if key not in self._greedy:
            task = PrefGridTask.from_array(params)
            reward = gold_reward(task, self._size, self._misspecification)
            self._greedy[key] = soft_value_iteration(reward, self._transitions, self._horizon, 0.0).policy.argmax(2)
        return self._greedy[key]

    def act(self, obs: np.ndarray, task_params: np.ndarray) -> np.ndarray:
        cells, steps = obs[:, 0], obs[:, 1]
        return np.array([self._actions(p)[t, s] if t < self._horizon else 0  # t = H: an autoreset step
                         for p, s, t in zip(task_params, cells, steps, strict=True)], dtype=np.int64)


def optimal_policy(envs) -> PrefGridOptimalPolicy:
    """Policy factory of :class:`PrefGridOptimalPolicy`."""
    return PrefGridOptimalPolicy(envs)
