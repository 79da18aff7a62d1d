"""Red-flag rules: small pure functions from facts to findings (product.md, rule IDs)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from .facts import Fact
from .lookup import Inspection
from .registry import Issuer, Registry

STATUSES = ("pass", "caution", "warning", "critical", "unknown", "n/a")


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """The outcome of one rule.

    Attributes:
        id: Rule ID from the product brief (``"ID-1"``).
        status: One of :data:`STATUSES`.
        title: The flag's short name.
        explanation: Two or three plain sentences a retail holder understands.
        evidence: Names of the facts the rule used.
    """

    id: str
    status: str
    title: str
    explanation: str
    evidence: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """Serialize to the report contract's finding shape."""
        return {
            "id": self.id,
            "status": self.status,
            "title": self.title,
            "explanation": self.explanation,
            "evidence": list(self.evidence),
        }


def official_token(inspection: Inspection, registry: Registry) -> Finding:
    """ID-1: the address must be on the issuer's own list, and the issuer's live data must agree."""
    title = "Not the issuer's official token"
    target = inspection.target
    facts = inspection.facts
    if target.official is True and target.token is not None and target.deployment is not None:
        listed = f"the issuer's list holds it ({target.deployment.source}, as of {target.deployment.as_of})"
        live = facts.get("issuer_api_address")
        if live is not None and live.known and not _same_address(str(live.value), target.address):
            return Finding(
                "ID-1",
                "warning",
                title,
                f"The bundled registry lists this address, but the issuer's live API now lists "
                f"{live.value} for {target.token.symbol} on {target.chain.name}. Check which one "
                "you hold before trusting either.",
                ("issuer_api_address",),
            )
        mismatch = _metadata_mismatch(facts, registry.issuer(target.token.issuer_key))
        if mismatch:
            return Finding(
                "ID-1",
                "caution",
                title,
                f"This is the official {target.token.symbol} address ({listed}), but {mismatch}. "
                "A changed metadata owner is worth a question to the issuer.",
                ("metadata_uri", "metadata_update_authority"),
            )
        confirmed = " and the issuer's live API confirms it" if live is not None and live.known else ""
        return Finding(
            "ID-1",
            "pass",
            title,
            f"This address is the official {target.token.symbol} contract on {target.chain.name}: {listed}{confirmed}.",
            tuple(k for k in ("issuer_api_address",) if k in facts),
        )
    if target.official is None:
        return Finding(
            "ID-1",
            "unknown",
            title,
            "You added this token in your own registry overlay; no issuer list confirms "
            "it, so Backcheck cannot say whether it is official.",
        )
    symbol = facts.get("token_symbol")
    name = facts.get("token_name")
    if symbol is None or not symbol.known:
        return Finding(
            "ID-1",
            "unknown",
            title,
            "This address is on no issuer list Backcheck has, and its symbol could not be "
            "read, so it is unknown whether it imitates a tracked token.",
            ("token_symbol",),
        )
    imitated = _imitated(str(symbol.value), str(name.value) if name and name.known else "", registry)
    if imitated:
        return Finding(
            "ID-1",
            "critical",
            title,
            f"This contract calls itself {symbol.value}, like the official {imitated}, but "
            "no issuer list holds this address. Treat it as an impostor: the issuer will "
            "not redeem it.",
            ("token_symbol", "token_name"),
        )
    return Finding(
        "ID-1",
        "unknown",
        title,
        f"{symbol.value} is on no issuer list Backcheck has, and it does not imitate a "
        "token Backcheck tracks, so its official status is unknown.",
        ("token_symbol",),
    )


def _same_address(a: str, b: str) -> bool:
    return a.lower() == b.lower() if a.startswith("0x") else a == b


def _metadata_mismatch(facts: dict[str, Fact], issuer: Issuer) -> str | None:
    """Say how on-chain Solana metadata departs from what the issuer's tokens carry."""
    uri, authority = facts.get("metadata_uri"), facts.get("metadata_update_authority")
    problems = []
    prefix = issuer.solana_metadata_uri_prefix
    if prefix and uri is not None and uri.known and not str(uri.value).startswith(prefix):
        problems.append(f"its metadata URI {uri.value} is not under the issuer's {prefix}")
    owner = issuer.solana_update_authority
    if owner and authority is not None and authority.known and authority.value != owner:
        problems.append(f"its metadata update authority is {authority.value}, not the issuer's {owner}")
    return "; ".join(problems) or None


def _imitated(symbol: str, name: str, registry: Registry) -> str | None:
    wanted = symbol.strip().lower()
    for token in registry.tokens:
        if token.official and (token.symbol.lower() == wanted or (name and token.name.lower() == name.strip().lower())):
            return token.symbol
    return None


def coverage(findings: list[Finding], facts: dict[str, Fact]) -> Finding:
    """DQ-1: always say how many checks were measured."""
    measured = sum(1 for f in findings if f.status not in ("unknown", "n/a"))
    known = sum(1 for f in facts.values() if f.known)
    status = "pass" if measured == len(findings) and known == len(facts) else "caution"
    return Finding(
        "DQ-1",
        status,
        "Coverage",
        f"{measured} of {len(findings)} checks measured; {known} of {len(facts)} facts "
        "read. Anything not measured is shown as unknown, never as safe.",
        tuple(sorted(facts)),
    )


Rule = Callable[[Inspection, Registry], Finding]
RULES: tuple[Rule, ...] = (official_token,)


def evaluate(inspection: Inspection, registry: Registry) -> list[Finding]:
    """Run every rule, then the coverage meta-check."""
    findings = [rule(inspection, registry) for rule in RULES]
    return [*findings, coverage(findings, inspection.facts)]
