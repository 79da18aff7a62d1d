"""The settings dialog, generated from the settings declared once in the core (Electrum's pattern).

Values are checked by the core as they are typed; a refused value is explained next to its field,
and nothing is written unless every field is valid (the file is written atomically). An empty field
means the default. API keys go to the OS keyring, or stay for this session when there is none.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from backcheck.core.errors import BadInput
from backcheck.core.runtime import CoreLoop
from backcheck.core.secrets import Secrets
from backcheck.core.settings import DECLARED, Settings, validated

PAGES = (
    ("General", ("offline", "country", "holders.", "logs.", "deadline.", "wallet.")),
    ("Endpoints", ("rpc.", "api.", "explorer.")),
    ("Thresholds", ("threshold.",)),
)
KEYS = (
    ("ethplorer", "Ethplorer API key (optional; the free key is used otherwise)"),
    ("goldrush", "GoldRush (Covalent) API key (optional)"),
)


class SettingsDialog(QDialog):
    """Edit every declared setting; OK validates all, then saves.

    Attributes:
        fields: Setting key → its line edit.
        field_errors: Setting key → the label under its field that says why a value is refused.
        key_fields: Keyring name → its password field.
        error: Where the dialog says why nothing was saved.
    """

    def __init__(self, settings: Settings, core: CoreLoop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Backcheck settings")
        self.resize(760, 560)
        self.settings = settings
        self.core = core
        self.secrets = Secrets()
        self.fields: dict[str, QLineEdit] = {}
        self.field_errors: dict[str, QLabel] = {}
        self.tabs = QTabWidget()
        for title, prefixes in PAGES:
            self.tabs.addTab(self._page([k for k in DECLARED if k.startswith(prefixes)]), title)
        self.tabs.addTab(self._keys_page(), "API keys")
        self.error = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color:#9b1c1c;font-weight:bold")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _page(self, keys: list[str]) -> QScrollArea:
        page = QWidget()
        form = QFormLayout(page)
        for key in keys:
            setting = DECLARED[key]
            edit = QLineEdit(self.settings.get(key))
            edit.setPlaceholderText(setting.default)
            edit.setToolTip(f"{setting.description}. Expected: {setting.kind.expected}.")
            edit.editingFinished.connect(lambda key=key: self._check(key))
            error = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)  # it quotes what was typed
            error.setStyleSheet("color:#9b1c1c")
            error.setVisible(False)
            field = QWidget()
            column = QVBoxLayout(field)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(edit)
            column.addWidget(error)
            self.fields[key] = edit
            self.field_errors[key] = error
            label = QLabel(setting.description)
            label.setBuddy(edit)  # the field, not its box: a screen reader names the field by its label
            edit.setAccessibleName(setting.description)
            error.setAccessibleName(f"Why {setting.description} is refused")
            form.addRow(label, field)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        return scroll

    def _page_of(self, edit: QLineEdit) -> QWidget:
        """The tab (a scroll area) holding a field."""
        widget: QWidget | None = edit
        while widget is not None and self.tabs.indexOf(widget) < 0:
            widget = widget.parentWidget()
        assert widget is not None
        return widget

    def _keys_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        note = self.secrets.warning or "Keys are kept in your operating system's keyring, never in a file."
        form.addRow(QLabel(note, wordWrap=True))
        self.key_fields: dict[str, QLineEdit] = {}
        for name, label in KEYS:
            edit = QLineEdit()
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText("unchanged")
            self.key_fields[name] = edit
            form.addRow(QLabel(label), edit)
        return page

    def _typed(self, key: str) -> str:
        """The field's value; an empty field means the default."""
        return self.fields[key].text().strip() or DECLARED[key].default

    def _check(self, key: str) -> bool:
        """Show or clear the reason the field's value is refused; return whether it is valid."""
        error = self.field_errors[key]
        try:
            validated(key, self._typed(key))
        except BadInput as exc:
            error.setText(str(exc))
            error.setVisible(True)
            return False
        error.clear()
        error.setVisible(False)
        return True

    def save(self) -> None:
        """Check every field; save only if all are valid, then close."""
        refused = [key for key in self.fields if not self._check(key)]
        if refused:
            first = self.fields[refused[0]]
            self.tabs.setCurrentIndex(self.tabs.indexOf(self._page_of(first)))
            first.setFocus()
            self.error.setText(
                f"Nothing was saved: {len(refused)} setting(s) need a valid value (see the message under each)."
            )
            return
        changes = {key: self._typed(key) for key in self.fields if self._typed(key) != self.settings.get(key)}
        try:
            self.settings.update(changes)
        except OSError as exc:
            self.error.setText(f"Nothing was saved: {self.settings.path} could not be written ({exc.strerror or exc}).")
            return
        for name, edit in self.key_fields.items():
            if edit.text():
                # Keyring calls can block on D-Bus: run them on the core loop's executor.
                self.core.submit(asyncio.to_thread(self.secrets.set, name, edit.text()))
        self.accept()


def show_settings_notice(parent: QWidget, notice: str) -> QMessageBox:
    """Say once, without blocking the window, that the settings file could not be used as it was."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Backcheck settings", notice, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("settingsNotice")
    box.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the file's values
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
    return box
