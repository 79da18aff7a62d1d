"""The Wallet view (F19): every listed stock token an address holds, read live on a bridge of its own.

The read runs on the core loop (:func:`backcheck.core.wallet.check_wallet`); its progress lines come
back as a queued signal, and a new check or a cancel drops the old job's progress and result (the
bridge's job id and a per-job token). The address is kept in the line edit only: never in the
settings, a log or a cache.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backcheck.core.chains import CHAINS
from backcheck.core.facts import Fact
from backcheck.core.lookup import Target
from backcheck.core.registry import Registry
from backcheck.core.rules import RuleConfig
from backcheck.core.runtime import CoreLoop
from backcheck.core.settings import Settings
from backcheck.core.units import normalized
from backcheck.core.wallet import EVERY_CHAIN, Holding, Wallet, check_wallet, shown_amount

from .bridge import CoreBridge
from .models import Index, TableModel
from .overview import STATUS_COLOURS
from .plain_text import printable
from .widgets import WrapLabel, fit_columns, named, table

INTRO = (
    "Check my wallet: every listed stock token an address holds — raw balance, what wallets show, the shares it "
    "stands for, frozen or sanctioned, and whether the issuer excludes your country from redemption. The address "
    "goes only to the chosen chain's RPC endpoint and is never saved."
)
OFFLINE = "Offline mode is on, and a wallet is read live: turn it off in File → Settings… to check one."
FLAG_COLOURS = {True: QColor("#9b1c1c"), False: QColor("#00704f"), None: QColor("#8a5a00")}
# RD-8 passes when the country is not excluded: that is not yet "yes, you may" (KYC, eligibility).
REDEEM_WORDS = {"pass": "✔ not excluded", "warning": "✖ excluded", "unknown": "? unknown"}
COLUMN_LIMIT = 220  # a long name elides at 1280 px wide; the tooltip holds it whole
FIGURE_CHARS = 22  # an amount longer than this is rounded in its cell (≈); the tooltip holds it exactly


def _figure(fact: Fact, exact: Fact | None = None, decimals: Fact | None = None) -> str:
    """An amount for a cell: exact when short, else cut to 8 decimals and marked ≈.

    A positive balance that wallets cut to 0 (a multiplier below 1, AZNx 0.511) reads "< 0.00000001",
    never a bare 0; the Shares column and the tooltip hold it exactly.
    """
    if not fact.known:
        return "unknown"  # the row's tooltip says why
    value = fact.value
    if value == 0 and exact is not None and isinstance(exact.value, Decimal) and exact.value > 0:
        unit = Decimal(1).scaleb(-decimals.value) if decimals is not None and isinstance(decimals.value, int) else None
        return f"< {unit:f}" if unit is not None else shown_amount(fact, exact)
    text = shown_amount(fact)
    if len(text) <= FIGURE_CHARS or not isinstance(value, Decimal) or value < Decimal("0.00000001"):
        return text
    return f"≈ {normalized(value.quantize(Decimal('0.00000001'), ROUND_DOWN)):f}"


def _flag(h: Holding) -> Fact:
    return h.facts["frozen"] if h.chain.kind == "solana" else h.facts["sanctioned"]


class WalletModel(TableModel):
    """The holdings: one row per token held on one chain."""

    HEADERS = (
        "Token",
        "Chain",
        "Listed as",
        "Raw balance",
        "Wallets show",
        "Shares",
        "Value (USD)",
        "Frozen / sanctioned",
        "Country excluded? (RD-8)",
    )
    FLAG, REDEEM = 7, 8

    def cells(self, row: int, item: Holding) -> tuple[str, ...]:
        """Each column's text (plain; amounts rounded only when long, with ≈)."""
        f = item.facts
        flag = _flag(item)
        what = "frozen" if item.chain.kind == "solana" else "sanctioned"
        flag_text = (f"✖ {what}" if flag.value else f"✔ not {what}") if flag.known else "? unknown"
        return (
            printable(f"{item.token.symbol} — {item.token.name}"),
            item.chain.name,
            "✔ official" if item.token.official is True else item.standing,
            _figure(f["balance_raw"]),
            _figure(f["balance_displayed"], f["shares"], f["decimals"]),
            _figure(f["shares"]),
            _figure(f["value"]),
            flag_text,
            REDEEM_WORDS.get(item.redeem.status, item.redeem.status),
        )

    def tooltip(self, item: Holding) -> str:
        """Every figure exactly, with where it was read and how to re-run it."""
        lines = [f"{item.token.symbol} — {item.token.name} · {item.token.issuer_name} · {item.chain.name}"]
        lines.append(f"{item.standing}; registry: {item.deployment.source} (as of {item.deployment.as_of})")
        for key, fact in item.facts.items():
            at = f" at block/slot {fact.block}" if fact.block is not None else ""
            lines.append(f"{key}: {shown_amount(fact)} — {fact.source}{at}; {fact.method}")
        lines.append(f"Country excluded from redemption? (RD-8): {item.redeem.explanation}")
        lines.append(f"Worst finding: in its full report — {item.report_command}")
        return "\n".join(lines)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: D102 - Qt override
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.row() < self.rowCount():
            item: Holding = self.row_object(index.row())
            if index.column() == self.FLAG:
                flag = _flag(item)
                return FLAG_COLOURS[bool(flag.value) if flag.known else None]
            if index.column() == self.REDEEM:
                return QColor(STATUS_COLOURS.get(item.redeem.status, STATUS_COLOURS["unknown"]))
            return None
        return super().data(index, role)


