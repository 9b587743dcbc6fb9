"""`aistories models list|verify`: what models are known, whether they are here, and intact."""

from __future__ import annotations

import click

from ..backends.registry import ModelEntry, default_model_id, file_sha256, load_registry


@click.group()
def models() -> None:
    """Known models (models/registry.yaml and $AISTORIES_HOME/models.yaml)."""


@models.command("list")
def list_models() -> None:
    """Each model with its backend and whether its file is present."""
    for entry in load_registry().values():
        try:
            path = entry.file_path()
            where = entry.source.url if path is None else str(path)
            status = "server" if path is None else ("present" if path.is_file() else "missing")
        except Exception as exc:  # a missing package is "missing", not a crash
            where, status = str(exc), "missing"
        click.echo(f"{entry.id}\t{entry.backend}\t{status}\t{where}")


@models.command("verify")
@click.argument("model_ids", nargs=-1)
def verify(model_ids: tuple[str, ...]) -> None:
    """Check each model file's sha256 against the registry (cached by size and mtime)."""
    registry = load_registry()
    failed = 0
    for entry in registry.values():
        if model_ids and entry.id not in model_ids:
            continue
        try:
            path = entry.file_path()
        except Exception as exc:
            click.echo(f"{entry.id}: missing ({exc})")
            failed += 1
            continue
        if path is None:
            click.echo(f"{entry.id}: server at {entry.source.url} (nothing to verify)")
            continue
        if not path.is_file():
            click.echo(f"{entry.id}: missing: {path}")
            failed += entry.id == default_model_id()  # a ward-supplied model may be absent
            continue
        with click.progressbar(length=path.stat().st_size, label=f"{entry.id}") as bar:
            sha = file_sha256(path, progress=bar.update)
        if entry.sha256 is None:
            click.echo(f"{entry.id}: ok (no pinned sha256; computed {sha})")
        elif sha == entry.sha256:
            click.echo(f"{entry.id}: ok (sha256 {sha[:16]}…)")
        else:
            click.echo(f"{entry.id}: MISMATCH: sha256 {sha} expected {entry.sha256}")
            failed += 1
        failed += not _verify_adapter(entry)
    if failed:
        raise click.ClickException(f"{failed} model(s) failed verification.")


def _verify_adapter(entry: ModelEntry) -> bool:
    """Check the entry's LoRA adapter, if it has one (at run time a bad one falls back to the base model)."""
    if entry.adapter is None:
        return True
    path = entry.adapter.file_path()
    if not path.is_file():
        click.echo(f"{entry.id}: adapter missing: {path} (the base model would run without it)")
        return False
    sha = file_sha256(path)
    if sha != entry.adapter.sha256:
        click.echo(f"{entry.id}: adapter MISMATCH: sha256 {sha} expected {entry.adapter.sha256}")
        return False
    click.echo(f"{entry.id}: adapter ok (sha256 {sha[:16]}…)")
    return True
