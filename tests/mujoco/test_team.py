"""The threads that step a batch (rlenvs.mujoco.team): every job once per run, results equal to one thread's,
workers that slept woken, errors raised in the caller, threads stopped on close or when the envs are dropped."""

import gc
import threading

import mujoco
import numpy as np
import pytest
from mujoco import rollout

import rlenvs
from rlenvs.mujoco import models
from rlenvs.mujoco.team import RolloutTeam

NSTEP = 3


def _problem(num_envs: int, seed: int = 0):
    """HalfCheetah from perturbed initial states with random controls, and its jobs of 2 envs each."""
    model = models.base_model("half_cheetah.xml")
    rng = np.random.default_rng(seed)
    nstate = mujoco.mj_stateSize(model, mujoco.mjtState.mjSTATE_FULLPHYSICS)
    state0 = np.zeros((num_envs, nstate))
    state0[:, 1:1 + model.nq] = model.qpos0 + rng.uniform(-0.1, 0.1, (num_envs, model.nq))
    control = rng.uniform(-1, 1, (num_envs, NSTEP, model.nu))
    warmstart = np.zeros((num_envs, model.nv))
    out = np.full((num_envs, NSTEP, nstate), np.nan)
    ms = [model] * num_envs
    jobs = [(ms[a:a + 2], state0[a:a + 2], control[a:a + 2], warmstart[a:a + 2], out[a:a + 2])
            for a in range(0, num_envs, 2)]
    return model, state0, control, out, jobs


def _one_thread(model, state0, control):
    expected = np.zeros((len(state0), NSTEP, state0.shape[1]))
    with rollout.Rollout(nthread=0) as pool:
        pool.rollout([model] * len(state0), [mujoco.MjData(model)], state0, control,
                     initial_warmstart=np.zeros((len(state0), model.nv)), state=expected, nstep=NSTEP)
    return expected


@pytest.mark.kernel  # also under NUMBA_DISABLE_JIT=1, where the calling thread runs every job
@pytest.mark.parametrize("num_threads", [1, 2, 3])
@pytest.mark.parametrize("spin", [1, 1 << 20])  # 1: the workers sleep before every run and must be woken
def test_every_job_runs_once_with_one_threads_results(num_threads, spin):
    model, state0, control, out, jobs = _problem(14)
    expected = _one_thread(model, state0, control)
    team = RolloutTeam(num_threads, model, spin=spin, control_spec=mujoco.mjtState.mjSTATE_CTRL.value,
                       skip_checks=True, nstep=NSTEP)
    for _ in range(30):  # each run overwrites every output row; a skipped or doubled job would show as NaN
        out[:] = np.nan
        team.run(jobs)
        np.testing.assert_array_equal(out, expected)
    team.close()


def test_a_workers_error_is_raised_in_the_caller_and_the_team_goes_on():
    model, state0, control, out, jobs = _problem(8)
    bad = [*jobs[:3], (jobs[3][0], jobs[3][1], jobs[3][2][:, :1], jobs[3][3], jobs[3][4])]  # too few controls
    team = RolloutTeam(2, model, control_spec=mujoco.mjtState.mjSTATE_CTRL.value, skip_checks=True, nstep=NSTEP)
    for _ in range(4):  # whichever thread takes the bad job
        with pytest.raises(Exception, match="control"):
            team.run(bad)
    team.run(jobs)
    np.testing.assert_array_equal(out, _one_thread(model, state0, control))
    team.close()
    with pytest.raises(RuntimeError, match="closed"):
        team.run(jobs)


def test_a_forked_copy_refuses_to_run():  # its workers stayed in the parent: it would wait for them forever
    model, _, _, _, jobs = _problem(4)
    team = RolloutTeam(2, model, control_spec=mujoco.mjtState.mjSTATE_CTRL.value, skip_checks=True, nstep=NSTEP)
    team._pid = -1  # what a forked child sees: another process id than the one that made the team
    with pytest.raises(RuntimeError, match="another process"):
        team.run(jobs)
    team.close()


def _rollout_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("rlenvs-rollout-")]


def test_workers_stop_on_close_and_when_the_envs_are_dropped():
    before = len(_rollout_threads())
    envs = rlenvs.make_vec("rlenvs/CheetahVel-v0", num_envs=4, num_threads=3)
    assert len(_rollout_threads()) == before + 2
    envs.close()
    assert len(_rollout_threads()) == before
    envs = rlenvs.make_vec("rlenvs/CheetahVel-v0", num_envs=4, num_threads=2)
    envs.reset(seed=0)
    envs.step(envs.action_space.sample())
    del envs
    gc.collect()
    assert len(_rollout_threads()) == before
