"""The critical path of one report: the longest chain of requests where each waits for the one before.

A loopback proxy adds latency to every request; concurrent requests overlap, sequential ones add
up. Run: `.venv/bin/python -m bench.critical_path [latency_ms]` (default 150). Prints, per source,
the chain of round trips on the critical path and the wall time.
"""

from __future__ import annotations

import asyncio
import sys
import time


def chain(spans: list[tuple[float, float, list[str]]]) -> list[list[str]]:
    """The longest sequence of round trips, each starting after the previous one ended."""
    ordered = sorted(spans)
    best: list[list[int]] = []
    for i, (start, _, _) in enumerate(ordered):
        before = [best[j] for j in range(i) if ordered[j][1] <= start]
        best.append([*max(before, key=len, default=[]), i])
    path = max(best, key=len, default=[])
    return [ordered[i][2] for i in path]


def evm(latency: float) -> tuple[list[list[str]], float]:
    from backcheck.core.http import Http
    from backcheck.core.lookup import inspect, resolve
    from backcheck.core.registry import Registry
    from bench.run import local_settings
    from tests.conftest import start_node
    from tests.helpers.rpc_proxy import RpcProxy
    from tests.helpers.xstocks_api import XStocksApiServer

    registry = Registry.load()
    node = start_node(1)
    proxy = RpcProxy(node.url, latency=latency)
    api = XStocksApiServer(registry, latency=latency)
    settings = local_settings(rpc_ethereum=proxy.url, api_xstocks=api.url)
    settings.override("holders.method", "logs")
    settings.override("logs.confirmations", "0")

    async def run() -> float:
        http = Http()
        try:
            start = time.perf_counter()
            await inspect(resolve(registry, "AAPLx", "ethereum"), settings, http, registry)
            return time.perf_counter() - start
        finally:
            await http.aclose()

    try:
        wall = asyncio.run(run())
        return chain(proxy.spans), wall
    finally:
        proxy.close()
        api.close()
        node.stop()


def solana(latency: float) -> tuple[list[list[str]], float]:
    from backcheck.core.http import Http
    from backcheck.core.lookup import inspect, resolve
    from backcheck.core.registry import Registry
    from bench.run import local_settings
    from tests.helpers.nvdax import setup_nvdax
    from tests.helpers.solana_rpc import SolanaRpc
    from tests.helpers.xstocks_api import XStocksApiServer

    registry = Registry.load()
    rpc = SolanaRpc({}, latency=latency)
    api = XStocksApiServer(registry, latency=latency)
    setup_nvdax(rpc, api)
    settings = local_settings(rpc_solana=rpc.url, api_xstocks=api.url)

    async def run() -> float:
        http = Http()
        try:
            start = time.perf_counter()
            await inspect(resolve(registry, "NVDAx", "solana"), settings, http, registry)
            return time.perf_counter() - start
        finally:
            await http.aclose()

    try:
        wall = asyncio.run(run())
        return chain(rpc.spans), wall
    finally:
        rpc.close()
        api.close()


def main() -> None:
    latency = float(sys.argv[1]) / 1000 if len(sys.argv) > 1 else 0.15
    for name, measure in (("EVM (AAPLx on Ethereum)", evm), ("Solana (NVDAx)", solana)):
        path, wall = measure(latency)
        trips = " → ".join("[" + ", ".join(sorted(set(c))) + "]" for c in path)
        print(f"{name}: {len(path)} sequential RPC round trips at {latency * 1000:.0f} ms each, wall {wall:.2f} s")
        print(f"  {trips}")


if __name__ == "__main__":
    main()
