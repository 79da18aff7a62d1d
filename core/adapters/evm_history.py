"""Recent role, admin and upgrade events of an EVM token and its ProxyAdmin (CT-9).

The window ends at the head block of round 1 (the chain's own clock) and reaches ``days`` back.
Its first block is not searched for with a chain of header reads. The head and the finalized
block (both read in round 1) give the chain's recent block rate; the scan starts safely before
the estimate (:data:`MARGIN`), and the same round trip reads a few headers spread over the
scanned range, which checks that the scan starts before the window. An event counts when its
block's time is in the window: the log's ``blockTimestamp`` when the node sends one, else those
headers, else one batched read of the blocks that carry events. A start that turns out to lie
inside the window makes the scan reach twice as far back, one round trip each time. A node that
names no finalized block gets headers at doubling depths first (one round trip).
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
from datetime import UTC, datetime
from typing import Any

from ..errors import SourceError
from ..facts import Fact, iso, utc_now
from ..logscan import is_range_error
from .evm import EvmReader, Head, block_of
from .jsonrpc import RpcError, batch

EVENTS = {
    "0x6adffd5c93085d835dac6f3b40adf7c242ca4b3284048d20c3d8a501748dc973": "NewMinter",
    "0x5bb1db06eeb30d85c1e53ae2285b460ce83e4318c623bd1ca51df912f64c45a4": "NewBurner",
    "0x4f68150eb56c53cc9373649e35bc37dd235a0c86e10aa23b8a835378136ac6a0": "NewPauser",
    "0xeff538eaa91b9b5384df4354f3841681487784258ac4b209182aef0755f9e0be": "NewSanctionsList",
    "0x352ee13cfd2e4909f0a0c7b78a6079921377f6377d8af594509ff9aaf4f925da": "NewMultiplierUpdater",
    "0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0": "OwnershipTransferred",
    "0x7e644d79422f17c01e4894b5f4f588d331ebfa28653d42ae832dc59e38c9798f": "AdminChanged",
    "0xbc7cd75a20ee27fd9adebab32041f755214dbc6bffa90cc0225b39da2e5c2d3b": "Upgraded",
    # OpenZeppelin AccessControl and beacon proxies (Ondo-style tokens)
    "0x2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d": "RoleGranted",
    "0xf6391f5c32d9c69d2a47ea670b442974b53935d1edc7fd64eb21e047a839171b": "RoleRevoked",
    "0xbd79b86ffe0ab8e8776151514217cd7cacd52c909f66475c3af44e129f0b00ff": "RoleAdminChanged",
    "0x1cf3b03a6cf19fa2baba4df148e9dcabedea7f8a5c07840e207e5c089be95d3e": "BeaconUpgraded",
}
CHUNK = 10_000  # blocks per eth_getLogs, or more when the window needs over MAX_CHUNKS (halved when refused)
MAX_CHUNKS = 200  # eth_getLogs requests of the first round trip at most (a fast chain's 30 days: bigger chunks)
MAX_SPLIT = 2_000  # eth_getLogs requests of one round trip at most after refused ranges were split
BATCH = 20  # JSON-RPC items per request; a round's requests are sent at once
MARGIN = 1.5  # scan this many times the estimated window: block times vary
MIN_SPAN = 60  # seconds between head and finalized below which they give no usable rate
PROBES = 8  # headers read with the logs, spread over the scanned range
FIRST_DEPTH = 256  # without a rate: headers at 256, 512, 1024 … blocks below the head
# Every fact a read can write (fact key → unit); a failed read leaves each of them unknown.
FEEDS: dict[str, str] = {"authority_changes_30d": "events"}


@dataclasses.dataclass(frozen=True, slots=True)
class History:
    """The role, admin and upgrade events of some contracts in the window, before choosing whose count.

    Attributes:
        events: Each event in the window, oldest first.
        read: The contracts whose logs were read (lower case).
        since: The window's start in chain time.
        start: The first block read.
        head: The last block read (the head of round 1).
        requests: ``eth_getLogs`` requests sent.
        source: The node's provenance label.
    """

    events: list[dict[str, Any]]
    read: frozenset[str]
    since: datetime
    start: int
    head: int
    requests: int
    source: str

    def fact(self, addresses: list[str]) -> Fact:
        """CT-9's input: the events of ``addresses`` (each of them among the contracts read)."""
        wanted = {a.lower() for a in addresses}
        assert wanted <= self.read, f"events of {sorted(wanted - self.read)} were not read"
        method = (
            f'eth_getLogs {{"address": {addresses}, "topics": [role, admin and upgrade events]}} blocks '
            f"{self.start}–{self.head} ({self.requests} requests); events in blocks timed before "
            f"{iso(self.since)} left out"
        )
        found = [e for e in self.events if e["contract"].lower() in wanted]
        unit = f"role/admin/upgrade events since {iso(self.since)} (chain time)"
        return Fact(found, unit, self.source, method, self.head, utc_now())


