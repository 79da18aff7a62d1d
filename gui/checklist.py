"""The checklist, layered: Answer (verdict) → Reasoning (why) → Evidence (facts) → Raw (JSON, verify)."""

from __future__ import annotations

import html
import json

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from backcheck.core.facts import Fact
from backcheck.core.rules import Finding, Verdict
from backcheck.core.rules.engine import SEVERITY

# Text colours on white, each at least 5:1 (WCAG AA needs 4.5:1); the [STATUS] word says it too.
COLORS = {
    "pass": "#1e7b34",
    "caution": "#8a5a00",
    "warning": "#a84300",
    "critical": "#9b1c1c",
    "unknown": "#4a5568",
    "n/a": "#596273",
    "info": "#2b6cb0",  # an info finding is a pass by status, but never shown as reassurance
}
# The Answer line's counts, worst first; verdict() counts info findings apart from passes.
ANSWER_ORDER = ("critical", "warning", "caution", "unknown", "pass", "info", "n/a")
LAYERS = ("answer", "reasoning", "evidence", "raw")
CHECK_COLUMN = 360  # the check titles' column at least, in pixels; wider when the text is larger


class ChecklistView(QWidget):
    """A verdict line over a tree: finding → why → each fact used → its raw JSON and how to verify it.

    Attributes:
        answer: The verdict label (Answer layer).
        tree: One top-level item per finding, worst first.
    """

    def __init__(self) -> None:
        super().__init__()
        self.answer = QLabel(wordWrap=True)
        self.answer.setObjectName("answerLabel")
        self.tree = QTreeWidget()
        self.tree.setObjectName("checklistTree")
        self.tree.setHeaderLabels(["Check", "Detail"])
        self.tree.setColumnWidth(0, CHECK_COLUMN)
        self.tree.setWordWrap(True)
        self.tree.setAccessibleName("Checks")
        self.tree.setAccessibleDescription(
            "One row per check, worst first; open a row for why, the evidence, and the raw answer to verify"
        )
        self.detail = QLabel(wordWrap=True)
        self.detail.setObjectName("checklistDetail")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree.currentItemChanged.connect(self._show_detail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.answer)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)

    def show_findings(self, findings: list[Finding], facts: dict[str, Fact], verdict: Verdict) -> None:
        """Fill the view; findings are ordered worst first, report order within a status."""
        summary = ", ".join(f"{n} {status}" for status in ANSWER_ORDER if (n := verdict.counts.get(status, 0)))
        lines = [f"<b>Answer</b>: {summary}. {verdict.coverage}."]
        if verdict.worst:
            lines.append(f"Worst: {'; '.join(verdict.worst)}.")
        if verdict.red_flags:
            lines.append(f"Red flags of the due-diligence method: <b>{', '.join(verdict.red_flags)}</b>.")
        self.answer.setText("<br>".join(lines))
        self.tree.clear()
        ordered = sorted(findings, key=lambda f: -SEVERITY[f.status])
        for finding in ordered:
            self.tree.addTopLevelItem(_finding_item(finding, facts))
        self._fit_columns()

    def select(self, rule_ids: tuple[str, ...]) -> None:
        """Select and open the first of these findings (an answer card's "Why ›" lands here)."""
        for n in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(n)
            data = item.data(0, 256) if item is not None else None
            if item is not None and data and data[1] in rule_ids:
                self.tree.setCurrentItem(item)
                item.setExpanded(True)
                self.tree.scrollToItem(item)
                return

    def changeEvent(self, event: QEvent) -> None:  # noqa: D102 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode: the titles grow, so does their column
            QTimer.singleShot(0, self, self._fit_columns)  # once the tree has its new font too

    def _fit_columns(self) -> None:
        """The check titles whole, up to a bit over half the width; the detail gets the rest."""
        widest = self.tree.sizeHintForColumn(0) + self.tree.indentation()
        self.tree.setColumnWidth(0, max(CHECK_COLUMN, min(widest, self.tree.width() * 11 // 20)))

    def fold_raw(self) -> None:
        """Fold every layer under the checks' "Why" (evidence and raw), as presentation mode shows them."""
        for n in range(self.tree.topLevelItemCount()):
            finding = self.tree.topLevelItem(n)
            if finding is not None:
                for m in range(finding.childCount()):
                    _collapse(finding.child(m))

    def clear(self) -> None:
        """Empty the view."""
        self.answer.setText("")
        self.detail.setText("")
        self.tree.clear()

    def _show_detail(self, item: QTreeWidgetItem | None) -> None:
        """Show the selected row's full text (long explanations and raw JSON do not fit a row)."""
        self.detail.setText("" if item is None else f"<b>{html.escape(item.text(0))}</b>: {html.escape(item.text(1))}")


def _collapse(item: QTreeWidgetItem | None) -> None:
    if item is None:
        return
    item.setExpanded(False)
    for n in range(item.childCount()):
        _collapse(item.child(n))


def _finding_item(finding: Finding, facts: dict[str, Fact]) -> QTreeWidgetItem:
    label = "INFO" if finding.info else finding.status.upper()
    flag = f" — red flag: {finding.red_flag}" if finding.red_flag and SEVERITY[finding.status] >= 2 else ""
    item = QTreeWidgetItem([f"[{label}] {finding.id} {finding.title}", flag.removeprefix(" — ")])
    item.setForeground(0, QBrush(QColor(COLORS["info" if finding.info else finding.status])))
    item.setData(0, 256, ("answer", finding.id))
    why = QTreeWidgetItem(["Why", finding.explanation])
    why.setData(0, 256, ("reasoning", finding.id))
    why.setToolTip(1, finding.explanation)
    item.addChild(why)
    evidence = QTreeWidgetItem(
        [
            "Evidence",
            f"{len(finding.evidence)} fact(s) with where each came from"
            if finding.evidence
            else "no fact: this check reads the catalog or registry",
        ]
    )
    evidence.setData(0, 256, ("evidence", finding.id))
    item.addChild(evidence)
    for key in finding.evidence:
        fact = facts.get(key)
        if fact is None:
            evidence.addChild(QTreeWidgetItem([key.replace("_", " "), "not read"]))
            continue
        value = fact.display_value() if fact.known else f"unknown — {fact.error}"
        where = f"{fact.source}" + (f", block/slot {fact.block}" if fact.block is not None else "")
        row = QTreeWidgetItem([key.replace("_", " "), f"{value} {fact.unit if fact.known else ''} ({where})"])
        row.setData(0, 256, ("evidence", key))
        raw = QTreeWidgetItem(["Raw", json.dumps(fact.to_json(), default=str)])
        raw.setData(0, 256, ("raw", key))
        verify = QTreeWidgetItem(["Verify it yourself", fact.method])
        verify.setData(0, 256, ("raw", key))
        row.addChildren([raw, verify])
        evidence.addChild(row)
    return item
