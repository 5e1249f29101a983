import math

import numpy as np
import pytest

import rlenvs
from rlenvs.gridworld import _kernels as K
from rlenvs.gridworld import _reference as ref
from rlenvs.gridworld._common import wall_rows
from rlenvs.gridworld.lpg import (
    LEVEL_SETS,
    LPG_LEVELS,
    LPGGridEnv,
    LPGGridVectorEnv,
    LPGTask,
    lpg_distribution,
    optimal_policy,
    optimal_return,
)
from rlenvs.gridworld.maze import NAMED_MAZES, SMALL_CORRIDOR, wall_layout
from rlenvs.gridworld.references import LPGOptimal
from tests.gridworld.helpers import check_kernels_against_reference, episode_returns


def level(g, objects, *, walls=(), start=(0, 0), rewards=(1.0,), p_term=(0.0,), p_respawn=(0.0,), max_steps=10):
    """A hand-made level: ``objects`` are ``((row, col), type)``; per-type values padded with 0."""
    grid = np.zeros((13, 13), dtype=bool)
    for r, c in walls:
        grid[r, c] = True
    n = len(objects)

    def pad(values):
        return tuple(values) + (0.0,) * (5 - len(values))

    return LPGTask(grid_size=g, walls=wall_rows(grid), start=start[0] * 13 + start[1], n_objs=n,
                   obj_cells=tuple(r * 13 + c for (r, c), _ in objects) + (0,) * (5 - n),
                   obj_types=tuple(t for _, t in objects) + (0,) * (5 - n), type_rewards=pad(rewards),
                   type_p_terminate=pad(p_term), type_p_respawn=pad(p_respawn), max_steps=max_steps, lifetime=1)


def test_task_layout_matches_the_kernels():
    slices = LPGTask.array_slices()
    assert slices["grid_size"] == slice(K.L_GRID, K.L_GRID + 1)
    assert slices["walls"] == slice(K.L_WALLS, K.L_WALLS + 13)
    assert slices["start"].start == K.L_START and slices["n_objs"].start == K.L_NOBJ
    assert slices["obj_cells"].start == K.L_OBJ_CELL and slices["obj_types"].start == K.L_OBJ_TYPE
    assert slices["type_rewards"].start == K.L_REWARD and slices["type_p_terminate"].start == K.L_PTERM
    assert slices["type_p_respawn"].start == K.L_PRESPAWN and slices["max_steps"].start == K.L_MAXSTEPS
    assert slices["lifetime"] == slice(K.L_LIFETIME, K.L_SIZE)


# --- exact optimum on hand-solvable levels ------------------------------------------------------------

@pytest.mark.parametrize(("horizon", "expected"), [(5, 1.0), (4, 0.0), (30, 1.0)])
def test_terminating_reward_counts_only_within_reach(horizon, expected):
    task = level(6, [((2, 3), 0)], p_term=(1.0,), max_steps=horizon)  # 5 moves away
    assert optimal_return(task) == expected


