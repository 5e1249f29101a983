import os
import subprocess
import sys

import numpy as np
import pytest
from scipy import ndimage

import rlenvs
from rlenvs.core import rng as core_rng
from rlenvs.house import _kernels as K
from rlenvs.house import _reference as ref
from rlenvs.house.env import HouseNavEnv, alloc_state
from rlenvs.house.references import Explorer, Oracle, per_index, run_trials, summary
from rlenvs.house.tasks import PRESETS, HouseDistribution, HouseTask, capacity

FOUR = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]])


def generate(task: HouseTask):
    arrays = alloc_state(1)
    K.gen_house(0, task.to_array(), arrays["state"], arrays["maps"], arrays["dist"], arrays["spawn"])
    s = arrays["state"][0]
    h, w = int(s[K.S_H]), int(s[K.S_W])
    return arrays, h, w


def room_layout(task: HouseTask, h: int, w: int, tile: np.ndarray):
    """Room interiors recovered from the walls: rows / columns that are wall all across."""
    wall_rows = [y for y in range(h) if np.all((tile[y] == K.WALL) | (tile[y] == K.DOOR))]
    wall_cols = [x for x in range(w) if np.all((tile[:, x] == K.WALL) | (tile[:, x] == K.DOOR))]
    return wall_rows, wall_cols


def some_tasks():
    tasks = []
    for preset in ("small", "default", "large", "darkroom"):
        dist = HouseDistribution(preset)
        tasks += list(dist.split("train"))[:15] + list(dist.split("test"))[:5]
    rng = np.random.default_rng(7)
    for _ in range(30):  # random knobs, including the tightest rooms and the most categories they allow
        ry, rx, lo = int(rng.integers(1, 5)), int(rng.integers(1, 5)), int(rng.integers(4, 10))
        hi = int(rng.integers(lo, 10))
        n = int(rng.integers(1, min(20, capacity(ry, rx, lo)) + 1))
        tasks.append(HouseTask(house_seed=int(rng.integers(0, 2**31 - 1)), rooms_y=ry, rooms_x=rx, room_min=lo,
                               room_max=hi, n_present=n, max_instances=int(rng.integers(1, 4)),
                               p_loop=float(rng.uniform())))
    return tasks


@pytest.mark.parametrize("task", some_tasks(), ids=lambda t: f"{t.rooms_y}x{t.rooms_x}-{t.house_seed}")
def test_generated_house_is_valid(task):
    arrays, h, w = generate(task)
    s, maps = arrays["state"][0], K.planar(arrays["maps"])[0]
    tile, cat, tint = maps[0, :h, :w], maps[1, :h, :w], maps[2, :h, :w]
    # sizes: ny rooms of room_min..room_max cells plus walls
    wall_rows, wall_cols = room_layout(task, h, w, tile)
    assert wall_rows[0] == 0 and wall_rows[-1] == h - 1 and len(wall_rows) == task.rooms_y + 1
    assert wall_cols[0] == 0 and wall_cols[-1] == w - 1 and len(wall_cols) == task.rooms_x + 1
    sides = np.diff(wall_rows) - 1
    assert sides.min() >= task.room_min and sides.max() <= task.room_max
    sides = np.diff(wall_cols) - 1
    assert sides.min() >= task.room_min and sides.max() <= task.room_max
    # border is wall; doors only inside walls, between two rooms
    assert (tile[0] == K.WALL).all() and (tile[-1] == K.WALL).all()
    assert (tile[:, 0] == K.WALL).all() and (tile[:, -1] == K.WALL).all()
    doors = np.argwhere(tile == K.DOOR)
    assert len(doors) >= task.rooms_y * task.rooms_x - 1
    for y, x in doors:
        horiz = tile[y, x - 1] != K.WALL and tile[y, x + 1] != K.WALL
        vert = tile[y - 1, x] != K.WALL and tile[y + 1, x] != K.WALL
        assert horiz != vert
    # doors connect all rooms: every room's interior lies in one component of free cells
    free = (tile == K.FLOOR) | (tile == K.DOOR)
    labels, _ = ndimage.label(free, structure=FOUR)
    main = labels[wall_rows[0] + 2, wall_cols[0] + 2]
    for r in range(task.rooms_y):
        for c in range(task.rooms_x):
            assert labels[wall_rows[r] + 2, wall_cols[c] + 2] == main, f"room {r},{c} is cut off"
    # room tints: one type 1..6 per room interior, none on walls/doors
    assert tint[tile == K.WALL].max() == 0 and (tint[tile == K.DOOR] == 0).all()
    assert 1 <= tint[tile == K.FLOOR].min() and tint.max() <= 6
    # objects: on furniture only, n_present distinct categories, 1..max_instances each, all reachable
    assert (tile[cat > 0] == K.FURN).all()
    present = sorted(int(c) for c in s[K.S_PRES:K.S_PRES + s[K.S_NPRES]])
    assert sorted(set(cat[cat > 0].tolist())) == present and len(present) == task.n_present
    counts = np.bincount(cat[cat > 0], minlength=21)[present]
    assert counts.min() >= 1 and counts.max() <= task.max_instances
    reachable = labels == main
    for y, x in np.argwhere(cat > 0):
        assert any(reachable[y + dy, x + dx] for dx, dy in ref.HEADINGS), f"object at {x},{y} unreachable"
    # spawn cells: exactly the reachable floor cells
    spawn = arrays["spawn"][0, : s[K.S_NSPAWN]]
    expected = sorted((y * K.WM + x) for y, x in np.argwhere(reachable & (tile == K.FLOOR)))
    assert sorted(spawn.tolist()) == expected


