"""Top-down NumPy images of LPG levels and mazes (headless-safe, no pygame needed)."""

from __future__ import annotations

import numpy as np

from rlenvs.gridworld import _kernels as K
from rlenvs.gridworld._common import wall_grid

FLOOR_RGB = np.array([235, 235, 235], dtype=np.uint8)
WALL_RGB = np.array([70, 70, 80], dtype=np.uint8)
AGENT_RGB = np.array([220, 30, 30], dtype=np.uint8)
GOAL_RGB = np.array([40, 170, 60], dtype=np.uint8)
VIEW_RGB = np.array([250, 240, 190], dtype=np.uint8)
TYPE_RGB = np.array([[40, 170, 60], [214, 39, 40], [255, 127, 14], [148, 103, 189], [23, 150, 207]], dtype=np.uint8)


def _disc(cell: int) -> tuple[np.ndarray, np.ndarray]:
    yy, xx = np.mgrid[0:cell, 0:cell]
    r2 = (yy - (cell - 1) / 2) ** 2 + (xx - (cell - 1) / 2) ** 2
    return r2 <= (cell * 0.35) ** 2, (r2 <= (cell * 0.35) ** 2) & (r2 >= (cell * 0.22) ** 2)


def _triangle(cell: int, heading: int) -> np.ndarray:
    yy, xx = np.mgrid[0:cell, 0:cell]
    u, v = (xx - (cell - 1) / 2) / (cell / 2), (yy - (cell - 1) / 2) / (cell / 2)
    fwd = u * K.DX[heading] + v * K.DY[heading]
    lat = np.abs(-u * K.DY[heading] + v * K.DX[heading])
    return (fwd <= 0.8) & (fwd >= -0.7) & (lat <= (0.8 - fwd) * 0.5)


def _block(image: np.ndarray, row: int, col: int, cell: int) -> np.ndarray:
    return image[row * cell:(row + 1) * cell, col * cell:(col + 1) * cell]


def lpg_image(params: np.ndarray, state: np.ndarray, cell: int = 24) -> np.ndarray:
    """``(g * cell, g * cell, 3)`` uint8: walls, each object a disc in its type's colour (a ring while it is
    collected), the agent a red square."""
    g = int(params[K.L_GRID])
    walls = wall_grid(params[K.L_WALLS:K.L_WALLS + K.W])[:g, :g]
    rgb = np.where(walls[..., None], WALL_RGB, FLOOR_RGB).astype(np.uint8)
    image = np.repeat(np.repeat(rgb, cell, axis=0), cell, axis=1)
    disc, ring = _disc(cell)
    mask = int(state[K.LS_MASK])
    for k in range(int(params[K.L_NOBJ])):
        c = int(params[K.L_OBJ_CELL + k])
        colour = TYPE_RGB[int(params[K.L_OBJ_TYPE + k])]
        _block(image, c // K.W, c % K.W, cell)[disc if (mask >> k) & 1 else ring] = colour
    c = int(state[K.LS_CELL])
    margin = cell // 5
    _block(image, c // K.W, c % K.W, cell)[margin:cell - margin, margin:cell - margin] = AGENT_RGB
    return image


def maze_image(params: np.ndarray, state: np.ndarray, cell: int = 16) -> np.ndarray:
    """``(13 * cell, 13 * cell, 3)`` uint8: walls, the goal, the 5x5 view tinted, the agent a red triangle."""
    size = K.MAZE
    walls = wall_grid(params[K.M_WALLS:K.M_WALLS + size])
    rgb = np.where(walls[..., None], WALL_RGB, FLOOR_RGB).astype(np.uint8)
    x, y, d = int(state[K.MS_X]), int(state[K.MS_Y]), int(state[K.MS_DIR])
    for ahead in range(K.VIEW):
        for side in range(-(K.VIEW // 2), K.VIEW // 2 + 1):
            vx, vy = x + ahead * K.DX[d] - side * K.DY[d], y + ahead * K.DY[d] + side * K.DX[d]
            if 0 <= vx < size and 0 <= vy < size and not walls[vy, vx]:
                rgb[vy, vx] = VIEW_RGB
    rgb[int(params[K.M_GOAL + 1]), int(params[K.M_GOAL])] = GOAL_RGB
    image = np.repeat(np.repeat(rgb, cell, axis=0), cell, axis=1)
    _block(image, y, x, cell)[_triangle(cell, d)] = AGENT_RGB
    return image
