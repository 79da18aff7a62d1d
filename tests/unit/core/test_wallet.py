"""Check my wallet (F19) against the anvil test chain and the loopback Solana server.

Every figure is asserted exactly; round trips are counted at the server (a batch counts once).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import math
from decimal import Decimal
from pathlib import Path

import pytest

from backcheck.core.adapters.solana import TOKEN_PROGRAM
from backcheck.core.chains import chain_by_key
from backcheck.core.cli import main
from backcheck.core.errors import BadInput
from backcheck.core.http import Http
from backcheck.core.registry import Registry
from backcheck.core.rules import RuleConfig
from backcheck.core.settings import Settings
from backcheck.core.wallet import ChainRead, Wallet, check_wallet, format_text, rows_on, shown_amount
from tests.helpers.evm import ACCOUNTS, Chain
from tests.helpers.loopback_server import Reply
from tests.helpers.nvdax import UNDERLYING_PRICE
from tests.helpers.rpc_proxy import RpcProxy, error
from tests.helpers.solana_rpc import (
    DEVNET_GENESIS,
    NVDAX,
    TOKEN_2022,
    plain_mint,
    pubkey,
    token_account,
)
from tests.helpers.solc import compile_contracts
from tests.helpers.wallet import (
    AZNX,
    NVDAX_RAW,
    NVDAX_SHARES,
    NVDAX_SHOWN,
    ONDO_MINT,
    OWNER,
    many_accounts,
    setup_wallet,
)

REGISTRY = Registry.load()
SOLANA, ETHEREUM = chain_by_key("solana"), chain_by_key("ethereum")
AAPLX_MINT = next(c.deployment.address for c in REGISTRY.search("AAPLx", SOLANA))
OFFICIAL_SOLANA = sum(1 for t, _ in rows_on(REGISTRY, SOLANA).values() if t.official is True)


def read(address: str, chain: str | None, http_timeout: float = 5, **overrides: str) -> Wallet:
    settings = Settings.load()
    for key, value in overrides.items():
        settings.override(key, value)

    async def go() -> Wallet:
        http = Http(timeout=http_timeout, retries=0)
        try:
            return await check_wallet(address, chain, settings, http, REGISTRY, RuleConfig.load(settings))
        finally:
            await http.aclose()

    return asyncio.run(go())


def holding(wallet: Wallet, symbol: str):
    return next(h for h in wallet.holdings if h.token.symbol == symbol)


def values(h) -> dict:
    return {k: f.value for k, f in h.facts.items()}


# -- Solana ---------------------------------------------------------------------------------


@pytest.fixture
def wallet_rpc(solana_rpc):
    setup_wallet(solana_rpc)
    return solana_rpc


def test_solana_holdings_raw_displayed_and_shares_exactly_in_two_round_trips(wallet_rpc):
    wallet = read(OWNER, "solana", **{"rpc.solana": wallet_rpc.url})
    (chain,) = wallet.chains
    assert chain.error is None and chain.held == 4 and chain.accounts_total == 6 and chain.accounts_skipped == 0
    # Round 1: both token programs in one batch, with the cluster, the clock and the owner; round 2: the mints held.
    assert len(wallet_rpc.calls) == 2 == chain.round_trips
    first, second = wallet_rpc.calls
    assert first.count("getTokenAccountsByOwner") == 2 and "getGenesisHash" in first
    assert second == ["getMultipleAccounts"]
    nvda = holding(wallet, "NVDAx")
    assert values(nvda) | {"value": None} == {
        "balance_raw": NVDAX_RAW,
        "decimals": 8,
        "multiplier": Decimal("1.001701196801074"),
        "frozen": True,
        # 1234.56789012 tokens × 1.001701196801074, exactly, and as wallets cut it at 8 decimals
        "shares": Decimal(NVDAX_SHARES),
        "balance_displayed": Decimal(NVDAX_SHOWN),
        "value": None,
    }
    assert nvda.account == pubkey("nvdax-ata") and nvda.facts["balance_raw"].block == 449660471
    aznx = sorted((h for h in wallet.holdings if h.token.symbol == "AZNx"), key=lambda h: h.facts["balance_raw"].value)
    assert [values(h)["multiplier"] for h in aznx] == [Decimal("0.511")] * 2
    assert [values(h)["shares"] for h in aznx] == [Decimal("0.00000000511"), Decimal("5.11000000511")]
    assert [values(h)["balance_displayed"] for h in aznx] == [Decimal(0), Decimal("5.11")]
    assert [values(h)["frozen"] for h in aznx] == [False, False]
    # The dust a 0.511 multiplier cuts to 0 in wallets is never shown as a bare 0.
    assert shown_amount(aznx[0].facts["balance_displayed"], aznx[0].facts["shares"]) == (
        "less than one display unit (exactly 0.00000000511)"
    )
    ondo = next(h for h in wallet.holdings if h.deployment.address == ONDO_MINT)
    assert values(ondo)["multiplier"] == Decimal(1) and values(ondo)["shares"] == Decimal(5)
    assert {h.standing for h in wallet.holdings} == {"Official: on the issuer's list"}
    assert nvda.report_command == f"backcheck inspect {NVDAX} --chain solana"


def test_solana_value_is_shares_times_the_underlying_price(wallet_rpc, jupiter_api):
    wallet = read(OWNER, "solana", **{"rpc.solana": wallet_rpc.url, "api.jupiter": jupiter_api.url})
    nvda = holding(wallet, "NVDAx")
    assert nvda.facts["value"].value == Decimal(NVDAX_SHARES) * Decimal(UNDERLYING_PRICE)
    assert nvda.facts["value"].source.startswith("Jupiter price API")
    # Jupiter prices NVDAx only here: AZNx's value is unknown with the reason, never 0.
    aznx = holding(wallet, "AZNx").facts["value"]
    assert aznx.value is None and "Jupiter lists no price" in aznx.error


def test_empty_wallet_says_how_many_official_tokens_it_holds_none_of(solana_rpc):
    wallet = read(OWNER, "solana", **{"rpc.solana": solana_rpc.url})
    assert wallet.holdings == () and len(solana_rpc.calls) == 1  # nothing held: no second round trip
    assert wallet.chains[0].sentence().endswith(f"holds none of the {OFFICIAL_SOLANA:,} official tokens on Solana.")
    assert OFFICIAL_SOLANA > 500


@pytest.mark.parametrize(("cap", "held", "skipped"), [(4_999, 0, 1), (5_000, 1, 0), (5_001, 1, 0)])
def test_five_thousand_token_accounts_parsed_up_to_the_cap(solana_rpc, cap, held, skipped):
    many_accounts(solana_rpc, 5_000)
    wallet = read(OWNER, "solana", **{"rpc.solana": solana_rpc.url, "wallet.max_token_accounts": str(cap)})
    (chain,) = wallet.chains
    assert (chain.accounts_total, chain.accounts_skipped, chain.held) == (5_000, skipped, held)
    if skipped:
        assert f"1 of 5,000 token accounts were not parsed (the cap is {cap:,}" in chain.sentence()
        assert "holds none of the listed tokens that could be read on Solana" in chain.sentence()
        assert "official tokens" not in chain.sentence()  # never "holds none" of what was not read


def test_a_mint_given_as_a_wallet_is_refused(solana_rpc):
    with pytest.raises(BadInput, match=r"is the NVDAx token contract .* not a wallet"):
        read(NVDAX, "solana", **{"rpc.solana": solana_rpc.url})
    assert solana_rpc.calls == []  # a listed mint is known before anything is read
    unlisted = pubkey("unlisted-mint")
    solana_rpc.accounts[unlisted] = plain_mint(6, 10**12, TOKEN_2022)
    with pytest.raises(BadInput, match=r"is a token mint on Solana, not a wallet"):
        read(unlisted, "solana", **{"rpc.solana": solana_rpc.url})


def test_a_token_account_given_as_a_wallet_names_its_owner(wallet_rpc):
    with pytest.raises(BadInput, match=rf"token account \(one balance\), not a wallet; its owner is {OWNER}"):
        read(pubkey("nvdax-ata"), "solana", **{"rpc.solana": wallet_rpc.url})


@pytest.mark.parametrize(
    ("address", "chain", "message"),
    [
        (ACCOUNTS[7], "solana", r"is an EVM address \(0x…\), but Solana wallets are a Solana address"),
        (OWNER, "ethereum", r"is a Solana address \(base58\), but Ethereum wallets are an EVM address"),
        ("hello", None, r"is not a wallet address"),
        ("0x12345678901234567890", None, r"is not an EVM address"),
    ],
)
def test_wrong_kind_of_address(address, chain, message):
    with pytest.raises(BadInput, match=message):
        read(address, chain)


def test_an_rpc_that_omits_the_listing_makes_the_chain_unknown(wallet_rpc):
    wallet_rpc.omit = {"getTokenAccountsByOwner"}
    (chain,) = read(OWNER, "solana", **{"rpc.solana": wallet_rpc.url}).chains
    assert "left getTokenAccountsByOwner unanswered" in chain.error
    assert chain.sentence().startswith("Solana: not read") and chain.sentence().endswith("Holdings there are unknown.")


def test_an_rpc_that_omits_a_mint_leaves_that_holding_s_shares_unknown(wallet_rpc):
    wallet_rpc.missing = {AZNX}
    wallet = read(OWNER, "solana", **{"rpc.solana": wallet_rpc.url})
    aznx = holding(wallet, "AZNx")
    assert aznx.facts["balance_raw"].value in (1, 1_000_000_001)  # the balance is still read
    for key in ("multiplier", "shares", "balance_displayed"):
        assert aznx.facts[key].value is None
        assert "the node returned no account for the mint" in aznx.facts[key].error
    assert holding(wallet, "NVDAx").facts["shares"].known  # the other mints stand


@pytest.mark.parametrize(
    "fault",
    [
        lambda rpc: setattr(rpc, "fault", lambda request: Reply(raw=b"<html>gateway</html>")),
        lambda rpc: rpc.errors.update({"getTokenAccountsByOwner": (-32010, "excluded from account secondary indexes")}),
        lambda rpc: setattr(rpc, "genesis", DEVNET_GENESIS),
    ],
    ids=["garbage", "refused", "devnet"],
)
def test_an_rpc_that_answers_garbage_is_unknown_with_the_reason(wallet_rpc, fault):
    fault(wallet_rpc)
    wallet = read(OWNER, "solana", **{"rpc.solana": wallet_rpc.url})
    (chain,) = wallet.chains
    assert chain.error and wallet.holdings == () and not wallet.reached_any


def test_one_program_refused_keeps_the_other(wallet_rpc):
    wallet_rpc.fault = None
    original = wallet_rpc._rpc_getTokenAccountsByOwner

    def classic_refused(owner, selector, config=None):
        if selector.get("programId") == TOKEN_PROGRAM:
            raise ValueError("boom")  # the server answers -32603 Internal error for this item only
        return original(owner, selector, config)

    wallet_rpc._rpc_getTokenAccountsByOwner = classic_refused
    wallet = read(OWNER, "solana", **{"rpc.solana": wallet_rpc.url})
    (chain,) = wallet.chains
    assert chain.error is None and "Token accounts not read" in chain.sentence()
    assert all(h.deployment.address != ONDO_MINT for h in wallet.holdings)
    assert holding(wallet, "NVDAx").facts["frozen"].value is True
    # Which mints the refused program's accounts held is unknown: never "holds none of the N tokens".
    assert chain.read == 0
    assert "that could be read" in dataclasses.replace(chain, held=0).sentence()


def test_an_account_without_a_state_is_not_read_as_not_frozen(solana_rpc):
    account = token_account(NVDAX, OWNER, 10**8)
    del account["data"]["parsed"]["info"]["state"]
    solana_rpc.accounts[pubkey("stateless-ata")] = account
    wallet = read(OWNER, "solana", **{"rpc.solana": solana_rpc.url})
    (chain,) = wallet.chains
    assert wallet.holdings == () and chain.read == 0
    assert "1 token accounts answered in a shape Backcheck cannot read" in chain.sentence()


@pytest.mark.parametrize(
    ("country", "status"), [("US", "warning"), ("CH", "pass"), ("", "unknown")], ids=["excluded", "allowed", "unset"]
)
def test_may_i_redeem_is_rule_rd8_for_the_country(wallet_rpc, country, status):
    wallet = read(OWNER, "solana", **{"rpc.solana": wallet_rpc.url, "country": country})
    assert holding(wallet, "NVDAx").redeem.status == status


# -- EVM (anvil) ------------------------------------------------------------------------------

ART = compile_contracts()
CALLS = sum(4 if t.issuer_key == "backed" else 1 for t, _ in rows_on(REGISTRY, ETHEREUM).values())


@pytest.fixture
def proxy(chain):
    p = RpcProxy(chain.url)
    yield p
    p.close()


@pytest.mark.chain
def test_evm_holdings_exactly_in_one_batch(chain, proxy):
    wallet = read(ACCOUNTS[7], "ethereum", **{"rpc.ethereum": proxy.url})
    (read_,) = wallet.chains
    assert read_.error is None and read_.held == 1 and proxy.round_trips == 1 == read_.round_trips
    (methods,) = proxy.calls
    assert methods.count("eth_call") == math.ceil(CALLS / 499) and methods[0] == "eth_chainId"
    aaplx = holding(wallet, "AAPLx")
    assert values(aaplx) | {"value": None} == {
        "balance_raw": 150_500_000_000_000_000_000,  # sharesOf: minted before the multiplier
        "decimals": 18,
        "multiplier": Decimal("1.0021"),
        "balance_displayed": Decimal("150.81605"),  # balanceOf: what wallets show
        "shares": Decimal("150.81605"),
        "sanctioned": False,  # sanctionsList() is the zero address: the token checks no list
        "value": None,
    }
    head = int(chain.anvil.rpc("eth_blockNumber"), 16)
    assert {f.block for k, f in aaplx.facts.items() if k not in ("value", "decimals")} == {head}
    # The decimals come from the registry's row, not the chain: no block, and the registry as source.
    assert aaplx.facts["decimals"].block is None and aaplx.facts["decimals"].source == "registry"
    assert "sharesOf" not in aaplx.facts["balance_raw"].method and "0xf5eb42dc" in aaplx.facts["balance_raw"].method


@pytest.mark.chain
def test_evm_sanctioned_holder_is_flagged_in_the_second_round_trip(chain, proxy):
    owner, sanctions = chain.addresses["roles"]["owner"], chain.addresses["sanctions_list"]
    node = Chain(chain.anvil)
    node.transact(owner, chain.addresses["aaplx"], ART["BackedAutoFeeToken"], "setSanctionsList(address)", sanctions)
    node.transact(ACCOUNTS[0], sanctions, ART["SanctionsListLike"], "setSanctioned(address,bool)", ACCOUNTS[7], True)
    wallet = read(ACCOUNTS[7], "ethereum", **{"rpc.ethereum": proxy.url})
    assert proxy.round_trips == 2 == wallet.chains[0].round_trips
    assert holding(wallet, "AAPLx").facts["sanctioned"].value is True
    other = read(ACCOUNTS[6], "ethereum", **{"rpc.ethereum": proxy.url})
    assert holding(other, "AAPLx").facts["sanctioned"].value is False


@pytest.mark.chain
def test_evm_token_without_the_rebasing_interface_has_unknown_shares(chain, proxy):
    wallet = read(ACCOUNTS[5], "ethereum", **{"rpc.ethereum": proxy.url})
    assert {h.token.symbol for h in wallet.holdings} == {"AAPLx", "bIB01"}
    bib01 = holding(wallet, "bIB01")
    assert bib01.facts["balance_raw"].value == 6_000 * 10**18 and bib01.facts["balance_displayed"].value == 6000
    assert bib01.facts["shares"].value is None and "getCurrentMultiplier" in bib01.facts["shares"].error
    # Backed's V1 token has sanctionsList() too: the zero address, so the token checks no list.
    assert bib01.facts["sanctioned"].value is False and "0xec571c6a" in bib01.facts["sanctioned"].method


@pytest.mark.chain
def test_evm_token_contract_given_as_a_wallet_is_refused(chain, proxy):
    with pytest.raises(BadInput, match=r"is the AAPLx token contract .* on Ethereum, not a wallet"):
        read(chain.addresses["aaplx"], "ethereum", **{"rpc.ethereum": proxy.url})
    assert proxy.round_trips == 0


@pytest.mark.chain
def test_evm_empty_wallet_and_unread_tokens_are_told_apart(chain, proxy):
    (read_,) = read(ACCOUNTS[1], "ethereum", **{"rpc.ethereum": proxy.url}).chains
    # Only AAPLx and bIB01 have code on the test chain: every other row answered nothing, and is said so.
    assert read_.held == 0 and read_.read == 2
    assert "holds none of the listed tokens that could be read on Ethereum" in read_.sentence()
    assert f"{read_.listed - 2:,} listed tokens: balanceOf gave no answer" in read_.sentence()


def test_empty_sentence_when_every_token_was_read():
    done = ChainRead(ETHEREUM, "https://node", None, official=1_048, listed=1_168, read=1_168, at=7, round_trips=1)
    assert done.sentence() == "Ethereum (block 7, 1 round trip): holds none of the 1,048 official tokens on Ethereum."


@pytest.mark.chain
@pytest.mark.parametrize(
    ("chunk", "eth_calls"), [(CALLS, 2), (CALLS + 1, 1), (CALLS + 2, 1), (100, math.ceil(CALLS / 99))]
)
def test_every_chunk_rides_in_one_batch(chain, proxy, chunk, eth_calls):
    # Each Multicall3 call holds getBlockNumber() and up to chunk - 1 reads.
    wallet = read(ACCOUNTS[7], "ethereum", **{"rpc.ethereum": proxy.url, "wallet.calls_per_multicall": str(chunk)})
    assert proxy.round_trips == 1 and proxy.calls[0].count("eth_call") == eth_calls
    assert holding(wallet, "AAPLx").facts["shares"].value == Decimal("150.81605")


@pytest.mark.chain
@pytest.mark.parametrize("broken", ["garbage", "all refused", "one refused"])
def test_evm_rpc_garbage_or_refusals(chain, proxy, broken):
    if broken == "garbage":
        proxy.fault = lambda request: Reply(raw=b"\x00not json")
    elif broken == "all refused":
        proxy.answer = lambda item: error(item, -32000, "gas limit exceeded") if item["method"] == "eth_call" else None
    else:
        first = []

        def refuse_first(item):
            if item["method"] == "eth_call" and not first:
                first.append(item)
                return error(item, -32000, "gas limit exceeded")
            return None

        proxy.answer = refuse_first
    wallet = read(ACCOUNTS[7], "ethereum", **{"rpc.ethereum": proxy.url})
    (read_,) = wallet.chains
    if broken == "one refused":
        assert read_.error is None and "its Multicall3 chunk was refused" in read_.sentence()
        assert "gas limit exceeded" in read_.sentence()
    else:
        assert read_.error and not wallet.reached_any and wallet.holdings == ()


# -- CLI and privacy --------------------------------------------------------------------------


def test_cli_json_and_text(wallet_rpc, capsys):
    assert main(["wallet", OWNER, "--chain", "solana", "--rpc", f"solana={wallet_rpc.url}", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "backcheck.wallet/1" and doc["address"] == OWNER
    nvda = next(h for h in doc["holdings"] if h["token"]["symbol"] == "NVDAx")
    assert nvda["facts"]["shares"]["value"] == NVDAX_SHARES
    assert nvda["facts"]["balance_raw"]["value"] == str(NVDAX_RAW) and nvda["facts"]["frozen"]["value"] is True
    assert nvda["report"]["command"] == f"backcheck inspect {NVDAX} --chain solana"
    assert nvda["report"]["worst_finding"] is None  # never guessed: the report computes it
    assert main(["wallet", OWNER, "--rpc", f"solana={wallet_rpc.url}"]) == 0  # a Solana address: Solana only
    text = capsys.readouterr().out
    assert "frozen         YES" in text and "less than one display unit (exactly 0.00000000511)" in text


@pytest.mark.parametrize(
    "argv",
    [
        ["wallet", NVDAX, "--chain", "solana"],
        ["wallet", ACCOUNTS[7], "--chain", "solana"],
        ["wallet", "not-an-address"],
        ["wallet", OWNER, "--chain", "atlantis"],
        ["wallet", OWNER, "--offline"],
    ],
)
def test_cli_bad_input_is_one_sentence_and_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("backcheck: ") and err.count("\n") == 1 and "Traceback" not in err


def test_cli_unreachable_rpc_exits_3(capsys):
    assert main(["wallet", OWNER, "--chain", "solana"]) == 3  # the test settings point at a closed port
    assert "Solana: not read" in capsys.readouterr().out


def test_the_address_is_never_written(wallet_rpc, tmp_path: Path, capsys):
    assert main(["wallet", OWNER, "--chain", "solana", "--rpc", f"solana={wallet_rpc.url}"]) == 0
    capsys.readouterr()
    written = [p for p in tmp_path.rglob("*") if p.is_file() and OWNER.encode() in p.read_bytes()]
    assert written == []
    # It went to the RPC in round 1 only; round 2 asks about the mints, not the wallet.
    assert [OWNER.encode() in r.body for r in wallet_rpc.server.requests] == [True, False]


@pytest.mark.parametrize("address", [OWNER, ACCOUNTS[7]], ids=["solana", "evm"])
def test_a_crash_report_leaves_the_wallet_out(address, monkeypatch, capsys):
    """Even an unexpected error that names the wallet (as typed, lowercased or in calldata) writes no address."""
    from backcheck.core import wallet

    body = address.removeprefix("0x")
    forms = [address]
    if address.startswith("0x"):  # hex is case-blind: every spelling, and the padded calldata
        forms += [address.lower(), body.upper(), f"data=0x70a08231{body.lower():0>64}"]

    async def broken(run, chain):
        raise RuntimeError(" ".join(forms))

    monkeypatch.setattr(wallet, "_read_chain", broken)
    chain = "solana" if address == OWNER else "ethereum"
    assert main(["wallet", address, "--chain", chain]) == 1
    err = capsys.readouterr().err
    text = Path(err.split("written to ")[1].split("; please")[0]).read_text()
    assert "RuntimeError" in text and "<wallet address>" in text
    assert (body.lower() not in text.lower()) if address.startswith("0x") else (address not in text)


def test_format_text_lists_each_chain(wallet_rpc):
    text = format_text(read(OWNER, "solana", **{"rpc.solana": wallet_rpc.url}))
    assert text.startswith(f"Wallet {OWNER} — read live") and "Solana (slot 449660471, 2 round trips)" in text


@pytest.mark.parametrize(
    ("selector", "signature"),
    [
        ("BALANCE_OF", "balanceOf(address)"),
        ("SHARES_OF", "sharesOf(address)"),
        ("CURRENT_MULTIPLIER", "getCurrentMultiplier()"),
        ("SANCTIONS_LIST", "sanctionsList()"),
        ("IS_SANCTIONED", "isSanctioned(address)"),
        ("DECIMALS", "decimals()"),
        ("BLOCK_NUMBER", "getBlockNumber()"),
    ],
)
def test_selectors_are_the_signatures(selector, signature):
    from backcheck.core.adapters import evm_wallet
    from backcheck.core.addresses import keccak256

    assert getattr(evm_wallet, selector) == keccak256(signature.encode())[:4]


@pytest.mark.chain
def test_evm_value_uses_the_underlying_price_of_the_token_s_solana_mint(chain, proxy, jupiter_api):
    jupiter_api.prices[AAPLX_MINT] = dict(jupiter_api.prices[NVDAX], stockData={"price": 200.25, "updatedAt": 1})
    wallet = read(ACCOUNTS[7], "ethereum", **{"rpc.ethereum": proxy.url, "api.jupiter": jupiter_api.url})
    value = holding(wallet, "AAPLx").facts["value"]
    assert value.value == Decimal("150.81605") * Decimal("200.25")
    assert AAPLX_MINT in value.method and proxy.round_trips == 1  # the price is not an RPC round trip


def test_a_third_party_listed_token_is_labelled_never_official(solana_rpc):
    row = next(d for t in REGISTRY.tokens if t.official is None for d in t.deployments if d.basis == "third-party")
    assert row.chain == SOLANA
    solana_rpc.accounts[row.address] = plain_mint(row.decimals or 6, 10**12, TOKEN_2022)
    solana_rpc.accounts[pubkey("listed-ata")] = token_account(row.address, OWNER, 10**6, row.decimals or 6)
    wallet = read(OWNER, "solana", **{"rpc.solana": solana_rpc.url})
    (h,) = wallet.holdings
    assert h.standing == f"Listed by {row.listed_by}, not confirmed by the issuer"
    doc = h.to_json()["token"]
    assert doc["official"] is None and doc["basis"] == "third-party"
    assert h.redeem.status == "unknown"  # no catalog terms for a token the issuer does not confirm


def test_a_third_party_token_s_redemption_is_never_a_pass(solana_rpc):
    """The issuer's terms say DE is not excluded, but they may not apply to a token the issuer does not confirm."""
    row = next(d for t in REGISTRY.tokens if t.official is None and t.issuer_key == "backed" for d in t.deployments)
    solana_rpc.accounts[row.address] = plain_mint(row.decimals or 8, 10**12, TOKEN_2022)
    solana_rpc.accounts[pubkey("listed-ata")] = token_account(row.address, OWNER, 10**8, row.decimals or 8)
    wallet = read(OWNER, "solana", **{"rpc.solana": solana_rpc.url, "country": "DE"})
    (h,) = wallet.holdings
    assert h.redeem.status == "unknown"
    assert "not confirmed by the issuer" in h.redeem.explanation


def test_an_rpc_key_is_never_in_the_wallet_document(solana_rpc):
    keyed = f"{solana_rpc.url}/v2/9aa3d95b3bc440fa88ea12eaa4456161"
    wallet = read(OWNER, "solana", **{"rpc.solana": keyed})
    assert "9aa3d95b3bc440fa88ea12eaa4456161" not in json.dumps(wallet.to_json())
    assert "9aa3d95b3bc440fa88ea12eaa4456161" not in format_text(wallet)
