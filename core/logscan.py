"""Rebuild token balances from transfer logs, incrementally, with a SQLite cache.

``eth_getLogs`` is read in block chunks that grow while the node keeps up and shrink when
it refuses a range; several chunks are in flight at once. Logs are decoded by slicing the
raw JSON (web3's decoder is ~60× slower, facts-toolchain.md §2). After each applied chunk,
the cache commits the changed balances and the new high-water mark in one transaction, so
an interrupted scan resumes where it stopped and the cache is never half-written.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .adapters.jsonrpc import RpcError, batch
from .errors import SourceError
from .http import Http

TRANSFER = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
TRANSFER_SHARES = "0x9d9c909296d9c674451c0c24f02cb64981eb3b727f99865939192f880a755dcb"
ZERO = "0x" + "0" * 40
FAN_OUT = 16  # eth_getCode probes per round trip of the deploy-block search
_RANGE_WORDS = ("range", "limit", "too many", "exceed", "10000", "block count", "response size")


@dataclasses.dataclass(frozen=True, slots=True)
class ScanResult:
    """Balances (raw units or shares) after a scan, and what the scan did.

    Attributes:
        balances: Holder address (lower-case) → balance, zero balances dropped.
        deploy_block: First block with the token's code.
        scanned_to: Last block applied.
        logs: Logs read by this run (0 when only the cache was used).
        requests: ``eth_getLogs`` requests this run sent.
        resumed_from: First block this run read (``scanned_to + 1`` of the cache).
    """

    balances: dict[str, int]
    deploy_block: int
    scanned_to: int
    logs: int
    requests: int
    resumed_from: int


def apply_logs(logs: Iterable[dict[str, Any]], balances: dict[str, int], touched: set[str]) -> int:
    """Apply Transfer-shaped logs (indexed from/to, value in data) to balances; return the count."""
    count = 0
    for log in logs:
        topics = log["topics"]
        value = int(log["data"], 16)
        sender, receiver = "0x" + topics[1][26:], "0x" + topics[2][26:]
        if sender != ZERO:
            balances[sender] = balances.get(sender, 0) - value
            touched.add(sender)
        if receiver != ZERO:
            balances[receiver] = balances.get(receiver, 0) + value
            touched.add(receiver)
        count += 1
    return count


class LogCache:
    """Balances and high-water marks per (chain, token, event), in one SQLite file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(
            """
            CREATE TABLE IF NOT EXISTS scans (chain_id INTEGER, token TEXT, topic TEXT, deploy_block INTEGER,
                scanned_to INTEGER, PRIMARY KEY (chain_id, token, topic));
            CREATE TABLE IF NOT EXISTS balances (chain_id INTEGER, token TEXT, topic TEXT, holder TEXT,
                balance TEXT, PRIMARY KEY (chain_id, token, topic, holder));
            """
        )

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def load(self, chain_id: int, token: str, topic: str) -> tuple[int, int, dict[str, int]] | None:
        """Return (deploy block, scanned-to block, balances) of an earlier scan, if any."""
        row = self._db.execute(
            "SELECT deploy_block, scanned_to FROM scans WHERE chain_id=? AND token=? AND topic=?",
            (chain_id, token, topic),
        ).fetchone()
        if row is None:
            return None
        balances = {
            holder: int(balance)
            for holder, balance in self._db.execute(
                "SELECT holder, balance FROM balances WHERE chain_id=? AND token=? AND topic=?",
                (chain_id, token, topic),
            )
        }
        return int(row[0]), int(row[1]), balances

    def save(self, key: tuple[int, str, str], deploy_block: int, scanned_to: int, changed: dict[str, int]) -> None:
        """Store changed balances and the new high-water mark atomically."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                "INSERT INTO balances VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET balance=excluded.balance",
                [(*key, holder, str(balance)) for holder, balance in changed.items() if balance != 0],
            )
            self._db.executemany(
                "DELETE FROM balances WHERE chain_id=? AND token=? AND topic=? AND holder=?",
                [(*key, holder) for holder, balance in changed.items() if balance == 0],
            )
            self._db.execute(
                "INSERT INTO scans VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET scanned_to=excluded.scanned_to",
                (*key, deploy_block, scanned_to),
            )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise


async def deploy_block(http: Http, url: str, token: str, latest: int, earliest: int = 0) -> int:
    """Find the first block where the token has code: ``eth_getCode`` at :data:`FAN_OUT` blocks per round trip.

    Each round trip narrows the range ~17-fold (Ethereum's 24 million blocks: 6 round trips).
    ``earliest`` is a known lower bound (the issuer factory's first block). A node without
    historical state (pruned, or anvil after loading a state) refuses old blocks; then the
    scan starts at ``earliest``, which is slower but complete.
    """
    low, high = earliest, latest
    try:
        while low < high:
            probes = sorted({low + (high - low) * i // (FAN_OUT + 1) for i in range(1, FAN_OUT + 1)})
            answers = await batch(http, url, [("eth_getCode", [token, hex(p)]) for p in probes])
            for probe, code in zip(probes, answers, strict=True):
                if isinstance(code, RpcError):
                    raise code
                if code and code != "0x":
                    high = probe
                    break
                low = probe + 1
    except RpcError:
        return earliest
    return low


class Scanner:
    """Scans one token's transfer event on one node.

    Attributes:
        chunk: Current block range per request (grows ×2 after a success, halves on a refusal).
        max_chunk: Largest range tried.
        in_flight: Requests sent concurrently.
    """

    def __init__(
        self, http: Http, url: str, cache: LogCache, *, chunk: int = 2_000, max_chunk: int = 100_000, in_flight: int = 4
    ) -> None:
        self._http = http
        self.url = url
        self.cache = cache
        self.chunk = chunk
        self.max_chunk = max_chunk
        self.in_flight = in_flight

    async def scan(
        self, chain_id: int, token: str, topic: str, to_block: int, earliest: int = 0, tail_to: int | None = None
    ) -> ScanResult:
        """Bring the cached balances up to ``to_block``, then read up to ``tail_to`` without caching it.

        ``to_block`` is the last confirmed block (cached); the unconfirmed tail up to ``tail_to``
        is read fresh each time, so a reorg never lands in the cache. ``earliest``: no logs before it.

        Raises:
            SourceError: The node failed for a reason other than the range; confirmed progress is kept.
        """
        token = token.lower()
        key = (chain_id, token, topic)
        end = max(to_block, tail_to if tail_to is not None else to_block)
        cached = self.cache.load(*key)
        if cached is None:
            if earliest > end:  # a hint from another network (a test or private chain): ignore it
                earliest = 0
            # A range the first batch of requests covers is read whole: no search for the deploy block.
            small = end - earliest < self.chunk * self.in_flight
            first = earliest if small else await deploy_block(self._http, self.url, token, end, earliest)
            scanned_to, balances = first - 1, dict[str, int]()
        else:
            first, scanned_to, balances = cached
        resumed_from = scanned_to + 1
        logs, requests, scanned_to = await self._read(key, first, scanned_to, to_block, balances, keep=True)
        tail_logs, tail_requests, scanned_to = await self._read(key, first, scanned_to, end, balances, keep=False)
        return ScanResult(
            {h: b for h, b in balances.items() if b},
            first,
            scanned_to,
            logs + tail_logs,
            requests + tail_requests,
            resumed_from,
        )

    async def _read(
        self,
        key: tuple[int, str, str],
        first: int,
        scanned_to: int,
        to_block: int,
        balances: dict[str, int],
        *,
        keep: bool,
    ) -> tuple[int, int, int]:
        """Apply logs after ``scanned_to`` up to ``to_block``; ``keep`` commits each chunk to the cache.

        Returns the logs read, the requests sent and the last block applied.
        """
        token, topic = key[1], key[2]
        logs = requests = 0
        while scanned_to < to_block:
            ranges = self._ranges(scanned_to + 1, to_block)
            answers = await batch(
                self._http,
                self.url,
                [
                    ("eth_getLogs", [{"address": token, "topics": [topic], "fromBlock": hex(a), "toBlock": hex(b)}])
                    for a, b in ranges
                ],
            )
            requests += len(ranges)
            touched: set[str] = set()
            for (_, end), answer in zip(ranges, answers, strict=True):
                if isinstance(answer, RpcError):
                    if is_range_error(answer) and self.chunk > 1:
                        self.chunk = max(1, self.chunk // 2)
                        break
                    if keep:
                        self._save(key, first, scanned_to, balances, touched)
                    raise SourceError(
                        f"the log scan stopped at block {scanned_to + 1} ({answer}); the next run resumes there"
                    ) from None
                try:
                    logs += apply_logs(answer, balances, touched)
                except (LookupError, TypeError, ValueError, AttributeError) as exc:
                    raise SourceError(f"{self.url} sent logs of an unexpected shape ({type(exc).__name__})") from None
                scanned_to = end
            else:
                self.chunk = min(self.max_chunk, self.chunk * 2)
            if keep:
                self._save(key, first, scanned_to, balances, touched)
        return logs, requests, scanned_to

    def _ranges(self, start: int, end: int) -> list[tuple[int, int]]:
        ranges = []
        for _ in range(self.in_flight):
            if start > end:
                break
            stop = min(end, start + self.chunk - 1)
            ranges.append((start, stop))
            start = stop + 1
        return ranges

    def _save(
        self, key: tuple[int, str, str], first: int, scanned_to: int, balances: dict[str, int], touched: set[str]
    ) -> None:
        self.cache.save(key, first, scanned_to, {h: balances.get(h, 0) for h in touched})


def is_range_error(error: RpcError) -> bool:
    """Whether a node refused an ``eth_getLogs`` for its block range or result size (a smaller range may pass)."""
    text = str(error).lower()
    return error.code in (-32005, -32602, -32614) or any(word in text for word in _RANGE_WORDS)
