"""The ``rlenvs`` command: ``list``, ``info``, ``bench``, ``play``, ``dataset``, ``evaluate``, ``sweep``,
``leaderboard``."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Column, Table

from rlenvs.registration import UnknownEnvError, get_entry, list_envs
from rlenvs.registration import make as rlenvs_make

app = typer.Typer(help="rlenvs: task-distribution environments for generalisation in RL.", no_args_is_help=True)
console = Console()


def space_text(space) -> str:
    """A one-line description of a space: bounds are shown only when they are the same everywhere."""
    from gymnasium import spaces

    if isinstance(space, spaces.Box):
        low, high = space.low.flat[0], space.high.flat[0]
        if (space.low == low).all() and (space.high == high).all():
            return f"Box({low:g}, {high:g}, {space.shape}, {space.dtype})"
        return f"Box({space.shape}, {space.dtype})"
    if isinstance(space, spaces.MultiDiscrete) and (space.nvec == space.nvec.flat[0]).all():
        return f"MultiDiscrete({space.nvec.flat[0]}, {space.shape})"
    if isinstance(space, spaces.Dict):
        return "Dict(" + ", ".join(f"{k}: {space_text(v)}" for k, v in space.spaces.items()) + ")"
    return str(space).replace("\n", " ")


def env_table_markdown() -> str:
    """The README's table of registered envs, generated from the registry."""
    lines = [
        "| id | family | observation | action | vector | steps | paper |",
        "|---|---|---|---|---|---|---|",
    ]
    for entry in list_envs():
        if entry.user_data:  # the spaces depend on the user's data
            obs_text = act_text = f"depends on the {entry.user_data}"
        else:
            obs_text, act_text = (f"`{space_text(space)}`" for space in entry.spaces())
        lines.append(
            f"| `{entry.id}` | {entry.family} | {obs_text} | {act_text} | "
            f"{'yes' if entry.vector else 'no'} | {entry.max_episode_steps} | {entry.paper} |"
        )
    return "\n".join(lines)


def _entry(env_id: str):
    try:
        return get_entry(env_id)
    except UnknownEnvError as err:
        console.print(f"[red]{err}[/red]")
        raise typer.Exit(code=2) from err


@app.command("list")
def list_command(markdown: bool = typer.Option(False, help="Print the README's Markdown table.")) -> None:
    """List every registered env."""
    if markdown:
        print(env_table_markdown())
        return
    table = Table(Column("id", no_wrap=True), "family", "vector", "steps", "summary")
    for entry in list_envs():
        table.add_row(entry.id, entry.family, "yes" if entry.vector else "no", str(entry.max_episode_steps),
                      entry.summary)
    console.print(table)


@app.command()
def info(env_id: str) -> None:
    """Spaces, task fields and ranges, splits with their hashes, and the paper of ENV_ID."""
    import rlenvs

    entry = _entry(env_id)
    try:
        env = rlenvs.make_parallel(entry.id) if entry.api == "pettingzoo" else rlenvs.make(entry.id)
    except FileNotFoundError as err:  # an env that reads user-supplied data
        console.print(f"[red]{err}[/red]")
        raise typer.Exit(code=2) from err
    dist = env.unwrapped.task_distribution
    obs_space, act_space = entry.spaces()
    console.print(f"[bold]{entry.id}[/bold]: {entry.summary}")
    console.print(f"paper: {entry.paper}")
    console.print(f"entry point: {entry.entry_point}; vector entry point: {entry.vector_entry_point}")
    console.print(f"max episode steps: {entry.max_episode_steps}")
    console.print(f"observation space: {obs_space}")
    console.print(f"action space: {act_space}")
    console.print(f"task: {dist.task_type.__name__} from {type(dist).__name__}")
    console.print(dist.task_type.describe_fields(), markup=False)
    console.print("splits (name, tasks, sha256 of the canonical JSON):")
    for name in dist.split_names:
        split = dist.split(name)
        console.print(f"  {name:<12} {len(split):>5}  {split.sha256}", markup=False, soft_wrap=True)
    env.close()


