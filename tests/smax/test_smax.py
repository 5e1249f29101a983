"""SMAX-lite: PettingZoo contract, determinism, splits, tasks, errors, unit-level physics, kernel == NumPy
reference, vector == parallel env, and heuristic-vs-heuristic outcome rates against JaxMARL's."""

import pickle

import numpy as np
import pytest
from gymnasium.utils.env_checker import data_equivalence
from pettingzoo.test import parallel_api_test, parallel_seed_test

import rlenvs
from rlenvs.core.rng import seed_keys
from rlenvs.smax import SCENARIOS, UNIT_STATS, SMAXParallelEnv, SMAXTask, SMAXVector, _kernels
from rlenvs.smax import _reference as ref
from rlenvs.smax.evaluation import heuristic_outcomes, heuristic_policy, win_rates
from rlenvs.smax.tasks import POSITION_MODES
from rlenvs.smax.vector import OUTCOMES, SMAXCore
from tests.conftest import PARALLEL_IDS
from tests.golden_splits import GOLDEN_SPLITS

SMAX_IDS = [p for p in PARALLEL_IDS if "SMAX" in p.values[0]]


def test_kernels_run_without_numbas_runtime_or_fall_back(monkeypatch):
    """The installed numba takes the private ``_nrt`` option the speed figures rely on; a numba without it
    gets the plain options and a warning instead of a compile error at the first step."""
    import numba.core.cpu

    assert _kernels.WITHOUT_RUNTIME == {"_nrt": False}
    monkeypatch.setattr(numba.core.cpu, "CPUTargetOptions", type("OptionsWithoutNrt", (), {}))
    with pytest.warns(RuntimeWarning, match="no _nrt option"):
        assert _kernels._without_runtime() == {}


def test_every_scenario_is_registered():
    ids = {e.id for e in rlenvs.list_envs(api="pettingzoo")}
    assert {f"rlenvs/SMAX-{s}-v0" for s in SCENARIOS} <= ids
    assert len(SCENARIOS) == 14


