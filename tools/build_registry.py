"""Build resources/registry/registry.json from tools/registry_sources/ (copies with provenance).

Run: .venv/bin/python tools/build_registry.py [SOURCES_DIR]
Every deployment row keeps the source it came from and that source's as-of date.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from eth_utils import to_checksum_address

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "registry_sources"  # see its README.md for where each file came from
OUT = ROOT / "resources" / "registry" / "registry.json"

CHAIN_KEYS = {
    1: "ethereum",
    56: "bnb",
    196: "xlayer",
    999: "hyperevm",
    5000: "mantle",
    42161: "arbitrum",
    57073: "ink",
    10: "optimism",
}

SRC_EVM_LIST = (
    "xStocks token list v5.3.0 (backed-fi/cowswap-xstocks-tokenlist: tokenlist.json)",
    "2026-07-26",
)
SRC_SOLANA = (
    "xStocks API via psyto/confide web/mints.json, cross-checked with DefiLlama-Adapters projects/xstocks/index.js",
    "2026-09",
)
SRC_BACKED = ("DefiLlama-Adapters projects/backed/index.js; docs.backed.fi", "2026-09")
SRC_ONDO = ("ondoprotocol/ondo-global-markets-token-list tokenlist.json v11.0.0", "2026-07-22")
SRC_ONDO_SOL = ("third-party Solana scans (facts-onchain.md §1.5)", "2026-09")

# Solana mints beyond the 98 core rows (facts-onchain.md §1.2, "More Solana mints").
EXTRA_SOLANA = {
    "MDTx": ("Medtronic xStock", "XsDgw22qRLTv5Uwuzn6T63cW69exG41T6gwQhEK22u2"),
    "AMBRx": ("Amber xStock", "XsaQTCgebC2KPbf27KUhdv5JFvHhQ4GDAPURwrEhAzb"),
    "DFDVx": ("DFDV xStock", "Xs2yquAgsHByNzx68WJC55WHjHBvG9JsMB7CWjTLyPy"),
    "ACNx": ("Accenture xStock", "Xs5UJzmCRQ8DWZjskExdSQDnbE6iLkRu2jjrRAB1JSU"),
    "SPCXx": ("SpaceX xStock", "Xs3oZwbHvqis4NYcf4YKWmEia2eC84wSiVrcYcTqpH8"),
    "ASMLx": ("ASML xStock", "XshuHQ6o6SVpUNawvnnTMxsZ4tacZsNgVCLorv7TkFq"),
    "SKHYx": ("SK hynix xStock", "XsnhgGRQwhExfS2bmWzR6EYddKGPRGDEjeJsatkmKqU"),
    "VOOx": ("Vanguard S&P 500 xStock", "Xsd7TduTbjuYCFL7Uoujb8SbkZLmUsuYNLn7KdvX21x"),
}
KNOWN_ISINS = {"NVDAx": "CH1436219195"}

# symbol: (underlying ticker, underlying name, address, chains)
BTOKENS = {
    "bCSPX": (
        "CSPX",
        "iShares Core S&P 500 UCITS ETF",
        "0x1e2c4fb7ede391d116e6b41cd0608260e8801d59",
        ("ethereum", "gnosis"),
    ),
    "bIB01": (
        "IB01",
        "iShares $ Treasury Bond 0-1yr UCITS ETF",
        "0xCA30c93B02514f86d5C86a6e375E3A330B435Fb5",
        ("ethereum",),
    ),
    "bIBTA": (
        "IBTA",
        "iShares $ Treasury Bond 1-3yr UCITS ETF",
        "0x52d134c6DB5889FaD3542A09eAf7Aa90C0fdf9E4",
        ("ethereum",),
    ),
    "bC3M": (
        "C3M",
        "Amundi EUR Government Bond 0-6M",
        "0x2F123cF3F37CE3328CC9B5b8415f9EC5109b45e7",
        ("ethereum",),
    ),
    "bCOIN": ("COIN", "Coinbase", "0xbbcb0356bB9e6B3Faa5CbF9E5F36185d53403Ac9", ("ethereum",)),
    "bNIU": ("NIU", "Niu Technologies", "0x2f11eeee0bf21e7661a22dbbbb9068f4ad191b86", ("ethereum",)),
    "bERNA": (
        "ERNA",
        "iShares $ Ultrashort Bond UCITS ETF",
        "0x0f76D32CDccDcbd602A55Af23EAF58FD1eE17245",
        ("ethereum",),
    ),
    "bERNX": (
        "ERNX",
        "iShares € Ultrashort Bond UCITS ETF",
        "0x3f95AA88dDbB7D9D484aa3D482bf0a80009c52c9",
        ("ethereum",),
    ),
    "bHIGH": (
        "HIGH",
        "iShares $ High Yield Corp Bond UCITS ETF",
        "0x20C64dEE8FdA5269A78f2D5BDBa861CA1d83DF7a",
        ("ethereum",),
    ),
    "bZPR1": (
        "ZPR1",
        "SPDR Bloomberg 1-3 Month T-Bill UCITS ETF",
        "0xAde6057FcAfa57d6d51FFa341C64ce4814995995",
        ("ethereum",),
    ),
    "bNVDA": ("NVDA", "NVIDIA", "0xA34C5e0AbE843E10461E2C9586Ea03E55Dbcc495", ("ethereum",)),
}
BTOKEN_EXTRA = [("bCSPX", "base", "0xC3cE78B037DDA1B966D31EC7979d3f3a38571A8E")]

# Chainlink proof-of-reserve feeds on Polygon (facts-onchain.md §3.2, third-party sourced).
RESERVE_FEEDS = [
    ("bIB01", "0xad4395fc414Fc1575A7a38C20B0Bfdbdb09ee41A", "≥4 independent repos incl. a viem feed map"),
    ("bCSPX", "0x55e75d35c44A9EE1A5b05416640965EbcA4a8D33", "≥4 independent repos incl. a viem feed map"),
    ("bIBTA", "0x4517002fCD31062Ea38680dF9Ee37f29528C2707", "viem feed map + one more repo"),
    ("bC3M", "0x648E0fF6A36D58F6FCE5927cB77601b73cAdc2Af", "two repos"),
    ("bNVDA", "0x0fB2beD999da86Cb1Fdd97E746600A96141EeA09", "one repo only — verify"),
]

# Ondo Global Markets: (underlying, name, ethereum, bnb, solana mint)
ONDO = {
    "AAPLon": (
        "AAPL",
        "Apple",
        "0x14c3abF95Cb9C93a8b82C1CdCB76D72Cb87b2d4c",
        "0x390a684EF9cADE28A7AD0DFa61AB1Eb3842618c4",
        "123mYEnRLM2LLYsJW3K6oyYh8uP1fngj732iG638ondo",
    ),
    "TSLAon": (
        "TSLA",
        "Tesla",
        "0xf6b1117ec07684D3958caD8BEb1b302bfD21103f",
        "0x2494b603319d4D9F9715c9f4496d9E0364B59d93",
        "KeGv7bsfR4MheC1CkmnAVceoApjrkvBhHYjWb67ondo",
    ),
    "NVDAon": (
        "NVDA",
        "NVIDIA",
        "0x2D1F7226Bd1F780AF6B9A49DCC0aE00E8Df4bDEE",
        "0xA9eE28C80f960B889dFbd1902055218cBa016F75",
        "gEGtLTPNQ7jcg25zTetkbmF7teoDLcrfTnQfmn2ondo",
    ),
    "SPYon": (
        "SPY",
        "SPDR S&P 500 ETF",
        "0xFeDC5f4a6c38211c1338aa411018DFAf26612c08",
        "0x6a708EAD771238919D85930b5a0f10454E1C331a",
        None,
    ),
    "QQQon": (
        "QQQ",
        "Invesco QQQ",
        "0x0e397938C1Aa0680954093495B70A9F5e2249aBa",
        "0x0cdE6936d305d5B34667fC46425E852efd73559a",
        None,
    ),
}

SYSTEM_WALLETS = [
    (
        "evm",
        "0x5F7A4c11bde4f218f0025Ef444c369d838ffa2aD",
        "Backed issuer inventory (working capital)",
        "DefiLlama-Adapters projects/xstocks & projects/backed",
    ),
    (
        "evm",
        "0x43624c744A4AF40754ab19b00b6f681Ca56F1E5b",
        "Backed treasury / cold wallet",
        "DefiLlama-Adapters projects/backed",
    ),
    (
        "solana",
        "S7vYFFWH6BjJyEsdrPQpqpYTqLTrPRK6KW3VwsJuRaS",
        "Backed issuer inventory (pre-minted xStocks)",
        "DefiLlama-Adapters projects/xstocks; decoded NVDAx mint",
    ),
]

ISSUERS = {
    "backed": {
        "name": "Backed Assets (JE) Limited",
        "brand": "xStocks / Backed",
        "legal_form": "tracker certificate (bearer debt instrument)",
        "registry_api": "xstocks",
        "por_cadence_hours": 24,
        "por_cadence_source": "docs.backed.fi/backed-ecosystem/proof-of-reserves: every 24 hours "
        "or on a >10 % deviation",
        "solana_metadata_uri_prefix": "https://xstocks-metadata.backed.fi/tokens/Solana/",
        "solana_update_authority": "5aMNNLQJwAEeoemTEMkv5NVjqKwvvefRYCQ5Z67HFvEq",
        "evm_from_blocks": {"ethereum": 22229268, "arbitrum": 324307540, "mantle": 87973839, "ink": 35332980},
        "evm_from_blocks_source": "first blocks of the xStocks factory 0x9768…76F3 "
        "(DefiLlama defillama-server coins/src/adapters/rwa/xstocks.ts)",
        "solana_metadata_source": "decoded NVDAx mint; the same on AAPLx and TSLAx (facts-onchain.md §1.6)",
    },
    "ondo": {
        "name": "Ondo Global Markets",
        "brand": "Ondo Global Markets",
        "legal_form": "tokenized security (issuer terms)",
        "registry_api": None,
    },
}


def deployment(chain: str, address: str, decimals: int, source: tuple[str, str]) -> dict[str, object]:
    if address.startswith("0x"):
        address = to_checksum_address(address)
    return {"chain": chain, "address": address, "decimals": decimals, "source": source[0], "as_of": source[1]}


def xstock_underlying(symbol: str, name: str) -> dict[str, object]:
    return {
        "symbol": symbol[:-1],
        "name": name.removesuffix(" xStock"),
        "isin": None,
        "symbol_source": "derived: xStocks symbol = US ticker + 'x' (facts-onchain.md §1.2)",
    }


def build(sources: Path = SOURCES) -> dict[str, object]:
    tokens: dict[str, dict[str, object]] = {}

    def token(
        symbol: str, name: str, issuer: str, underlying: dict[str, object], api: str | None = None
    ) -> dict[str, object]:
        return tokens.setdefault(
            symbol,
            {
                "symbol": symbol,
                "name": name,
                "issuer": issuer,
                "isin": KNOWN_ISINS.get(symbol),
                "underlying": underlying,
                "issuer_api": api,  # the live API that lists this token, if any
                "deployments": [],
            },
        )

    with (sources / "xstocks" / "core_solana_evm.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            t = token(row["symbol"], row["name"], "backed", xstock_underlying(row["symbol"], row["name"]), "xstocks")
            t["deployments"].append(deployment("solana", row["solana_mint"], int(row["solana_decimals"]), SRC_SOLANA))
    for symbol, (name, mint) in EXTRA_SOLANA.items():
        t = token(symbol, name, "backed", xstock_underlying(symbol, name), "xstocks")
        t["deployments"].append(deployment("solana", mint, 8, SRC_SOLANA))
    with (sources / "xstocks" / "evm_tokenlist_v5.3.0.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            chain = CHAIN_KEYS[int(row["chain_id"])]
            t = token(row["symbol"], row["name"], "backed", xstock_underlying(row["symbol"], row["name"]), "xstocks")
            t["deployments"].append(deployment(chain, row["address"], int(row["decimals"]), SRC_EVM_LIST))
    for symbol, (ticker, uname, address, chains) in BTOKENS.items():
        t = token(
            symbol,
            f"Backed {uname}",
            "backed",
            {"symbol": ticker, "name": uname, "isin": None, "symbol_source": SRC_BACKED[0]},
        )
        for chain in chains:
            t["deployments"].append(deployment(chain, address, 18, SRC_BACKED))
    for symbol, chain, address in BTOKEN_EXTRA:
        tokens[symbol]["deployments"].append(deployment(chain, address, 18, SRC_BACKED))
    for symbol, (ticker, uname, eth, bnb, mint) in ONDO.items():
        t = token(
            symbol,
            f"{uname} (Ondo Tokenized)",
            "ondo",
            {"symbol": ticker, "name": uname, "isin": None, "symbol_source": SRC_ONDO[0]},
        )
        t["deployments"].append(deployment("ethereum", eth, 18, SRC_ONDO))
        t["deployments"].append(deployment("bnb", bnb, 18, SRC_ONDO))
        if mint:
            t["deployments"].append(deployment("solana", mint, 9, SRC_ONDO_SOL))
    return {
        "schema": "backcheck.registry/1",
        "built_by": "tools/build_registry.py",
        "issuers": ISSUERS,
        "tokens": sorted(tokens.values(), key=lambda t: str(t["symbol"]).lower()),
        "system_wallets": [
            {
                "chain": c,
                "address": a if c == "solana" else to_checksum_address(a),
                "label": label,
                "source": src,
            }
            for c, a, label, src in SYSTEM_WALLETS
        ],
        "reserve_feeds": [
            {
                "token": s,
                "chain": "polygon",
                "address": to_checksum_address(a),
                "kind": "chainlink-por",
                "cadence_hours": 24,
                "source": f"third-party: {src}",
            }
            for s, a, src in RESERVE_FEEDS
        ],
    }


def main() -> None:
    doc = build(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCES)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    count = sum(len(t["deployments"]) for t in doc["tokens"])  # type: ignore[arg-type]
    print(f"wrote {OUT.relative_to(ROOT)}: {len(doc['tokens'])} tokens, {count} deployments")


if __name__ == "__main__":
    main()
