import numpy as np
import pytest

import rlenvs
from rlenvs.robust import DomainRandomization, DynamicAdversary, ProbabilisticActionRobust

ENV_ID = "rlenvs/RobustHalfCheetah-2d-v0"


def test_dynamic_adversary_maps_nature_onto_the_bounds_every_step():
    env = DynamicAdversary(rlenvs.make(ENV_ID), bounds={"torsomass": (1.0, 5.0)})
    assert env.action_space[1].shape == (1,) and env.action_space[1].low[0] == -1.0
    env.reset(seed=0, options={"task": {"worldfriction": 0.4, "torsomass": 6.0}})
    agent = np.zeros(6, np.float32)
    for nature, mass in ((-1.0, 1.0), (0.0, 3.0), (1.0, 5.0), (0.5, 4.0)):
        _, reward, _, _, info = env.step((agent, np.array([nature], np.float32)))
        assert info["torsomass"] == mass == env.unwrapped.model.body_mass[1]
        assert info["worldfriction"] == 0.4 and info["adversarial_reward"] == -reward
    with pytest.raises(ValueError, match="outside the action space"):
        env.step((agent, np.array([1.5], np.float32)))
    with pytest.raises(ValueError, match="pair"):
        env.step(agent)
    # every reset restores the task the env had when wrapped: none fixed, so resets draw from the split again
    split = env.unwrapped.task_distribution.split("train")
    assert all(env.unwrapped.task in split.tasks for _ in range(3) if env.reset() is not None)


def test_dynamic_adversary_checks_its_bounds():
    with pytest.raises(ValueError, match="the env's set"):
        DynamicAdversary(rlenvs.make(ENV_ID), bounds={"torsomass": (0.0, 5.0)})
    with pytest.raises(ValueError, match="unknown parameter"):
        DynamicAdversary(rlenvs.make(ENV_ID), bounds={"legmass": (1.0, 2.0)})
    with pytest.raises(TypeError, match="get_params"):
        DynamicAdversary(rlenvs.make("rlenvs/CheetahVel-v0"))
    whole = DynamicAdversary(rlenvs.make(ENV_ID))  # default: the env's whole set
    assert whole.names == ["worldfriction", "torsomass"] and list(whole.high) == [4.0, 7.0]


def test_domain_randomization_is_seeded_by_reset():
    def draws(seed):
        env = DomainRandomization(rlenvs.make(ENV_ID), bounds={"worldfriction": (0.5, 1.0)})
        env.unwrapped.set_task({"worldfriction": 0.4, "torsomass": 3.0})  # where the unbounded parameters come from
        first = env.reset(seed=seed)[1]
        return [first["task"]] + [env.reset()[1]["task"] for _ in range(4)]

    a, b, c = draws(1), draws(1), draws(2)
    assert a == b and a != c
    frictions = [t["worldfriction"] for t in a]
    assert len(set(frictions)) == 5 and all(0.5 <= f < 1.0 for f in frictions)  # no draw repeats after the seed
    assert {t["torsomass"] for t in a} == {3.0}  # parameters outside the bounds keep the current task's value
    with pytest.raises(ValueError, match="fix a task first"):
        DomainRandomization(rlenvs.make(ENV_ID), bounds={"worldfriction": (0.5, 1.0)}).reset(seed=0)
    whole = DomainRandomization(rlenvs.make(ENV_ID))  # default: the whole set, from the first reset on
    assert whole.reset(seed=0)[1]["task"] != whole.reset()[1]["task"]


@pytest.mark.parametrize("mixing", ["probabilistic", "noisy"])
def test_action_robust_mixing(mixing):
    base = rlenvs.make("rlenvs/RobustInvertedPendulum-2d-v0")
    env = ProbabilisticActionRobust(base, alpha=0.25, mixing=mixing)
    env.reset(seed=0, options={"polemass": 5.0, "cartmass": 5.0})
    twin = rlenvs.make("rlenvs/RobustInvertedPendulum-2d-v0")
    twin.reset(seed=0, options={"polemass": 5.0, "cartmass": 5.0})
    agent, adversary = np.array([1.0], np.float32), np.array([-1.0], np.float32)
    acted = []
    for _ in range(200):
        obs, reward, terminated, truncated, info = env.step((agent, adversary))
        if mixing == "probabilistic":
            acted.append(info["adversary_acted"])
            executed = adversary if acted[-1] else agent
        else:
            executed = np.array([0.75 * 1.0 + 0.25 * -1.0], np.float32)
        np.testing.assert_array_equal(obs, twin.step(executed)[0])
        assert info["adversarial_reward"] == -reward
        if terminated or truncated:
            env.reset()
            twin.reset()
    if mixing == "probabilistic":
        assert 0.15 < np.mean(acted) < 0.35
    with pytest.raises(ValueError, match="alpha must be"):
        ProbabilisticActionRobust(base, alpha=1.5)
    with pytest.raises(ValueError, match="mixing must be"):
        ProbabilisticActionRobust(base, mixing="blend")
