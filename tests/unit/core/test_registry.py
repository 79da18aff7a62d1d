import json
import shutil
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from backcheck.core.chains import CHAINS, chain_by_key
from backcheck.core.errors import BadInput
from backcheck.core.registry import OverlayRefused, Registry
from tests.helpers.paths import ROOT

AAPLX_EVM = "0x9d275685dc284c8eb1c79f6aba7a63dc75ec890a"
AAPLX_SOL = "XsbEhLAtcf6HdfpFZ5xEMdqW8nfAvcsP5bdudRLJzJp"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


def test_every_row_carries_source_and_as_of(registry):
    rows = [d for t in registry.tokens for d in t.deployments]
    assert len(rows) > 2800
    assert all(d.source and d.as_of for d in rows)


def test_every_row_carries_its_basis_and_who_lists_it(registry):
    rows = [d for t in registry.tokens for d in t.deployments]
    assert {d.basis for d in rows} == {"issuer", "third-party", "withdrawn"}
    assert all(d.listed_by and d.source and d.as_of for d in rows)
    assert all(d.decimals is None or 0 <= d.decimals <= 36 for d in rows)  # None: the source does not say


def test_every_bundled_row_names_its_source_and_basis():
    """registry.json: each row has its basis and a source whose repo, path, commit or date and as-of are given."""
    doc = json.loads((ROOT / "resources" / "registry" / "registry.json").read_text())
    for token in doc["tokens"]:
        assert token["issuer"] in doc["issuers"]
        for row in token["deployments"]:
            assert row.keys() == {"chain", "address", "decimals", "basis", "source_id"}
            source = doc["sources"][row["source_id"]]
            assert all(source[key] for key in ("source", "repo", "path", "commit_or_date", "as_of", "listed_by"))
            assert row["basis"] == source["basis"]


def test_only_the_issuers_own_list_makes_a_row_official(registry):
    """Every row of the bundled registry: third-party never official, withdrawn not official."""
    official = {"issuer": True, "third-party": None, "withdrawn": False}
    for token in registry.tokens:
        assert {official[d.basis] for d in token.deployments} == {token.official}, token.symbol
    bases = {(d.basis, t.official) for t in registry.tokens for d in t.deployments}
    assert bases == {("issuer", True), ("third-party", None), ("withdrawn", False)}


def test_one_address_is_one_row(registry):
    keys = [(d.chain.key, d.key) for t in registry.tokens for d in t.deployments]
    assert len(keys) == len(set(keys))


def test_a_lazy_search_answers_like_built_tokens(registry):
    """The snapshot builds tokens only when asked; its answers equal those of tokens built up front."""
    lazy = Registry.load()
    built = Registry(registry.tokens, registry.system_wallets, registry.issuers.values(), registry.reserve_feeds)
    for query in ("AAPL", "apple", "CH1436219195", AAPLX_EVM, AAPLX_SOL, "MU", "ULon", "MSTR", "zz"):
        assert lazy.search(query) == built.search(query), query
    assert lazy.by_address(AAPLX_EVM) == built.by_address(AAPLX_EVM)
    assert lazy.symbols() == built.symbols()
    assert lazy.tokens == built.tokens


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


