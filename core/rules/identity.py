"""ID-*: is this the issuer's official token, and who stands behind it?"""

from __future__ import annotations

from ..addresses import same_address
from ..authorities import NOBODY, Comparison, IssuerKeys, Recorded, compare, holders
from ..facts import nobody
from ..registry import THIRD_PARTY, WITHDRAWN, Deployment, Issuer, Registry, Token
from .engine import Context, Outcome, governed_by, rule


def official(ctx: Context) -> Outcome:
    """The address must be on the issuer's own list, and the issuer's live data must agree."""
    target = ctx.inspection.target
    token, deployment = target.token, target.deployment
    if token is not None and deployment is not None and deployment.basis in (THIRD_PARTY, WITHDRAWN):
        return _not_the_issuers(token, deployment)  # first: such a row never passes
    if target.official is True and token is not None and deployment is not None:
        return _listed(ctx, token, deployment)
    if target.official is None:
        return Outcome(
            "unknown",
            "You added this token in your own registry overlay; no issuer list confirms it, so Backcheck cannot "
            "say whether it is official.",
        )
    symbol, name = ctx.value("token_symbol"), ctx.value("token_name")
    if symbol is None:
        return ctx.missing("token_symbol")
    imitated = _imitated(str(symbol), str(name or ""), ctx.registry)
    if imitated:
        return Outcome(
            "critical",
            f"This contract calls itself {symbol}, like the official {imitated}, but no issuer list holds this "
            "address. Treat it as an impostor: the issuer will not redeem it.",
            ("token_symbol", "token_name"),
        )
    return Outcome(
        "unknown",
        f"{symbol} is on no issuer list Backcheck has, and it does not imitate a token Backcheck tracks, so its "
        "official status is unknown.",
        ("token_symbol",),
    )


rule("ID-1", "Not the issuer's official token", official)


def _not_the_issuers(token: Token, deployment: Deployment) -> Outcome:
    """A row of someone else's list (unknown), or one the issuer has removed from its own (warning)."""
    if deployment.basis == WITHDRAWN:
        return Outcome(
            "warning",
            f"The issuer's own list ({token.issuer_name}) held this {token.symbol} address once and no longer does: "
            f"{deployment.source}; not on the list as of {deployment.as_of}. It is not an official token now: the "
            "issuer may not support or redeem it. Ask the issuer before holding it.",
        )
    return Outcome(
        "unknown",
        f"This {token.symbol} address is listed by {deployment.listed_by}, not confirmed by the issuer "
        f"({token.issuer_name}). Source: {deployment.source}, as of {deployment.as_of}. Until the issuer's own list "
        "names it, whether it is official is unknown: check with the issuer before trusting it.",
    )


def _listed(ctx: Context, token: Token, deployment: Deployment) -> Outcome:
    """An address on the issuer's bundled list: every live check this token has must agree and be read."""
    target = ctx.inspection.target
    listed = f"the issuer's list holds it ({deployment.source}, as of {deployment.as_of})"
    live = ctx.value("issuer_api_address")
    if live is not None and not same_address(str(live), target.address):
        return Outcome(
            "warning",
            f"The bundled registry lists this address, but the issuer's live API now lists {live} for "
            f"{token.symbol} on {target.chain.name}. Check which one you hold before trusting either.",
            ("issuer_api_address",),
        )
    issuer = ctx.registry.issuer(token.issuer_key)
    mismatch = _metadata_mismatch(ctx, issuer)
    if mismatch:
        return Outcome(
            "caution",
            f"This is the official {token.symbol} address ({listed}), but {mismatch}. A changed "
            "metadata owner is worth a question to the issuer.",
            ("metadata_uri", "metadata_update_authority"),
        )
    checks = _live_checks(ctx, token, issuer)
    unread = [key for key in checks if ctx.value(key) is None]
    if unread:
        return Outcome(
            "unknown",
            f"The bundled registry lists this address ({deployment.source}, as of {deployment.as_of}), but the "
            f"issuer's live data could not confirm it. {ctx.missing(*unread).explanation}",
            tuple(unread),
        )
    confirmed = {
        "issuer_api_address": "the issuer's live API lists it",
        "metadata_uri": "its metadata is under the issuer's address",
        "metadata_update_authority": "the issuer holds its metadata",
    }
    how = "; ".join(confirmed[key] for key in checks) or "this issuer publishes no live list Backcheck reads"
    return Outcome(
        "pass", f"This address is the official {token.symbol} contract on {target.chain.name}: {listed}; {how}.", checks
    )


