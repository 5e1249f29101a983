"""Scripted reference policies for the robust leaderboards (``rlenvs evaluate --policy module:factory``)."""

from __future__ import annotations

import numpy as np

#: Feedback gains on InvertedPendulum's observation (cart position, pole angle, cart velocity, pole angular
#: velocity). Chosen by a grid search over M2TD3's 2-D set (pole mass 1-31, cart mass 1-11): they hold the
#: pole up for all 1000 steps at every point of its 100-point grid.
PENDULUM_GAINS = (0.5, 8.0, 0.2, 0.5)


class LinearFeedback:
    """``action = clip(obs @ gains)``: a fixed linear state-feedback controller for one-dimensional actions."""

    def __init__(self, envs, gains):
        space = envs.single_action_space
        if space.shape != (1,) or envs.single_observation_space.shape != (len(gains),):
            raise ValueError(f"{len(gains)} gains need a ({len(gains)},) observation and a (1,) action, got "
                             f"{envs.single_observation_space.shape} and {space.shape}")
        self.gains, self.space = np.asarray(gains, np.float64), space

    def act(self, obs):
        action = np.clip(np.asarray(obs) @ self.gains, self.space.low[0], self.space.high[0])
        return action[:, None].astype(self.space.dtype)


def inverted_pendulum_balance(envs) -> LinearFeedback:
    """The balancing controller of :data:`PENDULUM_GAINS` for ``RobustInvertedPendulum-*``."""
    return LinearFeedback(envs, PENDULUM_GAINS)
