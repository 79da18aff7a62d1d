"""EVM wallet reader: the balance of every listed token on one chain, in two round trips at most.

Round 1 is one JSON-RPC batch: the chain id (judged first) and the head, then Multicall3
``aggregate3`` chunks (setting ``wallet.calls_per_multicall``) holding, per token, ``balanceOf`` and,
for Backed's rebasing tokens, ``sharesOf`` (the raw amount), ``getCurrentMultiplier()`` and
``sanctionsList()``; each chunk starts with Multicall3's ``getBlockNumber()``, so every figure
names its block. Round 2, only when a token is held, asks each held token's sanctions list
``isSanctioned(wallet)`` and reads ``decimals()`` the registry does not give, at that block.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from ..chains import Chain
from ..errors import SourceError
from ..facts import Fact, utc_now
from ..http import Http
from ..units import from_raw
from .evm import MULTICALL3, CallResult, EvmReader, encode_multicall, multicall_answer

BALANCE_OF = bytes.fromhex("70a08231")
SHARES_OF = bytes.fromhex("f5eb42dc")
CURRENT_MULTIPLIER = bytes.fromhex("2b63c300")  # getCurrentMultiplier() → (multiplier, periods, nonce)
SANCTIONS_LIST = bytes.fromhex("ec571c6a")
IS_SANCTIONED = bytes.fromhex("df592f7d")
DECIMALS = bytes.fromhex("313ce567")
BLOCK_NUMBER = bytes.fromhex("42cbb15c")  # Multicall3.getBlockNumber()
# Every fact a held token can carry (fact key → unit).
FEEDS: dict[str, str] = {
    "balance_raw": "raw units",
    "balance_displayed": "tokens as wallets show them (balanceOf)",
    "decimals": "digits",
    "multiplier": "shares per token",
    "sanctioned": "flag (the token's sanctions list)",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Listed:
    """A registry token to read on this chain.

    Attributes:
        address: Its contract.
        decimals: What the registry says, ``None`` when it does not (the chain is asked).
        rebasing: Whether to read Backed's rebasing interface (shares, multiplier, sanctions list).
    """

    address: str
    decimals: int | None
    rebasing: bool


@dataclasses.dataclass(frozen=True, slots=True)
class EvmWallet:
    """What the reader found.

    Attributes:
        block: The block every figure was read at.
        held: Per held token (a non-zero balance), its facts.
        read: Tokens whose balance was read.
        unread: Per token that could not be read, why.
        round_trips: HTTP round trips made.
    """

    block: int
    held: list[tuple[Listed, dict[str, Fact]]]
    read: int
    unread: dict[str, str]
    round_trips: int


def _word(address: str) -> bytes:
    return bytes(12) + bytes.fromhex(address[2:])


class EvmWalletReader:
    """Reads one owner's balances of listed tokens on one EVM chain."""

    def __init__(self, http: Http, chain: Chain, url: str) -> None:
        self._reader = EvmReader(http, chain, url)
        self.source = self._reader.source
        self.url = url
        self._fetched_at = utc_now()

    async def read(self, owner: str, tokens: list[Listed], chunk: int, progress: Callable[[str], None]) -> EvmWallet:
        """Read every token's balance of ``owner``, then the held ones' sanctions state.

        Raises:
            SourceError: Unreachable node, another chain, no Multicall3, or no chunk answered.
        """
        calls: list[tuple[str, bytes]] = []
        for t in tokens:
            calls.append((t.address, BALANCE_OF + _word(owner)))
            if t.rebasing:
                calls += [
                    (t.address, SHARES_OF + _word(owner)),
                    (t.address, CURRENT_MULTIPLIER),
                    (t.address, SANCTIONS_LIST),
                ]
        size = max(chunk - 1, 1)
        chunks = [[(MULTICALL3, BLOCK_NUMBER), *calls[n : n + size]] for n in range(0, len(calls), size)]
        requests = [self._eth_call(c, "latest") for c in chunks]
        progress(f"{self._reader.chain.name}: {len(tokens):,} tokens in {len(chunks)} Multicall3 calls, one batch")
        _, answers = await self._reader.open(requests)
        results: dict[tuple[str, bytes], CallResult] = {}
        blocks, refused = set(), []
        for c, answer in zip(chunks, answers, strict=True):
            try:
                decoded = multicall_answer(answer, c, self.url)
            except SourceError as exc:
                refused.append(str(exc))
                continue
            blocks.add(decoded[0].word)
            results.update({(r.target, r.data[:4]): r for r in decoded[1:]})
        if not results or None in blocks:
            raise SourceError(f"The RPC at {self.url} answered none of the balance reads ({'; '.join(refused)[:300]}).")
        if len(blocks) > 1:
            raise SourceError(
                f"The RPC at {self.url} answered one batch at several blocks ({sorted(map(str, blocks))})."
            )
        block = int(next(iter(blocks)) or 0)
        return await self._finish(owner, tokens, results, block, refused)

    def _eth_call(self, calls: list[tuple[str, bytes]], block: str) -> tuple[str, list[Any]]:
        return ("eth_call", [{"to": MULTICALL3, "data": "0x" + encode_multicall(calls).hex()}, block])

    async def _finish(
        self,
        owner: str,
        tokens: list[Listed],
        results: dict[tuple[str, bytes], CallResult],
        block: int,
        refused: list[str],
    ) -> EvmWallet:
        self._fetched_at = utc_now()  # one moment for every fact of this read
        unread: dict[str, str] = {}
        held: list[tuple[Listed, dict[str, Fact]]] = []
        for t in tokens:
            balance = results.get((t.address, BALANCE_OF))
            if balance is None:
                unread[t.address] = f"its Multicall3 chunk was refused ({'; '.join(refused)[:200]})"
            elif not balance.usable:
                unread[t.address] = "balanceOf gave no answer (no token contract there, or it reverted)"
            elif balance.word:
                held.append((t, self._facts(t, results, block)))
        lists = {t.address: results.get((t.address, SANCTIONS_LIST)) for t, _ in held}
        second, asked = await self._second_round(owner, held, lists, block) if held else ({}, False)
        for t, facts in held:
            facts.update(second.get(t.address, {}))
            self._displayed(facts, results[(t.address, BALANCE_OF)], block)
        return EvmWallet(block, held, len(tokens) - len(unread), unread, 2 if asked else 1)

    def _fact(self, value: Any, key: str, call: CallResult | str, block: int) -> Fact:
        method = call if isinstance(call, str) else call.method(block)
        return Fact(value, FEEDS[key], self.source, method, block, self._fetched_at)

    def _unknown(self, key: str, reason: str, method: str) -> Fact:
        return Fact.unknown(reason, unit=FEEDS[key], source=self.source, method=method)

    def _facts(self, t: Listed, results: dict[tuple[str, bytes], CallResult], block: int) -> dict[str, Fact]:
        balance = results[(t.address, BALANCE_OF)]
        shares, multiplier = results.get((t.address, SHARES_OF)), results.get((t.address, CURRENT_MULTIPLIER))
        facts: dict[str, Fact] = {}
        if shares is not None and shares.usable and multiplier is not None and multiplier.usable:
            facts["balance_raw"] = self._fact(shares.word, "balance_raw", shares, block)
            facts["multiplier"] = self._fact(from_raw(multiplier.word or 0, 18), "multiplier", multiplier, block)
        else:
            facts["balance_raw"] = self._fact(balance.word, "balance_raw", balance, block)
            facts["multiplier"] = self._unknown(
                "multiplier",
                "the token has no getCurrentMultiplier()/sharesOf() (not Backed's rebasing interface), so how many "
                "shares one token stands for is not read here; its report reads its interface",
                f"eth_call getCurrentMultiplier() on {t.address} at block {block}",
            )
        if t.decimals is not None:
            # Not read from the chain: the registry's row says it (no block).
            facts["decimals"] = Fact(
                t.decimals, FEEDS["decimals"], "registry", "the registry's row for this token", None, self._fetched_at
            )
        return facts

    def _displayed(self, facts: dict[str, Fact], balance: CallResult, block: int) -> None:
        decimals = facts.get("decimals")
        if decimals is not None and isinstance(decimals.value, int):
            facts["balance_displayed"] = self._fact(
                from_raw(balance.word or 0, decimals.value), "balance_displayed", balance, block
            )
        else:
            reason = decimals.error if decimals is not None and decimals.error else "decimals not read"
            facts["balance_displayed"] = self._unknown("balance_displayed", reason, balance.method(block))

    async def _second_round(
        self, owner: str, held: list[tuple[Listed, dict[str, Fact]]], answers: dict[str, CallResult | None], block: int
    ) -> tuple[dict[str, dict[str, Fact]], bool]:
        """Round 2: each held token's sanctions list asked about the wallet, and decimals the registry lacks.

        Returns:
            Per held token its facts, and whether round 2 was sent (nothing to ask: no round trip).
        """
        lists = {t: sanctions_list(answer) for t, answer in answers.items()}
        calls = [(t.address, DECIMALS) for t, _ in held if t.decimals is None]
        calls += [(a, IS_SANCTIONED + _word(owner)) for a in sorted({a for a in lists.values() if a})]
        results: dict[tuple[str, bytes], CallResult] = {}
        failure = ""
        if calls:
            try:
                (answer,) = await self._reader.read([self._eth_call(calls, hex(block))])
                results = {(r.target, r.data[:4]): r for r in multicall_answer(answer, calls, self.url)}
            except SourceError as exc:
                failure = str(exc)
        out: dict[str, dict[str, Fact]] = {}
        for t, _ in held:
            facts = out[t.address] = {}
            if t.decimals is None:
                got = results.get((t.address, DECIMALS))
                facts["decimals"] = (
                    self._fact(got.word, "decimals", got, block)
                    if got is not None and got.usable and (got.word or 0) <= 36
                    else self._unknown(
                        "decimals", failure or "decimals() gave no usable answer", f"eth_call decimals() on {t.address}"
                    )
                )
            sanctions, answer = lists.get(t.address), answers.get(t.address)
            method = f"eth_call sanctionsList() on {t.address} at block {block}"
            if sanctions == "" and answer is not None:
                # The token checks no list when it names none (Backed's _checkSanctioned): nobody is blocked by one.
                facts["sanctioned"] = self._fact(False, "sanctioned", answer, block)
                continue
            if sanctions is None:
                facts["sanctioned"] = self._unknown(
                    "sanctioned",
                    "the token has no sanctionsList(), so whether this wallet is sanctioned is not read",
                    method,
                )
                continue
            got = results.get((sanctions, IS_SANCTIONED))
            facts["sanctioned"] = (
                self._fact(bool(got.word), "sanctioned", got, block)
                if got is not None and got.usable
                else self._unknown(
                    "sanctioned", failure or f"the sanctions list {sanctions} gave no answer to isSanctioned", method
                )
            )
        return out, bool(calls)


def sanctions_list(result: CallResult | None) -> str | None:
    """The address ``sanctionsList()`` returned, ``""`` for the zero address (no list), ``None`` when not read."""
    if result is None or not result.usable:
        return None
    word = result.word or 0
    return "0x" + word.to_bytes(32, "big")[12:].hex() if word else ""
