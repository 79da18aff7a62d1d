"""Chainlink AggregatorV3-style proof-of-reserve feeds: answer, round sanity and age."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ..errors import SourceError
from ..facts import Fact, iso, utc_now
from ..registry import ReserveFeed
from ..units import from_raw
from .evm import MULTICALL3, CallResult, EvmReader, decode_multicall, encode_multicall

LATEST_ROUND_DATA = bytes.fromhex("feaf968c")
DECIMALS = bytes.fromhex("313ce567")
DESCRIPTION = bytes.fromhex("7284e416")
BLOCK_NUMBER = bytes.fromhex("42cbb15c")
BLOCK_TIMESTAMP = bytes.fromhex("0f28c97d")
# Every fact a read can write (fact key → unit); a failed read leaves each of them unknown.
FEEDS: dict[str, str] = {
    "reserves_feed": "address",
    "reserves_feed_answer": "shares held (feed answer)",
    "reserves_feed_round": "latestRoundData fields",
    "reserves_feed_round_check": "round sanity (RS-6)",
    "reserves_feed_updated_at": "time",
    "reserves_feed_heartbeat_hours": "hours",
    "reserves_feed_description": "text",
    "reserves_feed_age_hours": "hours since updatedAt (chain time)",
}


def round_problems(round_id: int, answer: int, updated_at: int, answered_in_round: int) -> list[str]:
    """Say what is wrong with a feed round (RS-6): empty list when it is sane."""
    problems = []
    if answer <= 0:
        problems.append(f"answer is {answer} (must be above zero)")
    if updated_at == 0:
        problems.append("updatedAt is 0 (the round never completed)")
    if answered_in_round < round_id:
        problems.append(f"answeredInRound {answered_in_round} is older than roundId {round_id} (a carried-over answer)")
    return problems


async def read_feed(reader: EvmReader, feed: ReserveFeed) -> dict[str, Fact]:
    """Read a feed's latest round in one Multicall3 call and judge its sanity and age.

    Raises:
        SourceError: The node failed or sent bytes that do not decode as the calls' answers.
    """
    from eth_abi.exceptions import DecodingError  # noqa: PLC0415 - lazy: comes with web3

    calls = [
        (MULTICALL3, BLOCK_NUMBER),
        (MULTICALL3, BLOCK_TIMESTAMP),
        (feed.address, LATEST_ROUND_DATA),
        (feed.address, DECIMALS),
        (feed.address, DESCRIPTION),
    ]
    raw = await reader.guard(reader.web3().eth.call({"to": MULTICALL3, "data": encode_multicall(calls)}))
    try:
        return _facts(reader, feed, decode_multicall(bytes(raw), calls, reader.url))
    except (DecodingError, LookupError, TypeError, ValueError, ArithmeticError, OSError) as exc:
        raise SourceError(
            f"The RPC at {reader.url} sent a Multicall3 answer that does not decode ({type(exc).__name__}: {exc})."
        ) from None


def _facts(reader: EvmReader, feed: ReserveFeed, results: list[CallResult]) -> dict[str, Fact]:
    from eth_abi.abi import decode  # noqa: PLC0415 - lazy: comes with web3

    block_call, time_call, latest, decimals_call, description = results
    block = block_call.word or 0
    chain_time = datetime.fromtimestamp(time_call.word or 0, UTC)
    now = utc_now()

    def fact(value: Any, unit: str, call: CallResult) -> Fact:
        return Fact(value, unit, f"{reader.source} — feed {feed.address}", call.method(block), block, now)

    if not latest.usable or len(latest.returned) < 160 or not decimals_call.usable:
        reason = f"the feed at {feed.address} on {feed.chain.name} did not answer latestRoundData()/decimals()"
        return {
            key: Fact(None, unit, reader.source, latest.method(block), block, now, error=reason)
            for key, unit in FEEDS.items()
        }
    round_id, answer, _started, updated_at, answered_in = decode(
        ["uint80", "int256", "uint256", "uint256", "uint80"], latest.returned
    )
    decimals = decimals_call.word or 0
    problems = round_problems(round_id, answer, updated_at, answered_in)
    age = Decimal((chain_time.timestamp() - updated_at) / 3600).quantize(Decimal("0.1")) if updated_at else None
    facts = {
        "reserves_feed": fact(feed.address, f"address on {feed.chain.name} ({feed.source})", latest),
        "reserves_feed_answer": fact(from_raw(answer, decimals), "shares held (feed answer)", latest),
        "reserves_feed_round": fact(
            {"round_id": str(round_id), "answered_in_round": str(answered_in), "updated_at": updated_at},
            "latestRoundData fields",
            latest,
        ),
        "reserves_feed_round_check": fact("; ".join(problems) or "ok", "round sanity (RS-6)", latest),
        "reserves_feed_updated_at": fact(iso(datetime.fromtimestamp(updated_at, UTC)), "time", latest)
        if updated_at
        else Fact.unknown("the round has no updatedAt", unit="time", source=reader.source, method=latest.method(block)),
        "reserves_feed_heartbeat_hours": Fact(
            Decimal(feed.cadence_hours), "hours", f"registry: {feed.source}", "feed heartbeat", None, now
        ),
    }
    text = description.text
    facts["reserves_feed_description"] = (
        fact(text, "text", description)
        if text
        else Fact.unknown(
            "the feed gives no description()", unit="text", source=reader.source, method=description.method(block)
        )
    )
    facts["reserves_feed_age_hours"] = (
        fact(age, "hours since updatedAt (chain time)", latest)
        if age is not None
        else Fact.unknown("updatedAt is 0", unit="hours", source=reader.source, method=latest.method(block))
    )
    return facts
