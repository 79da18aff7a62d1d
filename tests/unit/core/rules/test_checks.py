"""Every rule of the checklist, every status it can return (unknown when an input is missing).

One row per status a rule can return, then every threshold at, just below and just above its
boundary. The clock is fixed (``support.NOW``); no row depends on today's date.
"""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from backcheck.core.facts import Fact
from backcheck.core.registry import Registry
from backcheck.core.rules import RULES
from tests.unit.core.rules.support import (
    AAPLX_ELSEWHERE,
    BTOKEN,
    CONFIG,
    EVM,
    IMPOSTOR,
    NOW,
    ONDO,
    OVERLAY,
    REGISTRY,
    SECURITIZE,
    SHIFT,
    SOL,
    SOL_ONDO,
    SUPERSTATE,
    TERMS,
    THIRD_PARTY,
    UNKNOWN,
    UNLISTED_MINT,
    WITHDRAWN,
    D,
    at,
    fact,
    finding,
)

DERIVED = Fact(D(1), "ratio", "derived", "a ÷ b", None, NOW)
PLAIN = "plain account (a single private key)"
# A base58 key that begins with "none" (a vanity key takes seconds to find): a holder, never nobody.
VANITY_NONE = "noneQmTg6TzZuV8yLfmMRRuXsz8D8FjrHDZBEWFZPDz"
SAFE = "multisig (2 of 3 signers)"
OWNED_BY_KEY = f"owned contract (e.g. a ProxyAdmin), owned by 0xA: {PLAIN}"
OWNED_BY_SAFE = f"owned contract (e.g. a ProxyAdmin), owned by 0xA: {SAFE}"
CONTRACT = "contract (no owner, multisig or timelock interface found)"
SOLANA_POWERS = {"freeze_authority": "none", "pause_authority": "none"}
EVM_POWERS = {"freeze_authority": "not present", "pause_authority": "none", "sanctions_list": "none"}
NVDAX_LIVE = {
    "issuer_api_address": SOL.address,
    "metadata_uri": "https://xstocks-metadata.backed.fi/tokens/Solana/NVDAx.json",
    "metadata_update_authority": "5aMNNLQJwAEeoemTEMkv5NVjqKwvvefRYCQ5Z67HFvEq",
}
XSTOCKS_KEYS = {  # authorities.csv: NVDAx decoded (slot 449660471) and Float's audit of 2026-09-12
    "mint_authority": "7pt9tkctJPK7PPNQJ77GKg8ZffSF6QxoMiCFYHxrtaCj",
    "freeze_authority": "JDq14BWvqCRFNu1krb12bcRpbGtJZ1FLEakMw6FdxJNs",
    "pause_authority": "JDq14BWvqCRFNu1krb12bcRpbGtJZ1FLEakMw6FdxJNs",
    "permanent_delegate": "5aMNNLQJwAEeoemTEMkv5NVjqKwvvefRYCQ5Z67HFvEq",
    "metadata_update_authority": "5aMNNLQJwAEeoemTEMkv5NVjqKwvvefRYCQ5Z67HFvEq",
    "multiplier_authority": "S7vYFFWH6BjJyEsdrPQpqpYTqLTrPRK6KW3VwsJuRaS",
}
ROTATED = "Rot8tedKey1111111111111111111111111111111111"
OTHER_KEYS = dict.fromkeys(XSTOCKS_KEYS, "CopycatKey111111111111111111111111111111111")
ONDO_PDA = "9foMHsSDq7nMg4WPusSz9eY7tyxyukqborA8GyU5cUxD"
ONDO_KEYS = {
    **dict.fromkeys(
        ("mint_authority", "pause_authority", "metadata_update_authority", "multiplier_authority"), ONDO_PDA
    ),
    "freeze_authority": "51QVCuHfL1FeNjd8BDeffCKhCcAYoULnVB3yjNhShiuK",
    "permanent_delegate": "none",
}
BACKPACK_KEY = "2cVYpagTt7ZGc3mmTXBa7fAznUtx5DUu6aCq8uVDaf4a"
SUPPLY_DISAGREES = {"total_supply": D(1000), "total_supply_rpc_ui": D(1000000)}
MEASURED_SHORT = {"reserves_coverage_measured": D("0.9"), "outstanding_measured_all_chains": D(1111)}

