"""Play a grid world with the keyboard: ``rlenvs play rlenvs/Maze-v0`` or ``rlenvs play rlenvs/LPGGrid-v0``.

Maze: left / A turn left, right / D turn right, up / W forward. LPGGrid: arrows or W A S D move, space
waits. Esc or closing the window quits. The caption shows the step, the return and the level's optimal
return. Headless-safe: with ``SDL_VIDEODRIVER=dummy`` it runs without a display (``keys`` and
``max_steps`` script a session).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

import rlenvs


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
    import pygame

    env = rlenvs.make(env_id, render_mode="rgb_array")
    keymap, optimal = _controls(env.unwrapped)
    pygame.init()
    pygame.display.init()
    clock = pygame.time.Clock()
    screen = None
    steps, returns = 0, []
    quit_all = False
    try:
        for episode in range(episodes):
            env.reset(seed=seed + episode)
            best = optimal()
            total, done, t = 0.0, False, 0
            while not done and not quit_all:
                image = np.repeat(np.repeat(env.render(), scale, axis=0), scale, axis=1)
                size = (image.shape[1], image.shape[0])
                if screen is None or screen.get_size() != size:
                    screen = pygame.display.set_mode(size)
                screen.blit(pygame.surfarray.make_surface(np.transpose(image, (1, 0, 2))), (0, 0))
                pygame.display.set_caption(f"{env_id}  step {t}  return {total:.2f}  optimal {best:.2f}")
                pygame.display.flip()
                if keys is not None:
                    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=int(keys[steps % len(keys)])))
                action = None
                for event in pygame.event.get():
                    if event.type == pygame.QUIT or (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE):
                        quit_all = True
                    elif event.type == pygame.KEYDOWN and event.key in keymap:
                        action = keymap[event.key]
                if action is None:
                    clock.tick(fps)
                    continue
                _, reward, terminated, truncated, _ = env.step(action)
                total += float(reward)
                steps += 1
                t += 1
                done = terminated or truncated
                if max_steps is not None and steps >= max_steps:
                    quit_all = True
            returns.append(total)
            if quit_all:
                break
    finally:
        env.close()
        pygame.display.quit()
        pygame.quit()
    return {"steps": steps, "returns": returns}