class WalletView(QWidget):
    """Type an address, pick a chain, read the holdings.

    Signals:
        report_wanted(object): the :class:`Target` of a holding whose full report the user asked for.
        progressed(object, str): a job's token and a progress line (emitted on the core loop's thread).

    Attributes:
        bridge: Its own job slot on the core loop (never a token read's).
        model: The holdings shown.
        wallet: The last wallet read, ``None`` before one.
    """

    report_wanted = Signal(object)
    progressed = Signal(object, str)

    def __init__(self, core: CoreLoop, registry: Registry, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("walletView")
        self.registry, self.settings = registry, settings
        self.bridge = CoreBridge(core, self)
        self.bridge.succeeded.connect(self._on_read)
        self.bridge.failed.connect(self._on_failed)
        self.progressed.connect(self._on_progress)
        self._job: object | None = None  # the running job's token: progress of any other is dropped
        self.wallet: Wallet | None = None
        intro = named(WrapLabel(plain=True), "walletIntro")
        intro.setText(INTRO)
        self.address = named(QLineEdit(), "walletAddress")
        self.address.setPlaceholderText("Wallet address: 0x… (EVM) or base58 (Solana)")
        self.address.setAccessibleName("Wallet address")
        self.address.returnPressed.connect(self.start)
        self.chain = named(QComboBox(), "walletChain")
        self.chain.setAccessibleName("Which chains to read")
        self.chain.addItem("Every chain of its kind", EVERY_CHAIN)
        for c in CHAINS:
            self.chain.addItem(c.name, c.key)
        self.button = named(QPushButton("Check wallet"), "walletButton")
        self.button.clicked.connect(self.start)
        self.progress = named(QProgressBar(), "walletProgress")
        self.progress.setRange(0, 0)  # busy: a chain's round trips have no meaningful percentage
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.setVisible(False)
        self.message = named(WrapLabel(plain=True), "walletMessage")  # chain sentences, sources' own error texts
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = WalletModel()
        self.view = table(self.model, "walletTable")
        self.view.doubleClicked.connect(self.open_report)
        self.open_button = named(QPushButton("Open the full report of the selected token"), "walletOpenReport")
        self.open_button.clicked.connect(self.open_report)
        self.open_button.setEnabled(False)
        self.view.selectionModel().selectionChanged.connect(
            lambda *_: self.open_button.setEnabled(self.view.selectionModel().hasSelection())
        )
        line = QHBoxLayout()
        line.addWidget(self.address, 1)
        line.addWidget(self.chain)
        line.addWidget(self.button)
        foot = QHBoxLayout()
        foot.addWidget(self.open_button)
        foot.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(line)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        layout.addLayout(foot)

    def start(self) -> None:
        """Read the wallet typed, on the chosen chains; a running read is cancelled first."""
        self.cancel()
        self.model.set_rows([])
        self.wallet = None
        if self.settings.get("offline") == "on":
            self._say(OFFLINE, error=True)
            return
        job = object()
        self._job = job
        reading = check_wallet(
            self.address.text(),
            self.chain.currentData(),
            self.settings,
            self.bridge.core.http,
            self.registry,
            RuleConfig.load(self.settings),
            lambda text: self.progressed.emit(job, text),
        )
        self.progress.setVisible(True)
        self._say("Reading …")
        self.bridge.run(reading)

    def cancel(self) -> None:
        """Stop the running read; neither its progress nor its result will land."""
        self._job = None
        self.bridge.cancel()
        self.progress.setVisible(False)

    def open_report(self) -> None:
        """Ask the window to read the selected holding's token in full (its worst finding is there)."""
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return
        h: Holding = self.model.row_object(rows[0].row())
        self.report_wanted.emit(Target(h.deployment.address, h.chain, h.deployment.address, h.token, h.deployment))

    def _on_progress(self, job: object, text: str) -> None:
        if job is self._job and self.bridge.running:
            self._say(text)

    def _on_read(self, job_id: int, wallet: Wallet) -> None:
        if job_id != self.bridge.current_id:
            return
        self._job = None
        self.progress.setVisible(False)
        self.wallet = wallet
        self.model.set_rows(list(wallet.holdings))
        fit_columns(self.view, COLUMN_LIMIT)
        failed = any(c.error for c in wallet.chains)
        held = len(wallet.holdings)
        head = f"{held} holding{'s' if held != 1 else ''} found." if held else "No listed token found."
        self._say("\n".join([head, *(c.sentence() for c in wallet.chains)]), error=failed)

    def _on_failed(self, job_id: int, message: str) -> None:
        if job_id != self.bridge.current_id:
            return
        self._job = None
        self.progress.setVisible(False)
        self._say(message, error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color:#9b1c1c;font-weight:bold" if error else "")
        self.message.setText(text)
