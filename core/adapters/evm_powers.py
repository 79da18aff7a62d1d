"""EVM issuer-power map: proxy slots, roles and who really holds each power.

Round 1 (one JSON-RPC batch): both EIP-1967 slots, the token's code, and one Multicall3
call with every token read. Round 2: what each power holder is (code, Safe threshold,
timelock delay, owner). Round 3, only when a holder is an owned contract such as a
ProxyAdmin: what its owner is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any, cast

from ..addresses import evm_checksum
from ..facts import Fact, iso, utc_now
from ..units import from_raw, normalized
from .evm import MULTICALL3, CallResult, EvmReader, decode_multicall, encode_multicall

if TYPE_CHECKING:
    from eth_typing import ChecksumAddress

IMPLEMENTATION_SLOT = 0x360894A13BA1A3210667C828492DB98DCA3E2076CC3735A920A3CA505D382BBC
ADMIN_SLOT = 0xB53127684A568B3173AE13B9F8A6016E243E63B6E8EE1178D6A717850B5D6103
YEAR = 365 * 86_400
HISTORY_PREFETCH = 16  # multiplierUpdates(i) read speculatively in round 1

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
        "getThreshold": "e75235b8",
        "getOwners": "a0e67e2b",
        "getMinDelay": "f27a0c92",
    }.items()
}
ROLES = (
    ("owner", "owner", "sets minter, burner, pauser, sanctions list and terms"),
    ("minter", "mint_authority", "can create new tokens"),
    ("burner", "burn_authority", "can destroy tokens it holds"),
    ("pauser", "pause_authority", "can halt every transfer"),
    ("multiplierUpdater", "multiplier_updater", "can change the shares-per-token multiplier"),
)
ZERO = "0x" + "0" * 40  # EIP-55 leaves the zero address unchanged
# What an address without a token reports as unknown.
NOT_A_TOKEN = (
    ("decimals", "digits"),
    ("total_supply_raw", "raw units"),
    ("total_supply", "tokens"),
    ("multiplier", "shares per token"),
    ("proxy_admin", "address"),
    ("mint_authority", "address"),
    ("paused", "flag"),
    ("token_symbol", "text"),
)


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


def _address(call: CallResult) -> str | None:
    value = call.word
    return None if value is None else evm_checksum("0x" + value.to_bytes(32, "big")[12:].hex())


async def read_powers(reader: EvmReader, token: str, wallets: Sequence[str]) -> dict[str, Fact]:
    """Read a token's supply, multiplier, roles and proxy, and classify every power holder."""
    from eth_abi.abi import encode  # noqa: PLC0415 - lazy: comes with web3

    names = [
        "getBlockNumber",
        "getCurrentBlockTimestamp",
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
        "feePerPeriod",
        "periodLength",
        "lastMultiplier",
        "newMultiplier",
        "newMultiplierActivationTime",
        "multiplierUpdatesLength",
        "VERSION",
        "terms",
    ]
    block_reads = ("getBlockNumber", "getCurrentBlockTimestamp")  # Multicall3's own: the block read at
    calls = [(MULTICALL3 if n in block_reads else token, SEL[n]) for n in names]
    calls += [(token, SEL["multiplierUpdates"] + encode(["uint256"], [i])) for i in range(HISTORY_PREFETCH)]
    calls += [(token, SEL["balanceOf"] + encode(["address"], [w])) for w in wallets]
    w3 = reader.web3()
    checksummed = cast("ChecksumAddress", evm_checksum(token))
    async with w3.batch_requests() as batch:
        batch.add(w3.eth.get_storage_at(checksummed, IMPLEMENTATION_SLOT))
        batch.add(w3.eth.get_storage_at(checksummed, ADMIN_SLOT))
        batch.add(w3.eth.get_code(checksummed))
        batch.add(w3.eth.call({"to": MULTICALL3, "data": encode_multicall(calls)}))
        impl_word, admin_word, code, raw = cast(list[Any], await reader.guard(batch.async_execute()))
    results = decode_multicall(bytes(raw), calls, reader.url)
    r = dict(zip(names, results[: len(names)], strict=True))
    history_calls = results[len(names) : len(names) + HISTORY_PREFETCH]
    balances = results[len(names) + HISTORY_PREFETCH :]
    block = r["getBlockNumber"].word or 0
    block_time = r["getCurrentBlockTimestamp"].word or 0
    now = utc_now()

    def fact(value: Any, unit: str, method: str) -> Fact:
        return Fact(value, unit, reader.source, method, block, now)

    def call_fact(name: str, value: Any, unit: str) -> Fact:
        return fact(value, unit, r[name].method(block))

    def absent(name: str, unit: str) -> Fact:
        return fact("not present", unit, r[name].method(block) + f" reverted: this token has no {name}()")

    facts: dict[str, Fact] = {}
    # The chain's own clock: schedules on chain are judged against it, never the wall clock.
    stamp = r["getCurrentBlockTimestamp"].word
    facts["chain_time"] = (
        call_fact("getCurrentBlockTimestamp", iso(_utc(stamp)), "time (the chain's clock at the block read)")
        if stamp
        else Fact(
            None,
            "time",
            reader.source,
            r["getCurrentBlockTimestamp"].method(block),
            block,
            now,
            error="Multicall3 getCurrentBlockTimestamp() gave no answer",
        )
    )
    code_method = f'eth_getCode ["{token}", {block}]'
    facts["contract_code"] = fact(f"{len(bytes(code))} bytes" if code else "none", "bytecode", code_method)
    if not code or r["decimals"].word is None:
        reason = (
            f"no contract code at {token} at block {block}: an account without code, or a self-destructed contract"
            if not code
            else f"{token} is a contract but not a token: decimals() reverted at block {block}"
        )
        return facts | {
            key: Fact(None, unit, reader.source, code_method, block, now, error=reason) for key, unit in NOT_A_TOKEN
        }
    implementation = evm_checksum("0x" + bytes(impl_word)[12:].hex())
    admin = evm_checksum("0x" + bytes(admin_word)[12:].hex())
    is_proxy = implementation != ZERO
    slot_method = 'eth_getStorageAt ["{t}", "{s}", {b}]'
    facts["proxy_implementation"] = fact(
        implementation if is_proxy else "none (not an EIP-1967 proxy)",
        "address",
        slot_method.format(t=token, s=hex(IMPLEMENTATION_SLOT), b=block),
    )
    decimals = r["decimals"].word
    if decimals is not None:
        facts["decimals"] = call_fact("decimals", decimals, "digits")
    _supply_facts(facts, r, balances, wallets, decimals, call_fact, absent, block)
    _multiplier_facts(facts, r, history_calls, block_time, call_fact, absent, fact, block)
    for name, key in (("isPaused", "paused"),):
        value = r[name].word
        facts[key] = call_fact(name, bool(value), "flag") if value is not None else absent(name, "flag")
    sanctions = _address(r["sanctionsList"])
    facts["sanctions_list"] = (
        call_fact("sanctionsList", sanctions if sanctions != ZERO else "none", "address")
        if sanctions is not None
        else absent("sanctionsList", "address")
    )
    for name, key in (
        ("VERSION", "token_version"),
        ("terms", "terms"),
        ("name", "token_name"),
        ("symbol", "token_symbol"),
    ):
        text = r[name].text
        if text is not None:
            facts[key] = call_fact(name, text, "text")
    facts["freeze_authority"] = fact(
        "none (no per-address freeze; transfers check the sanctions list)",
        "address",
        "Backed token interface (facts-onchain.md §2.1)",
    )
    facts["permanent_delegate"] = fact(
        "none (no forced transfer; but the proxy admin can replace the logic)",
        "address",
        "Backed token interface (facts-onchain.md §2.1)",
    )
    holders = {name: _address(r[name]) for name, _, _ in ROLES}
    to_classify = [
        a for a in {*(a for a in holders.values() if a and a != ZERO), admin if is_proxy else None} if a is not None
    ]
    kinds = await classify(reader, sorted(to_classify))
    facts.update(_power_facts(facts, holders, admin if is_proxy else None, kinds, r, fact, block, token))
    return facts


