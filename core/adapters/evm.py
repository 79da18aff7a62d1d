"""EVM JSON-RPC adapter: the node connection, the chain-id check and Multicall3 batching."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, TypeVar

from ..chains import Chain, chain_by_id
from ..errors import SourceError
from ..http import Http

if TYPE_CHECKING:
    from web3 import AsyncWeb3

MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11"
AGGREGATE3 = bytes.fromhex("82ad56cb")  # aggregate3((address,bool,bytes)[])

T = TypeVar("T")


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
        try:
            chain_id = int(await self.web3().eth.chain_id)
        except SourceError:
            raise
        except Exception as exc:  # noqa: BLE001 - any web3 failure is a source failure
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


def encode_multicall(calls: list[tuple[str, bytes]]) -> bytes:
    """Encode ``aggregate3`` with ``allowFailure`` on every call (a revert is an answer)."""
    from eth_abi.abi import encode  # noqa: PLC0415 - lazy: comes with web3

    return AGGREGATE3 + encode(["(address,bool,bytes)[]"], [[(t, True, d) for t, d in calls]])


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