CASES = [
    # ID-1 official token: the bundled list, confirmed by the issuer's live API and, on Solana, the metadata
    ("ID-1", SOL, NVDAX_LIVE, "pass"),
    ("ID-1", EVM, {"issuer_api_address": EVM.address.lower()}, "pass"),
    ("ID-1", BTOKEN, {}, "pass"),  # an issuer without a live list: the bundled list alone, and it says so
    ("ID-1", SOL, {}, "unknown"),  # offline: the live list could not confirm it
    ("ID-1", EVM, {"issuer_api_address": UNKNOWN}, "unknown"),
    ("ID-1", SOL, {**NVDAX_LIVE, "issuer_api_address": UNKNOWN}, "unknown"),
    ("ID-1", SOL, {**NVDAX_LIVE, "metadata_uri": UNKNOWN}, "unknown"),
    ("ID-1", SOL, {"issuer_api_address": SOL.address, "metadata_uri": NVDAX_LIVE["metadata_uri"]}, "unknown"),
    ("ID-1", SOL, {**NVDAX_LIVE, "issuer_api_address": "XsOther"}, "warning"),
    ("ID-1", SOL, {"issuer_api_address": "XsOther"}, "warning"),
    ("ID-1", SOL, {**NVDAX_LIVE, "metadata_uri": "https://evil.example/x.json"}, "caution"),
    ("ID-1", SOL, {**NVDAX_LIVE, "metadata_update_authority": "5aMN"}, "caution"),
    ("ID-1", SOL, {"metadata_uri": "https://evil.example/x.json"}, "caution"),
    ("ID-1", SOL, {"metadata_uri": "https://evil.example/x.json", "metadata_update_authority": "5aMN"}, "caution"),
    ("ID-1", OVERLAY, {}, "unknown"),
    # A third party's row is never official, whatever live data says; a withdrawn row is not official now.
    ("ID-1", THIRD_PARTY, {}, "unknown"),
    ("ID-1", THIRD_PARTY, {"token_symbol": "MU", "issuer_api_address": THIRD_PARTY.address}, "unknown"),
    ("ID-1", WITHDRAWN, {}, "warning"),
    ("ID-1", WITHDRAWN, {"token_symbol": "ULon"}, "warning"),
    ("ID-1", IMPOSTOR, {"token_symbol": "AAPLx", "token_name": "Apple xStock"}, "critical"),
    ("ID-1", IMPOSTOR, {"token_symbol": "FOO", "token_name": "Apple xStock"}, "critical"),
    ("ID-1", IMPOSTOR, {"token_symbol": "aaplx "}, "critical"),
    ("ID-1", IMPOSTOR, {"token_symbol": UNKNOWN}, "unknown"),
    ("ID-1", IMPOSTOR, {"token_symbol": "FOO", "token_name": "Foo"}, "unknown"),
    ("ID-1", IMPOSTOR, {"token_symbol": "FOO"}, "unknown"),
    # ID-2 ticker collision
    ("ID-2", EVM, {}, "pass"),
    ("ID-2", IMPOSTOR, {"token_symbol": "AAPLx"}, "caution"),
    ("ID-2", IMPOSTOR, {"token_symbol": "ZZZQQ"}, "pass"),
    ("ID-2", AAPLX_ELSEWHERE, {}, "caution"),  # the user's overlay entry beside the official AAPLx
    ("ID-2", IMPOSTOR, {"token_symbol": UNKNOWN}, "unknown"),
    # ID-3 source verified
    ("ID-3", SOL, {}, "n/a"),
    ("ID-3", EVM, {}, "unknown"),
    ("ID-3", EVM, {"source_verified": True}, "pass"),
    ("ID-3", EVM, {"source_verified": False}, "warning"),
    ("ID-3", EVM, {"source_verified": UNKNOWN}, "unknown"),
    # ID-4 named issuer and documents
    ("ID-4", EVM, {}, "pass"),
    ("ID-4", IMPOSTOR, {}, "warning"),
    ("ID-4", EVM, {TERMS: {"issuer_entity": "Backed Assets (JE) Ltd"}}, "warning"),
    ("ID-4", EVM, {TERMS: {"documents": ["prospectus"]}}, "warning"),
    ("ID-4", EVM, {TERMS: {"issuer_entity": "Backed Assets (JE) Ltd", "documents": ["prospectus", "terms"]}}, "pass"),
    # ID-5 metadata key
    ("ID-5", EVM, {}, "n/a"),
    ("ID-5", SOL, {"metadata_update_authority": "5aMN", "metadata_update_authority_kind": PLAIN}, "caution"),
    ("ID-5", SOL, {"metadata_update_authority": "5aMN", "metadata_update_authority_kind": "multisig (Squads)"}, "pass"),
    ("ID-5", SOL, {"metadata_update_authority": "5aMN", "metadata_update_authority_kind": "program-owned"}, "caution"),
    ("ID-5", SOL, {"metadata_update_authority": "5aMN", "metadata_update_authority_kind": UNKNOWN}, "unknown"),
    ("ID-5", SOL, {"metadata_update_authority": "none"}, "pass"),
    ("ID-5", SOL, {"metadata_update_authority": "none (the metadata is immutable)"}, "pass"),
    ("ID-5", SOL, {"metadata_update_authority": VANITY_NONE, "metadata_update_authority_kind": PLAIN}, "caution"),
    ("ID-5", SOL, {"metadata_update_authority": "not present"}, "pass"),
    ("ID-5", SOL, {}, "unknown"),  # offline: nothing read is not "nobody can"
    ("ID-5", SOL, {"metadata_pointer": "none"}, "unknown"),
    ("ID-5", SOL, {"metadata_update_authority": UNKNOWN}, "unknown"),
    # ID-6 the token's powers against the issuer's recorded keys (the shipped records: real keys)
    ("ID-6", SOL, XSTOCKS_KEYS, "pass"),
    ("ID-6", SOL, {**XSTOCKS_KEYS, "freeze_authority": ROTATED}, "warning"),  # a rotation or a compromise
    ("ID-6", SOL, {**XSTOCKS_KEYS, "mint_authority": "none"}, "warning"),  # a recorded key gone is a difference
    ("ID-6", SOL, {**XSTOCKS_KEYS, "mint_authority": UNKNOWN}, "unknown"),
    ("ID-6", SOL, {}, "unknown"),
    ("ID-6", SOL_ONDO, ONDO_KEYS, "pass"),  # Ondo records "no permanent delegate" for its stock tokens
    ("ID-6", SOL_ONDO, {**ONDO_KEYS, "permanent_delegate": ONDO_PDA}, "warning"),
    ("ID-6", THIRD_PARTY, {"metadata_update_authority": BACKPACK_KEY}, "pass"),  # corroborates, stays unofficial
    # A held power the issuer has no record for is not compared: never a pass, never "identifies".
    ("ID-6", THIRD_PARTY, {"metadata_update_authority": BACKPACK_KEY, "mint_authority": ROTATED}, "unknown"),
    ("ID-6", THIRD_PARTY, {"metadata_update_authority": BACKPACK_KEY, "mint_authority": "none"}, "pass"),
    ("ID-6", UNLISTED_MINT, {"token_symbol": "FOO", "metadata_update_authority": BACKPACK_KEY}, "caution"),
    (
        "ID-6",
        UNLISTED_MINT,
        {"token_symbol": "FOO", "metadata_update_authority": BACKPACK_KEY, "mint_authority": ROTATED},
        "unknown",
    ),
    ("ID-6", THIRD_PARTY, {"metadata_update_authority": XSTOCKS_KEYS["permanent_delegate"]}, "warning"),
    ("ID-6", EVM, {"owner": "0xA", "mint_authority": "0xB"}, "unknown"),  # xStocks EVM holders: not found
    ("ID-6", ONDO, {"owner": "0xA"}, "unknown"),  # Ondo EVM holders: not found
    ("ID-6", IMPOSTOR, {"token_symbol": "AAPLx", "owner": "0xA"}, "unknown"),  # imitates, no EVM keys to compare
    ("ID-6", UNLISTED_MINT, {"token_symbol": "NVDAx", **OTHER_KEYS}, "critical"),  # a copycat: name, not keys
    ("ID-6", UNLISTED_MINT, {"token_symbol": "NVDAx", **XSTOCKS_KEYS, "mint_authority": ROTATED}, "critical"),
    ("ID-6", UNLISTED_MINT, {"token_symbol": "NVDAx", **XSTOCKS_KEYS}, "caution"),  # new official token: refresh
    ("ID-6", UNLISTED_MINT, {"token_symbol": "FOO", **XSTOCKS_KEYS}, "caution"),
    ("ID-6", UNLISTED_MINT, {"token_symbol": "NVDAx", **XSTOCKS_KEYS, "mint_authority": UNKNOWN}, "unknown"),
    ("ID-6", UNLISTED_MINT, {"token_symbol": "FOO", **OTHER_KEYS}, "n/a"),
    ("ID-6", UNLISTED_MINT, {"token_symbol": "FOO", **XSTOCKS_KEYS, "mint_authority": UNKNOWN}, "unknown"),
    ("ID-6", UNLISTED_MINT, {"token_symbol": "FOO"}, "unknown"),
    # RS-1 stale proof
    ("RS-1", SOL, {"reserves_age_hours": D(6), "reserves_cadence_hours": D(24)}, "pass"),
    # The issuer's figures (read by symbol) never pass for a token its list does not hold.
    ("RS-1", THIRD_PARTY, {"reserves_age_hours": D(6), "reserves_cadence_hours": D(24)}, "unknown"),
    ("RS-1", OVERLAY, {"reserves_age_hours": D(6), "reserves_cadence_hours": D(24)}, "unknown"),
    ("RS-1", WITHDRAWN, {"reserves_age_hours": D(6), "reserves_cadence_hours": D(24)}, "unknown"),
    ("RS-1", THIRD_PARTY, {"reserves_age_hours": D(49), "reserves_cadence_hours": D(24)}, "warning"),
    ("RS-1", SOL, {"reserves_age_hours": D(49), "reserves_cadence_hours": D(24)}, "warning"),
    ("RS-1", SOL, {"reserves_age_hours": D(60), "reserves_cadence_hours": UNKNOWN}, "pass"),
    ("RS-1", SOL, {"reserves_age_hours": D(73), "reserves_cadence_hours": UNKNOWN}, "warning"),
    ("RS-1", SOL, {"reserves_age_hours": D(73), "reserves_cadence_hours": D(-24)}, "warning"),
    ("RS-1", SOL, {"reserves_age_hours": D(73), "reserves_cadence_hours": D(0)}, "warning"),
    ("RS-1", SOL, {"reserves_age_hours": D(3), "reserves_cadence_hours": D(1)}, "warning"),
    ("RS-1", SOL, {"reserves_age_hours": D(2), "reserves_cadence_hours": D("0.5")}, "warning"),
    ("RS-1", SOL, {"reserves_age_hours": D(73), "reserves_cadence_hours": D("Infinity")}, "warning"),
    ("RS-1", SOL, {"reserves_age_hours": D(-8760), "reserves_cadence_hours": D(24)}, "unknown"),  # from the future
    ("RS-1", SOL, {"reserves_age_hours": D("-0.1"), "reserves_cadence_hours": D(24)}, "unknown"),
    ("RS-1", SOL, {"reserves_age_hours": D(0), "reserves_cadence_hours": D(24)}, "pass"),
    ("RS-1", SOL, {"reserves_age_hours": D("NaN"), "reserves_cadence_hours": D(24)}, "unknown"),
    ("RS-1", SOL, {"reserves_age_hours": D("Infinity"), "reserves_cadence_hours": D(24)}, "unknown"),
    ("RS-1", SOL, {"reserves_age_hours": UNKNOWN}, "unknown"),
    ("RS-1", SOL, {"reserves_age_hours": D(1), "reserves_feed_age_hours": UNKNOWN}, "unknown"),
    ("RS-1", SOL, {"reserves_age_hours": D(99), "reserves_feed_age_hours": UNKNOWN}, "warning"),
    ("RS-1", BTOKEN, {"reserves_feed_age_hours": D(1), "reserves_feed_heartbeat_hours": D(24)}, "pass"),
    ("RS-1", BTOKEN, {"reserves_feed_age_hours": D(-1), "reserves_feed_heartbeat_hours": D(24)}, "unknown"),
    ("RS-1", EVM, {}, "unknown"),
    # RS-2 shortfall
    ("RS-2", SOL, {"reserves_age_hours": D(1), "reserves_coverage": D("1.002")}, "pass"),
    ("RS-2", SOL, {"reserves_age_hours": D(1), "reserves_coverage": D("0.9995")}, "pass"),
    ("RS-2", SOL, {"reserves_age_hours": D(1), "reserves_coverage": D("0.95")}, "critical"),
    ("RS-2", SOL, {"reserves_age_hours": D(1), "reserves_coverage": D(98000000)}, "caution"),  # sharesHeld × 1e8
    ("RS-2", SOL, {"reserves_age_hours": D(1), "reserves_coverage": D(-1)}, "unknown"),
    ("RS-2", SOL, {"reserves_age_hours": D(1), "reserves_coverage": D("0.5"), "reserves_shares": D(5)}, "critical"),
    (
        "RS-2",
        BTOKEN,
        {
            "reserves_age_hours": D(1),
            "reserves_coverage": D("1.0"),
            "reserves_feed_age_hours": D(1),
            "reserves_feed_coverage": D("1.01"),
        },
        "pass",
    ),
    ("RS-2", SOL, {"reserves_age_hours": D(1), "reserves_coverage": D("NaN")}, "unknown"),
    ("RS-2", BTOKEN, {"reserves_feed_age_hours": D(1), "reserves_feed_coverage": D("0.8")}, "critical"),
    (
        "RS-2",
        BTOKEN,
        {
            "reserves_age_hours": D(1),
            "reserves_coverage": D("1.0"),
            "reserves_feed_age_hours": D(1),
            "reserves_feed_coverage": D("0.8"),
        },
        "critical",
    ),
    (
        "RS-2",
        BTOKEN,
        {
            "reserves_age_hours": D(1),
            "reserves_coverage": D("1.0"),
            "reserves_feed_age_hours": D(1),
            "reserves_feed_coverage": UNKNOWN,
        },
        "unknown",
    ),
    ("RS-2", SOL, {"reserves_age_hours": D(1), "reserves_coverage": UNKNOWN}, "unknown"),
    ("RS-2", SOL, {"reserves_age_hours": D(1)}, "unknown"),
    ("RS-2", EVM, {}, "unknown"),
    # RS-2 with Backcheck's own measure on every chain beside the issuer's ratio (the worst of both)
    ("RS-2", SOL, {"reserves_age_hours": D(1), "reserves_coverage": D(1), "reserves_coverage_measured": D(1)}, "pass"),
    ("RS-2", SOL, {"reserves_age_hours": D(1), "reserves_coverage": D(1), **MEASURED_SHORT}, "critical"),
    (
        "RS-2",
        SOL,
        {"reserves_age_hours": D(1), "reserves_coverage": D("0.9"), "reserves_coverage_measured": D(1)},
        "critical",
    ),
    (
        "RS-2",
        SOL,
        {"reserves_age_hours": D(1), "reserves_coverage": D(1), "reserves_coverage_measured": D(3)},
        "caution",
    ),
    (
        "RS-2",
        SOL,
        {"reserves_age_hours": D(1), "reserves_coverage": D(1), "reserves_coverage_measured": UNKNOWN},
        "pass",
    ),
    (
        "RS-2",
        SOL,
        {"reserves_age_hours": D(1), "reserves_coverage": D("0.9"), "reserves_coverage_measured": UNKNOWN},
        "critical",
    ),
    # RS-3 figures add up
    (
        "RS-3",
        SOL,
        {"float": D(100), "outstanding_measured_all_chains": D(1002), "outstanding_all_chains": D(1000)},
        "warning",
    ),
    (
        "RS-3",
        SOL,
        {"float": D(2000), "outstanding_measured_all_chains": D(990), "outstanding_all_chains": D(1000)},
        "pass",
    ),
    (
        "RS-3",
        SOL,
        {"float": D(100), "outstanding_measured_all_chains": UNKNOWN, "outstanding_all_chains": D(1000)},
        "pass",
    ),
    ("RS-3", SOL, {"float": D(100), "outstanding_all_chains": D(1000)}, "pass"),
    ("RS-3", SOL, {"float": D(1002), "outstanding_all_chains": D(1000)}, "warning"),
    ("RS-3", EVM, {"float": D(2000), "outstanding_evm_chains": D(900), "outstanding_all_chains": D(1000)}, "pass"),
    ("RS-3", EVM, {"float": D(10), "outstanding_evm_chains": D(1100), "outstanding_all_chains": D(1000)}, "warning"),
    ("RS-3", SOL, {"float": D(-5), "outstanding_all_chains": D(1000)}, "unknown"),
    ("RS-3", SOL, {"float": D(100), "outstanding_all_chains": D(-1000)}, "unknown"),
    ("RS-3", SOL, {"float": D(100), "outstanding_all_chains": UNKNOWN}, "unknown"),
    ("RS-3", SOL, {"outstanding_all_chains": D(1000)}, "unknown"),
    # RS-4 evidence
    ("RS-4", BTOKEN, {"reserves_feed_answer": D(6000)}, "pass"),
    ("RS-4", SOL, {"reserves_shares": D(196869)}, "caution"),
    ("RS-4", ONDO, {}, "caution"),  # the catalog: Ondo's reserve reports are PDFs only
    ("RS-4", ONDO, {TERMS: {"reserve_evidence": "pdf", "reserve_source": "daily PDF"}}, "caution"),
    ("RS-4", ONDO, {TERMS: {"reserve_evidence": "claim", "reserve_source": "a Big 4 audit, unpublished"}}, "caution"),
    ("RS-4", ONDO, {TERMS: {"reserve_evidence": "none"}}, "warning"),
    ("RS-4", ONDO, {TERMS: {"reserve_evidence": "machine-readable", "reserve_source": "an API"}}, "unknown"),
    ("RS-4", ONDO, {TERMS: {}}, "unknown"),  # the sources do not say
    ("RS-4", IMPOSTOR, {}, "warning"),
    ("RS-4", OVERLAY, {}, "unknown"),  # the issuer's reserves exist, but Backcheck reads none for this token
    ("RS-4", THIRD_PARTY, {}, "warning"),  # Backpack publishes none (labelled: the issuer does not confirm the token)
    ("RS-4", SUPERSTATE, {}, "unknown"),  # a register API Backcheck has no reader for
    ("RS-4", SECURITIZE, {}, "caution"),  # the issuer's statement only
    ("RS-4", SHIFT, {}, "unknown"),  # not in the proof-of-reserve sources
    ("RS-4", ONDO, {"reserves_shares": D(5)}, "caution"),
    ("RS-4", SOL, {"reserves_shares": UNKNOWN}, "unknown"),
    ("RS-4", SOL, {}, "unknown"),  # the issuer's API was not read
    ("RS-4", BTOKEN, {}, "unknown"),  # the registered feed was not read
    ("RS-4", BTOKEN, {"reserves_feed_answer": UNKNOWN}, "unknown"),
    ("RS-4", SOL, {"reserves_feed_answer": UNKNOWN, "reserves_shares": D(1)}, "unknown"),
    # RS-6 oracle round
    ("RS-6", SOL, {}, "n/a"),
    ("RS-6", BTOKEN, {"reserves_feed_answer": D(1), "reserves_feed_round_check": "ok"}, "pass"),
    ("RS-6", BTOKEN, {"reserves_feed_answer": D(1), "reserves_feed_round_check": "answer is 0"}, "warning"),
    ("RS-6", BTOKEN, {"reserves_feed_answer": D(1), "reserves_feed_round_check": UNKNOWN}, "unknown"),
    ("RS-6", BTOKEN, {}, "unknown"),  # a registered feed that was not read
    ("RS-6", SOL, {"reserves_feed_answer": UNKNOWN}, "unknown"),
    # RS-7 supply jump
    ("RS-7", SOL, {"outstanding_all_chains": D(100), "outstanding_now_all_chains": D(105)}, "pass"),
    ("RS-7", SOL, {"outstanding_all_chains": D(100), "outstanding_now_all_chains": D(120)}, "caution"),
    ("RS-7", SOL, {"outstanding_all_chains": D(100), "outstanding_now_all_chains": D(80)}, "caution"),
    ("RS-7", SOL, {"outstanding_all_chains": D(0), "outstanding_now_all_chains": D(5)}, "caution"),
    ("RS-7", SOL, {"outstanding_all_chains": D(0), "outstanding_now_all_chains": D(0)}, "pass"),
    ("RS-7", SOL, {"outstanding_all_chains": D(100), "outstanding_now_all_chains": D(-100)}, "unknown"),
    ("RS-7", SOL, {"outstanding_all_chains": D(100)}, "unknown"),
    ("RS-7", SOL, {"outstanding_now_all_chains": D(100)}, "unknown"),
    # CT-1 upgrade power
    ("CT-1", SOL, {}, "n/a"),
    ("CT-1", EVM, {"proxy_admin": "0xa", "proxy_admin_controller_kind": PLAIN}, "warning"),
    (
        "CT-1",
        EVM,
        {"proxy_admin": "0xa", "proxy_admin_controller": "0xc", "proxy_admin_controller_kind": PLAIN},
        "warning",
    ),
    ("CT-1", EVM, {"proxy_admin": "0xa", "proxy_admin_controller_kind": SAFE}, "caution"),
    ("CT-1", EVM, {"proxy_admin": "0xa", "proxy_admin_controller_kind": "timelock (minimum delay 48 h)"}, "pass"),
    ("CT-1", EVM, {"proxy_admin": "0xa", "proxy_admin_controller_kind": "timelock (minimum delay 2 h)"}, "caution"),
    ("CT-1", EVM, {"proxy_admin": "0xa", "proxy_admin_controller_kind": "timelock (delay unreadable)"}, "unknown"),
    ("CT-1", EVM, {"proxy_admin": "0xa", "proxy_admin_controller_kind": CONTRACT}, "caution"),
    ("CT-1", EVM, {"proxy_admin": "none (not upgradeable through EIP-1967)"}, "pass"),
    ("CT-1", EVM, {"proxy_admin": "0xa", "proxy_admin_controller_kind": UNKNOWN}, "unknown"),
    ("CT-1", EVM, {"proxy_admin": UNKNOWN}, "unknown"),
    ("CT-1", EVM, {}, "unknown"),
    # CT-2 mint power
    ("CT-2", EVM, {"mint_authority": "0xm", "mint_authority_kind": PLAIN}, "warning"),
    ("CT-2", EVM, {"mint_authority": "0xm", "mint_authority_kind": OWNED_BY_KEY}, "warning"),
    ("CT-2", EVM, {"mint_authority": "0xm", "mint_authority_kind": SAFE}, "pass"),
    ("CT-2", EVM, {"mint_authority": "0xm", "mint_authority_kind": OWNED_BY_SAFE}, "pass"),
    ("CT-2", EVM, {"mint_authority": "0xm", "mint_authority_kind": "timelock (minimum delay 72 h)"}, "pass"),
    ("CT-2", EVM, {"mint_authority": "0xm", "mint_authority_kind": CONTRACT}, "caution"),
    ("CT-2", SOL, {"mint_authority": "none"}, "pass"),
    # A vanity key that begins with "none" is a holder, not nobody.
    ("CT-2", SOL, {"mint_authority": VANITY_NONE, "mint_authority_kind": PLAIN}, "warning"),
    ("CT-2", SOL, {"mint_authority": VANITY_NONE}, "unknown"),
    ("CT-2", EVM, {"mint_authority": "not present"}, "pass"),
    ("CT-2", SOL, {"mint_authority": "7pt9", "mint_authority_kind": UNKNOWN}, "unknown"),
    ("CT-2", SOL, {"mint_authority": UNKNOWN}, "unknown"),
    ("CT-2", SOL, {}, "unknown"),
    # CT-3 freeze/pause powers
    ("CT-3", SOL, SOLANA_POWERS, "pass"),
    ("CT-3", EVM, EVM_POWERS, "pass"),
    ("CT-3", SOL, {**SOLANA_POWERS, "freeze_authority": "JDq", "freeze_authority_kind": PLAIN}, "caution"),
    ("CT-3", SOL, {**SOLANA_POWERS, "freeze_authority": "JDq", "freeze_authority_kind": "multisig (Squads)"}, "pass"),
    ("CT-3", SOL, {**SOLANA_POWERS, "freeze_authority": "JDq", "freeze_authority_kind": CONTRACT}, "caution"),
    ("CT-3", SOL, {**SOLANA_POWERS, "freeze_authority": "JDq", "freeze_authority_kind": UNKNOWN}, "unknown"),
    ("CT-3", SOL, {"freeze_authority": "JDq", "freeze_authority_kind": PLAIN, "pause_authority": UNKNOWN}, "caution"),
    ("CT-3", SOL, {"freeze_authority": "JDq", "freeze_authority_kind": SAFE, "pause_authority": UNKNOWN}, "unknown"),
    ("CT-3", EVM, {**EVM_POWERS, "pause_authority": "0xp", "pause_authority_kind": OWNED_BY_KEY}, "caution"),
    ("CT-3", EVM, {**EVM_POWERS, "pause_authority": "0xp", "pause_authority_kind": SAFE}, "pass"),
    ("CT-3", EVM, {**EVM_POWERS, "sanctions_list": "0x5a"}, "caution"),  # a list whose owner is not classified
    (
        "CT-3",
        EVM,
        {
            **EVM_POWERS,
            "freeze_authority": "0xf",
            "freeze_authority_kind": CONTRACT,
            "pause_authority": "0xp",
            "pause_authority_kind": PLAIN,
            "sanctions_list": "0x5a",
            "sanctions_list_kind": PLAIN,
        },
        "caution",
    ),
    (
        "CT-3",
        EVM,
        {**EVM_POWERS, "freeze_authority": "0xf", "freeze_authority_kind": CONTRACT, "sanctions_list": "0x5a"},
        "caution",
    ),
    ("CT-3", EVM, {**EVM_POWERS, "sanctions_list": "0x5a", "sanctions_list_kind": SAFE}, "pass"),
    ("CT-3", EVM, {"freeze_authority": "not present", "pause_authority": "none"}, "unknown"),  # sanctions not read
    ("CT-3", SOL, {"freeze_authority": "none"}, "unknown"),  # pause not read
    ("CT-3", SOL, {"pause_authority": "none"}, "unknown"),  # freeze not read
    ("CT-3", SOL, {}, "unknown"),
    ("CT-3", EVM, {}, "unknown"),
    # CT-4 paused
    ("CT-4", EVM, {"paused": True}, "critical"),
    ("CT-4", EVM, {"paused": False}, "pass"),
    ("CT-4", EVM, {"paused": "not present"}, "pass"),
    ("CT-4", EVM, {"paused": "maybe"}, "unknown"),
    ("CT-4", SOL, {"paused": False, "market_trading_halted": True}, "caution"),
    ("CT-4", SOL, {"paused": True, "market_trading_halted": True}, "critical"),
    ("CT-4", SOL, {"paused": False, "market_trading_halted": False}, "pass"),
    ("CT-4", SOL, {"paused": False, "market_trading_halted": UNKNOWN}, "unknown"),
    ("CT-4", SOL, {"paused": True, "market_trading_halted": UNKNOWN}, "critical"),
    ("CT-4", EVM, {"paused": UNKNOWN}, "unknown"),
    ("CT-4", EVM, {}, "unknown"),
    # CT-5 permanent delegate
    ("CT-5", SOL, {"permanent_delegate": "5aMN", "permanent_delegate_kind": PLAIN}, "warning"),
    ("CT-5", SOL, {"permanent_delegate": "5aMN", "permanent_delegate_kind": "multisig (Squads v4)"}, "caution"),
    ("CT-5", EVM, {"permanent_delegate": "none (no forced transfer)"}, "pass"),
    ("CT-5", EVM, {"permanent_delegate": "not present"}, "pass"),
    ("CT-5", SOL, {"permanent_delegate": "5aMN", "permanent_delegate_kind": UNKNOWN}, "unknown"),
    ("CT-5", SOL, {"permanent_delegate": UNKNOWN}, "unknown"),
    ("CT-5", EVM, {}, "unknown"),
    # CT-6 default frozen
    ("CT-6", EVM, {}, "n/a"),
    ("CT-6", SOL, {"default_account_state": "frozen"}, "caution"),
    ("CT-6", SOL, {"default_account_state": "initialized"}, "pass"),
    ("CT-6", SOL, {"default_account_state": UNKNOWN}, "unknown"),
    ("CT-6", SOL, {}, "unknown"),
    # CT-7 transfer hook
    ("CT-7", EVM, {}, "n/a"),
    ("CT-7", SOL, {"transfer_hook_program": "HookProgram111"}, "caution"),
    ("CT-7", SOL, {"transfer_hook_program": "none", "transfer_hook_authority": "5aMN"}, "pass"),
    ("CT-7", SOL, {"transfer_hook_program": "none", "transfer_hook_authority": "none"}, "pass"),
    ("CT-7", SOL, {"transfer_hook_program": "none"}, "pass"),
    ("CT-7", SOL, {"transfer_hook_program": UNKNOWN}, "unknown"),
    ("CT-7", SOL, {}, "unknown"),
    # CT-8 transfer fee
    ("CT-8", SOL, {"transfer_fee": D(25)}, "caution"),
    ("CT-8", SOL, {"transfer_fee": D(1)}, "caution"),
    ("CT-8", SOL, {"transfer_fee": D(0)}, "pass"),
    ("CT-8", SOL, {"transfer_fee": D(-25)}, "unknown"),
    ("CT-8", SOL, {"transfer_fee": "25 %"}, "unknown"),
    ("CT-8", EVM, {"transfer_fee": "not present", "fee_per_year": D("0.0025")}, "pass"),
    ("CT-8", EVM, {"transfer_fee": "not present"}, "pass"),
    ("CT-8", EVM, {"fee_per_year": D("0.0025")}, "unknown"),  # no transfer fee read: not a pass
    ("CT-8", EVM, {}, "unknown"),
    ("CT-8", SOL, {"transfer_fee": UNKNOWN}, "unknown"),
    # CT-9 authority changes
    ("CT-9", EVM, {}, "unknown"),
    ("CT-9", EVM, {"authority_changes_30d": [{"event": "RoleGranted", "block": 7}]}, "caution"),
    ("CT-9", EVM, {"authority_changes_30d": []}, "pass"),
    ("CT-9", EVM, {"authority_changes_30d": UNKNOWN}, "unknown"),
    # HD-1 / HD-2 / HD-3
    ("HD-1", SOL, {"holders_top1_share": D("0.10")}, "pass"),
    ("HD-1", SOL, {"holders_top1_share": D("0.30")}, "caution"),
    ("HD-1", SOL, {"holders_top1_share": D("0.60")}, "warning"),
    ("HD-1", SOL, {"holders_top1_share": D("1.5")}, "unknown"),
    ("HD-1", SOL, {"holders_top1_share": D("-0.1")}, "unknown"),
    ("HD-1", SOL, {"holders_top1_share": D("0.10"), **SUPPLY_DISAGREES}, "caution"),
    ("HD-1", SOL, {"holders_top1_share": D("0.60"), **SUPPLY_DISAGREES}, "warning"),
    ("HD-1", SOL, {"holders_top1_share": D("0.10"), "holders_sum_check": "differs: Σ 5 vs 9"}, "caution"),
    ("HD-1", SOL, {"holders_top1_share": D("0.10"), "holders_sum_check": "matches"}, "pass"),
    ("HD-1", SOL, {"holders_top1_share": UNKNOWN, **SUPPLY_DISAGREES}, "unknown"),
    ("HD-1", SOL, {"holders_top1_share": UNKNOWN}, "unknown"),
    ("HD-2", SOL, {"holders_top10_share": D("0.40")}, "pass"),
    ("HD-2", SOL, {"holders_top10_share": D("0.60")}, "caution"),
    ("HD-2", SOL, {"holders_top10_share": D("0.90")}, "warning"),
    ("HD-2", SOL, {"holders_top10_share": D("0.40"), **SUPPLY_DISAGREES}, "caution"),  # DQ-2 says disagree
    ("HD-2", SOL, {"holders_top10_share": D("0.40"), "total_supply": D(1000), "total_supply_rpc_ui": D(1000)}, "pass"),
    ("HD-2", SOL, {}, "unknown"),
    ("HD-3", SOL, {"float": D(50), "total_supply": D(1000)}, "pass"),
    ("HD-3", SOL, {"float": D(5), "total_supply": D(1000)}, "caution"),
    ("HD-3", SOL, {"float": D(50), "total_supply": D(1000), "total_supply_rpc_ui": D(50000)}, "caution"),
    ("HD-3", SOL, {"float": D(0), "total_supply": D(0)}, "n/a"),
    ("HD-3", SOL, {"float": D(0), "total_supply": D(0), "total_supply_rpc_ui": D(5)}, "n/a"),
    (
        "HD-3",
        SOL,
        {"float": D(50), "total_supply": D(1000), "holders_sum_check": "differs", **SUPPLY_DISAGREES},
        "caution",
    ),
    ("HD-3", SOL, {"float": D(2000), "total_supply": D(1000)}, "unknown"),
    ("HD-3", SOL, {"float": D(-5), "total_supply": D(1000)}, "unknown"),
    ("HD-3", SOL, {"float": D(5), "total_supply": D(-1000)}, "unknown"),
    ("HD-3", SOL, {"float": UNKNOWN, "total_supply": D(1000)}, "unknown"),
    ("HD-3", SOL, {"float": D(5)}, "unknown"),
    # PM-1 / PM-2 / PM-3
    (
        "PM-1",
        SOL,
        {"premium": D("0.004"), "price": D(100), "reference_price": D("99.6"), "market_session": "regular"},
        "pass",
    ),
    (
        "PM-1",
        SOL,
        {"premium": D("-0.02"), "price": D(98), "reference_price": D(100), "market_session": "regular"},
        "caution",
    ),
    (
        "PM-1",
        SOL,
        {"premium": D("0.05"), "price": D(105), "reference_price": D(100), "market_session": "closed"},
        "warning",
    ),
    ("PM-1", SOL, {"premium": D("-0.05"), "market_session": "regular"}, "warning"),
    ("PM-1", SOL, {"premium": D("-1"), "market_session": "regular"}, "warning"),
    ("PM-1", SOL, {"premium": D("-1.5"), "market_session": "regular"}, "unknown"),
    ("PM-1", SOL, {"premium": D("NaN"), "market_session": "regular"}, "unknown"),
    ("PM-1", SOL, {"premium": D("0.004")}, "pass"),
    ("PM-1", SOL, {"price": D(100)}, "unknown"),
    ("PM-1", SOL, {"premium": D("0.004"), "price": D(100), "market_session": "regular"}, "pass"),
    ("PM-2", SOL, {"market_session": "regular", "reference_price_updated_at": at(minutes=-1)}, "pass"),
    ("PM-2", SOL, {"market_session": "regular", "reference_price_updated_at": at(hours=-5)}, "caution"),
    ("PM-2", SOL, {"market_session": "regular", "reference_price_updated_at": at(hours=1)}, "unknown"),  # future
    ("PM-2", SOL, {"market_session": "regular", "reference_price_updated_at": at()}, "pass"),
    ("PM-2", SOL, {"market_session": "after-hours", "reference_price_updated_at": at(hours=-5)}, "n/a"),
    ("PM-2", SOL, {"market_session": "regular", "reference_price_updated_at": "yesterday"}, "unknown"),
    ("PM-2", SOL, {"market_session": "regular"}, "unknown"),
    ("PM-2", SOL, {"reference_price_updated_at": at()}, "unknown"),
    ("PM-3", SOL, {"reference_price": D(100)}, "pass"),
    ("PM-3", SOL, {"reference_price": D(100), "underlying_price": D(100)}, "pass"),
    (
        "PM-3",
        SOL,
        {"reference_price": DERIVED, "underlying_price": fact(D(100), source="Jupiter (http://127.0.0.1:8)")},
        "pass",
    ),
    ("PM-3", SOL, {"reference_price": UNKNOWN}, "unknown"),
    ("PM-3", SOL, {}, "unknown"),
    # CA-1 on-chain schedule (chain time) and the issuer's (wall clock)
    ("CA-1", SOL, {"multiplier_pending": "none"}, "pass"),
    ("CA-1", SOL, {"multiplier_pending": "not present"}, "pass"),
    ("CA-1", SOL, {"multiplier_pending": D("1.0025"), "multiplier_pending_at": at(days=3), "chain_time": at()}, "pass"),
    ("CA-1", SOL, {"multiplier_pending": D("2"), "multiplier_pending_at": at(hours=3), "chain_time": at()}, "caution"),
    # The chain's clock, not the wall clock: 3 h ahead of now, but 49 h ahead of the chain's time.
    (
        "CA-1",
        EVM,
        {"multiplier_pending": D(2), "multiplier_pending_at": at(hours=3), "chain_time": at(hours=-46)},
        "pass",
    ),
    (
        "CA-1",
        EVM,
        {"multiplier_pending": D(2), "multiplier_pending_at": at(days=3), "chain_time": at(days=2, hours=12)},
        "caution",
    ),
    ("CA-1", EVM, {"multiplier_pending": D(2), "multiplier_pending_at": at(days=3)}, "unknown"),  # no chain time
    ("CA-1", EVM, {"multiplier_pending": D(2), "multiplier_pending_at": at(days=3), "chain_time": UNKNOWN}, "unknown"),
    ("CA-1", EVM, {"multiplier_pending": D(2), "multiplier_pending_at": at(days=3), "chain_time": "soon"}, "unknown"),
    ("CA-1", EVM, {"multiplier_pending": D(2), "multiplier_pending_at": UNKNOWN, "chain_time": at()}, "unknown"),
    ("CA-1", EVM, {"multiplier_pending": UNKNOWN, "multiplier_issuer_pending": "none"}, "unknown"),
    ("CA-1", EVM, {"multiplier_issuer_pending": "none"}, "pass"),
    ("CA-1", EVM, {"multiplier_issuer_pending": D(2), "multiplier_issuer_pending_at": at(days=3)}, "pass"),
    ("CA-1", EVM, {"multiplier_issuer_pending": D(2), "multiplier_issuer_pending_at": at(hours=3)}, "caution"),
    ("CA-1", EVM, {"multiplier_issuer_pending": D(2), "multiplier_issuer_pending_at": at(hours=-3)}, "caution"),
    ("CA-1", EVM, {"multiplier_issuer_pending": D(2), "multiplier_issuer_pending_at": at()}, "caution"),
    ("CA-1", EVM, {"multiplier_issuer_pending": D(2), "multiplier_issuer_pending_at": at(minutes=30)}, "caution"),
    ("CA-1", EVM, {"multiplier_issuer_pending": D(2), "multiplier_issuer_pending_at": "none"}, "unknown"),
    ("CA-1", SOL, {}, "unknown"),
    # CA-2 / CA-5
    ("CA-2", SOL, {"multiplier_history_issuer": [{"multiplier": "1.01", "reason": "Dividend"}]}, "pass"),
    ("CA-2", SOL, {"multiplier_history_issuer": [{"multiplier": "1.01", "reason": None}]}, "caution"),
    ("CA-2", SOL, {"multiplier_history_issuer": []}, "pass"),
    (
        "CA-2",
        SOL,
        {"multiplier_history_issuer": [{"multiplier": "1.01", "reason": ""}, {"multiplier": "1.02", "reason": None}]},
        "caution",
    ),
    (
        "CA-2",
        EVM,
        {
            "multiplier_history_issuer": [{"multiplier": "1.01", "reason": None}],
            "multiplier_history": [{"multiplier": "1.01"}],
        },
        "caution",
    ),
    (
        "CA-2",
        EVM,
        {
            "multiplier_history_issuer": [{"multiplier": "1.01", "reason": "Dividend"}],
            "multiplier_history": [{"multiplier": "1.5"}, {"multiplier": "1.01"}],
        },
        "caution",
    ),
    (
        "CA-2",
        EVM,
        {
            "multiplier_history_issuer": [{"multiplier": "1.01", "reason": "Dividend"}],
            "multiplier_history": [{"multiplier": "1.010"}],
        },
        "pass",
    ),
    (
        "CA-2",
        EVM,
        {  # initialisation sets 1 → 1: not a step
            "multiplier_history_issuer": [],
            "multiplier_history": [{"previous": "1", "multiplier": "1.0", "at": None}],
        },
        "pass",
    ),
    (
        "CA-2",
        EVM,
        {  # a step that activates after the chain's time has not been taken (CA-1 shows it)
            "multiplier_history_issuer": [],
            "multiplier_history": [{"previous": "1", "multiplier": "2", "at": at(seconds=1)}],
            "chain_time": at(),
        },
        "pass",
    ),
    (
        "CA-2",
        EVM,
        {  # activated exactly at the chain's time: taken, and undeclared
            "multiplier_history_issuer": [],
            "multiplier_history": [{"previous": "1", "multiplier": "2", "at": at()}],
            "chain_time": at(),
        },
        "caution",
    ),
    (
        "CA-2",
        EVM,
        {  # the chain's time unknown: a dated step counts
            "multiplier_history_issuer": [],
            "multiplier_history": [{"previous": "1", "multiplier": "2", "at": at(seconds=1)}],
            "chain_time": UNKNOWN,
        },
        "caution",
    ),
    ("CA-2", EVM, {"multiplier_history_issuer": [{"multiplier": "1.01", "reason": "Dividend"}]}, "unknown"),
    (
        "CA-2",
        EVM,
        {"multiplier_history_issuer": [{"multiplier": "1.01", "reason": "Dividend"}], "multiplier_history": UNKNOWN},
        "unknown",
    ),
    ("CA-2", SOL, {"multiplier_history_issuer": UNKNOWN}, "unknown"),
    ("CA-2", SOL, {"multiplier_history_issuer": "1.01"}, "unknown"),
    ("CA-5", SOL, {"multiplier": D("1.0017")}, "pass"),
    ("CA-5", SOL, {"multiplier": D(1)}, "pass"),
    ("CA-5", EVM, {"multiplier": "not present"}, "pass"),
    ("CA-5", SOL, {"multiplier": UNKNOWN}, "unknown"),
    # RD-* from the catalog
    ("RD-1", SOL, {}, "pass"),
    ("RD-1", ONDO, {}, "warning"),
    ("RD-1", IMPOSTOR, {}, "unknown"),
    ("RD-1", SOL, {TERMS: {}}, "unknown"),
    ("RD-1", SOL, {TERMS: {"retail_redemption": True}}, "pass"),
    ("RD-2", SOL, {}, "unknown"),
    ("RD-2", IMPOSTOR, {}, "unknown"),
    ("RD-2", SOL, {TERMS: {"redemption_minimum_usd": 5000}}, "caution"),
    ("RD-2", SOL, {TERMS: {"redemption_minimum_usd": 100}}, "pass"),
    ("RD-3", SOL, {}, "pass"),
    ("RD-3", ONDO, {}, "unknown"),
    ("RD-3", IMPOSTOR, {}, "unknown"),
    ("RD-3", SOL, {TERMS: {"redeem_for": "shares"}}, "pass"),
    ("RD-4", SOL, {}, "caution"),
    ("RD-4", IMPOSTOR, {}, "unknown"),
    ("RD-4", SOL, {TERMS: {"settlement_days": 2}}, "pass"),
    ("RD-4", SOL, {TERMS: {"settlement_days": 10}}, "caution"),
    ("RD-5", SOL, {}, "pass"),
    ("RD-5", ONDO, {}, "unknown"),
    ("RD-5", IMPOSTOR, {}, "unknown"),
    ("RD-5", SOL, {TERMS: {"kyc_to_hold": True, "kyc_to_redeem": True}}, "caution"),
    ("RD-5", SOL, {TERMS: {"kyc_to_hold": False, "kyc_to_redeem": False}}, "pass"),
    ("RD-6", SOL, {}, "pass"),
    ("RD-6", BTOKEN, {}, "warning"),
    ("RD-6", IMPOSTOR, {}, "unknown"),
    ("RD-6", SOL, {TERMS: {"custodians": ["Custodian AG"]}}, "caution"),
    ("RD-7", SOL, {}, "pass"),
    ("RD-7", BTOKEN, {}, "caution"),
    ("RD-7", IMPOSTOR, {}, "unknown"),
    ("RD-8", SOL, {}, "unknown"),
    ("RD-8", IMPOSTOR, {}, "unknown"),
    ("RD-8", SOL, {TERMS: {}}, "unknown"),
    ("RD-9", SOL, {}, "pass"),
    ("RD-9", IMPOSTOR, {}, "unknown"),
    ("RD-9", SOL, {TERMS: {"is_share": True, "legal_form": "a share"}}, "pass"),
    ("RD-9", SOL, {TERMS: {"legal_form": "a note"}}, "unknown"),
    ("MK-1", SOL, {}, "unknown"),
    ("MK-1", SOL, {"marketing_all_upside": "yes"}, "warning"),
    ("MK-1", SOL, {"marketing_all_upside": "no"}, "pass"),
    ("MK-1", SOL, {"marketing_all_upside": "unsure"}, "unknown"),
    ("MK-1", SOL, {"marketing_all_upside": UNKNOWN}, "unknown"),
    # DQ-2 / DQ-3
    ("DQ-2", SOL, {"multiplier": D("1.0017"), "multiplier_issuer": D("1.0017")}, "pass"),
    ("DQ-2", SOL, {"multiplier": D("1.0017"), "multiplier_issuer": D("1.05")}, "caution"),
    ("DQ-2", SOL, {"total_supply": D(1000), "total_supply_rpc_ui": D(2000)}, "caution"),
    ("DQ-2", SOL, {"multiplier": D(1), "multiplier_issuer": D(1), **SUPPLY_DISAGREES}, "caution"),
    ("DQ-2", SOL, {"multiplier": D(1), "multiplier_issuer": D(2), **SUPPLY_DISAGREES}, "caution"),
    (
        "DQ-2",
        SOL,
        {"multiplier": D(1), "multiplier_issuer": D(1), "total_supply": D(9), "total_supply_rpc_ui": D(9)},
        "pass",
    ),
    ("DQ-2", SOL, {"total_supply": D(1000), "total_supply_rpc_ui": D("1001.0005")}, "pass"),  # relative to the larger
    ("DQ-2", EVM, {"multiplier": "not present", "multiplier_issuer": D(1)}, "unknown"),
    ("DQ-2", SOL, {"multiplier": D("1.0017"), "multiplier_issuer": UNKNOWN}, "unknown"),
    (
        "DQ-2",
        SOL,
        {"multiplier": D(1), "multiplier_issuer": D(1), "total_supply": D(9), "total_supply_rpc_ui": UNKNOWN},
        "unknown",
    ),
    ("DQ-2", EVM, {"multiplier": "not present", "multiplier_issuer": "not present"}, "unknown"),
    ("DQ-2", SOL, {"multiplier": D(1)}, "unknown"),  # one source is no comparison
    ("DQ-2", SOL, {}, "unknown"),
    ("DQ-2", SOL, {"reserves_coverage": D("1.0027"), "reserves_coverage_measured": D("0.98")}, "caution"),
    ("DQ-2", SOL, {"reserves_coverage": D("1.0027"), "reserves_coverage_measured": D("1.0027")}, "pass"),
    ("DQ-2", SOL, {"reserves_coverage": D("1.0027"), "reserves_coverage_measured": UNKNOWN}, "unknown"),
    ("DQ-3", SOL, {"multiplier": D(1)}, "pass"),
    ("DQ-3", SOL, {"multiplier": fact(D(1), fetched_at=NOW - timedelta(hours=23))}, "pass"),
    ("DQ-3", SOL, {"multiplier": fact(D(1), fetched_at=NOW - timedelta(days=31)), "paused": False}, "caution"),
    ("DQ-3", SOL, {"multiplier": D(1), "paused": fact(False, fetched_at=NOW - timedelta(days=31))}, "caution"),
    ("DQ-3", SOL, {"multiplier": UNKNOWN}, "unknown"),
    ("DQ-3", SOL, {"premium": DERIVED, "market_session": fact("regular", source="NYSE calendar")}, "unknown"),
    ("DQ-3", SOL, {"reserves_feed_heartbeat_hours": fact(D(24), source="registry: https://x.example")}, "unknown"),
    ("DQ-3", SOL, {}, "unknown"),
]


