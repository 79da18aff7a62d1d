import asyncio
import base64
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from backcheck.core.adapters.solana import AUTHORITIES, FEEDS, SolanaReader, metaplex_address, ui_amount
from backcheck.core.errors import BadInput, SourceError
from backcheck.core.facts import iso
from backcheck.core.http import Http
from backcheck.core.lookup import inspect, resolve
from backcheck.core.registry import Registry
from backcheck.core.settings import Settings
from tests.helpers.loopback_server import Reply
from tests.helpers.nvdax import setup_nvdax
from tests.helpers.solana_rpc import (
    BACKED_AUTHORITY,
    CLOCK_SYSVAR,
    DEVNET_GENESIS,
    FREEZE_AUTHORITY,
    INVENTORY_OWNER,
    MINT_AUTHORITY,
    NVDAX,
    SLOT,
    SYSTEM_PROGRAM,
    metaplex_account,
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
        [
            "getGenesisHash",
            "getAccountInfo",  # the Clock sysvar
            "getAccountInfo",  # the mint
            "getTokenSupply",
            "getTokenLargestAccounts",
            "getAccountInfo",  # the Metaplex metadata account (a classic mint's metadata)
        ],
        ["getMultipleAccounts"],
    ]


def classic_mint(rpc, mint: str):
    account = nvdax_mint()
    account["owner"] = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
    account["data"]["program"] = "spl-token"
    account["data"]["parsed"]["info"]["extensions"] = []
    account["data"]["parsed"]["info"]["supply"] = "500000000"
    rpc.accounts[mint] = account
    rpc.accounts[pubkey("a")] = token_account(mint, pubkey("o"), 500000000)


def test_classic_spl_mint_without_metadata(solana_rpc):
    mint = pubkey("classic-mint")
    classic_mint(solana_rpc, mint)
    facts = read(solana_rpc.url, mint)
    assert facts["multiplier"].value == 1
    assert facts["total_supply"].value == Decimal(5)
    assert facts["permanent_delegate"].value == "none"
    assert facts["multiplier_authority"].value == "none"
    # No tokenMetadata extension and no Metaplex account: unknown, never "none".
    assert not facts["metadata_update_authority"].known
    assert "no Metaplex metadata account" in facts["metadata_update_authority"].error
    assert set(FEEDS) - set(facts) == {"extensions_unrecognised", *(f"{a}_kind" for a in AUTHORITIES)} - {
        "mint_authority_kind",
        "freeze_authority_kind",
    }


def test_the_metaplex_address_is_the_real_one():
    """USDC's metadata account on mainnet (Solscan): the program-address derivation is right."""
    assert (
        metaplex_address("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v")
        == "5x38Kp4hvdomTCnCrAny4UtMUt5rQBdB6px2K1Ui45Wq"
    )


@pytest.mark.parametrize(("mutable", "creators"), [(True, 0), (True, 2), (False, 1)])
def test_classic_mint_metadata_comes_from_metaplex_in_the_first_batch(solana_rpc, mutable, creators):
    mint = pubkey("classic-mint")
    classic_mint(solana_rpc, mint)
    solana_rpc.accounts[metaplex_address(mint)] = metaplex_account(
        mint,
        MINT_AUTHORITY,
        name="Classic",
        symbol="CLS",
        uri="https://x.test/c.json",
        mutable=mutable,
        creators=creators,
    )
    facts = read(solana_rpc.url, mint)
    assert (facts["token_name"].value, facts["token_symbol"].value) == ("Classic", "CLS")
    assert facts["metadata_uri"].value == "https://x.test/c.json"
    expected = MINT_AUTHORITY if mutable else "none (the metadata is immutable)"
    assert facts["metadata_update_authority"].value == expected
    assert facts["metadata_update_authority"].block == SLOT
    assert ("metadata_update_authority_kind" in facts) == mutable
    assert len(solana_rpc.calls) == 2


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


# Keys a happy NVDAx read leaves out, and why: the mint has no unknown extension, and only
# authorities that are set get a "what is it" fact (NVDAx has no mint close authority).
NVDAX_CONDITIONAL = {"extensions_unrecognised"}


def test_a_read_writes_exactly_the_declared_facts(nvdax):
    rpc, _ = nvdax
    facts = read(rpc.url)
    assert set(facts) <= set(FEEDS), f"undeclared: {sorted(set(facts) - set(FEEDS))}"
    assert set(FEEDS) - set(facts) == NVDAX_CONDITIONAL


def test_a_mint_with_every_conditional_fact_writes_them(solana_rpc):
    solana_rpc.accounts[NVDAX] = nvdax_mint(extra_extensions=[{"extension": "unparseableExtension"}])
    solana_rpc.accounts.update(nvdax_holders())
    facts = read(solana_rpc.url)
    assert set(facts) == set(FEEDS)


def test_chain_time_is_the_clock_sysvar_at_its_slot(nvdax):
    rpc, _ = nvdax
    moment = int(time.time()) - 600  # a node ten minutes behind: its clock, not this computer's
    rpc.now = lambda: moment
    facts = read(rpc.url)
    assert facts["chain_time"].value == iso(datetime.fromtimestamp(moment, UTC))
    assert facts["chain_time"].block == SLOT
    assert CLOCK_SYSVAR in facts["chain_time"].method


