"""RS-*: is the token backed one to one, now, and is the evidence any good?"""

from __future__ import annotations

from ..catalog import Product
from .engine import SEVERITY, Context, Outcome, rule, unconfirmed

# (kind, age fact, cadence fact, coverage fact, reserves fact, outstanding fact) per proof-of-reserve source.
PROOFS = (
    (
        "issuer's proof of reserve",
        "reserves_age_hours",
        "reserves_cadence_hours",
        "reserves_coverage",
        "reserves_shares",
        "outstanding_all_chains",
    ),
    (
        "reserve feed",
        "reserves_feed_age_hours",
        "reserves_feed_heartbeat_hours",
        "reserves_feed_coverage",
        "reserves_feed_answer",
        "float",
    ),
)


# The issuer's shares held against the float Backcheck itself read on every chain (core/coverage.py).
MEASURED = (
    "measured coverage (the issuer's shares held ÷ the float Backcheck read on every chain)",
    "reserves_coverage_measured",
    "reserves_shares",
    "outstanding_measured_all_chains",
)


def _proofs(ctx: Context) -> list[tuple[str, str, str, str, str, str]]:
    """The proof-of-reserve sources present in this inspection (read, or failed with a reason)."""
    return [proof for proof in PROOFS if proof[1] in ctx.facts]


def _worst(outcomes: list[Outcome]) -> Outcome:
    """The most severe outcome; the first of equals."""
    return max(outcomes, key=lambda o: SEVERITY[o.status])


def stale(ctx: Context) -> Outcome:
    """Age above twice the promised cadence (72 h when no cadence is promised)."""
    proofs = _proofs(ctx)
    if not proofs:
        return Outcome("unknown", "No proof of reserve was read for this token, so its freshness is unknown.")
    return _worst([_freshness(ctx, kind, age_key, cadence_key) for kind, age_key, cadence_key, *_ in proofs])


rule("RS-1", "Proof of reserve stale", stale)


def _freshness(ctx: Context, kind: str, age_key: str, cadence_key: str) -> Outcome:
    age = ctx.number(age_key)
    if age is None:
        return ctx.missing(age_key)
    if not age.is_finite() or age < 0:
        return Outcome(
            "unknown",
            f"The {kind} claims an age of {age} h: a proof dated in the future (or no date) cannot be true, so its "
            "freshness is unknown. Unknown is not a pass.",
            (age_key,),
        )
    cadence = ctx.number(cadence_key)
    if cadence is not None and cadence.is_finite() and cadence > 0:
        limit, promise = cadence * ctx.threshold("RS-1.cadence_multiple"), f"promised every {cadence} h"
    else:
        limit, promise = ctx.threshold("RS-1.unknown_cadence_hours"), "no cadence promised"
    if age > limit:
        return Outcome(
            "warning",
            f"The {kind} is {age} h old, more than {limit} h ({promise}). Between proofs, nobody shows that the "
            "shares are still there.",
            (age_key, cadence_key),
        )
    return Outcome("pass", f"The {kind} is {age} h old ({promise}; stale after {limit} h).", (age_key, cadence_key))


def shortfall(ctx: Context) -> Outcome:
    """Reserves below outstanding tokens beyond a 0.1 % tolerance: more tokens than shares."""
    proofs = [proof for proof in _proofs(ctx) if proof[3] in ctx.facts]
    if not proofs:
        return Outcome(
            "unknown",
            "No reserve coverage could be computed (no proof of reserve, or the outstanding supply is unknown).",
        )
    outcomes = [_coverage(ctx, kind, key, reserves, outstanding) for kind, _, _, key, reserves, outstanding in proofs]
    note = ""
    measured = ctx.facts.get(MEASURED[1])
    if measured is not None and measured.known:
        outcomes.append(_coverage(ctx, *MEASURED))
    elif measured is not None:
        note = (
            f" Backcheck's own measure on every chain is unknown ({measured.error}): this rests on the issuer's "
            "figures."
        )
    if any(o.status != "pass" for o in outcomes):
        worst = _worst(outcomes)
        return Outcome(worst.status, worst.explanation + note, worst.evidence, worst.info)
    return Outcome(
        "pass",
        f"Reserves cover the tokens outstanding ({'; '.join(o.explanation for o in outcomes)}).{note}",
        tuple(key for o in outcomes for key in o.evidence),
    )


