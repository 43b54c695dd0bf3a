"""What changed in the annex between two versions: pure comparison of plain rows, no ORM.

Each round of negotiation is a version; the committee reads "what changed in which KPI" against
the previous one. Rows are matched by KPI code, because the code is what both sides talk about
(the annex rows themselves are copies, with new ids in every version). Rows may be model instances
or dicts with the model's field names; `snapshot_rows` turns a frozen snapshot into such dicts.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.bilingual import pick
from kpis.enums import CriteriaType

EMPTY = "—"

# The compared fields, in the order a reader scans a row of the annex, with their labels.
FIELDS: tuple[tuple[str, Promise], ...] = (
    ("name_th", _("name (Thai)")),
    ("name_en", _("name (English)")),
    ("unit_th", _("unit of measure (Thai)")),
    ("unit_en", _("unit of measure (English)")),
    ("dimension_number", _("dimension")),
    ("dimension_weight", _("dimension weight")),
    ("weight", _("weight")),
    ("composite_code", _("part of composite KPI")),
    ("criteria_type", _("criteria type")),
    ("higher_is_better", _("higher is better")),
    ("step_count", _("number of steps")),
    ("target", _("target")),
    ("threshold_1", _("level 1")),
    ("threshold_2", _("level 2")),
    ("threshold_3", _("level 3")),
    ("threshold_4", _("level 4")),
    ("threshold_5", _("level 5")),
    ("step_1", _("step of level 1")),
    ("step_2", _("step of level 2")),
    ("step_3", _("step of level 3")),
    ("step_4", _("step of level 4")),
    ("step_5", _("step of level 5")),
)
NUMBER_FIELDS = frozenset(
    {"dimension_weight", "weight", "target", *(f"threshold_{n}" for n in range(1, 6))}
)
TEXT_FIELDS = frozenset(
    {"name_th", "name_en", "unit_th", "unit_en", "composite_code"}
    | {f"step_{n}" for n in range(1, 6)}
)


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


CHANGE_LABELS = {
    ChangeKind.ADDED: pgettext_lazy("annex change", "Added"),
    ChangeKind.REMOVED: pgettext_lazy("annex change", "Removed"),
    ChangeKind.CHANGED: pgettext_lazy("annex change", "Changed"),
}


def format_number(value: Decimal | None) -> str:
    """A weight or threshold as people write it: "25", "62.5", never "25.0000" or "1E+2"."""
    if value is None:
        return EMPTY
    return format(value.normalize(), "f")


def _normalise(name: str, value: Any) -> Any:
    """Make values from models, forms and JSON snapshots comparable."""
    if name in NUMBER_FIELDS:
        if value is None or value == "":
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return value
    if name in TEXT_FIELDS:
        return (value or "").strip()
    return value


def _display(name: str, value: Any) -> str:
    if name in NUMBER_FIELDS:
        return format_number(value) if isinstance(value, Decimal) or value is None else str(value)
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if name == "criteria_type" and value in CriteriaType.values:
        return str(CriteriaType(value).label)
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: Promise
    old: Any
    new: Any

    @property
    def old_display(self) -> str:
        return _display(self.field, self.old)

    @property
    def new_display(self) -> str:
        return _display(self.field, self.new)

    def __str__(self) -> str:
        return f"{self.label}: {self.old_display} → {self.new_display}"


@dataclass(frozen=True)
class KPIChange:
    code: str
    kind: ChangeKind
    name_th: str
    name_en: str = ""
    fields: tuple[FieldChange, ...] = ()

    @property
    def name(self) -> str:
        return pick(self.name_th, self.name_en)

    @property
    def kind_label(self) -> Promise:
        return CHANGE_LABELS[self.kind]

    def field(self, name: str) -> FieldChange | None:
        return next((change for change in self.fields if change.field == name), None)


def _get(row: Any, name: str) -> Any:
    if isinstance(row, Mapping):
        return _normalise(name, row.get(name))
    return _normalise(name, getattr(row, name, None))


def code_key(code: str) -> tuple[int, ...]:
    """Sort 1.2 before 1.10, as people read KPI codes (the same order as the annex)."""
    return tuple(int(part) for part in code.split(".") if part.isdigit())


def annex_diff(old_rows: Iterable[Any], new_rows: Iterable[Any]) -> list[KPIChange]:
    """The per-KPI changes from `old_rows` to `new_rows`, in KPI code order; unchanged KPIs omitted."""
    old = {_get(row, "code"): row for row in old_rows}
    new = {_get(row, "code"): row for row in new_rows}
    changes: list[KPIChange] = []
    for code in sorted(old.keys() | new.keys(), key=lambda c: (code_key(c), c)):
        before, after = old.get(code), new.get(code)
        if before is None:
            changes.append(
                KPIChange(code, ChangeKind.ADDED, _get(after, "name_th"), _get(after, "name_en"))
            )
        elif after is None:
            changes.append(
                KPIChange(
                    code, ChangeKind.REMOVED, _get(before, "name_th"), _get(before, "name_en")
                )
            )
        else:
            fields = tuple(
                FieldChange(name, label, _get(before, name), _get(after, name))
                for name, label in FIELDS
                if _get(before, name) != _get(after, name)
            )
            if fields:
                changes.append(
                    KPIChange(
                        code,
                        ChangeKind.CHANGED,
                        _get(after, "name_th"),
                        _get(after, "name_en"),
                        fields,
                    )
                )
    return changes


def snapshot_rows(content: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The annex rows of a frozen snapshot (agreements.snapshot) with the model's field names."""
    rows = []
    for kpi in content.get("kpis", []):
        row = {
            "code": kpi["code"],
            "name_th": kpi.get("name_th", ""),
            "name_en": kpi.get("name_en", ""),
            "unit_th": kpi.get("unit_th", ""),
            "unit_en": kpi.get("unit_en", ""),
            "dimension_number": kpi.get("dimension"),
            "dimension_weight": kpi.get("dimension_weight"),
            "weight": kpi.get("weight"),
            "composite_code": kpi.get("composite", ""),
            "criteria_type": kpi.get("criteria_type"),
            "higher_is_better": kpi.get("higher_is_better"),
            "step_count": kpi.get("step_count"),
            "target": kpi.get("target"),
        }
        for level, value in enumerate(kpi.get("thresholds", [None] * 5), start=1):
            row[f"threshold_{level}"] = value
        for level, text in enumerate(kpi.get("steps", [""] * 5), start=1):
            row[f"step_{level}"] = text
        rows.append(row)
    return rows
