"""Whom a collection is for: every rep, or the reps of some territories (marketing
always sees it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.usage import CollectionInfo, fold_territory
from satchel.core.domain.users import Role


class ShareDialog(QDialog):
    """Choose the reps a collection is shared with; `on_share(roles, territories)` runs
    on OK."""

    def __init__(self, collection: CollectionInfo, known_territories: Sequence[str],
                 on_share: Callable[[list[Role], list[str]], None],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("shareDialog")
        self.setWindowTitle(f"Share “{collection.name}”")
        self._on_share = on_share
        intro = QLabel("Marketers and admins always see every collection. Reps see it when "
                       "it is shared with all reps or with their territory.")  # fmt: skip
        intro.setWordWrap(True)
        self.all_reps = QCheckBox("All reps")
        self.all_reps.setObjectName("shareAllReps")
        self.all_reps.setChecked(Role.REP in collection.roles)
        self.territories = QListWidget()
        self.territories.setObjectName("shareTerritories")
        self.territories.setAccessibleName("Territories")
        chosen = {fold_territory(t) for t in collection.territories}
        for name in _merged([*collection.territories, *known_territories]):
            self._add(name, fold_territory(name) in chosen)
        self.other = QLineEdit()
        self.other.setObjectName("shareOtherTerritory")
        self.other.setPlaceholderText("Another territory")
        self.other.setAccessibleName("Another territory")
        add = QPushButton("Add")
        add.clicked.connect(self._add_other)
        self.other.returnPressed.connect(self._add_other)
        other_row = QHBoxLayout()
        other_row.addWidget(self.other, 1)
        other_row.addWidget(add)
        self.summary = QLabel()
        self.summary.setObjectName("shareSummary")
        self.all_reps.toggled.connect(self._summarize)
        self.territories.itemChanged.connect(lambda _item: self._summarize())
        self.territories.setEnabled(not self.all_reps.isChecked())
        self.all_reps.toggled.connect(lambda on: self.territories.setEnabled(not on))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)  # fmt: skip
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Share")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.all_reps)
        layout.addWidget(QLabel("Or only the reps in:"))
        layout.addWidget(self.territories)
        layout.addLayout(other_row)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self._summarize()

    def _add(self, name: str, checked: bool) -> QListWidgetItem:
        item = QListWidgetItem(name)  # list items show plain text
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.territories.addItem(item)
        return item

    def _add_other(self) -> None:
        name = " ".join(self.other.text().split())
        if not name:
            return
        existing = [self.territories.item(r) for r in range(self.territories.count())]
        same = next((i for i in existing if fold_territory(i.text()) == fold_territory(name)),
                    None)  # fmt: skip
        (same or self._add(name, True)).setCheckState(Qt.CheckState.Checked)
        self.other.clear()

    def chosen(self) -> tuple[list[Role], list[str]]:
        roles = [Role.REP] if self.all_reps.isChecked() else []
        places = [] if roles else [
            self.territories.item(r).text() for r in range(self.territories.count())
            if self.territories.item(r).checkState() == Qt.CheckState.Checked
        ]  # fmt: skip
        return roles, places

    def _summarize(self) -> None:
        roles, places = self.chosen()
        self.summary.setText(CollectionInfo("", "", "", 0, tuple(roles), tuple(places))
                             .shared_with() + ".")  # fmt: skip

    def accept(self) -> None:
        roles, places = self.chosen()
        self._on_share(roles, places)
        super().accept()


def _merged(names: Sequence[str]) -> list[str]:
    """Territory names once each (as first written), sorted; blanks left out."""
    seen: dict[str, str] = {}
    for name in names:
        folded = fold_territory(name)
        if folded:
            seen.setdefault(folded, " ".join(name.split()))
    return sorted(seen.values(), key=str.casefold)
