"""backcheck compare: every official token of one underlying, side by side, the worst cell marked."""

import json

import pytest

from backcheck.core.chains import chain_by_key
from backcheck.core.cli import main
from backcheck.core.compare import LABELS, targets
from backcheck.core.errors import BadInput
from backcheck.core.registry import Registry

REGISTRY = Registry.load()


def test_targets_are_every_official_deployment_of_the_underlying():
    found = targets(REGISTRY, "AAPL", chain_by_key("ethereum"))
    assert sorted(t.token.symbol for t in found) == ["AAPLon", "AAPLx"]
    assert {t.chain.key for t in found} == {"ethereum"}
    assert len(targets(REGISTRY, "AAPLx", None)) == len(targets(REGISTRY, "AAPL", None)) > 8
    with pytest.raises(BadInput, match="No token matches"):
        targets(REGISTRY, "NOPE-NOPE", None)


@pytest.mark.chain
def test_compare_on_the_test_chain(chain, xstocks_api, capsys):
    code = main([
        "compare", "AAPL", "--chain", "ethereum", "--rpc", f"ethereum={chain.url}",
        "--api", f"xstocks={xstocks_api.url}", "--json",
    ])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    assert doc["underlying"] == "AAPL" and doc["columns"] == ["AAPLon · Ethereum", "AAPLx · Ethereum"]
    rows = {r["label"]: r for r in doc["rows"]}
    assert list(rows) == list(LABELS)
    # AAPLx is on the test chain; nothing is deployed at AAPLon's address here, so its float is unknown.
    floats = [c["text"] for c in rows["Float"]["cells"]]
    assert floats[0] == "unknown" and floats[1] == "1002.1 tokens"
    assert rows["Float"]["worst"] == 0  # unknown stands out; it is never the best
    assert all(r["worst"] in (0, 1, None) for r in doc["rows"])
    assert [r["token"]["symbol"] for r in doc["reports"]] == ["AAPLon", "AAPLx"]
    code = main(["compare", "AAPL", "--chain", "ethereum", "--rpc", f"ethereum={chain.url}"])
    text, _ = capsys.readouterr()
    assert "◀ worst" in text and text.startswith("AAPL: 2 official tokens side by side")