@pytest.mark.parametrize(
    ("rule_id", "target", "facts", "status"), CASES, ids=[f"{c[0]}-{i}-{c[3]}" for i, c in enumerate(CASES)]
)
def test_rule_status(rule_id, target, facts, status):
    result = finding(rule_id, target, facts)
    assert result.status == status, result.explanation
    assert len(result.explanation) > 20


def test_every_rule_has_a_row_for_each_kind_of_answer():
    ids = {rule_id for rule_id, *_ in RULES}
    assert ids == {c[0] for c in CASES}
    for rule_id in ids:
        statuses = {c[3] for c in CASES if c[0] == rule_id}
        assert "unknown" in statuses or "n/a" in statuses or rule_id == "ID-4", rule_id
        statuses |= {c[4] for c in COUNTRY_CASES if c[0] == rule_id}
        assert statuses - {"unknown", "n/a"}, rule_id


# Every threshold at, just below and just above its boundary. Each row: the threshold, the rule,
# the target, the facts for an input x, x at the boundary (from the threshold t), a small step, and
# the statuses for x − step, x, x + step. The boundary moves with the threshold file.
BOUNDARIES = [
    (
        "RS-1.cadence_multiple",
        "RS-1",
        SOL,
        lambda x: {"reserves_age_hours": x, "reserves_cadence_hours": D(24)},
        lambda t: 24 * t,
        D("0.1"),
        ("pass", "pass", "warning"),
    ),
    (
        "RS-1.unknown_cadence_hours",
        "RS-1",
        SOL,
        lambda x: {"reserves_age_hours": x},
        lambda t: t,
        D("0.1"),
        ("pass", "pass", "warning"),
    ),
    (
        "RS-2.tolerance",
        "RS-2",
        SOL,
        lambda x: {"reserves_age_hours": D(1), "reserves_coverage": x},
        lambda t: 1 - t,
        D("0.000001"),
        ("critical", "pass", "pass"),
    ),
    (
        "RS-2.max_plausible",
        "RS-2",
        SOL,
        lambda x: {"reserves_age_hours": D(1), "reserves_coverage": x},
        lambda t: t,
        D("0.000001"),
        ("pass", "pass", "caution"),
    ),
    (
        "RS-2.tolerance",
        "RS-2",
        SOL,
        lambda x: {"reserves_age_hours": D(1), "reserves_coverage": D(1), "reserves_coverage_measured": x},
        lambda t: 1 - t,
        D("0.000001"),
        ("critical", "pass", "pass"),
    ),
    (
        "RS-3.tolerance",
        "RS-3",
        SOL,
        lambda x: {"float": D(1), "outstanding_measured_all_chains": x, "outstanding_all_chains": D(1000)},
        lambda t: 1000 * (1 + t),
        D("0.001"),
        ("pass", "pass", "warning"),
    ),
    (
        "DQ-2.tolerance",
        "DQ-2",
        SOL,
        lambda x: {"reserves_coverage": D(1), "reserves_coverage_measured": x},
        lambda t: 1 + t,
        D("0.00001"),  # relative to the larger figure: 1.001 differs from 1 by just under 0.1 % of 1.001
        ("pass", "pass", "caution"),
    ),
    (
        "RS-3.tolerance",
        "RS-3",
        SOL,
        lambda x: {"float": x, "outstanding_all_chains": D(1000)},
        lambda t: 1000 * (1 + t),
        D("0.001"),
        ("pass", "pass", "warning"),
    ),
    (
        "RS-7.supply_jump",
        "RS-7",
        SOL,
        lambda x: {"outstanding_all_chains": D(1000), "outstanding_now_all_chains": x},
        lambda t: 1000 * (1 + t),
        D("0.001"),
        ("pass", "pass", "caution"),
    ),
    (
        "RS-7.supply_jump",
        "RS-7",
        SOL,
        lambda x: {"outstanding_all_chains": D(1000), "outstanding_now_all_chains": 2000 - x},
        lambda t: 1000 * (1 + t),
        D("0.001"),
        ("pass", "pass", "caution"),
    ),
    (
        "CT-1.timelock_hours",
        "CT-1",
        EVM,
        lambda x: {"proxy_admin": "0xa", "proxy_admin_controller_kind": f"timelock (minimum delay {x} h)"},
        lambda t: t,
        D("0.1"),
        ("caution", "pass", "pass"),
    ),
    (
        "HD-1.caution",
        "HD-1",
        SOL,
        lambda x: {"holders_top1_share": x},
        lambda t: t,
        D("0.0001"),
        ("pass", "pass", "caution"),
    ),
    (
        "HD-1.warning",
        "HD-1",
        SOL,
        lambda x: {"holders_top1_share": x},
        lambda t: t,
        D("0.0001"),
        ("caution", "caution", "warning"),
    ),
    (
        "HD-2.caution",
        "HD-2",
        SOL,
        lambda x: {"holders_top10_share": x},
        lambda t: t,
        D("0.0001"),
        ("pass", "pass", "caution"),
    ),
    (
        "HD-2.warning",
        "HD-2",
        SOL,
        lambda x: {"holders_top10_share": x},
        lambda t: t,
        D("0.0001"),
        ("caution", "caution", "warning"),
    ),
    (
        "HD-3.float_min",
        "HD-3",
        SOL,
        lambda x: {"float": x, "total_supply": D(1000)},
        lambda t: 1000 * t,
        D("0.01"),
        ("caution", "pass", "pass"),
    ),
    (
        "PM-1.caution",
        "PM-1",
        SOL,
        lambda x: {"premium": x, "market_session": "regular"},
        lambda t: t,
        D("0.0001"),
        ("pass", "pass", "caution"),
    ),
    (
        "PM-1.caution",
        "PM-1",
        SOL,
        lambda x: {"premium": -x, "market_session": "regular"},
        lambda t: t,
        D("0.0001"),
        ("pass", "pass", "caution"),
    ),
    (
        "PM-1.warning",
        "PM-1",
        SOL,
        lambda x: {"premium": x, "market_session": "regular"},
        lambda t: t,
        D("0.0001"),
        ("caution", "caution", "warning"),
    ),
    (
        "PM-2.heartbeat_minutes",
        "PM-2",
        SOL,
        lambda x: {"market_session": "regular", "reference_price_updated_at": at(minutes=-float(x))},
        lambda t: t,
        D("0.1"),
        ("pass", "pass", "caution"),
    ),
    (
        "CA-1.notice_hours",
        "CA-1",
        EVM,
        lambda x: {"multiplier_pending": D(2), "multiplier_pending_at": at(hours=float(x)), "chain_time": at()},
        lambda t: t,
        D("0.01"),
        ("caution", "pass", "pass"),
    ),
    (
        "CA-1.notice_hours",
        "CA-1",
        EVM,
        lambda x: {"multiplier_issuer_pending": D(2), "multiplier_issuer_pending_at": at(hours=float(x))},
        lambda t: t,
        D("0.01"),
        ("caution", "pass", "pass"),
    ),
    (
        "RD-2.min_usd",
        "RD-2",
        SOL,
        lambda x: {TERMS: {"redemption_minimum_usd": str(x)}},
        lambda t: t,
        D("0.01"),
        ("pass", "pass", "caution"),
    ),
    (
        "RD-4.max_settlement_days",
        "RD-4",
        SOL,
        lambda x: {TERMS: {"settlement_days": str(x)}},
        lambda t: t,
        D(1),
        ("pass", "pass", "caution"),
    ),
    (
        "DQ-2.tolerance",
        "DQ-2",
        SOL,
        lambda x: {"total_supply": D(1000), "total_supply_rpc_ui": 2000 - x},
        lambda t: 1000 * (1 + t),
        D("0.0001"),
        ("pass", "pass", "caution"),
    ),
    (
        "DQ-2.tolerance",
        "DQ-2",
        SOL,
        lambda x: {"multiplier": D("0.5"), "multiplier_issuer": x},
        lambda t: D("0.5") + t,  # below 1, the tolerance is absolute
        D("0.00001"),
        ("pass", "pass", "caution"),
    ),
    (
        "DQ-3.freshness_hours",
        "DQ-3",
        SOL,
        lambda x: {"multiplier": fact(D(1), fetched_at=NOW - timedelta(hours=float(x)))},
        lambda t: t,
        D("0.01"),
        ("pass", "pass", "caution"),
    ),
]
# Thresholds whose boundary is not in a rule: CT-9's window is the event scan's (core/lookup.py
# reads it; tests/unit/core/test_evm_history.py); RD-2's holding multiple needs a holding Backcheck
# does not read yet (docs/testing.md).
NOT_IN_A_RULE = {"CT-9.days", "RD-2.holding_multiple"}


