"""An inspection as a typed JSON document, so a snapshot can be judged again offline.

The report's fact shape writes amounts and whole numbers as strings; here each fact also keeps
its ``type``, so a reloaded fact is the same Python value the rules saw. A document comes from a
file anyone can hand over: every field is checked, and anything malformed is one
:class:`BadInput` sentence, never a traceback.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .chains import chain_by_key
from .errors import BadInput
from .facts import Fact, iso
from .lookup import Inspection, SourceState, Target
from .registry import Deployment, Token, Underlying


def _type(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, Decimal):
        return "decimal"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, str):
        return "text"
    return "list" if isinstance(value, list) else "object"


def fact_doc(fact: Fact) -> dict[str, Any]:
    """The report's fact shape plus the value's ``type``."""
    return {**fact.to_json(), "type": _type(fact.value)}


def inspection_doc(inspection: Inspection) -> dict[str, Any]:
    """Everything the rules read from an inspection, as JSON."""
    target = inspection.target
    return {
        "target": {
            "query": target.query,
            "chain": target.chain.key,
            "address": target.address,
            "token": None if target.token is None else _token_doc(target.token),
            "deployment": None if target.deployment is None else _deployment_doc(target.deployment),
        },
        "facts": {key: fact_doc(fact) for key, fact in sorted(inspection.facts.items())},
        "sources": [dataclasses.asdict(s) for s in inspection.sources],
        "generated_at": iso(inspection.generated_at),
        "per_chain": [inspection_doc(i) for i in inspection.per_chain],
    }


def _deployment_doc(d: Deployment) -> dict[str, Any]:
    return {
        "chain": d.chain.key,
        "address": d.address,
        "decimals": d.decimals,
        "source": d.source,
        "as_of": d.as_of,
        "basis": d.basis,
        "listed_by": d.listed_by,
    }


def _token_doc(token: Token) -> dict[str, Any]:
    doc = dataclasses.asdict(token)
    doc["deployments"] = [_deployment_doc(d) for d in token.deployments]
    return doc


class _Reader:
    """Typed access to one untrusted document; every failure names the path inside it."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, path: str, what: str) -> BadInput:
        return BadInput(f"{self.origin} is damaged: {path} {what}.")

    def obj(self, value: object, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, "is not an object")
        return value

    def text(self, doc: dict[str, Any], key: str, path: str, *, optional: bool = False) -> str:
        value = doc.get(key)
        if value is None and optional:
            return ""
        if not isinstance(value, str):
            raise self.fail(f"{path}.{key}", "is not text")
        return value

    def time(self, value: object, path: str) -> datetime:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise self.fail(path, "is not a time") from None
        if moment.tzinfo is None:
            raise self.fail(path, "has no time zone")
        return moment

    def items(self, value: object, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, "is not a list")
        return value


def read_inspection(doc: object, origin: str) -> Inspection:
    """Rebuild an inspection from :func:`inspection_doc`'s output.

    Raises:
        BadInput: The document is not one (``origin`` names the file in the sentence).
    """
    return _inspection(_Reader(origin), doc, "inspection")


def _inspection(r: _Reader, value: object, path: str) -> Inspection:
    doc = r.obj(value, path)
    facts = {str(key): _fact(r, fact, f"{path}.facts.{key}") for key, fact in r.obj(doc.get("facts"), path).items()}
    sources = []
    for n, item in enumerate(r.items(doc.get("sources"), f"{path}.sources")):
        s = r.obj(item, f"{path}.sources[{n}]")
        where = f"{path}.sources[{n}]"
        error = s.get("error")
        if error is not None and not isinstance(error, str):
            raise r.fail(f"{where}.error", "is not text")
        sources.append(SourceState(r.text(s, "name", where), r.text(s, "url", where), r.text(s, "state", where), error))
    per_chain = tuple(
        _inspection(r, item, f"{path}.per_chain[{n}]")
        for n, item in enumerate(r.items(doc.get("per_chain", []), f"{path}.per_chain"))
    )
    target = _target(r, doc.get("target"), f"{path}.target")
    return Inspection(target, facts, sources, r.time(doc.get("generated_at"), f"{path}.generated_at"), per_chain)


