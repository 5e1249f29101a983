"""PrefGrid: the MDP arrays, soft value iteration against brute force and finite differences, the env."""

import itertools

import gymnasium as gym
import numpy as np
import pytest

import rlenvs
from rlenvs.preference.pref_grid import (
    GOLD_WEIGHTS,
    NUM_ACTIONS,
    PrefGridDistribution,
    PrefGridEnv,
    PrefGridTask,
    evaluate_policy,
    gold_reward,
    grid_transitions,
    optimal_policy,
    reward_features,
    soft_value_iteration,
)

TINY = PrefGridTask(start=(0, 0), goal=(1, 1), objects=(1, 0, 0, 1))  # on a 2x2 grid


def test_transitions_slip_to_a_uniform_move():
    P = grid_transitions(8, 0.1)
    np.testing.assert_allclose(P.sum(axis=2), 1.0, rtol=0, atol=1e-15)
    s = 3 * 8 + 4  # (4, 3), interior: the five moves lead to five different cells
    for a, cell in enumerate([s, s + 8, s - 8, s - 1, s + 1]):
        assert P[s, a, cell] == pytest.approx(0.9 + 0.1 / 5)
        assert np.count_nonzero(P[s, a]) == 5
    corner = grid_transitions(8, 0.0)[0]  # (0, 0): south and west stay
    np.testing.assert_array_equal(corner.argmax(axis=1), [0, 8, 0, 0, 1])
    with pytest.raises(ValueError, match="slip must be in"):
        grid_transitions(8, 1.5)


def test_features_and_gold_reward():
    task = PrefGridTask(start=(0, 0), goal=(7, 7), objects=(3, 3, 0, 7))
    phi = reward_features(task)
    goal, corner = 7 * 8 + 7, 0
    assert phi[goal, 0, 0] == 1.0 and phi[corner, 0, 0] == 0.0  # closeness 1 - manhattan / 14
    assert phi[corner, 2, 1] == pytest.approx(1 - 6 / 14) and phi[corner, 4, 2] == pytest.approx(1 - 7 / 14)
    np.testing.assert_array_equal(phi[:, :, 3], np.tile([0.0, 1, 1, 1, 1], (64, 1)))
    np.testing.assert_allclose(gold_reward(task, misspecification=0.0), phi @ GOLD_WEIGHTS, rtol=0, atol=1e-15)
    sparse = gold_reward(task)
    expected = np.zeros(64)
    expected[goal], expected[3 * 8 + 3], expected[7 * 8 + 0] = 1.0, -0.5, -0.5
    np.testing.assert_allclose(sparse, expected[:, None] - 0.05 * phi[:, :, 3], rtol=0, atol=1e-15)
    # misspecified: no linear function of phi fits the sparse reward (m = 0 fits exactly)
    for m, fits in ((0.0, True), (0.5, False), (1.0, False)):
        target = gold_reward(task, misspecification=m).ravel()
        coef = np.linalg.lstsq(phi.reshape(-1, 4), target, rcond=None)[0]
        residual = np.abs(phi.reshape(-1, 4) @ coef - target).max()
        assert (residual < 1e-12) == fits
    with pytest.raises(ValueError, match="misspecification must be in"):
        gold_reward(task, misspecification=2.0)


def _trajectory_objective(policy, reward, P, start, temperature):
    """Brute force: E[sum_h r(s_h, a_h) - temperature log pi_h(a_h | s_h)] over every trajectory from start."""
    horizon, n_states, n_actions = policy.shape
    total = 0.0
    for actions in itertools.product(range(n_actions), repeat=horizon):
        for states in itertools.product(range(n_states), repeat=horizon - 1):
            path = (start, *states)
            prob, score = 1.0, 0.0
            for h, (s, a) in enumerate(zip(path, actions, strict=True)):
                prob *= policy[h, s, a]
                if h + 1 < horizon:
                    prob *= P[s, a, path[h + 1]]
                if prob == 0.0:
                    break
                score += reward[s, a] - (temperature * np.log(policy[h, s, a]) if temperature else 0.0)
            total += prob * score
    return total


