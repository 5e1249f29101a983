"""``LearnedRewardWrapper``: score responses with a learned reward model instead of the gold reward."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import gymnasium as gym
import numpy as np

RewardFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


class LearnedRewardWrapper(gym.Wrapper):
    """Replace the gold reward of each scored response by ``reward_fn(prompts, responses)``.

    Works with every env of :mod:`rlenvs.preference` that scores responses (``PrefBandit-v0`` on every step,
    ``SynthSumm-v0`` and ``SeqInstruct-v0`` on the last step of a generation): where the env's step info
    holds ``gold_reward``, the wrapper calls ``reward_fn`` on the batch of one ``(prompt, response)`` pair
    that ``env.unwrapped.scored_response()`` returns (arrays with a leading batch axis of 1, the form the
    env's batched array API uses) and returns its score as the reward. The gold reward stays in
    ``info["gold_reward"]``; ``info["learned_reward"]`` repeats the learned one. Other steps pass through.

    ``reward_fn`` may also be a sequence of reward functions, one per round of iterative RLHF: the env's
    current round (``PrefBandit``'s ``reset(options={"round": k})``, else 0) picks ``reward_fn[k]``.
    """

    def __init__(self, env: gym.Env, reward_fn: RewardFn | Sequence[RewardFn]):
        super().__init__(env)
        if isinstance(reward_fn, Sequence):
            if not reward_fn or not all(callable(f) for f in reward_fn):
                raise TypeError("reward_fn must be a callable or a non-empty sequence of callables (one per round)")
        elif not callable(reward_fn):
            raise TypeError(f"reward_fn must be callable, got {type(reward_fn).__name__}")
        if not hasattr(env.unwrapped, "scored_response"):
            raise TypeError(f"{type(env.unwrapped).__name__} does not score responses (no scored_response())")
        self.reward_fn = reward_fn

    def _fn(self, round_: int) -> RewardFn:
        if not isinstance(self.reward_fn, Sequence):
            return self.reward_fn
        if round_ >= len(self.reward_fn):
            raise ValueError(f"round {round_} has no reward function: {len(self.reward_fn)} given")
        return self.reward_fn[round_]

    def step(self, action):
        obs, reward, terminated, truncated, info = self.env.step(action)
        if "gold_reward" in info:
            prompt, response = self.env.unwrapped.scored_response()
            score = np.asarray(self._fn(int(info.get("round", 0)))(prompt[None], response[None]), dtype=np.float64)
            if score.size != 1:
                raise ValueError(f"reward_fn must return one score per pair, got shape {score.shape} for 1 pair")
            reward = float(score.reshape(-1)[0])
            info = {**info, "learned_reward": reward}
        return obs, reward, terminated, truncated, info
