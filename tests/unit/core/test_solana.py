import asyncio
from decimal import Decimal

import pytest

from backcheck.core.adapters.solana import SolanaReader, ui_amount
from backcheck.core.errors import BadInput
from backcheck.core.http import Http
from backcheck.core.lookup import inspect, resolve
from backcheck.core.registry import Registry
from backcheck.core.settings import Settings
from tests.helpers.loopback_server import Reply
from tests.helpers.nvdax import setup_nvdax
from tests.helpers.solana_rpc import (
    BACKED_AUTHORITY,
    FREEZE_AUTHORITY,
    INVENTORY_OWNER,
    MINT_AUTHORITY,
    NVDAX,
    SYSTEM_PROGRAM,
    nvdax_holders,
    nvdax_mint,
    pubkey,
    token_account,
)

REGISTRY = Registry.load()


def read(url: str, mint: str = NVDAX, **http_args):
    async def go():
        http = Http(**{"timeout": 2, "retries": 1, **http_args})
        try:
            return await SolanaReader(http, url, REGISTRY.label).read(mint)
        finally:
            await http.aclose()

    return asyncio.run(go())


def test_passed_effective_time_makes_the_new_multiplier_current(nvdax):
    rpc, _ = nvdax
    facts = read(rpc.url)
    assert facts["multiplier"].value == Decimal("1.001701196801074")
    assert facts["multiplier_stored"].value == Decimal("1.0009180758490996")
    assert facts["multiplier_pending"].value == "none"
    # UI supply = raw × effective multiplier, and agrees with the node's own UI amount.
    assert facts["total_supply"].value == Decimal("321821.29653478")
    assert facts["total_supply_rpc_ui"].value == facts["total_supply"].value
    assert facts["total_supply"].block == 449660471


def test_pending_change_is_reported_with_its_time(solana_rpc, xstocks_api):
    setup_nvdax(solana_rpc, xstocks_api, pending=True)
    facts = read(solana_rpc.url)
    assert facts["multiplier"].value == Decimal("1.001701196801074")
    assert facts["multiplier_pending"].value == Decimal("1.0025")
    assert facts["multiplier_pending_at"].value.endswith("Z")


def test_every_authority_and_extension(nvdax):
    rpc, _ = nvdax
    facts = read(rpc.url)
    expected = {
        "token_program": "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb",
        "decimals": 8,
        "mint_authority": MINT_AUTHORITY,
        "freeze_authority": FREEZE_AUTHORITY,
        "permanent_delegate": BACKED_AUTHORITY,
        "pause_authority": FREEZE_AUTHORITY,
        "paused": False,
        "default_account_state": "initialized",
        "transfer_hook_program": "none",
        "transfer_hook_authority": BACKED_AUTHORITY,
        "multiplier_authority": INVENTORY_OWNER,
        "confidential_transfers": "enabled, new accounts need approval",
        "metadata_pointer": NVDAX,
        "metadata_update_authority": BACKED_AUTHORITY,
        "token_symbol": "NVDAx",
        "transfer_fee": Decimal(0),
        "mint_close_authority": "none",
        "metadata_uri": "https://xstocks-metadata.backed.fi/tokens/Solana/NVDAx/metadata.json",
    }
    assert {k: facts[k].value for k in expected} == expected
    assert facts["extensions"].value == sorted(
        [
            "confidentialTransferMint",
            "defaultAccountState",
            "metadataPointer",
            "pausableConfig",
            "permanentDelegate",
            "scaledUiAmountConfig",
            "tokenMetadata",
            "transferHook",
        ]
    )
    assert "extensions_unrecognised" not in facts
    assert '"jsonParsed"' in facts["mint_authority"].method


def test_an_unknown_extension_is_kept_raw(solana_rpc):
    odd = {"extension": "unparseableExtension"}
    solana_rpc.accounts[NVDAX] = nvdax_mint(extra_extensions=[odd])
    facts = read(solana_rpc.url)
    assert facts["extensions_unrecognised"].value == [odd]


def test_top_holders_with_the_issuer_inventory_labelled(nvdax):
    rpc, _ = nvdax
    facts = read(rpc.url)
    holders = facts["holders"].value
    assert len(holders) == 20  # the RPC lists at most 20
    assert holders[0]["owner"] == INVENTORY_OWNER
    assert "inventory" in holders[0]["label"].lower()
    assert holders[0]["share_of_float"] is None
    m = Decimal("1.001701196801074")
    inventory = ui_amount(25_000_000_000_000, 8, m)
    float_ = ui_amount(32_127_474_496_638, 8, m) - inventory
    assert facts["issuer_inventory"].value == inventory
    assert facts["float"].value == float_
    assert facts["holders_top1_share"].value == (ui_amount(2_000_000_000_000, 8, m) / float_).quantize(
        Decimal("0.000001")
    )
    assert facts["holders_nakamoto"].value == 3  # 20,000 + 12,000 + 9,000 > half of 71,274.7
    assert not facts["holders_count"].known


