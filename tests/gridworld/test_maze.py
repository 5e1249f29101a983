import numpy as np
import pytest

import rlenvs
from rlenvs.gridworld import _kernels as K
from rlenvs.gridworld import _reference as ref
from rlenvs.gridworld.maze import (
    NAMED_MAZES,
    SMALL_CORRIDOR_GOALS,
    MazeEnv,
    MazeTask,
    MazeVectorEnv,
    generate_level,
    maze_distribution,
    mutate_level,
    perfect_maze,
)
from rlenvs.gridworld.references import MazeShortestPath
from tests.gridworld.helpers import check_kernels_against_reference, episode_returns

EMPTY = "\n".join(["." * 13] * 13)


def maze(text: str) -> MazeTask:
    return MazeTask.from_string(text)


def place(rows: list[str], agent=(0, 0, ">"), goal=(3, 0)) -> MazeTask:
    grid = [list(r) for r in rows]
    grid[agent[1]][agent[0]] = agent[2]
    grid[goal[1]][goal[0]] = "G"
    return maze("\n".join("".join(r) for r in grid))


def test_task_layout_matches_the_kernels():
    slices = MazeTask.array_slices()
    assert slices == {"walls": slice(K.M_WALLS, K.M_AGENT), "agent_pos": slice(K.M_AGENT, K.M_DIR),
                      "agent_dir": slice(K.M_DIR, K.M_DIR + 1), "goal_pos": slice(K.M_GOAL, K.M_SIZE)}


# --- levels: text, edits, generator, mutator ---------------------------------------------------------------

@pytest.mark.parametrize("name", list(NAMED_MAZES))
def test_named_mazes_round_trip_through_strings(name):
    task = maze(NAMED_MAZES[name])
    assert task.to_string() == NAMED_MAZES[name].strip()
    assert MazeTask.from_dict(task.to_dict()) == task and task.is_solvable()


def test_jaxued_positions_of_the_named_mazes():
    labyrinth = maze(NAMED_MAZES["Labyrinth"])
    assert (labyrinth.agent_pos, labyrinth.agent_dir, labyrinth.goal_pos) == ((0, 12), 0, (6, 6))
    sixteen = maze(NAMED_MAZES["SixteenRooms"])
    assert (sixteen.agent_pos, sixteen.goal_pos) == ((1, 1), (11, 11))
    assert maze(NAMED_MAZES["LabyrinthFlipped"]).agent_dir == 2
    # SixteenRooms' wall map as MiniMax lists it (maze_ood.py), first and last rows
    walls = sixteen.wall_map().astype(int)
    assert walls[0].tolist() == [0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0]
    assert walls[12].tolist() == [0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0]


def test_strings_are_checked_and_small_levels_padded_with_walls():
    small = maze(">.G\n.#.")
    assert small.wall_map()[:2, :3].astype(int).tolist() == [[0, 0, 0], [0, 1, 0]]
    assert small.wall_map()[2:].all() and small.wall_map()[:, 3:].all()
    assert small.shortest_path_length() == 2
    for text, message in [("G.x>", "unexpected character"), ("G.>\nG..", "exactly one 'G'"), ("G..", "one agent"),
                          ("\n".join(["." * 14] * 2), "at most 13"), ("G.\n>", "one length")]:
        with pytest.raises(ValueError, match=message):
            maze(text)


def test_editing_api():
    task = place(list(EMPTY.split("\n")), agent=(0, 0, ">"), goal=(3, 0))
    walled = task.with_wall(1, 0)
    assert walled.wall_map()[0, 1] and not task.wall_map()[0, 1]  # immutable
    assert walled.without_wall(1, 0) == task
    moved = walled.with_goal(1, 0)  # moving the goal onto a wall clears it
    assert moved.goal_pos == (1, 0) and not moved.wall_map()[0, 1]
    agent = walled.with_agent(1, 0, heading=2)
    assert agent.agent_pos == (1, 0) and agent.agent_dir == 2 and not agent.wall_map()[0, 1]
    assert task.with_agent(5, 5).agent_dir == 0
    with pytest.raises(ValueError, match="wall on the agent"):
        task.with_wall(0, 0)
    with pytest.raises(ValueError, match="wall on the goal"):
        task.with_wall(3, 0)
    with pytest.raises(ValueError, match="share the cell"):
        task.with_goal(0, 0)
    with pytest.raises(ValueError, match="outside"):
        task.with_wall(13, 0)
    with pytest.raises(ValueError, match="on a wall"):
        MazeTask.from_dict({**task.to_dict(), "walls": [1] + [0] * 12})


