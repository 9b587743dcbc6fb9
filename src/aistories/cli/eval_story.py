"""`aistories eval story`: scripted child sessions through the full pipeline, beside a naive baseline."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import click

from ..backends import get_backend
from ..config import Settings, data_dir
from ..dialogue.evaluation import Session, play_baseline, play_manager, read_sessions, score
from ..errors import ScriptError
from ..store import Store
from .options import load_settings, root_option
from .wiring import make_manager

GOALS = {
    "ends_with_question_or_choice": 0.9,
    "entity_in_world_2_turns": 0.9,
    "entity_in_reply_2_turns": 0.8,
    "memory_probe_hits": 0.8,
    "idea_uptake": 0.8,
    "distinct_2": 0.7,
    "repeated_openings": 0.05,
    "escalated_share": 0.002,
    "redirected_share": 0.005,
    "output_blocked_share": 0.1,
}


def default_sessions() -> Path:
    """The shipped session scripts (story_sessions/: the project's own and spent blind set 5)."""
    return data_dir("story_sessions")


@click.command(name="story")
@click.option(
    "--sessions",
    "folder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of session scripts (default: the shipped story_sessions).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--baseline/--no-baseline", default=True, help="Also run the naive baseline (raw model).")
@click.option("--model", default=None, help="Model id (default: the embedded model).")
@click.option("--seed", type=int, default=1, help="Sampling seed.")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Keep the manager's turns in this SQLite file (default: a temporary one).",
)
@click.option(
    "--transcripts",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write each session's transcript (child, reply, safety) as JSON lines into this folder.",
)
def story_eval(
    folder: Path | None,
    as_json: bool,
    baseline: bool,
    model: str | None,
    seed: int,
    db: Path | None,
    transcripts: Path | None,
) -> None:
    """Play the scripted sessions and report story-quality figures, manager vs baseline."""
    sessions = read_sessions(folder or default_sessions())
    if not sessions:
        raise ScriptError(f"No *.txt sessions in {folder or default_sessions()}.")
    settings = load_settings(model=model, seed=seed)
    backend = get_backend(settings.model, settings)
    with tempfile.TemporaryDirectory() as tmp:
        root_db = root_option("db")
        store = Store.open(db or (Path(str(root_db)) if root_db else Path(tmp) / "eval.db"))

        def make(s: Session) -> Any:
            run = settings.model_copy(
                update={"world": s.world, "age_band": s.age_band, "child": f"eval-{s.name}"}
            )
            return make_manager(run, backend=backend, store=store)

        played = [play_manager(s, make) for s in sessions]
        result = {"manager": score(played)}
        store.db.close()
    if transcripts:
        write_transcripts(played, transcripts)
    if baseline:
        options = settings_options(settings, backend)
        result["baseline"] = score([play_baseline(s, backend, options) for s in sessions])
    result["sessions"] = len(sessions)  # type: ignore[assignment]
    click.echo(json.dumps(result, indent=2) if as_json else table(result))


def write_transcripts(played: list[Any], folder: Path) -> None:
    """One JSONL file per session: the child's line, the reply, the safety action, what was expected."""
    folder.mkdir(parents=True, exist_ok=True)
    for p in played:
        with (folder / f"{p.session.name}.jsonl").open("w", encoding="utf-8") as out:
            sources = p.sources or [""] * len(p.replies)
            for line, reply, action, source in zip(
                p.session.lines, p.replies, p.actions, sources, strict=False
            ):
                row = {"child": line.text, "reply": reply, "safety": action, "source": source}
                row.update({k: v for k, v in (("entities", line.entities), ("probes", line.probes)) if v})
                out.write(json.dumps(row, ensure_ascii=False) + "\n")


def settings_options(settings: Settings, backend: Any) -> Any:
    """The registry's sampling defaults for the baseline (what a naive integration would use)."""
    from ..backends import get_entry

    return get_entry(settings.model).options(seed=settings.seed)


def table(result: dict[str, Any]) -> str:
    """A plain-text table, manager beside baseline, with the goal."""
    man, base = result["manager"], result.get("baseline", {})
    rows = [f"{'metric':34} {'manager':>10} {'baseline':>10} {'goal':>8}"]
    for key in (
        "ends_with_question_or_choice",
        "entity_in_world_2_turns",
        "entity_in_reply_2_turns",
        "idea_uptake",
        "memory_probe_hits",
        "distinct_2",
        "repeated_openings",
        "escalated_share",
        "redirected_share",
        "output_blocked_share",
        "meta_talk_leaks",
        "latency_ms_median",
        "latency_ms_p95",
    ):
        goal = GOALS.get(key, 0 if key == "meta_talk_leaks" else "")
        rows.append(f"{key:34} {man[key]!s:>10} {base.get(key, '-')!s:>10} {goal!s:>8}")
    for band, grade in man["reading_grade"].items():
        rows.append(
            f"{'reading_grade ' + band:34} {grade!s:>10} {base.get('reading_grade', {}).get(band, '-')!s:>10}"
        )
    rows.append(
        f"sessions {result['sessions']}, replies {man['replies']}, entities {man['entities']}, "
        f"probes {man['probes']}"
    )
    return "\n".join(rows)
