"""HouseNav kernels: house generation, BFS distance fields, the occluded view, DDA rays and the step.

Everything is a plain ``@njit(cache=True)`` function over arrays. One env's whole state lives in rows of
a few arrays (index ``i``), so the single env (``N = 1``) and the batched env call the same functions:

- ``state`` ``int64[N, NS]``: pose, sub-task bookkeeping, metrics of the last finished sub-task and the
  house's sizes / present categories (column indices ``S_*`` below);
- ``maps`` ``uint8[N, HM, WM, 4]``: per cell (interleaved, so a view touches few cache lines): tile
  (``FLOOR, WALL, DOOR, FURN``), object category (0 = none, 1..20), room tint (0 = none, 1..6) and
  reachability (1 = a free cell connected to the rooms); Python code reads it through :func:`planar`;
- ``dist`` ``int16[N, MAXP, HM, WM]``: per present category (slot ``k < n_present``) the BFS distance ``D``
  of each free cell to the category: 1 next to an instance, -1 for non-free or unreachable cells; computed
  by :func:`ensure_field` at the first sub-task of the house that targets the category (bit ``k`` of
  ``state[i, S_FIELDS]``);
- ``spawn`` ``int32[N, HM * WM]``: the reachable floor cells (``y * WM + x``), ``state[i, S_NSPAWN]`` of them;
- ``cfg`` ``float64[NC]``: the variant's settings (``C_*``); ``raydirs`` ``float64[4, K, 4]``: per heading and
  ray the direction ``(cx, cy)`` and ``(|1/cx|, |1/cy|)`` (1e30 for a zero component).

Randomness: the house comes from its own counter stream keyed by ``house_seed`` (so a house is a pure
function of its task); the sub-task draws (target slot, spawn cell, heading, in that order) come from the
env's counter stream ``rng[i]``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from rlenvs.core._kernels import begin_task
from rlenvs.core.rng import rng_integers, rng_uniform

HM = 41  # grid rows / cols allocated per env: 4 rooms of 9 interior cells plus walls
WM = 41
MAXP = 20  # present-category slots
NCAT = 20  # object categories (ReLIC's 20 YCB classes)
NROOMTYPES = 6  # kitchen, living, bedroom, bath, office, hall
V = 7  # egocentric view size
K = 16  # rays
NACT = 4

FLOOR, WALL, DOOR, FURN = 0, 1, 2, 3
DX = np.array([1, 0, -1, 0], dtype=np.int64)  # headings: 0 east (+x), 1 south (+y), 2 west, 3 north
DY = np.array([0, 1, 0, -1], dtype=np.int64)

# state columns
S_X, S_Y, S_DIR, S_CAT, S_SLOT, S_SUBSTEPS, S_SUBINDEX, S_D0, S_PATH = 0, 1, 2, 3, 4, 5, 6, 7, 8
S_PREVACT, S_PREVSUCC, S_SUBSTART, S_ELAPSED, S_H, S_W, S_NPRES, S_NSPAWN = 9, 10, 11, 12, 13, 14, 15, 16
S_VISIBLE, S_SEEN, S_TARGETED, S_FIRST, S_SEENBEFORE, S_ENDED = 17, 18, 19, 20, 21, 22
# metrics of the sub-task that ended on the last step (valid when state[i, S_ENDED] == 1)
S_L_SUCCESS, S_L_STEPS, S_L_D0, S_L_PATH, S_L_DEND, S_L_TIMEOUT, S_L_WRONG = 23, 24, 25, 26, 27, 28, 29
S_L_CAT, S_L_FIRST, S_L_SEENBEFORE, S_L_INDEX, S_L_INCOMPLETE = 30, 31, 32, 33, 34
S_FIELDS = 35  # bit k: the distance field of slot k is computed
S_PRES = 40  # S_PRES + k: category of slot k
NS = S_PRES + MAXP

# cfg entries
C_TRIAL, C_MAXSUB, C_RADIUS, C_REQVIS, C_DARK, C_SUCC, C_SLACK, C_DISTR, C_WRONGPEN, C_RAYRANGE, C_SHAPING = range(11)
NC = 11

# observation layout (float32)
O_VIEW = 0
O_DEPTH = O_VIEW + V * V * 3
O_RAYCAT = O_DEPTH + K
O_GOAL = O_RAYCAT + K
O_POSE = O_GOAL + NCAT
O_PREVACT = O_POSE + 4
O_PREVSUCC = O_PREVACT + NACT + 1
O_SUBSTART = O_PREVSUCC + 1
OBS_DIM = O_SUBSTART + 1

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def planar(maps):
    """``(..., 4, HM, WM)`` view of the interleaved ``maps`` array (channel first, for NumPy code)."""
    return np.moveaxis(maps, -1, -3)


@njit(cache=True)
def house_key(seed):
    """SplitMix64 key of a house seed (same mixing as :func:`rlenvs.core.rng.seed_keys`)."""
    z = np.uint64(seed) + _GAMMA
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@njit(cache=True, inline="always")
def _free(tile):
    return tile == FLOOR or tile == DOOR


@njit(cache=True, inline="always")
def _opaque(tile):
    return tile == WALL or tile == FURN


@njit(cache=True)
def _find(parent, a):
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


@njit(cache=True)
def _perimeter_candidate(x, y, x0, y0, rw, rh, blocked, maps_i):
    """A non-corner cell on the inside perimeter of the room, free and not in front of a door."""
    if x < x0 or x > x0 + rw - 1 or y < y0 or y > y0 + rh - 1:
        return False
    on_x_edge = x == x0 or x == x0 + rw - 1
    on_y_edge = y == y0 or y == y0 + rh - 1
    if on_x_edge == on_y_edge:  # a corner, or not on the perimeter
        return False
    return not blocked[y, x] and maps_i[y, x, 0] == FLOOR


@njit(cache=True)
def _place_piece(hr, x0, y0, rw, rh, blocked, maps_i, cand):
    """Place one 1x1 or 1x2 piece of furniture along a wall of a room; return its cell count (0: no room)."""
    n = 0
    for x in range(x0 + 1, x0 + rw - 1):  # top and bottom rows, then left and right columns
        for y in (y0, y0 + rh - 1):
            if not blocked[y, x] and maps_i[y, x, 0] == FLOOR:
                cand[n] = y * WM + x
                n += 1
    for y in range(y0 + 1, y0 + rh - 1):
        for x in (x0, x0 + rw - 1):
            if not blocked[y, x] and maps_i[y, x, 0] == FLOOR:
                cand[n] = y * WM + x
                n += 1
    if n == 0:
        return 0
    cell = cand[rng_integers(hr, 0, n)]
    y = cell // WM
    x = cell - y * WM
    maps_i[y, x, 0] = FURN
    if rng_uniform(hr, 0) < 0.5:  # a 1x2 piece: extend along the wall
        if y == y0 or y == y0 + rh - 1:
            ex, ey = x + 1, y
        else:
            ex, ey = x, y + 1
        if _perimeter_candidate(ex, ey, x0, y0, rw, rh, blocked, maps_i):
            maps_i[ey, ex, 0] = FURN
            return 2
    return 1


@njit(cache=True)
def gen_house(i, p, state, maps, dist, spawn):
    """Generate env ``i``'s house from the task row ``p`` (see ``HouseTask``), constructively.

    Rooms on an ``rooms_y x rooms_x`` grid (interior sizes per room row / column uniform in
    ``[room_min, room_max]``, 1-cell walls); doors on a random spanning tree of the room adjacency
    (Kruskal over shuffled edges) plus every other shared wall with probability ``p_loop``, each door at a
    uniform offset that is not a wall end; room types uniform over 6 tints; 1-2 furniture pieces (1x1 or
    1x2) per room on non-corner wall-side cells that are not in front of a door, plus more until every
    planned instance has a cell; ``n_present`` distinct categories with 1..``max_instances`` instances on
    furniture cells. Every furniture cell touches a room's inner cells, so every object is reachable.
    """
    hr = np.zeros((1, 2), dtype=np.uint64)
    hr[0, 0] = house_key(np.uint64(np.int64(p[0])))
    ny = int(p[1])
    nx = int(p[2])
    smin = int(p[3])
    smax = int(p[4])
    npres = int(p[5])
    maxi = int(p[6])
    ploop = p[7]
    maps_i = maps[i]
    rw = np.empty(nx, dtype=np.int64)
    rh = np.empty(ny, dtype=np.int64)
    x0 = np.empty(nx, dtype=np.int64)
    y0 = np.empty(ny, dtype=np.int64)
    pos = 1
    for c in range(nx):
        rw[c] = smin + rng_integers(hr, 0, smax - smin + 1)
        x0[c] = pos
        pos += rw[c] + 1
    w = pos
    pos = 1
    for r in range(ny):
        rh[r] = smin + rng_integers(hr, 0, smax - smin + 1)
        y0[r] = pos
        pos += rh[r] + 1
    h = pos
    maps_i[:, :, 0] = WALL
    maps_i[:, :, 1] = 0
    maps_i[:, :, 2] = 0
    maps_i[:, :, 3] = 0
    for r in range(ny):
        for c in range(nx):
            tint = 1 + rng_integers(hr, 0, NROOMTYPES)
            for y in range(y0[r], y0[r] + rh[r]):
                for x in range(x0[c], x0[c] + rw[c]):
                    maps_i[y, x, 0] = FLOOR
                    maps_i[y, x, 2] = tint
    # doors: spanning tree (Kruskal on shuffled edges) plus loops
    n_edges = ny * (nx - 1) + (ny - 1) * nx
    ea = np.empty(n_edges, dtype=np.int64)
    eb = np.empty(n_edges, dtype=np.int64)
    east = np.zeros(n_edges, dtype=np.bool_)
    e = 0
    for r in range(ny):
        for c in range(nx - 1):
            ea[e] = r * nx + c
            eb[e] = r * nx + c + 1
            east[e] = True
            e += 1
    for r in range(ny - 1):
        for c in range(nx):
            ea[e] = r * nx + c
            eb[e] = (r + 1) * nx + c
            e += 1
    order = np.arange(n_edges)
    for k in range(n_edges - 1, 0, -1):
        j = rng_integers(hr, 0, k + 1)
        t = order[k]
        order[k] = order[j]
        order[j] = t
    parent = np.arange(ny * nx)
    blocked = np.zeros((HM, WM), dtype=np.bool_)
    for k in range(n_edges):
        a = ea[order[k]]
        b = eb[order[k]]
        ra = _find(parent, a)
        rb = _find(parent, b)
        if ra != rb:
            parent[ra] = rb
        elif rng_uniform(hr, 0) >= ploop:
            continue
        r = a // nx
        c = a - r * nx
        if east[order[k]]:  # east neighbour: door in the vertical wall
            dx_ = x0[c] + rw[c]
            dy_ = y0[r] + 1 + rng_integers(hr, 0, rh[r] - 2)
            blocked[dy_, dx_ - 1] = True
            blocked[dy_, dx_ + 1] = True
        else:  # south neighbour: door in the horizontal wall
            dy_ = y0[r] + rh[r]
            dx_ = x0[c] + 1 + rng_integers(hr, 0, rw[c] - 2)
            blocked[dy_ - 1, dx_] = True
            blocked[dy_ + 1, dx_] = True
        maps_i[dy_, dx_, 0] = DOOR
    # instances planned per category slot; categories by a partial Fisher-Yates shuffle of 1..NCAT
    cats = np.arange(1, NCAT + 1)
    n_inst = np.empty(npres, dtype=np.int64)
    total = 0
    for k in range(npres):
        j = k + rng_integers(hr, 0, NCAT - k)
        t = cats[k]
        cats[k] = cats[j]
        cats[j] = t
        n_inst[k] = 1 + rng_integers(hr, 0, maxi)
        total += n_inst[k]
    # furniture
    nrooms = ny * nx
    cand = np.empty(HM * WM, dtype=np.int64)
    n_furn = 0
    for room in range(nrooms):
        r = room // nx
        c = room - r * nx
        pieces = 1 + rng_integers(hr, 0, 2)
        for _ in range(pieces):
            n_furn += _place_piece(hr, x0[c], y0[r], rw[c], rh[r], blocked, maps_i, cand)
    room = 0
    fails = 0
    while n_furn < total and fails < nrooms:
        r = room // nx
        c = room - r * nx
        got = _place_piece(hr, x0[c], y0[r], rw[c], rh[r], blocked, maps_i, cand)
        fails = 0 if got > 0 else fails + 1
        n_furn += got
        room = (room + 1) % nrooms
    # objects on furniture: one instance of every category first, then the extra ones, each on a cell drawn
    # uniformly from the furniture cells still empty (a partial Fisher-Yates shuffle of the furniture list)
    n = 0
    for y in range(h):
        for x in range(w):
            if maps_i[y, x, 0] == FURN:
                cand[n] = y * WM + x
                n += 1
    for rnd in range(maxi):
        for k in range(npres):
            if n_inst[k] <= rnd:
                continue
            if n == 0:
                n_inst[k] = rnd
                continue
            j = rng_integers(hr, 0, n)
            cell = cand[j]
            n -= 1
            cand[j] = cand[n]
            maps_i[cell // WM, cell % WM, 1] = cats[k]
    state[i, S_H] = h
    state[i, S_W] = w
    state[i, S_NPRES] = npres
    for k in range(MAXP):
        state[i, S_PRES + k] = cats[k] if k < npres else 0
    # reachable floor cells (spawn list), from an inner cell of the first room. The BFS runs on flat
    # indices (y * WM + x); the border is wall, so a free cell's 4 neighbours are always inside the grid.
    free = np.zeros(HM * WM, dtype=np.bool_)
    for y in range(h):
        for x in range(w):
            free[y * WM + x] = _free(maps_i[y, x, 0])
    queue = np.empty(HM * WM, dtype=np.int64)
    reach = np.full(HM * WM, -1, dtype=np.int16)
    start = (y0[0] + 1) * WM + x0[0] + 1
    reach[start] = 0
    queue[0] = start
    _bfs_flat(free, queue, 1, reach)
    ns = 0
    for y in range(h):
        for x in range(w):
            if reach[y * WM + x] >= 0 and maps_i[y, x, 0] == FLOOR:
                spawn[i, ns] = y * WM + x
                ns += 1
    state[i, S_NSPAWN] = ns
    reach_map = maps_i[:, :, 3]
    for y in range(h):
        for x in range(w):
            if reach[y * WM + x] >= 0:
                reach_map[y, x] = 1
    state[i, S_FIELDS] = 0  # distance fields are computed at the first sub-task that targets them


@njit(cache=True)
def ensure_field(i, k, state, maps, dist):
    """Compute env ``i``'s distance field of slot ``k`` unless done since the house was generated.

    ``D`` = 1 on reachable free cells next to an instance of the slot's category, BFS steps beyond, -1 on
    cells that are not free or not reachable. About as costly as the rest of the house together, so it is
    done once per house and category, at the first sub-task that targets the category (spec section 3.5).
    """
    bit = 1 << k
    if state[i, S_FIELDS] & bit:
        return
    state[i, S_FIELDS] |= bit
    h = state[i, S_H]
    w = state[i, S_W]
    c = state[i, S_PRES + k]
    reach = maps[i].reshape(HM * WM, 4)[:, 3]
    field = dist[i, k].reshape(HM * WM)
    field[:] = -1
    queue = np.empty(HM * WM, dtype=np.int64)
    n = 0
    for y in range(h):
        for x in range(w):
            if maps[i, y, x, 1] != c:
                continue
            for d in range(4):
                cell = (y + DY[d]) * WM + x + DX[d]
                if reach[cell] and field[cell] < 0:
                    field[cell] = 1
                    queue[n] = cell
                    n += 1
    _bfs_flat(reach, queue, n, field)


@njit(cache=True)
def _bfs_flat(free, queue, head_n, out):
    """Breadth-first search over ``free`` flat cells from ``queue[:head_n]`` (already set in ``out``)."""
    head = 0
    tail = head_n
    while head < tail:
        cell = queue[head]
        head += 1
        d = out[cell] + 1
        for nb in (cell + 1, cell - 1, cell + WM, cell - WM):
            if out[nb] < 0 and free[nb]:
                out[nb] = d
                queue[tail] = nb
                tail += 1


@njit(cache=True, inline="always")
def _geo(i, state, dist, radius):
    """Geodesic distance (BFS steps) from the agent to the nearest success cell of its target."""
    d = dist[i, state[i, S_SLOT], state[i, S_Y], state[i, S_X]] - radius
    return d if d > 0 else 0


def new_scratch():
    """Work array of :func:`observe`: ``(4, V, V)`` int64 (tile code, visible flag, world x, world y)."""
    return np.zeros((4, V, V), dtype=np.int64)


@njit(cache=True, inline="always")
def observe(i, state, maps, cfg, raydirs, obs, scratch):
    """Write env ``i``'s observation; update its target-visible flag and seen-categories mask."""
    x = state[i, S_X]
    y = state[i, S_Y]
    d = state[i, S_DIR]
    h = state[i, S_H]
    w = state[i, S_W]
    dx = DX[d]
    dy = DY[d]
    rx = -dy
    ry = dx
    dark = cfg[C_DARK] != 0.0
    target = state[i, S_CAT]
    seen = state[i, S_SEEN]
    visible = 0
    for vr in range(V):
        for vc in range(V):
            scratch[1, vr, vc] = 0
    scratch[1, V - 1, V // 2] = 1
    # rows from the agent's row outwards: a row's visibility is final once the row below it and the row
    # itself have propagated (MiniGrid's process_vis), so each row is fetched, propagated and written in turn
    for vr in range(V - 1, -1, -1):
        f = V - 1 - vr
        bx = x + f * dx - (V // 2) * rx
        by = y + f * dy - (V // 2) * ry
        for vc in range(V):
            wx = bx + vc * rx
            wy = by + vc * ry
            scratch[0, vr, vc] = maps[i, wy, wx, 0] + 1 if (0 <= wx < w and 0 <= wy < h) else 0
        for vc in range(V - 1):
            if scratch[1, vr, vc] and (scratch[0, vr, vc] == FLOOR + 1 or scratch[0, vr, vc] == DOOR + 1):
                scratch[1, vr, vc + 1] = 1
                if vr > 0:
                    scratch[1, vr - 1, vc + 1] = 1
                    scratch[1, vr - 1, vc] = 1
        for vc in range(V - 1, 0, -1):
            if scratch[1, vr, vc] and (scratch[0, vr, vc] == FLOOR + 1 or scratch[0, vr, vc] == DOOR + 1):
                scratch[1, vr, vc - 1] = 1
                if vr > 0:
                    scratch[1, vr - 1, vc - 1] = 1
                    scratch[1, vr - 1, vc] = 1
        for vc in range(V):
            j = O_VIEW + (vr * V + vc) * 3
            if scratch[1, vr, vc] and scratch[0, vr, vc] > 0:
                wx = bx + vc * rx
                wy = by + vc * ry
                cat = int(maps[i, wy, wx, 1])
                if cat > 0:
                    seen |= 1 << (cat - 1)
                    if cat == target:
                        visible = 1
                if dark:
                    obs[i, j] = 0.0
                    obs[i, j + 1] = 0.0
                    obs[i, j + 2] = 0.0
                else:
                    obs[i, j] = scratch[0, vr, vc]
                    obs[i, j + 1] = cat
                    obs[i, j + 2] = maps[i, wy, wx, 2]
            else:
                obs[i, j] = 0.0
                obs[i, j + 1] = 0.0
                obs[i, j + 2] = 0.0
    state[i, S_SEEN] = seen
    state[i, S_VISIBLE] = visible
    # DDA rays from the cell centre to the first wall or furniture cell, range cfg[C_RAYRANGE] cells
    rng_max = cfg[C_RAYRANGE]
    ox = x + 0.5
    oy = y + 0.5
    for k in range(K):
        cx = raydirs[d, k, 0]
        cy = raydirs[d, k, 1]
        ddx = raydirs[d, k, 2]  # |1 / cx| (1e30 for cx == 0), precomputed by the shell
        ddy = raydirs[d, k, 3]
        mx = x
        my = y
        if cx > 0.0:
            sx = 1
            side_x = (mx + 1.0 - ox) * ddx
        elif cx < 0.0:
            sx = -1
            side_x = (ox - mx) * ddx
        else:
            sx = 0
            side_x = 1e30
        if cy > 0.0:
            sy = 1
            side_y = (my + 1.0 - oy) * ddy
        elif cy < 0.0:
            sy = -1
            side_y = (oy - my) * ddy
        else:
            sy = 0
            side_y = 1e30
        t = rng_max
        hit_cat = 0
        while True:
            if side_x < side_y:
                t_next = side_x
                side_x += ddx
                mx += sx
            else:
                t_next = side_y
                side_y += ddy
                my += sy
            if t_next >= rng_max:
                break
            if mx < 0 or my < 0 or mx >= w or my >= h or _opaque(maps[i, my, mx, 0]):
                t = t_next
                hit_cat = maps[i, my, mx, 1] if (0 <= mx < w and 0 <= my < h) else 0
                break
        if dark:
            obs[i, O_DEPTH + k] = 0.0
            obs[i, O_RAYCAT + k] = 0.0
        else:
            obs[i, O_DEPTH + k] = t / rng_max
            obs[i, O_RAYCAT + k] = hit_cat
    for c in range(NCAT):
        obs[i, O_GOAL + c] = 1.0 if c + 1 == target else 0.0
    obs[i, O_POSE] = (x + 0.5) / w
    obs[i, O_POSE + 1] = (y + 0.5) / h
    obs[i, O_POSE + 2] = dx
    obs[i, O_POSE + 3] = -dy  # sin of the heading angle, counter-clockwise with y pointing up (north)
    for a in range(NACT + 1):
        obs[i, O_PREVACT + a] = 1.0 if a == state[i, S_PREVACT] else 0.0
    obs[i, O_PREVSUCC] = state[i, S_PREVSUCC]
    obs[i, O_SUBSTART] = state[i, S_SUBSTART]


@njit(cache=True, inline="always")
def new_subtask(i, rng, state, maps, dist, spawn, cfg):
    """Draw the next sub-task of env ``i``: target slot, spawn cell and heading (in this order)."""
    slot = rng_integers(rng, i, state[i, S_NPRES])
    cell = spawn[i, rng_integers(rng, i, state[i, S_NSPAWN])]
    ensure_field(i, slot, state, maps, dist)
    state[i, S_DIR] = rng_integers(rng, i, 4)
    state[i, S_SLOT] = slot
    cat = state[i, S_PRES + slot]
    state[i, S_CAT] = cat
    state[i, S_Y] = cell // WM
    state[i, S_X] = cell % WM
    state[i, S_SUBSTEPS] = 0
    state[i, S_PATH] = 0
    state[i, S_SUBSTART] = 1
    state[i, S_D0] = _geo(i, state, dist, int(cfg[C_RADIUS]))
    bit = 1 << (cat - 1)
    state[i, S_FIRST] = 0 if state[i, S_TARGETED] & bit else 1
    state[i, S_SEENBEFORE] = 1 if state[i, S_SEEN] & bit else 0
    state[i, S_TARGETED] |= bit


@njit(cache=True)
def start_trial(i, p, generate, rng, state, maps, dist, spawn, cfg, raydirs, obs, scratch):
    """Start a trial of env ``i`` in the house of task row ``p`` (generated unless ``generate`` is False)."""
    if generate:
        gen_house(i, p, state, maps, dist, spawn)
    state[i, S_ELAPSED] = 0
    state[i, S_SUBINDEX] = 0
    state[i, S_PREVACT] = NACT
    state[i, S_PREVSUCC] = 0
    state[i, S_SEEN] = 0
    state[i, S_TARGETED] = 0
    state[i, S_ENDED] = 0
    new_subtask(i, rng, state, maps, dist, spawn, cfg)
    observe(i, state, maps, cfg, raydirs, obs, scratch)


@njit(cache=True, inline="always")
def step_env(i, a, rng, state, maps, dist, spawn, cfg, raydirs, obs, scratch):
    """One step of env ``i`` with action ``a``; returns ``(reward, truncated)``.

    Reward = ``slack + dist_reward * (geo_before - geo_after)`` (if shaping) ``+ success_reward`` on a
    successful STOP ``+ wrong_stop_penalty`` on a failed one. A STOP or the sub-task cap ends the sub-task
    (its metrics go to the ``S_L_*`` columns and ``S_ENDED`` = 1); the next one starts at once unless the
    trial is over. ``truncated`` when the trial reaches ``cfg[C_TRIAL]`` steps.
    """
    radius = int(cfg[C_RADIUS])
    geo_before = _geo(i, state, dist, radius)
    stop = False
    success = False
    if a == 0:
        d = state[i, S_DIR]
        nx = state[i, S_X] + DX[d]
        ny = state[i, S_Y] + DY[d]
        if _free(maps[i, ny, nx, 0]):
            state[i, S_X] = nx
            state[i, S_Y] = ny
            state[i, S_PATH] += 1
    elif a == 1:
        state[i, S_DIR] = (state[i, S_DIR] + 3) % 4
    elif a == 2:
        state[i, S_DIR] = (state[i, S_DIR] + 1) % 4
    else:
        stop = True
        success = geo_before == 0 and (cfg[C_REQVIS] == 0.0 or state[i, S_VISIBLE] == 1)
    state[i, S_SUBSTEPS] += 1
    state[i, S_ELAPSED] += 1
    geo_after = _geo(i, state, dist, radius)
    reward = cfg[C_SLACK]
    if cfg[C_SHAPING] != 0.0:
        reward += cfg[C_DISTR] * (geo_before - geo_after)
    if success:
        reward += cfg[C_SUCC]
    elif stop:
        reward += cfg[C_WRONGPEN]
    timeout = (not stop) and state[i, S_SUBSTEPS] >= int(cfg[C_MAXSUB])
    ended = stop or timeout
    truncated = state[i, S_ELAPSED] >= int(cfg[C_TRIAL])
    if ended or truncated:
        state[i, S_ENDED] = 1
        state[i, S_L_SUCCESS] = 1 if success else 0
        state[i, S_L_STEPS] = state[i, S_SUBSTEPS]
        state[i, S_L_D0] = state[i, S_D0]
        state[i, S_L_PATH] = state[i, S_PATH]
        state[i, S_L_DEND] = geo_after
        state[i, S_L_TIMEOUT] = 1 if timeout else 0
        state[i, S_L_WRONG] = 1 if (stop and not success) else 0
        state[i, S_L_CAT] = state[i, S_CAT]
        state[i, S_L_FIRST] = state[i, S_FIRST]
        state[i, S_L_SEENBEFORE] = state[i, S_SEENBEFORE]
        state[i, S_L_INDEX] = state[i, S_SUBINDEX]
        state[i, S_L_INCOMPLETE] = 0 if ended else 1
    else:
        state[i, S_ENDED] = 0
    state[i, S_PREVACT] = a
    state[i, S_PREVSUCC] = 1 if success else 0
    if ended and not truncated:
        state[i, S_SUBINDEX] += 1
        new_subtask(i, rng, state, maps, dist, spawn, cfg)
    else:
        state[i, S_SUBSTART] = 0
    observe(i, state, maps, cfg, raydirs, obs, scratch)
    return reward, truncated


@njit(cache=True)
def step_single(a, rng, state, maps, dist, spawn, cfg, raydirs, obs, scratch):
    """The single env's step (env 0 of size-1 arrays)."""
    return step_env(0, a, rng, state, maps, dist, spawn, cfg, raydirs, obs, scratch)


@njit(cache=True)
def reset_batch(mask, rng, task_fixed, fixed_params, split_params, task_params, task_index, state, maps, dist,
                spawn, cfg, raydirs, obs):
    """New trial where ``mask``: the task first (``begin_task``), then the house and the first sub-task."""
    scratch = np.zeros((4, V, V), dtype=np.int64)
    for i in range(mask.shape[0]):
        if mask[i]:
            begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
            start_trial(i, task_params[i], True, rng, state, maps, dist, spawn, cfg, raydirs, obs, scratch)


@njit(cache=True)
def step_batch(actions, rng, task_fixed, fixed_params, split_params, task_params, task_index, needs_reset, state,
               maps, dist, spawn, cfg, raydirs, obs, rewards, terminations, truncations):
    """One step of every env, with NEXT_STEP autoreset (a new trial in a new house)."""
    scratch = np.zeros((4, V, V), dtype=np.int64)
    for i in range(actions.shape[0]):
        if needs_reset[i]:
            begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
            start_trial(i, task_params[i], True, rng, state, maps, dist, spawn, cfg, raydirs, obs, scratch)
            needs_reset[i] = False
            rewards[i] = 0.0
            truncations[i] = False
        else:
            r, tr = step_env(i, actions[i], rng, state, maps, dist, spawn, cfg, raydirs, obs, scratch)
            rewards[i] = r
            truncations[i] = tr
            needs_reset[i] = tr
        terminations[i] = False


@njit(cache=True)
def rollout_single(actions, rng, state, maps, dist, spawn, cfg, raydirs, obs, scratch):
    """Step env 0 through ``actions`` inside numba (benchmarks the kernel without Python overhead)."""
    total = 0.0
    for t in range(actions.shape[0]):
        r, _ = step_env(0, actions[t], rng, state, maps, dist, spawn, cfg, raydirs, obs, scratch)
        total += r
    return total
