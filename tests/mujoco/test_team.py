"""The threads that step a batch (rlenvs.mujoco.team): each step equal to ``mujoco.rollout``'s bit for bit,
whatever the threads, chunks and inputs (per-env models, applied forces, MuJoCo's warnings), the observed
fields equal to the bindings' forward pass, workers that slept woken, bad arrays refused, threads stopped on
close or when the envs are dropped."""

import copy
import gc
import threading

import mujoco
import numpy as np
import pytest
from mujoco import rollout

import rlenvs
from rlenvs.mujoco import models
from rlenvs.mujoco.team import StepTeam

NSTEP = 3
CTRL = mujoco.mjtState.mjSTATE_CTRL.value
XFRC = mujoco.mjtState.mjSTATE_XFRC_APPLIED.value


def _problem(num_envs: int, control_spec: int = CTRL, seed: int = 0):
    """HalfCheetah envs from perturbed states and warm-starts with random inputs; every third env with its own
    heavier model."""
    model = models.base_model("half_cheetah.xml")
    rng = np.random.default_rng(seed)
    nstate = mujoco.mj_stateSize(model, mujoco.mjtState.mjSTATE_FULLPHYSICS)
    state0 = np.zeros((num_envs, nstate))
    state0[:, 1:1 + model.nq] = model.qpos0 + rng.uniform(-0.1, 0.1, (num_envs, model.nq))
    state0[:, 1 + model.nq:] = rng.normal(0.0, 0.5, (num_envs, model.nv))
    inputs = rng.uniform(-1, 1, (num_envs, NSTEP, mujoco.mj_stateSize(model, control_spec)))
    warmstart = rng.normal(0.0, 1.0, (num_envs, model.nv))
    ms = [model] * num_envs
    for i in range(0, num_envs, 3):
        ms[i] = copy.copy(model)
        ms[i].body_mass[:] *= 1.5
    return ms, state0, inputs, warmstart, np.full((num_envs, NSTEP, nstate), np.nan)


def _rollouts(ms, state0, inputs, warmstart, control_spec: int = CTRL):
    """The reference: ``mujoco.rollout`` of the same envs."""
    expected = np.zeros((len(state0), NSTEP, state0.shape[1]))
    with rollout.Rollout(nthread=0) as pool:
        pool.rollout(ms, [mujoco.MjData(ms[0])], state0, inputs, control_spec=control_spec,
                     initial_warmstart=warmstart, state=expected)
    return expected


@pytest.mark.kernel  # also under NUMBA_DISABLE_JIT=1, where the calling thread steps every env through ctypes
@pytest.mark.parametrize(("num_threads", "chunk"), [(1, None), (2, None), (2, 1), (3, 2)])
@pytest.mark.parametrize("spin", [1, 1 << 20])  # 1: the workers sleep before every run and must be woken
def test_each_step_equals_mujoco_rollout(num_threads, chunk, spin):
    ms, state0, inputs, warmstart, out = _problem(14)
    expected = _rollouts(ms, state0, inputs, warmstart)
    team = StepTeam(num_threads, ms, state0, inputs, warmstart, out, CTRL, chunk=chunk, spin=spin)
    for _ in range(30):  # each run overwrites every output row; a skipped env would show as NaN
        out[:] = np.nan
        team.run()
        np.testing.assert_array_equal(out, expected)
    team.close()


@pytest.mark.kernel
@pytest.mark.parametrize("num_threads", [1, 2])
def test_applied_forces_and_warnings_as_in_mujoco_rollout(num_threads, tmp_path, monkeypatch):
    """Inputs beyond the controls (``xfrc_applied``), and envs MuJoCo warns about: a NaN control (MuJoCo
    zeroes it) and a huge velocity (MuJoCo resets the simulation); ``rollout`` then repeats the state."""
    monkeypatch.chdir(tmp_path)  # where MuJoCo writes its warnings' MUJOCO_LOG.TXT
    spec = CTRL | XFRC
    ms, state0, inputs, warmstart, out = _problem(9, spec)
    inputs[2, 1, 0] = np.nan
    state0[5, -1] = 1e12
    expected = _rollouts(ms, state0, inputs, warmstart, spec)
    assert np.array_equal(expected[5, 1], expected[5, 2])  # the reset state stands for the substeps left
    team = StepTeam(num_threads, ms, state0, inputs, warmstart, out, spec, chunk=1)
    for _ in range(3):
        team.run()
        np.testing.assert_array_equal(out, expected)
    team.close()