def test_house_is_a_pure_function_of_the_task():
    task = HouseDistribution("default").split("test")[3]
    a, _, _ = generate(task)
    b, _, _ = generate(task)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    c, _, _ = generate(HouseTask(**{**task.to_dict(), "house_seed": task.house_seed + 1}))
    assert not np.array_equal(a["maps"], c["maps"])


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_splits_are_fixed_and_disjoint(preset):
    dist = HouseDistribution(preset)
    train, test = dist.split("train"), dist.split("test")
    train_seeds = {t.house_seed for t in train}
    test_seeds = {t.house_seed for t in test}
    assert len(train) == 1000 and len(test) == 100
    assert len(train_seeds) == 1000 and len(test_seeds) == 100
    assert not train_seeds & test_seeds
    assert all(s % 10 != 0 for s in train_seeds) and all(s % 10 == 0 for s in test_seeds)
    knobs = {k: v for k, v in PRESETS[preset].__dict__.items()}
    assert all({k: getattr(t, k) for k in knobs} == knobs for t in list(train) + list(test))
    if "test_large" in dist.split_names:
        assert all(t.rooms_y == 4 and t.house_seed % 10 == 0 for t in dist.split("test_large"))


def test_task_validation_errors():
    with pytest.raises(ValueError, match="room_min"):
        HouseTask(house_seed=1, room_min=8, room_max=5)
    with pytest.raises(ValueError, match="n_present"):
        HouseTask(house_seed=1, rooms_y=1, rooms_x=1, room_min=4, room_max=4, n_present=9)
    with pytest.raises(ValueError, match="rooms_y"):
        HouseTask(house_seed=1, rooms_y=5)
    with pytest.raises(ValueError, match="unknown HouseNav variant"):
        HouseNavEnv(variant="huge")


