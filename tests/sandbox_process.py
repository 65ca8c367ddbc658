"""`waakvlam sandbox` as the README starts it, as a process of its own, for the tests that use its page."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.net import listening


@dataclass
class Sandbox:
    url: str
    output: str = ""  # what it printed, once stopped
    returncode: int | None = None


@contextmanager
def sandbox_process(data: Path, port: int, **env: str) -> Iterator[Sandbox]:
    """Start the sandbox on `port` with its data in `data` (extra WAAKVLAM_* settings in `env`), without
    the caller's own WAAKVLAM_* settings; yield once it listens; stop it with SIGTERM afterwards."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("WAAKVLAM_")}
    full.update({f"WAAKVLAM_{k.upper()}": v for k, v in env.items()})
    command = [sys.executable, "-m", "bot.app.cli", "sandbox", "--data-dir", str(data), "--port", str(port)]
    proc = subprocess.Popen(command, env=full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sandbox = Sandbox(f"http://127.0.0.1:{port}/")
    try:
        deadline = time.monotonic() + 30
        while not listening(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"the sandbox did not start: {proc.communicate()[0]}")
            time.sleep(0.1)
        yield sandbox
    finally:
        if proc.returncode is None:
            proc.terminate()
            sandbox.output = proc.communicate(timeout=20)[0]
            sandbox.returncode = proc.returncode
