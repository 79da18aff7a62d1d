"""The critical path of one report: the longest chain of requests where each waits for the one before.

A loopback proxy adds latency to every request; concurrent requests overlap, sequential ones add
up. Run: `.venv/bin/python -m bench.critical_path [latency_ms]` (default 150). Prints, per source,
the chain of round trips on the critical path and the wall time. The EVM report starts with an
empty log cache, so its holder listing is a first scan, not a cache hit.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
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
    """AAPLx on Ethereum, every chain of its measured coverage served locally behind the same latency.

    The path is the inspected chain's (its proxy's requests); the other chains' reads run beside it.
    """
    from backcheck.core.chains import chain_by_key
    from backcheck.core.http import Http
    from backcheck.core.lookup import inspect, resolve
    from backcheck.core.registry import Registry
    from bench.run import local_settings
    from tests.conftest import start_node
    from tests.helpers.coverage_aaplx import EVM_CHAINS, set_aaplx_reserves, setup_aaplx_solana
    from tests.helpers.rpc_proxy import RpcProxy
    from tests.helpers.solana_rpc import SolanaRpc
    from tests.helpers.xstocks_api import XStocksApiServer

    registry = Registry.load()
    nodes = {key: start_node(chain_by_key(key).chain_id or 0) for key in EVM_CHAINS}
    proxies = {key: RpcProxy(node.url, latency=latency) for key, node in nodes.items()}
    solana_rpc = SolanaRpc({}, latency=latency)
    setup_aaplx_solana(solana_rpc)
    api = XStocksApiServer(registry, latency=latency)
    set_aaplx_reserves(api, shares_held="9018.9", circulating="9018.9")
    urls = {f"rpc_{key}": proxy.url for key, proxy in proxies.items()}
    settings = local_settings(**urls, rpc_solana=solana_rpc.url, api_xstocks=api.url)
    settings.override("holders.method", "logs")
    settings.override("logs.confirmations", "0")

    async def run() -> float:
        http = Http()
        try:
            start = time.perf_counter()
            result = await inspect(resolve(registry, "AAPLx", "ethereum"), settings, http, registry)
            assert result.facts["outstanding_measured_all_chains"].known, result.facts[
                "outstanding_measured_all_chains"
            ]
            return time.perf_counter() - start
        finally:
            await http.aclose()

    cache = os.environ.get("BACKCHECK_CACHE_DIR")
    try:
        with tempfile.TemporaryDirectory(prefix="bc-critical-") as folder:
            os.environ["BACKCHECK_CACHE_DIR"] = folder
            wall = asyncio.run(run())
        return chain(proxies["ethereum"].spans), wall
    finally:
        if cache is None:
            os.environ.pop("BACKCHECK_CACHE_DIR", None)
        else:
            os.environ["BACKCHECK_CACHE_DIR"] = cache
        for proxy in proxies.values():
            proxy.close()
        for node in nodes.values():
            node.stop()
        solana_rpc.close()
        api.close()


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


def trips(path: list[list[str]]) -> str:
    """``[a, b] → [c]``: each round trip's distinct methods."""
    return " → ".join("[" + ", ".join(sorted(set(c))) + "]" for c in path)


def main() -> None:
    latency = float(sys.argv[1]) / 1000 if len(sys.argv) > 1 else 0.15
    for name, measure in (("EVM (AAPLx on Ethereum)", evm), ("Solana (NVDAx)", solana)):
        path, wall = measure(latency)
        print(f"{name}: {len(path)} sequential RPC round trips at {latency * 1000:.0f} ms each, wall {wall:.2f} s")
        print(f"  {trips(path)}")


if __name__ == "__main__":
    main()