def test_soft_value_iteration_matches_brute_force_on_a_tiny_grid():
    P, reward = grid_transitions(2, 0.1), gold_reward(TINY, size=2, misspecification=0.5)
    horizon, lam, start = 3, 0.5, 0
    soft = soft_value_iteration(reward, P, horizon, lam)
    np.testing.assert_allclose(soft.policy.sum(axis=2), 1.0, rtol=0, atol=1e-14)
    # the soft value is the entropy-regularised return of the soft policy, summed over every trajectory
    assert soft.v[0, start] == pytest.approx(_trajectory_objective(soft.policy, reward, P, start, lam), abs=1e-12)
    # ... and no other policy does better on that objective
    rng = np.random.default_rng(0)
    for _ in range(5):
        other = rng.dirichlet(np.ones(NUM_ACTIONS), size=(horizon, 4))
        assert _trajectory_objective(other, reward, P, start, lam) < soft.v[0, start]
    # exact policy evaluation agrees with the enumeration (no entropy term)
    assert evaluate_policy(soft.policy, reward, P, np.eye(4)[start]).expected_return == pytest.approx(
        _trajectory_objective(soft.policy, reward, P, start, 0.0), abs=1e-12)


def test_hard_value_iteration_is_the_best_of_all_deterministic_policies():
    P, reward = grid_transitions(2, 0.1), gold_reward(TINY, size=2, misspecification=0.5)
    start = 0
    hard = soft_value_iteration(reward, P, 3, 0.0)
    # every deterministic 3-step policy from the start: a0 at the start, then any map state -> action twice
    maps = np.array(list(itertools.product(range(NUM_ACTIONS), repeat=4)))  # (625, 4)
    cells = np.arange(4)
    r_map = reward[cells, maps]  # (625, 4): r(s, pi(s))
    P_map = P[cells, maps]  # (625, 4, 4): P(. | s, pi(s))
    v1 = r_map[:, None, :] + np.einsum("pst,qt->pqs", P_map, r_map)  # (pi1, pi2, s1)
    values = reward[start][:, None, None] + np.einsum("as,pqs->apq", P[start], v1)  # (a0, pi1, pi2)
    assert values.size == 5 * 625 * 625
    assert hard.v[0, start] == pytest.approx(values.max(), abs=1e-12)
    greedy = evaluate_policy(hard.policy, reward, P, np.eye(4)[start]).expected_return
    assert greedy == pytest.approx(values.max(), abs=1e-12)


def test_soft_value_iteration_gradients_match_finite_differences():
    task = PrefGridDistribution().split("test")[0]
    phi, P = reward_features(task), grid_transitions(8, 0.1)
    nu = np.array([1.0, -0.4, -0.3, -0.05])
    horizon, lam, eps = 30, 0.1, 1e-6
    exact = soft_value_iteration(phi @ nu, P, horizon, lam, reward_jacobian=phi)
    for k in range(4):
        step = np.zeros(4)
        step[k] = eps
        up = soft_value_iteration(phi @ (nu + step), P, horizon, lam)
        down = soft_value_iteration(phi @ (nu - step), P, horizon, lam)
        fd_log = (np.log(up.policy) - np.log(down.policy)) / (2 * eps)
        np.testing.assert_allclose(exact.dlog_policy[..., k], fd_log, rtol=0, atol=2e-5)
        np.testing.assert_allclose(exact.dv[..., k], (up.v - down.v) / (2 * eps), rtol=0, atol=2e-6)
    assert np.abs(exact.dlog_policy).max() > 1.0  # the check is not vacuous
    with pytest.raises(ValueError, match="derivatives need temperature > 0"):
        soft_value_iteration(phi @ nu, P, horizon, 0.0, reward_jacobian=phi)