def overlay_doc(**deployment) -> dict:
    """A valid one-token overlay whose deployment fields can be replaced (``None`` values are kept)."""
    row = {"chain": "ethereum", "address": "0x1111111111111111111111111111111111111111", "decimals": 18}
    return {"tokens": [{"symbol": "MYTKx", "name": "My Token", "deployments": [row | deployment]}]}


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Overlays are named as a person gives them: a relative path (messages quote it as given)."""
    monkeypatch.chdir(tmp_path)


def refused(tmp_path: Path, content: str | bytes, name: str = "overlay.json") -> OverlayRefused:
    overlay = Path(name)
    overlay.write_bytes(content.encode() if isinstance(content, str) else content)
    with pytest.raises(OverlayRefused) as caught:
        Registry.load(overlay)
    return caught.value


DEPLOYMENT = "overlay.json: tokens[0].deployments[0]"
VALID_ROWS = overlay_doc()["tokens"][0]["deployments"]
CHAIN_KEYS = ", ".join(c.key for c in CHAINS)


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        # Every hostile overlay of issue 9: one sentence with the place in the file.
        (overlay_doc(chain=5), f"{DEPLOYMENT}.chain: 5 is not a chain key ({CHAIN_KEYS})."),
        (overlay_doc(chain=None), f"{DEPLOYMENT}.chain: null is not a chain key ({CHAIN_KEYS})."),
        (overlay_doc(chain=["ethereum"]), f"{DEPLOYMENT}.chain: a list is not a chain key ({CHAIN_KEYS})."),
        (overlay_doc(chain="eth"), f'{DEPLOYMENT}.chain: "eth" is not a chain key ({CHAIN_KEYS}).'),
        (
            json.dumps(overlay_doc()).replace(": 18", ": 1e400"),
            f"{DEPLOYMENT}.decimals: 1E+400 is not a whole number from 0 to 36.",
        ),
        (overlay_doc(decimals=-1), f"{DEPLOYMENT}.decimals: -1 is not a whole number from 0 to 36."),
        (overlay_doc(decimals=18.7), f"{DEPLOYMENT}.decimals: 18.7 is not a whole number from 0 to 36."),
        (overlay_doc(decimals=True), f"{DEPLOYMENT}.decimals: true is not a whole number from 0 to 36."),
        (overlay_doc(decimals=10**30), f"{DEPLOYMENT}.decimals: {10**30} is not a whole number from 0 to 36."),
        (overlay_doc(decimals="18"), f'{DEPLOYMENT}.decimals: "18" is not a whole number from 0 to 36.'),
        (overlay_doc(address=None), f"{DEPLOYMENT}.address: null is not an address written as text."),
        (overlay_doc(address=7), f"{DEPLOYMENT}.address: 7 is not an address written as text."),
        (
            overlay_doc(address="0x123"),
            f"{DEPLOYMENT}.address: '0x123' is not an EVM address: it must be 0x followed by 40 hexadecimal digits.",
        ),
        (
            overlay_doc(address="0x9D275685dc284c8eb1c79f6aba7a63dc75ec890a"),
            f"{DEPLOYMENT}.address: 0x9D275685dc284c8eb1c79f6aba7a63dc75ec890a has an invalid EIP-55 checksum",
        ),
        (
            overlay_doc(address=" 0x1111111111111111111111111111111111111111"),
            f'{DEPLOYMENT}.address: " 0x1111111111111111111111111111111111111111" has spaces around the address',
        ),
        (
            overlay_doc(chain="solana"),
            f"{DEPLOYMENT}.address: '0x1111111111111111111111111111111111111111' is not a Solana address",
        ),
        (
            overlay_doc(chain="solana", address="1111"),
            f"{DEPLOYMENT}.address: '1111' is not a Solana address: it does not decode to 32 bytes.",
        ),
        (overlay_doc(address=AAPLX_SOL), f"{DEPLOYMENT}.address: '{AAPLX_SOL}' is not an EVM address"),
        (overlay_doc(address="1" * 100_000), f'{DEPLOYMENT}.address: "{"1" * 50}…" is far longer than any address.'),
        (overlay_doc(as_of="yesterday"), f'{DEPLOYMENT}.as_of: "yesterday" is not a date written YYYY-MM-DD.'),
        (
            overlay_doc(source="the issuer"),
            f'{DEPLOYMENT}: "source" is not a field of this format (its fields: chain, address, decimals, as_of).',
        ),
        (
            {"tokens": [{"symbol": "X", "name": "X", "deployments": []}]},
            "overlay.json: tokens[0].deployments: lists 0 items, but takes at least 1.",
        ),
        (
            {"tokens": [{"symbol": 5, "name": "X", "deployments": VALID_ROWS}]},
            "overlay.json: tokens[0].symbol: 5 is not a token symbol: 1 to 32 printable characters, no spaces around them.",
        ),
        (
            {"tokens": [{"symbol": "X", "name": "a\u202eb\n", "deployments": VALID_ROWS}]},
            r'overlay.json: tokens[0].name: "a\u202eb\n" is not a token name: 1 to 128 printable characters',
        ),
        (
            {"tokens": [{"symbol": "X", "name": "X", "deployments": {}}]},
            "overlay.json: tokens[0].deployments: an object is not a list of deployments.",
        ),
        (
            {"tokens": [{"symbol": "X", "name": "X", "deployments": ["ethereum"]}]},
            'overlay.json: tokens[0].deployments[0]: "ethereum" is not a deployment: an object with chain, address and decimals.',
        ),
        (
            {"tokens": [{"symbol": "X", "deployments": VALID_ROWS}]},
            'overlay.json: tokens[0]: the field "name" must be given.',
        ),
        ({"tokens": {}}, "overlay.json: tokens: an object is not a list of tokens."),
        ([], 'overlay.json: the top level: a list is not an object with a "tokens" list.'),
        (
            {
                "tokens": [
                    {
                        "symbol": "X",
                        "name": "X",
                        "underlying": {"symbol": "X", "isin": "US0378331005\n"},
                        "deployments": VALID_ROWS,
                    }
                ]
            },
            r'overlay.json: tokens[0].underlying.isin: "US0378331005\n" is not an ISIN',
        ),
        (
            {"tokens": [overlay_doc()["tokens"][0] | {"deployments": overlay_doc()["tokens"][0]["deployments"] * 2}]},
            'overlay.json: tokens[0].deployments[1].chain: "ethereum" is listed twice for this token; give one address per chain.',
        ),
        # The file as a whole.
        ("", "Registry overlay overlay.json is empty."),
        (" \n", "Registry overlay overlay.json is empty."),
        (b'{"tokens": [\xff]}', "Registry overlay overlay.json is not UTF-8 text (byte 13 cannot be read)."),
        (
            "[" * 100_000 + "]" * 100_000,
            "Registry overlay overlay.json is nested 100,000 levels deep, but this format needs only 5.",
        ),
        (
            "{not json",
            "Registry overlay overlay.json is not valid JSON (Expecting property name enclosed in double quotes at line 1, column 2).",
        ),
        ('{"tokens": NaN}', "Registry overlay overlay.json holds NaN, which is not a JSON number."),
        ('{"tokens": [-Infinity]}', "Registry overlay overlay.json holds -Infinity, which is not a JSON number."),
        (
            '{"tokens": 1e99999999999999999999}',
            "Registry overlay overlay.json holds the number 1e99999999999999999999, which is beyond",
        ),
        (
            '{"tokens": [], "tokens": []}',
            'Registry overlay overlay.json gives the key "tokens" twice in one object, so it can be read two ways.',
        ),
    ],
)
def test_a_bad_overlay_is_refused_with_one_sentence_saying_where(tmp_path: Path, content, sentence: str):
    text = content if isinstance(content, str | bytes) else json.dumps(content)
    error = refused(tmp_path, text)
    assert isinstance(error, BadInput) and error.exit_code == 2
    assert len(error.problems) == 1
    assert error.problems[0].startswith(sentence)
    assert str(error).isprintable() and str(error).endswith(".")


def test_several_problems_each_get_a_sentence_at_most_ten(tmp_path: Path):
    rows = [
        {"symbol": "X", "name": "X", "deployments": [{"chain": "ethereum", "address": "0x1", "decimals": n}]}
        for n in range(-30, 0)
    ]
    error = refused(tmp_path, json.dumps({"tokens": rows}))
    assert len(error.problems) == 10
    assert (
        error.problems[0]
        == "overlay.json: tokens[0].deployments[0].address: '0x1' is not an EVM address: it must be 0x followed by 40 hexadecimal digits."
    )
    assert (
        error.problems[1] == "overlay.json: tokens[0].deployments[0].decimals: -30 is not a whole number from 0 to 36."
    )
    assert str(error) == " ".join(error.problems)


def test_a_file_that_cannot_be_an_overlay(tmp_path: Path):
    assert refused(tmp_path, "x" * 2_000_001).problems == (
        "Registry overlay overlay.json is larger than 2,000,000 bytes, far more than this format takes.",
    )
    for path, sentence in [
        (tmp_path, f"Registry overlay {tmp_path} is a folder; give a JSON file."),
        (tmp_path / "nope.json", f"Registry overlay {tmp_path / 'nope.json'} does not exist."),
        (Path("/dev/null"), "Registry overlay /dev/null is not a regular file; give a JSON file."),
        (tmp_path / "a\nb.json", f"Registry overlay {str(tmp_path / 'a')!r}"[:-1]),
        (tmp_path / "x\0.json", "Registry overlay"),
    ]:
        with pytest.raises(OverlayRefused) as caught:
            Registry.load(path)
        assert str(caught.value).startswith(sentence) and str(caught.value).isprintable()


def test_an_overlay_path_that_cannot_be_read(tmp_path: Path):
    Path("file.json").write_text("{}")
    with pytest.raises(
        OverlayRefused, match=r"^Registry overlay file.json/x.json cannot be read \(Not a directory\)\.$"
    ):
        Registry.load(Path("file.json/x.json"))


def test_a_deep_overlay_is_refused_before_parsing_even_with_a_high_recursion_limit(tmp_path: Path):
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1_000_000)  # importing web3 sets 100,000: json would now crash the interpreter
    try:
        assert "nested 300,000 levels deep" in str(refused(tmp_path, '{"a":' * 300_000))
    finally:
        sys.setrecursionlimit(limit)


def test_overlay_numbers_are_read_exactly(tmp_path: Path):
    overlay = tmp_path / "mine.json"
    overlay.write_text(json.dumps(overlay_doc(decimals=18.0)).replace("18.0", "1.8e1"))
    (row,) = Registry.load(overlay).search("MYTKx")
    assert row.deployment.decimals == 18 and type(row.deployment.decimals) is int


def test_an_overlay_cannot_claim_another_source(tmp_path: Path):
    overlay = tmp_path / "mine.json"
    overlay.write_text(json.dumps(overlay_doc(chain="solana", address=AAPLX_SOL, decimals=8, as_of="2026-11-01")))
    (row,) = [c for c in Registry.load(overlay).search(AAPLX_SOL) if c.token.official is None]
    assert (row.deployment.source, row.deployment.as_of) == (f"user overlay {overlay}", "2026-11-01")


def test_the_documented_example_is_a_valid_overlay(tmp_path: Path):
    doc = (ROOT / "docs" / "registry-overlay.md").read_text()
    example = doc.split("```json\n", 1)[1].split("```", 1)[0]
    overlay = tmp_path / "example.json"
    overlay.write_text(example)
    assert [c.token.symbol for c in Registry.load(overlay).search("MYTKx")] == ["MYTKx"]


SCHEMA = json.loads((ROOT / "resources" / "schema" / "overlay.schema.json").read_text())


def test_the_overlay_schema_is_valid_and_follows_the_chains():
    Draft202012Validator.check_schema(SCHEMA)
    deployment = SCHEMA["$defs"]["deployment"]
    assert deployment["properties"]["chain"]["enum"] == [c.key for c in CHAINS]
    by_format = {
        rule["then"]["properties"]["address"]["format"]: rule["if"]["properties"]["chain"]["enum"]
        for rule in deployment["allOf"]
    }
    assert by_format == {
        "evm-address": [c.key for c in CHAINS if c.kind == "evm"],
        "solana-address": [c.key for c in CHAINS if c.kind == "solana"],
    }


def test_every_schema_node_a_value_can_fail_on_says_what_it_expects():
    """The loader's sentence is "… is not <description>": a node without one would say "valid here"."""
    checks = {"type", "enum", "const", "minimum", "maximum", "minLength", "maxLength", "pattern", "format"}

    def nodes(node, where="#"):
        if isinstance(node, dict):
            yield where, node
            for key, value in node.items():
                if key != "if":  # a condition: failing it is not an error
                    yield from nodes(value, f"{where}/{key}")
        elif isinstance(node, list):
            for n, value in enumerate(node):
                yield from nodes(value, f"{where}/{n}")

    for where, node in nodes(SCHEMA):
        address_format = node.keys() == {"format"} and node["format"].endswith("-address")  # says its own sentence
        if checks & node.keys() and not address_format:
            assert node.get("description"), where