@pytest.mark.parametrize(
    ("threshold", "rule_id", "target", "facts", "boundary", "step", "statuses"),
    BOUNDARIES,
    ids=[f"{b[0]}-{i}" for i, b in enumerate(BOUNDARIES)],
)
@pytest.mark.parametrize("side", [-1, 0, 1], ids=["just-below", "at", "just-above"])
def test_threshold_boundary(threshold, rule_id, target, facts, boundary, step, statuses, side):
    x = boundary(CONFIG.thresholds[threshold]) + side * step
    result = finding(rule_id, target, facts(x))
    assert result.status == statuses[side + 1], (x, result.explanation)


def test_every_threshold_has_boundary_rows():
    assert {b[0] for b in BOUNDARIES} | NOT_IN_A_RULE == set(CONFIG.thresholds)


def test_a_moved_threshold_moves_the_boundary():
    # The rows above follow the file's value; an override in settings moves the boundary too.
    row = {"holders_top1_share": D("0.10")}
    assert finding("HD-1", SOL, row).status == "pass"
    assert finding("HD-1", SOL, row, thresholds={"HD-1.caution": D("0.0999")}).status == "caution"


def test_ct9_names_its_window():
    result = finding("CT-9", EVM, {"authority_changes_30d": []}, thresholds={"CT-9.days": D(7)})
    assert "last 7 days" in result.explanation