@pytest.mark.kernel
def test_distance_fields_match_reference_bfs():
    for task in list(HouseDistribution("small").split("test"))[:3]:
        arrays, h, w = generate(task)
        s, maps = arrays["state"][0], K.planar(arrays["maps"])[0]
        first = int(arrays["spawn"][0, 0])
        reach = ref.bfs(maps[0, :h, :w], [(first % K.WM, first // K.WM)])
        assert s[K.S_FIELDS] == 0  # computed lazily, at the first sub-task that needs them
        for k in range(int(s[K.S_NPRES])):
            K.ensure_field(0, k, arrays["state"], arrays["maps"], arrays["dist"])
            assert s[K.S_FIELDS] & (1 << k)
            expected = ref.category_field(maps[0, :h, :w], maps[1, :h, :w], int(s[K.S_PRES + k]), reach)
            np.testing.assert_array_equal(arrays["dist"][0, k, :h, :w], expected)
            assert (arrays["dist"][0, k, h:, :] == -1).all() and (arrays["dist"][0, k, :, w:] == -1).all()


@pytest.mark.kernel
@pytest.mark.parametrize("variant", ["small", "darkroom"])
def test_step_kernel_matches_reference(variant):
    env = HouseNavEnv(variant=variant)
    env.reset(seed=3)
    env.cfg[K.C_TRIAL] = 250  # cross the end of a trial too
    env.cfg[K.C_MAXSUB] = 40  # and some timeouts
    twin = ref.ReferenceHouse(K.planar(env._maps)[0], env._state[0], env._spawn[0], env._rng.copy(), env.cfg,
                              env.raydirs)
    # restart the trial in the same house from one stream in both: kernel, then twin from the kernel's state
    rng0 = core_rng.new_state(1)
    rng0[0] = (123, 0)
    env._rng[:] = rng0
    twin.rng = rng0.copy()
    K.start_trial(0, env.task.to_array(), False, env._rng, env._state, env._maps, env._dist, env._spawn, env.cfg,
                  env.raydirs, env._obs, env._scratch)
    twin.s[:] = env._state[0]
    twin.start_trial()  # overwrites every column the kernel's start_trial set
    np.testing.assert_array_equal(env._state[0], twin.s)
    np.testing.assert_array_equal(env._obs[0], twin.obs)
    actions = np.random.default_rng(0).choice(4, size=250, p=[0.55, 0.2, 0.2, 0.05])
    for a in actions:
        r, tr = K.step_single(int(a), env._rng, env._state, env._maps, env._dist, env._spawn, env.cfg,
                              env.raydirs, env._obs, env._scratch)
        r2, tr2 = twin.step(int(a))
        assert r == r2 and tr == tr2
        np.testing.assert_array_equal(env._state[0], twin.s)
        np.testing.assert_array_equal(env._obs[0], twin.obs)
    assert tr


def test_rewards_and_metrics_recomputed_from_the_distance_field():
    env = rlenvs.make("rlenvs/HouseNav-Small-v0")
    obs, _ = env.reset(seed=1)
    u = env.unwrapped
    tile = u.grid[0]
    rng = np.random.default_rng(0)
    finished = steps = path = d0 = 0
    for _ in range(600):
        field, (x, y, heading) = u.distance_field(), u.agent
        before = max(int(field[y, x]) - 2, 0)
        if steps == 0:
            d0 = before
        a = int(rng.choice(4, p=[0.6, 0.15, 0.15, 0.1]))
        visible = bool((obs[K.O_VIEW + 1:K.O_DEPTH:3] == u.target).any())
        nx, ny = x + ref.HEADINGS[heading][0], y + ref.HEADINGS[heading][1]
        if a == 0 and tile[ny, nx] in (K.FLOOR, K.DOOR):
            x, y = nx, ny
            path += 1
        after = max(int(field[y, x]) - 2, 0)
        success = a == 3 and before == 0 and visible
        obs, reward, terminated, truncated, info = env.step(a)
        steps += 1
        assert reward == pytest.approx(-0.001 + 0.25 * (before - after) + (2.0 if success else 0.0), abs=1e-12)
        assert not terminated and not truncated
        if "subtask" in info:
            sub = info["subtask"]
            assert (sub["success"], sub["steps"], sub["geo_dist_start"], sub["geo_dist_end"]) == (
                success, steps, d0, after)
            assert sub["path_length"] == path and sub["wrong_stop"] == (a == 3 and not success)
            assert sub["timeout"] == (a != 3)
            ratio = 1.0 if d0 == 0 else d0 / max(d0, path)
            assert sub["spl"] == pytest.approx(ratio if success else 0.0)
            soft = (1.0 if after == 0 else 0.0) if d0 == 0 else max(0.0, 1 - after / d0)
            assert sub["soft_spl"] == pytest.approx(soft * ratio)
            finished += 1
            steps = path = 0
        else:
            assert u.agent[:2] == (x, y)
    assert finished >= 20


def test_keep_house_and_new_house():
    env = rlenvs.make("rlenvs/HouseNav-Small-v0")
    env.reset(seed=0)
    grid = env.unwrapped.grid
    for _ in range(10):
        env.step(0)
    _, info = env.reset(options={"keep_house": True})
    np.testing.assert_array_equal(env.unwrapped.grid, grid)
    assert info["subtask_index"] == 0
    _, info2 = env.reset(seed=5)
    assert not np.array_equal(env.unwrapped.grid, grid) or info2["task"] != info["task"]
    with pytest.raises(ValueError, match="exclude each other"):
        env.reset(options={"keep_house": True, "task": info["task"]})


def test_trial_truncates_and_marks_the_cut_subtask_incomplete():
    env = rlenvs.make("rlenvs/DarkRoom-v0")
    obs, _ = env.reset(seed=0)
    assert (obs[K.O_VIEW:K.O_GOAL] == 0).all()  # dark: no view, no rays
    last = None
    for t in range(500):
        obs, _, _, truncated, info = env.step(1)  # turning forever: sub-tasks time out after 50 steps
        last = info.get("subtask", last)
        assert truncated == (t == 499)
        assert (obs[K.O_VIEW:K.O_GOAL] == 0).all()
    assert last["timeout"] and not last["incomplete"] and last["index"] == 9  # 500 = 10 x 50: none cut off
    env = rlenvs.make("rlenvs/HouseNav-Small-v0")
    env.reset(seed=0)
    for _ in range(1024):
        *_, truncated, info = env.step(1)
    assert truncated and info["subtask"]["incomplete"] and not info["subtask"]["timeout"]


def test_oracle_succeeds_with_spl_one():
    env = rlenvs.make("rlenvs/HouseNav-v0")
    trials = run_trials(env, Oracle(), seeds=[0, 1])
    s = summary(trials)
    assert s["subtasks"] > 200
    assert s["success"] == 1.0 and s["spl"] >= 0.99


def test_memory_explorer_beats_memoryless_on_later_subtasks():
    env = rlenvs.make("rlenvs/HouseNav-v0")
    tasks = list(env.unwrapped.task_distribution.split("test"))[:2]
    mem = run_trials(env, Explorer(memory=True), seeds=[0, 1], tasks=tasks)
    nomem = run_trials(env, Explorer(memory=False), seeds=[0, 1], tasks=tasks)
    later_mem = np.nanmean(per_index(mem, "spl")[5:40])
    later_nomem = np.nanmean(per_index(nomem, "spl")[5:40])
    assert later_mem > later_nomem + 0.1
    assert sum(map(len, mem)) > 1.5 * sum(map(len, nomem))  # it finishes many more sub-tasks per trial


def test_vector_env_reports_finished_subtasks_like_the_single_env():
    envs = rlenvs.make_vec("rlenvs/HouseNav-Small-v0", num_envs=3, vectorization_mode="vector_entry_point")
    single = rlenvs.make("rlenvs/HouseNav-Small-v0")
    envs.reset(seed=4)
    single.reset(seed=5)  # env 1 of the vector env
    rng = np.random.default_rng(0)
    for _ in range(200):
        actions = rng.integers(0, 4, size=3)
        envs.step(actions)
        *_, info = single.step(int(actions[1]))
        got = dict(envs.unwrapped.finished_subtasks() if hasattr(envs, "unwrapped") else envs.finished_subtasks())
        assert got.get(1) == info.get("subtask")


def test_rgb_render_shows_the_house_and_agent():
    env = rlenvs.make("rlenvs/HouseNav-v0", render_mode="rgb_array")
    env.reset(seed=0)
    image = env.render()
    h, w = env.unwrapped.grid.shape[1:]
    assert image.shape == (h * 12, w * 12, 3) and image.dtype == np.uint8
    x, y, _ = env.unwrapped.agent
    block = image[y * 12:(y + 1) * 12, x * 12:(x + 1) * 12]
    assert (block == [220, 30, 30]).all(axis=-1).sum() > 10
    np.testing.assert_array_equal(image[0, 0], [60, 60, 70])  # the corner is wall
    ego = env.unwrapped.render_egocentric(cell=16)
    assert ego.shape == (7 * 16, 7 * 16, 3)
    obs = env.unwrapped._obs[0]
    unseen = obs[K.O_VIEW:K.O_DEPTH:3].reshape(7, 7) == 0
    corners = ego[8::16, 1::16]  # a pixel near the left edge of every cell (off the dots and the agent)
    assert ((corners == 0).all(axis=-1) == unseen).all()


def test_play_runs_headless():
    code = ("import os; os.environ['SDL_VIDEODRIVER']='dummy'; os.environ['SDL_AUDIODRIVER']='dummy';"
            "from rlenvs.house.play import play; r = play('rlenvs/HouseNav-Small-v0', seed=0, episodes=1, "
            "max_steps=30, keys=[119, 97, 100, 32]); print('steps', r['steps'])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "SDL_VIDEODRIVER": "dummy"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "steps 30" in done.stdout


def test_subtask_episodes_wrapper_follows_relic_contract():
    from rlenvs.house.env import SubtaskEpisodes

    env = SubtaskEpisodes(rlenvs.make("rlenvs/DarkRoom-v0"))
    obs, info = env.reset(seed=0)
    task = info["task"]
    episodes, steps, total = 0, 0, 0
    while True:
        obs, _, terminated, truncated, info = env.step(1)  # sub-tasks time out after 50 steps
        steps += 1
        total += 1
        if terminated:
            assert steps == 50 and info["subtask"]["timeout"]
            first, info2 = env.reset()
            np.testing.assert_array_equal(first, obs)
            assert first[K.O_SUBSTART] == 1 and info2["subtask_index"] == info["subtask"]["index"] + 1
            episodes += 1
            steps = 0
        if truncated:
            break
    assert total == 500 and episodes == 9  # the 10th sub-task ends with the trial
    _, info = env.reset()  # same house, new trial
    assert info["task"] == task and info["subtask_index"] == 0
    seeds = set()
    for _ in range(4):
        env.after_update()
        seeds.add(env.reset()[1]["task"]["house_seed"])
        seeds.add(env.reset(options={"new_house": True})[1]["task"]["house_seed"])
    assert len(seeds) >= 6  # new houses drawn from the 1000 training houses
