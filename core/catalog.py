"""Redemption and legal terms per issuer product, each fact with its source and check date."""

from __future__ import annotations

import dataclasses
import functools
import json
from typing import Any

from .registry import Token
from .resources import resource_path


@dataclasses.dataclass(frozen=True, slots=True)
class Term:
    """One catalog fact; ``value is None`` means the sources do not say (never a guess)."""

    value: Any
    source: str
    checked: str

    @property
    def known(self) -> bool:
        """Whether the sources state it."""
        return self.value is not None


@dataclasses.dataclass(frozen=True, slots=True)
class Product:
    """The catalog entry that applies to a token.

    ``listed_by`` names who lists a token the issuer's own list does not confirm: the product is then
    the issuer's terms for its own tokens, which may not apply to this one (``None``: an official token).
    """

    key: str
    name: str
    terms: dict[str, Term]
    listed_by: str | None = None

    @property
    def caveat(self) -> str:
        """The sentence that labels an unconfirmed token's terms ("" for an official token)."""
        if self.listed_by is None:
            return ""
        return (
            f"These are the issuer's terms for its own tokens; this address is listed by {self.listed_by}, not "
            "confirmed by the issuer, so they may not apply to it."
        )

    def term(self, name: str) -> Term:
        """Return a term; one the catalog does not hold is unknown."""
        return self.terms.get(name) or Term(None, "not in Backcheck's catalog", "")


@functools.cache
def load_catalog() -> list[tuple[dict[str, Any], Product]]:
    """Read the bundled catalog: (applies-to filter, product) pairs, most specific first."""
    doc = json.loads(resource_path("catalog", "redemption.json").read_text(encoding="utf-8"))
    return [
        (p["applies_to"], Product(p["key"], p["name"], {k: Term(**v) for k, v in p["facts"].items()}))
        for p in doc["products"]
    ]


def product_for(token: Token | None, catalog: list[tuple[dict[str, Any], Product]]) -> Product | None:
    """The first product whose filter matches the token (issuer and/or issuer API).

    An official token gets its product; a token someone else lists (``official`` is ``None``) gets its
    issuer's product labelled with who lists it (never as official); a withdrawn token gets none.
    """
    if token is None or token.official is False:
        return None
    for applies, product in catalog:
        if all(getattr(token, "issuer_key" if k == "issuer" else k) == v for k, v in applies.items()):
            if token.official:
                return product
            lister = (
                next((d.listed_by for d in token.deployments if d.listed_by), None) or "a list other than the issuer's"
            )
            return dataclasses.replace(
                product,
                name=f"{product.name} (the issuer's terms; this token is not confirmed by it)",
                listed_by=lister,
            )
    return None
