"""Recent role, admin and upgrade events of an EVM token and its ProxyAdmin (CT-9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ..errors import SourceError
from ..facts import Fact, iso, utc_now
from ..logscan import latest_block
from .evm import EvmReader
from .jsonrpc import RpcError, batch, call

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
CHUNK = 10_000
# Every fact a read can write (fact key → unit); a failed read leaves each of them unknown.
FEEDS: dict[str, str] = {"authority_changes_30d": "events"}
MAX_STEPS = 12


async def _timestamp(reader: EvmReader, block: int) -> int:
    header = await call(reader.http, reader.url, "eth_getBlockByNumber", [hex(block), False])
    if not isinstance(header, dict):
        raise SourceError(f"the node has no block {block}")
    return int(header["timestamp"], 16)


async def block_at(reader: EvmReader, moment: datetime, head: int) -> int:
    """The first block at or after ``moment``: interpolation over block timestamps, then bisection."""
    target = int(moment.timestamp())
    low, high = 0, head
    t_low, t_high = await _timestamp(reader, low), await _timestamp(reader, high)
    if target <= t_low:
        return 0
    if target > t_high:
        return head + 1
    for step in range(MAX_STEPS * 3):
        if high - low <= 1:
            break
        if step < MAX_STEPS and t_high > t_low:  # interpolate first, bisect if that stalls
            guess = low + (high - low) * (target - t_low) // (t_high - t_low)
            mid = min(max(guess, low + 1), high - 1)
        else:
            mid = (low + high) // 2
        t_mid = await _timestamp(reader, mid)
        if t_mid < target:
            low, t_low = mid, t_mid
        else:
            high, t_high = mid, t_mid
    return high


async def authority_changes(reader: EvmReader, addresses: list[str], days: int) -> Fact:
    """Every role/admin/upgrade event of these contracts in the last ``days`` days.

    Raises:
        SourceError: The node failed or sent headers or logs of an unexpected shape.
    """
    try:
        return await _authority_changes(reader, addresses, days)
    except (LookupError, TypeError, ValueError, AttributeError, OverflowError, OSError) as exc:
        raise SourceError(f"{reader.url} sent an answer of an unexpected shape ({type(exc).__name__})") from None


async def _authority_changes(reader: EvmReader, addresses: list[str], days: int) -> Fact:
    head = await latest_block(reader.http, reader.url)
    # The window ends at the chain's own clock (the head block), not this computer's.
    since = datetime.fromtimestamp(await _timestamp(reader, head), UTC) - timedelta(days=days)
    start = await block_at(reader, since, head)
    topics = [list(EVENTS)]
    found: list[dict[str, Any]] = []
    chunk, block = CHUNK, start
    requests = 0
    while block <= head:
        end = min(head, block + chunk - 1)
        (answer,) = await batch(
            reader.http,
            reader.url,
            [("eth_getLogs", [{"address": addresses, "topics": topics, "fromBlock": hex(block), "toBlock": hex(end)}])],
        )
        requests += 1
        if isinstance(answer, RpcError):
            if chunk > 1:
                chunk //= 2
                continue
            raise answer
        found += [
            {
                "event": EVENTS[log["topics"][0]],
                "contract": log["address"],
                "block": int(log["blockNumber"], 16),
                "tx": log["transactionHash"],
            }
            for log in answer
        ]
        block = end + 1
    method = (
        f'eth_getLogs {{"address": {addresses}, "topics": [role, admin and upgrade events]}} blocks '
        f"{start}–{head} ({requests} requests)"
    )
    return Fact(
        found, f"role/admin/upgrade events since {iso(since)} (block {start})", reader.source, method, head, utc_now()
    )
