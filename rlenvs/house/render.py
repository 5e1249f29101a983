"""Top-down NumPy rendering of a HouseNav house (no OpenGL, headless-safe)."""

from __future__ import annotations

import numpy as np

from rlenvs.house import _kernels as K

CELL = 12
TINTS = np.array([[235, 235, 235], [250, 228, 196], [214, 234, 248], [232, 218, 239], [209, 242, 235],
                  [252, 243, 207], [229, 232, 232]], dtype=np.uint8)  # index 0: no room (doors)
WALL_RGB = np.array([60, 60, 70], dtype=np.uint8)
DOOR_RGB = np.array([170, 120, 60], dtype=np.uint8)
FURN_RGB = np.array([140, 100, 70], dtype=np.uint8)
AGENT_RGB = np.array([220, 30, 30], dtype=np.uint8)
# one colour per category 1..20 (HSV wheel), index 0 unused
_H = np.arange(20) / 20.0
CATEGORY_RGB = np.zeros((21, 3), dtype=np.uint8)
CATEGORY_RGB[1:] = (255 * np.stack([0.5 + 0.5 * np.cos(2 * np.pi * (_H + s)) for s in (0.0, 1 / 3, 2 / 3)], 1)
                    ).astype(np.uint8)


def top_down(maps: np.ndarray, state: np.ndarray, cell: int = CELL) -> np.ndarray:
    """``(H * cell, W * cell, 3)`` uint8 image: tinted floors, walls, doors, furniture with its object (a dot in
    the category's colour; targets get a red ring) and the agent as a red triangle pointing its heading."""
    h, w = int(state[K.S_H]), int(state[K.S_W])
    tile, cat, tint = maps[0, :h, :w], maps[1, :h, :w], maps[2, :h, :w]
    rgb = TINTS[tint].copy()
    rgb[tile == K.WALL] = WALL_RGB
    rgb[tile == K.DOOR] = DOOR_RGB
    rgb[tile == K.FURN] = FURN_RGB
    image = np.repeat(np.repeat(rgb, cell, axis=0), cell, axis=1)
    yy, xx = np.mgrid[0:cell, 0:cell]
    centre = (cell - 1) / 2.0
    r2 = (yy - centre) ** 2 + (xx - centre) ** 2
    dot = r2 <= (cell * 0.3) ** 2
    ring = (r2 <= (cell * 0.48) ** 2) & ~(r2 <= (cell * 0.36) ** 2)
    target = int(state[K.S_CAT])
    for y, x in zip(*np.nonzero(cat), strict=True):
        block = image[y * cell:(y + 1) * cell, x * cell:(x + 1) * cell]
        block[dot] = CATEGORY_RGB[cat[y, x]]
        if cat[y, x] == target:
            block[ring] = AGENT_RGB
    # agent: a triangle pointing along its heading
    ax, ay, d = int(state[K.S_X]), int(state[K.S_Y]), int(state[K.S_DIR])
    u = (xx - centre) / (cell / 2.0)  # along +x
    v = (yy - centre) / (cell / 2.0)  # along +y
    fwd = u * K.DX[d] + v * K.DY[d]
    lat = np.abs(-u * K.DY[d] + v * K.DX[d])
    tri = (fwd <= 0.8) & (fwd >= -0.7) & (lat <= (0.8 - fwd) * 0.5)
    image[ay * cell:(ay + 1) * cell, ax * cell:(ax + 1) * cell][tri] = AGENT_RGB
    return image


def egocentric(obs: np.ndarray, cell: int = 16) -> np.ndarray:
    """``(V * cell, V * cell, 3)`` uint8 image of the ``view`` part of an observation (agent at the bottom
    centre, facing up): unseen cells black, floors in their room tint, objects as dots, the agent a triangle."""
    view = np.asarray(obs[K.O_VIEW:K.O_DEPTH]).reshape(K.V, K.V, 3).astype(np.int64)
    code, cat, tint = view[..., 0], view[..., 1], view[..., 2]
    rgb = np.zeros((K.V, K.V, 3), dtype=np.uint8)
    rgb[code == 1 + K.FLOOR] = TINTS[tint[code == 1 + K.FLOOR]]
    rgb[code == 1 + K.WALL] = WALL_RGB
    rgb[code == 1 + K.DOOR] = DOOR_RGB
    rgb[code == 1 + K.FURN] = FURN_RGB
    image = np.repeat(np.repeat(rgb, cell, axis=0), cell, axis=1)
    yy, xx = np.mgrid[0:cell, 0:cell]
    centre = (cell - 1) / 2.0
    dot = (yy - centre) ** 2 + (xx - centre) ** 2 <= (cell * 0.3) ** 2
    for vy, vx in zip(*np.nonzero(cat), strict=True):
        image[vy * cell:(vy + 1) * cell, vx * cell:(vx + 1) * cell][dot] = CATEGORY_RGB[cat[vy, vx]]
    v = (yy - centre) / (cell / 2.0)
    u = np.abs((xx - centre) / (cell / 2.0))
    tri = (v >= -0.8) & (v <= 0.7) & (u <= (v + 0.8) * 0.5)
    ay, ax = K.V - 1, K.V // 2
    image[ay * cell:(ay + 1) * cell, ax * cell:(ax + 1) * cell][tri] = AGENT_RGB
    return image
