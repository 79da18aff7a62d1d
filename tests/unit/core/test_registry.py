import json
from pathlib import Path

import pytest

from backcheck.core.chains import chain_by_key
from backcheck.core.errors import BadInput
from backcheck.core.registry import Registry

AAPLX_EVM = "0x9d275685dc284c8eb1c79f6aba7a63dc75ec890a"
AAPLX_SOL = "XsbEhLAtcf6HdfpFZ5xEMdqW8nfAvcsP5bdudRLJzJp"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


def test_every_row_carries_source_and_as_of(registry):
    rows = [d for t in registry.tokens for d in t.deployments]
    assert len(rows) > 2800
    assert all(d.source and d.as_of for d in rows)


def test_underlying_ticker_finds_every_issuer(registry):
    symbols = {c.token.symbol for c in registry.search("AAPL")}
    assert {"AAPLx", "AAPLon"} <= symbols


def test_token_symbol_on_one_chain(registry):
    found = registry.search("aaplx", chain_by_key("ethereum"))
    assert [(c.token.symbol, c.deployment.address.lower()) for c in found] == [("AAPLx", AAPLX_EVM)]
    assert found[0].token.issuer_name == "Backed Assets (JE) Limited"


def test_xstock_is_on_seven_evm_chains_and_solana(registry):
    chains = {c.deployment.chain.key for c in registry.search("AAPLx")}
    assert chains == {"ethereum", "bnb", "xlayer", "hyperevm", "mantle", "arbitrum", "ink", "solana"}


def test_name_search(registry):
    assert "NVDAx" in {c.token.symbol for c in registry.search("nvidia")}


def test_isin_search(registry):
    assert {c.token.symbol for c in registry.search("CH1436219195")} == {"NVDAx"}


def test_address_search_ignores_hex_case(registry):
    rows = registry.search(AAPLX_EVM.upper().replace("0X", "0x"))
    assert len(rows) == 7
    assert {c.token.symbol for c in rows} == {"AAPLx"}


def test_solana_mint_search(registry):
    (row,) = registry.search(AAPLX_SOL)
    assert (row.token.symbol, row.deployment.chain.key, row.deployment.decimals) == ("AAPLx", "solana", 8)


def test_unknown_query_finds_nothing(registry):
    assert registry.search("QQQQZZ") == []
    assert registry.search("   ") == []


def test_results_grouped_by_underlying_then_issuer_then_chain(registry):
    found = registry.search("Tesla")
    keys = [(c.token.underlying.symbol, c.token.issuer_key, c.token.symbol, c.deployment.chain.key) for c in found]
    assert keys == sorted(keys)


def test_system_wallet_labels(registry):
    assert "inventory" in registry.label("0x5f7a4c11bde4f218f0025ef444c369d838ffa2ad").lower()
    assert registry.label("0x0000000000000000000000000000000000000001") is None


def test_overlay_adds_unverified_token(tmp_path: Path):
    overlay = tmp_path / "mine.json"
    overlay.write_text(
        json.dumps(
            {
                "tokens": [
                    {
                        "symbol": "MYTKx",
                        "name": "My Token",
                        "underlying": {"symbol": "MYTK"},
                        "deployments": [
                            {
                                "chain": "ethereum",
                                "address": "0x1111111111111111111111111111111111111111",
                                "decimals": 18,
                            }
                        ],
                    }
                ]
            }
        )
    )
    registry = Registry.load(overlay)
    (row,) = registry.search("MYTKx")
    assert row.token.official is None
    assert row.deployment.source == f"user overlay {overlay}"
    assert row.token.issuer_name == "user-added (not verified)"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"tokens": [{"symbol": "X"}]}', "documented format"),
        (
            '{"tokens": [{"symbol": "X", "name": "X", "deployments": [{"chain": "moon", "address": "0x1", "decimals": 1}]}]}',
            "Unknown chain",
        ),
    ],
)
def test_bad_overlay_is_a_clear_message(tmp_path: Path, content: str, message: str):
    overlay = tmp_path / "bad.json"
    overlay.write_text(content)
    with pytest.raises(BadInput, match=message):
        Registry.load(overlay)


def test_missing_overlay(tmp_path: Path):
    with pytest.raises(BadInput, match="does not exist"):
        Registry.load(tmp_path / "nope.json")


def test_bundled_registry_matches_its_build_script():
    """The committed snapshot is exactly what tools/build_registry.py makes from tools/registry_sources/."""
    import importlib.util

    root = Path(__file__).resolve().parents[3]
    spec = importlib.util.spec_from_file_location("build_registry", root / "tools" / "build_registry.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert root / "tools" / "registry_sources" == module.SOURCES  # the sources live inside the clone
    bundled = json.loads((root / "resources" / "registry" / "registry.json").read_text())
    assert module.build() == bundled
