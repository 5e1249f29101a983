"""Watch a SMAX match in a pygame window: ``rlenvs play rlenvs/SMAX-3m-v0``.

The allies (blue) and the enemies (red) both follow JaxMARL's heuristic; a unit's colour darkens as it loses
health and a thin line joins it to the unit it attacked (see :func:`rlenvs.smax.env.render_frame`). Space
pauses, Esc or closing the window quits. Headless-safe: with ``SDL_VIDEODRIVER=dummy`` it runs without a
display (``max_steps`` bounds a scripted session).
"""

from __future__ import annotations

import numpy as np

import rlenvs


def play(env_id: str = "rlenvs/SMAX-3m-v0", seed: int = 0, episodes: int = 1, *, max_steps: int | None = None,
         fps: int = 4, scale: int = 2) -> dict:
    """Show ``episodes`` matches of ``env_id`` from ``seed``; return ``{"steps", "returns", "outcomes"}``."""
    import pygame

    env = rlenvs.make_parallel(env_id, render_mode="rgb_array")
    pygame.init()
    pygame.display.init()
    clock = pygame.time.Clock()
    screen = None
    steps, returns, outcomes = 0, [], []
    quit_all, paused = False, False
    try:
        for episode in range(episodes):
            env.reset(seed=seed + episode)
            total, outcome = 0.0, "running"
            while env.agents and not quit_all:
                image = np.repeat(np.repeat(env.render(), scale, axis=0), scale, axis=1)
                size = (image.shape[1], image.shape[0])
                if screen is None or screen.get_size() != size:
                    screen = pygame.display.set_mode(size)
                screen.blit(pygame.surfarray.make_surface(np.transpose(image, (1, 0, 2))), (0, 0))
                pygame.display.set_caption(f"{env_id}  episode {episode}  step {int(env.core.episode_step[0])}  "
                                           f"return {total:.2f}{'  (paused)' if paused else ''}")
                pygame.display.flip()
                for event in pygame.event.get():
                    if event.type == pygame.QUIT or (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE):
                        quit_all = True
                    elif event.type == pygame.KEYDOWN and event.key == pygame.K_SPACE:
                        paused = not paused
                clock.tick(fps)
                if paused or quit_all:
                    continue
                acts = env.core.heuristic(0)[0]
                actions = {a: int(acts[k]) for k, a in enumerate(env.possible_agents) if a in env.agents}
                _, rewards, _, _, infos = env.step(actions)
                total += next(iter(rewards.values()))
                outcome = next(iter(infos.values()))["outcome"]
                steps += 1
                if max_steps is not None and steps >= max_steps:
                    quit_all = True
            returns.append(total)
            outcomes.append(outcome)
            if quit_all:
                break
    finally:
        env.close()
        pygame.quit()
    return {"steps": steps, "returns": returns, "outcomes": outcomes}