@pytest.mark.parametrize("n_walls", [0, 25, 60, 120])
def test_generator_always_gives_solvable_levels(n_walls):
    rng = np.random.default_rng(n_walls)
    for _ in range(200):
        task = generate_level(rng, n_walls)
        assert task.is_solvable() and task.wall_map().sum() <= n_walls
        assert task.agent_pos != task.goal_pos


def test_generator_draws_walls_with_replacement():
    # 25 uniform draws with replacement hit 169 * (1 - (168/169)**25) = 23.3 distinct cells on average
    rng = np.random.default_rng(0)
    counts = [generate_level(rng, 25).wall_map().sum() for _ in range(400)]
    assert np.mean(counts) == pytest.approx(169 * (1 - (168 / 169) ** 25), abs=0.3)
    with pytest.raises(ValueError, match="n_walls"):
        generate_level(rng, 168)


@pytest.mark.parametrize("n_walls", [25, 60])
def test_every_split_level_is_solvable(n_walls):
    dist = maze_distribution(n_walls)
    assert all(task.is_solvable() for name in dist.split_names for task in dist.split(name))
    assert [t.to_string() for t in dist.split("test")] == [text.strip() for text in NAMED_MAZES.values()]


def test_ood_split_holds_corridors_and_perfect_mazes():
    ood = maze_distribution().split("test_ood")
    corridors, perfect = ood[:10], ood[10:]
    assert [t.goal_pos for t in corridors] == list(SMALL_CORRIDOR_GOALS)
    assert all(t.agent_pos == (0, 6) and t.agent_dir == 0 for t in corridors)
    for task in perfect:
        free = ~task.wall_map()
        edges = (free[:, 1:] & free[:, :-1]).sum() + (free[1:] & free[:-1]).sum()
        assert edges == free.sum() - 1 and task.is_solvable()  # a spanning tree of the free cells
    assert len({t.walls for t in perfect}) == 20


def test_mutator_edits_like_jaxued():
    rng = np.random.default_rng(0)
    base = generate_level(rng, 25)
    changed = []
    for _ in range(300):
        task = mutate_level(rng, base, num_edits=5)
        flipped = int((task.wall_map() != base.wall_map()).sum())
        assert flipped <= 5
        changed.append(flipped)
    assert 0 < np.mean(changed) < 5
    empty = maze(EMPTY.replace(".", ">", 1)[:-1] + "G")
    grown = empty
    for _ in range(20):  # ACCEL grows mazes from empty ones
        grown = mutate_level(rng, grown, num_edits=1)
    assert grown.wall_map().sum() > 0
    again = mutate_level(np.random.default_rng(5), base), mutate_level(np.random.default_rng(5), base)
    assert again[0] == again[1]


def test_perfect_maze_is_deterministic_per_generator():
    assert perfect_maze(np.random.default_rng(1)) == perfect_maze(np.random.default_rng(1))


# --- dynamics and observations -----------------------------------------------------------------------------

@pytest.mark.kernel
def test_kernels_match_jaxued_reference():
    envs = MazeVectorEnv(6, max_steps=40, max_episode_steps=35, task_split="test")
    envs.set_tasks([None, maze(NAMED_MAZES["Labyrinth"]), None, maze(">.G\n.#."), None, None])
    check_kernels_against_reference(envs, ref.maze_reset_batch, ref.maze_step_batch, (), (40, 35), K.MAZE_ACTIONS,
                                    steps=100, seed=3, state=("_state", "_elapsed", "_grid", "_obs"))


@pytest.mark.kernel
@pytest.mark.parametrize("text", [NAMED_MAZES["StandardMaze"], ">.G\n.#.", EMPTY[:-1] + "G"], ids=range(3))
def test_shortest_paths_match_reference(text):
    task = maze(text.replace(".", "^", 1) if text.count(">") == 0 else text)
    row = task.to_array()
    np.testing.assert_array_equal(K.maze_distances(row), ref.maze_distances(row))


def test_shortest_path_by_hand():
    rows = EMPTY.split("\n")
    assert place(rows, agent=(0, 0, ">"), goal=(3, 0)).shortest_path_length() == 3  # 2 moves + the move into G
    assert place(rows, agent=(0, 0, ">"), goal=(0, 2)).shortest_path_length() == 3  # turn right, move, move
    assert place(rows, agent=(0, 0, "<"), goal=(1, 0)).shortest_path_length() == 3  # turn twice, move
    boxed = place(rows, agent=(0, 0, ">"), goal=(2, 2)).with_wall(1, 2).with_wall(2, 1).with_wall(3, 2).with_wall(2, 3)
    assert not boxed.is_solvable() and boxed.optimal_return() == 0.0
    assert place(rows, goal=(3, 0)).optimal_return(250) == pytest.approx(1 - 0.9 * 3 / 250)


