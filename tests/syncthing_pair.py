"""Two real Syncthing daemons on one machine sharing one folder, for the sync tests.

``SyncthingPair(root)`` makes two homes under ``root`` (``a`` and ``b``), each with its
own keys, GUI/REST port and listen port on 127.0.0.1, and one shared folder
(``root/a/share`` and ``root/b/share``). Discovery, relays, NAT, usage reports and
upgrades are off; each device knows the other's address; file watching is on with a
1 s delay so changes travel in seconds.

API:
    ``start(timeout=60)`` starts both daemons and waits until they are connected.
    ``folder(side) -> Path`` the side's copy of the shared folder.
    ``pause(side)`` / ``resume(side)`` cut / restore the side's connection to the other
    (the side goes offline, then comes back), through the REST API.
    ``wait_converged(timeout, settle=3.0) -> float`` waits until both folders hold the
    same files with the same bytes (Syncthing's own temporary files aside) and stay so
    for ``settle`` seconds; returns the seconds it took; raises ``TimeoutError``.
    ``conflict_copies() -> list[Path]`` every ``*.sync-conflict-*`` file on both sides.
    ``stop()`` ends both daemons (also on ``with`` exit).

The daemons are introduced through the REST API (``/rest/config/devices`` and
``/rest/config/folders``), the way a user's GUI does it, so Syncthing fills in its own
defaults for everything else. Nothing here sleeps for a fixed time before asserting:
every wait polls a condition up to a deadline.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

FOLDER_ID = "digest-reader-state"
SIDES = ("a", "b")
TEMPORARY = (".syncthing.", "~syncthing~")


def available() -> bool:
    return shutil.which("syncthing") is not None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Daemon:
    def __init__(self, home: Path, share: Path) -> None:
        self.home = home
        self.share = share
        self.gui_port = free_port()
        self.listen_port = free_port()
        self.api_key = "digest-reader-test-" + home.name
        self.process: subprocess.Popen | None = None
        self.device_id = ""

    def generate(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.share.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["syncthing", "generate", f"--home={self.home}", "--no-default-folder"],
            check=True,
            capture_output=True,
        )
        self.device_id = subprocess.run(
            ["syncthing", "serve", f"--home={self.home}", "--device-id"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        config = self.home / "config.xml"
        tree = ET.parse(config)
        options = tree.getroot().find("options")
        assert options is not None
        settings = {
            "listenAddress": f"tcp://127.0.0.1:{self.listen_port}",
            "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false",
            "relaysEnabled": "false",
            "natEnabled": "false",
            "urAccepted": "-1",
            "autoUpgradeIntervalH": "0",
            "startBrowser": "false",
            "crashReportingEnabled": "false",
            "reconnectionIntervalS": "1",
            "minHomeDiskFree": "0",
        }
        for name, value in settings.items():
            element = options.find(name)
            if element is None:
                element = ET.SubElement(options, name)
            element.text = value
        gui = tree.getroot().find("gui")
        assert gui is not None
        gui.find("address").text = f"127.0.0.1:{self.gui_port}"  # type: ignore[union-attr]
        gui.find("apikey").text = self.api_key  # type: ignore[union-attr]
        tree.write(config)

    def start(self) -> None:
        log = open(self.home / "syncthing.log", "ab")  # noqa: SIM115 - owned by the process
        self.process = subprocess.Popen(
            [
                "syncthing",
                "serve",
                f"--home={self.home}",
                "--no-browser",
                "--no-restart",
                "--no-upgrade",
                "--skip-port-probing",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, STNODEFAULTFOLDER="1", STNOUPGRADE="1"),
            start_new_session=True,
        )
        log.close()

    def rest(self, method: str, path: str, body: object | None = None) -> object:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui_port}{path}",
            data=data,
            method=method,
            headers={"X-API-Key": self.api_key, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read()
        return json.loads(text) if text.strip() else None

    def ready(self) -> bool:
        try:
            return self.rest("GET", "/rest/system/ping") == {"ping": "pong"}
        except (urllib.error.URLError, ConnectionError, OSError, ValueError):
            return False

    def connected_to(self, device_id: str) -> bool:
        try:
            connections = self.rest("GET", "/rest/system/connections")
        except (urllib.error.URLError, OSError, ValueError):
            return False
        entry = connections.get("connections", {}).get(device_id, {})  # type: ignore[union-attr]
        return bool(entry.get("connected"))

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(urllib.error.URLError, OSError, ValueError):
            self.rest("POST", "/rest/system/shutdown")
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)


class SyncthingPair:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.daemons = {
            side: Daemon(self.root / side / "home", self.root / side / "share") for side in SIDES
        }

    def folder(self, side: str) -> Path:
        return self.daemons[side].share

    def start(self, timeout: float = 60.0) -> None:
        for daemon in self.daemons.values():
            daemon.generate()
        for daemon in self.daemons.values():
            daemon.start()
        wait_for(
            lambda: all(d.ready() for d in self.daemons.values()),
            timeout,
            "the Syncthing daemons never answered",
            self,
        )
        a, b = self.daemons["a"], self.daemons["b"]
        for me, peer in ((a, b), (b, a)):
            me.rest(
                "POST",
                "/rest/config/devices",
                {
                    "deviceID": peer.device_id,
                    "name": "peer",
                    "addresses": [f"tcp://127.0.0.1:{peer.listen_port}"],
                    "autoAcceptFolders": False,
                },
            )
        for me in (a, b):
            me.rest(
                "POST",
                "/rest/config/folders",
                {
                    "id": FOLDER_ID,
                    "label": "digest-reader state",
                    "path": str(me.share),
                    "type": "sendreceive",
                    "devices": [{"deviceID": a.device_id}, {"deviceID": b.device_id}],
                    "fsWatcherEnabled": True,
                    "fsWatcherDelayS": 1,
                    "rescanIntervalS": 60,
                },
            )
        wait_for(
            lambda: a.connected_to(b.device_id) and b.connected_to(a.device_id),
            timeout,
            "the Syncthing daemons never connected",
            self,
        )

    def _peer(self, side: str) -> Daemon:
        return self.daemons["b" if side == "a" else "a"]

    def pause(self, side: str) -> None:
        self.daemons[side].rest("POST", f"/rest/system/pause?device={self._peer(side).device_id}")
        wait_for(
            lambda: not self.daemons[side].connected_to(self._peer(side).device_id),
            30,
            f"side {side} never went offline",
            self,
        )

    def resume(self, side: str) -> None:
        self.daemons[side].rest("POST", f"/rest/system/resume?device={self._peer(side).device_id}")

    def contents(self, side: str) -> dict[str, str]:
        """Relative path -> SHA-256 of every file of the side's folder (temporaries aside)."""
        found: dict[str, str] = {}
        base = self.folder(side)
        for path in base.rglob("*"):
            relative = path.relative_to(base)
            if relative.parts[0] == ".stfolder" or any(
                part.startswith(TEMPORARY) for part in relative.parts
            ):
                continue
            if path.is_file():
                try:
                    found[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
                except FileNotFoundError:  # replaced while we looked
                    found[str(relative)] = "gone"
        return found

    def wait_converged(self, timeout: float = 120.0, settle: float = 3.0) -> float:
        """Wait until both sides hold identical files for ``settle`` seconds."""
        start = time.monotonic()
        same_since: float | None = None
        last: dict[str, str] | None = None
        while time.monotonic() - start < timeout:
            left, right = self.contents("a"), self.contents("b")
            now = time.monotonic()
            if left == right and left == last:
                same_since = same_since if same_since is not None else now
                if now - same_since >= settle:
                    return same_since - start
            else:
                same_since = None
            last = left if left == right else None
            time.sleep(0.2)
        raise TimeoutError(f"the folders did not converge in {timeout:.0f} s; {self.describe()}")

    def conflict_copies(self) -> list[Path]:
        return sorted(
            path
            for side in SIDES
            for path in self.folder(side).rglob("*")
            if ".sync-conflict-" in path.name
        )

    def describe(self) -> str:
        lines = []
        for side, daemon in self.daemons.items():
            log = daemon.home / "syncthing.log"
            tail = log.read_text(errors="replace").splitlines()[-15:] if log.exists() else []
            lines.append(f"--- {side} files: {sorted(self.contents(side))}")
            lines.extend(f"    {line}" for line in tail)
        return "\n".join(lines)

    def stop(self) -> None:
        for daemon in self.daemons.values():
            daemon.stop()

    def __enter__(self) -> SyncthingPair:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wait_for(condition, timeout: float, message: str, pair: SyncthingPair) -> None:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if condition():
            return
        time.sleep(0.2)
    raise TimeoutError(f"{message} within {timeout:.0f} s\n{pair.describe()}")
