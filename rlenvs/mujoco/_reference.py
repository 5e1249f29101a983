"""NumPy twin of the MuJoCo family kernels (vectorised over envs), used only by tests."""

from __future__ import annotations

import numpy as np

from rlenvs.core import _reference as core_ref
from rlenvs.mujoco._kernels import ANT_DIR, CHEETAH_VEL, HOPPER


def _uniform(rng, i, n):
    return np.array([core_ref.rng_uniform(rng, i) for _ in range(n)])


def _normal(rng, i, n):
    out = np.empty(n)
    for k in range(n):
        u1 = 1.0 - core_ref.rng_uniform(rng, i)
        u2 = core_ref.rng_uniform(rng, i)
        out[k] = np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
    return out


def reset_batch(mask, rng, draw_task, task_fixed, fixed_params, split_params, task_params, task_index, qpos0,
                pos_noise, vel_noise, vel_normal, state, warmstart):
    nq, nv = qpos0.shape[0], warmstart.shape[1]
    for i in np.flatnonzero(mask):
        if draw_task:
            core_ref.begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
        state[i, 0] = 0.0
        state[i, 1:1 + nq] = qpos0 + (2.0 * _uniform(rng, i, nq) - 1.0) * pos_noise
        noise = _normal(rng, i, nv) if vel_normal else 2.0 * _uniform(rng, i, nv) - 1.0
        state[i, 1 + nq:1 + nq + nv] = vel_noise * noise
        warmstart[i] = 0.0


def advance(out, nq, timestep, state, warmstart):
    nv = warmstart.shape[1]
    before = out[:, -2] if out.shape[1] > 1 else state
    warmstart[:] = (out[:, -1, 1 + nq:1 + nq + nv] - before[:, 1 + nq:1 + nq + nv]) / timestep
    state[:] = out[:, -1]


def cheetah_obs(state, torso_z):
    qpos, qvel = state[:, 1:10], state[:, 10:19]
    torso = np.stack([qpos[:, 0], np.zeros(len(state)), torso_z + qpos[:, 1]], axis=1)
    return np.concatenate([qpos[:, 1:], qvel, torso], axis=1)


def cheetah_step(out, actions, task_params, kind, dt, timestep, torso_z, state, warmstart, obs, rewards):
    x_before = state[:, 1].copy()
    advance(out, 9, timestep, state, warmstart)
    velocity = (state[:, 1] - x_before) / dt
    forward = -np.abs(velocity - task_params[:, 0]) if kind == CHEETAH_VEL else task_params[:, 0] * velocity
    rewards[:] = forward - 0.05 * (actions**2).sum(axis=1)
    obs[:] = cheetah_obs(state, torso_z)


def ant_obs(state, kind):
    return state[:, 3:30] if kind == ANT_DIR else state[:, 1:30]


def ant_step(out, actions, task_params, kind, dt, timestep, terminate, state, warmstart, obs, rewards, terminated):
    xy_before = state[:, 1:3].copy()
    advance(out, 15, timestep, state, warmstart)
    xy = state[:, 1:3]
    if kind == ANT_DIR:
        angle = task_params[:, 0]
        velocity = (xy - xy_before) / dt
        rewards[:] = velocity[:, 0] * np.cos(angle) + velocity[:, 1] * np.sin(angle) - 0.5 * (actions**2).sum(1) + 1.0
    else:
        rewards[:] = -np.abs(xy - task_params[:, :2]).sum(axis=1) - 0.1 * (actions**2).sum(axis=1)
    healthy = np.isfinite(state[:, 1:]).all(axis=1) & (state[:, 3] >= 0.2) & (state[:, 3] <= 1.0)
    terminated[:] = terminate & ~healthy
    obs[:] = ant_obs(state, kind)


def planar_obs(state, nq):
    return np.concatenate([state[:, 2:1 + nq], np.clip(state[:, 1 + nq:], -10.0, 10.0)], axis=1)


def planar_step(out, actions, kind, nq, dt, timestep, alive_bonus, terminate, state, warmstart, obs, rewards,
                terminated):
    x_before = state[:, 1].copy()
    advance(out, nq, timestep, state, warmstart)
    rewards[:] = (state[:, 1] - x_before) / dt + alive_bonus - 1e-3 * (actions**2).sum(axis=1)
    height, angle = state[:, 2], state[:, 3]
    s = state[:, 1:]  # rand_param_envs' state_vector: qpos then qvel
    if kind == HOPPER:
        healthy = np.isfinite(s).all(axis=1) & (np.abs(s[:, 2:]) < 100).all(axis=1) & (height > 0.7) & (
            np.abs(angle) < 0.2)
    else:
        healthy = (height > 0.8) & (height < 2.0) & (angle > -1.0) & (angle < 1.0)
    terminated[:] = terminate & ~healthy
    obs[:] = planar_obs(state, nq)


def humanoid_com(body_xy, mass):
    return (mass[None, :, None] * body_xy).sum(axis=1) / mass.sum()


def humanoid_obs(state, extras):
    return np.concatenate([state[:, 3:], extras], axis=1)


def humanoid_observe(mask, state, body_xy, mass, extras, com, obs):
    com[mask] = humanoid_com(body_xy, mass)[mask]
    obs[mask] = humanoid_obs(state, extras)[mask]


def humanoid_score(state, body_xy, mass, actions, task_params, extras, contact_start, dt, terminate, com, obs,
                   rewards, terminated):
    new_com = humanoid_com(body_xy, mass)
    direction = np.stack([np.cos(task_params[:, 0]), np.sin(task_params[:, 0])], axis=1)
    forward = ((new_com - com) * direction).sum(axis=1) / dt
    impact = np.minimum(0.5e-6 * (extras[:, contact_start:] ** 2).sum(axis=1), 10.0)
    rewards[:] = 1.25 * forward - 0.1 * (actions**2).sum(axis=1) - impact + 5.0
    height = state[:, 3]
    terminated[:] = terminate & ~((height >= 1.0) & (height <= 2.0))
    com[:] = new_com
    obs[:] = humanoid_obs(state, extras)