@pytest.mark.parametrize("horizon", [1, 2, 9, 10])
def test_respawning_object_is_collected_every_other_step(horizon):
    # collect at step 1; it is absent at the start of step 2, respawns during it, is collected at step 3, ...
    task = level(3, [((1, 2), 0)], start=(1, 1), p_respawn=(1.0,), max_steps=horizon)
    assert optimal_return(task) == (horizon + 1) // 2
    halving = level(3, [((1, 2), 0)], start=(1, 1), p_term=(0.5,), p_respawn=(1.0,), max_steps=horizon)
    assert optimal_return(halving) == pytest.approx(sum(0.5**k for k in range((horizon + 1) // 2)), abs=1e-12)


@pytest.mark.parametrize(("horizon", "expected"), [(12, 1.0), (11, 0.0)])
def test_wall_forces_a_detour(horizon, expected):
    # column 2 is walled but for row 4: from (0, 0) to (0, 4) takes 4 down, 4 right, 4 up
    task = level(5, [((0, 4), 0)], walls=[(r, 2) for r in range(4)], p_term=(1.0,), max_steps=horizon)
    assert optimal_return(task) == expected


@pytest.mark.parametrize(("p_term_harm", "expected"), [(0.0, 2.0), (1.0, 0.0), (0.5, 0.5)])
def test_harmful_object_blocking_a_corridor(p_term_harm, expected):
    # one free row: the -1 object at (0, 2) lies between the start and the +3 object at (0, 4):
    # going costs 1 and gets 3 unless the harmful object ends the episode; staying gets 0
    walls = [(r, c) for r in range(1, 5) for c in range(5)]
    task = level(5, [((0, 2), 1), ((0, 4), 0)], walls=walls, rewards=(3.0, -1.0), p_term=(1.0, p_term_harm),
                 max_steps=10)
    assert optimal_return(task) == pytest.approx(expected)


def test_optimal_policy_reaches_the_optimum_in_the_env():
    """The VI policy's mean return over 512 episodes of a dense level matches VI's value (exact dynamics)."""
    task = LPG_LEVELS["dense"].sample(np.random.default_rng(4))
    envs = LPGGridVectorEnv(512, level_set="dense", tasks=task)
    oracle = LPGOptimal(envs)
    params = np.repeat(task.to_array()[None], 512, axis=0)
    returns = episode_returns(envs, lambda obs: oracle.act(obs, params), 1, seed=1)[:, 0]
    best = optimal_return(task)
    assert abs(returns.mean() - best) < 4 * returns.std() / math.sqrt(len(returns))
    random = episode_returns(envs, lambda obs: np.random.default_rng(0).integers(0, 5, 512), 1, seed=1)[:, 0]
    assert random.mean() < best - 10 * random.std() / math.sqrt(len(random))
    assert optimal_policy(task).shape == (500, 11 * 11, 16)


@pytest.mark.kernel
def test_value_iteration_matches_expectimax_reference():
    dist = lpg_distribution("small")
    for seed in range(4):
        task = dist.sample(np.random.default_rng(seed))
        task = LPGTask.from_dict({**task.to_dict(), "max_steps": 6})
        values, policy = K.lpg_value_iteration(task.to_array(), True)
        assert optimal_return(task) == pytest.approx(ref.lpg_optimal_return(task.to_array()), abs=1e-12)
        assert policy.shape == (6, task.grid_size**2, 2**task.n_objs)


# --- dynamics -------------------------------------------------------------------------------------------

@pytest.mark.kernel
@pytest.mark.parametrize("obs_mode", ["index", "onehot"])
def test_kernels_match_reference(obs_mode):
    envs = LPGGridVectorEnv(5, level_set="small", obs_mode=obs_mode, max_episode_steps=25)
    envs.set_tasks([None, level(4, [((0, 1), 0), ((3, 3), 1)], rewards=(1.0, -1.0), p_term=(0.3, 0.9),
                                p_respawn=(0.5, 0.2), max_steps=40), None, None, None])
    check_kernels_against_reference(envs, ref.lpg_reset_batch, ref.lpg_step_batch, (6, obs_mode == "onehot"),
                                    (6, obs_mode == "onehot", 25), K.LPG_ACTIONS, steps=120, seed=2)


def test_onehot_observation_is_groove_vector_of_the_index():
    index, onehot = (rlenvs.make("rlenvs/LPGGrid-v0", obs_mode=mode) for mode in ("index", "onehot"))
    a, _ = index.reset(seed=7)
    b, _ = onehot.reset(seed=7)
    assert b.shape == (13 * 13 * 32 + 1,) and b.dtype == np.float32
    for action in np.random.default_rng(0).integers(0, 5, 300):
        assert b[:-1].sum() == 1 and b[a[0]] == 1 and b[-1] == np.float32(a[1] * 0.001)
        (a, ra, ta, ua, _), (b, rb, tb, ub, _) = index.step(int(action)), onehot.step(int(action))
        assert (ra, ta, ua) == (rb, tb, ub)
        if ta or ua:
            a, _ = index.reset()
            b, _ = onehot.reset()


def test_state_index_decodes_to_cell_and_objects():
    task = level(4, [((0, 1), 0), ((2, 2), 0)], start=(0, 0), max_steps=20)
    env = LPGGridEnv(level_set="small", task=task)
    obs, _ = env.reset(seed=0)
    assert obs.tolist() == [0 + 36 * 0b11, 0]
    obs, reward, *_ = env.step(3)  # right onto object 0
    assert reward == 1.0 and env.agent_cell == (0, 1) and env.objects_present == (False, True)
    assert obs.tolist() == [1 + 36 * 0b10, 1]
    obs, *_ = env.step(1)
    assert obs.tolist() == [1 * 6 + 1 + 36 * 0b10, 2]  # row 1, col 1 of the 6-wide observation grid


def test_episode_ends_at_max_steps_and_vector_cap():
    env = LPGGridEnv(level_set="small", task=level(4, [((3, 3), 0)], max_steps=7))
    env.reset(seed=0)
    flags = [env.step(4)[3] for _ in range(7)]
    assert flags == [False] * 6 + [True]
    envs = LPGGridVectorEnv(2, level_set="small", max_episode_steps=3, tasks=level(4, [((3, 3), 0)], max_steps=7))
    envs.reset(seed=0)
    assert [bool(envs.step(np.array([4, 4]))[3][0]) for _ in range(3)] == [False, False, True]


def test_optimal_returns_of_vector_env():
    envs = rlenvs.make_vec("rlenvs/LPGGrid-Small-v0", num_envs=3)
    envs.reset(seed=0)
    np.testing.assert_array_equal(envs.optimal_returns(), [optimal_return(t) for t in envs.tasks])


# --- level sets -----------------------------------------------------------------------------------------

def test_lpg_levels_are_groove_configs():
    expected = {  # grid, walls, objects, episode length (GROOVE configs.py)
        "dense": (11, 0, 4, 500), "sparse": (13, 0, 2, 50), "long": (11, 0, 4, 1000), "longer": (9, 7, 5, 2000),
        "long_dense": (11, 17, 4, 2000),
    }
    for name, (g, n_walls, n_objs, steps) in expected.items():
        fixed = LPG_LEVELS[name]
        task = fixed.sample(np.random.default_rng(0))
        assert (task.grid_size, int(task.wall_map().sum()), task.n_objs, task.max_steps) == (g, n_walls, n_objs, steps)
        assert task.obj_types[:n_objs] == fixed.obj_types and task.lifetime == 2500
    dense = LPG_LEVELS["dense"]
    assert (dense.rewards, dense.p_terminate, dense.p_respawn) == ((1, -1, -1), (0, 0.5, 0), (0.05, 0.1, 0.5))
    longer = LPG_LEVELS["longer"].sample(np.random.default_rng(0)).wall_map()
    assert not longer[1, 4] and not longer[7, 4] and longer[[0, 2, 3, 4, 5, 6, 8], 4].all()


@pytest.mark.parametrize("name", ["small", "medium", "large", "all", "mazes"])
def test_procedural_levels_follow_groove_ranges(name):
    grids = {"small": (4, 6), "medium": (6, 8), "large": (8, 10), "all": (4, 10), "mazes": (13, 13)}[name]
    objs = {"small": (1, 3), "medium": (2, 4), "large": (2, 5), "all": (1, 5), "mazes": (3, 3)}[name]
    steps = {"small": (20, 100), "medium": (100, 250), "large": (250, 750), "all": (20, 750), "mazes": (25, 50)}[name]
    walls = {"small": 7, "medium": 10, "large": 15, "all": 15}.get(name)
    layouts = [wall_layout(t) for t in (*NAMED_MAZES.values(), SMALL_CORRIDOR)]
    rng = np.random.default_rng(0)
    tasks = [LEVEL_SETS[name].sample(rng) for _ in range(300)]
    for task in tasks:
        n = task.n_objs
        assert grids[0] <= task.grid_size <= grids[1] and objs[0] <= n <= objs[1]
        assert steps[0] <= task.max_steps <= steps[1]
        assert task.obj_types[:n] == tuple(range(n))
        assert 0.0 <= task.type_rewards[0] <= 1.0 and all(-1.0 <= r <= 1.0 for r in task.type_rewards[:n])
        assert all(1e-2 <= p <= 1.0 for p in task.type_p_terminate[:n])
        assert all(1e-3 <= p <= 1e-1 for p in task.type_p_respawn[:n])
        if walls is None:
            assert any((np.asarray(task.wall_map()) == lay).all() for lay in layouts)
            assert min(task.type_rewards[:n]) >= 0.0
        else:
            assert task.wall_map().sum() <= walls
    sizes = np.array([t.grid_size for t in tasks])
    assert set(sizes.tolist()) == set(range(grids[0], grids[1] + 1))
    if walls is not None:  # wall indices fall in the grid with probability g**2 / wall_grid**2
        wall_grid = {"small": 6, "medium": 8, "large": 10, "all": 10}[name]
        mean = np.mean([t.wall_map().sum() for t in tasks])
        assert mean == pytest.approx(walls * np.mean(sizes**2) / wall_grid**2, rel=0.1)
    logs = np.log([t.max_steps for t in tasks])  # log-uniform: log max_steps uniform on [log lo, log hi]
    width = math.log(steps[1] / steps[0])
    assert abs(logs.mean() - math.log(steps[0] * steps[1]) / 2) < 4 * width / math.sqrt(12 * len(logs))


def test_lifetimes_of_the_all_variants():
    rng = np.random.default_rng(0)
    assert {LEVEL_SETS["all"].sample(rng).lifetime for _ in range(5)} == {1000}
    assert {LEVEL_SETS["all_shortlife"].sample(rng).lifetime for _ in range(5)} == {250}
    randlife = [LEVEL_SETS["all_vrandlife"].sample(rng).lifetime for _ in range(200)]
    assert 10 <= min(randlife) and max(randlife) <= 250 and len(set(randlife)) > 20


def test_tasks_are_checked():
    good = level(4, [((0, 1), 0), ((2, 2), 0)])
    data = good.to_dict()
    for change, message in [({"walls": [0] * 12 + [1]}, "outside"), ({"walls": [1] + [0] * 12}, "not a free cell"),
                            ({"obj_cells": [1, 1, 0, 0, 0]}, "must differ"), ({"obj_cells": [1, 28, 5, 0, 0]},
                                                                              "absent objects"),
                            ({"start": 4 * 13}, "not a free cell")]:
        with pytest.raises(ValueError, match=message):
            LPGTask.from_dict({**data, **change})
    with pytest.raises(ValueError, match="does not fit level set 'small'"):
        LPGGridEnv(level_set="small", task=LPG_LEVELS["sparse"].sample(np.random.default_rng(0)))
    with pytest.raises(ValueError, match="does not fit"):
        LPGGridVectorEnv(2, level_set="small").set_tasks([None, LPG_LEVELS["sparse"].sample(np.random.default_rng(0))])
    with pytest.raises(ValueError, match="unknown LPG level set"):
        LPGGridEnv(level_set="huge")
    with pytest.raises(ValueError, match="obs_mode"):
        LPGGridEnv(obs_mode="pixels")


def test_render_draws_the_level():
    task = level(4, [((0, 1), 0)], walls=[(3, 3)])
    env = LPGGridEnv(level_set="small", task=task, render_mode="rgb_array")
    env.reset(seed=0)
    image = env.render()
    assert image.shape == (96, 96, 3) and image.dtype == np.uint8
    assert (image[12, 12] == [220, 30, 30]).all()  # the agent at (0, 0)
    assert (image[84, 84] == [70, 70, 80]).all()  # the wall at (3, 3)
    assert (image[12, 36] == [40, 170, 60]).all()  # the type-0 object at (0, 1)
