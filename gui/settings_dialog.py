"""The settings dialog, generated from the settings declared once in the core (Electrum's pattern).

Values are validated by the core; nothing is written unless every field is valid, and the file
is written atomically. API keys go to the OS keyring, or stay for this session when there is none.
"""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from backcheck.core.errors import BadInput
from backcheck.core.runtime import CoreLoop
from backcheck.core.secrets import Secrets
from backcheck.core.settings import DECLARED, Settings

PAGES = (
    ("General", ("country", "holders.", "logs.")),
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
        key_fields: Keyring name → its password field.
        error: Where a validation message is shown.
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
        tabs = QTabWidget()
        for title, prefixes in PAGES:
            tabs.addTab(self._page([k for k in DECLARED if k.startswith(prefixes)]), title)
        tabs.addTab(self._keys_page(), "API keys")
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet("color:#9b1c1c;font-weight:bold")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _page(self, keys: list[str]) -> QScrollArea:
        page = QWidget()
        form = QFormLayout(page)
        for key in keys:
            setting = DECLARED[key]
            edit = QLineEdit(self.settings.get(key))
            edit.setPlaceholderText(setting.default)
            edit.setToolTip(f"{setting.description}. Default: {setting.default or '(empty)'}")
            self.fields[key] = edit
            form.addRow(QLabel(setting.description), edit)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        return scroll

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

    def save(self) -> None:
        """Validate every field; save only if all are valid, then close."""
        try:
            for key, edit in self.fields.items():
                value = edit.text().strip()
                if value != self.settings.get(key):
                    self.settings.set(key, value or DECLARED[key].default)
        except BadInput as exc:
            self.error.setText(str(exc))
            return
        try:
            self.settings.save()
        except OSError as exc:
            self.error.setText(f"Could not write {self.settings.path}: {exc}")
            return
        for name, edit in self.key_fields.items():
            if edit.text():
                # Keyring calls can block on D-Bus: run them on the core loop's executor.
                self.core.submit(asyncio.to_thread(self.secrets.set, name, edit.text()))
        self.accept()
