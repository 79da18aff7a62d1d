"""EVM JSON-RPC adapter: the node connection, round 1 (chain id + head block), Multicall3 batching.

Round 1 of an inspection is one JSON-RPC batch: the chain id, the head block, the finalized block
and the caller's own reads. The chain id is judged before any other answer is used, and the head
(number and timestamp) is shared by every later read of the chain (:class:`Heads`).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ..chains import Chain, chain_by_id
from ..errors import SourceError
from ..http import Http
from .jsonrpc import RpcError, batch

if TYPE_CHECKING:
    from web3 import AsyncWeb3

MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11"
AGGREGATE3 = bytes.fromhex("82ad56cb")  # aggregate3((address,bool,bytes)[])

T = TypeVar("T")
HEAD_CALLS: list[tuple[str, list[Any]]] = [
    ("eth_chainId", []),
    ("eth_getBlockByNumber", ["latest", False]),
    ("eth_getBlockByNumber", ["finalized", False]),  # with the head: the chain's recent block rate (CT-9)
]


@dataclasses.dataclass(frozen=True, slots=True)
class Head:
    """The chain's head block, read once in round 1 and shared by every later read of the chain.

    Attributes:
        number: The head block's number.
        timestamp: Its timestamp: the chain's own clock, in seconds since 1970.
        finalized: The finalized block as (number, timestamp), when the node names one.
    """

    number: int
    timestamp: int
    finalized: tuple[int, int] | None


class Heads:
    """Each EVM chain's head as the inspection's chain read found it, or why it could not.

    The measured coverage reads the inspected chain at that head (without a second chain-id check).
    """

    def __init__(self, keys: Iterable[str]) -> None:
        loop = asyncio.get_running_loop()
        self._found: dict[str, asyncio.Future[Head | str]] = {key: loop.create_future() for key in keys}

    def publish(self, key: str, head: Head | str) -> None:
        """Give a chain's head (or the reason the read failed) to every read waiting for it."""
        found = self._found.get(key)
        if found is not None and not found.done():
            found.set_result(head)

    def of(self, key: str) -> Awaitable[Head | str] | None:
        """The chain's head once round 1 is read, or ``None`` when this inspection does not read the chain."""
        found = self._found.get(key)
        return asyncio.shield(found) if found is not None else None


@dataclasses.dataclass(frozen=True, slots=True)
class CallResult:
    """One sub-call of a Multicall3 batch."""

    target: str
    data: bytes
    success: bool
    returned: bytes

    @property
    def word(self) -> int | None:
        """The first returned word as an unsigned integer, if the call was usable."""
        return int.from_bytes(self.returned[:32], "big") if self.usable else None

    @property
    def text(self) -> str | None:
        """The returned ABI string, if the call was usable and returned one."""
        return decode_string(self.returned) if self.usable else None

    @property
    def usable(self) -> bool:
        """Whether the call succeeded and returned at least one word (an EOA returns nothing)."""
        return self.success and len(self.returned) >= 32

    def method(self, block: int) -> str:
        """Describe the call so a person can re-run it against any node."""
        return f'eth_call {{"to": "{self.target}", "data": "0x{self.data.hex()}"}} at block {block}'


class EvmReader:
    """Reads one EVM chain through one RPC endpoint.

    Attributes:
        chain: The chain the user asked for.
        url: The RPC endpoint.
        source: The provenance label used on every fact this reader produces.
    """

    def __init__(self, http: Http, chain: Chain, url: str) -> None:
        self.chain = chain
        self.url = url
        self.source = f"EVM RPC {chain.key} ({url})"
        self.http = http
        self._web3: AsyncWeb3[Any] | None = None

    def web3(self) -> AsyncWeb3[Any]:
        """Return this reader's AsyncWeb3, built on first use (web3 imports slowly)."""
        if self._web3 is None:
            from web3 import AsyncWeb3  # noqa: PLC0415 - web3 takes ~2 s to import

            from .web3_provider import HttpxProvider  # noqa: PLC0415 - it imports web3

            self._web3 = AsyncWeb3(HttpxProvider(self.http, self.url), middleware=[])
        return self._web3

    async def check_chain(self) -> None:
        """Refuse a node that serves another chain than the one asked for.

        Raises:
            SourceError: Unreachable node, or a chain-id mismatch.
        """
        await self.checked([])

    async def checked(self, calls: Sequence[tuple[str, list[Any]]]) -> list[Any | RpcError]:
        """The chain-id check and ``calls`` in one JSON-RPC batch; the chain id is judged before any answer is used.

        Raises:
            SourceError: Unreachable node, or a chain-id mismatch.
        """
        answers = await batch(self.http, self.url, [*HEAD_CALLS[:1], *calls])
        self._judge_chain_id(answers[0])
        return answers[1:]

    async def open(self, calls: Sequence[tuple[str, list[Any]]]) -> tuple[Head, list[Any | RpcError]]:
        """Round 1: the chain id, the head and the finalized block, and ``calls``, in one JSON-RPC batch.

        The chain id is judged before any other answer is used.

        Returns:
            The head, and the answers to ``calls`` in order (an item the node refused is an RpcError).

        Raises:
            SourceError: Unreachable node, a chain-id mismatch, or no usable head block.
        """
        answers = await batch(self.http, self.url, [*HEAD_CALLS, *calls])
        self._judge_chain_id(answers[0])
        head = block_of(answers[1])
        if head is None:
            raise SourceError(f"The RPC at {self.url} gave no usable head block ({str(answers[1])[:120]}).")
        return Head(*head, block_of(answers[2])), answers[len(HEAD_CALLS) :]

    async def read(self, calls: Sequence[tuple[str, list[Any]]]) -> list[Any]:
        """One JSON-RPC batch whose every item must answer.

        Raises:
            SourceError: Transport failure, or any item the node refused.
        """
        answers = await batch(self.http, self.url, list(calls))
        refused = next((a for a in answers if isinstance(a, RpcError)), None)
        if refused is not None:
            raise SourceError(f"The RPC at {self.url} refused a read ({refused}).")
        return answers

    def _judge_chain_id(self, answer: Any) -> None:
        """Refuse an answer that is no chain id, or another chain's.

        Raises:
            SourceError: No usable chain id, or a chain-id mismatch.
        """
        try:
            if isinstance(answer, RpcError) or not isinstance(answer, str):
                raise ValueError(str(answer)[:120])
            chain_id = int(answer, 16)
        except ValueError as exc:
            raise SourceError(f"The RPC at {self.url} gave no usable chain id ({exc}).") from None
        if chain_id != self.chain.chain_id:
            other = chain_by_id(chain_id)
            named = f"{other.name} ({chain_id})" if other else f"chain id {chain_id}"
            raise SourceError(
                f"The RPC at {self.url} serves {named}, not {self.chain.name} "
                f"({self.chain.chain_id}); point the {self.chain.key} endpoint at a "
                f"{self.chain.name} node."
            )

    async def guard(self, pending: Awaitable[T]) -> T:
        """Await a web3 request; any failure becomes a :class:`SourceError` naming the node."""
        try:
            return await pending
        except SourceError:
            raise
        except Exception as exc:  # noqa: BLE001 - any web3 failure is a source failure
            raise SourceError(f"The RPC at {self.url} refused a read ({exc}).") from None