# RD-8 reads the user's country (a setting): (rule, target, facts, country, status).
COUNTRY_CASES = [
    ("RD-8", SOL, {}, "US", "warning"),
    ("RD-8", SOL, {}, "DE", "pass"),
    ("RD-8", SOL, {TERMS: {"excluded_jurisdictions": ["US", "CA"]}}, "CA", "warning"),
    ("RD-8", SOL, {TERMS: {"excluded_jurisdictions": ["US", "CA"]}}, "DE", "pass"),
    ("RD-8", IMPOSTOR, {}, "US", "unknown"),
]


@pytest.mark.parametrize(("rule_id", "target", "facts", "country", "status"), COUNTRY_CASES)
def test_country_drives_rd8(rule_id, target, facts, country, status):
    assert finding(rule_id, target, facts, country=country).status == status


def test_a_collision_without_an_official_token():
    overlay = replace(EVM.token, symbol="ZZTEST", official=None)
    registry = Registry([*REGISTRY.tokens, overlay], REGISTRY.system_wallets, REGISTRY.issuers.values())
    result = finding("ID-2", IMPOSTOR, {"token_symbol": "zztest"}, registry=registry)
    assert result.status == "caution"
    assert result.explanation == (
        "More than one token calls itself zztest on Ethereum. Always check the address, never the symbol."
    )