def _forward_pass(model, state, inputs, warmstart, control_spec, observed):
    """The reference: the observed fields of MuJoCo's forward pass from the Python bindings."""
    data = mujoco.MjData(model)
    mujoco.mj_setState(model, data, state, mujoco.mjtState.mjSTATE_FULLPHYSICS)
    mujoco.mj_setState(model, data, inputs, control_spec)
    data.qacc_warmstart[:] = warmstart
    mujoco.mj_forward(model, data)
    mujoco.mj_rnePostConstraint(model, data)
    return np.concatenate([getattr(data, name).ravel() for name in observed])


@pytest.mark.kernel
@pytest.mark.parametrize("num_threads", [1, 2])
def test_observed_fields_are_the_forward_pass_after_the_step_and_at_reset(num_threads):
    spec, observed = CTRL | XFRC, ("cfrc_ext", "xipos", "qfrc_actuator")
    ms, state0, inputs, warmstart, out = _problem(7, spec)
    model = ms[1]
    forwarded = np.zeros((7, 6 * model.nbody + 3 * model.nbody + model.nv))
    team = StepTeam(num_threads, ms, state0, inputs, warmstart, out, spec, observed=observed, forwarded=forwarded,
                    chunk=1)
    team.run()
    qvel = slice(1 + model.nq, None)
    for i in range(7):  # at the state after the step, under its last inputs, from the carried warm-start
        carried = (out[i, -1, qvel] - out[i, -2, qvel]) / model.opt.timestep
        np.testing.assert_array_equal(forwarded[i], _forward_pass(ms[i], out[i, -1], inputs[i, -1], carried, spec,
                                                                  observed))
    before = forwarded.copy()
    mask = np.arange(7) % 2 == 0
    team.forward(mask)  # at the start state and warm-start, under the last inputs with zero controls
    for i in range(7):
        at_reset = inputs[i, -1].copy()
        at_reset[:model.nu] = 0.0
        expected = _forward_pass(ms[i], state0[i], at_reset, warmstart[i], spec, observed) if mask[i] else before[i]
        np.testing.assert_array_equal(forwarded[i], expected)
    team.close()


def test_bad_arrays_and_models_are_refused():
    ms, state0, inputs, warmstart, out = _problem(4)
    with pytest.raises(ValueError, match="state must be a C-contiguous float64 array of shape"):
        StepTeam(2, ms, state0[:, :-1], inputs, warmstart, out, CTRL)
    with pytest.raises(ValueError, match="ctrl must be"):
        StepTeam(1, ms, state0, inputs.astype(np.float32), warmstart, out, CTRL)
    with pytest.raises(ValueError, match="warmstart must be"):
        StepTeam(1, ms, state0, inputs, np.asfortranarray(warmstart[:3].T).T, out, CTRL)
    with pytest.raises(ValueError, match="control_spec"):
        StepTeam(1, ms, state0, inputs, warmstart, out, mujoco.mjtState.mjSTATE_QPOS.value)
    with pytest.raises(ValueError, match="forwarded must be"):
        StepTeam(1, ms, state0, inputs, warmstart, out, CTRL, observed=("cfrc_ext",))
    with pytest.raises(ValueError, match="'time' is not a float64 array"):
        StepTeam(1, ms, state0, inputs, warmstart, out, CTRL, observed=("time",), forwarded=np.zeros((4, 1)))
    with pytest.raises(ValueError, match="differ in size"):
        StepTeam(1, [*ms[:3], models.base_model("ant.xml")], state0, inputs, warmstart, out, CTRL)
    mocap = mujoco.MjModel.from_xml_string('<mujoco><worldbody><body mocap="true"/></worldbody></mujoco>')
    with pytest.raises(ValueError, match="mocap"):
        StepTeam(1, [mocap], np.zeros((1, 1)), np.zeros((1, 1, 0)), np.zeros((1, 0)), np.zeros((1, 1, 1)), CTRL)


def test_closed_and_forked_teams_refuse_to_run():
    ms, state0, inputs, warmstart, out = _problem(4)
    team = StepTeam(2, ms, state0, inputs, warmstart, out, CTRL)
    team._pid = -1  # what a forked child sees; its workers stayed in the parent: it would wait for them forever
    with pytest.raises(RuntimeError, match="another process"):
        team.run()
    team.close()
    with pytest.raises(RuntimeError, match="closed"):
        team.run()


def _step_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("rlenvs-step-")]


def test_workers_stop_on_close_and_when_the_envs_are_dropped():
    before = len(_step_threads())
    envs = rlenvs.make_vec("rlenvs/CheetahVel-v0", num_envs=4, num_threads=3)
    assert len(_step_threads()) == before + 2
    envs.close()
    assert len(_step_threads()) == before
    envs = rlenvs.make_vec("rlenvs/CheetahVel-v0", num_envs=4, num_threads=2)
    envs.reset(seed=0)
    envs.step(envs.action_space.sample())
    del envs
    gc.collect()
    assert len(_step_threads()) == before
