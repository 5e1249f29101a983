"""The Gymnasium-backed bases: the task's parameters really drive Pendulum's physics and the MuJoCo rewards."""

import numpy as np
import pytest

import rlenvs
from rlenvs.preference.gym_tasks import LocomotionTaskEnv, PendulumTask, PendulumTaskEnv


def test_pendulum_steps_with_the_task_physics():
    task = PendulumTask(g=9.0, m=1.2, l=0.8)
    env = PendulumTaskEnv(task=task)
    env.reset(seed=0)
    for action in (0.5, -1.0, 0.25):
        th, thdot = env._env.state
        obs, reward, *_ = env.step(np.array([action], dtype=np.float32))
        u = 2.0 * np.float32(action)  # the normalised action times max_torque
        new_thdot = np.clip(thdot + (3 * 9.0 / (2 * 0.8) * np.sin(th) + 3.0 / (1.2 * 0.8**2) * u) * 0.05, -8, 8)
        new_th = th + new_thdot * 0.05
        np.testing.assert_allclose(obs, [np.cos(new_th), np.sin(new_th), new_thdot], rtol=1e-6)
        angle = (th + np.pi) % (2 * np.pi) - np.pi
        assert reward == pytest.approx(-(angle**2 + 0.1 * thdot**2 + 0.001 * u**2), rel=1e-6)


def test_pendulum_default_split_is_gymnasiums_pendulum():
    env = PendulumTaskEnv(task_split="default")
    _, info = env.reset(seed=0)
    assert info["task"] == {"g": 10.0, "m": 1.0, "l": 1.0}
    with pytest.raises(ValueError, match="outside the action space"):
        env.step(np.array([1.5], dtype=np.float32))  # Pendulum-v1 would clip 3 N m silently


@pytest.mark.parametrize(("robot", "healthy"), [("half_cheetah", 0.0), ("walker2d", 1.0)])
def test_locomotion_reward_uses_the_task_weights(robot, healthy):
    task = {"forward_reward_weight": 1.3, "ctrl_cost_weight": 0.02}
    env = LocomotionTaskEnv(robot=robot, task=task)
    env.reset(seed=1)
    env.action_space.seed(0)
    for _ in range(5):
        action = env.action_space.sample()
        _, reward, terminated, _, info = env.step(action)
        expected = 1.3 * info["x_velocity"] - 0.02 * float(np.sum(np.square(action))) + healthy
        assert reward == pytest.approx(expected, rel=1e-6, abs=1e-7)  # Gymnasium computes the cost in float32
        assert not terminated
    with pytest.raises(ValueError, match="robot must be one of"):
        LocomotionTaskEnv(robot="hopper")


def test_locomotion_default_split_holds_gymnasiums_weights():
    for env_id, ctrl in (("PrefHalfCheetah-v0", 0.1), ("PrefWalker2d-v0", 1e-3)):
        dist = rlenvs.make(env_id).unwrapped.task_distribution
        (task,) = dist.split("default")
        assert task.to_dict() == {"forward_reward_weight": 1.0, "ctrl_cost_weight": ctrl}
