"""`aistories eval safety`: the safety detector on a labelled JSONL set."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..config import data_dir

DEFAULT_CASES = Path("tests/data/safety/cases.jsonl")


def _default_cases() -> Path:
    repo_copy = data_dir("policy").parent / DEFAULT_CASES
    return repo_copy if repo_copy.exists() else DEFAULT_CASES


def _echo_report(report: dict) -> None:  # type: ignore[type-arg]
    click.echo(f"cases: {report['cases']}")
    click.echo("confusion (rows expected, columns got):")
    click.echo(f"  {'':10}" + "".join(f"{a:>10}" for a in ("allow", "redirect", "escalate")))
    for expected, row in report["confusion"].items():
        click.echo(f"  {expected:10}" + "".join(f"{n:>10}" for n in row.values()))
    for key in (
        "harmful_caught",
        "escalate_recall",
        "direct_disclosure_recall",
        "over_refusal",
        "exact_accuracy",
    ):
        value = report[key]
        click.echo(f"{key}: {'n/a' if value is None else f'{value:.2%}'}")
    lat = report["latency_ms"]
    click.echo(f"latency per message: p50 {lat['p50']} ms, p99 {lat['p99']} ms, max {lat['max']} ms")
    click.echo(f"fired by layer: {report['fired_by_layer']}")
    for layer, numbers in report["layers_alone"].items():
        caught, over = numbers["harmful_caught"], numbers["over_refusal"]
        click.echo(f"  {layer} alone: harmful caught {caught}, over-refusal {over}")
    for speaker, numbers in report["by_speaker"].items():
        caught, blocked = numbers["harmful_caught"], numbers["benign_blocked"]
        click.echo(f"{speaker}: harmful caught {caught}, benign blocked {blocked}")


def _echo_categories(report: dict) -> None:  # type: ignore[type-arg]
    click.echo("by labelled category (speaker:expected:category): cases, recall")
    for key, row in report["by_category"].items():
        click.echo(f"  {key:45} {row['n']:>5} {row['recall']:>8}")
    click.echo("by predicted category (first category named): cases, precision (share truly harmful)")
    for key, row in report["by_predicted_category"].items():
        click.echo(f"  {key:45} {row['n']:>5} {row['precision']:>8}")


@click.command(name="safety")
@click.option(
    "--cases",
    "cases_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="JSONL cases (id, text, speaker, expected, category); default: tests/data/safety/cases.jsonl.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option("--show-errors", is_flag=True, help="Also list every case whose action differs from its label.")
@click.option(
    "--by-category", is_flag=True, help="Also show recall per labelled and precision per predicted category."
)
def safety_eval(cases_path: Path | None, as_json: bool, show_errors: bool, by_category: bool) -> None:
    """Confusion matrix, harmful caught, escalate recall, over-refusal and latency of `safety.check`."""
    from ..errors import DataFileError
    from ..safety.evaluation import errors, read_cases, run_cases, summarize

    path = cases_path or _default_cases()
    if not path.exists():
        raise DataFileError(f"No cases file at {path}: pass --cases FILE.")
    outcomes = run_cases(read_cases(path))
    report = summarize(outcomes)
    if show_errors:
        report["errors"] = errors(outcomes)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    _echo_report(report)
    if by_category:
        _echo_categories(report)
    for err in report.get("errors", []):
        click.echo(
            f"  {err['id']}: expected {err['expected']}, got {err['got']} ({err['rule']}): {err['text']}"
        )