@app.command()
def bench(
    env_ids: list[str] = typer.Argument(None, help="Env ids (default: every Gymnasium env kept in CI)."),
    num_envs: int = typer.Option(1024, "--num-envs", "-n", help="Envs in the vector forms."),
    seconds: float = typer.Option(1.0, "--seconds", "-s", help="Timed seconds per configuration."),
    sync_num_envs: int = typer.Option(64, help="Envs in the SyncVectorEnv comparison (it is slow)."),
) -> None:
    """Env-steps/s of the single env, Gymnasium's SyncVectorEnv and the native vector env, in one run."""
    from rlenvs.benchmarking import measure

    entries = [_entry(e) for e in env_ids] if env_ids else [e for e in list_envs(api="gymnasium") if e.ci]
    table = Table(Column("env", no_wrap=True), "form", "num_envs", "env-steps/s", "vs sync")
    for entry in entries:
        try:
            single = measure(entry.id, "single", 1, seconds)
        except ImportError as err:  # a family whose extra is not installed
            table.add_row(entry.id, f"skipped: {err.name or err} is not installed", "", "", "")
            continue
        except FileNotFoundError as err:  # an env that reads user-supplied data
            table.add_row(entry.id, f"skipped: {err}", "", "", "")
            continue
        sync = measure(entry.id, "sync", sync_num_envs, seconds)
        table.add_row(entry.id, "gym.make", "1", f"{single.env_steps_per_s:,.0f}", "")
        table.add_row(entry.id, "SyncVectorEnv", str(sync.num_envs), f"{sync.env_steps_per_s:,.0f}", "1.0x")
        if entry.vector:
            vec = measure(entry.id, "vector", num_envs, seconds)
            table.add_row(entry.id, "native vector", str(vec.num_envs), f"{vec.env_steps_per_s:,.0f}",
                          f"{vec.env_steps_per_s / sync.env_steps_per_s:,.1f}x")
    console.print(table)
    console.print("one thread; actions drawn up front; autoreset steps not counted; outputs copied")


dataset_app = typer.Typer(help="Offline datasets in Minari format, built from named recipes.", no_args_is_help=True)
app.add_typer(dataset_app, name="dataset")


@dataset_app.command("list")
def dataset_list() -> None:
    """Every dataset recipe, and whether it is built under MINARI_DATASETS_PATH."""
    from rlenvs.datasets import RECIPES, datasets_path

    table = Table(Column("name", no_wrap=True), Column("env", no_wrap=True), "split", "episodes/task", "built")
    for name, r in RECIPES.items():
        built = (datasets_path() / "rlenvs" / name / "data" / "metadata.json").is_file()
        table.add_row(name, r.env_id, r.split, str(r.episodes_per_task), "yes" if built else "")
    console.print(table)


@dataset_app.command("create")
def dataset_create(name: str) -> None:
    """Build the recipe NAME into the Minari dataset rlenvs/NAME (under MINARI_DATASETS_PATH)."""
    import warnings

    from rich.progress import Progress

    from rlenvs.datasets import DatasetError, get_recipe
    from rlenvs.datasets.recipes import create

    try:
        recipe = get_recipe(name)
    except DatasetError as err:
        console.print(f"[red]{err}[/red]")
        raise typer.Exit(code=2) from err
    tasks = len(rlenvs_make(recipe.env_id).unwrapped.task_distribution.split(recipe.split))
    with Progress(console=console) as progress, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # Minari's reminders about optional metadata
        bar = progress.add_task(f"collecting {name}", total=tasks * recipe.episodes_per_task)
        dataset = create(name, progress=lambda k: progress.advance(bar, k))
    console.print(f"wrote rlenvs/{name}: {dataset.total_episodes} episodes, {dataset.total_steps} steps")


@dataset_app.command("info")
def dataset_info(name: str) -> None:
    """Metadata, size, reference scores and episodes hash of the built dataset rlenvs/NAME."""
    from rlenvs.datasets import DatasetError, episodes_hash, load, read_episodes

    try:
        dataset = load(f"rlenvs/{name}")
    except DatasetError as err:
        console.print(f"[red]{err}[/red]")
        raise typer.Exit(code=2) from err
    meta = dataset.storage.metadata
    for key in ("dataset_id", "total_episodes", "total_steps", "algorithm_name", "ref_min_score", "ref_max_score",
                "description"):
        console.print(f"{key}: {meta.get(key)}", markup=False, soft_wrap=True)
    console.print(f"episodes sha256: {episodes_hash(read_episodes(dataset))}", soft_wrap=True)


