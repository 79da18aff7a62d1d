"""The JSON report contract, version 1 (product.md): ``backcheck.report/1``."""

from __future__ import annotations

from typing import Any

from .facts import iso
from .lookup import Inspection, SourceState
from .registry import Registry
from .rules import RuleConfig, evaluate, verdict

SCHEMA = "backcheck.report/1"


def build_report(inspection: Inspection, registry: Registry, config: RuleConfig | None = None) -> dict[str, Any]:
    """Assemble the report document for one inspection (``config``: thresholds and country)."""
    config = config or RuleConfig.load()
    findings = evaluate(inspection, registry, config)
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
            if deployment
            else (decimals.value if decimals and decimals.known else None),
            "official": target.official,
            "underlying": {
                "symbol": token.underlying.symbol if token else None,
                "isin": token.underlying.isin if token else None,
            },
            "registry_source": (f"{deployment.source} (as of {deployment.as_of})" if deployment else None),
        },
        "facts": {key: fact.to_json() for key, fact in sorted(inspection.facts.items())},
        "findings": [f.to_json() for f in findings],
        "verdict": verdict(findings).to_json(),
        "thresholds_version": config.version,
        "sources": [_source(s) for s in inspection.sources],
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
    return report


def _source(s: SourceState) -> dict[str, Any]:
    """The report contract's source shape."""
    return {"name": s.name, "url": s.url, "state": s.state, "error": s.error}