def _fact(r: _Reader, value: object, path: str) -> Fact:
    doc = r.obj(value, path)
    kind, raw = doc.get("type"), doc.get("value")
    try:
        parsed = _value(kind, raw)
    except (InvalidOperation, ValueError, TypeError):
        raise r.fail(f"{path}.value", f"is not a {kind} value") from None
    block = doc.get("block")
    if block is not None and (isinstance(block, bool) or not isinstance(block, int) or block < 0):
        raise r.fail(f"{path}.block", "is not a block or slot number")
    error = doc.get("error")
    if error is not None and not isinstance(error, str):
        raise r.fail(f"{path}.error", "is not text")
    return Fact(
        parsed,
        r.text(doc, "unit", path),
        r.text(doc, "source", path),
        r.text(doc, "method", path),
        block,
        r.time(doc.get("fetched_at"), f"{path}.fetched_at"),
        error,
    )


def _value(kind: object, raw: object) -> Any:
    """A fact value of its declared type; a decimal must be finite."""
    if kind == "none" and raw is None:
        return None
    if kind == "decimal" and isinstance(raw, str):
        number = Decimal(raw)
        if not number.is_finite():
            raise ValueError(raw)
        return number
    if kind == "integer" and isinstance(raw, str) and len(raw) <= 100:
        return int(raw)
    checks: dict[object, type | tuple[type, ...]] = {"text": str, "bool": bool, "list": list, "object": dict}
    if kind in checks and isinstance(raw, checks[kind]):
        return raw
    raise ValueError(kind)


def _deployment(r: _Reader, value: object, path: str) -> Deployment:
    doc = r.obj(value, path)
    decimals = doc.get("decimals")  # null: the list does not say (the chain does)
    if decimals is not None and (
        isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 36
    ):
        raise r.fail(f"{path}.decimals", "is not a whole number from 0 to 36, nor null")
    try:
        chain = chain_by_key(r.text(doc, "chain", path))
    except BadInput:
        raise r.fail(f"{path}.chain", "is not a chain Backcheck knows") from None
    return Deployment(
        chain,
        r.text(doc, "address", path),
        decimals,
        r.text(doc, "source", path),
        r.text(doc, "as_of", path),
        r.text(doc, "basis", path, optional=True) or None,
        r.text(doc, "listed_by", path, optional=True) or None,
    )


def _token(r: _Reader, value: object, path: str) -> Token:
    doc = r.obj(value, path)
    under = r.obj(doc.get("underlying"), f"{path}.underlying")
    official = doc.get("official")
    if official not in (True, False, None):
        raise r.fail(f"{path}.official", "is not true, false or null")
    return Token(
        r.text(doc, "symbol", path),
        r.text(doc, "name", path),
        r.text(doc, "issuer_key", path),
        r.text(doc, "issuer_name", path),
        r.text(doc, "isin", path, optional=True) or None,
        Underlying(
            r.text(under, "symbol", f"{path}.underlying"),
            r.text(under, "name", f"{path}.underlying"),
            r.text(under, "isin", f"{path}.underlying", optional=True) or None,
        ),
        tuple(
            _deployment(r, d, f"{path}.deployments[{n}]")
            for n, d in enumerate(r.items(doc.get("deployments"), f"{path}.deployments"))
        ),
        official,
        r.text(doc, "issuer_api", path, optional=True) or None,
    )


def _target(r: _Reader, value: object, path: str) -> Target:
    doc = r.obj(value, path)
    try:
        chain = chain_by_key(r.text(doc, "chain", path))
    except BadInput:
        raise r.fail(f"{path}.chain", "is not a chain Backcheck knows") from None
    token = None if doc.get("token") is None else _token(r, doc["token"], f"{path}.token")
    deployment = None if doc.get("deployment") is None else _deployment(r, doc["deployment"], f"{path}.deployment")
    return Target(r.text(doc, "query", path), chain, r.text(doc, "address", path), token, deployment)
