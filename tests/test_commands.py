"""The command line: contracts and one-line errors, on a fake model registered in the ward's models.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aistories.cli import cli

FAKE_ENTRY = """models:
  - {id: test-fake, name: Fake, backend: fake, source: {path: none}, sha256: null, licence: none,
     n_ctx: 512, chat_template: chatml}
"""


@pytest.fixture
def runner(isolated_home: Path) -> CliRunner:
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "models.yaml").write_text(FAKE_ENTRY, encoding="utf-8")
    return CliRunner()


def test_play_prints_one_contract_line_per_utterance(runner: CliRunner, tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text("# a comment\nhello\n\n  a cat called Mo  \n", encoding="utf-8")
    result = runner.invoke(
        cli,
        [
            "play",
            "--script",
            str(script),
            "--json",
            "--model",
            "test-fake",
            "--db",
            str(tmp_path / "x.db"),
            "--seed",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.output.splitlines()]
    assert [(x["turn"], x["child"]) for x in lines] == [(1, "hello"), (2, "a cat called Mo")]
    assert all(
        set(x)
        == {"turn", "child", "reply", "latency_ms", "prompt_tokens", "completion_tokens", "safety", "world"}
        for x in lines
    )


def test_unknown_model_is_exit_1_with_one_line(runner: CliRunner, tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text("hi\n", encoding="utf-8")
    result = runner.invoke(
        cli, ["play", "--script", str(script), "--model", "gpt-9", "--db", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 1
    assert (
        result.output.strip().startswith("Error: Unknown model 'gpt-9'")
        and len(result.output.splitlines()) == 1
    )


def test_binary_script_is_refused_clearly(runner: CliRunner, tmp_path: Path) -> None:
    script = tmp_path / "s.bin"
    script.write_bytes(b"\x00\x01\x02hello")
    result = runner.invoke(cli, ["play", "--script", str(script), "--model", "test-fake"])
    assert result.exit_code == 1 and "looks binary" in result.output


def test_bad_age_band_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text("hi\n", encoding="utf-8")
    result = runner.invoke(cli, ["play", "--script", str(script), "--age-band", "3-5"])
    assert result.exit_code == 2


def test_invalid_config_file_names_itself(runner: CliRunner, isolated_home: Path, tmp_path: Path) -> None:
    (isolated_home / "config.toml").write_text("model = \n", encoding="utf-8")
    script = tmp_path / "s.txt"
    script.write_text("hi\n", encoding="utf-8")
    result = runner.invoke(cli, ["play", "--script", str(script)])
    assert result.exit_code == 1 and "config.toml is not valid TOML" in result.output


def test_models_list_shows_presence(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["models", "list"])
    assert result.exit_code == 0
    rows = {line.split("\t")[0]: line.split("\t")[2] for line in result.output.splitlines()}
    assert (rows["smollm2-135m-instruct-q4_1"], rows["smollm2-360m-instruct"], rows["ward-server"]) == (
        "present",
        "missing",
        "server",
    )


def test_models_verify_checks_the_embedded_model(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["models", "verify", "smollm2-135m-instruct-q4_1"])
    assert result.exit_code == 0
    assert "smollm2-135m-instruct-q4_1: ok (sha256 b179c9523d0e6a0f" in result.output


def test_chat_reads_lines_until_eof(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["chat", "--model", "test-fake", "--db", str(tmp_path / "c.db")], input="a dragon\n"
    )
    assert result.exit_code == 0
    assert result.output.count("story> ") == 2 and "Your story is saved." in result.output
