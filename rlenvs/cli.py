"""The ``rlenvs`` command: ``list``, ``info``, ``bench``, ``play``."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Column, Table

from rlenvs.registration import UnknownEnvError, get_entry, list_envs

app = typer.Typer(help="rlenvs: task-distribution environments for generalisation in RL.", no_args_is_help=True)
console = Console()


def env_table_markdown() -> str:
    """The README's table of registered envs, generated from the registry."""
    lines = [
        "| id | family | observation | action | vector | steps | paper |",
        "|---|---|---|---|---|---|---|",
    ]
    for entry in list_envs():
        obs, act = entry.spaces()
        lines.append(
            f"| `{entry.id}` | {entry.family} | `{obs}` | `{act}` | {'yes' if entry.vector else 'no'} | "
            f"{entry.max_episode_steps} | {entry.paper} |"
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
    env = rlenvs.make_parallel(entry.id) if entry.api == "pettingzoo" else rlenvs.make(entry.id)
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
    env_ids: list[str] = typer.Argument(None, help="Env ids (default: every registered env)."),
    num_envs: int = typer.Option(1024, "--num-envs", "-n", help="Envs in the vector forms."),
    seconds: float = typer.Option(1.0, "--seconds", "-s", help="Timed seconds per configuration."),
    sync_num_envs: int = typer.Option(64, help="Envs in the SyncVectorEnv comparison (it is slow)."),
) -> None:
    """Env-steps/s of the single env, Gymnasium's SyncVectorEnv and the native vector env, in one run."""
    from rlenvs.benchmarking import measure

    entries = [_entry(e) for e in env_ids] if env_ids else list(list_envs(api="gymnasium"))
    table = Table(Column("env", no_wrap=True), "form", "num_envs", "env-steps/s", "vs sync")
    for entry in entries:
        single = measure(entry.id, "single", 1, seconds)
        sync = measure(entry.id, "sync", sync_num_envs, seconds)
        table.add_row(entry.id, "gym.make", "1", f"{single.env_steps_per_s:,.0f}", "")
        table.add_row(entry.id, "SyncVectorEnv", str(sync_num_envs), f"{sync.env_steps_per_s:,.0f}", "1.0x")
        if entry.vector:
            vec = measure(entry.id, "vector", num_envs, seconds)
            table.add_row(entry.id, "native vector", str(num_envs), f"{vec.env_steps_per_s:,.0f}",
                          f"{vec.env_steps_per_s / sync.env_steps_per_s:,.1f}x")
    console.print(table)
    console.print("one thread; actions drawn up front; autoreset steps not counted; outputs copied")


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


if __name__ == "__main__":
    app()
