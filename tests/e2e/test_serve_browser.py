"""`aistories serve` in a real headless Chromium: a tablet opens the page, types a line, sees the reply,
and nothing the page asks for leaves the loopback address.

Debian's chromium is driven through Playwright (`executable_path`); Playwright's own browser download
cannot work offline and is never used. `scripts/setup dev` installs both. The model is a fake one named
in the ward's models.yaml, so the reply is known; safety and the store are the real ones.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil
import pytest

pytestmark = pytest.mark.slow

FAKE_ENTRY = """models:
  - {id: ward-fake, name: Fake, backend: fake, source: {path: none}, sha256: null, licence: none,
     n_ctx: 512, chat_template: chatml}
"""
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-B]")
LINE = "a purple dragon called Zog"


def chromium_path() -> str:
    """Debian's chromium, or a failure that names the fix (never a skip: the set-up installs it)."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        pytest.fail(
            "Debian's chromium is missing: run `scripts/setup dev` as root "
            "(or `apt-get install -y chromium`)."
        )
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, server: subprocess.Popen[bytes], output: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"aistories serve exited with {server.returncode}: {output.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"aistories serve did not listen on port {port} within {timeout} s")


def is_alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture
def ward(isolated_home: Path, tmp_path: Path) -> Iterator[tuple[str, Path, psutil.Process]]:
    """`aistories serve` on a free loopback port, with a fake model; yields (url, db, server process)."""
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "models.yaml").write_text(FAKE_ENTRY, encoding="utf-8")
    db, port = tmp_path / "ward.db", free_port()
    cmd = [
        sys.executable,
        "-m",
        "aistories",
        "serve",
        "--port",
        str(port),
        "--model",
        "ward-fake",
        "--db",
        str(db),
    ]
    output = tmp_path / "serve.out"  # a file, not a pipe: a full pipe would stall the server
    with output.open("wb") as out:
        server = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, server, output)
        yield f"http://127.0.0.1:{port}/", db, psutil.Process(server.pid)
    finally:
        tablets = psutil.Process(server.pid).children(recursive=True) if server.poll() is None else []
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=120)  # each app finishes its turn in progress, then quits
        except subprocess.TimeoutExpired:
            server.kill()
        # The server has told each app to quit; its `sh` wrappers may still be exiting on a busy machine.
        psutil.wait_procs(tablets, timeout=15)
        leftover = [p for p in tablets if is_alive(p)]
        for proc in leftover:  # app processes the server should already have ended
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
        assert server.returncode == 0, f"aistories serve did not stop cleanly: {output.read_text()}"
        assert leftover == [], "tablet app processes outlived the server"


class Tablet:
    """One browser tab on the served page: what it was sent over its websocket, as text."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.received: list[bytes] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self.received.append(payload)

    def screen_text(self) -> str:
        """Everything drawn so far with the terminal's escape sequences removed (rows run together)."""
        return ESCAPES.sub("", b"".join(self.received).decode("utf-8", "replace"))

    # Generous: the first turn loads the safety layers, and the build machines' two cores are shared.
    def wait_for(self, check: Callable[[], Any], what: str, timeout: float = 600) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if result := check():
                return result
            self.page.wait_for_timeout(250)
        pytest.fail(
            f"the tablet never showed {what} within {timeout} s; it showed: {self.screen_text()[-2000:]!r}"
        )

    def wait_for_text(self, text: str, timeout: float = 600) -> None:
        self.wait_for(lambda: text in self.screen_text(), repr(text), timeout)


def stored_reply(db: Path, child_text: str) -> tuple[str, str] | None:
    """(pseudonym, reply) of the turn where the child said `child_text`, once it is stored."""
    if not db.exists():
        return None
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "select c.pseudonym, t.reply from turns t join sessions s on s.id = t.session_id "
            "join children c on c.id = s.child_id where t.child_text = ?",
            [child_text],
        ).fetchone()
    return (row[0], row[1]) if row and row[1] else None


def pseudonyms(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("select pseudonym from children")}


def tablet_processes(server: psutil.Process) -> list[psutil.Process]:
    """The per-tab app processes (textual-serve runs each through a shell)."""
    return [p for p in server.children(recursive=True) if "--child" in p.cmdline() and "-m" in p.cmdline()]


def test_a_tablet_tells_a_story_and_asks_nothing_outside_the_ward(
    ward: tuple[str, Path, psutil.Process], tmp_path: Path
) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: run `scripts/setup dev` (it is in the dev group).")
    url, db, server = ward
    requests: list[str] = []
    failed: list[str] = []
    statuses: dict[str, int] = {}
    blocked: list[str] = []  # what the page's Content-Security-Policy refused (it would have gone out)
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),  # a fresh --user-data-dir
            executable_path=chromium_path(),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1200, "height": 800},
        )
        context.on("request", lambda r: requests.append(r.url))
        context.on("requestfailed", lambda r: failed.append(r.url))
        context.on("response", lambda r: statuses.update({r.url: r.status}))
        try:
            page = context.new_page()
            page.on("websocket", lambda ws: requests.append(ws.url))
            page.on(
                "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
            )
            tablet = Tablet(page)
            page.goto(url)
            tablet.wait_for_text("Let's make a story!")
            page.focus(".xterm-helper-textarea")  # keys go to the terminal, as a tap on it would
            page.keyboard.press("Enter")  # the first world's card has the focus
            tablet.wait_for_text("Storyteller")
            page.keyboard.type(LINE)
            page.keyboard.press("Enter")
            child, reply = tablet.wait_for(
                lambda: stored_reply(db, LINE), "a stored reply to the child's line"
            )
            first_words = " ".join(reply.split()[:4])
            tablet.wait_for_text(first_words)  # the reply reached the tablet's screen

            second = context.new_page()  # another tablet, carrying on a named child's stories
            other = Tablet(second)
            second.goto(url + "?child=bed-7")
            other.wait_for_text("Let's make a story!")
            assert len(tablet_processes(server)) == 2  # one app process per tab
        finally:
            context.close()

    assert re.fullmatch(r"tablet-[0-9a-f]{8}", child)  # a fresh pseudonym of its own
    assert pseudonyms(db) == {child, "bed-7"}
    assert requests, "the page made no requests at all"
    outside = [u for u in requests if urlsplit(u).hostname != "127.0.0.1"]
    assert outside == [], f"the page asked for something outside the ward server: {outside}"
    assert failed == []
    assert blocked == []
    font = url + "static/fonts/RobotoMono-VariableFont_wght.ttf"
    assert statuses.get(font) == 200  # the bundled font, served by the ward server itself
    assert {url + "static/js/textual.js", url + "static/css/xterm.css"} <= set(requests)
