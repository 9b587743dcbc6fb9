"""The ward server's page and per-tablet commands, without a browser (the browser test: tests/e2e)."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from click.testing import CliRunner

from aistories.app.serve import BadPseudonym, WardServer, app_command, tablet_child
from aistories.cli import cli
from aistories.cli.serve import app_args, is_loopback
from aistories.config import Settings

URL_ATTRS = re.compile(r'(?:src|href|url)\s*[=(]\s*"([^"]*)"')


def test_each_tablet_without_a_name_gets_a_fresh_pseudonym() -> None:
    children = {tablet_child(None) for _ in range(20)} | {tablet_child("")}
    assert len(children) == 21
    assert all(re.fullmatch(r"tablet-[0-9a-f]{8}", c) for c in children)


@pytest.mark.parametrize("asked", ["bed-7", "zog", "a1"])
def test_a_named_tablet_keeps_its_pseudonym(asked: str) -> None:
    assert tablet_child(asked) == asked


@pytest.mark.parametrize("asked", ["Bed 7", "x; rm -rf /", "-x", "a" * 33, "élan", "bed_7"])
def test_anything_but_a_pseudonym_is_refused(asked: str) -> None:
    with pytest.raises(BadPseudonym):
        tablet_child(asked)


def test_the_app_command_runs_this_python_for_that_child(tmp_path: Path) -> None:
    settings = Settings.load(
        model="m1", db=str(tmp_path / "ward.db"), age_band="4-6", world="dinosaur-valley"
    )
    command = shlex.split(app_command(app_args(settings), "bed-7"))
    assert command == [
        sys.executable,
        "-m",
        "aistories",
        "--model",
        "m1",
        "--db",
        str((tmp_path / "ward.db").resolve()),
        "--age-band",
        "4-6",
        "--world",
        "dinosaur-valley",
        "--child",
        "bed-7",
    ]


@pytest.mark.parametrize(
    ("host", "expected"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False), ("192.168.1.20", False)],
)
def test_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


async def _client() -> TestClient:  # type: ignore[type-arg]
    server = WardServer(["--model", "x"])
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    return client


async def test_the_page_asks_only_its_own_server() -> None:
    client = await _client()
    try:
        response = await client.get("/", headers={"Host": "ward.local:8000"})
        page = await response.text()
        assert response.status == 200
        urls = URL_ATTRS.findall(page)
        assert sorted(set(urls)) == [
            "/",
            "/static/css/xterm.css",
            "/static/fonts/RobotoMono-Italic-VariableFont_wght.ttf",
            "/static/fonts/RobotoMono-VariableFont_wght.ttf",
            "/static/js/textual.js",
            "data:,",
            "ws://ward.local:8000/ws",  # the app's websocket, on the host the tablet asked for
        ]
        assert "http" not in page  # no absolute link anywhere
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "connect-src 'self' ws://ward.local:8000" in csp
        for url in urls:
            if url.startswith("/static/"):
                assert (await client.get(url)).status == 200, url
    finally:
        await client.close()


async def test_a_named_child_gets_its_own_websocket_and_a_bad_name_is_refused() -> None:
    client = await _client()
    try:
        page = await (await client.get("/?child=bed-7&fontsize=22")).text()
        assert "/ws/bed-7" in page and 'data-font-size="22"' in page and 'href="/?child=bed-7"' in page
        assert (await client.get("/?child=Bed%207")).status == 400
        assert (await client.get("/ws/Bed%207")).status == 400
    finally:
        await client.close()


def test_serve_refuses_child_and_unknown_models() -> None:
    runner = CliRunner()
    refused = runner.invoke(cli, ["--child", "zog", "serve"])
    assert refused.exit_code == 2 and "--child does not apply to `aistories serve`" in refused.output
    unknown = runner.invoke(cli, ["serve", "--model", "no-such-model"])
    assert unknown.exit_code == 1 and "Unknown model 'no-such-model'" in unknown.output