def test_two_round_trips(nvdax):
    rpc, _ = nvdax
    read(rpc.url)
    assert rpc.calls == [
        ["getAccountInfo", "getTokenSupply", "getTokenLargestAccounts"],
        ["getMultipleAccounts"],
    ]


def test_classic_spl_mint_without_extensions(solana_rpc):
    mint = pubkey("classic-mint")
    account = nvdax_mint()
    account["owner"] = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
    account["data"]["program"] = "spl-token"
    account["data"]["parsed"]["info"]["extensions"] = []
    account["data"]["parsed"]["info"]["supply"] = "500000000"
    solana_rpc.accounts[mint] = account
    solana_rpc.accounts[pubkey("a")] = token_account(mint, pubkey("o"), 500000000)
    facts = read(solana_rpc.url, mint)
    assert facts["multiplier"].value == 1
    assert facts["total_supply"].value == Decimal(5)
    assert facts["permanent_delegate"].value == "none"


def test_no_account_is_a_clear_message(solana_rpc):
    with pytest.raises(BadInput, match="No account exists at .* on Solana"):
        read(solana_rpc.url, pubkey("nothing-here"))


def test_token_account_instead_of_a_mint(nvdax):
    rpc, _ = nvdax
    account = next(a for a in rpc.accounts if a != NVDAX)
    with pytest.raises(BadInput, match=f"is a token account .* its mint is {NVDAX}"):
        read(rpc.url, account)


def test_account_of_another_program(solana_rpc):
    wallet = pubkey("a-wallet")
    solana_rpc.accounts[wallet] = {
        "data": ["", "base64"],
        "executable": False,
        "lamports": 1,
        "owner": SYSTEM_PROGRAM,
        "rentEpoch": 0,
        "space": 0,
    }
    with pytest.raises(BadInput, match=f"not a token mint: the account belongs to program {SYSTEM_PROGRAM}"):
        read(solana_rpc.url, wallet)


def test_invalid_base58_is_refused_before_any_request(solana_rpc):
    with pytest.raises(BadInput, match="not base58"):
        resolve(REGISTRY, "Xsc9qvGR1efVDFGLrVsmkzv3qi45LTBjeUKSPmx9qE0", "solana")
    assert solana_rpc.calls == []


def test_429_is_retried_within_the_bound(nvdax):
    rpc, _ = nvdax
    hits = []

    def limited(request):
        hits.append(1)
        return (
            Reply({"jsonrpc": "2.0", "error": {"code": 429}}, status=429, headers={"Retry-After": "0"})
            if len(hits) == 1
            else None
        )

    rpc.fault = limited
    assert read(rpc.url)["total_supply"].known
    assert len(rpc.calls) == 3  # the refused batch, its retry, then the owners


def inspect_nvdax(rpc_url: str, api_url: str, **http_args):
    settings = Settings.load()
    settings.override("rpc.solana", rpc_url)
    settings.override("api.xstocks", api_url)

    async def go():
        http = Http(**{"timeout": 0.5, "retries": 1, **http_args})
        try:
            return await inspect(resolve(REGISTRY, "NVDAx", "solana"), settings, http, REGISTRY)
        finally:
            await http.aclose()

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (lambda r: Reply({}, status=429, headers={"Retry-After": "0"}), "HTTP 429 (rate limit reached)"),
        (lambda r: Reply({}, delay=2.0), "did not answer within 0.5 s (2 attempts)"),
        (lambda r: Reply(raw=b"{truncated"), "not valid JSON"),
    ],
)
def test_rpc_faults_make_chain_facts_unknown_with_reason(nvdax, fault, reason):
    rpc, api = nvdax
    rpc.fault = fault
    result = inspect_nvdax(rpc.url, api.url)
    assert reason in result.facts["total_supply"].error
    assert result.facts["total_supply"].value is None
    assert result.sources[0].state == "failed"
    # The issuer's API is another source: its facts are still read.
    assert result.facts["reserves_coverage"].known
    assert result.reached_any_source


def test_largest_accounts_refused_leaves_the_rest_known(nvdax):
    rpc, _ = nvdax
    rpc.errors["getTokenLargestAccounts"] = (-32010, "Too many requests for a specific RPC call")
    facts = read(rpc.url)
    assert facts["total_supply"].known
    assert not facts["holders_top1_share"].known
    assert "Too many requests" in facts["holders_top1_share"].error


def test_holders_module_data_matches_the_fixture():
    """The fixture's accounts add up to the mint's supply (so float figures are meaningful)."""
    total = sum(int(a["data"]["parsed"]["info"]["tokenAmount"]["amount"]) for a in nvdax_holders().values())
    assert total == int(nvdax_mint()["data"]["parsed"]["info"]["supply"])
