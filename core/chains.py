"""The chains Backcheck knows, with keyless public defaults (facts-onchain.md §5)."""

from __future__ import annotations

import dataclasses
from typing import Literal

from .errors import BadInput

ChainKind = Literal["evm", "solana"]


@dataclasses.dataclass(frozen=True, slots=True)
class Chain:
    """A chain and where to read it.

    Attributes:
        key: Stable short name used in settings, the CLI and the report (``"ethereum"``).
        name: Display name.
        kind: ``"evm"`` or ``"solana"``.
        chain_id: EVM chain id; ``None`` for Solana.
        default_rpc: Keyless public RPC endpoint.
        explorer: Address page template with ``{address}``.
        aliases: Other names a user may type (``"eth"``, ``"bsc"``, the chain id).
        api_network: The chain's name in the xStocks API's ``deployment.network``.
    """

    key: str
    name: str
    kind: ChainKind
    chain_id: int | None
    default_rpc: str
    explorer: str
    aliases: tuple[str, ...] = ()
    api_network: str = ""

    def explorer_url(self, address: str) -> str:
        """Return the explorer page for an address on this chain."""
        return self.explorer.format(address=address)


CHAINS: tuple[Chain, ...] = (
    Chain(
        "ethereum",
        "Ethereum",
        "evm",
        1,
        "https://ethereum-rpc.publicnode.com",
        "https://etherscan.io/token/{address}",
        ("eth", "mainnet"),
        api_network="Ethereum",
    ),
    Chain(
        "bnb",
        "BNB Smart Chain",
        "evm",
        56,
        "https://bsc-rpc.publicnode.com",
        "https://bscscan.com/token/{address}",
        ("bsc", "binancesmartchain"),
        api_network="BinanceSmartChain",
    ),
    Chain(
        "arbitrum",
        "Arbitrum One",
        "evm",
        42161,
        "https://arb1.arbitrum.io/rpc",
        "https://arbiscan.io/token/{address}",
        ("arb",),
        api_network="Arbitrum",
    ),
    Chain(
        "hyperevm",
        "HyperEVM",
        "evm",
        999,
        "https://rpc.hyperliquid.xyz/evm",
        "https://hyperevmscan.io/token/{address}",
        api_network="HyperEVM",
    ),
    Chain(
        "mantle",
        "Mantle",
        "evm",
        5000,
        "https://rpc.mantle.xyz",
        "https://mantlescan.xyz/token/{address}",
        api_network="Mantle",
    ),
    Chain(
        "ink",
        "Ink",
        "evm",
        57073,
        "https://rpc-gel.inkonchain.com",
        "https://explorer.inkonchain.com/token/{address}",
        api_network="Ink",
    ),
    Chain(
        "xlayer",
        "X Layer",
        "evm",
        196,
        "https://rpc.xlayer.tech",
        "https://www.oklink.com/xlayer/token/{address}",
        ("x-layer",),
        api_network="XLayer",
    ),
    Chain(
        "optimism",
        "OP Mainnet",
        "evm",
        10,
        "https://mainnet.optimism.io",
        "https://optimistic.etherscan.io/token/{address}",
        ("op",),
        api_network="Optimism",
    ),
    Chain(
        "polygon",
        "Polygon PoS",
        "evm",
        137,
        "https://polygon-bor-rpc.publicnode.com",
        "https://polygonscan.com/token/{address}",
        ("matic",),
        api_network="Polygon",
    ),
    Chain(
        "base",
        "Base",
        "evm",
        8453,
        "https://mainnet.base.org",
        "https://basescan.org/token/{address}",
        api_network="Base",
    ),
    Chain(
        "gnosis",
        "Gnosis",
        "evm",
        100,
        "https://rpc.gnosischain.com",
        "https://gnosisscan.io/token/{address}",
        ("xdai",),
        api_network="Gnosis",
    ),
    Chain(
        "avalanche",
        "Avalanche C-Chain",
        "evm",
        43114,
        "https://api.avax.network/ext/bc/C/rpc",
        "https://snowtrace.io/token/{address}",
        ("avax",),
        api_network="Avalanche",
    ),
    Chain(
        "fantom",
        "Fantom",
        "evm",
        250,
        "https://rpcapi.fantom.network",
        "https://ftmscan.com/token/{address}",
        ("ftm",),
        api_network="Fantom",
    ),
    # The chains of issuers that publish only a token factory (docs/issuer-lists.md); RPC defaults from
    # facts-onchain.md §5 (Robinhood Chain) and viem's chain definitions (wevm/viem 2.43.5:
    # src/chains/definitions/plumeMainnet.ts, kinto.ts, blast.ts).
    Chain(
        "robinhood",
        "Robinhood Chain",
        "evm",
        4663,
        "https://rpc.mainnet.chain.robinhood.com",
        "https://robinhoodchain.blockscout.com/token/{address}",
        ("robinhood-chain",),
    ),
    Chain(
        "plume",
        "Plume",
        "evm",
        98866,
        "https://rpc.plume.org",
        "https://explorer.plume.org/token/{address}",
    ),
    Chain(
        "kinto",
        "Kinto",
        "evm",
        7887,
        "https://rpc.kinto.xyz/http",
        "https://explorer.kinto.xyz/token/{address}",
    ),
    Chain(
        "blast",
        "Blast",
        "evm",
        81457,
        "https://rpc.blast.io",
        "https://blastscan.io/token/{address}",
    ),
    Chain(
        "solana",
        "Solana",
        "solana",
        None,
        "https://api.mainnet-beta.solana.com",
        "https://solscan.io/token/{address}",
        ("sol",),
        api_network="Solana",
    ),
)

_BY_NAME: dict[str, Chain] = {}
for _chain in CHAINS:
    for _name in (_chain.key, *_chain.aliases, str(_chain.chain_id or "")):
        if _name:
            _BY_NAME[_name] = _chain


def chain_by_key(name: str) -> Chain:
    """Find a chain by key, alias or EVM chain id.

    Raises:
        BadInput: The name matches no chain; the message lists the known ones.
    """
    chain = _BY_NAME.get(name.strip().lower())
    if chain is None:
        known = ", ".join(c.key for c in CHAINS)
        raise BadInput(f"Unknown chain {name!r}. Known chains: {known}.")
    return chain


def chain_by_id(chain_id: int) -> Chain | None:
    """Return the EVM chain with this id, if Backcheck knows it."""
    return _BY_NAME.get(str(chain_id))