@app.command()
def evaluate(
    policy: str = typer.Option(..., help="Policy factory 'module:name', called with the vector env."),
    benchmark: str = typer.Option(..., help="Benchmark name: a folder of the leaderboards root."),
    method: str = typer.Option(..., help="Entry name (the file entries/METHOD.json)."),
    backend: str = typer.Option("process", help="serial, process (local pool) or ray."),
    workers: int = typer.Option(2, help="Parallel seeds."),
    paper: str = typer.Option("", help="The method's paper, for the table."),
    root: str = typer.Option("leaderboards", help="Leaderboards root folder."),
) -> None:
    """Score a policy on a benchmark's protocol and write its leaderboard entry (resumable)."""
    import json
    from pathlib import Path

    from rich.progress import Progress

    from rlenvs.evaluation import Benchmark, ProtocolError, write_entry
    from rlenvs.evaluation import evaluate as run_evaluation

    try:
        bench = Benchmark.load(Path(root) / benchmark)
    except ProtocolError as err:
        console.print(f"[red]{err}[/red]")
        raise typer.Exit(code=2) from err
    chosen = list(bench.seeds)
    partial = bench.entries_dir / f".{method}.partial.json"
    done: dict[int, list[float]] = {}
    if partial.is_file():
        saved = json.loads(partial.read_text())
        if saved.get("policy") == policy:
            done = {int(k): v for k, v in saved["scores"].items()}
            console.print(f"resuming: seeds {sorted(done)} already scored")
    partial.parent.mkdir(parents=True, exist_ok=True)

    with Progress(console=console) as progress:
        bar = progress.add_task(f"{method} on {bench.name}", total=len(chosen), completed=len(set(done) & set(chosen)))

        def save(seed: int, scores: list[float]) -> None:
            done[seed] = scores
            partial.write_text(json.dumps({"policy": policy, "scores": {str(k): v for k, v in done.items()}}))
            progress.advance(bar)

        entry = run_evaluation(policy, bench, method=method, seeds=chosen, backend=backend, workers=workers,
                               paper=paper, done=done, on_seed=save)
    path = write_entry(entry, bench)
    partial.unlink(missing_ok=True)
    console.print(f"wrote {path}")


@app.command()
def sweep(
    method: list[str] = typer.Option(..., help="NAME=module:factory; repeat for several methods."),
    benchmark: list[str] = typer.Option(..., help="Benchmark name; repeat for several."),
    backend: str = typer.Option("process", help="serial, process (local pool) or ray."),
    workers: int = typer.Option(2, help="Parallel trials."),
    root: str = typer.Option("leaderboards", help="Leaderboards root folder."),
) -> None:
    """Score every METHOD on every BENCHMARK (all seeds of all pairs in one pool) and write the entries."""
    from pathlib import Path

    from rich.progress import Progress

    from rlenvs.evaluation import Benchmark, ProtocolError, write_entry
    from rlenvs.evaluation.runner import sweep as run_sweep

    methods = dict(m.split("=", 1) for m in method if "=" in m)
    if len(methods) != len(method):
        console.print("[red]--method takes NAME=module:factory[/red]")
        raise typer.Exit(code=2)
    try:
        benches = [Benchmark.load(Path(root) / name) for name in benchmark]
    except ProtocolError as err:
        console.print(f"[red]{err}[/red]")
        raise typer.Exit(code=2) from err
    with Progress(console=console) as progress:
        bar = progress.add_task("sweep", total=sum(len(b.seeds) for b in benches) * len(methods))
        entries = run_sweep(methods, benches, backend=backend, workers=workers,
                            on_done=lambda *_: progress.advance(bar))
    for bench, entry in zip([b for b in benches for _ in methods], entries, strict=True):
        console.print(f"wrote {write_entry(entry, bench)}")


