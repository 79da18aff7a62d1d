"""EVM JSON-RPC adapter: chain-id check and token reads batched through Multicall3."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ..chains import Chain, chain_by_id
from ..errors import SourceError
from ..facts import Fact, utc_now
from ..http import Http
from ..units import from_raw

if TYPE_CHECKING:
    from web3 import AsyncWeb3

MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11"
AGGREGATE3 = bytes.fromhex("82ad56cb")  # aggregate3((address,bool,bytes)[])
GET_BLOCK_NUMBER = bytes.fromhex("42cbb15c")  # getBlockNumber()

# Token reads of the first lookup (selectors from facts-onchain.md §2.1).
DECIMALS = bytes.fromhex("313ce567")
TOTAL_SUPPLY = bytes.fromhex("18160ddd")
GET_CURRENT_MULTIPLIER = bytes.fromhex("2b63c300")
NAME = bytes.fromhex("06fdde03")
SYMBOL = bytes.fromhex("95d89b41")


@dataclasses.dataclass(frozen=True, slots=True)
class CallResult:
    """One sub-call of a Multicall3 batch."""

    target: str
    data: bytes
    success: bool
    returned: bytes

    @property
    def usable(self) -> bool:
        """Whether the call succeeded and returned at least one word (an EOA returns nothing)."""
        return self.success and len(self.returned) >= 32

    def method(self, block: int) -> str:
        """Describe the call so a person can re-run it against any node."""
        return (f'eth_call {{"to": "{self.target}", "data": "0x{self.data.hex()}"}} '
                f"at block {block}")


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
        self._http = http
        self._web3: AsyncWeb3[Any] | None = None

    def web3(self) -> AsyncWeb3[Any]:
        """Return this reader's AsyncWeb3, built on first use (web3 imports slowly)."""
        if self._web3 is None:
            from web3 import AsyncWeb3  # noqa: PLC0415 - web3 takes ~2 s to import

            from .web3_provider import HttpxProvider  # noqa: PLC0415 - it imports web3

            self._web3 = AsyncWeb3(HttpxProvider(self._http, self.url), middleware=[])
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

    async def multicall(self, calls: list[tuple[str, bytes]]) -> tuple[int, list[CallResult]]:
        """Run read calls in one ``eth_call`` to Multicall3; return the block and results.

        Raises:
            SourceError: The node failed, or has no Multicall3 at its canonical address.
        """
        from eth_abi.abi import decode, encode  # noqa: PLC0415 - lazy: comes with web3

        batch = [(MULTICALL3, GET_BLOCK_NUMBER), *calls]
        payload = AGGREGATE3 + encode(["(address,bool,bytes)[]"],
                                      [[(t, True, d) for t, d in batch]])
        try:
            raw = await self.web3().eth.call({"to": MULTICALL3, "data": payload})
        except SourceError:
            raise
        except Exception as exc:  # noqa: BLE001 - any web3 failure is a source failure
            raise SourceError(f"The RPC at {self.url} refused the batched read ({exc}).") from None
        if not raw:
            raise SourceError(
                f"The RPC at {self.url} has no Multicall3 contract at {MULTICALL3}; "
                "Backcheck needs it to read a token in one round trip."
            )
        (results,) = decode(["(bool,bytes)[]"], bytes(raw))
        block = int.from_bytes(results[0][1][:32], "big")
        return block, [CallResult(t, d, ok, bytes(ret))
                       for (t, d), (ok, ret) in zip(calls, results[1:], strict=True)]

    async def token_basics(self, address: str) -> dict[str, Fact]:
        """Read decimals, supply and multiplier of a token in one round trip.

        A function the token lacks (a plain bToken has no multiplier) gives a fact with
        ``value=None`` and the reason; it is never filled with a default.
        """
        calls = [(address, sel) for sel in (DECIMALS, TOTAL_SUPPLY, GET_CURRENT_MULTIPLIER,
                                             NAME, SYMBOL)]
        block, (dec, supply, mult, name, symbol) = await self.multicall(calls)
        now = utc_now()

        def fact(value: Any, unit: str, call: CallResult) -> Fact:
            return Fact(value, unit, self.source, call.method(block), block, now)

        def missing(call: CallResult, unit: str, what: str) -> Fact:
            reason = (f"{what} reverted or returned nothing at block {block}"
                      if call.success or call.returned else f"{what} reverted at block {block}")
            return Fact(None, unit, self.source, call.method(block), block, now, error=reason)

        facts: dict[str, Fact] = {}
        if not dec.usable:
            reason = "no token here: decimals() failed (an account without code, or not an ERC-20)"
            for key, call, unit in (("decimals", dec, "digits"), ("total_supply_raw", supply, "raw units"),
                                    ("total_supply", supply, "tokens"), ("multiplier", mult, "ratio")):
                facts[key] = Fact(None, unit, self.source, call.method(block), block, now,
                                  error=reason)
            return facts
        decimals = int.from_bytes(dec.returned[:32], "big")
        facts["decimals"] = fact(decimals, "digits", dec)
        if supply.usable:
            raw = int.from_bytes(supply.returned[:32], "big")
            facts["total_supply_raw"] = fact(raw, "raw units", supply)
            facts["total_supply"] = fact(from_raw(raw, decimals), "tokens", supply)
        else:
            facts["total_supply_raw"] = missing(supply, "raw units", "totalSupply()")
            facts["total_supply"] = missing(supply, "tokens", "totalSupply()")
        if mult.usable:
            facts["multiplier"] = fact(from_raw(int.from_bytes(mult.returned[:32], "big"), 18),
                                       "shares per token", mult)
        else:
            facts["multiplier"] = Fact(None, "shares per token", self.source, mult.method(block), block,
                                       now, error="not present: getCurrentMultiplier() reverts on this "
                                       "token (a non-rebasing token, e.g. a plain bToken)")
        for key, call in (("token_name", name), ("token_symbol", symbol)):
            text = _decode_string(call.returned) if call.usable else None
            facts[key] = (fact(text, "text", call) if text is not None
                          else missing(call, "text", key.replace("token_", "") + "()"))
        return facts


def _decode_string(returned: bytes) -> str | None:
    """Decode an ABI string return value; ``None`` when the bytes are not one."""
    from eth_abi.abi import decode  # noqa: PLC0415
    from eth_abi.exceptions import DecodingError  # noqa: PLC0415

    try:
        (text,) = decode(["string"], returned)
    except (DecodingError, UnicodeDecodeError):
        return None
    return str(text)