def test_id1_names_who_lists_a_row_that_is_not_the_issuers():
    listed = finding("ID-1", THIRD_PARTY).explanation
    assert "listed by darcsoulj-lgtm/float-solana, not confirmed by the issuer" in listed
    removed = finding("ID-1", WITHDRAWN).explanation
    assert "no longer does" in removed and "7ddb42873d 2025-08-14" in removed


def test_a_third_party_row_never_passes_even_if_its_token_claims_official():
    claimed = replace(THIRD_PARTY, token=replace(THIRD_PARTY.token, official=True))
    assert finding("ID-1", claimed, {"issuer_api_address": claimed.address}).status == "unknown"


@pytest.mark.parametrize("without", ["solana_metadata_uri_prefix", "solana_update_authority"])
def test_an_issuer_without_a_metadata_owner_is_confirmed_without_it(without):
    issuers = [replace(i, **{without: None}) for i in REGISTRY.issuers.values()]
    registry = Registry(REGISTRY.tokens, REGISTRY.system_wallets, issuers, REGISTRY.reserve_feeds)
    other = "metadata_update_authority" if without == "solana_metadata_uri_prefix" else "metadata_uri"
    facts = {"issuer_api_address": SOL.address, other: NVDAX_LIVE[other]}
    result = finding("ID-1", SOL, facts, registry=registry)
    assert result.status == "pass" and result.evidence == ("issuer_api_address", other)