def test_view_encoding_by_hand():
    # the agent at (6, 6) facing north; a wall 1 ahead, the goal 2 ahead and 1 to the right
    task = place(EMPTY.split("\n"), agent=(6, 6, "^"), goal=(7, 4)).with_wall(6, 5)
    env = MazeEnv(task=task)
    obs, _ = env.reset(seed=0)
    image = obs[:75].reshape(5, 5, 3)  # image[col, row]; the agent at [2, 4] facing row 0
    assert obs[75] == 3
    assert image[2, 3].tolist() == [2, 5, 0] and image[3, 2].tolist() == [8, 1, 0]
    assert image[2, 4].tolist() == [1, 0, 0] and (image[..., 0] == 1).sum() == 23
    obs, *_ = env.step(1)  # turn right: now facing east; the wall is on the left, the goal ahead-left
    image = obs[:75].reshape(5, 5, 3)
    assert obs[75] == 0 and image[1, 4].tolist() == [2, 5, 0] and image[0, 3].tolist() == [8, 1, 0]
    corner = MazeEnv(task=place(EMPTY.split("\n"), agent=(0, 0, "^"), goal=(5, 5)))
    image = corner.reset(seed=0)[0][:75].reshape(5, 5, 3)
    assert (image[:, :4, 0] == 2).all() and (image[:2, 4, 0] == 2).all()  # beyond the border: walls


def test_reward_and_episode_end():
    task = place(EMPTY.split("\n"), agent=(0, 0, ">"), goal=(3, 0))
    env = MazeEnv(task=task, max_steps=10)
    env.reset(seed=0)
    assert env.step(2)[1:4] == (0.0, False, False) and env.step(5)[1:4] == (0.0, False, False)  # 'toggle' waits
    assert env.step(2)[1:4] == (0.0, False, False)
    obs, reward, terminated, truncated, _ = env.step(2)  # the goal blocks the move, which ends the episode
    assert reward == pytest.approx(1 - 0.9 * 4 / 10) and terminated and not truncated and env.agent_pose == (2, 0, 0)
    env.reset()
    flags = [env.step(0)[2:4] for _ in range(10)]
    assert flags == [(False, False)] * 9 + [(False, True)]


def test_oracle_scores_the_optimum_on_every_held_out_maze():
    dist = maze_distribution()
    tasks = list(dist.split("test")) + list(dist.split("test_ood"))
    envs = MazeVectorEnv(len(tasks), tasks=tasks)
    oracle = MazeShortestPath(envs)
    params = np.stack([t.to_array() for t in tasks])
    returns = episode_returns(envs, lambda obs: oracle.act(obs, params), 2, seed=0)
    expected = [t.optimal_return(250) for t in tasks]
    np.testing.assert_allclose(returns, np.repeat(np.array(expected)[:, None], 2, axis=1), rtol=0, atol=1e-12)
    assert min(expected) > 0.5


def test_vector_env_exposes_poses_and_caps_episodes():
    envs = rlenvs.make_vec("rlenvs/Maze-v0", num_envs=3, max_episode_steps=5)
    envs.reset(seed=0)
    poses = [envs.agent_pose]
    for _ in range(5):
        _, _, _, truncated, _ = envs.step(np.zeros(3, dtype=np.int64))
    assert truncated.all() and (envs.agent_pose[:, :2] == poses[0][:, :2]).all()
    assert ((envs.agent_pose[:, 2] - poses[0][:, 2]) % 4 == 3).all()  # 5 left turns


def test_render_shows_goal_view_and_agent():
    task = place(EMPTY.split("\n"), agent=(0, 0, ">"), goal=(12, 12))
    env = MazeEnv(task=task, render_mode="rgb_array")
    env.reset(seed=0)
    image = env.render()
    assert image.shape == (208, 208, 3)
    assert (image[12 * 16 + 8, 12 * 16 + 8] == [40, 170, 60]).all()
    assert (image[8, 16 * 3 + 8] == [250, 240, 190]).all()  # three cells ahead: in view
    assert (image[8, 16 * 6 + 8] == [235, 235, 235]).all()  # six ahead: out of view
    assert (image[8, 10] == [220, 30, 30]).all()  # the agent's triangle points east


def test_bad_arguments():
    with pytest.raises(ValueError, match="max_steps"):
        MazeEnv(max_steps=0)
    with pytest.raises(ValueError, match="n_walls"):
        MazeEnv(n_walls=-1)