rule("RS-2", "Reserve shortfall", shortfall)


def _coverage(ctx: Context, kind: str, key: str, reserves: str, outstanding: str) -> Outcome:
    coverage = ctx.number(key)
    if coverage is None:
        return ctx.missing(key)
    impossible = ctx.impossible(key)
    if impossible is not None:
        return impossible
    held, issued = ctx.facts.get(reserves), ctx.facts.get(outstanding)
    figures = (
        f"{held.display_value()} shares held for {issued.display_value()} tokens outstanding"
        if held is not None and issued is not None
        else f"{key} = {coverage}"
    )
    evidence = (key, reserves, outstanding)
    if coverage > ctx.threshold("RS-2.max_plausible"):
        return Outcome(
            "caution",
            f"The {kind} claims reserves of {coverage * 100:.2f} % of the tokens outstanding ({figures}). No issuer "
            "holds that much more than it issued: one of the two figures is wrong, so the backing is not confirmed.",
            evidence,
        )
    if coverage < 1 - ctx.threshold("RS-2.tolerance"):
        return Outcome(
            "critical",
            f"The {kind} covers only {coverage * 100:.2f} % of the tokens outstanding ({figures}). Some tokens have "
            "no shares behind them (over-issuance).",
            evidence,
        )
    return Outcome("pass", f"{kind}: {coverage * 100:.2f} %", evidence)


def figures(ctx: Context) -> Outcome:
    """One chain's outstanding above the issuer's all-chain circulating supply."""
    measured = ctx.facts.get("outstanding_measured_all_chains")
    part_key = (
        "outstanding_measured_all_chains"
        if measured is not None and measured.known
        else "outstanding_evm_chains"
        if "outstanding_evm_chains" in ctx.facts
        else "float"
    )
    total, part = ctx.number("outstanding_all_chains"), ctx.number(part_key)
    if total is None or part is None:
        return ctx.missing("outstanding_all_chains", part_key)
    impossible = ctx.impossible(part_key, "outstanding_all_chains")
    if impossible is not None:
        return impossible
    if part > total * (1 + ctx.threshold("RS-3.tolerance")):
        return Outcome(
            "warning",
            f"{part} tokens are outstanding {WHERE[part_key]}, more than the {total} the issuer reports for all "
            "chains together. One of the two figures is wrong.",
            (part_key, "outstanding_all_chains"),
        )
    return Outcome(
        "pass",
        f"{part} outstanding {WHERE[part_key]} fits within the issuer's {total} across all chains.",
        (part_key, "outstanding_all_chains"),
    )


WHERE = {
    "outstanding_measured_all_chains": "as counted by Backcheck on every chain",
    "outstanding_evm_chains": "on the EVM chains read",
    "float": "on this chain alone",
}

rule("RS-3", "Issuer figures don't add up", figures)


def _reserve_sources(ctx: Context) -> list[str]:
    """The proof-of-reserve facts this token has a source for (feed first): read, failed, or expected."""
    token = ctx.inspection.target.token
    official = token if token is not None and token.official else None
    keys = []
    if "reserves_feed_answer" in ctx.facts or (official and ctx.registry.reserve_feed(official.symbol) is not None):
        keys.append("reserves_feed_answer")
    if "reserves_shares" in ctx.facts or (official and official.issuer_api is not None):
        keys.append("reserves_shares")
    return keys


