"""Drive Debian's Chromium headless for the HTML view's tests (standard library only).

Two ways in: the plain command line (``--screenshot``, ``--dump-dom``, console
messages on stderr with ``--enable-logging=stderr``), and the DevTools protocol
over ``--remote-debugging-pipe`` for what needs a live page (keyboard focus,
computed styles, exceptions, network requests). Every run gets a fresh profile
in a temporary directory and is bounded by a timeout; nothing touches the network.

Run as a script to regenerate the README's screenshot and its record
(``docs/article.png.json``, which ``test_html.py`` checks against the page)::

    python tests/chromium.py docs/article.png
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import TracebackType

#: The flags every run uses: headless, no sandbox (CI runs as root), nothing phoned home.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
TIMEOUT = 90.0
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class BrowserError(RuntimeError):
    """Chromium failed, timed out or answered with an error."""


def find_chromium() -> str | None:
    """The Chromium executable on PATH (Debian's ``chromium``), or None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def console_lines(stderr: str) -> list[str]:
    """Console messages and uncaught errors that Chromium logged with ``--enable-logging``."""
    return [
        line
        for line in stderr.splitlines()
        if ":CONSOLE" in line or "Uncaught" in line or "Refused to" in line
    ]


def run_headless(exe: str, url: str, *extra: str, timeout: float = TIMEOUT) -> tuple[str, str]:
    """Run Chromium once on ``url`` with a fresh profile; returns (stdout, stderr)."""
    with tempfile.TemporaryDirectory(prefix="ukrnews-chromium-") as profile:
        args = [
            exe,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *extra,
            url,
        ]
        try:
            done = subprocess.run(
                args, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise BrowserError(f"chromium timed out after {timeout}s: {args}") from exc
    if done.returncode != 0:
        raise BrowserError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout, done.stderr


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (ValueError if it is not a PNG)."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _high(fd: int) -> int:
    """A duplicate of ``fd`` numbered 10 or more (close-on-exec); ``fd`` is closed."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class DevTools:
    """A page in headless Chromium, driven over the DevTools protocol on a pipe.

    Events seen while waiting for answers are kept in `events`.
    """

    def __init__(self, exe: str, *, width: int = 1280, height: int = 900) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="ukrnews-devtools-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # Move the child's ends above 9 so the redirections below cannot clobber them.
        to_browser_r, from_browser_w = (_high(to_browser_r), _high(from_browser_w))
        # Chromium reads commands on fd 3 and writes answers on fd 4: a tiny Python
        # shim puts the pipe ends there, then becomes Chromium.
        shim = (
            "import os, sys; r, w = int(sys.argv[1]), int(sys.argv[2]);"
            " os.dup2(r, 3); os.dup2(w, 4); os.close(r); os.close(w);"
            " os.execv(sys.argv[3], sys.argv[3:])"
        )
        args = [
            *FLAGS,
            f"--user-data-dir={self._profile.name}",
            "--remote-debugging-pipe",
            f"--window-size={width},{height}",
            "about:blank",
        ]
        self._proc = subprocess.Popen(
            [sys.executable, "-c", shim, str(to_browser_r), str(from_browser_w), exe, *args],
            pass_fds=(to_browser_r, from_browser_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session = ""
        try:
            targets = self.call("Target.getTargets")["targetInfos"]
            page = next(t for t in targets if t["type"] == "page")
            attached = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)
            self.session = attached["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.call(f"{domain}.enable")
            # A headless window never has focus; without this, :focus would never match.
            self.call("Emulation.setFocusEmulationEnabled", enabled=True)
            self.call(
                "Emulation.setDeviceMetricsOverride",
                width=width,
                height=height,
                deviceScaleFactor=1,
                mobile=False,
            )
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the browser (politely, then by force) and remove its profile."""
        with contextlib.suppress(OSError, BrowserError):
            self.session = ""
            self._send("Browser.close", {})
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(timeout=10)
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._profile.cleanup()

    def _send(self, method: str, params: dict[str, Any]) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _messages(self, deadline: float) -> Iterator[dict[str, Any]]:
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                yield json.loads(raw)
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("no answer from chromium in time")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed the DevTools pipe")
            self._buffer += chunk

    def call(self, method: str, *, timeout: float = TIMEOUT, **params: Any) -> dict[str, Any]:
        """Send a command and wait for its answer."""
        wanted = self._send(method, params)
        for message in self._messages(time.monotonic() + timeout):
            if message.get("id") == wanted:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self.events.append(message)
        raise AssertionError("unreachable")  # pragma: no cover - _messages never ends

    def wait_for(self, event: str, *, timeout: float = TIMEOUT) -> dict[str, Any]:
        """Wait for an event (or return it if it came already)."""
        for seen in self.events:
            if seen["method"] == event:
                return seen
        for message in self._messages(time.monotonic() + timeout):
            if "method" in message:
                self.events.append(message)
                if message["method"] == event:
                    return message
        raise AssertionError("unreachable")  # pragma: no cover

    def open(self, url: str) -> None:
        """Navigate and wait until the page has loaded."""
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (BrowserError if it throws)."""
        answer = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in answer:
            raise BrowserError(f"{expression!r} threw: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def key(self, key: str, code: str, key_code: int) -> None:
        """Press and release a key (as a user would)."""
        for kind in ("keyDown", "keyUp"):
            self.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key=key,
                code=code,
                windowsVirtualKeyCode=key_code,
            )

    def problems(self) -> list[str]:
        """Uncaught exceptions, console errors and warnings, and browser log errors so far."""
        found = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                found.append(
                    f"exception: {details.get('exception', {}).get('description', details)}"
                )
            elif method == "Runtime.consoleAPICalled" and params["type"] in {
                "error",
                "warning",
                "assert",
            }:
                found.append(f"console.{params['type']}: {params['args']}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in {"error", "warning"}:
                found.append(f"log: {params['entry']['text']}")
        return found

    def requests(self) -> list[str]:
        """The URLs of every network request the page made so far."""
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e["method"] == "Network.requestWillBeSent"
        ]

    def screenshot(self, *, full_page: bool = False) -> bytes:
        """A PNG of the viewport, or of the whole page."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {
                "x": 0,
                "y": 0,
                "width": size["width"],
                "height": size["height"],
                "scale": 1,
            }
            params["captureBeyondViewport"] = True
        return base64.b64decode(self.call("Page.captureScreenshot", **params)["data"])


#: What the README's picture shows, counted in the live page: the elements carrying each
#: of these attributes, per value ("data-mention=ukraine": 8). The record beside the
#: picture keeps these counts, so a test sees when the page has moved on from it.
COUNTED = ("data-mention", "data-quote", "data-kind", "data-role", "data-entity", "data-block")
COUNT_SCRIPT = (
    "(() => { const c = {}; for (const a of "
    + json.dumps(COUNTED)
    + ") { for (const e of document.querySelectorAll('[' + a + ']')) {"
    " const k = a + '=' + e.getAttribute(a); c[k] = (c[k] || 0) + 1; } }"
    " return c; })()"
)
#: The command that regenerates the picture and its record (README, failure messages).
REGENERATE = "python tests/chromium.py docs/article.png"


def docs_screenshot(exe: str) -> tuple[bytes, dict[str, Any]]:
    """The README's screenshot of the bundled article (tooltip of a9 open) and its record.

    The record says what the picture was made from: the window, the focused element
    and the counts of `COUNTED` marks in the page, plus the PNG's sha256.
    """
    import ukrnews

    width, height, focus = 1280, 1560, "att-a9"
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "article.html"
        page.write_text(ukrnews.to_html(ukrnews.load().articles[0]), encoding="utf-8")
        with DevTools(exe, width=width, height=height) as browser:
            browser.open(page.as_uri())
            browser.evaluate(f"document.getElementById({focus!r}).focus(), true")
            png = browser.screenshot()
            counts = browser.evaluate(COUNT_SCRIPT)
            if browser.problems():
                raise BrowserError(f"the page has problems: {browser.problems()}")
    record = {
        "made_with": REGENERATE,
        "page": "ukrnews.to_html(ukrnews.load().articles[0])",
        "window": [width, height],
        "focus": focus,
        "png_sha256": hashlib.sha256(png).hexdigest(),
        "counts": dict(sorted(counts.items())),
    }
    return png, record


def record_path(picture: Path) -> Path:
    """Where the record of ``picture`` lives: beside it, ``article.png.json``."""
    return picture.with_name(picture.name + ".json")


def stale_marks(recorded: dict[str, int], shown: dict[str, int]) -> list[str]:
    """How the page differs from what the picture was made from, one line per count."""
    return [
        f"{key}: {recorded.get(key, 0)} in the picture, {shown.get(key, 0)} on the page"
        for key in sorted(recorded.keys() | shown.keys())
        if recorded.get(key, 0) != shown.get(key, 0)
    ]


def _write_docs_screenshot(target: Path) -> None:
    """Write the README's screenshot and, beside it, the record of what it shows."""
    exe = find_chromium()
    if exe is None:
        raise SystemExit("chromium not found: apt-get install chromium")
    png, record = docs_screenshot(exe)
    target.write_bytes(png)
    record_path(target).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target} ({len(png)} bytes, {png_size(png)}) and {record_path(target)}")


if __name__ == "__main__":
    _write_docs_screenshot(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/article.png"))