def _live_checks(ctx: Context, token: Token, issuer: Issuer) -> tuple[str, ...]:
    """The facts that confirm an official address live: the issuer's API, and on Solana its metadata."""
    checks: tuple[str, ...] = ("issuer_api_address",) if token.issuer_api is not None else ()
    if ctx.chain_kind == "solana":
        checks += ("metadata_uri",) if issuer.solana_metadata_uri_prefix else ()
        checks += ("metadata_update_authority",) if issuer.solana_update_authority else ()
    return checks


def _imitated(symbol: str, name: str, registry: Registry) -> str | None:
    wanted = symbol.strip().lower()
    for token in registry.tokens:
        if token.official and (token.symbol.lower() == wanted or (name and token.name.lower() == name.strip().lower())):
            return token.symbol
    return None


def _metadata_mismatch(ctx: Context, issuer: Issuer) -> str | None:
    uri, authority = ctx.value("metadata_uri"), ctx.value("metadata_update_authority")
    problems = []
    prefix = issuer.solana_metadata_uri_prefix
    if prefix and uri is not None and not str(uri).startswith(prefix):
        problems.append(f"its metadata URI {uri} is not under the issuer's {prefix}")
    owner = issuer.solana_update_authority
    if owner and authority is not None and authority != owner:
        problems.append(f"its metadata update authority is {authority}, not the issuer's {owner}")
    return "; ".join(problems) or None


def collision(ctx: Context) -> Outcome:
    """Several tokens using one symbol on one chain: point at the official one."""
    target = ctx.inspection.target
    symbol = target.token.symbol if target.token else ctx.value("token_symbol")
    if symbol is None:
        return ctx.missing("token_symbol")
    read = () if target.token else ("token_symbol",)
    same = [
        (t, d)
        for t in ctx.registry.tokens
        if t.symbol.lower() == str(symbol).lower()
        for d in t.deployments
        if d.chain == target.chain
    ]
    others = [(t, d) for t, d in same if not same_address(d.address, target.address)]
    official = next((d.address for t, d in same if t.official), None)
    if others or (target.official is False and official):
        where = f" The official one is {official}." if official else ""
        return Outcome(
            "caution",
            f"More than one token calls itself {symbol} on {target.chain.name}.{where} Always check the address, "
            "never the symbol.",
            read,
        )
    return Outcome(
        "pass",
        f"No other token in Backcheck's registry uses {symbol} on {target.chain.name}. Impostors outside the "
        "registry can still exist: compare the address, not the symbol.",
        read,
    )


rule("ID-2", "Ticker collision", collision)


def verified(ctx: Context) -> Outcome:
    """An explorer should show verified source code for the proxy and its implementation."""
    if ctx.chain_kind != "evm":
        return Outcome(
            "n/a",
            "Solana tokens are accounts of the shared Token-2022 program; there is no contract "
            "source of their own to verify.",
        )
    if "source_verified" not in ctx.facts:
        return Outcome(
            "unknown",
            "Backcheck did not read an explorer's source-verification status for this contract, so whether the "
            "code is published and matches is unknown. Check the explorer's Contract tab yourself.",
        )
    if ctx.value("source_verified") is True:
        return Outcome("pass", "The explorer shows verified source code.", ("source_verified",))
    if ctx.value("source_verified") is False:
        return Outcome(
            "warning",
            "The explorer shows no verified source: nobody can read what the code does.",
            ("source_verified",),
        )
    return ctx.missing("source_verified")


rule("ID-3", "Source not verified (EVM)", verified)


