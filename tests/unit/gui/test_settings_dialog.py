"""The settings dialog: every declared setting, each value checked where it is typed, nothing written unless valid."""

import json
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from backcheck.core.settings import DECLARED, Settings
from backcheck.gui.settings_dialog import SettingsDialog, show_settings_notice


@pytest.fixture
def dialog(qtbot, core):
    widget = SettingsDialog(Settings.load(), core)
    qtbot.add_widget(widget)
    widget.show()
    return widget


def test_every_declared_setting_has_a_field(dialog):
    assert set(dialog.fields) == set(DECLARED) == set(dialog.field_errors)
    assert dialog.fields["threshold.HD-1.caution"].text() == "0.25"
    assert "a number from 0 to 1" in dialog.fields["threshold.HD-1.caution"].toolTip()
    assert all(label.isHidden() for label in dialog.field_errors.values())


def test_saves_country_and_threshold(dialog, config_dir):
    dialog.fields["country"].setText("us")
    dialog.fields["threshold.HD-1.caution"].setText("0.3")
    dialog.save()
    stored = json.loads((config_dir / "settings.json").read_text())
    assert stored["country"] == "US"
    assert stored["threshold.HD-1.caution"] == "0.3"
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.settings.decimal("threshold.HD-1.caution") == Decimal("0.3")


@pytest.mark.parametrize(
    ("key", "typed", "shown"),
    [
        ("threshold.HD-1.caution", "0,25", "'0,25'"),
        ("threshold.HD-1.caution", "NaN", "'NaN'"),
        ("threshold.HD-1.caution", "1.001", "'1.001'"),
        ("threshold.CT-9.days", "366", "'366'"),
        ("logs.confirmations", "x", "'x'"),
        ("logs.max_blocks", "1e3", "'1e3'"),
        ("country", "UK", "'UK'"),
        ("holders.method", "scan", "'scan'"),
        ("offline", "yes", "'yes'"),
        ("rpc.ethereum", "http://rpc.example.com", "'http://rpc.example.com'"),
        ("api.xstocks", "https://api.example:70000", "'https://api.example:70000'"),
        ("country", "\x1b[31mDE", "'\\x1b[31mDE'"),
    ],
)
def test_a_refused_value_is_explained_next_to_its_field_and_nothing_is_written(dialog, config_dir, key, typed, shown):
    before = (config_dir / "settings.json").read_text()
    old = dialog.settings.get(key)
    dialog.fields["country"].setText("DE")  # a valid change that must not be written either
    dialog.fields[key].setText(typed)
    dialog.save()
    error = dialog.field_errors[key]
    assert error.isVisible()
    assert error.text().startswith(f"Setting {key} cannot be {shown}: expected ")
    assert error.textFormat() == Qt.TextFormat.PlainText and error.text().isprintable()
    assert "Nothing was saved: 1 setting(s) need a valid value" in dialog.error.text()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert (config_dir / "settings.json").read_text() == before
    assert dialog.settings.get(key) == old and dialog.settings.get("country") == ""
    assert dialog.tabs.currentWidget().isAncestorOf(dialog.fields[key])
    others = [label for k, label in dialog.field_errors.items() if k != key]
    assert all(label.isHidden() for label in others)


def test_offline_mode_is_a_setting(dialog, config_dir):
    assert dialog.tabs.tabText(0) == "General"
    assert dialog.tabs.widget(0).isAncestorOf(dialog.fields["offline"])
    assert dialog.fields["offline"].text() == "off"
    dialog.fields["offline"].setText("on")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert json.loads((config_dir / "settings.json").read_text())["offline"] == "on"
    assert dialog.settings.get("offline") == "on"


def test_a_value_is_checked_when_the_field_is_left(dialog):
    edit, error = dialog.fields["logs.max_blocks"], dialog.field_errors["logs.max_blocks"]
    edit.setText("1e3")
    edit.editingFinished.emit()
    assert error.isVisible() and "a whole number from 0 to 1000000000" in error.text()
    edit.setText("1000")
    edit.editingFinished.emit()
    assert error.isHidden() and error.text() == ""


def test_every_refused_field_is_counted(dialog):
    dialog.fields["logs.confirmations"].setText("-1")
    dialog.fields["threshold.DQ-2.tolerance"].setText("inf")
    dialog.save()
    assert "2 setting(s)" in dialog.error.text()
    assert not dialog.field_errors["logs.confirmations"].isHidden()
    assert not dialog.field_errors["threshold.DQ-2.tolerance"].isHidden()  # on a tab not shown


def test_an_empty_field_means_the_default(qtbot, core, config_dir):
    settings = Settings.load()
    settings.set("threshold.HD-1.caution", "0.3")
    settings.save()
    dialog = SettingsDialog(settings, core)
    qtbot.add_widget(dialog)
    dialog.fields["threshold.HD-1.caution"].setText("")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert json.loads((config_dir / "settings.json").read_text())["threshold.HD-1.caution"] == "0.25"


def test_a_file_that_cannot_be_written_changes_nothing(qtbot, core, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    settings = Settings(blocked / "settings.json")  # its folder cannot be created
    dialog = SettingsDialog(settings, core)
    qtbot.add_widget(dialog)
    dialog.fields["country"].setText("DE")
    dialog.save()
    assert dialog.error.text().startswith(f"Nothing was saved: {settings.path} could not be written")
    assert dialog.result() != dialog.DialogCode.Accepted
    assert settings.get("country") == ""


def test_api_key_goes_to_the_keyring(dialog, memory_keyring, qtbot):
    dialog.key_fields["goldrush"].setText("gr-key")
    dialog.save()
    qtbot.wait_until(lambda: memory_keyring.store.get(("backcheck", "goldrush")) == "gr-key", timeout=5_000)


def test_the_settings_notice_does_not_block_the_window(qtbot, config_dir):
    (config_dir / "settings.json").write_text(json.dumps({"logs.confirmations": "<b>x</b>\x1b[2J"}))
    notice = Settings.load().notice
    window = QWidget()
    qtbot.add_widget(window)
    window.show()
    box = show_settings_notice(window, notice)
    assert box.isVisible() and box.windowModality() == Qt.WindowModality.NonModal
    assert box.text() == notice and box.textFormat() == Qt.TextFormat.PlainText
    assert "logs.confirmations = '<b>x</b>\\x1b[2J'" in box.text()
    box.close()