def block_of(answer: Any) -> tuple[int, int] | None:
    """A block header's (number, timestamp), or ``None`` when the answer is not a header."""
    if not isinstance(answer, dict):
        return None
    number, stamp = answer.get("number"), answer.get("timestamp")
    if not (isinstance(number, str) and isinstance(stamp, str)):
        return None
    try:
        return int(number, 16), int(stamp, 16)
    except ValueError:
        return None


def hex_bytes(answer: Any) -> bytes:
    """A JSON-RPC data answer (``0x…``) as bytes.

    Raises:
        ValueError: The answer is not a hex string.
    """
    if not isinstance(answer, str) or not answer.startswith("0x"):
        raise ValueError(f"not hex data: {str(answer)[:60]!r}")
    return bytes.fromhex(answer[2:])


def multicall_answer(answer: Any, calls: list[tuple[str, bytes]], url: str) -> list[CallResult]:
    """An ``eth_call`` answer to ``aggregate3`` (hex data, or the node's refusal), one result per call.

    Raises:
        SourceError: The node refused the call, or its answer does not decode (see :func:`decode_multicall`).
    """
    if isinstance(answer, RpcError):
        raise SourceError(f"The RPC at {url} refused a read ({answer}).")
    try:
        raw = hex_bytes(answer)
    except ValueError as exc:
        raise SourceError(f"The RPC at {url} sent a Multicall3 answer that does not decode ({exc}).") from None
    return decode_multicall(raw, calls, url)


def encode_multicall(calls: list[tuple[str, bytes]]) -> bytes:
    """Encode ``aggregate3`` with ``allowFailure`` on every call (a revert is an answer).

    The ABI encoding of ``(address,bool,bytes)[]`` written out (eth_abi's encoder validates every
    value and costs ~2 ms per call of a hundred reads; these values are the app's own).

    Raises:
        ValueError: A target that is not 0x and 40 hex digits.
    """

    def word(number: int) -> bytes:
        return number.to_bytes(32, "big")

    tuples = []
    for target, data in calls:
        if len(target) != 42 or not target.startswith("0x"):
            raise ValueError(f"not an address: {target!r}")
        padded = data + bytes(-len(data) % 32)
        tuples.append(bytes(12) + bytes.fromhex(target[2:]) + word(1) + word(0x60) + word(len(data)) + padded)
    offsets, at = [], 32 * len(tuples)
    for encoded in tuples:
        offsets.append(word(at))
        at += len(encoded)
    return AGGREGATE3 + word(0x20) + word(len(tuples)) + b"".join(offsets) + b"".join(tuples)


def decode_multicall(raw: bytes, calls: list[tuple[str, bytes]], url: str) -> list[CallResult]:
    """Decode an ``aggregate3`` answer into one result per call.

    Raises:
        SourceError: The node has no Multicall3 (an empty answer), or its answer does not decode or
            holds another number of results than calls (a node that lies or truncates).
    """
    from eth_abi.abi import decode  # noqa: PLC0415
    from eth_abi.exceptions import DecodingError  # noqa: PLC0415

    if not raw:
        raise SourceError(
            f"The RPC at {url} has no Multicall3 contract at {MULTICALL3}; "
            "Backcheck needs it to read a token in one round trip."
        )
    try:
        (results,) = decode(["(bool,bytes)[]"], raw)
    except (DecodingError, ValueError, OverflowError) as exc:
        raise SourceError(f"The RPC at {url} sent a Multicall3 answer that does not decode ({exc}).") from None
    if len(results) != len(calls):
        raise SourceError(f"The RPC at {url} answered {len(results)} Multicall3 results for {len(calls)} calls.")
    return [CallResult(t, d, ok, bytes(ret)) for (t, d), (ok, ret) in zip(calls, results, strict=True)]


def decode_string(returned: bytes) -> str | None:
    """Decode an ABI string return value; ``None`` when the bytes are not one."""
    from eth_abi.abi import decode  # noqa: PLC0415
    from eth_abi.exceptions import DecodingError  # noqa: PLC0415

    try:
        (text,) = decode(["string"], returned)
    except (DecodingError, UnicodeDecodeError):
        return None
    return str(text)
