"""RD-* and MK-1: how you get out, on what terms, and what the marketing promises (catalog-driven)."""

from __future__ import annotations

from decimal import Decimal

from ..catalog import Term
from .engine import Context, Outcome, rule


def _cite(term: Term) -> str:
    return f"(source: {term.source}; checked {term.checked})" if term.checked else f"({term.source})"


NO_CATALOG = Outcome(
    "unknown",
    "Backcheck's catalog has no redemption terms for this token, so they are unknown. "
    "Ask the issuer for its prospectus and redemption terms.",
)


def _unknown_term(term: Term, what: str) -> Outcome:
    return Outcome("unknown", f"The sources do not say {what} {_cite(term)}. Unknown is not a pass.")


def retail(ctx: Context) -> Outcome:
    """Can an ordinary holder redeem with the issuer at all?"""
    product = ctx.product
    if product is None:
        return NO_CATALOG
    term = product.term("retail_redemption")
    if not term.known:
        return _unknown_term(term, "whether retail holders may redeem")
    who = product.term("who_may_redeem")
    detail = f" Who may redeem: {who.value}." if who.known else ""
    if term.value is False:
        return Outcome(
            "warning",
            f"Retail holders cannot redeem with the issuer {_cite(term)}; your only exit is "
            f"selling to someone else.{detail}",
        )
    return Outcome("pass", f"Retail holders may redeem with the issuer after onboarding {_cite(term)}.{detail}")


rule("RD-1", "No retail redemption right", retail)


def minimum(ctx: Context) -> Outcome:
    """A minimum above max(1,000 USD, 10 × your holding) locks small holders out."""
    product = ctx.product
    if product is None:
        return NO_CATALOG
    term = product.term("redemption_minimum_usd")
    if not term.known:
        return _unknown_term(term, "the minimum redemption size")
    limit = ctx.threshold("RD-2.min_usd")
    if Decimal(str(term.value)) > limit:
        return Outcome("caution", f"Redemptions start at {term.value} USD {_cite(term)}, more than {limit} USD.")
    return Outcome("pass", f"Redemptions start at {term.value} USD {_cite(term)}.")


rule("RD-2", "High redemption minimum", minimum)


def cash_only(ctx: Context) -> Outcome:
    """Redeeming for cash, not shares."""
    product = ctx.product
    if product is None:
        return NO_CATALOG
    term = product.term("redeem_for")
    if not term.known:
        return _unknown_term(term, "whether you get cash or shares")
    if term.value == "cash":
        return Outcome(
            "pass", f"Redemption pays cash at the market value, never the shares themselves {_cite(term)}.", info=True
        )
    return Outcome("pass", f"Redemption delivers {term.value} {_cite(term)}.")


rule("RD-3", "Cash-only redemption", cash_only)


def settlement(ctx: Context) -> Outcome:
    """Settlement beyond T+3, or not stated at all."""
    product = ctx.product
    if product is None:
        return NO_CATALOG
    term = product.term("settlement_days")
    if not term.known:
        return Outcome(
            "caution",
            f"How long a redemption takes is not stated {_cite(term)}. Undefined settlement "
            "means you cannot plan your exit.",
        )
    if Decimal(str(term.value)) > ctx.threshold("RD-4.max_settlement_days"):
        return Outcome("caution", f"Redemptions settle in {term.value} business days {_cite(term)}.")
    return Outcome("pass", f"Redemptions settle in {term.value} business days {_cite(term)}.")


rule("RD-4", "Slow or undefined settlement", settlement)


def kyc(ctx: Context) -> Outcome:
    """KYC to hold is a caution; KYC only to mint or redeem is information."""
    product = ctx.product
    if product is None:
        return NO_CATALOG
    hold, redeem = product.term("kyc_to_hold"), product.term("kyc_to_redeem")
    if hold.value is True:
        return Outcome("caution", f"You must pass KYC even to hold or transfer the token {_cite(hold)}.")
    if not hold.known:
        return _unknown_term(hold, "whether holding needs KYC")
    if redeem.value is True:
        return Outcome(
            "pass", f"Anyone may hold and transfer it; KYC is needed only to mint or redeem {_cite(redeem)}.", info=True
        )
    return Outcome("pass", f"No KYC is needed to hold or transfer {_cite(hold)}.")


