"""ID-6 as a pure rule: the issuer's recorded keys, passed through the rule context (test-only records).

ID-6 has no threshold: a key matches or it does not, and a record's date is reported, not judged.
"""

from dataclasses import replace

from backcheck.core.authorities import Authorities, IssuerKeys, Recorded
from backcheck.core.lookup import Inspection
from backcheck.core.rules import evaluate
from tests.unit.core.rules.support import CONFIG, EVM, IMPOSTOR, NOW, REGISTRY, SOL_ONDO, UNKNOWN, fact, finding, run

ROLES = {
    "proxy_admin": "0x00000000000000000000000000000000000000a1",
    "proxy_admin_controller": "0x00000000000000000000000000000000000000a2",
    "owner": "0x00000000000000000000000000000000000000a2",
    "mint_authority": "0x00000000000000000000000000000000000000a3",
    "pause_authority": "0x00000000000000000000000000000000000000a4",
    "multiplier_updater": "0x00000000000000000000000000000000000000a5",
}


def records(as_of: str = "2026-05-01", **changed: str) -> Authorities:
    roles = {
        fact: (Recorded(address, as_of, "issuer", "test record", "test source"),)
        for fact, address in {**ROLES, **changed}.items()
    }
    return Authorities({("backed", "evm"): IssuerKeys("backed", "evm", roles)})


def id6(target, facts, book: Authorities):
    built = {k: fact(v) for k, v in facts.items()}
    findings = evaluate(Inspection(target, built, [], NOW), REGISTRY, replace(CONFIG, authorities=book), NOW)
    return next(f for f in findings if f.id == "ID-6")


def test_official_evm_token_with_the_recorded_keys_passes():
    result = id6(EVM, ROLES, records())
    assert result.status == "pass", result.explanation
    assert "recorded on 2026-05-01" in result.explanation
    assert set(result.evidence) == set(ROLES)


def test_case_of_an_evm_address_does_not_matter():
    assert id6(EVM, {k: v.upper().replace("0X", "0x") for k, v in ROLES.items()}, records()).status == "pass"


def test_a_second_holder_of_a_recorded_power_is_a_difference():
    extra = {**ROLES, "mint_authority": f"{ROLES['mint_authority']}, 0x{'b' * 40}"}
    result = id6(EVM, extra, records())
    assert result.status == "warning"
    assert "mint authority is" in result.explanation


def test_the_warning_names_the_record_date_and_asks_for_announcements():
    result = id6(EVM, {**ROLES, "owner": "0x" + "c" * 40}, records("2026-04-29"))
    assert result.explanation.startswith("The keys differ from those recorded on 2026-04-29: owner is 0x")
    assert "a rotation or a compromise — check the issuer's announcements" in result.explanation.lower()


def test_a_copycat_and_a_new_token_are_told_apart_by_their_keys():
    name = {"token_symbol": "AAPLx", "token_name": "Apple xStock"}
    copycat = id6(IMPOSTOR, {**name, **ROLES, "proxy_admin": "0x" + "d" * 40}, records())
    assert copycat.status == "critical"
    assert "A copycat can copy a name, not the issuer's keys." in copycat.explanation
    new = id6(IMPOSTOR, {**name, **ROLES}, records())
    assert new.status == "caution"
    assert "likely a new official token not yet in Backcheck's registry" in new.explanation
    unread = id6(IMPOSTOR, {**name, **ROLES, "owner": UNKNOWN}, records())
    assert unread.status == "unknown"


def test_an_unlisted_token_with_an_issuers_keys_and_its_own_name():
    result = id6(IMPOSTOR, {"token_symbol": "NEWx", **ROLES}, records())
    assert result.status == "caution"
    assert "Backed" in result.explanation


def test_no_records_for_the_issuer_is_unknown_never_pass():
    empty = Authorities({})
    assert id6(EVM, ROLES, empty).status == "unknown"
    assert id6(IMPOSTOR, {"token_symbol": "AAPLx", **ROLES}, empty).status == "unknown"


def test_an_unattributed_conflicting_key_is_named_but_not_trusted():
    conflicting = "Chm9dcASBc9C54FGxcSRGv9qC998TueQqr5XzGZkEVCc"
    result = finding("ID-6", SOL_ONDO, {"freeze_authority": conflicting})
    assert result.status == "warning"
    assert f"an unattributed source also names {conflicting}" in result.explanation
    assert "which is not proof" in result.explanation


def test_the_latest_record_date_is_reported():
    pda = "9foMHsSDq7nMg4WPusSz9eY7tyxyukqborA8GyU5cUxD"
    other = "Other111111111111111111111111111111111111111"
    keys = {"mint_authority": other, "freeze_authority": other, "pause_authority": pda, "permanent_delegate": "none"}
    result = finding("ID-6", SOL_ONDO, {**keys, "metadata_update_authority": pda, "multiplier_authority": pda})
    assert result.explanation.startswith(
        "The keys differ from those recorded on 2026-09-20"
    )  # freeze; mint: 2025-12-30


def test_evidence_is_what_was_compared():
    result = next(f for f in run(EVM, {"owner": ROLES["owner"]}) if f.id == "ID-6")
    assert result.status == "unknown" and result.evidence == ()  # xStocks EVM: nothing recorded to compare


def test_nobody_matching_nobody_does_not_identify_an_issuer():
    nobody = Authorities(
        {
            ("backed", "evm"): IssuerKeys(
                "backed", "evm", {"owner": (Recorded("none", "2026-05-01", "issuer", "test record", "test source"),)}
            )
        }
    )
    result = id6(IMPOSTOR, {"token_symbol": "AAPLx", "owner": "none"}, nobody)
    assert result.status == "unknown"
    assert "nobody identifies no issuer" in result.explanation
