"""One report, many views: the core judges an inspection once and every view takes the result.

The document is the JSON contract of product.md, ``backcheck.report/1``; it grows with new
fields only. The CLI, the window, exports and snapshots all take a :class:`Report`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable
from datetime import datetime
from importlib import metadata
from typing import Any

from .facts import iso, utc_now
from .lookup import Inspection, SourceState
from .recording import Recorder, recording
from .redact import redact_text, redact_url
from .registry import Registry
from .rules import Finding, RuleConfig, Verdict, evaluate, verdict

SCHEMA = "backcheck.report/1"


def app_version() -> str:
    """The installed package's version (the frozen build carries the package metadata too)."""
    try:
        return metadata.version("backcheck")
    except metadata.PackageNotFoundError:
        return "unknown (not installed as a package)"


@dataclasses.dataclass(frozen=True, slots=True)
class Origin:
    """Where a report's facts come from when they were not measured just now.

    Attributes:
        kind: ``live`` (measured by someone) or ``demo`` (a shipped scenario from the test chain).
        made_by: The app and thresholds versions that measured the facts.
        snapshot: The snapshot's digest and file name.
        demo: The demo's name, title and what it teaches.
    """

    kind: str
    made_by: dict[str, str]
    snapshot: dict[str, str] | None = None
    demo: dict[str, str] | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Report:
    """An inspection judged: findings, verdict and the document every view shows or writes."""

    inspection: Inspection
    findings: list[Finding]
    verdict: Verdict
    document: dict[str, Any]


@dataclasses.dataclass(frozen=True, slots=True)
class Recorded:
    """A live report with the exchanges that produced it (what a snapshot saves)."""

    report: Report
    recorder: Recorder


async def judge(reading: Awaitable[Inspection], registry: Registry, config: RuleConfig | None = None) -> Recorded:
    """Run an inspection while recording its exchanges, then judge it: the window's one live job."""
    with recording() as recorder:
        inspection = await reading
    return Recorded(make_report(inspection, registry, config), recorder)


def make_report(
    inspection: Inspection,
    registry: Registry,
    config: RuleConfig | None = None,
    *,
    now: datetime | None = None,
    origin: Origin | None = None,
) -> Report:
    """Judge one inspection and assemble its report.

    Args:
        inspection: What was measured.
        registry: The registry the rules consult.
        config: Thresholds and country (the bundled defaults when ``None``).
        now: The wall clock the freshness of the facts is judged against (now when ``None``).
        origin: For a report reopened from a snapshot or a demo: who measured the facts.
    """
    config = config or RuleConfig.load()
    now = now or utc_now()
    findings = evaluate(inspection, registry, config, now=now, as_of=inspection.generated_at)
    judged = verdict(findings)
    made_by = {"app_version": app_version(), "thresholds_version": config.version}
    origin = origin or Origin("live", made_by)
    target = inspection.target
    token, deployment = target.token, target.deployment
    decimals = inspection.facts.get("decimals")
    symbol = inspection.facts.get("token_symbol")
    name = inspection.facts.get("token_name")
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "query": target.query,
        "generated_at": iso(inspection.generated_at),
        "token": {
            "symbol": token.symbol if token else (symbol.value if symbol and symbol.known else None),
            "name": token.name if token else (name.value if name and name.known else None),
            "issuer": token.issuer_name if token else None,
            "chain": target.chain.key,
            "address": target.address,
            "decimals": deployment.decimals
            if deployment and deployment.decimals is not None
            else (decimals.value if decimals and decimals.known else None),
            "official": target.official,
            "basis": deployment.basis if deployment else None,
            "listed_by": deployment.listed_by if deployment else None,
            "underlying": {
                "symbol": token.underlying.symbol if token else None,
                "isin": token.underlying.isin if token else None,
            },
            "registry_source": (f"{deployment.source} (as of {deployment.as_of})" if deployment else None),
        },
        "facts": {key: fact.to_json() for key, fact in sorted(inspection.facts.items())},
        "findings": [f.to_json() for f in findings],
        "verdict": judged.to_json(),
        "thresholds_version": config.version,
        "sources": [_source(s) for s in inspection.sources],
        "kind": origin.kind,
        "as_of": iso(inspection.generated_at),
        "made_by": origin.made_by,
        "evaluated_by": {"app_version": app_version(), "thresholds_version": config.version, "evaluated_at": iso(now)},
        "snapshot": origin.snapshot,
        "demo": origin.demo,
    }
    if inspection.per_chain:
        report["token"]["chain"] = "all"
        report["deployments"] = [
            {
                "chain": i.target.chain.key,
                "address": i.target.address,
                "facts": {key: fact.to_json() for key, fact in sorted(i.facts.items())},
                "sources": [_source(s) for s in i.sources],
            }
            for i in inspection.per_chain
        ]
    return Report(inspection, findings, judged, report)


def _source(s: SourceState) -> dict[str, Any]:
    """The report contract's source shape."""
    return {"name": s.name, "url": redact_url(s.url), "state": s.state, "error": s.error and redact_text(s.error)}