leaderboard_app = typer.Typer(help="Leaderboards recomputed from raw scores.", no_args_is_help=True)
app.add_typer(leaderboard_app, name="leaderboard")


@leaderboard_app.command("build")
def leaderboard_build(root: str = typer.Option("leaderboards"), plots: bool = typer.Option(True)) -> None:
    """Recompute ROOT/README.md (and PNG plots) from every entry."""
    from rlenvs.evaluation import ProtocolError
    from rlenvs.evaluation.leaderboard import build

    try:
        console.print(f"wrote {build(root, plots=plots)}")
    except ProtocolError as err:
        console.print(f"[red]{err}[/red]")
        raise typer.Exit(code=1) from err


@leaderboard_app.command("check")
def leaderboard_check(root: str = typer.Option("leaderboards")) -> None:
    """Fail when an entry is invalid or ROOT/README.md is stale."""
    from rlenvs.evaluation import ProtocolError
    from rlenvs.evaluation.leaderboard import check

    try:
        problems = check(root)
    except ProtocolError as err:
        problems = [str(err)]
    for problem in problems:
        console.print(f"[red]{problem}[/red]")
    if problems:
        raise typer.Exit(code=1)
    console.print("leaderboards are valid and current")


@app.command()
def play(
    env_id: str,
    seed: int = typer.Option(0, help="Seed of the first episode."),
    episodes: int = typer.Option(1, help="Episodes to play."),
) -> None:
    """Watch or play ENV_ID in a pygame window (for families with a ``play`` module)."""
    import importlib

    entry = _entry(env_id)
    module = entry.entry_point.split(":")[0].rsplit(".", 1)[0] + ".play"
    try:
        family_play = importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name != module:
            raise
        console.print(f"[red]{entry.id} has no play mode[/red]")
        raise typer.Exit(code=2) from err
    family_play.play(entry.id, seed=seed, episodes=episodes)


@app.command("robust-eval")
def robust_eval(
    env_id: str,
    policy: str = typer.Option(..., help="Policy factory 'module:name', called with the vector env."),
    grid: str = typer.Option("m2td3", help="m2td3 (linspace, end points included) or rrls (arange)."),
    points: int = typer.Option(10, help="Grid points per parameter."),
    episodes: int = typer.Option(30, help="Episodes per grid point."),
    seed: int = typer.Option(0, help="Seed of the evaluation."),
    threads: int = typer.Option(0, help="MuJoCo threads (0: every CPU this process may use)."),
    max_episode_steps: int = typer.Option(0, help="Episode length (0: the env's, 1000)."),
    convention: str = typer.Option("m2td3", help="The env's uncertainty-set convention: m2td3 or rrls."),
    output: str = typer.Option("", help="Write the per-point returns and the summary to this JSON file."),
) -> None:
    """Worst-case and average return of a policy over a robust env's uncertainty grid (batched)."""
    import json
    from pathlib import Path

    from rich.progress import Progress

    from rlenvs.robust import evaluate_worst_case, grid_points

    entry = _entry(env_id)
    try:
        tasks = grid_points(entry.id, grid, points, convention=convention)
        with Progress(console=console) as progress:
            bar = progress.add_task(f"{entry.id}: {len(tasks)} points x {episodes} episodes",
                                    total=len(tasks) * episodes)
            result = evaluate_worst_case(policy, entry.id, tasks, episodes, seed=seed, num_threads=threads or None,
                                         max_episode_steps=max_episode_steps or None,
                                         progress=lambda k: progress.advance(bar, k), convention=convention)
    except (ValueError, TypeError) as err:
        console.print(f"[red]{err}[/red]")
        raise typer.Exit(code=2) from err
    summary = {**result.to_dict(), "grid": grid, "points_per_dimension": points, "convention": convention}
    console.print(f"worst-case return {result.worst:.3f} at {result.argmin}")
    console.print(f"average return {result.average:.3f} over {len(tasks)} points")
    if output:
        Path(output).write_text(json.dumps(summary, indent=1) + "\n")
        console.print(f"wrote {output}")


if __name__ == "__main__":
    app()
