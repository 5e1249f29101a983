"""The keyboard play loop that the families' ``play`` modules share (``rlenvs play ID``).

Headless-safe: with ``SDL_VIDEODRIVER=dummy`` it runs without a display, and ``keys`` scripts a session.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np


def keyboard_play(env, keymap: Callable[[Any], Mapping[int, int]], caption: Callable[[float, int, dict], str], *,
                  seed: int = 0, episodes: int = 1, max_steps: int | None = None, keys: Sequence[int] | None = None,
                  fps: int = 30, scale: int = 2, on_reset: Callable[[], None] | None = None) -> dict[str, Any]:
    """Play ``episodes`` episodes of the ``rgb_array`` env ``env`` from ``seed`` in a pygame window.

    ``keymap(pygame)`` maps key codes to actions; ``caption(return, step, last_info)`` is the window title;
    ``on_reset()`` runs after each reset. Esc or closing the window quits. ``keys`` (pygame key codes,
    cycled) replaces the keyboard, one key per step; ``max_steps`` ends the session after that many env
    steps. Returns ``{"steps", "returns", "infos"}`` (every step's info).
    """
    import pygame

    pygame.init()
    pygame.display.init()
    actions = keymap(pygame)
    clock = pygame.time.Clock()
    screen = None
    steps, returns, infos = 0, [], []
    quit_all = False
    try:
        for episode in range(episodes):
            env.reset(seed=seed + episode)
            if on_reset is not None:
                on_reset()
            total, done, t, info = 0.0, False, 0, {}
            while not done and not quit_all:
                image = np.repeat(np.repeat(env.render(), scale, axis=0), scale, axis=1)
                size = (image.shape[1], image.shape[0])
                if screen is None or screen.get_size() != size:
                    screen = pygame.display.set_mode(size)
                screen.blit(pygame.surfarray.make_surface(np.transpose(image, (1, 0, 2))), (0, 0))
                pygame.display.set_caption(caption(total, t, info))
                pygame.display.flip()
                if keys is not None:
                    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=int(keys[steps % len(keys)])))
                action = None
                for event in pygame.event.get():
                    if event.type == pygame.QUIT or (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE):
                        quit_all = True
                    elif event.type == pygame.KEYDOWN and event.key in actions:
                        action = actions[event.key]
                if action is None:
                    clock.tick(fps)
                    continue
                _, reward, terminated, truncated, info = env.step(action)
                infos.append(info)
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
    return {"steps": steps, "returns": returns, "infos": infos}
