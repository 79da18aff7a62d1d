"""Start and drive a real anvil node on loopback (npm @foundry-rs/anvil-linux-amd64)."""

from __future__ import annotations

import itertools
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

from .paths import ANVIL, BUILD

LISTENING = re.compile(r"Listening on 127\.0\.0\.1:(\d+)")


class RpcError(Exception):
    """A JSON-RPC error answer from anvil."""


class Anvil:
    """One anvil process; stdout goes to a log file (an undrained pipe would block it)."""

    def __init__(self, chain_id: int = 1, log: Path | None = None, genesis_time: int | None = None) -> None:
        if not ANVIL.exists():
            raise RuntimeError(f"anvil is not installed at {ANVIL}; run tools/bootstrap.sh --test")
        self.chain_id = chain_id
        self.log = log or BUILD / f"anvil-{chain_id}-{time.time_ns()}.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._ids = itertools.count(1)
        self._fh = self.log.open("w")
        clock = ["--timestamp", str(genesis_time)] if genesis_time is not None else []
        self.proc = subprocess.Popen(
            [str(ANVIL), "--host", "127.0.0.1", "--port", "0", "--chain-id", str(chain_id), *clock],
            stdout=self._fh,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self._wait_port()}"
        self.client = httpx.Client(timeout=30)
        self._wait_ready()

    def _wait_port(self) -> int:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"anvil exited early; see {self.log}")
            if match := LISTENING.search(self.log.read_text()):
                return int(match.group(1))
            time.sleep(0.02)
        raise RuntimeError(f"anvil did not report its port; see {self.log}")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 10
        while True:
            try:
                self.rpc("eth_chainId")
                return
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def rpc(self, method: str, *params: Any) -> Any:
        """Call a JSON-RPC method and return its result."""
        body = self.client.post(
            self.url, json={"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": list(params)}
        ).json()
        if "error" in body:
            raise RpcError(f"{method}: {body['error']}")
        return body["result"]

    def stop(self) -> None:
        """Stop with SIGINT (anvil exits 0) and close the log."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.client.close()
        self._fh.close()
