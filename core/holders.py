"""Holder concentration on the public float: labelled issuer wallets are excluded, not counted."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from .units import normalized


@dataclasses.dataclass(frozen=True, slots=True)
class Holder:
    """One holding: the token account, its owner, the display amount and a label if known."""

    account: str
    owner: str | None
    amount: Decimal
    label: str | None

    def to_json(self, float_: Decimal | None) -> dict[str, str | None]:
        """Serialize with the holding's share of the float (``None`` for labelled wallets)."""
        share = None if self.label or not float_ else format(self.amount / float_, ".6f")
        return {
            "account": self.account,
            "owner": self.owner,
            "amount": format(self.amount, "f"),
            "label": self.label,
            "share_of_float": share,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class Concentration:
    """Concentration metrics over the unlabelled holders that were listed.

    Attributes:
        inventory: Sum held by labelled issuer/system wallets among the listed holders.
        float_: Supply minus that inventory.
        top1: Largest unlabelled holder's share of the float.
        top10: The ten largest unlabelled holders' share of the float.
        hhi: Herfindahl-Hirschman index over the listed holders (a lower bound when the list is partial).
        nakamoto: Fewest listed holders that together hold more than half the float; ``None``
            when the listed holders do not reach half.
    """

    inventory: Decimal
    float_: Decimal
    top1: Decimal | None
    top10: Decimal | None
    hhi: Decimal | None
    nakamoto: int | None


def concentration(holders: list[Holder], supply: Decimal) -> Concentration:
    """Compute float and concentration from the listed holders and the total supply."""
    inventory = sum((h.amount for h in holders if h.label), Decimal(0))
    float_ = supply - inventory
    public = sorted((h.amount for h in holders if not h.label), reverse=True)
    if float_ <= 0 or not public:
        return Concentration(normalized(inventory), normalized(float_), None, None, None, None)
    shares = [a / float_ for a in public]
    running, nakamoto = Decimal(0), None
    for count, share in enumerate(shares, start=1):
        running += share
        if running > Decimal("0.5"):
            nakamoto = count
            break
    return Concentration(
        normalized(inventory),
        normalized(float_),
        shares[0],
        sum(shares[:10], Decimal(0)),
        sum((s * s for s in shares), Decimal(0)),
        nakamoto,
    )