def named_issuer(ctx: Context) -> Outcome:
    """A catalogued issuer entity and legal documents."""
    product = ctx.product
    if product is None:
        return Outcome(
            "warning",
            "Backcheck's catalog names no issuer entity and no legal documents for this token. Without them you "
            "have nobody to claim against.",
        )
    entity, docs = product.term("issuer_entity"), product.term("documents")
    if not entity.known or not docs.known:
        return Outcome(
            "warning",
            f"The catalog lacks {'the issuer entity' if not entity.known else 'documents'} "
            f"for {product.name} ({entity.source if not entity.known else docs.source}).",
        )
    return Outcome(
        "pass",
        f"Issuer: {entity.value}. Documents: {', '.join(docs.value)} (checked {docs.checked}; {docs.source}).",
    )


rule("ID-4", "No named issuer / no legal documents", named_issuer)


def metadata_key(ctx: Context) -> Outcome:
    """Solana metadata whose update authority is one plain key can be renamed at will."""
    if ctx.chain_kind != "solana":
        return Outcome("n/a", "EVM token names and symbols are fixed in the contract (only an upgrade changes them).")
    authority = ctx.value("metadata_update_authority")
    if authority is None:
        return ctx.missing("metadata_update_authority")
    if nobody(authority):
        return Outcome(
            "pass",
            f"Nobody can change this token's metadata (update authority: {authority}).",
            ("metadata_update_authority",),
        )
    kind = ctx.value("metadata_update_authority_kind")
    if kind is None:
        return ctx.missing("metadata_update_authority_kind")
    evidence = ("metadata_update_authority", "metadata_update_authority_kind")
    governance = governed_by(str(kind))
    if governance == "single key":
        return Outcome(
            "caution",
            f"One plain key ({authority}) can change this token's name, symbol and logo. Wallets and explorers "
            "would show the new ones.",
            evidence,
        )
    if governance == "unclassified":
        return Outcome(
            "caution",
            f"{authority} ({kind}) can change this token's name, symbol and logo, and Backcheck cannot tell who "
            "controls it.",
            evidence,
        )
    return Outcome("pass", f"The metadata update authority is {kind}.", evidence)


rule("ID-5", "Metadata changeable by a single key", metadata_key)


# The powers ID-6 compares with the issuer's recorded keys (fact names of the chain's adapter).
OBSERVED_KEYS = {
    "solana": (
        "mint_authority",
        "freeze_authority",
        "pause_authority",
        "permanent_delegate",
        "metadata_update_authority",
        "multiplier_authority",
    ),
    "evm": (
        "proxy_admin",
        "proxy_admin_controller",
        "owner",
        "mint_authority",
        "pause_authority",
        "multiplier_updater",
    ),
}


def keys_match(ctx: Context) -> Outcome:
    """The token's powers against its issuer's recorded keys: a copycat can copy a name, not keys."""
    target, book = ctx.inspection.target, ctx.config.authorities
    observed = {key: ctx.value(key) for key in OBSERVED_KEYS[ctx.chain_kind]}
    if target.token is not None:
        token = target.token
        keys = book.keys(token.issuer_key, ctx.chain_kind, target.chain.chain_id)
        return _listed_keys(ctx, token, target.deployment, keys, observed)
    symbol, name = ctx.value("token_symbol"), ctx.value("token_name")
    imitated = _imitated_tokens(str(symbol or ""), str(name or ""), ctx.registry) if symbol or name else []
    if imitated:
        return _copycat_keys(ctx, imitated, observed)
    if all(value is None for value in observed.values()):
        return ctx.missing(*observed)
    unread: list[str] = []
    partly: list[str] = []  # issuers some held powers match while others have no record
    for issuer in book.issuers(ctx.chain_kind):
        keys = book.keys(issuer, ctx.chain_kind, target.chain.chain_id)
        result = compare(keys, observed, None) if keys is not None else None
        if keys is None or result is None or result.differ:
            continue  # another issuer's keys, or none on this chain
        if result.identifies:
            return Outcome(
                "caution",
                f"This address is on no issuer list, but its powers are held by the keys recorded for "
                f"{ctx.registry.issuer(issuer).name} ({_recorded(keys)}): likely a new official token not yet in "
                "Backcheck's registry. Refresh the registry, and check the issuer's own list before trusting it: "
                "anyone can name the issuer's keys as a new token's authorities.",
                tuple(keys.roles),
            )
        unread += [key for key in result.unread if key not in unread]  # nothing differs: could be this issuer's
        if result.unrecorded and any(value != NOBODY for _, value, _ in result.matched):
            partly.append(ctx.registry.issuer(issuer).name)
    if unread:
        return ctx.missing(*unread)
    if partly:
        return Outcome(
            "unknown",
            f"This address is on no issuer list; some of its powers are held by keys recorded for "
            f"{', '.join(partly)}, but others have no record to compare with, so whether it is that issuer's is "
            "unknown. Refresh the registry and check the issuer's own list.",
            tuple(key for key, value in observed.items() if value is not None),
        )
    return Outcome(
        "n/a",
        "This address is on no issuer list, imitates no token Backcheck tracks, and its powers are held by no "
        "issuer's recorded keys: there is no issuer to compare it with.",
        tuple(key for key, value in observed.items() if value is not None),
    )


