"""The settings dialog: every declared setting, validated before anything is written."""

import json

import pytest

from backcheck.core.runtime import CoreLoop
from backcheck.core.settings import DECLARED, Settings
from backcheck.gui.settings_dialog import SettingsDialog


@pytest.fixture
def core():
    loop = CoreLoop()
    yield loop
    loop.stop()


def test_every_declared_setting_has_a_field(qtbot, core):
    dialog = SettingsDialog(Settings.load(), core)
    qtbot.add_widget(dialog)
    assert set(dialog.fields) == set(DECLARED)
    assert dialog.fields["threshold.HD-1.caution"].text() == "0.25"


def test_saves_country_and_threshold(qtbot, core, config_dir):
    settings = Settings.load()
    dialog = SettingsDialog(settings, core)
    qtbot.add_widget(dialog)
    dialog.fields["country"].setText("us")
    dialog.fields["threshold.HD-1.caution"].setText("0.3")
    dialog.save()
    stored = json.loads((config_dir / "settings.json").read_text())
    assert stored["country"] == "us"
    assert stored["threshold.HD-1.caution"] == "0.3"
    assert dialog.result() == dialog.DialogCode.Accepted


def test_an_invalid_value_writes_nothing(qtbot, core, config_dir):
    before = (config_dir / "settings.json").read_text()
    dialog = SettingsDialog(Settings.load(), core)
    qtbot.add_widget(dialog)
    dialog.fields["country"].setText("DE")
    dialog.fields["rpc.ethereum"].setText("http://rpc.example.com")
    dialog.save()
    assert "plain http to a remote host" in dialog.error.text()
    assert (config_dir / "settings.json").read_text() == before


def test_api_key_goes_to_the_keyring(qtbot, core, memory_keyring):
    dialog = SettingsDialog(Settings.load(), core)
    qtbot.add_widget(dialog)
    dialog.key_fields["goldrush"].setText("gr-key")
    dialog.save()
    qtbot.wait_until(lambda: memory_keyring.store.get(("backcheck", "goldrush")) == "gr-key", timeout=5_000)
