import json
import stat

import pytest

from backcheck.core.errors import BadInput
from backcheck.core.settings import DECLARED, Settings


def test_defaults_are_keyless_https_endpoints(config_dir):
    (config_dir / "settings.json").unlink()  # the suite's closed-port endpoints
    settings = Settings.load()
    assert settings.path == config_dir / "settings.json"
    for key, setting in DECLARED.items():
        if setting.is_url:
            assert settings.get(key).startswith("https://"), key


def test_cli_overrides_win_and_are_not_saved(config_dir):
    (config_dir / "settings.json").unlink()
    settings = Settings.load()
    settings.set("rpc.arbitrum", "https://arb.example/rpc")
    settings.apply_cli_overrides(["ETH=http://127.0.0.1:8545"], ["xstocks=http://127.0.0.1:9/api"])
    assert settings.get("rpc.ethereum") == "http://127.0.0.1:8545"
    assert settings.get("api.xstocks") == "http://127.0.0.1:9/api"
    settings.save()
    stored = json.loads((config_dir / "settings.json").read_text())
    assert stored == {"rpc.arbitrum": "https://arb.example/rpc"}
    assert stat.S_IMODE((config_dir / "settings.json").stat().st_mode) == 0o600
    assert Settings.load().get("rpc.arbitrum") == "https://arb.example/rpc"


@pytest.mark.parametrize(
    ("rpc", "api", "message"),
    [
        (["ethereum"], [], "takes NAME=URL"),
        (["moon=https://x"], [], "Unknown chain 'moon'"),
        (["ethereum=http://example.com"], [], "plain http to a remote host"),
        ([], ["nope=https://x"], "Unknown API 'nope'"),
    ],
)
def test_bad_overrides(rpc, api, message):
    with pytest.raises(BadInput, match=message):
        Settings.load().apply_cli_overrides(rpc, api)


def test_broken_settings_file_is_reported_not_overwritten(config_dir):
    (config_dir / "settings.json").write_text("{oops")
    with pytest.raises(BadInput, match="cannot be read"):
        Settings.load()
    assert (config_dir / "settings.json").read_text() == "{oops"