rule("ID-6", "Keys differ from the issuer's records", keys_match)


def _listed_keys(
    ctx: Context,
    token: Token,
    deployment: Deployment | None,
    keys: IssuerKeys | None,
    observed: dict[str, object],
) -> Outcome:
    """A registry token: official (or listed by someone else) and its issuer's keys."""
    where = f"{token.issuer_name} on {ctx.inspection.target.chain.name}"
    if keys is None or not keys.roles:
        why = f" ({keys.not_found})" if keys is not None and keys.not_found else ""
        return Outcome(
            "unknown",
            f"Backcheck has no recorded keys for {where}{why}, so whether this token's powers are held by the "
            "issuer's keys is unknown. Unknown is not a pass.",
        )
    result = compare(keys, observed, token.symbol)
    if result.differ:
        lister = _lister(token, deployment)
        doubt = (
            f" This address is listed by {lister}, not confirmed by {token.issuer_name}: it may not be the "
            "issuer's token at all."
            if lister
            else ""
        )
        return Outcome(
            "warning",
            f"The keys differ from those recorded {_latest(result.differ)}: {_differences(ctx, keys, result)}. "
            f"A rotation or a compromise — check the issuer's announcements.{doubt}",
            tuple(keys.roles),
        )
    if result.unread:
        return Outcome(
            "unknown",
            f"{token.symbol}'s powers could not all be compared with the keys recorded for {where}. "
            f"{ctx.missing(*result.unread).explanation}",
            result.unread,
        )
    if result.unrecorded:
        held = ", ".join(fact.replace("_", " ") for fact in result.unrecorded)
        return Outcome(
            "unknown",
            f"The powers Backcheck has records for match the keys recorded for {token.issuer_name} "
            f"({_recorded(keys)}), but this token's {held} has no recorded key to compare with, so a changed key "
            "there would go unseen. Unknown is not a pass.",
            (*keys.roles, *result.unrecorded),
        )
    lister = _lister(token, deployment)
    support = (
        f" This address is listed by {lister}, not confirmed by {token.issuer_name}: matching keys are consistent "
        "with that listing but prove nothing (anyone can name the issuer's keys as a new token's authorities); "
        "only the issuer's list makes a token official (ID-1)."
        if lister
        else ""
    )
    return Outcome(
        "pass",
        f"Every power Backcheck compares is held by the keys recorded for {token.issuer_name} ({_recorded(keys)})."
        f"{support}",
        tuple(keys.roles),
    )


def _lister(token: Token, deployment: Deployment | None) -> str | None:
    """Who lists a token the issuer's list does not confirm (``None`` for an official token)."""
    if token.official:
        return None
    return (deployment.listed_by if deployment is not None else None) or "your registry overlay"


