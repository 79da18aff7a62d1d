"""The banner above the detail whenever the report on screen was not read just now: DEMO, or a snapshot's as-of.

Everything here comes from a file anyone can make (titles, file names, versions): plain text only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from backcheck.core.report import Report

from .widgets import WrapLabel, named, utc_time

DEMO_NOTE = "a scenario on Backcheck's test chain, not a live token."
SNAPSHOT_NOTE = "the facts as they were measured then, judged again now; nothing was read live."
# Violet is none of the status colours (checklist.COLORS), so DEMO never reads as a verdict.
STYLES = {
    "demo": "QFrame#banner{background:#5b21b6;border-radius:4px} QFrame#banner QLabel{color:white}",
    "snapshot": "QFrame#banner{background:#e2e8f0;border:1px solid #4a5568;border-radius:4px}"
    " QFrame#banner QLabel{color:#1a202c}",
}
BADGES = {
    "demo": "background:white;color:#5b21b6;padding:2px 10px;border-radius:3px",
    "snapshot": "background:#2d3748;color:white;padding:2px 10px;border-radius:3px",
}


class Banner(QFrame):
    """Says what the report on screen is when it is not live-now; hidden otherwise.

    Attributes:
        badge: DEMO or SNAPSHOT.
        title: The demo's title and what a demo is, or what a snapshot is.
        as_of: "As of <time> · digest <first 16 hex>…" (the full digest in its tooltip).
        versions: Which app and thresholds measured the facts and which judged them, when they differ.
        digest: The full digest of the snapshot shown.
        compact: Shorter, for presentation mode (see :meth:`set_compact`).
    """

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("banner")
        self.digest = ""
        self.badge = named(QLabel(), "bannerBadge")
        font = QFont(self.badge.font())
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        self.badge.setFont(font)
        self.badge.setTextFormat(Qt.TextFormat.PlainText)
        self.title = named(WrapLabel(plain=True), "bannerTitle")
        title_font = QFont(self.title.font())
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.as_of = named(QLabel(), "bannerAsOf")
        self.as_of.setTextFormat(Qt.TextFormat.PlainText)
        self.as_of.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = named(QPushButton("Copy digest"), "copyDigestButton")
        self.copy_button.setToolTip("Copy the snapshot's full digest (sha256 of its manifest)")
        self.copy_button.setAccessibleDescription(self.copy_button.toolTip())
        self.copy_button.clicked.connect(self._copy_digest)
        self.versions = named(WrapLabel(plain=True), "bannerVersions")
        self.versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.compact = False
        self._as_of = ""

        head = QHBoxLayout()
        head.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.title, 1)
        line = QHBoxLayout()
        line.addWidget(self.as_of, 1)
        line.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addLayout(head)
        layout.addLayout(line)
        layout.addWidget(self.versions)
        self.show_report(None)

    def show_report(self, report: Report | None) -> None:
        """Show what ``report`` is; hide for a live report read just now (or none)."""
        doc = report.document if report is not None else {}
        snapshot = doc.get("snapshot")
        if snapshot is None:
            self.digest = ""
            self.setVisible(False)
            return
        kind = "demo" if doc["kind"] == "demo" else "snapshot"
        self.setStyleSheet(STYLES[kind])
        self.badge.setStyleSheet(BADGES[kind])
        self.badge.setText(kind.upper())
        if kind == "demo":
            self.title.setText(f"{(doc.get('demo') or {}).get('title', 'Demo')} — {DEMO_NOTE}")
        else:
            self.title.setText(f"Snapshot {snapshot['file']}: {SNAPSHOT_NOTE}")
        self.digest = str(snapshot["digest"])
        self._as_of = utc_time(doc["as_of"])
        self.as_of.setToolTip(f"Digest (sha256 of the snapshot's manifest): {self.digest}")
        self.versions.setText(_versions(doc["made_by"], doc["evaluated_by"]))
        self._show_details()
        self.setAccessibleName(f"{kind.upper()}: not a live reading")
        self.setAccessibleDescription(f"{self.title.text()} {self.as_of.text()}")
        self.setVisible(True)

    def set_compact(self, on: bool) -> None:
        """Shorter (presentation mode): the as-of stays; the digest, its button and the versions go."""
        self.compact = on
        self._show_details()

    def _show_details(self) -> None:
        digest = "" if self.compact else f" · digest {self.digest[:16]}…"
        self.as_of.setText(f"As of {self._as_of}{digest}")
        self.copy_button.setVisible(not self.compact)
        self.versions.setVisible(not self.compact and bool(self.versions.text()))

    def _copy_digest(self) -> None:
        QGuiApplication.clipboard().setText(self.digest)


def _versions(made: dict[str, Any], judged: dict[str, Any]) -> str:
    """Who measured and who judged, said only when they differ."""
    keys = ("app_version", "thresholds_version")
    if all(made.get(k) == judged.get(k) for k in keys):
        return ""
    return (
        f"Facts measured by Backcheck {made.get('app_version')} (thresholds {made.get('thresholds_version')}); "
        f"judged now by Backcheck {judged.get('app_version')} (thresholds {judged.get('thresholds_version')})."
    )
