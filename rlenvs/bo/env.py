"""Bayesian optimisation as an RL task: each episode maximises one objective function drawn from a family."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from gymnasium import spaces
from gymnasium.vector.utils import create_empty_array

from rlenvs.bo import _kernels as K
from rlenvs.bo.data import default_tabular, load_hpob, synthetic_datasets, tabular_meta_dataset
from rlenvs.bo.tasks import (
    FUNCTIONS,
    TRANSFORM_LOG1P,
    GPPriorDistribution,
    ShiftScaleDistribution,
    TabularDistribution,
    sobol_points,
)
from rlenvs.core.env import TaskEnv
from rlenvs.core.spaces import check_action
from rlenvs.core.task import Task

CANDIDATES = {"sobol_fixed": K.CAND_SOBOL_FIXED, "random_per_episode": K.CAND_RANDOM_PER_EPISODE,
              "random_per_step": K.CAND_RANDOM_PER_STEP, "dataset": K.CAND_DATASET, "continuous": K.CAND_CONTINUOUS}
INIT_DESIGNS = {"sobol": K.INIT_SOBOL, "random": K.INIT_RANDOM}
REWARDS = {"neg_log_regret": K.R_NEG_LOG_REGRET, "log_improvement": K.R_LOG_IMPROVEMENT,
           "improvement": K.R_IMPROVEMENT, "neg_regret": K.R_NEG_REGRET, "terminal": K.R_TERMINAL}
Y_TRANSFORMS = {"none": K.Y_NONE, "history_standardize": K.Y_STANDARDIZE, "task_minmax": K.Y_MINMAX}
REFERENCES = {"global": K.REF_GLOBAL, "candidates": K.REF_CANDIDATES}
KERNELS = {"rbf": K.K_RBF, "matern52": K.K_MATERN52, "matern32": K.K_MATERN32}
TABULAR_FAMILIES = ("tabular", "hpob")
FAMILIES = ("gp_prior", *FUNCTIONS, *TABULAR_FAMILIES)
N_REFERENCE_POINTS = 8192  # Sobol points for y_opt of a GP prior sample (global reference)
N_LOW_POINTS = 4096  # Sobol points for y_lo of a test function
# options only some families take: family -> names
FAMILY_OPTIONS = {
    "gp_prior": ("dim", "kernel", "lengthscale_range", "n_features", "n_train_tasks", "n_test_tasks"),
    **{name: (("n_train_tasks", "n_test_tasks") if f.fixed_dim else ("dim", "n_train_tasks", "n_test_tasks"))
       for name, f in FUNCTIONS.items()},
    "tabular": ("datasets", "splits"),
    "hpob": ("data_dir", "search_space"),
}
FAMILY_OPTIONS["rosenbrock"] = (*FAMILY_OPTIONS["rosenbrock"], "log_transform")


def _choice(name: str, value: str, table: Mapping[str, int]) -> int:
    if value not in table:
        raise ValueError(f"{name} must be one of {list(table)}, got {value!r}")
    return table[value]


def _int(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
    return int(value)


def _float(name: str, value: Any, low: float, high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not low <= float(value) <= high:
        raise ValueError(f"{name} must be a number in [{low:g}, {high:g}], got {value!r}")
    return float(value)


class BOSetup:
    """The task distribution, settings, constants and spaces of a BO env, built from its options.

    The single env and the vector env take the same options (see :class:`BOEnv`) and build one of these.
    """

    def __init__(self, family: str, *, budget: int | None = None, n_init: int | None = None,
                 init_design: str | None = None, candidates: str | None = None, n_candidates: int | None = None,
                 allow_repeats: bool = False, noise_std: float = 0.0, reward: str = "neg_log_regret",
                 regret_floor: float = 1e-6, regret_reference: str | None = None,
                 y_transform: str = "history_standardize", terminate_on_floor: bool = False,
                 expose_oracle: bool = False, gp_features: bool = False, gp_lengthscale: float = 0.2,
                 gp_noise: float = 1e-4, **family_options: Any):
        if family not in FAMILIES:
            raise ValueError(f"unknown BO family {family!r}; valid: {list(FAMILIES)}")
        allowed = FAMILY_OPTIONS[family]
        unknown = sorted(set(family_options) - set(allowed))
        if unknown:
            every = sorted({name for names in FAMILY_OPTIONS.values() for name in names})
            wrong = [u for u in unknown if u in every]
            hint = f" (options of other families: {wrong})" if wrong else ""
            raise TypeError(f"unexpected option(s) {unknown} for BO family {family!r}{hint}; "
                            f"its own options: {list(allowed)}")
        self.family = family
        tabular = family in TABULAR_FAMILIES
        self.meta = None
        if family == "gp_prior":
            self.dim = _int("dim", family_options.get("dim", 3), 1)
            kernel = family_options.get("kernel", "rbf")
            self.kernel = _choice("kernel", kernel, KERNELS)
            self.n_features = _int("n_features", family_options.get("n_features", 1024), 1)
            self.distribution = GPPriorDistribution(self.dim, family_options.get("lengthscale_range", (0.05, 0.5)),
                                                    family_options.get("n_train_tasks", 1000),
                                                    family_options.get("n_test_tasks", 100))
            fn = K.FN_GP_PRIOR
        elif tabular:
            if family == "tabular":
                datasets, splits = family_options.get("datasets"), family_options.get("splits")
                self.meta = default_tabular() if datasets is None and splits is None else \
                    tabular_meta_dataset(synthetic_datasets() if datasets is None else datasets, splits)
            else:
                self.meta = load_hpob(family_options.get("data_dir"), family_options.get("search_space"))
            self.dim = self.meta.dim
            self.kernel, self.n_features = K.K_RBF, 0
            self.distribution = TabularDistribution(self.meta.name, list(self.meta.X), self.meta.splits,
                                                    list(self.meta.designs))
            fn = K.FN_TABULAR
        else:
            function = FUNCTIONS[family]
            self.function = function
            self.dim = function.dim(family_options.get("dim"))
            self.kernel, self.n_features = K.K_RBF, 0
            self.g_transform = TRANSFORM_LOG1P if family_options.get("log_transform", False) else function.transform
            self.distribution = ShiftScaleDistribution(function, self.dim, family_options.get("n_train_tasks", 1000),
                                                       family_options.get("n_test_tasks", 100))
            fn = function.fn_id
        self.fn = fn

        # episode settings
        self.budget = _int("budget", (100 if family == "hpob" else 30) if budget is None else budget, 1)
        self.n_init = _int("n_init", (5 if tabular else 0) if n_init is None else n_init, 0)
        init_design = ("random" if tabular else "sobol") if init_design is None else init_design
        init_mode = _choice("init_design", init_design, INIT_DESIGNS)
        candidates = ("dataset" if tabular else "sobol_fixed") if candidates is None else candidates
        cand_mode = _choice("candidates", candidates, CANDIDATES)
        if tabular and cand_mode != K.CAND_DATASET:
            raise ValueError(f"tabular families query their datasets: candidates must be 'dataset', got {candidates!r}")
        if not tabular and cand_mode == K.CAND_DATASET:
            raise ValueError(f"candidates='dataset' needs a tabular family, not {family!r}")
        if tabular and init_mode != K.INIT_RANDOM:
            raise ValueError("tabular families draw their initial design from the dataset: use init_design='random'")
        if tabular:
            if n_candidates is not None:
                raise ValueError("n_candidates is the size of the largest dataset for tabular families; leave it None")
            n_cand = self.meta.max_size
            smallest = min(x.shape[0] for x in self.meta.X.values())
            if self.n_init >= smallest:
                raise ValueError(f"n_init={self.n_init} must be smaller than the smallest dataset ({smallest} rows)")
            sizes = sorted({len(d) for designs in self.meta.designs.values() for d in designs})
            if sizes and sizes != [self.n_init]:
                raise ValueError(f"the HPO-B initial designs of this search space have {sizes} points: n_init must "
                                 f"match them (got n_init={self.n_init})")
        elif cand_mode == K.CAND_CONTINUOUS:
            n_cand = 0
            if n_candidates is not None:
                raise ValueError("candidates='continuous' has no candidate set: leave n_candidates None")
        else:
            n_cand = _int("n_candidates", 1024 if n_candidates is None else n_candidates, 1)
        self.n_candidates = n_cand
        self.cand_mode = cand_mode
        if regret_reference is None:
            regret_reference = "global" if cand_mode in (K.CAND_RANDOM_PER_STEP, K.CAND_CONTINUOUS) else "candidates"
        reference = _choice("regret_reference", regret_reference, REFERENCES)
        if reference == K.REF_CANDIDATES and cand_mode in (K.CAND_RANDOM_PER_STEP, K.CAND_CONTINUOUS):
            raise ValueError(f"regret_reference='candidates' needs a candidate set fixed over the episode, "
                             f"not candidates={candidates!r}")
        if reference == K.REF_GLOBAL and tabular:
            raise ValueError("a tabular task has no optimum beyond its dataset: use regret_reference='candidates'")
        ytf = _choice("y_transform", y_transform, Y_TRANSFORMS)
        if ytf == K.Y_MINMAX and not tabular:
            raise ValueError("y_transform='task_minmax' shows the task's value range (HPO-B's normalisation); "
                             "it is only for tabular families")
        if cand_mode == K.CAND_CONTINUOUS and (expose_oracle or gp_features):
            raise ValueError("expose_oracle and gp_features need a candidate set; candidates='continuous' has none")
        self.expose_oracle = bool(expose_oracle)
        self.gp_features = bool(gp_features)
        self.cfg = K.Config(
            fn=fn, dim=self.dim, n_cand=n_cand, budget=self.budget, n_init=self.n_init, cand_mode=cand_mode,
            init_mode=init_mode, allow_repeats=bool(allow_repeats), noise_std=_float("noise_std", noise_std, 0.0),
            reward=_choice("reward", reward, REWARDS), floor=_float("regret_floor", regret_floor, 1e-300, 1.0),
            reference=reference, y_transform=ytf, terminate_on_floor=bool(terminate_on_floor),
            need_cand_f=reference == K.REF_CANDIDATES or self.expose_oracle or tabular,
            gp_features=self.gp_features, gp_lengthscale=_float("gp_lengthscale", gp_lengthscale, 1e-6),
            gp_noise=_float("gp_noise", gp_noise, 1e-8), kernel=self.kernel,
        )
        self.data = self._data()
        self.observation_space, self.action_space = self._spaces()

    def _data(self) -> K.Data:
        d, cfg = self.dim, self.cfg
        empty_f32, empty_f64 = np.zeros((0, d), dtype=np.float32), np.zeros((0, d))
        sobol_cand = (sobol_points(cfg.n_cand, d, f"bo/candidates/{d}d").astype(np.float32)
                      if cfg.cand_mode == K.CAND_SOBOL_FIXED else empty_f32)
        sobol_init = (sobol_points(cfg.n_init, d, f"bo/init/{d}d").astype(np.float32).astype(np.float64)
                      if cfg.init_mode == K.INIT_SOBOL and cfg.n_init else empty_f64)
        sobol_ref = (sobol_points(N_REFERENCE_POINTS, d, f"bo/reference/{d}d")
                     if self.fn == K.FN_GP_PRIOR and cfg.reference == K.REF_GLOBAL else empty_f64)
        lo, hi = np.zeros(d), np.ones(d)
        g_mean, g_std, g_transform, g_max, g_lo = 0.0, 1.0, 0, 0.0, 0.0
        if self.fn < K.FN_GP_PRIOR:
            function = self.function
            lo, hi = function.bounds(d)
            g_mean, g_std = function.mean, function.std
            g_transform = self.g_transform
            unit = np.concatenate([[1.0], np.zeros(d)])  # scale 1, no shift
            values = np.empty(len(function.minimisers))
            K.evaluate_batch(self.fn, function.unit_maximisers(d), unit, lo, hi, g_mean, g_std, g_transform, values)
            g_max = float(values.max())
            low = np.empty(N_LOW_POINTS)
            K.evaluate_batch(self.fn, sobol_points(N_LOW_POINTS, d, f"bo/low/{d}d"), unit, lo, hi, g_mean, g_std,
                             g_transform, low)
            g_lo = float(low.min())
        tab = self._tabular_arrays()
        return K.Data(lo=lo, hi=hi, g_mean=float(g_mean), g_std=float(g_std), g_transform=int(g_transform),
                      g_max=g_max, g_lo=g_lo, sobol_cand=sobol_cand, sobol_init=sobol_init, sobol_ref=sobol_ref,
                      **tab)

    def _tabular_arrays(self) -> dict[str, np.ndarray]:
        d, n_init = self.dim, self.cfg.n_init
        if self.meta is None:
            return {"tab_x": np.zeros((0, d), dtype=np.float32), "tab_y": np.zeros(0),
                    "ds_id": np.zeros(0, dtype=np.int64), "ds_start": np.zeros(0, dtype=np.int64),
                    "ds_size": np.zeros(0, dtype=np.int64), "ds_ymin": np.zeros(0), "ds_ymax": np.zeros(0),
                    "designs": np.zeros((0, 5, n_init), dtype=np.int64)}
        ids = list(self.meta.X)
        sizes = np.array([self.meta.X[k].shape[0] for k in ids], dtype=np.int64)
        designs = np.full((len(ids), 5, n_init), -1, dtype=np.int64)
        for row, k in enumerate(ids):
            for s, design in enumerate(self.meta.designs.get(k, ())):
                designs[row, s] = design
        return {
            "tab_x": np.concatenate([self.meta.X[k] for k in ids]).astype(np.float32),
            "tab_y": np.concatenate([self.meta.y[k] for k in ids]),
            "ds_id": np.array(ids, dtype=np.int64),
            "ds_start": np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64),
            "ds_size": sizes,
            "ds_ymin": np.array([self.meta.y[k].min() for k in ids]),
            "ds_ymax": np.array([self.meta.y[k].max() for k in ids]),
            "designs": designs,
        }

    def _spaces(self) -> tuple[spaces.Dict, spaces.Space]:
        h, n, d = self.n_init + self.budget, self.n_candidates, self.dim
        inf = np.inf
        obs = {
            "hist_x": spaces.Box(0.0, 1.0, (h, d), np.float32),
            "hist_y": spaces.Box(-inf, inf, (h,), np.float32),
            "hist_mask": spaces.Box(0, 1, (h,), np.int8),
            "t_frac": spaces.Box(0.0, 1.0, (1,), np.float32),
            "incumbent": spaces.Box(-inf, inf, (1,), np.float32),
        }
        if self.cand_mode == K.CAND_CONTINUOUS:
            return spaces.Dict(obs), spaces.Box(0.0, 1.0, (d,), np.float32)
        obs["cand_x"] = spaces.Box(0.0, 1.0, (n, d), np.float32)
        obs["cand_mask"] = spaces.Box(0, 1, (n,), np.int8)
        if self.gp_features:
            obs["cand_feats"] = spaces.Box(-inf, inf, (n, K.N_FEATS), np.float32)
        return spaces.Dict(obs), spaces.Discrete(n)

    def alloc_state(self, n: int, buffers: Mapping[str, np.ndarray] | None = None, n_split: int = 0) -> K.State:
        """The state of ``n`` envs; ``buffers`` are the observation arrays to write into (allocated if None).

        With fixed candidates and ``n_split`` tasks drawn by index, the values at the candidates and the
        reference values are cached per split task (up to 2**24 cached values).
        """
        buffers = dict(create_empty_array(self.observation_space, n, fn=np.zeros) if buffers is None else buffers)
        h, c, d = self.n_init + self.budget, self.n_candidates, self.dim
        buffers.setdefault("cand_x", np.zeros((n, 0, d), dtype=np.float32))
        buffers.setdefault("cand_mask", np.zeros((n, 0), dtype=np.int8))
        buffers.setdefault("cand_feats", np.zeros((n, 0, K.N_FEATS), dtype=np.float32))
        m = self.n_features if self.fn == K.FN_GP_PRIOR else 0
        g = h if self.gp_features else 0
        s = n_split if self.cand_mode == K.CAND_SOBOL_FIXED and n_split * c <= 1 << 24 else 0
        return K.State(
            **buffers,
            y_raw=np.zeros((n, h)), count=np.zeros(n, dtype=np.int64), n_valid=np.zeros(n, dtype=np.int64),
            ds=np.zeros(n, dtype=np.int64), best_f=np.full(n, -np.inf), best_obs=np.full(n, -np.inf),
            y_opt=np.zeros(n), y_lo=np.zeros(n), nreg=np.ones(n), regret=np.zeros(n), norm_regret=np.ones(n),
            last_x=np.full((n, d), np.nan), last_y=np.full(n, np.nan), invalid=np.zeros(n, dtype=np.bool_),
            cand_f=np.zeros((n, c)), rff_w=np.zeros((n, m, d)), rff_b=np.zeros((n, m)), rff_a=np.zeros((n, m)),
            gp_l=np.zeros((n, g, g)), gp_v=np.zeros((n, g, c if g else 0)), gp_vsum=np.zeros((n, c if g else 0)),
            cache_f=np.zeros((s, c)), cache_ref=np.zeros((s, 2)), cache_ok=np.zeros(s, dtype=np.bool_),
        )

    def check(self, task: Task) -> Task:
        """``task`` as the family's type, or a ``ValueError`` naming what is wrong."""
        task = self.distribution.task_type.coerce(task)
        self.distribution.check(task)
        return task

    def infos(self, st: K.State, step: bool) -> dict[str, np.ndarray]:
        """Per-env info arrays: regret, normalised regret, best noiseless y (-inf before any query), y_opt,
        y_lo; after a step also x, y and invalid_action; ``cand_y`` with ``expose_oracle``."""
        out = {"regret": st.regret.copy(), "normalized_regret": st.norm_regret.copy(), "best_y": st.best_f.copy(),
               "y_opt": st.y_opt.copy(), "y_lo": st.y_lo.copy()}
        if step:
            out.update(x=st.last_x.copy(), y=st.last_y.copy(), invalid_action=st.invalid.copy())
        if self.expose_oracle:
            out["cand_y"] = st.cand_f.copy()
        return out


