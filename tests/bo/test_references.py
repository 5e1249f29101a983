"""Reference policies: the GP's marginal likelihood and posterior, log-EI, the UCB schedule, and GP-EI beating
random search on every BO family."""

import math

import numpy as np
import pytest
from scipy.stats import norm

import rlenvs
from rlenvs.bo import _gp
from rlenvs.bo import _reference as ref
from rlenvs.bo.references import GP, gp_ei, gp_ucb, log_expected_improvement, random_search, ucb_beta

BO_IDS = [e.id for e in rlenvs.list_envs() if e.family == "bo"]


@pytest.mark.kernel
def test_marginal_likelihood_and_gradient_equal_the_reference():
    rng = np.random.default_rng(0)
    X = rng.random((9, 3))
    y = np.sin(4 * X).sum(1)
    y = (y - y.mean()) / y.std()
    theta = np.array([-1.2, -0.4, 0.3, 0.2, math.log(1e-3)])
    nll, grad = _gp.neg_log_likelihood(theta, X, y)
    assert nll == pytest.approx(ref.gp_neg_log_likelihood(theta, X, y), rel=1e-9)
    step = 1e-6
    numeric = [(ref.gp_neg_log_likelihood(theta + step * e, X, y) - ref.gp_neg_log_likelihood(theta - step * e, X, y))
               / (2 * step) for e in np.eye(len(theta))]
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-6)


def test_gp_fits_and_predicts_a_smooth_function():
    rng = np.random.default_rng(1)
    X = rng.random((25, 2))
    y = np.sin(3 * X[:, 0]) + np.cos(2 * X[:, 1])
    gp = GP(2).fit(X, y)
    Xs = rng.random((50, 2))
    mean, std = gp.predict(Xs)
    truth = (np.sin(3 * Xs[:, 0]) + np.cos(2 * Xs[:, 1]) - y.mean()) / y.std()
    assert np.abs(mean - truth).max() < 0.05 and std.max() < 0.1
    at_data, sd_data = gp.predict(X)
    np.testing.assert_allclose(at_data, gp.y, atol=1e-2)
    assert (sd_data < 0.02).all()


def test_log_expected_improvement():
    mean = np.array([0.5, 0.0, -1.0, -5.0, -40.0])
    std = np.array([1.0, 0.5, 0.3, 0.2, 0.5])
    best = 0.2
    z = (mean - best) / std
    direct = std * (z * norm.cdf(z) + norm.pdf(z))
    log_ei = log_expected_improvement(mean, std, best)
    finite = direct > 1e-300
    np.testing.assert_allclose(np.exp(log_ei[finite]), direct[finite], rtol=1e-8)
    # where EI underflows to 0 the log still ranks: z = -80.4 is worse than z = -26
    assert np.isfinite(log_ei).all() and log_ei[-1] < log_ei[-2]


def test_ucb_beta_is_the_srinivas_schedule_in_metabo_form():
    assert ucb_beta(0, 3) == pytest.approx(2 * math.log(math.pi**2 / 0.3))
    assert ucb_beta(9, 2) == pytest.approx(2 * math.log(10**3 * math.pi**2 / 0.3))


def test_policies_pick_valid_candidates_and_are_seeded():
    envs = rlenvs.make_vec("rlenvs/BO-Branin-v0", num_envs=2, vectorization_mode="vector_entry_point", n_candidates=32)
    for factory in (random_search, gp_ei, gp_ucb):
        runs = []
        for _ in range(2):
            policy = factory(envs)
            policy.seed(3)
            obs, _ = envs.reset(seed=0)
            actions = []
            for _ in range(8):
                a = policy.act(obs)
                assert obs["cand_mask"][np.arange(2), a].all()
                obs, _, _, _, info = envs.step(a)
                actions.append(a)
            runs.append(np.stack(actions))
        np.testing.assert_array_equal(runs[0], runs[1])
    continuous = rlenvs.make_vec("rlenvs/BO-Branin-v0", num_envs=2, candidates="continuous")
    obs, _ = continuous.reset(seed=0)
    for factory in (random_search, gp_ei):
        policy = factory(continuous)
        policy.seed(0)
        for _ in range(3):
            a = policy.act(obs)
            assert a.shape == (2, 2) and (a >= 0).all() and (a <= 1).all()
            obs, *_ = continuous.step(a)


def final_normalised_regret(env_id, factory, n_tasks, seed=0):
    """Mean log10 and mean of the normalised regret after the default budget, on the first test tasks."""
    tasks = list(rlenvs.make(env_id).unwrapped.task_distribution.split("test"))[:n_tasks]
    envs = rlenvs.make_vec(env_id, num_envs=len(tasks), vectorization_mode="vector_entry_point", task_split="test")
    policy = factory(envs)
    policy.seed(seed)
    obs, _ = envs.reset(seed=seed, options={"tasks": tasks})
    while True:
        obs, _, terminated, _, info = envs.step(policy.act(obs))
        if terminated.all():
            break
    regret = info["normalized_regret"]
    return np.log10(np.maximum(regret, 1e-6)).mean(), regret.mean()


@pytest.mark.parametrize("env_id", BO_IDS)
def test_gp_ei_beats_random_search(env_id):
    """Four test tasks, seed 0: GP-EI's final log10 normalised regret is at least half a decade below random
    search's (measured margins: 0.9-5 decades) and its mean normalised regret is not higher."""
    log_random, mean_random = final_normalised_regret(env_id, random_search, 4)
    log_ei, mean_ei = final_normalised_regret(env_id, gp_ei, 4)
    assert log_ei < log_random - 0.5 and mean_ei <= mean_random


@pytest.mark.slow
@pytest.mark.parametrize("env_id", BO_IDS)
def test_gp_references_beat_random_search_on_more_tasks(env_id):
    """Sixteen test tasks (all of them where the test split is smaller): GP-EI at least a decade better; GP-UCB
    better than random in up to 3 dimensions (its Srinivas beta_t explores too much to beat random within 30
    queries on Hartmann-6)."""
    log_random, _ = final_normalised_regret(env_id, random_search, 16)
    log_ei, _ = final_normalised_regret(env_id, gp_ei, 16)
    assert log_ei < log_random - 1.0
    if rlenvs.make(env_id).unwrapped.setup.dim <= 3:
        log_ucb, _ = final_normalised_regret(env_id, gp_ucb, 16)
        assert log_ucb < log_random
