"""Drive a HouseNav agent with the keyboard: ``rlenvs play rlenvs/HouseNav-v0``.

Keys: up / W forward, left / A turn left, right / D turn right, space / S stop, Esc or closing the window
quits. The window shows the top-down house (the target's instances ringed in red) and the caption the
target category, the sub-task index and the last sub-task's result. Headless-safe: with
``SDL_VIDEODRIVER=dummy`` it runs without a display (``keys`` and ``max_steps`` script a session).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import rlenvs


def play(env_id: str = "rlenvs/HouseNav-v0", seed: int = 0, episodes: int = 1, *, max_steps: int | None = None,
         keys: Sequence[int] | None = None, fps: int = 30, scale: int = 2) -> dict:
    """Play ``episodes`` trials of ``env_id`` from ``seed``; return ``{"steps", "returns", "subtasks"}``.

    ``keys`` (pygame key codes, cycled) replaces the keyboard, one key per step; ``max_steps`` ends the
    session after that many env steps.
    """
    import pygame

    keymap = {pygame.K_UP: 0, pygame.K_w: 0, pygame.K_LEFT: 1, pygame.K_a: 1, pygame.K_RIGHT: 2, pygame.K_d: 2,
              pygame.K_SPACE: 3, pygame.K_s: 3}
    env = rlenvs.make(env_id, render_mode="rgb_array")
    pygame.init()
    pygame.display.init()
    clock = pygame.time.Clock()
    screen = None
    steps, returns, subtasks = 0, [], []
    quit_all = False
    try:
        for episode in range(episodes):
            obs, info = env.reset(seed=seed + episode)
            total, done, last = 0.0, False, ""
            while not done and not quit_all:
                image = np.repeat(np.repeat(env.render(), scale, axis=0), scale, axis=1)
                size = (image.shape[1], image.shape[0])
                if screen is None or screen.get_size() != size:
                    screen = pygame.display.set_mode(size)
                screen.blit(pygame.surfarray.make_surface(np.transpose(image, (1, 0, 2))), (0, 0))
                u = env.unwrapped
                pygame.display.set_caption(f"{env_id}  target: category {u.target}  sub-task "
                                           f"{int(u._state[0, 6])}  return {total:.2f}  {last}")
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
                obs, reward, terminated, truncated, info = env.step(action)
                total += float(reward)
                steps += 1
                if "subtask" in info:
                    sub = info["subtask"]
                    subtasks.append(sub)
                    last = f"last: {'success' if sub['success'] else 'fail'} (SPL {sub['spl']:.2f})"
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
    return {"steps": steps, "returns": returns, "subtasks": subtasks}