rule("RD-5", "KYC needed to hold or transfer", kyc)


def custodian(ctx: Context) -> Outcome:
    """Who holds the real shares, and are they kept apart from the issuer's own assets?"""
    product = ctx.product
    if product is None:
        return NO_CATALOG
    names, segregation = product.term("custodians"), product.term("segregation")
    if not names.known:
        return Outcome("warning", f"No custodian is named {_cite(names)}: you cannot tell who holds the shares.")
    listed = ", ".join(names.value)
    if not segregation.known:
        return Outcome(
            "caution",
            f"Custodians: {listed} {_cite(names)}; no statement that the shares are segregated "
            "from the issuer's own assets.",
        )
    return Outcome(
        "pass", f"Custodians: {listed} {_cite(names)}. Segregation: {segregation.value} {_cite(segregation)}."
    )


rule("RD-6", "No named custodian", custodian)


def security_agent(ctx: Context) -> Outcome:
    """Someone independent who can take over the collateral if the issuer fails."""
    product = ctx.product
    if product is None:
        return NO_CATALOG
    term = product.term("security_agent")
    if not term.known:
        return Outcome(
            "caution",
            f"No independent security agent is named {_cite(term)}: if the issuer fails, nobody "
            "is appointed to act for token holders.",
        )
    return Outcome("pass", f"{term.value} {_cite(term)}.")


rule("RD-7", "No independent security agent", security_agent)


def jurisdiction(ctx: Context) -> Outcome:
    """Your country (a setting) against the excluded jurisdictions."""
    product = ctx.product
    if product is None:
        return NO_CATALOG
    term = product.term("excluded_jurisdictions")
    if not term.known:
        return _unknown_term(term, "which countries are excluded")
    country = ctx.config.country
    excluded = ", ".join(term.value)
    if not country:
        return Outcome(
            "unknown",
            f"Excluded: {excluded} {_cite(term)}. Set your country in the settings to check "
            "whether you are one of them.",
        )
    if country in term.value:
        return Outcome(
            "warning",
            f"The product is not offered to residents of {country} {_cite(term)}. Buying or "
            "holding it may break its terms, and the issuer may refuse to redeem.",
        )
    return Outcome("pass", f"{country} is not among the excluded jurisdictions ({excluded}) {_cite(term)}.")


rule("RD-8", "Excluded jurisdiction", jurisdiction)


def not_a_share(ctx: Context) -> Outcome:
    """A tracker certificate or debt claim carries no shareholder rights."""
    product = ctx.product
    if product is None:
        return NO_CATALOG
    term, form = product.term("is_share"), product.term("legal_form")
    if not term.known:
        return _unknown_term(term, "what legal form the token has")
    if term.value is False:
        return Outcome(
            "pass",
            f"You hold {form.value} {_cite(form)}: no votes, and a claim on the issuer rather than on the company.",
            info=True,
        )
    return Outcome("pass", f"The token is a share {_cite(term)}.")


rule("RD-9", "Not a share", not_a_share)


MARKETING = "marketing_all_upside"  # the presenter's answer in the walkthrough: "yes", "no" or "unsure"


def marketing(ctx: Context) -> Outcome:
    """A manual check: Backcheck cannot read marketing pages, a person answers it in the walkthrough."""
    answer = ctx.value(MARKETING)
    if answer == "yes":
        return Outcome(
            "warning",
            "The person checking found marketing that promises gains or loss-free redemption with nothing on issuer, "
            "custody or regulatory risk. That is a red flag: every tokenized stock carries those risks.",
            (MARKETING,),
        )
    if answer == "no":
        return Outcome(
            "pass",
            "The person checking found no promise of guaranteed gains or loss-free redemption in the marketing, and "
            "the risks are stated. Only a person can judge this; Backcheck records their answer.",
            (MARKETING,),
        )
    return Outcome(
        "unknown",
        "Check the issuer's and sellers' pages yourself: promises of guaranteed gains or loss-free redemption, with "
        "nothing on issuer, custody or regulatory risk, are a red flag. Backcheck cannot judge marketing; the "
        "walkthrough asks it.",
        (MARKETING,) if MARKETING in ctx.facts else (),
    )


rule("MK-1", "All upside, no risk", marketing)