async def read_history(reader: EvmReader, addresses: list[str], days: int, head: Head) -> History:
    """Every role/admin/upgrade event of these contracts in the ``days`` before the head block.

    Raises:
        SourceError: The node failed or sent headers or logs of an unexpected shape.
    """
    try:
        return await _read(reader, addresses, days, head)
    except (LookupError, TypeError, ValueError, AttributeError, OverflowError, OSError) as exc:
        raise SourceError(f"{reader.url} sent an answer of an unexpected shape ({type(exc).__name__})") from None


async def _read(reader: EvmReader, addresses: list[str], days: int, head: Head) -> History:
    since = head.timestamp - days * 86_400
    known = {head.number: head.timestamp}
    if head.finalized is not None:
        known[head.finalized[0]] = head.finalized[1]
    rate = _rate(head)
    if rate is None:  # no rate to estimate from: headers at doubling depths, in one round trip
        known |= await _headers(reader, _depths(head.number))
    outside = _last_outside(known, since)
    if outside is not None:
        start = outside + 1
    elif rate is None:
        start = 0  # even block 0 is in the window
    else:
        start = max(0, head.number - math.ceil(MARGIN * (head.timestamp - since) / rate))
    logs: list[dict[str, Any]] = []
    requests, end = 0, head.number
    while True:
        covered = start == 0 or (_last_outside(known, since) or -1) >= start - 1
        probes = [] if covered else _spread(start, min(b for b, t in known.items() if t >= since))
        found, headers, sent = await _scan(reader, addresses, start, end, probes)
        logs, requests = logs + found, requests + sent
        known |= headers
        if start == 0 or (_last_outside(known, since) or -1) >= start - 1:
            break
        end, start = start - 1, max(0, head.number - 2 * (head.number - start) - 1)
    events = await _in_window(reader, logs, known, since)
    return History(
        [
            {
                "event": EVENTS[log["topics"][0]],
                "contract": log["address"],
                "block": int(log["blockNumber"], 16),
                "tx": log["transactionHash"],
            }
            for log in events
        ],
        frozenset(a.lower() for a in addresses),
        datetime.fromtimestamp(since, UTC),
        start,
        head.number,
        requests,
        reader.source,
    )


def _rate(head: Head) -> float | None:
    """Seconds per block between the finalized block and the head, when they are far enough apart."""
    if head.finalized is None:
        return None
    number, stamp = head.finalized
    if head.number <= number or head.timestamp - stamp < MIN_SPAN:
        return None
    return (head.timestamp - stamp) / (head.number - number)


def _depths(head: int) -> list[int]:
    """Blocks 256, 512, 1024 … below the head, and block 0."""
    out, depth = [], FIRST_DEPTH
    while depth < head:
        out.append(head - depth)
        depth *= 2
    return [*out, 0]


