"""Token factories whose on-chain list is an issuer's token list (docs/issuer-lists.md).

Two kinds: Dinari's ``DShareFactory.getDShares()`` (two address arrays: dShares and wrapped
dShares; ``dinaricrypto/sbt-contracts:src/IDShareFactory.sol``) and Robinhood's StockFactory, whose
``Deployed(bytes32 uid, address stock, string name, string symbol)`` events name every stock token.
Everything is read at one head block (the chain id is judged in the same batch first); each listed
token's symbol, name and decimals come from one Multicall3 batch at that block.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from ..errors import SourceError
from ..facts import iso, utc_now
from ..logscan import is_range_error
from ..redact import redact_text, redact_url
from .evm import MULTICALL3, EvmReader, encode_multicall, hex_bytes, multicall_answer
from .jsonrpc import RpcError, batch

# This adapter lists tokens; it writes no facts of an inspection.
FEEDS: dict[str, str] = {}
GET_DSHARES = "0xbe6c84af"  # getDShares() → (address[], address[])
# keccak("Deployed(bytes32,address,string,string)"); uid indexed or not, the topic is the same.
DEPLOYED_TOPIC = "0xd9b0c6a1c0de228715ad0fa09f3259686ee84f8cc675e03ef7e47a9cdafa76d6"
SELECTORS = {
    "symbol": bytes.fromhex("95d89b41"),
    "name": bytes.fromhex("06fdde03"),
    "decimals": bytes.fromhex("313ce567"),
}
MAX_TOKENS = 5_000  # far above any factory's list today; a factory answering more is not believed
MAX_LOG_REQUESTS = 512  # eth_getLogs requests one list may take when a node keeps splitting ranges
LOGS_IN_FLIGHT = 16  # ranges asked in one JSON-RPC batch
CALLS_PER_MULTICALL = 300  # three reads per token: 100 tokens per aggregate3, all in one batch


@dataclasses.dataclass(frozen=True, slots=True)
class Factory:
    """A factory whose on-chain list is (or, with a third-party basis, is said to be) an issuer's list.

    Attributes:
        issuer: Registry key of the issuer (``"dinari"``).
        chain: Chain key.
        address: The factory contract.
        kind: ``"dshares"`` (``getDShares()``) or ``"deployed-events"`` (StockFactory ``Deployed`` logs).
        role: What the source calls the contract.
        basis: ``issuer`` (the issuer's own repository declares it) or ``third-party``.
        listed_by: Who names this factory.
        source: Repository, path and commit or date of that source.
        as_of: The source's date.
        from_block: The first block to scan for events (0: from genesis).
    """

    issuer: str
    chain: str
    address: str
    kind: str
    role: str
    basis: str
    listed_by: str
    source: str
    as_of: str
    from_block: int = 0

    @property
    def key(self) -> str:
        """The cache key: chain and lower-cased address."""
        return f"{self.chain}:{self.address.lower()}"


@dataclasses.dataclass(frozen=True, slots=True)
class FactoryToken:
    """One token the factory lists, with what the chain says of it (``None``: the read failed)."""

    address: str
    symbol: str | None
    name: str | None
    decimals: int | None
    wrapped: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class FactoryList:
    """A factory's list as read at one block.

    Attributes:
        factory: The factory.
        tokens: Every token it lists, in its order.
        block: The block the list was read at.
        block_time: That block's timestamp (ISO-8601).
        fetched_at: When it was read (ISO-8601).
        rpc: The RPC endpoint it was read from.
        method: The call that gives the list, to re-run.
    """

    factory: Factory
    tokens: tuple[FactoryToken, ...]
    block: int
    block_time: str
    fetched_at: str
    rpc: str
    method: str


async def read_list(reader: EvmReader, factory: Factory) -> FactoryList:
    """Read a factory's list and each token's symbol, name and decimals at the head block.

    Raises:
        SourceError: The node is unreachable or serves another chain, the factory answered
            nothing usable, or the token reads failed.
    """
    head, _ = await reader.open([])
    at = hex(head.number)
    if factory.kind == "dshares":
        addresses, wrapped = await _dshares(reader, factory, at)
        method = f'eth_call {{"to": "{factory.address}", "data": "{GET_DSHARES}"}} at block {head.number}'
    else:
        addresses, wrapped = await _deployed(reader, factory, head.number), set()
        method = (
            f'eth_getLogs {{"address": "{factory.address}", "topics": ["{DEPLOYED_TOPIC}"], '
            f'"fromBlock": {factory.from_block}, "toBlock": {head.number}}}'
        )
    tokens = await _describe(reader, addresses, wrapped, at)
    stamp = iso(datetime.fromtimestamp(head.timestamp, UTC))
    # Kept and shown: the endpoint without its key (an RPC URL may carry one).
    return FactoryList(factory, tokens, head.number, stamp, iso(utc_now()), redact_url(reader.url), redact_text(method))


async def _dshares(reader: EvmReader, factory: Factory, at: str) -> tuple[list[str], set[str]]:
    """``getDShares()``: the dShares, then the wrapped dShares (both are the issuer's tokens)."""
    from eth_abi.abi import decode  # noqa: PLC0415 - lazy: comes with web3
    from eth_abi.exceptions import DecodingError  # noqa: PLC0415

    (answer,) = await batch(reader.http, reader.url, [("eth_call", [{"to": factory.address, "data": GET_DSHARES}, at])])
    if isinstance(answer, RpcError):
        raise SourceError(f"The factory {factory.address} on {reader.chain.name} refused getDShares() ({answer}).")
    try:
        raw = hex_bytes(answer)
        if not raw:
            raise ValueError("no contract answers getDShares() there")
        shares, wrapped = decode(["address[]", "address[]"], raw)
    except (DecodingError, ValueError, OverflowError) as exc:
        raise SourceError(
            f"The factory {factory.address} on {reader.chain.name} gave no dShare list ({str(exc)[:120]})."
        ) from None
    if len(shares) + len(wrapped) > MAX_TOKENS:
        raise SourceError(f"The factory {factory.address} lists more than {MAX_TOKENS} tokens; not believed.")
    return [*map(str, shares), *map(str, wrapped)], set(map(str, wrapped))


async def _deployed(reader: EvmReader, factory: Factory, head: int) -> list[str]:
    """Every ``Deployed`` event's stock address, oldest first; a range the node refuses is halved."""
    pending = [(factory.from_block, head)]
    logs: list[dict[str, Any]] = []
    asked = 0
    while pending:
        ranges, pending = pending[:LOGS_IN_FLIGHT], pending[LOGS_IN_FLIGHT:]
        asked += len(ranges)
        if asked > MAX_LOG_REQUESTS:
            raise SourceError(
                f"{reader.url} kept refusing eth_getLogs ranges for {factory.address}; stopped after "
                f"{MAX_LOG_REQUESTS} requests."
            )
        calls = [
            (
                "eth_getLogs",
                [{"address": factory.address, "topics": [DEPLOYED_TOPIC], "fromBlock": hex(a), "toBlock": hex(b)}],
            )
            for a, b in ranges
        ]
        for (a, b), answer in zip(ranges, await batch(reader.http, reader.url, calls), strict=True):
            if isinstance(answer, RpcError):
                if is_range_error(answer) and b > a:
                    middle = (a + b) // 2
                    pending += [(a, middle), (middle + 1, b)]
                    continue
                raise SourceError(f"{reader.url} refused the factory's events ({answer}).")
            if not isinstance(answer, list):
                raise SourceError(f"{reader.url} sent something other than a list of logs.")
            logs += answer
    logs.sort(key=lambda log: (_number(log, "blockNumber"), _number(log, "logIndex")))
    addresses = [_stock(log, factory) for log in logs]
    if len(addresses) > MAX_TOKENS:
        raise SourceError(f"The factory {factory.address} lists more than {MAX_TOKENS} tokens; not believed.")
    return list(dict.fromkeys(addresses))


def _number(log: dict[str, Any], key: str) -> int:
    value = log.get(key) if isinstance(log, dict) else None
    return int(value, 16) if isinstance(value, str) and value.startswith("0x") else 0


def _stock(log: dict[str, Any], factory: Factory) -> str:
    """The stock address of one ``Deployed`` log (``uid`` indexed: data = address, name, symbol).

    Raises:
        SourceError: A log of another contract or event, or data that does not decode.
    """
    from eth_abi.abi import decode  # noqa: PLC0415
    from eth_abi.exceptions import DecodingError  # noqa: PLC0415

    try:
        topics = log["topics"]
        if str(log["address"]).lower() != factory.address.lower() or str(topics[0]).lower() != DEPLOYED_TOPIC:
            raise ValueError("a log of another contract or event")
        types = ["address", "string", "string"] if len(topics) == 2 else ["bytes32", "address", "string", "string"]
        decoded = decode(types, hex_bytes(log["data"]))
    except (DecodingError, LookupError, TypeError, ValueError, OverflowError) as exc:
        raise SourceError(f"A Deployed event of {factory.address} does not decode ({str(exc)[:120]}).") from None
    return str(decoded[0] if len(topics) == 2 else decoded[1])


async def _describe(reader: EvmReader, addresses: list[str], wrapped: set[str], at: str) -> tuple[FactoryToken, ...]:
    """symbol(), name() and decimals() of every token: Multicall3 calls at one block, in one JSON-RPC batch."""
    calls = [(address, SELECTORS[n]) for address in addresses for n in ("symbol", "name", "decimals")]
    chunks = [calls[i : i + CALLS_PER_MULTICALL] for i in range(0, len(calls), CALLS_PER_MULTICALL)]
    requests = [("eth_call", [{"to": MULTICALL3, "data": "0x" + encode_multicall(c).hex()}, at]) for c in chunks]
    answers = await batch(reader.http, reader.url, requests) if requests else []
    results = [
        r for chunk, answer in zip(chunks, answers, strict=True) for r in multicall_answer(answer, chunk, reader.url)
    ]
    tokens = []
    for n, address in enumerate(addresses):
        symbol, name, decimals = results[3 * n : 3 * n + 3]
        places = decimals.word if decimals.usable else None
        tokens.append(
            FactoryToken(
                address,
                symbol.text,
                name.text,
                places if places is not None and places <= 36 else None,
                address in wrapped,
            )
        )
    return tuple(tokens)
