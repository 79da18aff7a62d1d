"""Build resources/registry/registry.json from tools/registry_sources/ (copies with provenance).

Run: .venv/bin/python tools/build_registry.py [SOURCES_DIR]
Every deployment row (chain, address, decimals) of a token (symbol, issuer) keeps its **basis**:
``issuer`` (the issuer's own list: official), ``third-party`` (listed by someone else: not official
until the issuer confirms it) or ``withdrawn`` (was on the issuer's list, since removed: not
official), and its ``source_id`` in the ``sources`` table, which gives the source's text, repo,
path, commit or date, as-of date and who lists it (``listed_by``) once for its thousands of rows.
One token holds rows of one basis only, so a token's ``official`` is that basis. A row whose
address is not an address is refused with a message naming the file, line and address; rows on
chains Backcheck does not read, rows without a token symbol and rows already listed are skipped
and counted.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from eth_utils import to_checksum_address

from backcheck.core.addresses import normalize_solana
from backcheck.core.chains import chain_by_id, chain_by_key
from backcheck.core.errors import BadInput

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "registry_sources"  # see its README.md for where each file came from
OUT = ROOT / "resources" / "registry" / "registry.json"

ISSUER, THIRD_PARTY, WITHDRAWN = "issuer", "third-party", "withdrawn"
RANK = {ISSUER: 0, WITHDRAWN: 1, THIRD_PARTY: 2}  # one address, several sources: the issuer's word first

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


class Source(NamedTuple):
    """A list rows come from: its key in registry.json's ``sources``, the text shown with its rows
    (ID-1, the report), where it is (repository, path, commit or date), its as-of date, the basis of
    its rows and who lists them."""

    key: str
    text: str
    repo: str
    path: str
    commit_or_date: str
    as_of: str
    basis: str
    listed_by: str


SRC_EVM_LIST = Source(
    "xstocks-evm-list",
    "xStocks token list v5.3.0 (backed-fi/cowswap-xstocks-tokenlist: tokenlist.json)",
    "backed-fi/cowswap-xstocks-tokenlist",
    "tokenlist.json",
    "v5.3.0 (2026-07-26)",
    "2026-07-26",
    ISSUER,
    "backed-fi/cowswap-xstocks-tokenlist",
)
# The issuer API's own Solana list, as a third party copied it; ID-1 passes a row only when the live API lists it.
SRC_SOLANA = Source(
    "xstocks-solana",
    "xStocks API via psyto/confide web/mints.json, cross-checked with DefiLlama-Adapters projects/xstocks/index.js",
    "psyto/confide",
    "web/mints.json (cross-checked with DefiLlama/DefiLlama-Adapters projects/xstocks/index.js)",
    "2026-09",
    "2026-09",
    ISSUER,
    "the xStocks API (api.xstocks.fi), copied by psyto/confide",
)
SRC_BACKED = Source(
    "backed-btokens",
    "DefiLlama-Adapters projects/backed/index.js; docs.backed.fi",
    "DefiLlama/DefiLlama-Adapters",
    "projects/backed/index.js; docs.backed.fi",
    "2026-09",
    "2026-09",
    ISSUER,
    "Backed (docs.backed.fi)",
)
SRC_ONDO = Source(
    "ondo-evm-list",
    "ondoprotocol/ondo-global-markets-token-list tokenlist.json v11.0.0",
    "ondoprotocol/ondo-global-markets-token-list",
    "tokenlist.json",
    "v11.0.0 (2026-07-22)",
    "2026-07-22",
    ISSUER,
    "ondoprotocol/ondo-global-markets-token-list",
)

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

# Ondo Global Markets: (underlying, name, ethereum, bnb). Their Solana mints, and every other Ondo
# token, come from the issuer's own lists in registries/ondo_global_markets.csv.
ONDO = {
    "AAPLon": (
        "AAPL",
        "Apple",
        "0x14c3abF95Cb9C93a8b82C1CdCB76D72Cb87b2d4c",
        "0x390a684EF9cADE28A7AD0DFa61AB1Eb3842618c4",
    ),
    "TSLAon": (
        "TSLA",
        "Tesla",
        "0xf6b1117ec07684D3958caD8BEb1b302bfD21103f",
        "0x2494b603319d4D9F9715c9f4496d9E0364B59d93",
    ),
    "NVDAon": (
        "NVDA",
        "NVIDIA",
        "0x2D1F7226Bd1F780AF6B9A49DCC0aE00E8Df4bDEE",
        "0xA9eE28C80f960B889dFbd1902055218cBa016F75",
    ),
    "SPYon": (
        "SPY",
        "SPDR S&P 500 ETF",
        "0xFeDC5f4a6c38211c1338aa411018DFAf26612c08",
        "0x6a708EAD771238919D85930b5a0f10454E1C331a",
    ),
    "QQQon": (
        "QQQ",
        "Invesco QQQ",
        "0x0e397938C1Aa0680954093495B70A9F5e2249aBa",
        "0x0cdE6936d305d5B34667fC46425E852efd73559a",
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


# The shared registries (tools/registry_sources/registries/, verbatim; provenance in the README).
REGISTRIES = "registries"
TOKEN_FILES = (
    "ondo_global_markets.csv",
    "ondo_global_markets_evm_withdrawn.csv",
    "xstocks_solana_extended.csv",
    "backpack_securities.csv",
    "securitize_stocks.csv",
    "prestocks.csv",
    "superstate_opening_bell.csv",
    "other_issuers.csv",
)
BASES = {"issuer": ISSUER, "issuer (withdrawn)": WITHDRAWN, "third-party": THIRD_PARTY}
# The `issuer` column of those files: registry key and the short name used where a source gives no token name.
ISSUER_KEYS = {
    "Ondo Global Markets": ("ondo", "Ondo Global Markets"),
    "Backed Finance (xStocks; Backed Assets (JE) Limited)": ("backed", "xStocks"),
    "Backpack Securities (token issuer of record: Trek Nexus Markets Ltd, BVI)": ("backpack", "Backpack Securities"),
    "Securitize Stocks (Convertible Entitlement Tokens; Securitize Markets, LLC)": ("securitize", "Securitize Stocks"),
    "PreStocks (no legal issuer named)": ("prestocks", "PreStocks"),
    "Superstate Opening Bell": ("superstate", "Superstate Opening Bell"),
    "Remora Markets (rStocks)": ("remora", "Remora Markets"),
    "Tessera": ("tessera", "Tessera"),
    "Shift": ("shift", "Shift"),
    "Robinhood (Stock Tokens, Robinhood Chain)": ("robinhood", "Robinhood"),
    'Coinbase tokenized stocks (Base, "B20")': ("coinbase", "Coinbase"),
}
# As-of dates the rows do not carry themselves (README.md): by source repository, then by file.
AS_OF = {
    "ondoprotocol/gm-solana-simulator": "2026-03-10 or later",  # the 443-entry version is newer than HEAD of that day
    "psyto/confide": "2026-09",  # built from the xStocks API in September 2026 (facts-onchain.md §1.1)
    "ondo_global_markets_evm_withdrawn.csv": "2026-07-22",  # absent from the issuer's list v11.0.0 of that day
}
DATE = re.compile(r"\d{4}-\d\d-\d\d")
EVM_HEX = re.compile(r"0x[0-9a-fA-F]{40}")
# Product words after a company's name in token names: the rest names the underlying.
NAME_SUFFIXES = (
    " xStock",
    " (Ondo Tokenized)",
    " PreStocks",
    " (tokenized registered common stock)",
    " (Coinbase Tokenized Stocks)",
)


class Row(NamedTuple):
    """One line of a registries/ file."""

    file: str
    line: int
    fields: dict[str, str]


class Builder:
    """The tokens being built, keyed by (issuer, symbol, basis), and every (chain, address) already bundled."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.tokens: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.listed: dict[tuple[str, str], str] = {}  # (chain, address key) → the token symbol that has it
        self.sources: dict[str, Source] = {}
        self.say = say

    def token(
        self, symbol: str, name: str, issuer: str, basis: str, underlying: dict[str, object], api: str | None = None
    ) -> dict[str, Any]:
        return self.tokens.setdefault(
            (issuer, symbol, basis),
            {
                "symbol": symbol,
                "name": name,
                "issuer": issuer,
                "isin": KNOWN_ISINS.get(symbol) if basis == ISSUER else None,
                "underlying": underlying,
                "issuer_api": api,  # the live API that lists this token, if any
                "deployments": [],
            },
        )

    def add(self, token: dict[str, Any], chain: str, address: str, decimals: int | None, source: Source) -> bool:
        """Add a deployment unless its address is already bundled on that chain (the first source wins)."""
        key = (chain, address.lower() if address.startswith("0x") else address)
        if key in self.listed:
            if self.listed[key] != token["symbol"]:
                self.say(
                    f"{address} on {chain}: {source.listed_by} calls it {token['symbol']}, kept as {self.listed[key]}"
                )
            return False
        self.listed[key] = token["symbol"]
        self.sources.setdefault(source.key, source)
        token["deployments"].append(deployment(chain, address, decimals, source))
        return True

    def source(self, row: Row) -> Source:
        """The source of a registries/ row; one key per distinct source within a file (``file.n``)."""
        f = row.fields
        basis = BASES[f["basis"]]
        if basis == WITHDRAWN:  # the notes say when it entered and left the issuer's list
            detail = f["notes"].removeprefix("NOT OFFICIAL NOW: ")
            text = f"{f['source_repo']}: {f['source_path']}, {detail}"
        else:
            detail = f["source_commit_or_date"]
            text = f"{f['source_repo']}: {f['source_path']} @ {detail}"
        stem = row.file.removesuffix(".csv")
        same = [s for s in self.sources.values() if s.key.startswith(f"{stem}.")]
        known = next((s for s in same if s.text == text), None)
        key = known.key if known else f"{stem}.{len(same) + 1}"
        return Source(key, text, f["source_repo"], f["source_path"], detail, _as_of(row), basis, f["source_repo"])


