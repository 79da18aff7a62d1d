"""The shipped demo scenarios: each one a state of the project's own test chain and loopback servers.

Every scenario starts from the committed chain state (tests/chain/state.json.gz, loaded by
tests/conftest.py's ``start_node`` with the chain's clock fixed), changes it with ordinary
transactions and loopback-server state, and names the findings its report must show. Every lab
also runs a Jupiter price API quoting Apple and, for each chain with a public Blockscout, a local
Blockscout that verifies this project's own contracts. Nothing here writes a report:
tools/make_demos.py runs a real inspection against these components.
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from backcheck.core.adapters.explorers import BLOCKSCOUT
from backcheck.core.addresses import evm_checksum
from backcheck.core.chains import chain_by_key
from backcheck.core.registry import Registry
from backcheck.core.rules.engine import SEVERITY
from tests.chain.build_state import HOLDERS, ONDO_ADMIN, ONDO_BURNER, ONDO_MINTERS, ONDO_PAUSER, role, wei
from tests.conftest import start_node
from tests.helpers.anvil import Anvil
from tests.helpers.coverage_aaplx import EVM_CHAINS, MEASURED_OUTSTANDING, setup_aaplx_solana
from tests.helpers.evm import ACCOUNTS, Chain
from tests.helpers.jupiter_api import JupiterServer
from tests.helpers.loopback_server import LoopbackServer, Reply, Request
from tests.helpers.paths import ADDRESSES, CONTRACTS, NODE_MODULES
from tests.helpers.solana_rpc import SolanaRpc
from tests.helpers.solc import compile_contracts
from tests.helpers.transfers import holder
from tests.helpers.xstocks_api import XStocksApiServer

ART = compile_contracts()
AUTOFEE, V1, FEED, ONDO = (ART[n] for n in ("BackedAutoFeeToken", "BackedTokenV1", "ReserveFeed", "OndoStyleToken"))
ADDR: dict[str, Any] = json.loads(ADDRESSES.read_text())
ROLES = ADDR["roles"]
REGISTRY = Registry.load()
AAPLON = next(t for t in REGISTRY.tokens if t.symbol == "AAPLon" and t.official)
AAPLON_ETHEREUM = next(d.address for d in AAPLON.deployments if d.chain.key == "ethereum")
BEACON_SLOT = "0xa3f0ad74e5423aebfd80d3ef4346578335a9a72aeaee59ff6cb3582b35133d50"  # EIP-1967
IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc"  # EIP-1967
AAPLX_SUPPLY = "10021"  # the committed chain's AAPLx supply (addresses.json), as the issuer reports it
DAY = 86_400
# The market: Apple's share price, the issuer's quote for one AAPLx (a hair above: +0.08 %), and
# that quote 6 % below the shares' value (the depeg scenario). On EVM the reference is the share
# price itself (balances are rebased); a Solana raw unit is worth the price × the multiplier.
APPLE = Decimal("230.00")
QUOTE = Decimal("230.18")
DEPEG_QUOTE = APPLE * Decimal("0.94")
MULTIPLIER = Decimal("1.0021")  # the committed chain's, and the lab's Solana mint's
SOLANA_MINTS = {
    t.symbol: next(d for d in t.deployments if d.chain.key == "solana")
    for t in REGISTRY.tokens
    if t.official and t.symbol in ("AAPLx", "AAPLon")
}


@dataclasses.dataclass
class Lab:
    """The running local components of one scenario (fresh for each).

    Attributes:
        nodes: One anvil per chain key: the committed state, clock fixed, one second per block.
        api: The loopback xStocks API (its asset list is the bundled registry's).
        jupiter: The loopback Jupiter price API, quoting Apple (``market_prices``).
        explorers: A local Blockscout per node whose chain has a public instance (``blockscout``).
        solana: The loopback Solana RPC, when the scenario reads Solana.
    """

    nodes: dict[str, Anvil]
    api: XStocksApiServer
    jupiter: JupiterServer
    explorers: dict[str, LoopbackServer]
    solana: SolanaRpc | None = None

    def chain(self, key: str = "ethereum") -> Chain:
        """Drive one node with its unlocked dev accounts."""
        return Chain(self.nodes[key])

    def chain_time(self, key: str = "ethereum") -> int:
        """The chain's clock at its latest block (unix seconds)."""
        return int(self.nodes[key].rpc("eth_getBlockByNumber", "latest", False)["timestamp"], 16)

    def endpoints(self) -> list[str]:
        """``--rpc`` / ``--api`` arguments pointing every source the scenario uses at loopback."""
        urls = {key: node.url for key, node in self.nodes.items()}
        if self.solana is not None:
            urls["solana"] = self.solana.url
        rpcs = [arg for key, url in urls.items() for arg in ("--rpc", f"{key}={url}")]
        return [*rpcs, "--api", f"xstocks={self.api.url}", "--api", f"jupiter={self.jupiter.url}"]

    def settings(self) -> dict[str, str]:
        """Settings with no command-line option: each local Blockscout (``explorer.blockscout.CHAIN``)."""
        return {f"explorer.blockscout.{key}": server.url for key, server in self.explorers.items()}


@contextmanager
def lab(chains: tuple[str, ...]) -> Iterator[Lab]:
    """Start one anvil per chain key (``solana``: the loopback Solana RPC), the xStocks and Jupiter APIs, explorers.

    Each new block comes one second after the previous one, so the chain times a scenario
    reads do not depend on how long its setup took.
    """
    with ExitStack() as stack:
        api = XStocksApiServer(REGISTRY)
        stack.callback(api.close)
        jupiter = JupiterServer()
        stack.callback(jupiter.close)
        market_prices(jupiter)
        nodes: dict[str, Anvil] = {}
        explorers: dict[str, LoopbackServer] = {}
        for key in (k for k in chains if k != "solana"):
            chain_id = chain_by_key(key).chain_id
            assert chain_id is not None, f"{key} is not an EVM chain"
            nodes[key] = start_node(chain_id)
            stack.callback(nodes[key].stop)
            nodes[key].rpc("anvil_setBlockTimestampInterval", 1)
            if key in BLOCKSCOUT:
                explorers[key] = blockscout(nodes[key])
                stack.callback(explorers[key].close)
        solana = None
        if "solana" in chains:
            solana = SolanaRpc({})
            stack.callback(solana.close)
        yield Lab(nodes, api, jupiter, explorers, solana)


def iso(moment: datetime) -> str:
    """ISO-8601 UTC with a Z, as the xStocks API writes times."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# --- the market and the explorer -------------------------------------------------------------


def market_prices(jupiter: JupiterServer) -> None:
    """Jupiter quotes the Solana AAPLx and AAPLon, with Apple's share price (``stockData``) a minute old.

    The share price is dated by this computer's clock, like the issuer's proof: PM-2 ages it
    against the time the report was made, so a date at the chain's fixed clock would read as
    hours or months stale.
    """
    updated = int(time.time()) - 60
    for symbol, per_unit in (("AAPLx", APPLE * MULTIPLIER), ("AAPLon", APPLE)):
        jupiter.prices[SOLANA_MINTS[symbol].address] = {
            "usdPrice": float(per_unit.quantize(Decimal("0.01"))),
            "blockId": 449660471,
            "decimals": SOLANA_MINTS[symbol].decimals,
            "priceChange24h": 0.4,
            "stockData": {"price": float(APPLE), "mcap": 3.41e12, "updatedAt": updated},
        }


def _source(name: str) -> Path:
    """The file of this project's Solidity that defines contract ``name``."""
    return next(f for f in CONTRACTS if re.search(rf"^contract {name}\b", f.read_text(), re.MULTILINE))


# Deployed code → contract name: what the local explorer can match to source.
NAMES = {a["deployedBytecode"].lower(): name for name, a in ART.items() if len(a["deployedBytecode"]) > 2}
SOLC = json.loads((NODE_MODULES / "solc" / "package.json").read_text())["version"]


def blockscout(node: Anvil) -> LoopbackServer:
    """A local Blockscout v2 for one chain, answering ``GET /api/v2/smart-contracts/{address}``.

    Like a real instance it calls a contract verified when its code on the chain matches
    compiled source: here this project's own (tests/chain/contracts, the compilation the
    committed state was deployed from). Other code gets Blockscout's answer for an unverified
    contract (no ``is_verified``); an address without code, its 404.
    """

    def slot_address(address: str, slot: str) -> str | None:
        word = node.rpc("eth_getStorageAt", address, slot, "latest")
        return None if int(word, 16) == 0 else evm_checksum("0x" + word[-40:])

    def proxy(address: str) -> dict[str, Any]:
        implementation = slot_address(address, IMPLEMENTATION_SLOT)
        if implementation is None and (beacon := slot_address(address, BEACON_SLOT)) is not None:
            answer = node.rpc("eth_call", {"to": beacon, "data": "0x5c60da1b"}, "latest")  # implementation()
            implementation = evm_checksum("0x" + answer[-40:])
        if implementation is None:
            return {"proxy_type": None, "implementations": []}
        name = NAMES.get(node.rpc("eth_getCode", implementation, "latest").lower())
        return {"proxy_type": "eip1967", "implementations": [{"address_hash": implementation, "name": name}]}

    def contract(request: Request) -> Reply:
        address = request.params["address"]
        code = node.rpc("eth_getCode", address, "latest")
        if code == "0x":
            return Reply({"message": "Not found"}, status=404)
        bytecode = {"deployed_bytecode": code, "creation_bytecode": None, "creation_status": "success"}
        name = NAMES.get(code.lower())
        if name is None:
            return Reply(proxy(address) | bytecode)
        file = _source(name)
        text = file.read_text()
        license_id = re.search(r"SPDX-License-Identifier:\s*(\S+)", text)
        verified_at = int(node.rpc("eth_getBlockByNumber", "latest", False)["timestamp"], 16)
        return Reply(
            {
                "verified_twin_address_hash": None,
                "is_verified": True,
                "is_changed_bytecode": False,
                "is_partially_verified": False,
                "is_fully_verified": True,
                "is_verified_via_sourcify": False,
                "is_verified_via_eth_bytecode_db": False,
                "is_verified_via_verifier_alliance": False,
                **proxy(address),
                "sourcify_repo_url": None,
                "can_be_visualized_via_sol2uml": False,
                "name": name,
                "compiler_version": f"v{SOLC}",
                "optimization_enabled": True,
                "optimization_runs": 200,
                "evm_version": "default",
                "verified_at": iso(datetime.fromtimestamp(verified_at, UTC)),
                "abi": ART[name]["abi"],
                "source_code": text,
                "file_path": file.name,
                "additional_sources": [],
                "compiler_settings": {"optimizer": {"enabled": True, "runs": 200}},
                "external_libraries": [],
                "constructor_args": None,
                "decoded_constructor_args": None,
                "language": "solidity",
                "license_type": license_id.group(1).lower() if license_id else "none",
                "certified": False,
                "is_blueprint": False,
            }
            | bytecode
        )

    return LoopbackServer({("GET", "/api/v2/smart-contracts/{address}"): contract})


# --- the issuer's API -----------------------------------------------------------------------


def issuer_reports(
    lab: Lab,
    *,
    shares_held: str,
    circulating: str = AAPLX_SUPPLY,
    proof_age: timedelta = timedelta(hours=6),
    quote: Decimal = QUOTE,
) -> None:
    """The issuer's API for AAPLx: a proof of reserve as old as given, its multiplier, history, status and quote.

    The proof is dated by this computer's clock because the app ages it against the time it
    fetched it; the snapshot keeps the age it measured.
    """
    proof_at = datetime.now(UTC).replace(microsecond=0) - proof_age
    lab.api.reserves["AAPLx"] = {
        "symbol": "AAPLx",
        "timestamp": iso(proof_at),
        "sharesHeld": shares_held,
        "circulatingSupply": circulating,
        "holdings": [{"provider": "InCore Bank AG", "quantity": shares_held, "symbol": "AAPL"}],
    }
    lab.api.multipliers["AAPLx"] = {
        "currentMultiplier": float(MULTIPLIER),
        "newMultiplier": 0,
        "activationDateTime": 0,
        "reason": None,
    }
    # The dividend step the committed chain applied (multiplierUpdates(1)), as the issuer lists it.
    _, _, applied = lab.chain().call(
        ADDR["aaplx"], AUTOFEE, "multiplierUpdates(uint256)", ["uint256", "uint256", "uint256"], 1
    )
    lab.api.histories["AAPLx"] = {
        "nodes": [
            {
                "reason": "Dividend",
                "multiplier": float(MULTIPLIER),
                "previousMultiplier": 1,
                "activationDateTime": iso(datetime.fromtimestamp(applied, UTC)),
            }
        ],
        "page": {"currentPage": 0, "hasNextPage": False},
    }
    lab.api.statuses["AAPLx"] = {"isMarketTradingHalted": False, "isAtomicTradingHalted": False}
    lab.api.prices["AAPLx"] = {"quote": float(quote)}


# --- chain state ------------------------------------------------------------------------------


def spread(lab: Lab, account: str, amount: Decimal, receivers: range) -> None:
    """``account`` hands ``amount`` AAPLx in equal parts to fresh addresses, in one transaction."""
    targets = [holder(i) for i in receivers]
    lab.chain().transact(
        account,
        ADDR["aaplx"],
        AUTOFEE,
        "batchTransfer(address[],uint256[])",
        targets,
        [wei(amount / len(targets))] * len(targets),
    )


def spread_float(lab: Lab) -> None:
    """Each ordinary AAPLx holder hands 90 % of its tokens to 40 fresh addresses: 200 owners of the float."""
    for n, (account, amount) in enumerate(HOLDERS.items()):
        spread(lab, account, amount * Decimal("0.9"), range(40 * n, 40 * n + 40))


def transfer(lab: Lab, sender: str, to: str, amount: Decimal) -> None:
    """An ordinary AAPLx transfer."""
    lab.chain().transact(sender, ADDR["aaplx"], AUTOFEE, "transfer(address,uint256)", to, wei(amount))


def schedule_multiplier(lab: Lab, multiplier: Decimal, after: int) -> int:
    """The multiplier updater schedules AAPLx's next multiplier ``after`` seconds past its transaction's block.

    Returns the activation time (unix seconds, the chain's clock).
    """
    activation = lab.chain_time() + 1 + after  # the transaction's block is one second after the latest
    lab.chain().transact(
        ROLES["multiplier_updater"],
        ADDR["aaplx"],
        AUTOFEE,
        "updateMultiplierWithActivationTime(uint256,uint256)",
        wei(multiplier),
        activation,
    )
    return activation


def feed_round(lab: Lab, answer: Decimal, age: int) -> None:
    """bIB01's reserve feed on Polygon reports ``answer`` shares, updated ``age`` seconds before its block."""
    updated = lab.chain_time("polygon") + 1 - age
    lab.chain("polygon").transact(
        ROLES["owner"],
        ADDR["bib01_feed"],
        FEED,
        "setRound(uint80,int256,uint256,uint256,uint80)",
        8,
        int(answer * 10**8),
        updated,
        updated,
        8,
    )


def place_aaplon(lab: Lab, holders: int) -> None:
    """An Ondo-style BeaconProxy at AAPLon's real Ethereum address, on the committed beacon, minted to holders.

    The same placement the committed state uses for AAPLx: the proxy's code and beacon slot at
    the registry's address, then ``initialize`` through it.
    """
    chain = lab.chain()
    chain.set_code(AAPLON_ETHEREUM, ART["BeaconProxy"]["deployedBytecode"])
    chain.set_storage(AAPLON_ETHEREUM, BEACON_SLOT, ADDR["ondo_beacon"])
    chain.transact(
        ONDO_ADMIN, AAPLON_ETHEREUM, ONDO, "initialize(string,string,address)", AAPLON.name, "AAPLon", ONDO_ADMIN
    )
    grants = [("MINTER_ROLE", m) for m in ONDO_MINTERS] + [("BURNER_ROLE", ONDO_BURNER), ("PAUSER_ROLE", ONDO_PAUSER)]
    for name, account in grants:  # the committed Ondo-style token's roles (tests/chain/build_state.py)
        chain.transact(ONDO_ADMIN, AAPLON_ETHEREUM, ONDO, "grantRole(bytes32,address)", role(name), account)
    for i in range(holders):
        chain.transact(
            ONDO_MINTERS[0], AAPLON_ETHEREUM, ONDO, "mint(address,uint256)", holder(1_000 + i), wei(Decimal(20 + i))
        )


# --- the scenarios ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Scenario:
    """One shipped demo.

    Attributes:
        name: ``backcheck demo NAME``; the file is resources/demo/NAME.backcheck.
        title: One line, shown in the demo list.
        teaches: One sentence: what a learner sees in it.
        query: What is inspected (a symbol or an address).
        chain: The chain it is inspected on.
        chains: The local chains it needs (anvil chain keys; ``solana``: the loopback Solana RPC).
        setup: Puts the components into the scenario's state.
        expect: Rule ID → the statuses its report must show for that rule.
        official: What the report's ``token.official`` must be.
        worst: The most severe status any finding may have.
    """

    name: str
    title: str
    teaches: str
    query: str
    chain: str
    chains: tuple[str, ...]
    setup: Callable[[Lab], None]
    expect: dict[str, tuple[str, ...]]
    official: bool = True
    worst: str = "critical"

    def problems(self, report: dict[str, Any]) -> list[str]:
        """What a ``backcheck.report/1`` document fails to show of this scenario (empty: all of it)."""
        status = {f["id"]: f["status"] for f in report["findings"]}
        found = [
            f"{rule} is {status.get(rule, 'missing')}, not {' or '.join(wanted)}"
            for rule, wanted in self.expect.items()
            if status.get(rule) not in wanted
        ]
        if report["token"]["official"] is not self.official:
            found.append(f"token.official is {report['token']['official']}, not {self.official}")
        found += [
            f"{rule} is {level}, worse than {self.worst}"
            for rule, level in status.items()
            if SEVERITY[level] > SEVERITY[self.worst]
        ]
        return found


def _clean(lab: Lab) -> None:
    """Every chain AAPLx lives on is read, so reserves are checked against Backcheck's own count."""
    assert lab.solana is not None
    setup_aaplx_solana(lab.solana)
    total = str(MEASURED_OUTSTANDING)
    issuer_reports(lab, shares_held=total, circulating=total)
    spread_float(lab)


def _stale(lab: Lab) -> None:
    issuer_reports(lab, shares_held=AAPLX_SUPPLY, proof_age=timedelta(hours=100))
    spread_float(lab)


def _over_issued(lab: Lab) -> None:
    feed_round(lab, Decimal(6_000), age=3_600)
    lab.chain().transact(ROLES["minter"], ADDR["bib01"], V1, "mint(address,uint256)", ACCOUNTS[6], wei(Decimal(1_500)))


def _paused(lab: Lab) -> None:
    issuer_reports(lab, shares_held=AAPLX_SUPPLY)
    spread_float(lab)
    lab.chain().transact(ROLES["pauser"], ADDR["aaplx"], AUTOFEE, "setPause(bool)", True)


def _impostor(lab: Lab) -> None:
    issuer_reports(lab, shares_held=AAPLX_SUPPLY)


def _split(lab: Lab) -> None:
    issuer_reports(lab, shares_held=AAPLX_SUPPLY)
    spread_float(lab)
    activation = schedule_multiplier(lab, Decimal("2.0042"), after=DAY)
    lab.api.actions[:] = [
        {
            "caType": "StockSplit",
            "status": "Scheduled",
            "xstockSymbol": "AAPLx",
            "xstockIsin": next(t.isin for t in REGISTRY.tokens if t.symbol == "AAPLx" and t.official),
            "effectiveTimeUtc": iso(datetime.fromtimestamp(activation, UTC)),
            "fromUnits": 1,
            "toUnits": 2,
            "eventId": "evt-aapl-split",
        }
    ]


def _concentrated(lab: Lab) -> None:
    """One wallet gathers 70 % of the float, a second keeps 15 %; the rest is spread thin."""
    issuer_reports(lab, shares_held=AAPLX_SUPPLY)
    accounts = list(HOLDERS)
    transfer(lab, accounts[1], accounts[0], Decimal(210))
    spread(lab, accounts[3], HOLDERS[accounts[3]], range(0, 50))
    spread(lab, accounts[4], HOLDERS[accounts[4]], range(50, 100))


def _depeg(lab: Lab) -> None:
    issuer_reports(lab, shares_held=AAPLX_SUPPLY, quote=DEPEG_QUOTE)
    spread_float(lab)


def _vague(lab: Lab) -> None:
    place_aaplon(lab, holders=30)


def _timelocked(lab: Lab) -> None:
    """The proxy admin's owner hands it to the committed 48-hour timelock."""
    issuer_reports(lab, shares_held=AAPLX_SUPPLY)
    spread_float(lab)
    lab.chain().transact(
        ROLES["owner"], ADDR["aaplx_proxy_admin"], ART["ProxyAdmin"], "transferOwnership(address)", ADDR["timelock_48h"]
    )


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "clean",
        "A well-behaved token: AAPLx on Ethereum",
        "What no critical finding looks like: official, reserves fresh and covering every chain's float "
        "as Backcheck counts it, a float spread over 200 holders.",
        "AAPLx",
        "ethereum",
        (*EVM_CHAINS, "solana"),
        _clean,
        {
            "ID-1": ("pass",),
            "ID-3": ("pass",),
            "RS-1": ("pass",),
            "RS-2": ("pass",),
            "CT-4": ("pass",),
            "HD-1": ("pass",),
            "PM-1": ("pass",),
            "PM-3": ("pass",),
        },
        worst="warning",
    ),
    Scenario(
        "stale-reserve",
        "Stale proof of reserve: AAPLx",
        "A proof of reserve 100 hours old against a promised daily cadence: since then nobody has shown "
        "that the shares are still there.",
        "AAPLx",
        "ethereum",
        ("ethereum",),
        _stale,
        {"RS-1": ("warning", "critical")},
    ),
    Scenario(
        "over-issued",
        "More tokens than reserves: bIB01",
        "1,500 bIB01 minted beyond what its on-chain reserve feed reports: some tokens have nothing behind them.",
        "bIB01",
        "ethereum",
        ("ethereum", "polygon"),
        _over_issued,
        {"RS-2": ("critical",)},
    ),
    Scenario(
        "paused-single-key",
        "Paused token, upgradeable by one key: AAPLx",
        "A paused token cannot move at all, and one plain key controls its proxy admin: it could replace "
        "the token's code at any moment.",
        "AAPLx",
        "ethereum",
        ("ethereum",),
        _paused,
        {"CT-4": ("critical",), "CT-1": ("warning",)},
    ),
    Scenario(
        "impostor",
        "Impostor: AAPLx at an address no issuer lists",
        "A contract that calls itself AAPLx, Apple xStock, at an address the issuer never listed: "
        "the symbol proves nothing, the address does.",
        ADDR["impostor"],
        "ethereum",
        ("ethereum",),
        _impostor,
        {"ID-1": ("critical",)},
        official=False,
    ),
    Scenario(
        "split-tomorrow",
        "Multiplier change (2-for-1 split) tomorrow: AAPLx",
        "The multiplier doubles a day after the chain's time: wallet balances will double while your "
        "share of Apple stays the same; the converter shows both.",
        "AAPLx",
        "ethereum",
        ("ethereum",),
        _split,
        {"CA-1": ("pass", "caution")},
    ),
    Scenario(
        "concentrated",
        "Concentrated holders: AAPLx",
        "One wallet holds 70 % of the public float and two hold 85 %: a few sellers can move the price alone.",
        "AAPLx",
        "ethereum",
        ("ethereum",),
        _concentrated,
        {"HD-1": ("warning",), "HD-2": ("warning",)},
    ),
    Scenario(
        "depeg",
        "Price below the shares' value: AAPLx",
        "The issuer quotes AAPLx 6 % below the value of the Apple shares behind it: selling at that price "
        "loses the gap, buying pays it. Outside US market hours such a gap says less.",
        "AAPLx",
        "ethereum",
        ("ethereum",),
        _depeg,
        {"PM-1": ("warning",)},
    ),
    Scenario(
        "vague-redemption",
        "Vague redemption terms: AAPLon",
        "The issuer's documents in Backcheck's catalog reserve redemption for whitelisted purchasers and "
        "name no custodian, no settlement time and no security agent.",
        "AAPLon",
        "ethereum",
        ("ethereum",),
        _vague,
        {"RD-1": ("warning",), "RD-4": ("caution",), "RD-6": ("warning",), "RD-7": ("caution",)},
    ),
    Scenario(
        "timelocked-admin",
        "Upgrades behind a 48-hour timelock: AAPLx",
        "AAPLx with its upgrades behind a 48-hour timelock instead of one key: holders see a code change "
        "coming and can leave first; the fresh handover itself shows as a recent authority change.",
        "AAPLx",
        "ethereum",
        ("ethereum",),
        _timelocked,
        {"CT-1": ("pass",), "CT-9": ("caution",)},
    ),
)