def test_unit_stats_and_scenarios_are_jaxmarls():
    # JaxMARL 0.2.0 smax_env.py: speed, damage, attack range, sight, radius, HP, cooldown per unit type
    np.testing.assert_array_equal(UNIT_STATS, [
        [3.15, 9, 5, 9, 0.375, 45, 0.61], [2.25, 10, 6, 10, 0.5625, 125, 1.07], [4.13, 13, 6, 10, 0.625, 160, 1.87],
        [3.15, 8, 2, 9, 0.5, 150, 0.86], [4.13, 5, 2, 8, 0.375, 35, 0.5], [3.15, 12, 5, 9, 0.625, 80, 0.59]])
    # MAP_NAME_TO_SCENARIO unit_types (allies then enemies), written out from the source
    jaxmarl = {"3m": [0] * 6, "8m": [0] * 16, "25m": [0] * 50, "5m_vs_6m": [0] * 11, "10m_vs_11m": [0] * 21,
               "27m_vs_30m": [0] * 57, "2s3z": [2, 2, 3, 3, 3] * 2, "3s5z": [2, 2, 2, 3, 3, 3, 3, 3] * 2,
               "3s5z_vs_3s6z": [2, 2, 2, 3, 3, 3, 3, 3] + [2, 2, 2, 3, 3, 3, 3, 3, 3],
               "3s_vs_5z": [2, 2, 2, 3, 3, 3, 3, 3], "6h_vs_8z": [5] * 6 + [3] * 8}
    teams = {"3s_vs_5z": 3, "6h_vs_8z": 6, "5m_vs_6m": 5, "10m_vs_11m": 10, "27m_vs_30m": 27, "3s5z_vs_3s6z": 8}
    for name, types in jaxmarl.items():
        allies, enemies, random_types = SCENARIOS[name]
        assert list(allies + enemies) == types and not random_types, name
        assert len(allies) == teams.get(name, len(types) // 2), name
    for units in (5, 10, 20):
        allies, enemies, random_types = SCENARIOS[f"smacv2_{units}_units"]
        assert len(allies) == len(enemies) == units and random_types


@pytest.mark.parametrize("env_id", SMAX_IDS)
def test_parallel_api(env_id):
    env = rlenvs.make_parallel(env_id)
    parallel_api_test(env, num_cycles=300)
    assert env.unwrapped is env
    assert env.state_space.contains(env.state())
    parallel_seed_test(lambda: rlenvs.make_parallel(env_id), num_cycles=100)


def test_spaces_are_cached_and_masks_are_int8_in_obs_and_infos():
    env = SMAXParallelEnv("5m_vs_6m", action_order="smac")
    obs, infos = env.reset(seed=3)
    for agent in env.possible_agents:
        assert env.observation_space(agent) is env.observation_space(agent)
        assert env.action_space(agent) is env.action_space(agent) and env.action_space(agent).n == 12
        mask = obs[agent]["action_mask"]
        assert mask.dtype == np.int8 and mask.shape == (12,)
        assert np.array_equal(mask, infos[agent]["action_mask"]) and mask is not infos[agent]["action_mask"]
        assert env.observation_space(agent).contains(obs[agent])
    assert env.state().dtype == np.float32 and env.state_space.shape == (132,)


def test_dead_agents_leave_in_the_step_they_die_and_are_not_revived():
    env = SMAXParallelEnv("3m")
    env.reset(seed=0)
    env.core.pos[0, 1] = [0.5, 16.0]  # ally_1 next to the west edge: walking west kills it
    _, rew, term, trunc, infos = env.step({"ally_0": 4, "ally_1": 3, "ally_2": 4})
    assert term == {"ally_0": False, "ally_1": True, "ally_2": False} and not any(trunc.values())
    assert env.agents == ["ally_0", "ally_2"] and rew["ally_1"] == rew["ally_0"]  # dead agents share the reward
    seen = set(env.agents)
    while env.agents:
        before = set(env.agents)
        out = env.step({a: 4 for a in env.agents})
        assert set(out[0]) == before  # the step's dicts hold exactly the agents live at its start
        assert set(env.agents) <= seen and set(env.agents) == {a for a in before if not (out[2][a] or out[3][a])}
    assert all(info["outcome"] == "enemy_win" and not info["battle_won"] for info in out[4].values())


@pytest.mark.parametrize("env_id", SMAX_IDS)
def test_golden_splits(env_id):
    dist = rlenvs.make_parallel(env_id).unwrapped.task_distribution
    assert set(GOLDEN_SPLITS[env_id]) == set(dist.split_names)
    for name, golden in GOLDEN_SPLITS[env_id].items():
        assert dist.split(name).sha256 == golden, f"{env_id} split {name} changed"


@pytest.mark.parametrize(("scenario", "obs", "n_actions", "state"),
                         [("3m", 75, 8, 72), ("2s3z", 127, 10, 120), ("5m_vs_6m", 140, 11, 132),
                          ("6h_vs_8z", 179, 13, 168), ("27m_vs_30m", 738, 35, 684), ("smacv2_5_units", 127, 10, 120)])
def test_sizes_match_jaxmarl(scenario, obs, n_actions, state):
    env = SMAXParallelEnv(scenario)
    agent = env.possible_agents[0]
    assert env.observation_space(agent)["observation"].shape == (obs,)
    assert env.action_space(agent).n == n_actions
    assert env.state_space.shape == (state,)
    assert env.get_env_info() == {"state_shape": state, "obs_shape": obs, "n_actions": n_actions,
                                  "n_agents": len(SCENARIOS[scenario][0]), "episode_limit": 100}


def _masked_rollout(env, seed, steps):
    obs, _ = env.reset(seed=seed)
    rng = np.random.default_rng(seed)
    record = [("reset", env.state().copy())]
    for _ in range(steps):
        if not env.agents:
            obs, _ = env.reset()
            record.append(("reset", env.state().copy()))
            continue
        actions = {a: int(rng.choice(np.flatnonzero(obs[a]["action_mask"]))) for a in env.agents}
        obs, rew, term, trunc, _ = env.step(actions)
        record.append((sorted(obs), {a: o["observation"].copy() for a, o in obs.items()}, rew, term, trunc,
                       env.state().copy()))
    return record


@pytest.mark.parametrize("scenario", ["3m", "2s3z", "smacv2_5_units"])
def test_multi_step_determinism(scenario):
    a = _masked_rollout(SMAXParallelEnv(scenario), 7, 250)
    b = _masked_rollout(SMAXParallelEnv(scenario), 7, 250)
    c = _masked_rollout(SMAXParallelEnv(scenario), 8, 250)
    assert sum(r[0] == "reset" for r in a) >= 2  # several episodes, unseeded resets included
    assert data_equivalence(a, b)
    assert not data_equivalence(a, c)


def test_pickled_env_continues_identically():
    env = SMAXParallelEnv("2s3z")
    env.reset(seed=4)
    for _ in range(3):
        env.step({a: 1 for a in env.agents})
    clone = pickle.loads(pickle.dumps(env))
    actions = {a: 0 for a in env.agents}
    assert data_equivalence(env.step(actions), clone.step(actions))


def test_task_via_reset_options_and_set_task():
    env = SMAXParallelEnv("smacv2_5_units")
    _, info = env.reset(seed=0, options={"task": "2s3z"})
    assert env.task == SMAXTask(ally_types=(2, 2, 3, 3, 3), enemy_types=(2, 2, 3, 3, 3), start_positions="smax")
    assert info["ally_0"]["task"] == env.task.to_dict()
    assert np.array_equal(env.core.types[0], [2, 2, 3, 3, 3, 2, 2, 3, 3, 3])
    custom = {"ally_types": [5] * 5, "enemy_types": [4] * 5, "start_positions": "surround_and_reflect"}
    env.reset(options={"task": custom})
    assert env.task == SMAXTask.from_dict(custom)
    env.reset()  # the task persists
    assert env.task == SMAXTask.from_dict(custom)
    env.set_task(None)  # back to draws from the train split
    seen = set()
    for s in range(10):
        env.reset(seed=s)
        seen.add(env.task)
    assert seen <= set(env.task_distribution.split("train")) and len(seen) > 1


def test_bad_input_errors():
    with pytest.raises(ValueError, match="unknown SMAX scenario"):
        SMAXParallelEnv("4m")
    with pytest.raises(ValueError, match="action_order"):
        SMAXParallelEnv("3m", action_order="sc2")
    env = SMAXParallelEnv("3m")
    with pytest.raises(ValueError, match="team sizes"):
        env.reset(seed=0, options={"task": "2s3z"})
    with pytest.raises(ValueError, match="unknown reset option"):
        SMAXVector("3m", 2).reset(seed=0, options={"map": "3m"})
    with pytest.raises(ValueError, match="outside"):
        env.reset(options={"task": {"ally_types": [9, 0, 0], "enemy_types": [0, 0, 0], "start_positions": "smax"}})
    with pytest.raises(ValueError, match="max_steps"):
        SMAXParallelEnv("3m", max_steps=0)
    with pytest.raises(ValueError, match="render_mode"):
        SMAXParallelEnv("3m", render_mode="human")
    env.reset(seed=0)
    with pytest.raises(ValueError, match=r"outside the action space Discrete\(8\)"):
        env.step({"ally_0": 8, "ally_1": 4, "ally_2": 4})
    with pytest.raises(ValueError, match="must be integers"):
        env.step({"ally_0": 1.0, "ally_1": 4, "ally_2": 4})
    with pytest.raises(ValueError, match="missing actions"):
        env.step({"ally_0": 4})
    with pytest.raises(ValueError, match="not live"):
        env.step({"ally_0": 4, "ally_1": 4, "ally_2": 4, "enemy_0": 4})
    while env.agents:
        env.step({a: 4 for a in env.agents})
    with pytest.raises(RuntimeError, match="reset"):
        env.step({})
    vec = SMAXVector("3m", 2)
    with pytest.raises(RuntimeError, match="reset"):
        vec.step(np.zeros((2, 3), dtype=np.int64))
    vec.reset(seed=0)
    with pytest.raises(ValueError, match="shape"):
        vec.step(np.zeros((2, 4), dtype=np.int64))
    with pytest.raises(ValueError, match="integers"):
        vec.step(np.zeros((2, 3)))
    state = vec.core.pos.copy(), vec.core.rng.copy(), vec.core.episode_step.copy()
    with pytest.raises(ValueError, match=r"action 8 of agent 2 \(env 1\) is outside the action space"):
        vec.step(np.array([[0, 1, 2], [3, 4, 8]]))
    assert all(np.array_equal(a, b) for a, b in zip(state, (vec.core.pos, vec.core.rng, vec.core.episode_step),
                                                    strict=True))  # a bad action steps nothing


# ---------------------------------------------------------------- unit-level physics (state injection)

def _core(scenario="3m", **kw):
    """A one-env core, both teams driven by the caller, units placed far apart in a quiet state."""
    core = SMAXCore(scenario, 1, enemy="agents", **kw)
    core.seed([0])
    core.reset(np.ones(1, dtype=np.bool_))
    n = core.num_units
    core.pos[0] = np.stack([4.0 + 3.0 * np.arange(n), np.full(n, 4.0)], axis=1)
    core.pos[0, core.num_allies:, 1] = 28.0
    return core


def _step(core, actions):
    core.step(np.asarray(actions, dtype=np.int64)[None])


def test_movement_is_speed_times_half_second_per_step():
    core = _core()
    start = core.pos[0].copy()
    _step(core, [0, 1, 2, 3, 4, 4])  # N, E, S, W, stop...
    move = 3.15 * 8 / 16
    np.testing.assert_allclose(core.pos[0, :4] - start[:4], [[0, move], [move, 0], [0, -move], [-move, 0]],
                               atol=1e-12)
    np.testing.assert_array_equal(core.pos[0, 4:], start[4:])
    obs = core.obs[0, 0]  # ally 0 sees ally 1 (block 0): last move east = (1, 0)
    np.testing.assert_allclose(obs[3:5], [1.0, 0.0])


def test_walking_into_the_edge_kills():
    core = _core()
    core.pos[0, 0] = [0.5, 10.0]
    _step(core, [3, 4, 4, 4, 4, 4])  # west into x = 0
    assert not core.alive[0, 0] and core.health[0, 0] == 0.0
    core = _core(walls_cause_death=False)
    core.pos[0, 0] = [0.5, 10.0]
    core.pos[0, 1] = [-0.3, 12.0]  # off the map (a push can do that): clamped even while standing still
    _step(core, [3, 4, 4, 4, 4, 4])
    assert core.alive[0, :2].all() and core.pos[0, 0, 0] == 0.0 and core.pos[0, 1, 0] == 0.0


@pytest.mark.parametrize(("gap", "hit"), [(4.99, True), (5.0, False)])
def test_attack_range_is_strict(gap, hit):
    core = _core()
    core.pos[0, 0] = [10.0, 10.0]
    core.pos[0, 3] = [10.0 + gap, 10.0]  # enemy 0, attacked by ally action 5
    _step(core, [5, 4, 4, 4, 4, 4])
    assert core.health[0, 3] == (45.0 - 9.0 if hit else 45.0)
    assert core.masks[0, 0, 5] == hit


def test_cooldown_jitter_and_damage_over_steps():
    core = _core("2s3z")
    core.pos[0, 0] = [10.0, 10.0]  # stalker: 13 damage, 1.87 s cooldown
    core.pos[0, 5] = [14.0, 10.0]  # enemy stalker, 160 HP
    shots, ticks = [], 0
    for _ in range(6):  # 48 ticks = 3 s
        before = core.health[0, 5]
        _step(core, [5, 4, 4, 4, 4] + [4] * 5)
        shots.append(round((before - core.health[0, 5]) / 13.0))
        ticks += 8
        # cooldown after firing lies in base + [-1/16, 2/16) minus the ticks since
        assert core.cooldown[0, 0] < 1.87 + 2 / 16
    # the idle unit fires on tick 0; the next shot comes 1.87 s + jitter (30-33 ticks) later
    assert shots[0] == 1 and sum(shots) == 2 and shots.index(1, 1) * 8 + 7 >= 30
    assert core.health[0, 5] == 160.0 - 26.0


def test_focus_fire_adds_damage_death_and_reward():
    core = _core()
    core.pos[0, :3] = [[10.0, 10.0], [10.0, 11.0], [10.0, 12.0]]
    core.pos[0, 5] = [13.0, 11.0]  # enemy 2 = ally action 7
    core.health[0, 5] = 20.0
    _step(core, [7, 7, 7, 4, 4, 4])  # 3 x 9 > 20 on tick 0
    assert core.health[0, 5] == 0.0 and not core.alive[0, 5]
    np.testing.assert_allclose(core.team_rewards[0, 0], (20.0 / 45.0) / 3)
    assert core.obs[0, 0, 13 * 4] == 0.0  # the dead enemy's block is zeroed


def test_win_bonus_and_terminal_outcomes():
    core = _core()
    core.health[0, 3:] = [1.0, 0.0, 0.0]
    core.alive[0, 4:] = False
    core.pos[0, 3] = [core.pos[0, 0, 0] + 2.0, core.pos[0, 0, 1]]
    _step(core, [5, 4, 4, 4, 4, 4])
    assert core.outcome[0] == _kernels.ALLY_WIN and OUTCOMES[_kernels.ALLY_WIN] == "ally_win"
    assert [OUTCOMES.index(o) for o in ("enemy_win", "draw", "timeout")] == [_kernels.ENEMY_WIN, _kernels.DRAW,
                                                                            _kernels.TIMEOUT]
    np.testing.assert_allclose(core.team_rewards[0], [1.0 / 45.0 / 3 + 1.0, 0.0])
    np.testing.assert_allclose(core.rewards[0], [1.0 / 45.0 / 3 + 1.0] * 3 + [0.0] * 3, rtol=1e-6)
    assert core.terminated.all() and not core.truncated.any() and core.needs_reset[0]


def test_time_limit_truncates_alive_agents_only():
    core = _core(max_steps=2)
    core.pos[0, 2] = [31.5, 4.0]
    _step(core, [4, 4, 1, 4, 4, 4])  # ally 2 walks east into the edge
    assert core.outcome[0] == _kernels.RUNNING and core.terminated[0].tolist() == [False, False, True] + [False] * 3
    _step(core, [4] * 6)
    assert core.outcome[0] == _kernels.TIMEOUT
    assert core.truncated[0].tolist() == [True, True, False] + [True] * 3
    assert core.terminated[0].tolist() == [False, False, True] + [False] * 3


def test_pushing_separates_overlapping_units():
    core = _core()
    core.pos[0, 0] = [10.0, 10.0]
    core.pos[0, 1] = [10.5, 10.0]  # marines: radii 0.375 + 0.375 = 0.75 > 0.5
    ref_state = {"pos": core.pos[0].copy(), "alive": core.alive[0].copy(), "types": core.types[0].copy()}
    ref.push(ref_state)
    # overlap = 0.75 / (0.5 + 1e-6) - 1, each unit moves half of it along the line
    shift = 0.5 * 0.5 * (0.75 / (0.5 + 1e-6) - 1.0)
    np.testing.assert_allclose(ref_state["pos"][:2], [[10.0 - shift, 10.0], [10.5 + shift, 10.0]], atol=1e-12)
    _step(core, [4] * 6)
    assert np.linalg.norm(core.pos[0, 0] - core.pos[0, 1]) >= 0.75 - 1e-5


def test_observation_features_by_hand():
    core = _core("2s3z")
    core.pos[0, 0] = [10.0, 10.0]  # ally stalker, sight 10
    core.pos[0, 5] = [13.0, 14.0]  # enemy stalker 0 (distance 5)
    core.health[0, 5] = 80.0
    core.cooldown[0, 5] = 0.935
    _step(core, [4] * 10)  # everyone stops: nothing moves, cooldowns tick down 0.5 s
    obs = core.obs[0, 0]
    block = obs[13 * 4:13 * 5]  # allies 1..4 first, then enemy 0
    expected = np.zeros(13)
    expected[0] = 0.5
    expected[1:3] = [0.3, 0.4]
    expected[6] = (0.935 - 0.5) / 1.87
    expected[7 + 2] = 1.0
    np.testing.assert_allclose(block, expected, atol=1e-6)
    own = obs[13 * 9:]
    np.testing.assert_allclose(own, [1.0, 10 / 32, 10 / 32, 0, 0, 0, 1, 0, 0, 0], atol=1e-6)
    # the enemy stalker lists its own team first, in reverse, then the allies in reverse
    enemy_obs = SMAXCore("2s3z", 1, enemy="agents")
    assert ref.others_order(5, 10, 5) == [9, 8, 7, 6, 4, 3, 2, 1, 0]
    assert enemy_obs.obs_size == 127


def test_smac_action_order():
    core = _core(action_order="smac")
    assert list(core.num_actions) == [9] * 6
    start = core.pos[0, :3].copy()
    _step(core, [2, 1, 0, 5, 5, 5])  # ally 0 north, ally 1 stop, ally 2 no-op, enemies west
    np.testing.assert_allclose(core.pos[0, :3] - start, [[0.0, 3.15 / 2], [0.0, 0.0], [0.0, 0.0]])
    masks = core.masks[0]
    assert (masks[:, 0] == 0).all() and (masks[:, 1:6] == 1).all() and (masks[:, 6:] == 0).all()
    core.pos[0, 3] = core.pos[0, 0] + [4.0, 0.0]  # enemy 0 in range of ally 0: SMAC attack column 6
    core.pos[0, 1] = [0.2, 10.0]
    _step(core, [1, 5, 1, 1, 1, 1])  # ally 1 walks west into the edge and dies
    assert core.masks[0, 0, 6] == 1 and core.masks[0, 1].tolist() == [1] + [0] * 8  # dead: only the no-op
    np.testing.assert_array_equal(core.heuristic(0)[0], [6, 0, 6])  # SMAX 5 (attack enemy 0) is SMAC 6; dead: no-op
    with pytest.raises(ValueError, match="outside the action space"):
        _step(core, [9, 1, 1, 1, 1, 1])


# ---------------------------------------------------------------- kernel == NumPy reference

def _ref_state(core):
    return {k: getattr(core, k)[0].copy() for k in
            ("pos", "health", "cooldown", "alive", "types", "prev_move", "prev_attack", "h_init", "h_last",
             "h_target")}


@pytest.mark.kernel
@pytest.mark.parametrize(("scenario", "low", "high"),
                         [("3m", 13.0, 19.0), ("2s3z", 13.0, 19.0), ("6h_vs_8z", 12.0, 20.0), ("3s5z", -0.5, 5.0)])
def test_kernel_matches_reference(scenario, low, high):
    """A melee in the centre, or a crowd in the corner (walls, clamping, units off the map)."""
    core = SMAXCore(scenario, 1, enemy="agents")
    core.seed([3])
    core.reset(np.ones(1, dtype=np.bool_))
    a = core.num_allies
    rng = np.random.default_rng(0)
    core.pos[0] = rng.uniform(low, high, size=(core.num_units, 2))
    core.cooldown[0] = rng.uniform(-0.5, 1.0, size=core.num_units)
    core.health[0] *= rng.uniform(0.05, 1.0, size=core.num_units)  # wounded units, so some die
    state, ref_rng = _ref_state(core), core.rng.copy()
    for _ in range(6):
        ally_act = [ref.heuristic(state, i, ref_rng, a) for i in range(a)]
        enemy_act = [ref.heuristic(state, i, ref_rng, a) for i in range(a, core.num_units)]
        np.testing.assert_array_equal(core.heuristic(0)[0], ally_act)
        np.testing.assert_array_equal(core.heuristic(1)[0], enemy_act)
        actions = np.array(ally_act + enemy_act)
        swap = rng.random(len(actions)) < 0.3  # some moves too, not only the heuristic's choices
        actions = np.where(swap, rng.integers(0, 5, size=len(actions)), actions)
        rewards = ref.env_step(state, actions, ref_rng, a)
        core.step(actions[None])
        for key in ("pos", "health", "cooldown"):
            np.testing.assert_allclose(getattr(core, key)[0], state[key], atol=1e-9, err_msg=key)
        np.testing.assert_array_equal(core.alive[0], state["alive"])
        np.testing.assert_allclose(core.team_rewards[0], rewards, atol=1e-12)
        np.testing.assert_array_equal(core.rng, ref_rng)
        for i in range(core.num_units):
            np.testing.assert_allclose(core.obs[0, i], ref.observe(state, i, a), atol=1e-6)
            width = 5 + (core.num_units - a if i < a else a)
            np.testing.assert_array_equal(core.masks[0, i, :width], ref.avail(state, i, a))
        np.testing.assert_allclose(core.wstate[0], ref.world_state(state, a), atol=1e-5)
        if core.needs_reset[0]:
            break
    assert not state["alive"].all()  # the test saw deaths


@pytest.mark.kernel
@pytest.mark.parametrize("scenario", ["3m", "5m_vs_6m", "smacv2_5_units", "smacv2_10_units"])
def test_reset_matches_reference(scenario):
    """Start positions (SMAX clusters; SMACv2 surround / reflect, asymmetric teams too) and the first push."""
    modes = set()
    for seed in range(12):
        core = SMAXCore(scenario, 1, task=SMAXTask(ally_types=(0,) * 5, enemy_types=(0,) * 6,
                                                   start_positions="surround_and_reflect")
                        if scenario == "5m_vs_6m" and seed % 2 else None)
        core.seed([seed])
        ref_rng = core.rng.copy()
        core.reset(np.ones(1, dtype=np.bool_))
        if not core.task_fixed[0]:
            ref.rng_integers(ref_rng, 0, len(core.task_distribution.split("train")))  # the task draw comes first
        mode = POSITION_MODES.index(core.task_of(0).start_positions)
        state = {"pos": ref.start_positions(mode, core.num_allies, core.num_units, ref_rng),
                 "alive": np.ones(core.num_units, dtype=bool), "types": core.types[0]}
        ref.push(state)
        np.testing.assert_allclose(core.pos[0], state["pos"], atol=1e-12)
        np.testing.assert_array_equal(core.rng, ref_rng)
        assert (core.health[0] == UNIT_STATS[core.types[0], 5]).all() and (core.cooldown[0] == 0).all()
        modes.add((mode, bool(np.abs(core.pos[0, :core.num_allies, 0] - 16).max() < 2.5)))
    if scenario.startswith("smacv2"):
        assert {m for m, _ in modes} == {1} and len(modes) == 2  # both surround (allies inside) and reflect


@pytest.mark.kernel
def test_reset_positions_stay_in_their_regions():
    core = SMAXCore("3m", 64)
    core.seed(range(64))
    core.reset(np.ones(64, dtype=np.bool_))
    allies, enemies = core.pos[:, :3], core.pos[:, 3:]
    assert (np.abs(allies - [8.0, 16.0]) <= 2.5).all() and (np.abs(enemies - [24.0, 16.0]) <= 2.5).all()
    assert (core.health == 45.0).all() and (core.cooldown == 0.0).all()
    assert np.array_equal(core.rng[:, 0], seed_keys(np.arange(64, dtype=np.uint64)))


# ---------------------------------------------------------------- vector form

def test_vector_env_b_equals_parallel_env_seed_plus_b():
    vec = SMAXVector("2s3z", 3)
    obs, info = vec.reset(seed=10)
    envs = [SMAXParallelEnv("2s3z") for _ in range(3)]
    singles = [e.reset(seed=10 + b)[0] for b, e in enumerate(envs)]
    rng = np.random.default_rng(0)
    for _ in range(40):
        for b, env in enumerate(envs):
            if env.agents:
                for k, agent in enumerate(env.possible_agents):
                    if agent in env.agents:
                        np.testing.assert_array_equal(obs[b, k], singles[b][agent]["observation"])
                        np.testing.assert_array_equal(info["action_mask"][b, k], singles[b][agent]["action_mask"])
                np.testing.assert_array_equal(info["world_state"][b], env.state())
        acts = np.array([[rng.choice(np.flatnonzero(m)) for m in row] for row in info["action_mask"]])
        obs, rew, term, trunc, info = vec.step(acts)
        for b, env in enumerate(envs):
            if env.agents:
                out = env.step({a: int(acts[b, k]) for k, a in enumerate(env.possible_agents) if a in env.agents})
                singles[b] = out[0]
                for a, r in out[1].items():
                    assert r == pytest.approx(float(rew[b, env.possible_agents.index(a)]))
                    assert out[2][a] == term[b, env.possible_agents.index(a)]
                    assert out[3][a] == trunc[b, env.possible_agents.index(a)]


def test_vector_autoreset_next_step_and_outputs():
    vec = SMAXVector("3m", 4, max_steps=5)
    obs, info = vec.reset(seed=0)
    assert obs.shape == (4, 3, 75) and obs.dtype == np.float32
    assert info["action_mask"].dtype == np.int8 and info["world_state"].shape == (4, 72)
    for _ in range(5):
        obs, rew, term, trunc, info = vec.step(np.full((4, 3), 4))
    ended = term.any(axis=1) | trunc.any(axis=1)
    assert ended.all() and (info["outcome"] != 0).all()
    obs, rew, term, trunc, info = vec.step(np.full((4, 3), 4))  # the autoreset step
    assert (rew == 0).all() and not term.any() and not trunc.any() and (vec.core.episode_step == 0).all()


def test_self_play_mode_has_all_units_as_agents():
    vec = SMAXVector("5m_vs_6m", 2, enemy="agents")
    obs, info = vec.reset(seed=0)
    assert obs.shape == (2, 11, 140)
    assert list(vec.num_actions) == [11] * 5 + [10] * 6
    assert (info["action_mask"][:, 5:, 10] == 0).all()  # enemies' padding column
    obs, rew, term, trunc, info = vec.step(np.concatenate([vec.heuristic_actions(0), vec.heuristic_actions(1)], 1))
    assert rew.shape == (2, 11)


def test_observations_stay_in_the_box():
    vec = SMAXVector("smacv2_10_units", 16)
    obs, info = vec.reset(seed=1)
    rng = np.random.default_rng(1)
    for _ in range(60):
        assert (obs >= -1.0).all() and (obs <= 1.0).all()
        acts = np.array([[rng.choice(np.flatnonzero(m)) for m in row] for row in info["action_mask"]])
        obs, _, _, _, info = vec.step(acts)


# ---------------------------------------------------------------- faithfulness: heuristic vs heuristic

# JaxMARL 0.2.0 (c793d09, JAX 0.10.2 CPU): HeuristicEnemySMAX with the same heuristic (team 0) driving the
# allies, 20000 single episodes per map (no autoreset), outcome of each episode's final step; standard error
# about 0.35 points. The spec's 512-episode split (3m 0.520 / 0.465 / 0.016) agrees within its 2.2-point
# standard error. jaxmarl_outcomes() below recomputes them (test_jaxmarl_reference_outcomes, slow, jaxmarl).
JAXMARL_OUTCOMES = {
    "3m": {"ally_win": 0.4959, "enemy_win": 0.4885, "draw": 0.0155, "timeout": 0.0},
    "2s3z": {"ally_win": 0.4860, "enemy_win": 0.4842, "draw": 0.0005, "timeout": 0.0293},
    "3s5z": {"ally_win": 0.4182, "enemy_win": 0.4197, "draw": 0.0002, "timeout": 0.1618},
    # fresh random compositions in JaxMARL, the 100 train compositions here: checks the SMACv2 start positions
    "smacv2_5_units": {"ally_win": 0.4997, "enemy_win": 0.4918, "draw": 0.0038, "timeout": 0.0047},
}


# JaxMARL's episodes last up to 101 steps (it tests the limit before counting the step); compare like with like
JAXMARL_HORIZON = 101


@pytest.mark.parametrize("scenario", sorted(JAXMARL_OUTCOMES))
def test_heuristic_vs_heuristic_outcomes_match_jaxmarl(scenario):
    """The issue's check: 2000 episodes per map, every outcome rate within 3 points of JaxMARL's (the
    standard error of the difference is about 1.2 points, so a 3-point gap means a real deviation)."""
    got = heuristic_outcomes(scenario, 2000, seed=0, max_steps=JAXMARL_HORIZON)
    for outcome, expected in JAXMARL_OUTCOMES[scenario].items():
        assert abs(got[outcome] - expected) <= 0.03, (scenario, outcome, got)


@pytest.mark.slow
@pytest.mark.parametrize("scenario", sorted(JAXMARL_OUTCOMES))
def test_heuristic_vs_heuristic_outcomes_many_episodes(scenario):
    """20000 episodes: within 1.5 points (3 standard errors of the difference)."""
    got = heuristic_outcomes(scenario, 20000, seed=123, max_steps=JAXMARL_HORIZON)
    for outcome, expected in JAXMARL_OUTCOMES[scenario].items():
        assert abs(got[outcome] - expected) <= 0.015, (scenario, outcome, got)


def jaxmarl_outcomes(scenario: str, episodes: int, seed: int = 0, chunk: int = 2000) -> dict[str, float]:
    """JaxMARL's own heuristic-vs-heuristic outcome split: ``HeuristicEnemySMAX`` with the allies driven by
    ``create_heuristic_policy(env, team=0)``, ``episodes`` single episodes (``step_env``, no autoreset)."""
    import jax
    import jax.numpy as jnp
    from jaxmarl.environments.smax import map_name_to_scenario
    from jaxmarl.environments.smax.heuristic_enemy import create_heuristic_policy, get_heuristic_policy_initial_state
    from jaxmarl.environments.smax.heuristic_enemy_smax_env import HeuristicEnemySMAX

    env = HeuristicEnemySMAX(scenario=map_name_to_scenario(scenario))
    allies = env.num_allies
    policy = create_heuristic_policy(env._env, 0, shoot=True, attack_mode="closest")

    def episode(key):
        key, reset_key = jax.random.split(key)
        obs, state = env.reset(reset_key)
        memory = jax.tree.map(lambda *x: jnp.stack(x), *([get_heuristic_policy_initial_state()] * allies))

        def body(carry, _):
            key, state, obs, memory, result = carry
            key, act_key, step_key = jax.random.split(key, 3)
            ally_obs = jnp.stack([obs[a] for a in env.agents])
            acts, memory = jax.vmap(policy)(jax.random.split(act_key, allies), memory, ally_obs)
            obs, state, _, dones, _ = env.step_env(step_key, state, {a: acts[i] for i, a in enumerate(env.agents)})
            ally_alive, enemy_alive = state.state.unit_alive[:allies].any(), state.state.unit_alive[allies:].any()
            code = jnp.where(ally_alive & ~enemy_alive, 1, jnp.where(~ally_alive & enemy_alive, 2,
                                                                     jnp.where(~ally_alive, 3, 4)))
            return (key, state, obs, memory, jnp.where((result == 0) & dones["__all__"], code, result)), None

        # JaxMARL tests the limit before counting the step, so its episodes last up to max_steps + 1 steps
        return jax.lax.scan(body, (key, state, obs, memory, jnp.int32(0)), None, length=env.max_steps + 1)[0][-1]

    run = jax.jit(jax.vmap(episode))
    keys = jax.random.split(jax.random.PRNGKey(seed), -(-episodes // chunk))
    codes = np.concatenate([np.asarray(run(jax.random.split(k, chunk))) for k in keys])[:episodes]
    return {name: float(np.mean(codes == code)) for code, name in enumerate(OUTCOMES) if code != 0}


@pytest.mark.slow
@pytest.mark.parametrize("scenario", sorted(JAXMARL_OUTCOMES))
def test_jaxmarl_reference_outcomes(scenario):
    """Where jaxmarl is installed (its own venv, see benchmarks/test_smax.py): the reference numbers
    reproduce (another seed, so within 1.5 points)."""
    pytest.importorskip("jaxmarl")
    got = jaxmarl_outcomes(scenario, 20000, seed=7)
    for outcome, expected in JAXMARL_OUTCOMES[scenario].items():
        assert abs(got[outcome] - expected) <= 0.015, (scenario, outcome, got)


@pytest.mark.parametrize("scenario", ["5m_vs_6m", "6h_vs_8z", "3s_vs_5z"])
def test_asymmetric_maps_are_lost_by_the_heuristic(scenario):
    got = heuristic_outcomes(scenario, 500, seed=0)
    assert got["ally_win"] <= 0.01  # JaxMARL: 0.001, 0.000, 0.000


# ---------------------------------------------------------------- evaluation (leaderboard helpers)

def test_win_rates_of_the_references():
    heuristic = win_rates(heuristic_policy, scenarios=["3m", "5m_vs_6m"], seeds=[0, 1], episodes=200)
    assert set(heuristic) == {"3m", "5m_vs_6m"} and all(len(v) == 2 for v in heuristic.values())
    assert all(0.4 <= w <= 0.6 for w in heuristic["3m"]) and heuristic["3m"][0] != heuristic["3m"][1]
    assert max(heuristic["5m_vs_6m"]) <= 0.02
    assert win_rates(heuristic_policy, scenarios=["3m"], seeds=[0, 1], episodes=200) == {"3m": heuristic["3m"]}
    random = win_rates("rlenvs.smax.evaluation:random_policy", scenarios=["3m", "smacv2_5_units"], seeds=[0],
                       episodes=100)
    assert random["3m"] == [0.0] and random["smacv2_5_units"][0] < 0.2  # JaxMARL: random wins none of 3m


def test_win_rates_calls_the_policy_hooks_and_covers_the_split():
    calls = []

    class Recorder:
        def __init__(self, envs):
            self.envs = envs
            tasks = {envs.core.task_of(b) for b in range(envs.num_envs)}
            calls.append(("tasks", len(tasks)))

        def seed(self, seed):
            calls.append(("seed", seed))

        def reset_memory(self):
            calls.append(("reset_memory",))

        def act(self, obs, masks):
            assert obs.shape == (self.envs.num_envs, 5, 127) and masks.dtype == np.int8
            return np.full((self.envs.num_envs, 5), 4)

        def observe(self, rewards, terms, truncs):
            calls.append(("observe", rewards.shape))

    scores = win_rates(Recorder, scenarios=["smacv2_5_units"], seeds=[7], episodes=40)
    assert scores == {"smacv2_5_units": [0.0]}  # standing still never wins
    assert calls[1:3] == [("seed", 7), ("reset_memory",)] and ("observe", (40, 5)) in calls
    env = SMAXVector("smacv2_5_units", 1, task_split="test")
    assert len(env.task_distribution.split("test")) == 20
    with pytest.raises(ValueError, match="episodes"):
        win_rates(heuristic_policy, scenarios=["3m"], episodes=0)


def test_render_and_headless_play(monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    env = SMAXParallelEnv("3m", render_mode="rgb_array")
    env.reset(seed=0)
    frame = env.render()
    assert frame.shape == (384, 384, 3) and frame.dtype == np.uint8
    assert (frame == [40, 90, 220]).all(axis=-1).sum() > 3 * 40  # three full-health allies (disks of radius 4.5 px)
    assert (frame == [220, 50, 40]).all(axis=-1).sum() > 3 * 40  # and three enemies
    from rlenvs.smax.play import play

    result = play("rlenvs/SMAX-3m-v0", seed=0, episodes=2, fps=1000)
    assert len(result["outcomes"]) == 2 and set(result["outcomes"]) <= {"ally_win", "enemy_win", "draw", "timeout"}
    assert result["steps"] > 2
