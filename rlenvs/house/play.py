"""Drive a HouseNav agent with the keyboard: ``rlenvs play rlenvs/HouseNav-v0``.

Keys: up / W forward, left / A turn left, right / D turn right, space / S stop, Esc or closing the window
quits. The window shows the top-down house (the target's instances ringed in red) and the caption the
target category, the sub-task index and the last sub-task's result. Headless-safe: with
``SDL_VIDEODRIVER=dummy`` it runs without a display (``keys`` and ``max_steps`` script a session).
"""

from __future__ import annotations

from collections.abc import Sequence

import rlenvs
from rlenvs.core.play import keyboard_play


def play(env_id: str = "rlenvs/HouseNav-v0", seed: int = 0, episodes: int = 1, *, max_steps: int | None = None,
         keys: Sequence[int] | None = None, fps: int = 30, scale: int = 2) -> dict:
    """Play ``episodes`` trials of ``env_id`` from ``seed``; return ``{"steps", "returns", "subtasks"}``.

    ``keys`` (pygame key codes, cycled) replaces the keyboard, one key per step; ``max_steps`` ends the
    session after that many env steps.
    """
    env = rlenvs.make(env_id, render_mode="rgb_array")
    last = [""]

    def keymap(pygame):
        return {pygame.K_UP: 0, pygame.K_w: 0, pygame.K_LEFT: 1, pygame.K_a: 1, pygame.K_RIGHT: 2, pygame.K_d: 2,
                pygame.K_SPACE: 3, pygame.K_s: 3}

    def caption(total, t, info):
        if "subtask" in info:
            sub = info["subtask"]
            last[0] = f"last: {'success' if sub['success'] else 'fail'} (SPL {sub['spl']:.2f})"
        u = env.unwrapped
        return f"{env_id}  target: category {u.target}  sub-task {int(u._state[0, 6])}  return {total:.2f}  {last[0]}"

    result = keyboard_play(env, keymap, caption, seed=seed, episodes=episodes, max_steps=max_steps, keys=keys,
                           fps=fps, scale=scale)
    subtasks = [info["subtask"] for info in result.pop("infos") if "subtask" in info]
    return {**result, "subtasks": subtasks}