class BOEnv(TaskEnv):
    """Bayesian optimisation as an episodic RL task: query points of an unknown function, find its maximum.

    ## Description
    Each episode draws an objective ``f`` from a task family (MetaBO, Volpp et al. ICLR 2020; NAP, Maraval
    et al. NeurIPS 2023) and gives the agent ``budget`` queries. Everything is **maximisation** on the unit
    cube ``[0, 1]^D``; the env maps to each function's native box internally. Families (``family=``):

    - ``gp_prior``: GP prior sample paths by random Fourier features,
      ``f(x) = sqrt(2/M) sum_m w_m cos(omega_m . x + b_m)``, ``w_m ~ N(0, 1)``, ``b_m ~ U[0, 2 pi)``,
      ``omega_m`` from the spectral density of ``kernel``: ``N(0, I / l^2)`` (``rbf``), or
      ``N(0, I / l^2) / sqrt(Gamma(nu, nu))`` for Matern-nu (``matern52``, ``matern32``: a multivariate
      Student-t with ``2 nu`` degrees of freedom, as BoTorch; MetaBO and NAP draw independent per-dimension
      t-variates, a product-type kernel, not the isotropic Matern). ``M = n_features`` (1024), unit
      signal variance, noiseless.
    - ``branin``, ``goldstein_price``, ``hartmann3``, ``hartmann6``: MetaBO's standardised, negated forms
      (Branin ``-(f - 54.44) / 51.44``, Goldstein-Price ``-(log f - 8.693) / 2.427``, Hartmann-3
      ``-(f + 0.93) / 0.95``; Hartmann-6, not in MetaBO, ``-(f + 0.2589) / 0.3848`` with the mean and std
      of ``f`` over the unit cube).
    - ``ackley``, ``levy``, ``rosenbrock``, ``styblinski_tang`` (with ``dim``, default 2): BoTorch's
      definitions, negated (``rosenbrock`` with ``log_transform=True``: ``-log(1 + f)``).
    - ``tabular``: any list of ``(X, y)`` datasets (``datasets=``, or an ``.npz`` path); the default is a
      synthetic meta-dataset of 30 GP samples tabulated at 200-400 points in 3-D.
    - ``hpob``: one search space of HPO-B v3 read from ``data_dir`` (or ``$RLENVS_HPOB_DIR``); nothing is
      downloaded, a missing folder raises an error that says where to get the data.

    ## Task distribution
    Test functions: ``f_task(x) = scale * g(x - shift)``, ``shift ~ U[-0.1, 0.1]^D``,
    ``scale ~ U[0.9, 1.1]`` (MetaBO; every optimum stays in the domain). GP prior: lengthscale
    ``~ LogU[lengthscale_range]`` (default ``[0.05, 0.5]``) and a seed of the features. Splits ``train``
    (``n_train_tasks`` = 1000, a Sobol grid over the parameter box; 50 gives MetaBO-50), ``val`` / ``test``
    (``n_test_tasks`` = 100 i.i.d. draws each). Tabular: ``train`` / ``test`` (every 5th dataset) or your
    ``splits``; HPO-B: its v3 ``train`` / ``val`` / ``test`` files, each test dataset once per fixed initial
    design ``test0``-``test4`` (``TabularTask.init_design``).

    ## Action space
    ``Discrete(N)``: the index of a candidate (``N = n_candidates``, 1024; tabular: the largest dataset, smaller
    ones padded). ``env.action_masks()`` is ``cand_mask`` as booleans (what sb3-contrib's MaskablePPO calls).
    A masked action (already queried, or padding) is accepted: it spends the step, evaluates nothing and
    sets ``info["invalid_action"]``. With ``allow_repeats=True`` queried candidates stay valid.
    ``candidates="continuous"``: ``Box(0, 1, (D,))``, the point itself.

    ## Observation space
    ``Dict`` of fixed shapes, with ``H = n_init + budget`` history rows filled in query order:
    ``hist_x`` ``(H, D)``, ``hist_y`` ``(H,)`` (observed y after ``y_transform``), ``hist_mask`` ``(H,)`` int8,
    ``cand_x`` ``(N, D)``, ``cand_mask`` ``(N,)`` int8 (1 = valid and not yet queried), ``t_frac`` (steps
    taken / budget), ``incumbent`` (best observed y, same transform; 0 before any observation); with
    ``gp_features=True`` also ``cand_feats`` ``(N, 5)``: MetaBO's ``[mu, sigma, incumbent, t/T, T]`` of a
    Matern-5/2 GP with fixed lengthscale ``gp_lengthscale`` (0.2), unit signal variance and noise ``gp_noise``
    (1e-4) on ``hist_y`` (pair it with ``history_standardize``). Points are float32: the candidates and the
    queried points are rounded to float32 *before* evaluation, so the observation is the evaluated point.
    ``y_transform``: ``history_standardize`` (default; mean and std of the observed y so far), ``none``, or
    ``task_minmax`` (``(y - y_lo) / (y_opt - y_lo)``, HPO-B's normalisation; tabular only, since it shows
    the task's range). No oracle value is ever in the observation: ``expose_oracle=True`` puts the true
    (noiseless) candidate values in ``info["cand_y"]`` only (for NAP-style auxiliary losses).
    ``gymnasium.wrappers.FlattenObservation`` turns the observation into one Box for plain MLP policies.

    ## Candidates
    ``candidates``: ``sobol_fixed`` (default for synthetic families: the first N points of the Sobol sequence,
    rotated modulo 1 by a fixed vector; the same in every episode, so the values at the candidates and the
    reference values are cached per split task in the vector env), ``random_per_episode``,
    ``random_per_step`` (uniform, from the env's stream), ``dataset`` (tabular), ``continuous``.

    ## Rewards
    With ``n_t = (y_opt - best_t) / (y_opt - y_lo)`` floored at ``regret_floor`` (1e-6), ``best_t`` the best
    *noiseless* value queried so far and ``n_0 = 1`` before any observation (``reward=``):
    ``neg_log_regret`` (default, MetaBO/NAP): ``-log10 n_t``; ``log_improvement``: ``log10 n_{t-1} - log10 n_t``
    (sums to the total log-regret reduction); ``improvement``: ``n_{t-1} - n_t``; ``neg_regret``: ``-n_t``;
    ``terminal``: ``-log10 n_T`` on the last step only, 0 before (NAP's sparsity study).

    The reference values (``regret_reference``): ``candidates`` (default whenever the candidate set is fixed
    over the episode, as MetaBO and NAP; tabular: the dataset's min and max, as HPO-B): ``y_opt`` / ``y_lo``
    are the max / min of ``f`` over the candidates and the initial design. ``global``: test functions use
    ``y_opt = scale * g(x*)`` (the published optimiser) and ``y_lo = scale * min g`` over 4096 Sobol points
    of the unshifted function (a normaliser, so ``n_t`` may slightly exceed 1 early on); GP samples use the
    best of 8192 Sobol points refined by projected gradient ascent from the top 5, and their minimum.
    Observation noise (``noise_std``) never enters the regret.

    ``info`` at reset and every step: ``regret`` (``y_opt - best_t``), ``normalized_regret`` (unfloored),
    ``best_y`` (best noiseless value, ``-inf`` before any query), ``y_opt``, ``y_lo``, and ``cand_y`` with
    ``expose_oracle``; after a step also ``x`` (the queried point), ``y`` (its observed value; NaN for an
    invalid action) and ``invalid_action``.

    ## Starting state
    ``n_init`` initial points (0 for synthetic families, 5 for tabular ones): the first ``n_init`` points of a
    fixed rotated Sobol sequence (``init_design="sobol"``) or uniform draws (``"random"``; tabular: distinct
    random rows, or HPO-B's fixed design of a test task).

    ## Episode end
    ``terminated`` after ``budget`` queries (30; HPO-B 100), or with ``terminate_on_floor=True`` as soon as
    ``n_t <= regret_floor``. The env never truncates (``BO-HPOB-v0`` is registered with
    ``max_episode_steps=100``, which coincides with its budget; pass both to change it).

    ## Arguments
    ``family`` (set by the registered id), ``task``, ``task_split``, and the options above: ``budget``,
    ``n_init``, ``init_design``, ``candidates``, ``n_candidates``, ``allow_repeats``, ``noise_std``, ``reward``,
    ``regret_floor``, ``regret_reference``, ``y_transform``, ``terminate_on_floor``, ``expose_oracle``,
    ``gp_features``, ``gp_lengthscale``, ``gp_noise``; per family ``dim``, ``kernel``, ``lengthscale_range``,
    ``n_features``, ``n_train_tasks``, ``n_test_tasks``, ``log_transform`` (Rosenbrock), ``datasets`` and
    ``splits`` (tabular; the spec's ``tasks=`` is named ``datasets`` here because ``tasks`` is the vector
    env's per-env task argument), ``data_dir`` and ``search_space`` (HPO-B).

    ## Deviations from the spec
    No ``info["task_id"]`` (``info["task"]`` at reset holds the task); no random rotation or y-offset for the
    BoTorch families (the offset is invisible to the default transform and to normalised regret); the train
    split is finite (``n_train_tasks``), because envs draw tasks from fixed splits.

    ## Version History
    - v0: initial version.
    """

    metadata = {"render_modes": []}

    def __init__(self, *, family: str, task: Task | Mapping | None = None, task_split: str = "train",
                 **options: Any):
        self.setup = BOSetup(family, **options)
        super().__init__(self.setup.distribution, task=task, task_split=task_split)
        self.observation_space, self.action_space = self.setup.observation_space, self.setup.action_space
        self._st = self.setup.alloc_state(1)
        n_params = self._split.to_array().shape[1]
        self._task_fixed = np.ones(1, dtype=np.bool_)  # the shell draws the task; the kernel gets it fixed
        self._fixed_params = np.zeros((1, n_params))
        self._task_params = np.zeros((1, n_params))
        self._task_index = np.zeros(1, dtype=np.int64)
        self._elapsed = np.zeros(1, dtype=np.int64)
        self._needs_reset = np.zeros(1, dtype=np.bool_)
        self._action = np.zeros(1, dtype=np.int64)
        self._action_x = np.zeros((1, self.setup.dim))
        self._reward, self._terminated, self._truncated = np.zeros(1), np.zeros(1, np.bool_), np.zeros(1, np.bool_)
        self._done = True

    def set_task(self, task: Task | Mapping | None) -> None:
        """Fix the task from the next reset on (checked against the family); ``None`` draws from the split."""
        super().set_task(None if task is None else self.setup.check(task))

    def _reset_episode(self, task: Task):
        self._fixed_params[0] = task.to_array()
        self._advance(False, self._task_fixed)
        self._done = False
        return self._observation(), self._info(step=False)

    def step(self, action):
        if self._done:
            raise RuntimeError("the episode is over (its budget is spent): call reset() before step()")
        if self.setup.cand_mode == K.CAND_CONTINUOUS:
            self._action_x[0] = check_action(action, self.action_space)
        else:
            self._action[0] = check_action(action, self.action_space)
        self._needs_reset[0] = False  # the kernel sets it when an episode ends; this shell resets instead
        self._advance(True, self._needs_reset)
        terminated = bool(self._terminated[0])
        self._done = terminated
        return self._observation(), float(self._reward[0]), terminated, False, self._info(step=True)

    def _advance(self, stepping: bool, needs_reset: np.ndarray) -> None:
        K.advance(stepping, needs_reset, self._action, self._action_x, self._rng, self._task_fixed,
                  self._fixed_params, self._fixed_params, self._task_params, self._task_index, self._elapsed, -1,
                  self._st, self.setup.data, self.setup.cfg, self._reward, self._terminated, self._truncated)

    def action_masks(self) -> np.ndarray:
        """``cand_mask`` as booleans: the candidates that are valid actions now."""
        if self.setup.cand_mode == K.CAND_CONTINUOUS:
            raise ValueError("candidates='continuous' has no discrete actions to mask")
        return self._st.cand_mask[0].astype(bool)

    def _observation(self) -> dict[str, np.ndarray]:
        return {key: getattr(self._st, key)[0].copy() for key in self.observation_space.spaces}

    def _info(self, step: bool) -> dict[str, Any]:
        info = {key: value[0] for key, value in self.setup.infos(self._st, step).items()}
        for key in ("regret", "normalized_regret", "best_y", "y_opt", "y_lo", "y"):
            if key in info:
                info[key] = float(info[key])
        if step:
            info["invalid_action"] = bool(info["invalid_action"])
        return info
