"""The issuer catalog: every issuer in the registry has a product, each fact cited; a token the issuer
does not confirm gets the issuer's terms labelled, never as official."""

from dataclasses import replace

import pytest

from backcheck.core.catalog import load_catalog, product_for
from backcheck.core.lookup import resolve
from backcheck.core.registry import Registry
from backcheck.core.rules.engine import Outcome, unconfirmed
from tests.unit.core.rules.support import finding

REGISTRY = Registry.load()
CATALOG = load_catalog()
RESERVE_KINDS = {"machine-readable", "pdf", "claim", "none", None}


def test_every_issuer_of_the_registry_has_a_product():
    covered = {product.key for _, product in CATALOG}
    for issuer in {t.issuer_key for t in REGISTRY.tokens}:
        token = next(t for t in REGISTRY.tokens if t.issuer_key == issuer)
        assert product_for(replace(token, official=True), CATALOG) is not None, issuer
    assert {"backpack-securities", "securitize-stocks", "prestocks", "superstate-opening-bell", "shift"} <= covered


def test_every_fact_has_a_source_and_a_check_date_and_reserves_a_known_kind():
    for _, product in CATALOG:
        for name, term in product.terms.items():
            assert term.source and term.checked, (product.key, name)
        assert product.term("reserve_evidence").value in RESERVE_KINDS, product.key


def test_official_third_party_and_withdrawn_tokens():
    official = resolve(REGISTRY, "AAPLon", "ethereum").token
    assert product_for(official, CATALOG).listed_by is None
    third = resolve(REGISTRY, "MUxEsUKSMACyw5fZf68wxf5FLnZVhtU9CwH8uNNGay1", "solana").token
    labelled = product_for(third, CATALOG)
    assert third.official is None  # the catalog never makes it official
    assert labelled.key == "backpack-securities"
    assert labelled.listed_by == "darcsoulj-lgtm/float-solana"
    assert "not confirmed" in labelled.name and "not confirmed by the issuer" in labelled.caveat
    assert product_for(resolve(REGISTRY, "ULon", "ethereum").token, CATALOG) is None  # withdrawn
    assert product_for(None, CATALOG) is None


@pytest.mark.parametrize(
    ("before", "after"),
    [("pass", "unknown"), ("warning", "warning"), ("caution", "caution"), ("unknown", "unknown")],
)
def test_the_issuers_terms_on_an_unconfirmed_token_never_pass(before, after):
    product = product_for(resolve(REGISTRY, "FWDI", "solana").token, CATALOG)
    outcome = unconfirmed(Outcome(before, "Something the terms say."), product.caveat)
    assert outcome.status == after
    assert outcome.explanation.startswith("These are the issuer's terms for its own tokens; this address is listed by")


def test_information_stays_information():
    product = product_for(resolve(REGISTRY, "FWDI", "solana").token, CATALOG)
    outcome = unconfirmed(Outcome("pass", "Redeemed for cash.", info=True), product.caveat)
    assert outcome.status == "pass" and outcome.info


def test_a_third_party_token_is_judged_on_its_issuers_terms_with_the_label():
    superstate = resolve(REGISTRY, "FWDI", "solana")
    rd9 = finding("RD-9", superstate)  # Superstate: a registered share, yet not a pass for an unconfirmed address
    assert rd9.status == "unknown"
    assert "listed by Poglavar/rwa-sonar" in rd9.explanation and "The token is a share" in rd9.explanation
    assert finding("RD-9", resolve(REGISTRY, "SPX3L", "solana")).info  # Shift: not a share, information
