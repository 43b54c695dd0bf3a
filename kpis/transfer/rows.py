"""What a parse yields (the checked rows, the problems with their row numbers), and the checks
that need every row at once: duplicate codes, composite links and deletions."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.models import Organisation
from kpis.models import KPI
from kpis.selectors import code_sort_key


class ImportMode(models.TextChoices):
    UPDATE = "update", gettext_lazy("Add new KPIs and update existing ones by code")
    REPLACE = "replace", gettext_lazy("Replace the KPI list (KPIs not in the file are deleted)")


@dataclass(frozen=True)
class RowError:
    row: int | None  # the Excel row number; None for a problem of the whole file
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ParsedRow:
    row: int
    code: str
    fields: dict[str, Any]  # for kpi_create / kpi_update, without composite_parent
    composite_code: str | None  # None: the column is absent (keep); "": not a sub-KPI
    supporting_units: list[Organisation] | None  # None: the column is absent (keep)
    criteria: dict[str, Any]  # template fields to save, already merged with the current ones
    existing: KPI | None = None
    final_composite: str = ""

    @property
    def saves_criteria(self) -> bool:
        return bool(self.criteria)


@dataclass
class ParsedImport:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    to_delete: list[KPI] = field(default_factory=list)
    existing: dict[str, KPI] = field(default_factory=dict)  # the framework's KPIs by code

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Checks across rows ---------------------------------------------------------------------------


def check_codes(rows: list[ParsedRow]) -> list[RowError]:
    """A code twice in the file: the later row is reported and dropped from `rows`."""
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row in list(rows):
        if row.code in seen:
            errors.append(
                RowError(
                    row.row,
                    _("Code %(code)s appears twice (also row %(other)s).")
                    % {"code": row.code, "other": seen[row.code]},
                )
            )
            rows.remove(row)
        else:
            seen[row.code] = row.row
    return errors


def check_structure(
    rows: list[ParsedRow], *, existing: dict[str, KPI], mode: str, failed_codes: set[str]
) -> tuple[list[RowError], list[KPI]]:
    """Composite links, dimensions of sub-KPIs and deletions, on the list as it will be.

    Returns the problems and, in "replace" mode, the KPIs to delete. `failed_codes` are rows
    already reported: a sub-KPI of one of them gets no follow-on error.
    """
    errors: list[RowError] = []
    in_file = {row.code: row for row in rows}
    kept = {
        code: kpi for code, kpi in existing.items() if code in in_file or mode != ImportMode.REPLACE
    }
    # The final composite parent and dimension of every KPI the framework will have.
    composite_of = {
        code: kpi.composite_parent.code if kpi.composite_parent_id else ""
        for code, kpi in kept.items()
    }
    dimension_of = {code: kpi.dimension for code, kpi in kept.items()}
    for row in rows:
        if row.composite_code is not None:
            composite_of[row.code] = row.composite_code
        elif row.code not in composite_of:
            composite_of[row.code] = ""
        row.final_composite = composite_of[row.code]
        if row.fields["dimension"] is not None:
            dimension_of[row.code] = row.fields["dimension"]
    parts: dict[str, list[str]] = defaultdict(list)
    for code, composite in composite_of.items():
        if composite:
            parts[composite].append(code)
    for row in rows:
        composite = row.final_composite
        if not composite:
            if row.fields["dimension"] is None and row.code not in kept:
                errors.append(RowError(row.row, _("The dimension is missing.")))
            elif row.fields["dimension"] is None:
                row.fields["dimension"] = kept[row.code].dimension
            continue
        if composite == row.code:
            errors.append(RowError(row.row, _("A KPI cannot be a part of itself.")))
        elif composite in failed_codes:
            pass
        elif composite not in composite_of:
            errors.append(
                RowError(
                    row.row,
                    _("Composite parent %(code)s is not in the file or the framework.")
                    % {"code": composite},
                )
            )
        elif composite_of[composite]:
            errors.append(
                RowError(
                    row.row,
                    _("%(code)s is itself a sub-KPI; sub-KPIs cannot have parts.")
                    % {"code": composite},
                )
            )
        elif row.fields["dimension"] is None:
            row.fields["dimension"] = dimension_of.get(composite)
        elif (
            dimension_of.get(composite) is not None
            and row.fields["dimension"] != dimension_of[composite]
        ):
            errors.append(
                RowError(
                    row.row,
                    _(
                        "A sub-KPI sits in the dimension of its composite KPI %(code)s (dimension %(number)s)."
                    )
                    % {"code": composite, "number": dimension_of[composite].number},
                )
            )
        if parts.get(row.code):
            errors.append(
                RowError(
                    row.row,
                    _(
                        "KPI %(code)s has sub-KPIs (%(parts)s); a KPI with sub-KPIs cannot become a sub-KPI."
                    )
                    % {
                        "code": row.code,
                        "parts": ", ".join(sorted(parts[row.code], key=code_sort_key)),
                    },
                )
            )
    if mode != ImportMode.REPLACE:
        return errors, []
    to_delete = [kpi for code, kpi in existing.items() if code not in in_file]
    blocked = defaultdict(list)
    for child in KPI.objects.filter(parent_kpi__in=to_delete).select_related(
        "framework__organisation", "parent_kpi"
    ):
        blocked[child.parent_kpi.code].append(f"{child.framework.organisation.code} {child.code}")
    for code in sorted(blocked, key=code_sort_key):
        errors.append(
            RowError(
                None,
                _(
                    "KPI %(code)s is not in the file, but KPIs of the level below are cascaded from it "
                    "(%(children)s): keep it in the file or unlink them first."
                )
                % {"code": code, "children": ", ".join(sorted(blocked[code]))},
            )
        )
    return errors, to_delete