def _supply_facts(
    facts: dict[str, Fact],
    r: dict[str, CallResult],
    balances: list[CallResult],
    wallets: Sequence[str],
    decimals: int | None,
    call_fact: Any,
    absent: Any,
    block: int,
) -> None:
    supply = r["totalSupply"].word
    if supply is None or decimals is None:
        facts["total_supply"] = absent("totalSupply", "tokens")
        return
    total = from_raw(supply, decimals)
    facts["total_supply_raw"] = call_fact("totalSupply", supply, "raw units")
    facts["total_supply"] = call_fact("totalSupply", total, "tokens")
    held = [(w, from_raw(b.word or 0, decimals)) for w, b in zip(wallets, balances, strict=True) if b.usable]
    inventory = sum((amount for _, amount in held), Decimal(0))
    methods = "; ".join(b.method(block) for b in balances)
    facts["issuer_inventory"] = Fact(
        normalized(inventory),
        "tokens in labelled issuer wallets (this chain)",
        facts["total_supply"].source,
        methods,
        block,
        facts["total_supply"].fetched_at,
    )
    facts["float"] = Fact(
        normalized(total - inventory),
        "tokens (this chain: supply minus issuer wallets)",
        facts["total_supply"].source,
        methods,
        block,
        facts["total_supply"].fetched_at,
    )


