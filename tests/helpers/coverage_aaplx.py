"""AAPLx on every chain for measured reserve coverage: a Solana mint beside the anvil chains, and its reserves.

The EVM side is the committed anvil state (tests/chain/addresses.json): on each chain 10,021
tokens, 9,018.9 of them in the issuer inventory, so a float of 1,002.1 share-equivalents.
The Solana mint below holds 5,000 raw tokens, 3,000 with the issuer inventory, under an
effective Scaled-UI multiplier of 1.0021: a float of 2,004.2 share-equivalents.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from backcheck.core.chains import chain_by_key
from backcheck.core.registry import Registry

from .solana_rpc import INVENTORY_OWNER, SolanaRpc, nvdax_mint, pubkey, token_account
from .xstocks_api import XStocksApiServer

AAPLX = next(t for t in Registry.load().tokens if t.symbol == "AAPLx" and t.official)
AAPLX_MINT = next(d.address for d in AAPLX.deployments if d.chain == chain_by_key("solana"))
EVM_CHAINS = tuple(sorted(d.chain.key for d in AAPLX.deployments if d.chain.kind == "evm"))
EVM_FLOAT_PER_CHAIN = Decimal("1002.1")  # 10,021 supply − 9,018.9 inventory (addresses.json figures)
SOLANA_FLOAT = Decimal("2004.2")  # (5,000 − 3,000) raw tokens × 1.0021
MEASURED_OUTSTANDING = EVM_FLOAT_PER_CHAIN * len(EVM_CHAINS) + SOLANA_FLOAT
RAW = 10**8  # AAPLx on Solana has 8 decimals


def setup_aaplx_solana(rpc: SolanaRpc) -> None:
    """Load the AAPLx mint (multiplier 1.0021, effective long ago) and its holders into the local RPC."""
    mint = nvdax_mint(supply=5_000 * RAW, multiplier="1", new_multiplier="1.0021", effective_at=1_700_000_000)
    for extension in mint["data"]["parsed"]["info"]["extensions"]:
        if extension["extension"] == "tokenMetadata":
            extension["state"] = {
                **copy.deepcopy(extension["state"]),
                "mint": AAPLX_MINT,
                "name": "Apple xStock",
                "symbol": "AAPLx",
                "uri": "https://xstocks-metadata.backed.fi/tokens/Solana/AAPLx/metadata.json",
            }
        if extension["extension"] == "metadataPointer":
            extension["state"] = {**extension["state"], "metadataAddress": AAPLX_MINT}
    rpc.accounts.clear()
    rpc.accounts[AAPLX_MINT] = mint
    rpc.accounts[pubkey("aaplx-inventory-ata")] = token_account(AAPLX_MINT, INVENTORY_OWNER, 3_000 * RAW)
    for i, tokens in enumerate((1_200, 500, 300)):
        rpc.accounts[pubkey(f"aaplx-ata-{i}")] = token_account(AAPLX_MINT, pubkey(f"aaplx-holder-{i}"), tokens * RAW)


def set_aaplx_reserves(
    api: XStocksApiServer, *, shares_held: str, circulating: str, proof_at: datetime | None = None
) -> datetime:
    """The issuer's proof of reserve for AAPLx; returns its timestamp (six hours ago unless given)."""
    moment = proof_at or datetime.now(UTC).replace(microsecond=0) - timedelta(hours=6)
    api.reserves["AAPLx"] = {
        "symbol": "AAPLx",
        "timestamp": moment.isoformat().replace("+00:00", "Z"),
        "sharesHeld": shares_held,
        "circulatingSupply": circulating,
        "holdings": [{"provider": "InCore Bank AG", "quantity": shares_held, "symbol": "AAPL"}],
    }
    return moment
