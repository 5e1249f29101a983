"""Run a grid-world vector env's kernels and their NumPy twins side by side on copies of the same arrays."""

import numpy as np

SHARED = ("_rng", "_task_fixed", "_fixed_params", "_split_params", "_task_params", "_task_index")
OUTPUTS = ("_rewards", "_terminations", "_truncations")


def _arrays(envs, state):
    return {name: getattr(envs, name).copy() for name in (*SHARED, "_needs_reset", *state, *OUTPUTS)}


def _same(envs, ref, step):
    for name, value in ref.items():
        np.testing.assert_array_equal(getattr(envs, name), value, err_msg=f"{name} differs at step {step}")


def check_kernels_against_reference(envs, ref_reset, ref_step, reset_consts, step_consts, num_actions, steps,
                                    seed=0, state=("_state", "_elapsed", "_obs")):
    """Reset and step ``envs`` with its kernels and the reference functions; every array must agree.

    ``state`` names the env's per-env arrays in the kernels' argument order (after the task arrays)."""
    n = envs.num_envs
    envs._seed(seed)
    ref = _arrays(envs, state)
    mask = np.ones(n, dtype=bool)
    envs._reset_envs(mask)
    ref_reset(mask, *(ref[k] for k in SHARED), *(ref[k] for k in state), *reset_consts)
    _same(envs, {k: ref[k] for k in (*SHARED, *state)}, "reset")
    ref = _arrays(envs, state)
    actions = np.random.default_rng(seed).integers(0, num_actions, size=(steps, n))
    ends = 0
    for t in range(steps):
        envs.step(actions[t])
        bad = ref_step(actions[t], *(ref[k] for k in SHARED), ref["_needs_reset"], *(ref[k] for k in state),
                       *step_consts, *(ref[k] for k in OUTPUTS))
        assert bad == -1
        _same(envs, ref, t)
        ends += int(np.count_nonzero(ref["_terminations"] | ref["_truncations"]))
    assert ends >= n, "the comparison should cross autoresets"
    too_big = actions[0].copy()
    too_big[n // 2] = num_actions
    assert ref_step(too_big, *(ref[k] for k in SHARED), ref["_needs_reset"], *(ref[k] for k in state),
                    *step_consts, *(ref[k] for k in OUTPUTS)) == n // 2


def episode_returns(envs, policy, episodes_per_env, seed=0, **reset_kwargs):
    """Returns of ``episodes_per_env`` consecutive episodes in every env (NEXT_STEP autoreset aware)."""
    obs, _ = envs.reset(seed=seed, **reset_kwargs)
    n = envs.num_envs
    running, done = np.zeros(n), np.zeros(n, dtype=np.int64)
    returns = [[] for _ in range(n)]
    resetting = np.zeros(n, dtype=bool)
    while (done < episodes_per_env).any():
        obs, rewards, terms, truncs, _ = envs.step(policy(obs))
        running += np.where(resetting, 0.0, rewards)
        ended = (terms | truncs) & ~resetting
        for i in np.flatnonzero(ended & (done < episodes_per_env)):
            returns[i].append(running[i])
        done += ended
        running[ended] = 0.0
        resetting = terms | truncs
    return np.array([r[:episodes_per_env] for r in returns])