@pytest.mark.parametrize(("chain_offset", "effective"), [(-1, False), (0, True), (3600, True)])
def test_the_pending_multiplier_is_judged_at_chain_time_not_this_computers(
    solana_rpc, xstocks_api, chain_offset, effective
):
    """The change is due in one hour by this computer's clock; the chain's clock decides."""
    setup_nvdax(solana_rpc, xstocks_api)
    at = int(time.time()) + 3600
    solana_rpc.accounts[NVDAX] = nvdax_mint(multiplier="1.0", new_multiplier="1.5", effective_at=at)
    solana_rpc.now = lambda: at + chain_offset
    facts = read(solana_rpc.url)
    assert facts["multiplier"].value == (Decimal("1.5") if effective else Decimal("1.0"))
    assert facts["multiplier_pending"].value == ("none" if effective else Decimal("1.5"))


@pytest.mark.parametrize(("hours", "refused"), [(-25, True), (-23, False), (23, False), (25, True)])
def test_a_node_clock_far_from_this_computers_is_refused(nvdax, hours, refused):
    rpc, _ = nvdax
    rpc.now = lambda: time.time() + hours * 3600
    if refused:
        with pytest.raises(SourceError, match="Clock sysvar says .* stale or lying node"):
            read(rpc.url)
    else:
        assert read(rpc.url)["chain_time"].known


def test_a_devnet_node_is_refused(nvdax):
    rpc, _ = nvdax
    rpc.genesis = DEVNET_GENESIS
    with pytest.raises(SourceError, match=f"not Solana mainnet-beta: its genesis hash is '{DEVNET_GENESIS}'"):
        read(rpc.url)


def test_supply_refused_leaves_the_node_ui_amount_unknown(nvdax):
    rpc, _ = nvdax
    rpc.errors["getTokenSupply"] = (-32010, "Too many requests for a specific RPC call")
    facts = read(rpc.url)
    assert facts["total_supply"].known
    assert "refused getTokenSupply" in facts["total_supply_rpc_ui"].error


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("multiplier", "NaN", "not a finite number"),
        ("newMultiplier", "-1.0", "negative"),
        ("newMultiplierEffectiveTimestamp", [1], "not a whole number"),
    ],
)
def test_a_multiplier_that_is_no_amount_is_refused(solana_rpc, field, value, message):
    mint = nvdax_mint()
    scaled = next(e for e in mint["data"]["parsed"]["info"]["extensions"] if e["extension"] == "scaledUiAmountConfig")
    scaled["state"][field] = value
    solana_rpc.accounts[NVDAX] = mint
    with pytest.raises(SourceError, match=message):
        read(solana_rpc.url)


@pytest.mark.parametrize(
    "break_it",
    [
        lambda m: m["data"]["parsed"]["info"].update(decimals="eight"),
        lambda m: m["data"]["parsed"]["info"].update(extensions=[["not", "a", "dict"]]),
        lambda m: m["data"]["parsed"].update(info=None),
        lambda m: m["data"]["parsed"]["info"].update(supply=1.5),
    ],
)
def test_answers_of_the_wrong_types_are_a_source_error_not_a_traceback(solana_rpc, break_it):
    mint = nvdax_mint()
    break_it(mint)
    solana_rpc.accounts[NVDAX] = mint
    with pytest.raises(SourceError, match="Solana"):
        read(solana_rpc.url)


@pytest.mark.parametrize(("extra", "plausible"), [(0, True), (100, False)])
def test_largest_accounts_holding_more_than_the_supply_are_not_believed(solana_rpc, extra, plausible):
    """The 20 listed accounts made to hold exactly the supply, then 100 raw units more (a lie).

    100 raw units, not 1: each listed UI amount is cut at 8 digits, which may lose up to 20 raw units.
    """
    solana_rpc.accounts[NVDAX] = nvdax_mint()
    solana_rpc.accounts.update(nvdax_holders())
    amounts = sorted(
        (
            a["data"]["parsed"]["info"]["tokenAmount"]
            for a in solana_rpc.accounts.values()
            if a is not solana_rpc.accounts[NVDAX]
        ),
        key=lambda t: -int(t["amount"]),
    )
    supply = int(nvdax_mint()["data"]["parsed"]["info"]["supply"])
    top = amounts[0]
    top["amount"] = str(int(top["amount"]) + supply - sum(int(t["amount"]) for t in amounts[:20]) + extra)
    facts = read(solana_rpc.url)
    assert facts["holders_top1_share"].known == plausible
    if not plausible:
        assert "more than the supply" in facts["holders_top1_share"].error


@pytest.mark.parametrize(
    ("spoil", "outcome"),
    [
        (lambda a: a.update(owner=SYSTEM_PROGRAM), "belongs to"),
        (lambda a: a.update(data=[base64.b64encode(bytes([9]) + bytes(200)).decode(), "base64"]), "not a MetadataV1"),
        (lambda a: a.update(data=[a["data"][0][:120], "base64"]), "cut short"),
    ],
)
def test_a_metadata_account_that_is_not_metaplex_metadata(solana_rpc, spoil, outcome):
    mint = pubkey("classic-mint")
    classic_mint(solana_rpc, mint)
    account = metaplex_account(mint, MINT_AUTHORITY, name="Classic", symbol="CLS", uri="https://x.test/c.json")
    spoil(account)
    solana_rpc.accounts[metaplex_address(mint)] = account
    facts = read(solana_rpc.url, mint)
    assert facts["total_supply"].known  # only the metadata facts are lost
    for key in ("token_name", "token_symbol", "metadata_uri", "metadata_update_authority"):
        assert outcome in facts[key].error, key
