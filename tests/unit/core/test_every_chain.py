"""One ticker on every EVM chain: seven real anvil nodes, one per chain id of AAPLx."""

import asyncio
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from backcheck.core.chains import chain_by_id
from backcheck.core.http import Http
from backcheck.core.lookup import inspect_every_chain, resolve_every_chain
from backcheck.core.registry import Registry
from backcheck.core.resources import resource_path
from backcheck.core.settings import Settings
from tests.conftest import start_node

pytestmark = pytest.mark.chain
REGISTRY = Registry.load()
AAPLX_CHAIN_IDS = (1, 56, 196, 999, 5000, 42161, 57073)


@pytest.fixture(scope="module")
def nodes():
    started = {chain_by_id(i).key: start_node(i) for i in AAPLX_CHAIN_IDS}
    yield started
    for node in started.values():
        node.stop()


def settings_for(nodes, **replace) -> Settings:
    settings = Settings.load()
    for key, node in nodes.items():
        settings.override(f"rpc.{key}", replace.get(key, node.url))
    return settings


def run(settings):
    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await inspect_every_chain(resolve_every_chain(REGISTRY, "AAPLx"), settings, http, REGISTRY)
        finally:
            await http.aclose()

    return asyncio.run(go())


def test_outstanding_is_the_sum_of_floats_never_of_gross_supply(nodes):
    result = run(settings_for(nodes))
    assert [i.target.chain.key for i in result.per_chain] == sorted(nodes)
    assert all(i.facts["total_supply"].value == Decimal(10_021) for i in result.per_chain)
    assert result.facts["total_supply_evm_chains_gross"].value == Decimal(70_147)
    assert result.facts["issuer_inventory_evm_chains"].value == Decimal("63132.3")
    assert result.facts["outstanding_evm_chains"].value == Decimal("7014.7")
    assert "NOT outstanding" in result.facts["total_supply_evm_chains_gross"].unit
    assert result.facts["chains_read"].value == "7 of 7"


def test_one_chain_down_makes_the_sums_unknown_not_smaller(nodes):
    result = run(settings_for(nodes, ink="http://127.0.0.1:9"))
    assert result.facts["outstanding_evm_chains"].value is None
    assert "not read on ink" in result.facts["outstanding_evm_chains"].error
    assert result.facts["chains_read"].value == "6 of 7"


def test_wrong_chain_id_on_one_chain(nodes):
    result = run(settings_for(nodes, mantle=nodes["ethereum"].url))
    mantle = next(i for i in result.per_chain if i.target.chain.key == "mantle")
    assert "serves Ethereum (1), not Mantle (5000)" in mantle.sources[0].error


def test_cli_chain_all(nodes):
    args = [str(Path(sys.executable).with_name("backcheck")), "inspect", "AAPLx", "--chain", "all", "--json"]
    for key, node in nodes.items():
        args += ["--rpc", f"{key}={node.url}"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, json.loads(resource_path("schema", "report.schema.json").read_text()))
    assert report["token"]["chain"] == "all"
    assert report["facts"]["outstanding_evm_chains"]["value"] == "7014.7"
    assert len(report["deployments"]) == 7
    assert {d["facts"]["float"]["value"] for d in report["deployments"]} == {"1002.1"}
