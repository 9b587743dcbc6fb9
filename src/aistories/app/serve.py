"""The story app for the ward's tablets: textual-serve with our own page, one app process per browser tab.

textual-serve's own page links a web font from the internet; ours loads only what the ward server itself
serves (textual-serve's static files, Roboto Mono included) and tells the browser so with a
Content-Security-Policy. Each websocket starts its own `aistories` app process for its own child, so
tablets never share a session or see each other's stories.
"""

from __future__ import annotations

import logging
import re
import secrets
import shlex
import sys
from pathlib import Path

import jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

log = logging.getLogger(__name__)

PAGE_DIR = Path(__file__).parent / "web"
LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8000
# What a tablet's page may load: its own server only (scripts, styles, fonts, the app's websocket).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; "
    "img-src 'self' data:; connect-src 'self' {ws}; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
PSEUDONYM = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")
FONT_SIZES = range(10, 41)
TERMINAL_CELLS = range(10, 1001)


class BadPseudonym(ValueError):
    """A `?child=` that is not a pseudonym of lowercase letters, digits and dashes."""


def tablet_child(asked: str | None) -> str:
    """The child for one tablet: the page's `?child=` pseudonym, or a fresh one no other tablet has."""
    if asked is None or asked == "":
        return "tablet-" + secrets.token_hex(4)
    if not PSEUDONYM.fullmatch(asked):
        raise BadPseudonym(asked)
    return asked


def app_command(app_args: list[str], child: str) -> str:
    """The shell command textual-serve runs for one tablet: this Python's `aistories` app for `child`."""
    return shlex.join([sys.executable, "-m", "aistories", *app_args, "--child", child])


def _bounded(text: str | None, allowed: range, default: int) -> int:
    try:
        value = int(text or "")
    except ValueError:
        return default
    return value if value in allowed else default


class WardServer(Server):
    """textual-serve's server with the ward's page and one child per tablet; static files as upstream."""

    def __init__(self, app_args: list[str], host: str = LOOPBACK, port: int = DEFAULT_PORT) -> None:
        super().__init__("aistories", host=host, port=port, title="aistories")
        self.app_args = app_args
        self.pages = jinja2.Environment(loader=jinja2.FileSystemLoader(PAGE_DIR), autoescape=True)
        self.sockets: set[web.WebSocketResponse] = set()

    def initialize_logging(self) -> None:
        """The `aistories` command has already sent logging to its file; keep the terminal quiet."""

    async def on_startup(self, app: web.Application) -> None:
        log.info("serving the story app on %s", self.public_url)

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every tablet's socket, so each app process is told to quit and saves its story."""
        for socket in list(self.sockets):
            await socket.close(code=WSCloseCode.GOING_AWAY, message=b"The ward server is stopping.")

    async def _make_app(self) -> web.Application:
        app = web.Application()
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_tablet, name="websocket"),
                web.get("/ws/{child}", self.handle_tablet, name="child-websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def handle_index(self, request: web.Request) -> web.Response:  # type: ignore[override]
        """The tablet's page; every URL in it points back at the host the tablet asked for."""
        child = request.query.get("child", "")
        if child and not PSEUDONYM.fullmatch(child):
            raise web.HTTPBadRequest(text="child= must be a pseudonym: lowercase letters, digits and dashes.")
        scheme = "wss" if request.secure else "ws"
        websocket = f"{scheme}://{request.host}/ws" + (f"/{child}" if child else "")
        html = self.pages.get_template("tablet.html").render(
            static="/static/",
            websocket=websocket,
            font_size=_bounded(request.query.get("fontsize"), FONT_SIZES, 16),
            start_again="/" + (f"?child={child}" if child else ""),
        )
        response = web.Response(text=html, content_type="text/html")
        response.headers["Content-Security-Policy"] = CSP.format(ws=f"{scheme}://{request.host}")
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_tablet(self, request: web.Request) -> web.WebSocketResponse:
        """One browser tab: its own app process and child, for as long as the websocket lives."""
        try:
            child = tablet_child(request.match_info.get("child"))
        except BadPseudonym:
            raise web.HTTPBadRequest(text="Not a pseudonym.") from None
        socket = web.WebSocketResponse(heartbeat=15)
        await socket.prepare(request)
        self.sockets.add(socket)
        service = AppService(
            app_command(self.app_args, child),
            write_bytes=socket.send_bytes,
            write_str=socket.send_str,
            close=socket.close,  # type: ignore[arg-type]  # returns a bool nobody reads
            download_manager=self.download_manager,
            debug=self.debug,
        )
        log.info("tablet connected: app process for %s", child)
        width = _bounded(request.query.get("width"), TERMINAL_CELLS, 80)
        height = _bounded(request.query.get("height"), TERMINAL_CELLS, 24)
        try:
            await service.start(width, height)
            await self._process_messages(socket, service)
        finally:
            self.sockets.discard(socket)
            await service.stop()
            log.info("tablet disconnected: %s", child)
        return socket
