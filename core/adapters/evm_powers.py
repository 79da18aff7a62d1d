"""EVM issuer-power map: the token's interface, its proxy, and who really holds each power.

Round 1 (in the chain's first JSON-RPC batch, with the chain id and the head block:
:meth:`.EvmReader.open`): the three EIP-1967 slots (implementation, admin, beacon), the
token's code, and one Multicall3 call with every token read and every interface probe (Backed's
getters, ``owner()``, ``paused()``, ERC-165 for AccessControl and the members of its usual roles).
Round 2: what each power holder is (code, Safe threshold, timelock delay, owner), plus the
implementation's code and, for a beacon proxy, the beacon's ``implementation()``. Round 3, only
when a holder is an owned contract (a ProxyAdmin, a beacon) or the proxy is a beacon: what its
owner is, plus the beacon implementation's code.

A power is measured (its holder, or ``none`` when the chain says nobody), ``not present`` when
the identified interface lacks it, or unknown with the reason; an unidentified token's powers
are all unknown (:mod:`.evm_interfaces`).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any

from ..addresses import evm_checksum
from ..errors import SourceError
from ..facts import Fact, iso, utc_now
from ..plausibility import CHAIN_CLOCK_DRIFT
from ..units import from_raw, normalized
from .evm import MULTICALL3, CallResult, EvmReader, decode_multicall, encode_multicall, hex_bytes
from .evm_interfaces import (
    ACCESS_CONTROL,
    ACCESS_CONTROL_ENUMERABLE,
    ADMIN_SLOT,
    BACKED_GETTERS,
    BEACON_SLOT,
    IMPLEMENTATION_SLOT,
    ROLES,
    Interface,
    Logic,
    identify,
)
from .jsonrpc import RpcError

if TYPE_CHECKING:
    from datetime import datetime

YEAR = 365 * 86_400
HISTORY_PREFETCH = 16  # multiplierUpdates(i) read speculatively in round 1
ROLE_PREFETCH = 4  # getRoleMember(role, i) read speculatively in round 1

SEL = {
    name: bytes.fromhex(h)
    for name, h in {
        "getBlockNumber": "42cbb15c",
        "getCurrentBlockTimestamp": "0f28c97d",
        "decimals": "313ce567",
        "totalSupply": "18160ddd",
        "getCurrentMultiplier": "2b63c300",
        "name": "06fdde03",
        "symbol": "95d89b41",
        "owner": "8da5cb5b",
        "minter": "07546172",
        "burner": "27810b6e",
        "pauser": "9fd0506d",
        "multiplierUpdater": "0194b09b",
        "sanctionsList": "ec571c6a",
        "isPaused": "b187bd26",
        "paused": "5c975abb",
        "feePerPeriod": "f00c1dff",
        "periodLength": "d2ca2115",
        "lastMultiplier": "d1786aab",
        "newMultiplier": "60638067",
        "newMultiplierActivationTime": "5416d876",
        "multiplierUpdatesLength": "5666795d",
        "multiplierUpdates": "d9bef6c3",
        "VERSION": "ffa1ad74",
        "terms": "d5025625",
        "balanceOf": "70a08231",
        "supportsInterface": "01ffc9a7",
        "getRoleMemberCount": "ca15c873",
        "getRoleMember": "9010d07c",
        "implementation": "5c60da1b",
        "proxiableUUID": "52d1902d",
        "getThreshold": "e75235b8",
        "getOwners": "a0e67e2b",
        "getMinDelay": "f27a0c92",
    }.items()
}
TOKEN_READS = (
    "decimals",
    "totalSupply",
    "getCurrentMultiplier",
    "name",
    "symbol",
    "owner",
    "minter",
    "burner",
    "pauser",
    "multiplierUpdater",
    "sanctionsList",
    "isPaused",
    "paused",
    "feePerPeriod",
    "periodLength",
    "lastMultiplier",
    "newMultiplier",
    "newMultiplierActivationTime",
    "multiplierUpdatesLength",
    "VERSION",
    "terms",
)


@dataclasses.dataclass(frozen=True, slots=True)
class Route:
    """One way a power can exist: a Backed getter that names its holder, an AccessControl role, functions.

    Attributes:
        getter: Backed's getter naming the holder (``minter``), if any.
        role: The AccessControl role that usually gates it (``MINTER_ROLE``), if any.
        functions: Signatures whose presence in the logic code shows the power exists.
        backed_too: Whether the functions mean this power on a Backed token too (Backed's
            ``burn(address,uint256)`` only burns the burner's own tokens).
    """

    getter: str | None
    role: str | None
    functions: tuple[str, ...]
    backed_too: bool = True


MINT = Route("minter", "MINTER_ROLE", ("mint(address,uint256)", "mint(uint256)", "issue(address,uint256)"))
BURN = Route("burner", "BURNER_ROLE", ("burn(address,uint256)",))
PAUSE = Route("pauser", "PAUSER_ROLE", ("pause()", "setPause(bool)", "setPaused(bool)"))
# Power fact → (what its holder can do, the routes by which it can exist).
POWERS: dict[str, tuple[str, tuple[Route, ...]]] = {
    "mint_authority": ("can create new tokens", (MINT,)),
    "burn_authority": ("can destroy tokens", (BURN,)),
    "pause_authority": ("can halt every transfer", (PAUSE,)),
    "multiplier_updater": (
        "can change the shares-per-token multiplier",
        (
            Route(
                "multiplierUpdater",
                None,
                (
                    "updateMultiplierValue(uint256,uint256)",
                    "updateMultiplierWithActivationTime(uint256,uint256)",
                    "updateMultiplier(uint256)",
                    "setMultiplier(uint256)",
                ),
            ),
        ),
    ),
    "freeze_authority": (
        "can freeze or blacklist an address's tokens",
        (
            Route(
                None,
                "FREEZER_ROLE",
                (
                    "freeze(address)",
                    "freezeAccount(address)",
                    "blacklist(address)",
                    "addToBlacklist(address)",
                    "addBlackList(address)",
                    "addToBlocklist(address)",
                    "blockAccount(address)",
                    "setFrozen(address,bool)",
                ),
            ),
        ),
    ),
    "permanent_delegate": (
        "can move or burn tokens out of any holder's account",
        (
            Route(
                None,
                None,
                (
                    "forceTransfer(address,address,uint256)",
                    "forcedTransfer(address,address,uint256)",
                    "adminTransfer(address,address,uint256)",
                    "controllerTransfer(address,address,uint256,bytes,bytes)",
                    "controllerRedeem(address,uint256,bytes,bytes)",
                    "clawback(address,uint256)",
                    "seize(address,uint256)",
                ),
            ),
            dataclasses.replace(BURN, backed_too=False),
        ),
    ),
}
OWNER_WHAT = "the Ownable owner: sets the other roles and settings"
ROLE_ADMIN_WHAT = "grants and revokes every AccessControl role (DEFAULT_ADMIN_ROLE)"
UPGRADE_WHAT = "can replace the token's logic with anything"
ZERO = "0x" + "0" * 40  # EIP-55 leaves the zero address unchanged
HOLDER_KEYS = ("owner", "role_admin", *POWERS)
SCHEDULE = ("multiplier_stored", "multiplier_pending", "multiplier_pending_at")  # judged against the chain's clock
# Every fact read_powers writes (fact key → unit); a failed read leaves each of them unknown.
FEEDS: dict[str, str] = {
    "chain_time": "time (the chain's clock at the block read)",
    "contract_code": "bytecode",
    "token_interface": "interface",
    "proxy_implementation": "address",
    "decimals": "digits",
    "total_supply_raw": "raw units",
    "total_supply": "tokens",
    "issuer_inventory": "tokens in labelled issuer wallets (this chain)",
    "float": "tokens (this chain: supply minus issuer wallets)",
    "multiplier": "shares per token (fees applied)",
    "multiplier_stored": "shares per token (no fee decay)",
    "multiplier_pending": "shares per token",
    "multiplier_pending_at": "time",
    "fee_per_year": "share of holdings per year",
    "multiplier_history": "explicit multiplier updates, oldest first",
    "paused": "flag",
    "sanctions_list": "address",
    "transfer_fee": "fee on transfers",
    "token_version": "text",
    "terms": "text",
    "token_name": "text",
    "token_symbol": "text",
    **{key: "address" for key in HOLDER_KEYS},
    **{f"{key}_kind": "kind of holder" for key in HOLDER_KEYS},
    "proxy_admin": "address",
    "proxy_admin_kind": "kind of holder",
    "proxy_admin_controller": "address",
    "proxy_admin_controller_kind": "kind of holder",
    "issuer_powers": "power map",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Holder:
    """What an address that holds a power is.

    Attributes:
        address: The address.
        kind: ``plain account``, ``multisig``, ``timelock``, ``owned contract``, ``contract`` or ``none``.
        detail: A sentence for people ("2 of 3 signers", "minimum delay 48 h").
        owner: For an owned contract (a ProxyAdmin), what its owner is.
    """

    address: str
    kind: str
    detail: str
    owner: Holder | None = None

    @property
    def controller(self) -> Holder:
        """Who ultimately decides: the owner of an owned contract, else the holder itself."""
        return self.owner.controller if self.owner is not None else self

    def describe(self) -> str:
        """One line: the holder and, for an owned contract, its owner."""
        text = f"{self.kind} ({self.detail})" if self.detail else self.kind
        if self.owner is not None:
            text += f", owned by {self.owner.address}: {self.owner.describe()}"
        return text


@dataclasses.dataclass(frozen=True, slots=True)
class Held:
    """Who holds one power: addresses, ``none``, ``not present``, or unknown (``error``).

    Attributes:
        value: The holders' addresses, ``"none"`` or ``"not present"``; ``None`` when unknown.
        method: How it was found, so a person can check.
        holders: The holders' addresses (empty unless ``value`` names them).
        error: Why it is unknown.
    """

    value: str | None
    method: str
    holders: tuple[str, ...] = ()
    error: str | None = None


def _address(call: CallResult) -> str | None:
    value = call.word
    return None if value is None else evm_checksum("0x" + value.to_bytes(32, "big")[12:].hex())


def _slot_address(word: Any) -> str:
    """The address in a storage word (``0x`` + up to 64 hex digits; its low 20 bytes)."""
    return evm_checksum("0x" + int.from_bytes(hex_bytes(word), "big").to_bytes(32, "big")[12:].hex())


def _probes(token: str) -> dict[str, tuple[str, bytes]]:
    """Round 1's Multicall3 reads by name: the block, every token getter and every interface probe."""
    from eth_abi.abi import encode  # noqa: PLC0415 - lazy: comes with web3

    probes = {n: (MULTICALL3, SEL[n]) for n in ("getBlockNumber", "getCurrentBlockTimestamp")}  # the block read at
    probes |= {n: (token, SEL[n]) for n in TOKEN_READS}
    probes |= {
        f"supports {i}": (token, SEL["supportsInterface"] + bytes.fromhex(i).ljust(32, b"\0"))
        for i in (ACCESS_CONTROL, ACCESS_CONTROL_ENUMERABLE)
    }
    for role, word in ROLES.items():
        probes[f"{role} count"] = (token, SEL["getRoleMemberCount"] + bytes.fromhex(word))
        for i in range(ROLE_PREFETCH):
            probes[f"{role} {i}"] = (token, SEL["getRoleMember"] + bytes.fromhex(word) + i.to_bytes(32, "big"))
    probes |= {
        f"multiplierUpdates {i}": (token, SEL["multiplierUpdates"] + encode(["uint256"], [i]))
        for i in range(HISTORY_PREFETCH)
    }
    return probes


@dataclasses.dataclass(frozen=True, slots=True)
class FirstRound:
    """Round 1's answers, decoded: the token's code, the EIP-1967 slots and every Multicall3 read.

    Attributes:
        block: The block the Multicall3 reads ran at (``getBlockNumber``).
        code: The token's code.
        slots: ``implementation``, ``admin`` and ``beacon`` slot values as addresses.
        r: Each probe's result by name.
        balances: ``balanceOf`` of each issuer wallet.
        fetched_at: When round 1 was read (every power fact's ``fetched_at``).
    """

    block: int
    code: bytes
    slots: dict[str, str]
    r: dict[str, CallResult]
    balances: list[CallResult]
    fetched_at: datetime


class PowerRead:
    """One token's power map, read in stages so that other reads of the chain can start after round 1.

    :attr:`requests` travel in round 1's batch (:meth:`EvmReader.open`), :meth:`decode` reads
    their answers, :meth:`finish` reads rounds 2 and 3 and builds every fact.
    """

    def __init__(self, reader: EvmReader, token: str, wallets: Sequence[str]) -> None:
        from eth_abi.abi import encode  # noqa: PLC0415 - lazy: comes with web3

        self.reader = reader
        self.token = token
        self.wallets = wallets
        self._probes = _probes(token)
        self._calls = list(self._probes.values()) + [
            (token, SEL["balanceOf"] + encode(["address"], [w])) for w in wallets
        ]
        self.first: FirstRound | None = None

    @property
    def requests(self) -> list[tuple[str, list[Any]]]:
        """Round 1: the three EIP-1967 slots, the code, and one Multicall3 call with every read and probe."""
        slots = [
            ("eth_getStorageAt", [self.token, hex(s), "latest"]) for s in (IMPLEMENTATION_SLOT, ADMIN_SLOT, BEACON_SLOT)
        ]
        call = {"to": MULTICALL3, "data": "0x" + encode_multicall(self._calls).hex()}
        return [*slots, ("eth_getCode", [self.token, "latest"]), ("eth_call", [call, "latest"])]

    def decode(self, answers: Sequence[Any]) -> FirstRound:
        """Decode round 1's answers (in the order of :attr:`requests`).

        Raises:
            SourceError: The node refused an item, or sent answers that do not decode as the token's reads.
        """
        refused = next((a for a in answers if isinstance(a, RpcError)), None)
        if refused is not None:
            raise SourceError(f"The RPC at {self.reader.url} refused a read ({refused}).")
        with self._decoding():
            impl_word, admin_word, beacon_word, code, raw = answers
            results = decode_multicall(hex_bytes(raw), self._calls, self.reader.url)
            r = dict(zip(self._probes, results[: len(self._probes)], strict=True))
            slots = {
                name: _slot_address(word)
                for name, word in (("implementation", impl_word), ("admin", admin_word), ("beacon", beacon_word))
            }
            block = r["getBlockNumber"].word or 0
            self.first = FirstRound(block, hex_bytes(code), slots, r, results[len(self._probes) :], utc_now())
        return self.first

    async def finish(self) -> dict[str, Fact]:
        """Rounds 2 and 3 (what each power holder is, the logic code, owners), and every fact.

        Raises:
            SourceError: The node failed, or sent answers that do not decode as the token's reads.
        """
        assert self.first is not None, "decode round 1 first"
        with self._decoding():
            return await _powers(self.reader, self.token, self.wallets, self.first)

    def basics(self) -> dict[str, Fact] | None:
        """Round 1's decimals, supply and multiplier, as the power map states them (what the holder listing needs).

        ``None`` when round 1 gives no supply to build on (no code, no decimals, no totalSupply).
        """
        first = self.first
        assert first is not None, "decode round 1 first"
        r = first.r
        decimals, supply, multiplier = (r[n].word for n in ("decimals", "totalSupply", "getCurrentMultiplier"))
        if not first.code or decimals is None or supply is None:
            return None
        with self._decoding():
            out = {
                "decimals": self._fact(decimals, "digits", r["decimals"]),
                "total_supply": self._fact(from_raw(supply, decimals), "tokens", r["totalSupply"]),
            }
            if multiplier is not None:
                out["multiplier"] = self._fact(from_raw(multiplier, 18), FEEDS["multiplier"], r["getCurrentMultiplier"])
        return out

    def upgraders(self) -> list[str]:
        """The token and every contract round 1 names as able to upgrade it: whose events CT-9 reads.

        A superset of the token and its ``proxy_admin`` (which needs the logic code of round 2):
        the admin slot, the beacon slot, or for a proxy without either, the UUPS upgrade route's
        holders (``UPGRADER_ROLE`` members and ``owner()``).
        """
        first = self.first
        assert first is not None, "decode round 1 first"
        impl, admin, beacon = (first.slots[k] for k in ("implementation", "admin", "beacon"))
        found = [self.token]
        if impl != ZERO and beacon != ZERO:
            pass  # both slots set: nobody's upgrade power is readable
        elif beacon != ZERO:
            found.append(beacon)
        elif impl != ZERO and admin != ZERO:
            found.append(admin)
        elif impl != ZERO:
            names = [f"{UUPS_UPGRADE.role} {i}" for i in range(ROLE_PREFETCH)] + ["owner"]
            found += [a for n in names if (a := _address(first.r[n])) not in (None, ZERO)]
        return list({a.lower(): a for a in found}.values())

    def sources(self) -> list[str] | None:
        """The contracts whose verified source ID-3 asks about: the token and an EIP-1967 proxy's implementation.

        ``None`` for a beacon proxy, whose beacon names the implementation in round 2.
        """
        first = self.first
        assert first is not None, "decode round 1 first"
        impl, beacon = first.slots["implementation"], first.slots["beacon"]
        if beacon != ZERO and impl == ZERO:
            return None
        return [self.token, impl] if impl != ZERO and beacon == ZERO else [self.token]

    def _fact(self, value: Any, unit: str, call: CallResult) -> Fact:
        assert self.first is not None
        block = self.first.block
        return Fact(value, unit, self.reader.source, call.method(block), block, self.first.fetched_at)

    @contextlib.contextmanager
    def _decoding(self) -> Iterator[None]:
        """Any decoding problem becomes one sentence naming the node (the decode boundary)."""
        from eth_abi.exceptions import DecodingError  # noqa: PLC0415

        try:
            yield
        except (DecodingError, LookupError, TypeError, ValueError, ArithmeticError, OSError) as exc:
            raise SourceError(
                f"The RPC at {self.reader.url} sent an answer that does not decode as the token's reads "
                f"({type(exc).__name__}: {str(exc)[:200]})."
            ) from None


async def read_powers(reader: EvmReader, token: str, wallets: Sequence[str]) -> dict[str, Fact]:
    """Read a token's power map whole: round 1 with the chain-id check and the head, then rounds 2 and 3.

    Raises:
        SourceError: The node failed, serves another chain, or sent answers that do not decode as the
            token's reads.
    """
    read = PowerRead(reader, token, wallets)
    _, answers = await reader.open(read.requests)
    read.decode(answers)
    return await read.finish()


async def _powers(reader: EvmReader, token: str, wallets: Sequence[str], first: FirstRound) -> dict[str, Fact]:
    """Rounds 2 and 3 read, and every fact built from them and round 1."""
    r, balances, block, code, slots, now = (
        first.r,
        first.balances,
        first.block,
        first.code,
        first.slots,
        first.fetched_at,
    )

    def fact(value: Any, unit: str, method: str, error: str | None = None) -> Fact:
        return Fact(value, unit, reader.source, method, block, now, error=error)

    facts: dict[str, Fact] = {}
    # The chain's own clock: schedules on chain are judged against it, never the wall clock.
    stamp = r["getCurrentBlockTimestamp"].word
    stamp_method = r["getCurrentBlockTimestamp"].method(block)
    clock_problem = _clock_problem(stamp, now)
    facts["chain_time"] = (
        fact(None, "time", stamp_method, clock_problem)
        if clock_problem
        else fact(iso(_utc(stamp or 0)), FEEDS["chain_time"], stamp_method)
    )
    code_method = f'eth_getCode ["{token}", {block}]'
    facts["contract_code"] = fact(f"{len(code)} bytes" if code else "none", "bytecode", code_method)
    if not code or r["decimals"].word is None:
        reason = (
            f"no contract code at {token} at block {block}: an account without code, or a self-destructed contract"
            if not code
            else f"{token} is a contract but not a token: decimals() reverted at block {block}"
        )
        return facts | {key: fact(None, unit, code_method, reason) for key, unit in FEEDS.items() if key not in facts}
    holders = _holder_addresses(r)
    to_classify = sorted({a for a in (*holders, slots["admin"], slots["beacon"]) if a != ZERO})
    logic, kinds = await _resolve(reader, token, code, slots, to_classify, block)
    iface = identify(
        logic,
        backed=all(r[g].usable for g in BACKED_GETTERS),
        autofee=r["getCurrentMultiplier"].usable,
        ownable=r["owner"].usable,
        access_control=r[f"supports {ACCESS_CONTROL}"].word == 1,
        enumerable=r[f"supports {ACCESS_CONTROL_ENUMERABLE}"].word == 1,
        pausable=r["paused"].usable or r["isPaused"].usable,
    )
    facts["token_interface"] = fact(
        iface.name if iface.identified else None,
        "interface",
        f"{code_method} + EIP-1967 slots + interface probes + selectors in the logic code",
        None if iface.identified else iface.name.removeprefix("unidentified: "),
    )
    _token_facts(facts, r, balances, wallets, iface, fact, block)
    if clock_problem:  # the schedule was judged against that clock
        for key in (k for k in SCHEDULE if k in facts):
            facts[key] = fact(
                None, FEEDS[key], stamp_method, f"judged against the chain's clock, which {clock_problem}"
            )
    upgrade_rows = _proxy_facts(facts, iface, slots, kinds, r, fact, token, block)
    _holder_facts(facts, iface, r, kinds, fact, block, upgrade_rows)
    return facts


def _clock_problem(stamp: int | None, now: datetime) -> str | None:
    """Why the chain's clock at the block read cannot be used (``None``: it can).

    A clock far ahead of this computer's is a lying node. One behind is a node that is behind (or
    a local test chain): its facts carry their block, and schedules are judged at that block.
    """
    if not stamp:
        return "Multicall3 getCurrentBlockTimestamp() gave no answer"
    ahead = stamp - now.timestamp()
    if ahead <= CHAIN_CLOCK_DRIFT.total_seconds():
        return None
    return f"says {stamp} s since 1970, {ahead / 3600:,.1f} h ahead of this computer's clock ({iso(now)}): a lying node"


def _holder_addresses(r: dict[str, CallResult]) -> list[str]:
    """Every address a getter or a role enumeration names (round 1), to classify in round 2."""
    names = ["owner"] + [route.getter for _, routes in POWERS.values() for route in routes if route.getter]
    names += [f"{role} {i}" for role in ROLES for i in range(ROLE_PREFETCH)]
    return [a for n in names if (a := _address(r[n])) is not None]


async def _resolve(
    reader: EvmReader, token: str, code: bytes, slots: dict[str, str], holders: list[str], block: int
) -> tuple[Logic, dict[str, Holder]]:
    """Rounds 2 and 3: classify the holders and, for a proxy, find and read its logic code."""
    impl, admin, beacon = slots["implementation"], slots["admin"], slots["beacon"]
    if impl != ZERO and beacon != ZERO:
        both = f"both the EIP-1967 implementation and beacon slots of {token} are set"
        return Logic(both, None, None, both), await classify(reader, holders)
    if impl == ZERO and beacon == ZERO:
        return Logic("not a proxy", token, code), await classify(reader, holders)
    uups_probe = [(impl, SEL["proxiableUUID"])] if impl != ZERO and admin == ZERO else []
    follow = [(beacon, SEL["implementation"])] if beacon != ZERO else uups_probe
    level = await _level(reader, holders, [impl] if impl != ZERO else [], follow)
    if impl != ZERO:
        uups = bool(uups_probe) and level.extra[0].word == IMPLEMENTATION_SLOT
        proxy = (
            "EIP-1967 transparent proxy"
            if admin != ZERO
            else "UUPS proxy"
            if uups
            else "EIP-1967 proxy with neither an admin nor a UUPS implementation"
        )
        return Logic(proxy, impl, level.codes[impl]), await classify(reader, holders, fetched=[level])
    found = _address(level.extra[0])
    logic_address = found if found not in (None, ZERO) else None
    # The beacon's owner and the beacon implementation's code: one more round trip together.
    next_level = await _level(reader, sorted(set(level.owned.values())), [logic_address] if logic_address else [])
    kinds = await classify(reader, holders, fetched=[level, next_level])
    if logic_address is None:
        problem = f"the beacon {beacon} gave no implementation() at block {block}"
        return Logic("BeaconProxy", None, None, problem), kinds
    return Logic("BeaconProxy", logic_address, next_level.codes[logic_address]), kinds


@dataclasses.dataclass(frozen=True, slots=True)
class Level:
    """One classification round: what each address is, plus code and calls read alongside.

    Attributes:
        holders: Each address's kind; owned contracts still without their owner.
        owned: Owned contract → its owner's address (classified in the next round).
        codes: Code of the extra addresses read in the same batch.
        extra: Results of the extra calls read in the same Multicall3 call.
    """

    holders: dict[str, Holder]
    owned: dict[str, str]
    codes: dict[str, bytes]
    extra: list[CallResult]


async def _level(
    reader: EvmReader, addresses: list[str], codes: Sequence[str] = (), extra: Sequence[tuple[str, bytes]] = ()
) -> Level:
    """One round trip: each address's code and governance probes, plus ``codes`` and ``extra`` calls."""
    from eth_abi.abi import decode  # noqa: PLC0415

    probes = ["getThreshold", "getOwners", "getMinDelay", "owner"]
    calls = [(a, SEL[p]) for a in addresses for p in probes] + list(extra)
    targets = [*addresses, *codes]
    if not targets and not calls:
        return Level({}, {}, {}, [])
    requests: list[tuple[str, list[Any]]] = [("eth_getCode", [a, "latest"]) for a in targets]
    if calls:
        requests.append(("eth_call", [{"to": MULTICALL3, "data": "0x" + encode_multicall(calls).hex()}, "latest"]))
    answers = await reader.read(requests)
    read = {a: hex_bytes(c) for a, c in zip(targets, answers[: len(targets)], strict=True)}
    results = decode_multicall(hex_bytes(answers[-1]), calls, reader.url) if calls else []
    out: dict[str, Holder] = {}
    owned: dict[str, str] = {}
    for i, address in enumerate(addresses):
        code = read[address]
        threshold, owners_call, delay, owner = results[i * 4 : i * 4 + 4]
        if not code:
            out[address] = Holder(address, "plain account", "a single private key")
        elif code.startswith(b"\xef\x01\x00"):
            out[address] = Holder(address, "plain account", "a single key with delegated code (EIP-7702)")
        elif threshold.usable and owners_call.usable:
            (owners,) = decode(["address[]"], owners_call.returned)
            out[address] = Holder(address, "multisig", f"{threshold.word} of {len(owners)} signers")
        elif delay.usable:
            hours = Decimal(delay.word or 0) / 3600
            out[address] = Holder(address, "timelock", f"minimum delay {normalized(hours)} h")
        elif owner.usable and (owner_address := _address(owner)) not in (None, ZERO):
            owned[address] = str(owner_address)
            out[address] = Holder(address, "owned contract", "")
        else:
            out[address] = Holder(address, "contract", "no owner, multisig or timelock interface found")
    return Level(out, owned, {a: read[a] for a in codes}, results[len(addresses) * 4 :])


async def classify(
    reader: EvmReader, addresses: list[str], depth: int = 2, fetched: Sequence[Level] = ()
) -> dict[str, Holder]:
    """Tell what each address is, in one round trip per level of ownership.

    ``fetched`` holds rounds already read (with other reads alongside), used before reading more.
    """
    if not addresses:
        return {}
    level = fetched[0] if fetched else await _level(reader, addresses)
    out = dict(level.holders)
    if level.owned and depth > 0:
        owners = await classify(reader, sorted(set(level.owned.values())), depth - 1, fetched[1:])
        for address, owner_address in level.owned.items():
            out[address] = Holder(address, "owned contract", "e.g. a ProxyAdmin", owners[owner_address])
    return out


FactMaker = Callable[..., Fact]


def _token_facts(
    facts: dict[str, Fact],
    r: dict[str, CallResult],
    balances: list[CallResult],
    wallets: Sequence[str],
    iface: Interface,
    fact: FactMaker,
    block: int,
) -> None:
    """Supply, multiplier, pause state, sanctions list, transfer fee and the token's texts."""

    def call_fact(name: str, value: Any, unit: str) -> Fact:
        return fact(value, unit, r[name].method(block))

    def absent(name: str, unit: str) -> Fact:
        """A getter that reverted: ``not present`` on an identified interface, else unknown."""
        method = r[name].method(block)
        if iface.identified:
            return fact("not present", unit, f"{method} reverted: this token has no {name}() ({iface.name})")
        return fact(None, unit, method, f"{name}() gave no answer and the token's interface is {iface.name}")

    decimals = r["decimals"].word
    facts["decimals"] = call_fact("decimals", decimals, "digits")
    _supply_facts(facts, r, balances, wallets, decimals or 0, call_fact, absent, block)
    _multiplier_facts(facts, r, call_fact, absent, fact, block)
    answered = next((n for n in ("isPaused", "paused") if r[n].usable), None)
    if answered is not None:
        facts["paused"] = call_fact(answered, bool(r[answered].word), "flag")
    else:
        pause = iface.has(PAUSE.functions)
        facts["paused"] = (
            fact(
                None,
                "flag",
                r["paused"].method(block),
                f"{', '.join(pause)} is in the code, but neither isPaused() nor paused() answers",
            )
            if pause
            else absent("paused", "flag")
        )
    sanctions = _address(r["sanctionsList"])
    facts["sanctions_list"] = (
        call_fact("sanctionsList", sanctions if sanctions != ZERO else "none", "address")
        if sanctions is not None
        else absent("sanctionsList", "address")
    )
    interface_method = f"the token's interface: {iface.name}"
    facts["transfer_fee"] = (
        fact("not present", "fee on transfers", f"{interface_method}: Backed's transfer() takes no fee")
        if iface.identified and iface.backed
        else fact(
            None,
            "fee on transfers",
            interface_method,
            f"a token can take a fee inside transfer(), and only Backed's interface is known to take none "
            f"(this token: {iface.name})",
        )
    )
    for name, key in (
        ("VERSION", "token_version"),
        ("terms", "terms"),
        ("name", "token_name"),
        ("symbol", "token_symbol"),
    ):
        text = r[name].text
        facts[key] = (
            call_fact(name, text, "text")
            if text is not None
            else fact(None, "text", r[name].method(block), f"{name}() gave no text")
        )


def _supply_facts(
    facts: dict[str, Fact],
    r: dict[str, CallResult],
    balances: list[CallResult],
    wallets: Sequence[str],
    decimals: int,
    call_fact: Callable[[str, Any, str], Fact],
    absent: Callable[[str, str], Fact],
    block: int,
) -> None:
    supply = r["totalSupply"].word
    if supply is None:
        for key in ("total_supply_raw", "total_supply", "issuer_inventory", "float"):
            facts[key] = absent("totalSupply", FEEDS[key])
        return
    total = from_raw(supply, decimals)
    facts["total_supply_raw"] = call_fact("totalSupply", supply, "raw units")
    facts["total_supply"] = call_fact("totalSupply", total, "tokens")
    held = [(w, from_raw(b.word or 0, decimals)) for w, b in zip(wallets, balances, strict=True) if b.usable]
    inventory = sum((amount for _, amount in held), Decimal(0))
    methods = "; ".join(b.method(block) for b in balances)
    facts["issuer_inventory"] = Fact(
        normalized(inventory),
        FEEDS["issuer_inventory"],
        facts["total_supply"].source,
        methods,
        block,
        facts["total_supply"].fetched_at,
    )
    facts["float"] = Fact(
        normalized(total - inventory),
        FEEDS["float"],
        facts["total_supply"].source,
        methods,
        block,
        facts["total_supply"].fetched_at,
    )


def _multiplier_facts(
    facts: dict[str, Fact],
    r: dict[str, CallResult],
    call_fact: Callable[[str, Any, str], Fact],
    absent: Callable[[str, str], Fact],
    fact: FactMaker,
    block: int,
) -> None:
    current = r["getCurrentMultiplier"].word
    if current is None:
        for key in ("multiplier", "multiplier_stored", "multiplier_pending", "multiplier_pending_at", "fee_per_year"):
            facts[key] = absent("getCurrentMultiplier", FEEDS[key])
        facts["multiplier_history"] = absent("getCurrentMultiplier", FEEDS["multiplier_history"])
        return
    block_time = r["getCurrentBlockTimestamp"].word or 0
    facts["multiplier"] = call_fact("getCurrentMultiplier", from_raw(current, 18), FEEDS["multiplier"])
    schedule = ("lastMultiplier", "newMultiplier", "newMultiplierActivationTime")
    last, new, at = (r[n].word for n in schedule)
    if last is not None and new is not None and at is not None:
        effective = new if block_time >= at else last
        facts["multiplier_stored"] = call_fact("lastMultiplier", from_raw(effective, 18), FEEDS["multiplier_stored"])
        pending = at > block_time and new != last
        facts["multiplier_pending"] = call_fact(
            "newMultiplier", from_raw(new, 18) if pending else "none", "shares per token"
        )
        facts["multiplier_pending_at"] = call_fact(
            "newMultiplierActivationTime", iso(_utc(at)) if pending else "none", "time"
        )
    else:
        missing = next(n for n, v in zip(schedule, (last, new, at), strict=True) if v is None)
        for key in ("multiplier_stored", "multiplier_pending", "multiplier_pending_at"):
            facts[key] = absent(missing, FEEDS[key])
    fee, period = r["feePerPeriod"].word, r["periodLength"].word
    if fee is not None and period:
        with localcontext() as ctx:
            ctx.prec = 40
            yearly = 1 - (1 - from_raw(fee, 18)) ** (Decimal(YEAR) / Decimal(period))
        facts["fee_per_year"] = call_fact(
            "feePerPeriod",
            normalized(yearly.quantize(Decimal("0.000001"))),
            f"share of holdings per year ({fee / 1e16:g} % per {period} s period)",
        )
    elif period == 0:
        facts["fee_per_year"] = fact(
            None, FEEDS["fee_per_year"], r["periodLength"].method(block), "periodLength() is 0: no yearly rate"
        )
    else:
        facts["fee_per_year"] = absent("feePerPeriod" if fee is None else "periodLength", FEEDS["fee_per_year"])
    count = r["multiplierUpdatesLength"].word
    if count is None:
        facts["multiplier_history"] = absent("multiplierUpdatesLength", FEEDS["multiplier_history"])
        return
    rows = []
    for call in (r[f"multiplierUpdates {i}"] for i in range(min(count, HISTORY_PREFETCH))):
        if call.usable and len(call.returned) >= 96:
            prev, nxt, when = (int.from_bytes(call.returned[i : i + 32], "big") for i in (0, 32, 64))
            rows.append(
                {
                    "previous": str(from_raw(prev, 18)),
                    "multiplier": str(from_raw(nxt, 18)),
                    "at": iso(_utc(when)) if when else None,
                }
            )
    note = "" if count <= len(rows) else f" (first {len(rows)} of {count})"
    facts["multiplier_history"] = fact(
        rows,
        f"{FEEDS['multiplier_history']}{note}",
        r["multiplierUpdatesLength"].method(block) + " + multiplierUpdates(i)",
    )


def _utc(seconds: int) -> Any:
    from datetime import UTC, datetime  # noqa: PLC0415

    return datetime.fromtimestamp(seconds, UTC)


def _unknown(iface: Interface, method: str) -> Held:
    return Held(None, method, error=f"the token's interface is {iface.name}, so who holds this power is unknown")


def _role_members(role: str, iface: Interface, r: dict[str, CallResult], block: int) -> tuple[list[str], str]:
    """The role's members (the first few) and how they were read; none unless enumerable."""
    count = r[f"{role} count"].word if iface.enumerable else None
    if not count:
        return [], ""
    shown = min(count, ROLE_PREFETCH)
    members = [a for i in range(shown) if (a := _address(r[f"{role} {i}"])) not in (None, ZERO)]
    note = "" if count <= shown else f" (first {shown} of {count} members)"
    return members, f"{r[f'{role} count'].method(block)} + getRoleMember({role}, i){note}"


def _route_held(route: Route, iface: Interface, r: dict[str, CallResult], block: int) -> Held:
    """Who holds a power by one route; the caller has checked that the interface is identified."""
    where = f"the logic code at {iface.logic.address}"
    if iface.backed and not route.backed_too:
        return Held("not present", f"{iface.name}: {', '.join(route.functions)} is not this power on a Backed token")
    if route.getter and (getter := _address(r[route.getter])) is not None:
        method = r[route.getter].method(block)
        return Held(getter, method, (getter,)) if getter != ZERO else Held("none", method)
    members, method = _role_members(route.role, iface, r, block) if route.role else ([], "")
    if members:
        return Held(", ".join(members), method, tuple(members))
    found = ", ".join(iface.has(route.functions))
    if not found:
        return Held("not present", f"none of {', '.join(route.functions)} in {where} ({iface.name})")
    if route.role and iface.access_control:
        listed = "has no member" if iface.enumerable else "cannot be listed (AccessControl without enumeration)"
        return Held(
            None, where, error=f"{found} is in {where}; {route.role} {listed}, and who may call it is not readable"
        )
    owner = _address(r["owner"])
    if owner is not None and not iface.access_control:
        method = f"{found} in {where}; owner() is the only authority its interface names: {r['owner'].method(block)}"
        return Held(owner, method, (owner,)) if owner != ZERO else Held("none", method)
    return Held(None, where, error=f"{found} is in {where}, but who may call it is not readable")


def _combine(helds: list[Held]) -> Held:
    """One power reached by several routes: unknown if any route is, else every holder."""
    unknown = [h for h in helds if h.value is None]
    if unknown:
        return unknown[0]
    holders = tuple(dict.fromkeys(a for h in helds for a in h.holders))
    methods = "; ".join(h.method for h in helds)
    if holders:
        return Held(", ".join(holders), methods, holders)
    return Held("none" if any(h.value == "none" for h in helds) else "not present", methods)


def _power_held(key: str, iface: Interface, r: dict[str, CallResult], block: int) -> Held:
    """Who holds ``key`` (a power of :data:`POWERS`, ``owner`` or ``role_admin``)."""
    if key == "owner":
        method = r["owner"].method(block)
        if not iface.identified:
            return _unknown(iface, method)
        owner = _address(r["owner"])
        if owner is None:
            return Held("not present", f"{method} reverted ({iface.name})")
        return Held(owner, method, (owner,)) if owner != ZERO else Held("none", method)
    if key == "role_admin":
        method = r["DEFAULT_ADMIN_ROLE count"].method(block)
        if not iface.identified:
            return _unknown(iface, method)
        if not iface.access_control:
            return Held("not present", f"ERC-165 supportsInterface(0x7965db0b) is not true ({iface.name})")
        if not iface.enumerable:
            return Held(None, method, error="AccessControl without enumeration: role members cannot be listed")
        members, how = _role_members("DEFAULT_ADMIN_ROLE", iface, r, block)
        return Held(", ".join(members), how, tuple(members)) if members else Held("none", method)
    if not iface.identified:
        return _unknown(iface, f"the token's interface: {iface.name}")
    return _combine([_route_held(route, iface, r, block) for route in POWERS[key][1]])


# The weakest kind of holder first: with several holders each can act alone.
RANK = {"plain account": 0, "contract": 1, "owned contract": 1, "multisig": 2, "timelock": 3}


def _weakest(held: Held, kinds: dict[str, Holder]) -> Holder:
    return min((kinds[a] for a in held.holders), key=lambda h: RANK.get(h.controller.kind, 1))


def _kind_text(held: Held, kinds: dict[str, Holder]) -> str:
    weakest = _weakest(held, kinds)
    more = len(held.holders) - 1
    return weakest.describe() + (f" — and {more} more holder(s), each able to act alone" if more else "")


def _holder_facts(
    facts: dict[str, Fact],
    iface: Interface,
    r: dict[str, CallResult],
    kinds: dict[str, Holder],
    fact: FactMaker,
    block: int,
    upgrade_rows: list[dict[str, str]],
) -> None:
    """Each power, the kind of its holder, and the power-map rows (the upgrade's rows given)."""
    paused = facts["paused"].value is True
    owner_what = "sets minter, burner, pauser, sanctions list and terms" if iface.backed else OWNER_WHAT
    whats = {"owner": owner_what, "role_admin": ROLE_ADMIN_WHAT} | {k: what for k, (what, _) in POWERS.items()}
    rows: list[dict[str, str]] = []
    for key in HOLDER_KEYS:
        held = _power_held(key, iface, r, block)
        state = ("paused now" if paused else "not in use now") if key == "pause_authority" else "held"
        rows += _rows(key, held, kinds, state, whats[key])
        facts[key] = fact(held.value, "address", held.method, held.error)
        kind = _kind_text(held, kinds) if held.holders else held.value
        facts[f"{key}_kind"] = fact(kind, "kind of holder", held.method + " + classification", held.error)
    rows += upgrade_rows
    sanctions = facts["sanctions_list"].value
    if sanctions not in (None, "not present"):
        rows.append(
            {
                "power": "sanctions_list",
                "holder": str(sanctions),
                "kind": "list contract" if sanctions != "none" else "nobody",
                "state": "in the transfer path" if sanctions != "none" else "not set",
                "what": "blocks transfers from or to listed addresses",
            }
        )
    facts["issuer_powers"] = fact(rows, "power map", "eth_call + eth_getStorageAt + eth_getCode (see each power)")


def _rows(power: str, held: Held, kinds: dict[str, Holder], state: str, what: str) -> list[dict[str, str]]:
    if held.value is None:
        return [{"power": power, "holder": "unknown", "kind": "unknown", "state": str(held.error), "what": what}]
    if held.value == "none":
        return [{"power": power, "holder": "none", "kind": "nobody", "state": "disabled", "what": what}]
    return [
        {"power": power, "holder": a, "kind": kinds[a].describe(), "state": state, "what": what} for a in held.holders
    ]


# Proxies whose upgrade power Backcheck reads (any other proxy's is unknown).
UPGRADE_PATHS = ("not a proxy", "EIP-1967 transparent proxy", "UUPS proxy", "BeaconProxy")
UUPS_UPGRADE = Route(None, "UPGRADER_ROLE", ("upgradeToAndCall(address,bytes)", "upgradeTo(address)"))


def _proxy_facts(
    facts: dict[str, Fact],
    iface: Interface,
    slots: dict[str, str],
    kinds: dict[str, Holder],
    r: dict[str, CallResult],
    fact: FactMaker,
    token: str,
    block: int,
) -> list[dict[str, str]]:
    """The proxy's implementation and who can upgrade it (with the ProxyAdmin's or beacon's owner).

    Returns:
        The power-map rows of the upgrade power.
    """
    logic = iface.logic
    slot_method = 'eth_getStorageAt ["{t}", "{s}", {b}]'
    impl_method = slot_method.format(
        t=token, s=hex(BEACON_SLOT if logic.proxy == "BeaconProxy" else IMPLEMENTATION_SLOT), b=block
    )
    if logic.proxy == "not a proxy":
        facts["proxy_implementation"] = (
            fact("none (not an EIP-1967 or beacon proxy)", "address", impl_method)
            if iface.identified
            else fact(None, "address", impl_method, iface.name)
        )
    else:
        method = impl_method + (" + implementation() on the beacon" if logic.proxy == "BeaconProxy" else "")
        facts["proxy_implementation"] = fact(logic.address, "address", method, logic.problem)
    admin_method = slot_method.format(t=token, s=hex(ADMIN_SLOT), b=block)
    keys = ("proxy_admin", "proxy_admin_kind", "proxy_admin_controller", "proxy_admin_controller_kind")
    if not iface.identified or logic.proxy not in UPGRADE_PATHS:
        reason = iface.name if not iface.identified else f"{logic.proxy}: who can upgrade it is not readable"
        facts.update({k: fact(None, FEEDS[k], admin_method, reason) for k in keys})
        return _rows("upgrade", Held(None, "", error=reason), kinds, "", UPGRADE_WHAT)
    if logic.proxy == "not a proxy":
        none = "none (not upgradeable: not a proxy, and the code forwards no calls)"
        facts.update({k: fact(none if k == "proxy_admin" else "none", FEEDS[k], admin_method) for k in keys})
        return []
    if logic.proxy == "UUPS proxy":
        held = _route_held(UUPS_UPGRADE, iface, r, block)
        method = f"UUPS: proxiableUUID() on {logic.address}; upgrades go through the implementation ({held.method})"
    elif logic.proxy == "BeaconProxy":
        beacon = kinds[slots["beacon"]]
        if beacon.kind == "owned contract":
            kinds = kinds | {beacon.address: dataclasses.replace(beacon, detail="the UpgradeableBeacon")}
        held, method = Held(beacon.address, impl_method, (beacon.address,)), impl_method
    else:
        held, method = Held(slots["admin"], admin_method, (slots["admin"],)), admin_method
    if not held.holders:
        facts.update({k: fact(held.value, FEEDS[k], method, held.error) for k in keys})
    else:
        controller = _weakest(held, kinds).controller
        facts["proxy_admin"] = fact(held.value, "address", method)
        facts["proxy_admin_kind"] = fact(_kind_text(held, kinds), "kind of holder", method + " + classification")
        facts["proxy_admin_controller"] = fact(controller.address, "address", method + " + owner()")
        facts["proxy_admin_controller_kind"] = fact(
            f"{controller.kind} ({controller.detail})", "kind of holder", method + " + owner()"
        )
    return _rows("upgrade", held, kinds, "held", UPGRADE_WHAT)
