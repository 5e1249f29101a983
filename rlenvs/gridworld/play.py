"""Play a grid world with the keyboard: ``rlenvs play rlenvs/Maze-v0`` or ``rlenvs play rlenvs/LPGGrid-v0``.

Maze: left / A turn left, right / D turn right, up / W forward. LPGGrid: arrows or W A S D move, space
waits. Esc or closing the window quits. The caption shows the step, the return and the level's optimal
return. Headless-safe: with ``SDL_VIDEODRIVER=dummy`` it runs without a display (``keys`` and
``max_steps`` script a session).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import rlenvs
from rlenvs.core.play import keyboard_play


def _controls(env) -> tuple[dict[int, int], Callable[[], float]]:
    """The key -> action map of ``env`` and a function giving the optimal return of its current level."""
    import pygame

    from rlenvs.gridworld.lpg import LPGGridEnv
    from rlenvs.gridworld.maze import MazeEnv

    if isinstance(env, MazeEnv):
        keys = {pygame.K_LEFT: 0, pygame.K_a: 0, pygame.K_RIGHT: 1, pygame.K_d: 1, pygame.K_UP: 2, pygame.K_w: 2}
        return keys, lambda: env.task.optimal_return(env.max_steps)
    if isinstance(env, LPGGridEnv):
        keys = {pygame.K_UP: 0, pygame.K_w: 0, pygame.K_DOWN: 1, pygame.K_s: 1, pygame.K_LEFT: 2, pygame.K_a: 2,
                pygame.K_RIGHT: 3, pygame.K_d: 3, pygame.K_SPACE: 4}
        return keys, lambda: env.task.optimal_return()
    raise ValueError(f"{type(env).__name__} has no picture to play; rlenvs play supports Maze and LPGGrid ids")


def play(env_id: str = "rlenvs/Maze-v0", seed: int = 0, episodes: int = 1, *, max_steps: int | None = None,
         keys: Sequence[int] | None = None, fps: int = 30, scale: int = 2) -> dict:
    """Play ``episodes`` episodes of ``env_id`` from ``seed``; return ``{"steps", "returns"}``.

    ``keys`` (pygame key codes, cycled) replaces the keyboard, one key per step; ``max_steps`` ends the
    session after that many env steps.
    """
    env = rlenvs.make(env_id, render_mode="rgb_array")
    _controls(env.unwrapped)  # refuse envs without a picture before opening a window
    best = [0.0]

    def on_reset():
        best[0] = _controls(env.unwrapped)[1]()

    def caption(total, t, info):
        return f"{env_id}  step {t}  return {total:.2f}  optimal {best[0]:.2f}"

    result = keyboard_play(env, lambda pygame: _controls(env.unwrapped)[0], caption, seed=seed, episodes=episodes,
                           max_steps=max_steps, keys=keys, fps=fps, scale=scale, on_reset=on_reset)
    return {"steps": result["steps"], "returns": result["returns"]}