def deployment(chain: str, address: str, decimals: int | None, source: Source) -> dict[str, object]:
    """A registry row: its source's text, date and who lists it are in the ``sources`` table under its key."""
    if address.startswith("0x"):
        address = to_checksum_address(address)
    return {
        "chain": chain,
        "address": address,
        "decimals": decimals,  # null: the source does not say; the chain does
        "basis": source.basis,
        "source_id": source.key,
    }


def xstock_underlying(symbol: str, name: str) -> dict[str, object]:
    return {
        "symbol": symbol[:-1],
        "name": name.removesuffix(" xStock"),
        "isin": None,
        "symbol_source": "derived: xStocks symbol = US ticker + 'x' (facts-onchain.md §1.2)",
    }


def add_bundled_tables(b: Builder, sources: Path) -> None:
    """The rows Backcheck shipped before the shared registries: xStocks, bTokens and five Ondo tokens."""
    with (sources / "xstocks" / "core_solana_evm.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            t = b.token(
                row["symbol"], row["name"], "backed", ISSUER, xstock_underlying(row["symbol"], row["name"]), "xstocks"
            )
            b.add(t, "solana", row["solana_mint"], int(row["solana_decimals"]), SRC_SOLANA)
    for symbol, (name, mint) in EXTRA_SOLANA.items():
        t = b.token(symbol, name, "backed", ISSUER, xstock_underlying(symbol, name), "xstocks")
        b.add(t, "solana", mint, 8, SRC_SOLANA)
    with (sources / "xstocks" / "evm_tokenlist_v5.3.0.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            chain = CHAIN_KEYS[int(row["chain_id"])]
            t = b.token(
                row["symbol"], row["name"], "backed", ISSUER, xstock_underlying(row["symbol"], row["name"]), "xstocks"
            )
            b.add(t, chain, row["address"], int(row["decimals"]), SRC_EVM_LIST)
    for symbol, (ticker, uname, address, chains) in BTOKENS.items():
        under = {"symbol": ticker, "name": uname, "isin": None, "symbol_source": SRC_BACKED.text}
        t = b.token(symbol, f"Backed {uname}", "backed", ISSUER, under)
        for chain in chains:
            b.add(t, chain, address, 18, SRC_BACKED)
    for symbol, chain, address in BTOKEN_EXTRA:
        b.add(b.tokens[("backed", symbol, ISSUER)], chain, address, 18, SRC_BACKED)
    for symbol, (ticker, uname, eth, bnb) in ONDO.items():
        under = {"symbol": ticker, "name": uname, "isin": None, "symbol_source": SRC_ONDO.text}
        t = b.token(symbol, f"{uname} (Ondo Tokenized)", "ondo", ISSUER, under)
        b.add(t, "ethereum", eth, 18, SRC_ONDO)
        b.add(t, "bnb", bnb, 18, SRC_ONDO)


def registry_rows(sources: Path) -> list[Row]:
    """Every row of the shared registries, the issuers' own rows first (the first source of an address wins)."""
    rows = []
    for name in TOKEN_FILES:
        with (sources / REGISTRIES / name).open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            rows += [Row(name, reader.line_num, fields) for fields in reader]
    return sorted(rows, key=lambda r: RANK[BASES[r.fields["basis"]]])


def add_registry_row(b: Builder, row: Row) -> str:
    """Bundle one row of the shared registries; return what became of it."""
    f = row.fields
    chain = _chain(f)
    if chain is None:
        return f"on {f['chain']} (not a chain Backcheck reads)"
    if not f["symbol"]:
        return "without a token symbol"
    try:
        address = _address(f["address"], chain)
    except BadInput as exc:
        b.say(f"{row.file} line {row.line}: rejected {f['symbol']} on {chain}: {exc}")
        return "rejected: not an address"
    issuer, brand = ISSUER_KEYS[f["issuer"]]
    source = b.source(row)
    under = "" if f["underlying_symbol"].startswith("(") else f["underlying_symbol"]  # "(private company)"
    underlying = {
        "symbol": under,
        "name": _company(f["name"]) or under or f["symbol"],
        "isin": f["underlying_isin"] or None,
        "symbol_source": f"{REGISTRIES}/{row.file}: underlying_symbol",
    }
    name = f["name"] or f"{under or f['symbol']} ({brand})"
    token = b.token(f["symbol"], name, issuer, source.basis, underlying, "xstocks" if issuer == "backed" else None)
    decimals = int(f["decimals"]) if f["decimals"] else None
    return "bundled" if b.add(token, chain, address, decimals, source) else "already listed"


def _chain(fields: dict[str, str]) -> str | None:
    """The chain's key, or None for a chain Backcheck does not read (core/chains.py)."""
    if fields["chain_id"]:
        chain = chain_by_id(int(fields["chain_id"]))
        return chain.key if chain else None
    try:
        return chain_by_key(fields["chain"]).key  # Solana: the one chain without an id
    except BadInput:
        return None


def _address(text: str, chain: str) -> str:
    """The address, if it is one: 0x + 40 hex digits (EVM, returned checksummed) or 32 bytes of base58.

    Raises:
        BadInput: It is not an address of this chain's kind.
    """
    if text != text.strip():
        raise BadInput(f"{text!r} has spaces around the address.")
    if chain_by_key(chain).kind == "solana":
        return normalize_solana(text)
    if not EVM_HEX.fullmatch(text):
        raise BadInput(f"{text!r} is not an EVM address: it must be 0x followed by 40 hexadecimal digits.")
    # The issuer's own list writes some addresses in a case that is not EIP-55; the digits are the address.
    return to_checksum_address(text)


def _as_of(row: Row) -> str:
    f = row.fields
    given = AS_OF.get(f["source_repo"]) or AS_OF.get(row.file)
    if given:
        return given
    found = DATE.search(f["source_commit_or_date"]) or DATE.search(f["source_path"])
    if found is None:
        raise SystemExit(f"{row.file} line {row.line}: the source gives no date; add one to AS_OF.")
    return found.group()


def _company(name: str) -> str:
    for suffix in NAME_SUFFIXES:
        name = name.removesuffix(suffix)
    return name


def build(sources: Path = SOURCES, say: Callable[[str], None] = print) -> dict[str, Any]:
    """The registry document; ``say`` hears every refused row and what became of each file's rows."""
    b = Builder(say)
    add_bundled_tables(b, sources)
    fates: dict[str, Counter[str]] = {name: Counter() for name in TOKEN_FILES}
    for row in registry_rows(sources):
        fates[row.file][add_registry_row(b, row)] += 1
    for name, fate in fates.items():
        say(f"{name}: {sum(fate.values())} rows: " + ", ".join(f"{n} {what}" for what, n in sorted(fate.items())))
    tokens = [t for t in b.tokens.values() if t["deployments"]]
    used = {t["issuer"] for t in tokens}
    issuers = ISSUERS | {
        key: {"name": column, "brand": brand, "registry_api": None, "name_source": "issuer column of the registries"}
        for column, (key, brand) in ISSUER_KEYS.items()
        if key not in ISSUERS
    }
    return {
        "schema": "backcheck.registry/1",
        "built_by": "tools/build_registry.py",
        "issuers": {key: issuer for key, issuer in issuers.items() if key in used},
        "sources": {
            key: {
                "source": s.text,
                "repo": s.repo,
                "path": s.path,
                "commit_or_date": s.commit_or_date,
                "as_of": s.as_of,
                "basis": s.basis,
                "listed_by": s.listed_by,
            }
            for key, s in b.sources.items()
        },
        "tokens": sorted(tokens, key=lambda t: (str(t["symbol"]).lower(), t["issuer"], _rank(t))),
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


def _rank(token: dict[str, Any]) -> int:
    return RANK[token["deployments"][0]["basis"]]


def main() -> None:
    doc = build(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCES)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    bases = Counter(str(d["basis"]) for t in doc["tokens"] for d in t["deployments"])
    print(
        f"wrote {OUT.relative_to(ROOT)}: {len(doc['tokens'])} tokens, {sum(bases.values())} deployments "
        f"({', '.join(f'{n} {basis}' for basis, n in sorted(bases.items()))})"
    )


if __name__ == "__main__":
    main()