def _spread(start: int, stop: int) -> list[int]:
    """Up to :data:`PROBES` blocks from ``start`` (included) towards ``stop`` (excluded)."""
    return sorted({start + (stop - start) * i // PROBES for i in range(PROBES)} - {stop}) or [start]


def _last_outside(known: dict[int, int], since: int) -> int | None:
    """The highest block known to be timed before the window (every block up to it is outside)."""
    return max((b for b, t in known.items() if t < since), default=None)


async def _headers(reader: EvmReader, blocks: list[int]) -> dict[int, int]:
    """Each block's timestamp, in one round trip.

    Raises:
        SourceError: The node failed, or has no such block.
    """
    answers = await _batched(reader, [("eth_getBlockByNumber", [hex(b), False]) for b in blocks])
    out = {}
    for block, answer in zip(blocks, answers, strict=True):
        found = block_of(answer)
        if found is None:
            raise SourceError(f"the node has no block {block} ({str(answer)[:80]})")
        out[block] = found[1]
    return out


async def _scan(
    reader: EvmReader, addresses: list[str], start: int, end: int, probes: list[int]
) -> tuple[list[dict[str, Any]], dict[int, int], int]:
    """The events of ``start``–``end`` and the ``probes`` headers; a range the node refuses is split and read again.

    Returns:
        The logs, oldest first; each probe's timestamp; the ``eth_getLogs`` requests sent.
    """
    topics = [list(EVENTS)]
    size = max(CHUNK, -(-(end - start + 1) // MAX_CHUNKS))
    ranges = [(a, min(end, a + size - 1)) for a in range(start, end + 1, size)]
    found: dict[tuple[int, int], list[dict[str, Any]]] = {}
    headers: dict[int, int] = {}
    sent = 0
    while ranges or probes:
        calls = [
            ("eth_getLogs", [{"address": addresses, "topics": topics, "fromBlock": hex(a), "toBlock": hex(b)}])
            for a, b in ranges
        ]
        answers = await _batched(reader, [*calls, *(("eth_getBlockByNumber", [hex(p), False]) for p in probes)])
        sent += len(ranges)
        retry = []
        for (a, b), answer in zip(ranges, answers, strict=False):
            if not isinstance(answer, RpcError):
                found[(a, b)] = answer
            elif is_range_error(answer) and a < b:
                retry += [(a, (a + b) // 2), ((a + b) // 2 + 1, b)]
            else:
                raise answer
        if len(retry) > MAX_SPLIT:
            refused = 2 * (retry[0][1] - retry[0][0] + 1)
            raise SourceError(
                f"the node refuses eth_getLogs ranges of {refused:,} blocks; smaller ones would take over "
                f"{MAX_SPLIT:,} requests"
            )
        for probe, answer in zip(probes, answers[len(ranges) :], strict=True):
            header = block_of(answer)
            if header is None:
                raise SourceError(f"the node has no block {probe} ({str(answer)[:80]})")
            headers[probe] = header[1]
        ranges, probes = retry, []
    return [log for key in sorted(found) for log in found[key]], headers, sent


async def _in_window(
    reader: EvmReader, logs: list[dict[str, Any]], known: dict[int, int], since: int
) -> list[dict[str, Any]]:
    """The logs whose block is timed at or after ``since``, oldest first.

    A block at or above one known to be in the window is in it, one at or below one known to be
    before it is not; between them the log's ``blockTimestamp`` decides, else the block's header
    (one batched read of the few blocks that carry such events).
    """
    logs = sorted(logs, key=lambda log: int(log["blockNumber"], 16))
    inside = min(b for b, t in known.items() if t >= since)
    outside = _last_outside(known, since)
    low = -1 if outside is None else outside

    def block(log: dict[str, Any]) -> int:
        return int(log["blockNumber"], 16)

    unknown = sorted({block(log) for log in logs if low < block(log) < inside and "blockTimestamp" not in log})
    if unknown:
        known = known | await _headers(reader, unknown)

    def in_window(log: dict[str, Any]) -> bool:
        if block(log) >= inside:
            return True
        if block(log) <= low:
            return False
        stamp = int(log["blockTimestamp"], 16) if "blockTimestamp" in log else known[block(log)]
        return stamp >= since

    return [log for log in logs if in_window(log)]


async def _batched(reader: EvmReader, calls: list[tuple[str, list[Any]]]) -> list[Any]:
    """The calls in requests of at most :data:`BATCH` items, sent at once (one round trip)."""
    parts = await asyncio.gather(
        *(batch(reader.http, reader.url, calls[i : i + BATCH]) for i in range(0, len(calls), BATCH))
    )
    return [answer for part in parts for answer in part]