def _multiplier_facts(
    facts: dict[str, Fact],
    r: dict[str, CallResult],
    history: list[CallResult],
    block_time: int,
    call_fact: Any,
    absent: Any,
    fact: Any,
    block: int,
) -> None:
    current = r["getCurrentMultiplier"].word
    if current is None:
        for key, unit in (
            ("multiplier", "shares per token"),
            ("multiplier_stored", "shares per token"),
            ("multiplier_pending", "shares per token"),
            ("multiplier_pending_at", "time"),
            ("fee_per_year", "share per year"),
        ):
            facts[key] = absent("getCurrentMultiplier", unit)
        return
    facts["multiplier"] = call_fact("getCurrentMultiplier", from_raw(current, 18), "shares per token (fees applied)")
    last, new, at = (r[n].word for n in ("lastMultiplier", "newMultiplier", "newMultiplierActivationTime"))
    if last is not None and new is not None and at is not None:
        effective = new if block_time >= at else last
        facts["multiplier_stored"] = call_fact(
            "lastMultiplier", from_raw(effective, 18), "shares per token (no fee decay)"
        )
        pending = at > block_time and new != last
        facts["multiplier_pending"] = call_fact(
            "newMultiplier", from_raw(new, 18) if pending else "none", "shares per token"
        )
        facts["multiplier_pending_at"] = call_fact(
            "newMultiplierActivationTime", iso(_utc(at)) if pending else "none", "time"
        )
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
    count = r["multiplierUpdatesLength"].word
    if count is not None:
        rows = []
        for call in history[:count]:
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
            f"explicit multiplier updates, oldest first{note}",
            r["multiplierUpdatesLength"].method(block) + " + multiplierUpdates(i)",
        )


def _utc(seconds: int) -> Any:
    from datetime import UTC, datetime  # noqa: PLC0415

    return datetime.fromtimestamp(seconds, UTC)


async def classify(reader: EvmReader, addresses: list[str], depth: int = 2) -> dict[str, Holder]:
    """Tell what each address is, in one round trip (plus one per level of ownership)."""
    if not addresses:
        return {}
    from eth_abi.abi import decode  # noqa: PLC0415

    probes = ["getThreshold", "getOwners", "getMinDelay", "owner"]
    calls = [(a, SEL[p]) for a in addresses for p in probes]
    w3 = reader.web3()
    async with w3.batch_requests() as batch:
        for a in addresses:
            batch.add(w3.eth.get_code(cast("ChecksumAddress", a)))
        batch.add(w3.eth.call({"to": MULTICALL3, "data": encode_multicall(calls)}))
        answers = cast(list[Any], await reader.guard(batch.async_execute()))
    codes, raw = answers[:-1], answers[-1]
    results = decode_multicall(bytes(raw), calls, reader.url)
    out: dict[str, Holder] = {}
    owned: dict[str, str] = {}
    for i, address in enumerate(addresses):
        code = bytes(codes[i])
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
    if owned and depth > 0:
        owners = await classify(reader, sorted(set(owned.values())), depth - 1)
        for address, owner_address in owned.items():
            out[address] = Holder(address, "owned contract", "e.g. a ProxyAdmin", owners[owner_address])
    return out


def _power_facts(
    facts: dict[str, Fact],
    holders: dict[str, str | None],
    admin: str | None,
    kinds: dict[str, Holder],
    r: dict[str, CallResult],
    fact: Any,
    block: int,
    token: str,
) -> dict[str, Fact]:
    out: dict[str, Fact] = {}
    rows: list[dict[str, str]] = []
    paused = facts.get("paused")
    state_paused = "paused now" if paused is not None and paused.value is True else "not in use now"
    for name, key, what in ROLES:
        address = holders[name]
        method = r[name].method(block)
        if address is None:
            out[key] = fact("not present", "address", method + " reverted")
            continue
        if address == ZERO:
            out[key] = fact("none", "address", method)
            rows.append({"power": key, "holder": "none", "kind": "nobody", "state": "disabled", "what": what})
            continue
        holder = kinds[address]
        out[key] = fact(address, "address", method)
        out[f"{key}_kind"] = fact(holder.describe(), "kind of holder", method + " + classification")
        rows.append(
            {
                "power": key,
                "holder": address,
                "kind": holder.describe(),
                "state": state_paused if name == "pauser" else "held",
                "what": what,
            }
        )
    slot_method = f'eth_getStorageAt ["{token}", "{hex(ADMIN_SLOT)}", {block}]'
    if admin is None:
        out["proxy_admin"] = fact("none (not upgradeable through EIP-1967)", "address", slot_method)
        out["proxy_admin_kind"] = fact("none", "kind of holder", slot_method)
    else:
        holder = kinds[admin]
        out["proxy_admin"] = fact(admin, "address", slot_method)
        out["proxy_admin_kind"] = fact(holder.describe(), "kind of holder", slot_method + " + classification")
        out["proxy_admin_controller"] = fact(holder.controller.address, "address", slot_method + " + owner()")
        out["proxy_admin_controller_kind"] = fact(
            f"{holder.controller.kind} ({holder.controller.detail})",
            "kind of holder",
            slot_method + " + owner()",
        )
        rows.append(
            {
                "power": "upgrade",
                "holder": admin,
                "kind": holder.describe(),
                "state": "held",
                "what": "can replace the token's logic with anything",
            }
        )
    sanctions = facts.get("sanctions_list")
    if sanctions is not None and sanctions.value not in ("not present",):
        rows.append(
            {
                "power": "sanctions_list",
                "holder": str(sanctions.value),
                "kind": "list contract" if sanctions.value != "none" else "nobody",
                "state": "in the transfer path" if sanctions.value != "none" else "not set",
                "what": "blocks transfers from or to listed addresses",
            }
        )
    out["issuer_powers"] = fact(rows, "power map", "eth_call + eth_getStorageAt + eth_getCode (see each power)")
    return out