def _copycat_keys(ctx: Context, imitated: list[Token], observed: dict[str, object]) -> Outcome:
    """An unlisted token with an issuer's name or symbol (ID-1 is critical): are its keys that issuer's?"""
    book, target = ctx.config.authorities, ctx.inspection.target
    read = ("token_symbol", "token_name")
    compared = []
    for token in imitated:
        keys = book.keys(token.issuer_key, ctx.chain_kind, target.chain.chain_id)
        if keys is not None and keys.roles:
            compared.append((token, keys, compare(keys, observed, token.symbol)))
    for token, keys, result in compared:
        if result.identifies:
            return Outcome(
                "caution",
                f"This address is on no issuer list, but it carries the name of {token.symbol} and every power "
                f"is held by the keys recorded for {token.issuer_name} ({_recorded(keys)}): likely a new official "
                "token not yet in Backcheck's registry. Refresh the registry before trusting or dismissing it: "
                "anyone can name the issuer's keys as a new token's authorities.",
                (*read, *keys.roles),
            )
    for token, keys, result in compared:
        if result.differ:
            return Outcome(
                "critical",
                f"This contract imitates {token.issuer_name}'s {token.symbol}, but its keys are not the issuer's: "
                f"{_differences(ctx, keys, result)}. A copycat can copy a name, not the issuer's keys.",
                (*read, *keys.roles),
            )
    if compared:
        token, keys, result = compared[0]
        why = (
            ctx.missing(*result.unread).explanation
            if result.unread
            else "Only powers recorded as held by nobody matched, and nobody identifies no issuer."
        )
        return Outcome(
            "unknown",
            f"This contract imitates {token.issuer_name}'s {token.symbol}; whether its keys are the issuer's is "
            f"unknown. {why}",
            (*read, *result.unread),
        )
    first = imitated[0]
    gap = book.keys(first.issuer_key, ctx.chain_kind, target.chain.chain_id)
    why = f" ({gap.not_found})" if gap is not None and gap.not_found else ""
    return Outcome(
        "unknown",
        f"This contract imitates {first.issuer_name}'s {first.symbol}, but Backcheck has no recorded keys for that "
        f"issuer on {target.chain.name}{why}, so it cannot say whether its keys are the issuer's. ID-1 still "
        "treats it as an impostor.",
        read,
    )


def _imitated_tokens(symbol: str, name: str, registry: Registry) -> list[Token]:
    """Official tokens whose symbol or name this one uses, one per issuer."""
    wanted, named = symbol.strip().lower(), name.strip().lower()
    found: dict[str, Token] = {}
    for token in registry.tokens:
        if token.official and ((wanted and token.symbol.lower() == wanted) or (named and token.name.lower() == named)):
            found.setdefault(token.issuer_key, token)
    return list(found.values())


def _latest(rows: tuple[tuple[str, str, tuple[Recorded, ...]], ...]) -> str:
    """When the differing keys were recorded: the latest dated record, else the first one's slot or commit."""
    records = [r for _, _, recs in rows for r in recs]
    dated = sorted((r for r in records if r.as_of[:1].isdigit()), key=lambda r: r.as_of)
    return (dated[-1] if dated else records[0]).when


def _differences(ctx: Context, keys: IssuerKeys, result: Comparison) -> str:
    """Each differing power: what the chain says, what was recorded, by whom and when."""
    parts = []
    for fact, value, records in result.differ:
        first = records[0]
        recorded = " or ".join(dict.fromkeys(r.address for r in records))
        part = (
            f"{fact.replace('_', ' ')} is {value}, recorded as {recorded} {first.when} "
            f"({first.basis}: {first.method}; {first.source})"
        )
        for holder in holders(value):
            conflict = ctx.config.authorities.conflict(keys.issuer, fact, holder)
            if conflict is not None:
                part += f"; an unattributed source also names {holder} ({conflict.note}), which is not proof"
        parts.append(part)
    return "; ".join(parts)


def _recorded(keys: IssuerKeys) -> str:
    """The recorded powers grouped by when they were recorded, briefly."""
    groups: dict[str, list[str]] = {}
    for fact, records in keys.roles.items():
        groups.setdefault(records[0].when, []).append(fact.replace("_", " "))
    return "; ".join(f"{', '.join(facts)} recorded {when}" for when, facts in groups.items())