def test_gold_return_gradient_by_the_score_function_matches_finite_differences():
    """The chain A-PARL needs: d/dnu E_{pi_nu}[sum r*] = sum_h E[d log pi_nu(a_h|s_h) Q^pi_h(s_h, a_h)]."""
    task = PrefGridDistribution().split("test")[1]
    phi, P, gold = reward_features(task), grid_transitions(8, 0.1), gold_reward(task)
    initial = np.zeros(64)
    initial[task.start[1] * 8 + task.start[0]] = 1.0
    nu, horizon, lam, eps = np.array([0.8, -0.3, -0.6, -0.1]), 30, 0.2, 1e-6

    def gold_return(params):
        return evaluate_policy(soft_value_iteration(phi @ params, P, horizon, lam).policy, gold, P,
                               initial).expected_return

    soft = soft_value_iteration(phi @ nu, P, horizon, lam, reward_jacobian=phi)
    ev = evaluate_policy(soft.policy, gold, P, initial)
    grad = np.einsum("hs,hsa,hsak,hsa->k", ev.occupancy, soft.policy, soft.dlog_policy, ev.q)
    fd = [(gold_return(nu + eps * e) - gold_return(nu - eps * e)) / (2 * eps) for e in np.eye(4)]
    np.testing.assert_allclose(grad, fd, rtol=1e-5, atol=1e-7)
    assert np.abs(grad).max() > 0.1


def test_env_steps_follow_the_transition_matrix():
    env = PrefGridEnv(horizon=1, task=PrefGridTask(start=(4, 3), goal=(0, 0), objects=(7, 7, 7, 0)))
    s = env.initial_state
    counts = np.zeros(64)
    env.reset(seed=0)
    for _ in range(4000):
        obs, reward, terminated, truncated, _ = env.step(4)  # east
        counts[obs[0]] += 1
        assert reward == pytest.approx(-0.05) and truncated and not terminated
        env.reset()
    np.testing.assert_allclose(counts / 4000, env.transitions[s, 4], atol=0.02)
    with pytest.raises(RuntimeError, match="episode ended after 1 steps"):
        env.step(0)
        env.step(0)


def _run_oracle(slip, episodes):
    envs = gym.vector.SyncVectorEnv([lambda: rlenvs.make("PrefGrid-v0", hide_reward=False, slip=slip)] * 4)
    tasks = envs.get_attr("unwrapped")[0].task_distribution.split("test")[:4]
    for env, task in zip(envs.envs, tasks, strict=True):
        env.unwrapped.set_task(task)
    policy = optimal_policy(envs)
    params = np.stack([t.to_array() for t in tasks])
    obs, _ = envs.reset(seed=0)
    returns, running, resetting = [[] for _ in range(4)], np.zeros(4), np.zeros(4, dtype=bool)
    while min(map(len, returns)) < episodes:
        obs, rewards, terms, truncs, _ = envs.step(policy.act(obs, params))
        running += np.where(resetting, 0.0, rewards)
        resetting = terms | truncs
        for i in np.flatnonzero(resetting):
            returns[i].append(running[i])
        running[resetting] = 0.0
    exact = [env.unwrapped.optimal_return() for env in envs.envs]
    return np.array([r[:episodes] for r in returns]), np.array(exact), envs


def test_the_oracle_reference_earns_the_exact_optimal_return():
    returns, exact, envs = _run_oracle(slip=0.0, episodes=2)
    np.testing.assert_allclose(returns, np.repeat(exact[:, None], 2, axis=1), rtol=0, atol=1e-9)
    random = [env.unwrapped.random_return() for env in envs.envs]
    assert all(e > r for e, r in zip(exact, random, strict=True))
    returns, exact, _ = _run_oracle(slip=0.1, episodes=40)
    se = returns.std(axis=1, ddof=1) / np.sqrt(40)
    assert (np.abs(returns.mean(axis=1) - exact) < 4 * se + 1e-9).all()


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="horizon must be a positive int"):
        PrefGridEnv(horizon=0)
    with pytest.raises(ValueError, match="misspecification must be in"):
        PrefGridEnv(misspecification=-0.1)
    with pytest.raises(ValueError, match="slip must be in"):
        PrefGridEnv(slip=-0.5)
    with pytest.raises(ValueError, match="render_mode must be one of"):
        PrefGridEnv(render_mode="human")


def test_render_draws_goal_objects_and_agent():
    env = PrefGridEnv(render_mode="rgb_array")
    env.reset(seed=0)
    image = env.render()
    assert image.shape == (192, 192, 3) and image.dtype == np.uint8
    for colour in ((60, 180, 75), (220, 50, 50), (0, 90, 200)):
        assert (image == colour).all(axis=-1).any()
