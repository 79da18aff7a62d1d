"""The command line: ``backcheck inspect QUERY …`` prints a report (JSON with ``--json``).

Snapshots and demos open offline (``open``, ``demo``, ``diff``); ``export`` needs Qt and is run by
:mod:`backcheck.gui.launcher`. Exit codes: 0 report produced, 1 internal error (a crash report is
written), 2 bad input, 3 no data source reachable.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from . import snapshot
from .adapters.xstocks import XStocksApi
from .answers import standing
from .chains import chain_by_key
from .compare import Comparison, compare, format_comparison
from .convert import UNITS, Conversion, TokenUnits, convert, parse_amount, units_from_facts
from .crash import crash_sentence
from .diff import diff, format_diff
from .errors import BackcheckError, BadInput, SourceError
from .facts import iso
from .http import Http
from .lookup import EVERY_EVM_CHAIN, Inspection, Target, inspect, inspect_every_chain, resolve, resolve_every_chain
from .recording import Recorder, recording
from .registry import Registry
from .registry_refresh import RegistryDiff, refresh
from .report import Report, app_version, make_report
from .rules import RuleConfig
from .settings import HOLDER_METHODS, Settings
from .wallet import Wallet, check_wallet
from .wallet import format_text as format_wallet

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_UNREACHABLE = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one sentence on stderr (exit 2) like every other error."""

    def error(self, message: str) -> NoReturn:
        text = _printable(f"{message[:1].upper()}{message[1:]}")
        self.exit(EXIT_BAD_INPUT, f"backcheck: {text}. See '{self.prog} --help'.\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``backcheck`` command line."""
    parser = _Parser(prog="backcheck", description=("Check a tokenized stock. Without a command, the window opens."))
    parser.add_argument("--version", action="version", version=f"backcheck {app_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    cmd = commands.add_parser("inspect", help="inspect one token and print its report")
    cmd.add_argument("query", help="ticker (AAPL), token symbol (AAPLx), ISIN or address")
    cmd.add_argument("--chain", help="chain to read (ethereum, arbitrum, solana, …), or 'all' for every EVM chain")
    cmd.add_argument("--json", action="store_true", help="print the JSON report (backcheck.report/1)")
    _endpoint_options(cmd)
    cmd.add_argument(
        "--holders",
        choices=HOLDER_METHODS,
        help="how to list EVM holders (default: the 'holders.method' setting, 'auto'); 'logs' scans the chain",
    )
    cmd.add_argument(
        "--registry-overlay",
        type=Path,
        metavar="FILE",
        help="add tokens from a JSON file (docs/registry-overlay.md)",
    )
    cmd.add_argument("--save", type=Path, metavar="FILE.backcheck", help="also save the report as a snapshot file")
    conv = commands.add_parser("convert", help="convert shares ⇄ raw units ⇄ tokens ⇄ USD, exactly")
    conv.add_argument("amount", help="the amount, with a dot for decimals and no thousands separators")
    conv.add_argument("--unit", choices=UNITS, default="tokens", help="the unit of AMOUNT (default: tokens)")
    conv.add_argument("--token", help="read decimals and multipliers of this token (needs --chain)")
    conv.add_argument("--chain", help="the chain of --token")
    conv.add_argument("--multiplier", help="shares per token now (instead of --token)")
    conv.add_argument("--decimals", type=int, help="the token's decimals (instead of --token)")
    conv.add_argument("--pending-multiplier", help="a scheduled multiplier")
    conv.add_argument("--pending-at", help="when it takes effect (ISO-8601, UTC)")
    conv.add_argument("--price", help="the underlying's price per share in USD")
    conv.add_argument("--json", action="store_true", help="print JSON")
    _endpoint_options(conv)
    refresh_cmd = commands.add_parser(
        "refresh-registry", help="compare the bundled registry with the issuer's live list"
    )
    refresh_cmd.add_argument("--json", action="store_true", help="print the difference as JSON")
    refresh_cmd.add_argument(
        "--factories",
        action="store_true",
        help="instead, read the issuers' token factories on chain (Dinari, Robinhood) and cache their lists",
    )
    _endpoint_options(refresh_cmd)
    demo = commands.add_parser("demo", help="list the offline demo scenarios, or show one")
    demo.add_argument("name", nargs="?", help="the scenario (without it, the list)")
    demo.add_argument("--json", action="store_true", help="print the JSON report (backcheck.report/1)")
    opened = commands.add_parser("open", help="show a saved snapshot's report, judged again offline")
    opened.add_argument("file", type=Path, help="a .backcheck snapshot file")
    opened.add_argument("--json", action="store_true", help="print the JSON report (backcheck.report/1)")
    compared = commands.add_parser("diff", help="what changed between two snapshots of one token")
    compared.add_argument("old", type=Path, help="the older snapshot")
    compared.add_argument("new", type=Path, help="the newer snapshot")
    compared.add_argument("--json", action="store_true", help="print the changes as JSON")
    compared_tokens = commands.add_parser("compare", help="every official token of one underlying, side by side")
    compared_tokens.add_argument("query", help="a ticker (AAPL), a token (AAPLx) or an ISIN")
    compared_tokens.add_argument("--chain", help="only this chain (ethereum, solana, …)")
    compared_tokens.add_argument("--json", action="store_true", help="print the comparison as JSON")
    _endpoint_options(compared_tokens)
    exported = commands.add_parser("export", help="write a snapshot or demo:NAME as PDF and/or HTML")
    exported.add_argument("source", help="a .backcheck file or demo:NAME")
    exported.add_argument("--pdf", type=Path, metavar="OUT.pdf")
    exported.add_argument("--html", type=Path, metavar="OUT.html")
    wallet = commands.add_parser("wallet", help="every listed stock token a wallet holds (read live)")
    wallet.add_argument("address", help="the wallet's address (EVM 0x… or Solana base58); sent only to the RPC")
    wallet.add_argument(
        "--chain", help="the chain to read (ethereum, solana, …), or 'all' (default: every chain of its kind)"
    )
    wallet.add_argument("--json", action="store_true", help="print the wallet document as JSON (backcheck.wallet/1)")
    _endpoint_options(wallet)
    shot = commands.add_parser("screenshot", help="draw one view of a demo to a PNG, offscreen")
    shot.add_argument("--demo", metavar="NAME", help="the demo scenario (backcheck demo lists them)")
    shot.add_argument("--view", help="answers, checks, holders, powers, evidence, legal, converter, compare, …")
    shot.add_argument("--out", type=Path, metavar="FILE.png")
    return parser


def _endpoint_options(command: argparse.ArgumentParser) -> None:
    """``--rpc CHAIN=URL`` and ``--api NAME=URL``, for this run only (repeatable)."""
    command.add_argument(
        "--rpc", action="append", default=[], metavar="CHAIN=URL", help="use this RPC endpoint for a chain (repeatable)"
    )
    command.add_argument(
        "--api",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="use this base URL for an API: xstocks, jupiter, ethplorer, goldrush (repeatable)",
    )
    command.add_argument("--offline", action="store_true", help="no network at all (live reads are refused)")


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    args = build_parser().parse_args(argv)
    commands = {
        "inspect": _inspect,
        "refresh-registry": _refresh_registry,
        "convert": _convert,
        "demo": _demo,
        "open": _open,
        "diff": _diff,
        "compare": _compare,
        "wallet": _wallet,
        "export": _needs_qt,
        "screenshot": _needs_qt,
    }
    if args.command not in commands:
        build_parser().print_help()
        return EXIT_BAD_INPUT
    try:
        return commands[args.command](args)
    except BackcheckError as exc:  # its sentence may quote what was typed or read: printed escaped
        print(f"backcheck: {_printable(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last guard: one sentence and a crash report, never a traceback
        print(f"backcheck: {crash_sentence(exc)}", file=sys.stderr)
        return EXIT_INTERNAL


def _inspect(args: argparse.Namespace) -> int:
    if args.save is not None and args.save.suffix != snapshot.SUFFIX:
        raise BadInput(f"A snapshot's file name ends in {snapshot.SUFFIX}; {args.save.name!r} does not.")
    if args.save is not None and not args.save.parent.is_dir():
        raise BadInput(f"Cannot save to {args.save}: the folder {args.save.parent} does not exist.")
    registry = Registry.load(args.registry_overlay)
    settings = _settings(args)
    if args.holders:
        settings.override("holders.method", args.holders)
    if args.chain == EVERY_EVM_CHAIN:
        targets = resolve_every_chain(registry, args.query)
    else:
        targets = [resolve(registry, args.query, args.chain)]
    with recording() as recorder:
        inspection = asyncio.run(_run(targets, settings, registry, every_chain=args.chain == EVERY_EVM_CHAIN))
    report = make_report(inspection, registry, RuleConfig.load(settings))
    _print_report(report, as_json=args.json)
    if args.save is not None:
        _save(args.save, report, recorder)
    if not inspection.reached_any_source:
        errors = "; ".join(s.error or s.state for s in inspection.sources)
        print(f"backcheck: no data source could be reached: {_printable(errors)}", file=sys.stderr)
        return EXIT_UNREACHABLE
    return EXIT_OK


def _save(path: Path, report: Report, recorder: Recorder) -> None:
    digest = snapshot.save(path, report, recorder.exchanges, omitted=recorder.omitted)
    print(f"backcheck: saved {_printable(str(path))} (digest {digest})", file=sys.stderr)


def _print_report(report: Report, *, as_json: bool) -> None:
    if as_json:
        json.dump(report.document, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_text(report.document))


def _demo(args: argparse.Namespace) -> int:
    if args.name is None:
        for name, title in snapshot.demo_names():
            print(_printable(f"{name:<20} {title}"))
        return EXIT_OK
    _, report = snapshot.load_source(f"demo:{args.name}", config=_offline_config())
    _print_report(report, as_json=args.json)
    return EXIT_OK


def _open(args: argparse.Namespace) -> int:
    _, report = snapshot.load_source(str(args.file), config=_offline_config())
    _print_report(report, as_json=args.json)
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    config = _offline_config()
    changes = diff(
        snapshot.load_source(str(args.old), config=config)[1], snapshot.load_source(str(args.new), config=config)[1]
    )
    _output(args.json, changes.to_json(), format_diff(changes))
    return EXIT_OK


def _compare(args: argparse.Namespace) -> int:
    registry = Registry.load()
    settings = _settings(args)
    chain = chain_by_key(args.chain) if args.chain else None

    async def run() -> Comparison:
        http = Http()
        try:
            return await compare(args.query, chain, settings, http, registry, RuleConfig.load(settings))
        finally:
            await http.aclose()

    result = asyncio.run(run())
    _output(args.json, result.to_json(), format_comparison(result))
    return EXIT_OK


def _wallet(args: argparse.Namespace) -> int:
    registry = Registry.load()
    settings = _settings(args)

    async def run() -> Wallet:
        http = Http()
        try:
            return await check_wallet(args.address, args.chain, settings, http, registry, RuleConfig.load(settings))
        finally:
            await http.aclose()

    result = asyncio.run(run())
    _output(args.json, result.to_json(), format_wallet(result))
    if not result.reached_any:
        print("backcheck: no chain could be read; see each chain's line above.", file=sys.stderr)
        return EXIT_UNREACHABLE
    return EXIT_OK


def _output(as_json: bool, document: dict[str, Any], text: str) -> None:
    """Print a command's JSON document, or its text with every line escaped for the terminal."""
    if as_json:
        json.dump(document, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(_printable_lines(text))


def _needs_qt(args: argparse.Namespace) -> int:
    """``export`` and ``screenshot`` are run by the window's launcher; here only their help is listed."""
    raise BadInput(f"{args.command} needs the window toolkit: run it as 'backcheck {args.command} …'.")


def _offline_config() -> RuleConfig:
    """Today's thresholds and country for judging saved facts (no endpoint is read)."""
    settings = Settings.load()
    if settings.notice:
        print(f"backcheck: {settings.notice}", file=sys.stderr)
    return RuleConfig.load(settings)


def _convert(args: argparse.Namespace) -> int:
    amount = parse_amount(args.amount)
    if args.token:
        units, origin = _units_from_token(args)
    else:
        if args.multiplier is None or args.decimals is None:
            raise BadInput("Give --token and --chain, or both --multiplier and --decimals.")
        units, origin = _units_from_flags(args), "given on the command line"
    result = convert(amount, args.unit, units)
    if args.json:
        json.dump(_conversion_json(result, units, origin), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    given = f"{args.amount} {args.unit}"
    print(_printable(f"{given}  (multiplier {units.multiplier}, {units.decimals} decimals; {origin})"))
    print(f"  raw units          {result.raw}")
    print(f"  tokens (raw view)  {result.tokens:f}")
    print(f"  shares (exact)     {result.shares:f}")
    print(f"  shares (wallets)   {result.shares_shown:f}")
    print(f"  value              {f'{result.usd:f} USD' if result.usd is not None else 'unknown (no price)'}")
    for note in result.notes:
        print(_printable(f"  note: {note}"))
    return EXIT_OK


def _units_from_flags(args: argparse.Namespace) -> TokenUnits:
    """--decimals, --multiplier, --pending-multiplier, --pending-at and --price, each checked (convert.py)."""
    return TokenUnits.parse(args.decimals, args.multiplier, args.pending_multiplier, args.pending_at, args.price)


def _units_from_token(args: argparse.Namespace) -> tuple[TokenUnits, str]:
    if not args.chain:
        raise BadInput("--token needs --chain (the multiplier differs per chain).")
    registry = Registry.load()
    settings = _settings(args)
    inspection = asyncio.run(_run([resolve(registry, args.token, args.chain)], settings, registry, every_chain=False))
    units = units_from_facts(inspection.facts, price=parse_amount(args.price) if args.price else None)
    if units is None:
        errors = "; ".join(s.error or s.state for s in inspection.sources if s.state != "ok")
        raise SourceError(f"The token's decimals or multiplier could not be read: {errors or 'not found'}.")
    multiplier = inspection.facts["multiplier"]
    return units, f"read from {multiplier.source} at block/slot {multiplier.block}"


def _conversion_json(result: Conversion, units: TokenUnits, origin: str) -> dict[str, Any]:
    def doc(c: Conversion) -> dict[str, Any]:
        return {
            "raw": str(c.raw),
            "tokens": format(c.tokens, "f"),
            "shares": format(c.shares, "f"),
            "shares_shown": format(c.shares_shown, "f"),
            "usd": None if c.usd is None else format(c.usd, "f"),
        }

    return {
        **doc(result),
        "notes": list(result.notes),
        "after_pending_change": doc(result.after) if result.after else None,
        "inputs": {
            "multiplier": format(units.multiplier, "f"),
            "decimals": units.decimals,
            "pending_multiplier": None if units.pending is None else format(units.pending, "f"),
            "pending_at": iso(units.pending_at) if units.pending_at else None,
            "source": origin,
        },
    }


def _refresh_registry(args: argparse.Namespace) -> int:
    if args.factories:
        return _refresh_factories(args)
    registry = Registry.load()
    settings = _settings(args)

    async def run() -> RegistryDiff:
        http = Http()
        try:
            return await refresh(XStocksApi(http, settings.get("api.xstocks")), registry)
        finally:
            await http.aclose()

    diff = asyncio.run(run())
    if args.json:
        json.dump(diff.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    print(f"Registry check against {diff.source}")
    if diff.clean:
        print("The bundled registry matches the issuer's list.")
    for label, rows in (("new at the issuer", diff.new), ("no longer listed", diff.removed)):
        for r in rows:
            print(_printable(f"  {label:<18} {r.symbol:<10} {r.chain:<10} {r.address}"))
    for old, new in diff.changed:
        print(_printable(f"  {'address changed':<18} {old.symbol:<10} {old.chain:<10} {old.address} -> {new.address}"))
    if diff.other_networks:
        print(_printable(f"  networks Backcheck does not read: {', '.join(diff.other_networks)}"))
    print(
        f"Rows listed by third parties: {len(diff.confirmed)} confirmed by the issuer's live list, "
        f"{len(diff.not_listed)} not in the issuer's list."
    )
    for label, rows in (("confirmed", diff.confirmed), ("not in the list", diff.not_listed)):
        for r in rows:
            print(_printable(f"  {label:<18} {r.symbol:<10} {r.chain:<10} {r.address}"))
    return EXIT_OK


def _refresh_factories(args: argparse.Namespace) -> int:
    """Read every factory's list live and cache it; a factory not read keeps its cached list."""
    from .issuer_lists import cache_path, refresh_factories  # noqa: PLC0415 - only for this command

    settings = _settings(args)

    async def run() -> list[Any]:
        http = Http()
        try:
            return await refresh_factories(http, settings)
        finally:
            await http.aclose()

    results = asyncio.run(run())
    if args.json:
        doc = [
            {
                "issuer": r.factory.issuer,
                "chain": r.factory.chain,
                "factory": r.factory.address,
                "basis": r.factory.basis,
                "listed_by": r.factory.listed_by,
                "tokens": None if r.found is None else len(r.found.tokens),
                "block": None if r.found is None else r.found.block,
                "as_of": None if r.found is None else r.found.block_time,
                "error": r.error,
            }
            for r in results
        ]
        json.dump({"cache": str(cache_path()), "factories": doc}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    for r in results:
        f = r.factory
        where = f"{f.issuer:<10} {f.chain:<10} {f.address}"
        if r.found is None:
            print(_printable(f"  {where}  not read: {r.error}"))
        else:
            whose = (
                "the issuer's list" if f.basis == "issuer" else f"listed by {f.listed_by}, not confirmed by the issuer"
            )
            print(
                _printable(
                    f"  {where}  {len(r.found.tokens)} tokens at block {r.found.block} ({r.found.block_time}); {whose}"
                )
            )
    print(_printable(f"Lists kept in {cache_path()}."))
    return EXIT_OK


def _settings(args: argparse.Namespace) -> Settings:
    """The stored settings with this run's ``--rpc``/``--api``; a settings file that was set aside is said on stderr."""
    settings = Settings.load()
    if settings.notice:
        print(f"backcheck: {settings.notice}", file=sys.stderr)
    if args.offline or settings.get("offline") == "on":
        why = "--offline was given" if args.offline else "offline mode is on in the settings"
        raise BadInput(
            f"Not reading anything live: {why}. Open a snapshot ('backcheck open FILE') or a demo ('backcheck demo')."
        )
    settings.apply_cli_overrides(args.rpc, args.api)
    return settings


async def _run(targets: list[Target], settings: Settings, registry: Registry, *, every_chain: bool) -> Inspection:
    http = Http()
    try:
        if every_chain:
            return await inspect_every_chain(targets, settings, http, registry)
        return await inspect(targets[0], settings, http, registry)
    finally:
        await http.aclose()


def format_text(report: dict[str, Any]) -> str:
    """Render a report for a terminal: answer first, then facts with provenance."""
    token = report["token"]
    lines = _origin_lines(report)
    official = standing(token)[0]
    lines += [
        f"{token['symbol'] or '?'} — {token['name'] or 'unknown name'} · "
        f"{token['issuer'] or 'unknown issuer'} · {token['chain']}",
        f"  address   {token['address']}  [{official}]",
    ]
    if token["registry_source"]:
        lines.append(f"  registry  {token['registry_source']}")
    verdict = report["verdict"]
    counts = ", ".join(f"{n} {status}" for status, n in verdict["counts"].items() if n)
    lines += ["", "Answer", f"  {counts}. {verdict['coverage']}."]
    if verdict["worst"]:
        lines.append(f"  Worst: {'; '.join(verdict['worst'])}.")
    if verdict["red_flags"]:
        lines.append(f"  Red flags of the due-diligence method: {', '.join(verdict['red_flags'])}.")
    lines.append("")
    lines.append("Facts")
    for key, fact in report["facts"].items():
        value = fact["value"] if fact["value"] is not None else f"unknown ({fact.get('error')})"
        lines.append(f"  {key:<18} {value} {fact['unit'] if fact['value'] is not None else ''}")
        where = "" if fact["block"] is None else f"block/slot {fact['block']} · "
        lines.append(f"  {'':<18} {where}{fact['fetched_at']} · {fact['source']}")
        lines.append(f"  {'':<18} {fact['method']}")
    lines.append("")
    lines.append("Findings")
    for finding in report["findings"]:
        status = "INFO" if finding.get("info") else finding["status"].upper()
        lines.append(f"  {status:<9} {finding['id']:<5} {finding['title']}")
        lines.append(f"  {'':<15} {finding['explanation']}")
    return "\n".join(_printable(line) for line in lines) + "\n"


def _origin_lines(report: dict[str, Any]) -> list[str]:
    """A demo or a snapshot says so first: what it is, as of when, who measured and who judged."""
    lines = []
    demo, saved = report.get("demo"), report.get("snapshot")
    if demo:
        lines.append(f"DEMO — {demo['title']} (a scenario on Backcheck's test chain, not a live token)")
        lines.append(f"  {demo['teaches']}")
    if saved:
        made, judged = report["made_by"], report["evaluated_by"]
        lines.append(f"As of {report['as_of']} · snapshot {saved['file']} · digest {saved['digest']}")
        lines.append(
            f"  facts measured by backcheck {made['app_version']} (thresholds {made['thresholds_version']}); "
            f"judged now by backcheck {judged['app_version']} (thresholds {judged['thresholds_version']})"
        )
    return [*lines, ""] if lines else []


def _printable_lines(text: str) -> str:
    return "".join(_printable(line) + "\n" for line in text.splitlines())


def _printable(line: str) -> str:
    """Names, symbols and errors come from chains and APIs: no control character reaches the terminal raw."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in line)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
