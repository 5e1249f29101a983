"""THE table of rlenvs env ids. ``import rlenvs`` registers every row with Gymnasium.

Entry points are strings, so nothing here imports a family (or numba) until an env is made, and every
``EnvSpec`` serialises to JSON.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym

NAMESPACE = "rlenvs"


@dataclass(frozen=True)
class EnvEntry:
    """One registered env: its id, entry points and provenance."""

    id: str
    entry_point: str
    vector_entry_point: str | None
    max_episode_steps: int | None
    family: str
    paper: str
    summary: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    api: str = "gymnasium"  # or "pettingzoo": a ParallelEnv made with rlenvs.make_parallel
    ci: bool = True  # False: its contract tests and benchmarks run only on request (a sibling id stays in CI)
    max_num_envs: int | None = None  # cap on num_envs in benchmarks, for envs with heavy per-env state
    user_data: str = ""  # the user-supplied data the env reads (its spaces depend on it); "" = none

    @property
    def vector(self) -> bool:
        """Whether the env has a native batched vector env."""
        return self.vector_entry_point is not None

    def spaces(self) -> tuple[gym.Space, gym.Space]:
        """(observation space, action space) of the single env (of its first agent for PettingZoo envs)."""
        if self.api == "pettingzoo":
            env = make_parallel(self.id)
            agent = env.possible_agents[0]
            spaces = env.observation_space(agent), env.action_space(agent)
        else:
            env = gym.make(self.id)
            spaces = env.observation_space, env.action_space
        env.close()
        return spaces


# The 50 Meta-World v3 classes (metaworld 3.1.1), listed here so that registering needs no import of metaworld.
METAWORLD_ML1_CLASSES = (
    "assembly", "basketball", "bin-picking", "box-close", "button-press-topdown",
    "button-press-topdown-wall", "button-press", "button-press-wall", "coffee-button", "coffee-pull",
    "coffee-push", "dial-turn", "disassemble", "door-close", "door-lock",
    "door-open", "door-unlock", "hand-insert", "drawer-close", "drawer-open",
    "faucet-open", "faucet-close", "hammer", "handle-press-side", "handle-press",
    "handle-pull-side", "handle-pull", "lever-pull", "pick-place-wall", "pick-out-of-hole",
    "pick-place", "plate-slide", "plate-slide-side", "plate-slide-back", "plate-slide-back-side",
    "peg-insert-side", "peg-unplug-side", "soccer", "stick-push", "stick-pull",
    "push", "push-wall", "push-back", "reach", "reach-wall",
    "shelf-place", "sweep-into", "sweep", "window-open", "window-close",
)


def _metaworld(name: str, summary: str, kwargs: dict[str, Any], ci: bool = True) -> EnvEntry:
    return EnvEntry(
        id=f"rlenvs/MetaWorld-{name}-v3",
        entry_point="rlenvs.metaworld.env:MetaWorldEnv",
        vector_entry_point="rlenvs.metaworld.vector:MetaWorldVectorEnv",
        max_episode_steps=500,
        family="metaworld",
        paper="Meta-World (Yu et al., CoRL 2019; metaworld 3.1.1, McLean et al. 2025)",
        summary=summary,
        kwargs=kwargs,
        ci=ci,
        max_num_envs=64,  # each env holds its own MuJoCo model and data (about 20 MB)
    )


def _house(name: str, variant: str, steps: int, summary: str, ci: bool = True,
           paper: str = "ReLIC (Elawady et al., 2024, arXiv 2410.02751)") -> EnvEntry:
    return EnvEntry(
        id=f"rlenvs/{name}-v0",
        entry_point="rlenvs.house.env:HouseNavEnv",
        vector_entry_point="rlenvs.house.vector:HouseNavVectorEnv",
        max_episode_steps=steps,
        family="house",
        paper=paper,
        summary=summary,
        kwargs={"variant": variant},
        ci=ci,
    )


def _smax(scenario: str, teams: str) -> EnvEntry:
    return EnvEntry(
        id=f"rlenvs/SMAX-{scenario}-v0",
        entry_point="rlenvs.smax.env:SMAXParallelEnv",
        vector_entry_point=None,
        max_episode_steps=100,
        family="smax",
        paper="JaxMARL SMAX (Rutherford et al., NeurIPS 2024 D&B, arXiv 2311.10090)",
        summary=f"SMAX {teams}; heuristic enemy (batched form: rlenvs.smax.SMAXVector)",
        kwargs={"scenario": scenario},
        api="pettingzoo",
    )


# robust MuJoCo robots: (title, robot, the parameters of M2TD3's 1d/2d/3d sets in order, RARL's pushed bodies)
ROBUST_ROBOTS = (
    ("HalfCheetah", "half_cheetah", ("world friction", "torso mass", "back-thigh mass"), "torso, back and front foot"),
    ("Hopper", "hopper", ("floor friction", "torso mass", "thigh mass"), "foot"),
    ("Walker2d", "walker2d", ("floor friction", "torso mass", "thigh mass"), "right leg, left foot"),
    ("Ant", "ant", ("torso mass", "front-left leg mass", "front-right leg mass"), "torso, front legs"),
    ("HumanoidStandup", "humanoid_standup", ("torso mass", "right-foot mass", "left-thigh mass"),
     "torso, right thigh, left foot"),
    ("InvertedPendulum", "inverted_pendulum", ("pole mass", "cart mass"), "pole"),
)
ROBUST_CI = ("rlenvs/RobustHalfCheetah-3d-v0", "rlenvs/RobustInvertedPendulum-2d-v0", "rlenvs/RobustHopper-Force-v0")
_M2TD3 = "M2TD3 (Tanabe et al., NeurIPS 2022); IWOCS (Zouitine et al., 2024, arXiv 2410.06212); RRLS (arXiv 2406.08406)"
_RARL = "RARL (Pinto et al., ICML 2017); RRLS (Zouitine et al., 2024, arXiv 2406.08406)"


def _robust(title: str, robot: str, uncertainty: str, summary: str) -> EnvEntry:
    env_id = f"rlenvs/Robust{title}-{'Force' if uncertainty == 'force' else uncertainty}-v0"
    return EnvEntry(
        id=env_id,
        entry_point="rlenvs.robust.env:RobustEnv",
        vector_entry_point="rlenvs.robust.vector:RobustVectorEnv",
        max_episode_steps=1000,
        family="robust",
        paper=_RARL if uncertainty == "force" else _M2TD3,
        summary=summary,
        kwargs={"robot": robot, "uncertainty": uncertainty},
        ci=env_id in ROBUST_CI,  # the rest share these ids' code: only the model and the set differ
    )


def _robust_rows() -> list[EnvEntry]:
    rows = []
    for title, robot, params, pushed in ROBUST_ROBOTS:
        for k in range(1, len(params) + 1):
            rows.append(_robust(title, robot, f"{k}d", f"{title}-v5 under M2TD3's {k}-D set: {', '.join(params[:k])}; "
                                                       f"{10 ** k}-point evaluation grids"))
        rows.append(_robust(title, robot, "force", f"{title}-v5 under RARL's constant forces in [-3, 3] N on {pushed}"))
    return rows


_METADT = "Meta-DT (Wang et al., NeurIPS 2024); PEARL (Rakelly et al., ICML 2019)"

ENVS: tuple[EnvEntry, ...] = (
    EnvEntry(
        id="rlenvs/PointRobot-v0",
        entry_point="rlenvs.point_robot.env:PointRobotEnv",
        vector_entry_point="rlenvs.point_robot.vector:PointRobotVectorEnv",
        max_episode_steps=20,
        family="point_robot",
        paper=_METADT,
        summary="2-D point to a goal in [-1,1]^2, dense reward -|pos-goal|",
    ),
    EnvEntry(
        id="rlenvs/PointRobotSparse-v0",
        entry_point="rlenvs.point_robot.env:PointRobotEnv",
        vector_entry_point="rlenvs.point_robot.vector:PointRobotVectorEnv",
        max_episode_steps=20,
        family="point_robot",
        paper="PEARL (Rakelly et al., ICML 2019)",
        summary="2-D point to a goal on the unit half-circle, reward only within radius 0.2",
        kwargs={"sparse": True},
    ),
    # Each family appends its rows below its own marker, in this order.
    # --- mujoco ---
    EnvEntry(
        id="rlenvs/CheetahVel-v0",
        entry_point="rlenvs.mujoco.env:CheetahVelEnv",
        vector_entry_point="rlenvs.mujoco.vector:CheetahVelVectorEnv",
        max_episode_steps=200,
        family="mujoco",
        paper=_METADT,
        summary="half-cheetah at a target velocity in [0, 3] m/s (Gymnasium HalfCheetah-v5 model)",
    ),
    EnvEntry(
        id="rlenvs/CheetahDir-v0",
        entry_point="rlenvs.mujoco.env:CheetahDirEnv",
        vector_entry_point="rlenvs.mujoco.vector:CheetahDirVectorEnv",
        max_episode_steps=200,
        family="mujoco",
        paper=_METADT,
        summary="half-cheetah running forward or backward (test split = the two train directions)",
    ),
    EnvEntry(
        id="rlenvs/AntDir-v0",
        entry_point="rlenvs.mujoco.env:AntDirEnv",
        vector_entry_point="rlenvs.mujoco.vector:AntDirVectorEnv",
        max_episode_steps=200,
        family="mujoco",
        paper=_METADT,
        summary="ant walking in a direction on the circle; no termination, legacy zero contact cost",
        max_num_envs=256,
    ),
    EnvEntry(
        id="rlenvs/AntFwdBack-v0",
        entry_point="rlenvs.mujoco.env:AntFwdBackEnv",
        vector_entry_point="rlenvs.mujoco.vector:AntFwdBackVectorEnv",
        max_episode_steps=200,
        family="mujoco",
        paper="PEARL (Rakelly et al., ICML 2019)",
        summary="two-direction Ant-Dir: forward (+x) or backward (-x)",
        ci=False,  # AntDir-v0 with another task distribution: AntDir-v0 stays in CI
        max_num_envs=256,
    ),
    EnvEntry(
        id="rlenvs/AntGoal-v0",
        entry_point="rlenvs.mujoco.env:AntGoalEnv",
        vector_entry_point="rlenvs.mujoco.vector:AntGoalVectorEnv",
        max_episode_steps=200,
        family="mujoco",
        paper="PEARL (Rakelly et al., ICML 2019)",
        summary="ant walking to a goal in the disk of radius 3, L1 reward",
        max_num_envs=256,
    ),
    EnvEntry(
        id="rlenvs/HumanoidDir-v0",
        entry_point="rlenvs.mujoco.env:HumanoidDirEnv",
        vector_entry_point="rlenvs.mujoco.vector:HumanoidDirVectorEnv",
        max_episode_steps=200,
        family="mujoco",
        paper="PEARL (Rakelly et al., ICML 2019)",
        summary="humanoid running in a direction on the circle; terminates when the torso leaves [1, 2] m",
        max_num_envs=256,
    ),
    EnvEntry(
        id="rlenvs/HopperParam-v0",
        entry_point="rlenvs.mujoco.env:HopperParamEnv",
        vector_entry_point="rlenvs.mujoco.vector:HopperParamVectorEnv",
        max_episode_steps=200,
        family="mujoco",
        paper=_METADT,
        summary="rand_param_envs hopper: mass/inertia/damping/friction scaled per task, dt 0.016",
        max_num_envs=256,
    ),
    EnvEntry(
        id="rlenvs/WalkerParam-v0",
        entry_point="rlenvs.mujoco.env:WalkerParamEnv",
        vector_entry_point="rlenvs.mujoco.vector:WalkerParamVectorEnv",
        max_episode_steps=200,
        family="mujoco",
        paper=_METADT,
        summary="rand_param_envs walker2d: mass/inertia/damping/friction scaled per task, dt 0.016",
        max_num_envs=256,
    ),
    # --- robust ---
    *_robust_rows(),
    # --- metaworld ---
    *(_metaworld(f"ML1-{name}", f"Meta-World ML1 {name}: metaworld ML1 seed-0 goals (50 train, 50 test), goal hidden",
                 {"benchmark": "ML1", "env_name": f"{name}-v3"}, ci=name == "reach")
      for name in METAWORLD_ML1_CLASSES),
    _metaworld("ML10", "Meta-World ML10: 10 train / 5 test classes, 50 goals each, goal hidden", {"benchmark": "ML10"}),
    _metaworld("ML45", "Meta-World ML45: 45 train / 5 test classes, 50 goals each, goal hidden, lazily built",
               {"benchmark": "ML45"}, ci=False),
    _metaworld("MT10", "Meta-World MT10: 10 classes x 50 goals, goal shown (one_hot=True adds the class id)",
               {"benchmark": "MT10"}),
    _metaworld("MT50", "Meta-World MT50: 50 classes x 50 goals, goal shown, lazily built", {"benchmark": "MT50"},
               ci=False),
    _metaworld("Reach-MetaDT", "Meta-World Reach as in Meta-DT: ML1('reach', 3407) goals 0-14 train, 15-19 test",
               {"benchmark": "Reach-MetaDT"}, ci=False),
    # --- house ---
    _house("HouseNav", "default", 4096,
           "find 10 object categories in turn in a 3x3-room procedural house; 4096-step trials"),
    _house("HouseNav-Small", "small", 1024, "HouseNav curriculum size: 2x2 rooms, 6 categories, 1024-step trials"),
    _house("HouseNav-Large", "large", 16384, "HouseNav large: 4x4 rooms, 16 categories, 16384-step trials", ci=False),
    _house("HouseNav64k", "64k", 65536,
           "HouseNav for 64k-step in-context RL: 4x4 rooms, 16 categories, 65536-step trials", ci=False),
    _house("DarkRoom", "darkroom", 500,
           "Dark-Room-like: one 9x9 room, a hidden goal object, pose-only observations; 500-step trials",
           paper="Algorithm Distillation (Laskin et al., 2022); DPT (Lee et al., 2023)"),
    # --- smax ---
    _smax("3m", "3 marines vs 3 marines"),
    _smax("8m", "8 vs 8 marines"),
    _smax("25m", "25 vs 25 marines"),
    _smax("5m_vs_6m", "5 vs 6 marines"),
    _smax("10m_vs_11m", "10 vs 11 marines"),
    _smax("27m_vs_30m", "27 vs 30 marines"),
    _smax("2s3z", "2 stalkers + 3 zealots a side"),
    _smax("3s5z", "3 stalkers + 5 zealots a side"),
    _smax("3s5z_vs_3s6z", "3s5z vs 3 stalkers + 6 zealots"),
    _smax("3s_vs_5z", "3 stalkers vs 5 zealots"),
    _smax("6h_vs_8z", "6 hydralisks vs 8 zealots"),
    _smax("smacv2_5_units", "5 vs 5 random unit types, SMACv2 surround/reflect starts"),
    _smax("smacv2_10_units", "10 vs 10 random unit types, SMACv2 surround/reflect starts"),
    _smax("smacv2_20_units", "20 vs 20 random unit types, SMACv2 surround/reflect starts"),
    # --- bo ---
    *(EnvEntry(
        id=f"rlenvs/BO-{name}-v0",
        entry_point="rlenvs.bo.env:BOEnv",
        vector_entry_point="rlenvs.bo.vector:BOVectorEnv",
        max_episode_steps=steps,
        family="bo",
        paper=paper,
        summary=summary,
        kwargs={"family": family},
        ci=ci,
        max_num_envs=cap,
        user_data="HPO-B v3 JSON files (data_dir= or $RLENVS_HPOB_DIR)" if family == "hpob" else "",
    ) for name, family, steps, paper, summary, ci, cap in (
        ("GPPrior", "gp_prior", None, "MetaBO (Volpp et al., ICLR 2020); NAP (Maraval et al., NeurIPS 2023)",
         "maximise a 3-D GP prior sample (RFF, RBF kernel, l ~ LogU[0.05, 0.5]); 30 queries of 1024 candidates",
         True, 128),
        ("Branin", "branin", None, "MetaBO (Volpp et al., ICLR 2020)",
         "maximise a shifted/scaled Branin (MetaBO family); 30 queries of 1024 Sobol candidates", True, None),
        ("GoldsteinPrice", "goldstein_price", None, "MetaBO (Volpp et al., ICLR 2020)",
         "maximise a shifted/scaled Goldstein-Price (MetaBO family); 30 queries of 1024 candidates", True, None),
        ("Hartmann3", "hartmann3", None, "MetaBO (Volpp et al., ICLR 2020)",
         "maximise a shifted/scaled Hartmann-3 (MetaBO family); 30 queries of 1024 candidates", True, None),
        ("Hartmann6", "hartmann6", None, "MetaBO-style family (Volpp et al., ICLR 2020)",
         "maximise a shifted/scaled Hartmann-6; 30 queries of 1024 candidates", True, None),
        ("Ackley", "ackley", None, "BoTorch test functions; NAP (Maraval et al., NeurIPS 2023)",
         "maximise a shifted/scaled negated Ackley (dim=2); 30 queries of 1024 candidates", True, None),
        ("Levy", "levy", None, "BoTorch test functions; NAP (Maraval et al., NeurIPS 2023)",
         "maximise a shifted/scaled negated Levy (dim=2); 30 queries of 1024 candidates", True, None),
        ("Rosenbrock", "rosenbrock", None, "BoTorch test functions; NAP (Maraval et al., NeurIPS 2023)",
         "maximise a shifted/scaled negated Rosenbrock (dim=2); 30 queries of 1024 candidates", True, None),
        ("StyblinskiTang", "styblinski_tang", None, "BoTorch test functions; NAP (Maraval et al., NeurIPS 2023)",
         "maximise a shifted/scaled negated Styblinski-Tang (dim=2); 30 queries of 1024 candidates", True, None),
        ("Tabular", "tabular", None, "HPO-B-style tabular BO (Pineda Arango et al., NeurIPS 2021 D&B)",
         "maximise over a tabular dataset (datasets=list of (X, y) or .npz; default: 30 synthetic 3-D tasks)",
         True, None),
        ("HPOB", "hpob", 100, "HPO-B v3 (Pineda Arango et al., NeurIPS 2021 D&B); NAP (Maraval et al., 2023)",
         "HPO-B v3 search space from a user-supplied data_dir (never downloaded); 5 init + 100 trials", False, None),
    )),
    # --- gridworld ---
    *(EnvEntry(
        id=f"rlenvs/LPGGrid{suffix}-v0",
        entry_point="rlenvs.gridworld.lpg:LPGGridEnv",
        vector_entry_point="rlenvs.gridworld.lpg:LPGGridVectorEnv",
        max_episode_steps=longest,  # the level set's longest episode; each level truncates at its own max_steps
        family="gridworld",
        paper="LPG (Oh et al., NeurIPS 2020); GROOVE (Jackson et al., NeurIPS 2023, arXiv 2310.02782)",
        summary=summary,
        kwargs={"level_set": level_set},
        ci=ci,
    ) for suffix, level_set, longest, ci, summary in (
        ("", "tabular", 2000, True, "LPG's 5 tabular worlds (dense/sparse/long/longer/long_dense); exact optimum"),
        ("-Small", "small", 100, False, "GROOVE 'small': 4-6 grid, 7 walls, 1-3 objects, 20-100 steps"),
        ("-Medium", "medium", 250, False, "GROOVE 'medium': 6-8 grid, 10 walls, 2-4 objects, 100-250 steps"),
        ("-Large", "large", 750, False, "GROOVE 'large': 8-10 grid, 15 walls, 2-5 objects, 250-750 steps"),
        ("-All", "all", 750, True, "GROOVE 'all' (its meta-training set): 4-10 grid, 1-5 objects, 20-750 steps"),
        ("-Mazes", "mazes", 50, False, "GROOVE 'mazes': MiniMax maze layouts with 3 objects, 25-50 steps"),
    )),
    EnvEntry(
        id="rlenvs/Maze-v0",
        entry_point="rlenvs.gridworld.maze:MazeEnv",
        vector_entry_point="rlenvs.gridworld.maze:MazeVectorEnv",
        max_episode_steps=250,
        family="gridworld",
        paper="PLR / ACCEL / PAIRED mazes as in MiniMax (Jiang et al., 2023) and JaxUED (Coward et al., 2024)",
        summary="13x13 UED maze, 25 random walls, 5x5 egocentric view; test split: 8 held-out named mazes",
        kwargs={"n_walls": 25},
    ),
    EnvEntry(
        id="rlenvs/Maze-Walls60-v0",
        entry_point="rlenvs.gridworld.maze:MazeEnv",
        vector_entry_point="rlenvs.gridworld.maze:MazeVectorEnv",
        max_episode_steps=250,
        family="gridworld",
        paper="PLR / ACCEL / PAIRED mazes as in MiniMax (Jiang et al., 2023) and JaxUED (Coward et al., 2024)",
        summary="Maze with MiniMax's DR / PLR wall budget of 60 random walls",
        kwargs={"n_walls": 60},
        ci=False,
    ),
    EnvEntry(
        id="rlenvs/CombinationLock-v0",
        entry_point="rlenvs.gridworld.lock:CombinationLockEnv",
        vector_entry_point="rlenvs.gridworld.lock:CombinationLockVectorEnv",
        max_episode_steps=None,  # terminates after `horizon` steps
        family="gridworld",
        paper="Diabolical lock (Misra et al., ICML 2020); HyGLOW (Amortila et al., ICLR 2024, arXiv 2401.09681)",
        summary="rich-observation lock: 10 levels, 10 actions, secret combination as the task, reward at the end",
        kwargs={"horizon": 10, "num_actions": 10},
    ),
    # --- preference ---
    EnvEntry(
        id="rlenvs/PrefStrength-v0",
        entry_point="rlenvs.preference.strength:PrefStrengthEnv",
        vector_entry_point=None,
        max_episode_steps=None,
        family="preference",
        paper="Secrets of RLHF in LLMs Part II: Reward Modeling (Wang et al., 2024, arXiv 2401.06080)",
        summary="predict P(y1 > y2) over a sweep of preference pairs with known gold reward, wrong and ambiguous "
                "labels; dataset(name) arrays",
    ),
    EnvEntry(
        id="rlenvs/PrefBandit-v0",
        entry_point="rlenvs.preference.bandit:PrefBanditEnv",
        vector_entry_point=None,
        max_episode_steps=None,
        family="preference",
        paper="Secrets of RLHF in LLMs Part II: Reward Modeling (Wang et al., 2024, arXiv 2401.06080)",
        summary="one-step RLHF policy stage on PrefStrength's world: prompt -> response, gold reward",
    ),
    EnvEntry(
        id="rlenvs/SynthSumm-v0",
        entry_point="rlenvs.preference.synthsumm:SynthSummEnv",
        vector_entry_point=None,
        max_episode_steps=None,
        family="preference",
        paper="Effects of RLHF on LLM Generalisation and Diversity (Kirk et al., ICLR 2024)",
        summary="token-level summaries of synthetic TL;DR-like (ID) / CNN-DM-like (OOD) documents, gold reward",
    ),
    EnvEntry(
        id="rlenvs/SeqInstruct-v0",
        entry_point="rlenvs.preference.seqinstruct:SeqInstructEnv",
        vector_entry_point=None,
        max_episode_steps=None,
        family="preference",
        paper="Effects of RLHF on LLM Generalisation and Diversity (Kirk et al., ICLR 2024)",
        summary="token-level compositional list instructions: 1-2 steps ID, 3-4 steps / held-out op pairs OOD",
    ),
    # --- pbrl ---
    EnvEntry(
        id="rlenvs/PrefGrid-v0",
        entry_point="rlenvs.preference.feedback:make_env",
        vector_entry_point=None,
        max_episode_steps=30,
        family="pbrl",
        paper="PARL (Chakraborty et al., ICLR 2024); B-Pref teachers (Lee et al., NeurIPS 2021 D&B)",
        summary="8x8 slippery grid, gold goal/object reward, exact soft VI; reward hidden, B-Pref teacher, 200 queries",
        kwargs={"base_entry_point": "rlenvs.preference.pref_grid:PrefGridEnv", "teacher": "oracle", "segment": 10,
                "max_feedback": 200},
    ),
    EnvEntry(
        id="rlenvs/PrefPointButton-v0",
        entry_point="rlenvs.preference.feedback:make_env",
        vector_entry_point="rlenvs.preference.feedback:make_vector_env",
        max_episode_steps=100,
        family="pbrl",
        paper="B-Pref (Lee et al., NeurIPS 2021 D&B); PARL (Chakraborty et al., ICLR 2024)",
        summary="numba point mass: press a button, then hold a handle; reward hidden, B-Pref teacher, 1000 queries",
        kwargs={"base_entry_point": "rlenvs.preference.point_button:PrefPointButtonEnv",
                "base_vector_entry_point": "rlenvs.preference.point_button:PrefPointButtonVectorEnv",
                "teacher": "oracle", "segment": 25, "max_feedback": 1000},
    ),
    EnvEntry(
        id="rlenvs/PrefPendulum-v0",
        entry_point="rlenvs.preference.feedback:make_env",
        vector_entry_point=None,
        max_episode_steps=200,
        family="pbrl",
        paper="B-Pref (Lee et al., NeurIPS 2021 D&B); Gymnasium Pendulum-v1",
        summary="Pendulum-v1 swing-up, task = (g, m, l); reward hidden, B-Pref teacher, 200 queries",
        kwargs={"base_entry_point": "rlenvs.preference.gym_tasks:PendulumTaskEnv", "teacher": "oracle",
                "segment": 25, "max_feedback": 200},
    ),
    *(EnvEntry(
        id=f"rlenvs/Pref{name}-v0",
        entry_point="rlenvs.preference.feedback:make_env",
        vector_entry_point="rlenvs.preference.feedback:make_vector_env",
        max_episode_steps=500,
        family="pbrl",
        paper="B-Pref (Lee et al., NeurIPS 2021 D&B); PARL (Chakraborty et al., ICLR 2024); metaworld 3.1.1",
        summary=f"Meta-World {env_name} (ML1 goals, hidden as in B-Pref); reward hidden, B-Pref teacher, 10000 queries",
        kwargs={"base_entry_point": "rlenvs.metaworld.env:MetaWorldEnv",
                "base_vector_entry_point": "rlenvs.metaworld.vector:MetaWorldVectorEnv", "benchmark": "ML1",
                "env_name": env_name, "teacher": "oracle", "segment": 50, "max_feedback": 10000},
        ci=False,
        max_num_envs=64,
    ) for name, env_name in (("ButtonPress", "button-press-v3"), ("DoorOpen", "door-open-v3"),
                             ("SweepInto", "sweep-into-v3"))),
    *(EnvEntry(
        id=f"rlenvs/Pref{name}-v0",
        entry_point="rlenvs.preference.feedback:make_env",
        vector_entry_point=None,
        max_episode_steps=1000,
        family="pbrl",
        paper="B-Pref (Lee et al., NeurIPS 2021 D&B); PARL (Chakraborty et al., ICLR 2024); Gymnasium MuJoCo v5",
        summary=f"Gymnasium {name}-v5, task = gold reward weights; reward hidden, B-Pref teacher, 1000 queries",
        kwargs={"base_entry_point": "rlenvs.preference.gym_tasks:LocomotionTaskEnv", "robot": robot,
                "teacher": "oracle", "segment": 50, "max_feedback": 1000},
        ci=False,
    ) for name, robot in (("Walker2d", "walker2d"), ("HalfCheetah", "half_cheetah"))),
)

_BY_ID = {entry.id: entry for entry in ENVS}


class UnknownEnvError(gym.error.UnregisteredEnv):
    """An env id that rlenvs does not register."""


def register_envs() -> None:
    """Register every row of :data:`ENVS` with Gymnasium (idempotent)."""
    for entry in ENVS:
        if entry.api == "gymnasium" and entry.id not in gym.registry:
            gym.register(
                id=entry.id,
                entry_point=entry.entry_point,
                vector_entry_point=entry.vector_entry_point,
                max_episode_steps=entry.max_episode_steps,
                kwargs=dict(entry.kwargs),
            )


def list_envs(api: str | None = None) -> tuple[EnvEntry, ...]:
    """Every registered rlenvs env in table order; ``api="gymnasium"`` or ``"pettingzoo"`` keeps one kind."""
    return tuple(entry for entry in ENVS if api is None or entry.api == api)


def get_entry(env_id: str) -> EnvEntry:
    """The entry of ``env_id`` (the ``rlenvs/`` prefix may be left out); unknown ids list close matches."""
    if env_id in _BY_ID:
        return _BY_ID[env_id]
    prefixed = f"{NAMESPACE}/{env_id}"
    if prefixed in _BY_ID:
        return _BY_ID[prefixed]
    close = difflib.get_close_matches(prefixed if "/" not in env_id else env_id, list(_BY_ID), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise UnknownEnvError(f"unknown env id {env_id!r}.{hint} `rlenvs list` shows every id.")


def make(env_id: str, **kwargs: Any) -> gym.Env:
    """``gym.make`` for an rlenvs id (the ``rlenvs/`` prefix is optional)."""
    entry = get_entry(env_id)
    if entry.api != "gymnasium":
        raise ValueError(f"{entry.id} is a PettingZoo env: use rlenvs.make_parallel({entry.id!r})")
    return gym.make(entry.id, **kwargs)


def make_parallel(env_id: str, **kwargs: Any):
    """A PettingZoo ``ParallelEnv`` for a multi-agent rlenvs id (the ``rlenvs/`` prefix is optional)."""
    entry = get_entry(env_id)
    if entry.api != "pettingzoo":
        raise ValueError(f"{entry.id} is a Gymnasium env: use rlenvs.make({entry.id!r}) or gym.make")
    module, name = entry.entry_point.split(":")
    env_class = getattr(importlib.import_module(module), name)
    return env_class(**{**entry.kwargs, **kwargs})


def make_vec(env_id: str, num_envs: int = 1, vectorization_mode: str | None = None, **kwargs: Any):
    """``gym.make_vec`` for an rlenvs id; the native batched env is the default where one exists."""
    if get_entry(env_id).api != "gymnasium":
        raise ValueError(f"{get_entry(env_id).id} is a PettingZoo env; see its family for the batched form")
    return gym.make_vec(get_entry(env_id).id, num_envs=num_envs, vectorization_mode=vectorization_mode, **kwargs)


def warmup(env_ids: Iterable[str] | None = None) -> None:
    """Compile (or load from numba's cache) the kernels of ``env_ids`` (default: all but those that read
    user-supplied data) ahead of use."""
    for env_id in env_ids or [entry.id for entry in list_envs(api="gymnasium") if not entry.user_data]:
        entry = get_entry(env_id)
        env = make(entry.id)
        env.reset(seed=0)
        env.step(env.action_space.sample())
        env.close()
        if entry.vector:
            envs = make_vec(entry.id, num_envs=2)
            envs.reset(seed=0)
            for _ in range(2):
                envs.step(envs.action_space.sample())
            envs.close()