def test_rd8_asks_for_the_country():
    assert "Set your country" in finding("RD-8", SOL).explanation


def test_a_missing_input_is_named_with_its_reason():
    result = finding("HD-1", SOL, {"holders_top1_share": UNKNOWN})
    assert "holders top1 share is unknown (node timed out)" in result.explanation
    assert "Unknown is not a pass" in result.explanation
    assert "holders top1 share was not read" in finding("HD-1", SOL).explanation


def test_thresholds_are_overridable_in_settings():
    from backcheck.core.rules import RuleConfig
    from backcheck.core.settings import Settings

    settings = Settings.load()
    settings.override("threshold.HD-1.caution", "0.05")
    config = RuleConfig.load(settings)
    assert config.thresholds["HD-1.caution"] == Decimal("0.05")
    assert config.version == "1.1.0"


def test_the_figures_of_a_lie_are_shown():
    lie = finding(
        "RS-2",
        SOL,
        {
            "reserves_coverage": D(98000000),
            "reserves_shares": D(98),
            "outstanding_all_chains": D("0.000001"),
            "reserves_age_hours": D(1),
        },
    )
    assert "9800000000.00 %" in lie.explanation and "98 shares held for 0.000001 tokens" in lie.explanation
    future = finding("RS-1", SOL, {"reserves_age_hours": D(-8760)})
    assert "-8760 h" in future.explanation and "future" in future.explanation
    assert "Not plausible" in finding("HD-1", SOL, {"holders_top1_share": D(2)}).explanation


def test_hd_rules_name_the_disagreeing_supply():
    result = finding("HD-2", SOL, {"holders_top10_share": D("0.40"), **SUPPLY_DISAGREES})
    assert "the supply sources disagree" in result.explanation and "1000 vs 1000000" in result.explanation
    assert finding("DQ-2", SOL, SUPPLY_DISAGREES).status == "caution"


def test_ca1_says_which_clock():
    chain = finding("CA-1", EVM, {"multiplier_pending": D(2), "multiplier_pending_at": at(days=3), "chain_time": at()})
    assert "72 h from now by the chain's own clock" in chain.explanation and chain.info
    issuer = finding("CA-1", EVM, {"multiplier_issuer_pending": D(2), "multiplier_issuer_pending_at": at(days=3)})
    assert "72 h from now by this computer's clock" in issuer.explanation
    blind = finding("CA-1", EVM, {"multiplier_pending": D(2), "multiplier_pending_at": at(days=3)})
    assert "chain's own time was not read" in blind.explanation
