"""What the rule tests share: targets, a fixed clock, fact builders and one way to run the rules."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from backcheck.core.catalog import Product, Term
from backcheck.core.chains import chain_by_key
from backcheck.core.facts import Fact, iso
from backcheck.core.lookup import Inspection, Target, resolve
from backcheck.core.registry import Registry
from backcheck.core.rules import Finding, RuleConfig, evaluate

REGISTRY = Registry.load()
SOL = resolve(REGISTRY, "NVDAx", "solana")
EVM = resolve(REGISTRY, "AAPLx", "ethereum")
BTOKEN = resolve(REGISTRY, "bIB01", "ethereum")
ONDO = resolve(REGISTRY, "AAPLon", "ethereum")
IMPOSTOR = Target("0x1", chain_by_key("ethereum"), "0x1111111111111111111111111111111111111111", None, None)
# A Solana mint no issuer list holds (what it imitates, if anything, is in its facts).
UNLISTED_MINT = Target("mint", chain_by_key("solana"), "Copy1111111111111111111111111111111111111111", None, None)
SOL_ONDO = resolve(REGISTRY, "AAPLon", "solana")
# Third-party rows of issuers whose catalog says: a register API (Superstate), a claim (Securitize), nothing (Shift).
SUPERSTATE = resolve(REGISTRY, "FWDI", "solana")
SECURITIZE = resolve(REGISTRY, "3J7XcwApkHKUKnNL6bbrA5pmFhCKZ3RB9VG63aAukBzD", "solana")
SHIFT = resolve(REGISTRY, "SPX3L", "solana")
OVERLAY = replace(SOL, token=replace(SOL.token, official=None))
# A token of the user's registry overlay that calls itself AAPLx, at another address.
AAPLX_ELSEWHERE = replace(
    EVM, address="0x2222222222222222222222222222222222222222", token=replace(EVM.token, official=None), deployment=None
)
# Registry rows of the other two bases: a third party's list (Backpack's MU, listed by Float; named by
# its mint, since "MU" also names every token of Micron) and a row Ondo removed from its own list.
THIRD_PARTY = resolve(REGISTRY, "MUxEsUKSMACyw5fZf68wxf5FLnZVhtU9CwH8uNNGay1", "solana")
WITHDRAWN = resolve(REGISTRY, "ULon", "ethereum")
TARGETS = {
    "solana": SOL,
    "evm": EVM,
    "btoken": BTOKEN,
    "ondo": ONDO,
    "impostor": IMPOSTOR,
    "unlisted-mint": UNLISTED_MINT,
    "ondo-solana": SOL_ONDO,
    "superstate": SUPERSTATE,
    "securitize": SECURITIZE,
    "shift": SHIFT,
    "overlay": OVERLAY,
    "overlay-evm": AAPLX_ELSEWHERE,
    "third-party": THIRD_PARTY,
    "withdrawn": WITHDRAWN,
}
D = Decimal

# A fixed clock: no test depends on today's date.
NOW = datetime(2026, 6, 1, 15, 0, tzinfo=UTC)
SOURCE = "test RPC (http://127.0.0.1:9)"


class _Unknown:
    """A fact present with value None and an error (a stable repr: rows are keyed by their text)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()
TERMS = "catalog terms"  # a row's key for catalog terms (name → value) instead of a fact


def at(**delta: float) -> str:
    """An ISO time relative to the fixed clock."""
    return iso(NOW + timedelta(**delta))


def fact(value: object, fetched_at: datetime = NOW, source: str = SOURCE) -> Fact:
    """A fact read from a loopback source at the fixed clock; ``UNKNOWN`` for one that failed."""
    if value is UNKNOWN:
        return Fact(None, "", source, "test", None, fetched_at, error="node timed out")
    return Fact(value, "unit", source, "test", 1, fetched_at)


CONFIG = RuleConfig.load()


def catalog(terms: dict[str, object]) -> list:
    """A catalog whose one product, for every official token, states exactly ``terms``."""
    stated = {name: Term(value, "test catalog", "2026-05-01") for name, value in terms.items()}
    return [({}, Product("test", "Test product", stated))]


def run(
    target: Target,
    facts: dict[str, object] | None = None,
    *,
    country: str = "",
    thresholds: dict[str, Decimal] | None = None,
    now: datetime = NOW,
    registry: Registry = REGISTRY,
) -> list[Finding]:
    """Every finding for facts (values, or ready Facts), with optional catalog terms under ``TERMS``."""
    facts = dict(facts or {})
    terms = facts.pop(TERMS, None)
    built = {k: v if isinstance(v, Fact) else fact(v) for k, v in facts.items()}
    config = replace(CONFIG, country=country, thresholds={**CONFIG.thresholds, **(thresholds or {})})
    if terms is not None:
        config = replace(config, catalog=catalog(terms))
    return evaluate(Inspection(target, built, [], NOW), registry, config, now)


def finding(rule_id: str, target: Target, facts: dict[str, object] | None = None, **kwargs: object) -> Finding:
    """One rule's finding."""
    return next(f for f in run(target, facts, **kwargs) if f.id == rule_id)  # type: ignore[arg-type]