def evidence(ctx: Context) -> Outcome:
    """An oracle feed beats an issuer's own figures; none at all is worst."""
    sources = _reserve_sources(ctx)
    if ctx.value("reserves_feed_answer") is not None:
        return Outcome(
            "pass",
            "Reserves are published on chain through an oracle feed, fed by a third party's "
            "look at the custody accounts.",
            ("reserves_feed_answer",),
        )
    unread = [key for key in sources if ctx.value(key) is None]
    if unread:
        return ctx.missing(*unread)
    if sources:
        return Outcome(
            "caution",
            "The only proof of reserve is the issuer's own report through its API. It is better than nothing, but "
            "nobody independent publishes it.",
            ("reserves_shares",),
        )
    if ctx.product is not None:
        outcome = _catalogued_evidence(ctx.product)
        return unconfirmed(outcome, ctx.product.caveat) if ctx.product.listed_by else outcome
    return Outcome(
        "warning",
        "No proof of reserve exists that Backcheck knows of for this token. 'Fully backed' is "
        "then a promise, not something you can check.",
    )


def _catalogued_evidence(product: Product) -> Outcome:
    """What the catalog says of an issuer's reserve evidence when no reader of Backcheck's applies."""
    kind, what = product.term("reserve_evidence"), product.term("reserve_source")
    cited = f"{what.value} (source: {what.source}; checked {what.checked})" if what.known else f"({kind.source})"
    if kind.value == "pdf":
        return Outcome(
            "caution",
            f"The only reserve evidence is a PDF report: {cited}. Backcheck cannot read a PDF, so nothing here checks "
            "its figures against the tokens: open the latest report yourself.",
        )
    if kind.value == "claim":
        return Outcome(
            "caution",
            f"The only reserve evidence is the issuer's own claim: {cited}. No figures are published that anyone "
            "can check.",
        )
    if kind.value == "none":
        return Outcome(
            "warning",
            f"No proof of reserve is published for this token: {cited}. 'Fully backed' is then a promise, not "
            "something you can check.",
        )
    if kind.value == "machine-readable":
        return Outcome(
            "unknown",
            f"The issuer publishes machine-readable reserve figures ({cited}), but Backcheck did not read them for "
            "this token, so its reserves are unknown. Unknown is not a pass.",
        )
    return Outcome(
        "unknown",
        f"The sources do not say whether {product.name} publishes any proof of reserve ({kind.source}). Unknown is "
        "not a pass.",
    )


rule("RS-4", "Weak reserve evidence", evidence)


def oracle_round(ctx: Context) -> Outcome:
    """Answer ≤ 0, updatedAt = 0, or answeredInRound < roundId."""
    if "reserves_feed_answer" not in _reserve_sources(ctx):
        return Outcome("n/a", "This token has no reserve feed.")
    check = ctx.value("reserves_feed_round_check")
    if check is None:
        return ctx.missing("reserves_feed_round_check")
    if check != "ok":
        return Outcome(
            "warning",
            f"The reserve feed's latest round is not sane: {check}. Do not rely on its answer.",
            ("reserves_feed_round_check",),
        )
    return Outcome("pass", "The reserve feed's latest round is complete and positive.", ("reserves_feed_round_check",))


rule("RS-6", "Invalid oracle round", oracle_round)


def supply_jump(ctx: Context) -> Outcome:
    """Tokens outstanding moved more than 10 % since the last reserve report."""
    then, now = ctx.number("outstanding_all_chains"), ctx.number("outstanding_now_all_chains")
    if then is None or now is None:
        return Outcome(
            "unknown",
            "Needs the issuer's current circulating supply across all chains next to the figure in its last proof; "
            "Backcheck did not read the current one, so a jump since the proof is unknown.",
            ("outstanding_all_chains", "outstanding_now_all_chains"),
        )
    impossible = ctx.impossible("outstanding_all_chains", "outstanding_now_all_chains")
    if impossible is not None:
        return impossible
    evidence = ("outstanding_all_chains", "outstanding_now_all_chains")
    if then == 0:
        status = "pass" if now == 0 else "caution"
        return Outcome(status, f"Supply went from 0 at the last proof to {now} now.", evidence)
    change = abs(now - then) / then
    if change > ctx.threshold("RS-7.supply_jump"):
        return Outcome(
            "caution",
            f"Supply moved {change * 100:.1f} % since the last proof of reserve; the proof may "
            "not cover the new tokens yet.",
            evidence,
        )
    return Outcome("pass", f"Supply moved {change * 100:.1f} % since the last proof.", evidence)


rule("RS-7", "Unexplained supply jump", supply_jump)