@pytest.fixture(scope="module")
def build_script():
    """tools/build_registry.py as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_registry", ROOT / "tools" / "build_registry.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def said(build_script) -> list[str]:
    """What the build says about the committed sources."""
    lines: list[str] = []
    build_script.build(say=lines.append)
    return lines


def test_the_build_refuses_the_issuers_31_byte_mint_and_keeps_the_valid_one(said, registry):
    typo, valid = "7qy1j4Mechfyr6AST3djH4vk4kiEYC2cjEytXdondo", "7qy1j4Mechfyr6uAST3djH4vk4kiEYC2cjEytXdondo"
    assert (
        f"ondo_global_markets.csv line 1177: rejected ONDSon on solana: '{typo}' is not a Solana address: "
        "it does not decode to 32 bytes."
    ) in said
    assert registry.by_address(typo) == []
    ((token, row),) = registry.by_address(valid)
    assert (token.symbol, row.basis, row.listed_by, token.official) == (
        "ONDSon",
        "third-party",
        "DefiLlama/DefiLlama-Adapters",
        None,
    )


def test_the_build_counts_rows_it_does_not_bundle(said):
    assert "superstate_opening_bell.csv: 6 rows: 5 bundled, 1 on Linea (not a chain Backcheck reads)" in said
    # Robinhood Chain is read since issuer lists (docs/issuer-lists.md): its TSLA row is bundled.
    assert "other_issuers.csv: 12 rows: 6 bundled, 6 without a token symbol" in said


def test_the_build_refuses_an_evm_address_that_is_not_one(tmp_path: Path, build_script):
    sources = tmp_path / "sources"
    shutil.copytree(build_script.SOURCES, sources)
    listed = sources / "registries" / "other_issuers.csv"
    good = "0xb200000000000000000000C2e324d24d7eEcd1fb"
    listed.write_text(listed.read_text().replace(good, good[:-1]))
    lines: list[str] = []
    doc = build_script.build(sources, lines.append)
    assert (
        f"other_issuers.csv line 10: rejected AAPL on base: '{good[:-1]}' is not an EVM address: it must be 0x "
        "followed by 40 hexadecimal digits."
    ) in lines
    assert good[:-1].lower() not in json.dumps(doc).lower()


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


def test_where_two_lists_name_one_address_the_issuers_word_comes_first(tmp_path: Path):
    """An overlay (or a third party) naming an official or withdrawn address never outranks the issuer."""
    official = Registry.load().search("AAPLx", chain_by_key("ethereum"))[0].deployment.address
    withdrawn = next(d.address for t in Registry.load().tokens if t.official is False for d in t.deployments)
    for address, first in ((official, True), (withdrawn, False)):
        overlay = tmp_path / "mine.json"
        overlay.write_text(json.dumps(overlay_doc(address=address)))
        rows = Registry.load(overlay).by_address(address)
        flags = [token.official for token, _ in rows]  # AAPLx has one address on every EVM chain
        assert flags[0] is first and flags[-1] is None and flags.count(None) == 1
