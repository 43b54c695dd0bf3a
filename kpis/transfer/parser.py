"""Reading an uploaded KPI list: every row is parsed and checked against the framework, and every
problem is reported with its Excel row number. Nothing here writes; the import service does."""

import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from governance.errors import DomainError
from governance.forms.base import reject_markup
from governance.models import Organisation, StrategicIssue, User
from governance.selectors import organisations_visible_to
from kpis import services
from kpis.enums import TEMPLATE_EDITABLE_STATES, CriteriaType
from kpis.models import KPI, KPI_CODE, Dimension, Framework, KPITemplate
from kpis.selectors import framework_kpis, kpis_visible_to
from kpis.transfer.cells import OrganisationCodes, cell_text, decimal_places, parse_decimal
from kpis.transfer.columns import (
    HIGHER,
    KPI_COLUMNS,
    LEVELS,
    LOWER,
    choice_key,
    choice_names,
    header_key,
    header_names,
)
from kpis.transfer.rows import (
    ImportMode,
    ParsedImport,
    ParsedRow,
    RowError,
    check_codes,
    check_structure,
)
from kpis.transfer.workbook import HEADER_SEARCH_ROWS, MAX_ROWS, open_workbook, sheet_rows

CRITERIA_FIELDS = (
    "criteria_type",
    "higher_is_better",
    "step_count",
    *(f"threshold_{level}" for level in LEVELS),
)


class _Parser:
    def __init__(self, framework: Framework, *, actor: User, mode: str):
        self.framework, self.actor, self.mode = framework, actor, mode
        self.home = framework.organisation
        self.errors: list[RowError] = []
        self.kinds, self.directions = choice_names()
        self.labels = {column.key: str(column.label) for column in KPI_COLUMNS}
        self.failed_codes: set[str] = set()  # rows already reported: no follow-on errors about them

    # The whole file --------------------------------------------------------------------------

    def parse(self, upload: Any) -> ParsedImport:
        try:
            rows = sheet_rows(open_workbook(upload))
        except DomainError as error:
            return ParsedImport(errors=[RowError(None, error.message)])
        header_index, columns = self._find_header(rows)
        if self.errors:
            return ParsedImport(errors=self.errors)
        data = [
            (number, values)
            for number, values in enumerate(rows[header_index + 1 :], start=header_index + 2)
            if any(cell_text(value) for value in values)
        ]
        if not data:
            return ParsedImport(
                errors=[RowError(None, _("The file has no KPI rows below the header row."))]
            )
        if len(data) > MAX_ROWS:
            return ParsedImport(
                errors=[
                    RowError(
                        None, _("The file has more than %(max)s KPI rows.") % {"max": MAX_ROWS}
                    )
                ]
            )
        self.columns = set(columns)
        self._load()
        parsed = []
        for number, values in data:
            cells = {
                key: values[index] if index < len(values) else None
                for key, index in columns.items()
            }
            row = self._row(number, cells)
            if row is not None:
                parsed.append(row)
        self.errors.extend(check_codes(parsed))
        errors, to_delete = check_structure(
            parsed, existing=self.existing, mode=self.mode, failed_codes=self.failed_codes
        )
        self.errors.extend(errors)
        self.errors.sort(key=lambda e: (e.row is not None, e.row or 0))
        return ParsedImport(
            rows=parsed, errors=self.errors, to_delete=to_delete, existing=self.existing
        )

    def _find_header(self, rows: list[tuple]) -> tuple[int, dict[str, int]]:
        names = header_names()
        best_index, best = 0, {}
        for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
            found = {}
            for position, value in enumerate(values):
                key = names.get(header_key(cell_text(value))) if value is not None else None
                if key is None:
                    continue
                if key in found:
                    self.errors.append(
                        RowError(
                            index + 1,
                            _(
                                "The column “%(column)s” appears twice (columns %(first)s and %(second)s)."
                            )
                            % {
                                "column": cell_text(value),
                                "first": get_column_letter(found[key] + 1),
                                "second": get_column_letter(position + 1),
                            },
                        )
                    )
                    continue
                found[key] = position
            if len(found) > len(best):
                best_index, best = index, found
        missing = [str(c.label) for c in KPI_COLUMNS if c.required and c.key not in best]
        if missing:
            self.errors = [
                RowError(
                    None,
                    _("The file is missing required columns: %(columns)s.")
                    % {"columns": ", ".join(missing)},
                )
            ]
        else:
            self.errors = [e for e in self.errors if e.row == best_index + 1]
        return best_index, best

    def _load(self) -> None:
        framework = self.framework
        self.dimensions = {d.number: d for d in framework.dimensions.all()}
        self.existing = {k.code: k for k in framework_kpis(framework)}
        self.organisations = OrganisationCodes(
            organisations_visible_to(self.actor).select_related("parent"), home=self.home
        )
        self.issues = {
            issue.number: issue
            for issue in StrategicIssue.objects.filter(
                organisation=self.home, fiscal_year=framework.fiscal_year
            )
        }
        # KPIs this one may be cascaded from: frameworks of the levels above, same fiscal year.
        above = kpis_visible_to(self.actor).filter(
            framework__fiscal_year=framework.fiscal_year_id,
            framework__organisation__path__in=self.home.ancestor_paths,
        )
        self.above: dict[str, list[KPI]] = defaultdict(list)
        for kpi in sorted(above, key=lambda k: -k.framework.organisation.depth):
            self.above[kpi.code].append(kpi)

    # One row ---------------------------------------------------------------------------------

    def _row(self, number: int, cells: dict[str, Any]) -> ParsedRow | None:
        problems: list[str] = []
        self._problems = problems
        code = cell_text(cells.get("code"))
        if not code:
            problems.append(_("The code is missing."))
        else:
            try:
                KPI_CODE(code)
            except ValidationError:
                problems.append(
                    _("The code “%(code)s” is not a code of numbers and dots such as 1.1.3.")
                    % {"code": code}
                )
        existing = self.existing.get(code)
        fields: dict[str, Any] = {"code": code}
        for key, limit, required in (
            ("name_th", 500, True),
            ("name_en", 500, False),
            ("unit_th", 100, False),
            ("unit_en", 100, False),
        ):
            if key in self.columns:
                fields[key] = self._text(cells[key], key, limit, required=required)
        fields["dimension"] = self._dimension(cells["dimension"])
        fields["weight"] = self._weight(cells["weight"])
        fields["owner"] = self._organisation(cells["owner"], "owner", required=True)
        supporting = None
        if "supporting_units" in self.columns:
            supporting = []
            for part in re.split(r"[,;\n]", cell_text(cells["supporting_units"])):
                if part.strip():
                    unit = self._organisation(part, "supporting_units")
                    if unit is not None and unit not in supporting:
                        supporting.append(unit)
        if "parent_kpi" in self.columns:
            fields["parent_kpi"] = self._parent(
                cells["parent_kpi"], cells.get("parent_organisation")
            )
        if "strategic_issue" in self.columns:
            fields["strategic_issue"] = self._issue(cells["strategic_issue"], existing)
        composite = None
        if "composite_parent" in self.columns:
            composite = cell_text(cells["composite_parent"])
        criteria = self._criteria(cells, existing, code)
        self.errors.extend(RowError(number, message) for message in problems)
        if problems:
            self.failed_codes.add(code)
            return None
        return ParsedRow(number, code, fields, composite, supporting, criteria, existing)

    def _text(self, value: Any, key: str, limit: int, *, required: bool = False) -> str:
        text = cell_text(value)
        column = self.labels[key]
        if required and not text:
            self._problems.append(_("The column “%(column)s” is empty.") % {"column": column})
        elif len(text) > limit:
            self._problems.append(
                _("The column “%(column)s” is longer than %(limit)s characters.")
                % {"column": column, "limit": limit}
            )
        else:
            try:
                reject_markup(text)
            except forms.ValidationError:
                self._problems.append(
                    _("The column “%(column)s” contains HTML tags or entities; remove them.")
                    % {"column": column}
                )
        return text

    def _dimension(self, value: Any) -> Dimension | None:
        text = cell_text(value)
        if not text:
            return None  # a sub-KPI takes its composite's; check_structure checks the others
        try:
            number = parse_decimal(value)
        except ValueError:
            self._problems.append(_("The dimension “%(value)s” is not a number.") % {"value": text})
            return None
        dimension = self.dimensions.get(int(number)) if number == int(number) else None
        if dimension is None:
            self._problems.append(_("Dimension %(number)s does not exist.") % {"number": text})
        return dimension

    def _weight(self, value: Any) -> Decimal | None:
        text = cell_text(value)
        if not text:
            self._problems.append(_("The weight is missing."))
            return None
        try:
            weight = parse_decimal(value)
        except ValueError:
            self._problems.append(_("The weight “%(value)s” is not a number.") % {"value": text})
            return None
        if not Decimal(0) <= weight <= services.MAX_WEIGHT:
            self._problems.append(
                _("The weight %(value)s must lie between 0 and 100.") % {"value": weight}
            )
        elif decimal_places(weight) > 4:
            self._problems.append(
                _("The weight %(value)s has more than 4 decimals.") % {"value": weight}
            )
        return weight

    def _organisation(self, value: Any, key: str, *, required: bool = False) -> Organisation | None:
        text = cell_text(value)
        column = self.labels[key]
        if not text:
            if required:
                self._problems.append(_("The column “%(column)s” is empty.") % {"column": column})
            return None
        found = self.organisations.find(text)
        if len(found) == 1:
            return found[0]
        if not found:
            message = _("%(column)s: the organisation code “%(code)s” is unknown.")
            self._problems.append(message % {"column": column, "code": text})
        else:
            examples = ", ".join(f"{o.parent.code}/{o.code}" for o in found if o.parent)
            message = _(
                "%(column)s: the code “%(code)s” matches several organisations; write one of %(examples)s."
            )
            self._problems.append(message % {"column": column, "code": text, "examples": examples})
        return None

    def _parent(self, code_value: Any, organisation_value: Any) -> KPI | None:
        code, organisation = cell_text(code_value), cell_text(organisation_value)
        if not code:
            if organisation:
                self._problems.append(
                    _("Type the code of the cascaded-from KPI as well as its organisation.")
                )
            return None
        matches = self.above.get(code, [])
        if organisation:
            matches = [
                k
                for k in matches
                if k.framework.organisation.code.casefold() == organisation.casefold()
            ]
        if not matches:
            self._problems.append(
                _(
                    "The cascaded-from KPI %(code)s is not in a framework of a level above for %(year)s."
                )
                % {
                    "code": f"{organisation}/{code}" if organisation else code,
                    "year": self.framework.fiscal_year,
                }
            )
            return None
        return matches[0]  # the nearest level above

    def _issue(self, value: Any, existing: KPI | None) -> StrategicIssue | None:
        text = cell_text(value)
        if not text:
            return None
        try:
            number = parse_decimal(value)
        except ValueError:
            number = None
        current = existing.strategic_issue if existing else None
        # Keep a link to another organisation's issue when the file shows the same number.
        if current is not None and number is not None and current.number == number:
            return current
        issue = (
            self.issues.get(int(number)) if number is not None and number == int(number) else None
        )
        if issue is None:
            self._problems.append(
                _("Strategic issue %(number)s does not exist for %(organisation)s in %(year)s.")
                % {
                    "number": text,
                    "organisation": self.home.name,
                    "year": self.framework.fiscal_year,
                }
            )
        return issue

    def _criteria(self, cells: dict[str, Any], existing: KPI | None, code: str) -> dict[str, Any]:
        """The template fields the file sets, merged with the current ones, and checked."""
        template = existing.current_template if existing is not None else None
        current = {
            name: getattr(template, name) if template else KPITemplate._meta.get_field(name).default
            for name in CRITERIA_FIELDS
        }
        current = {
            name: (None if value is models.NOT_PROVIDED else value)
            for name, value in current.items()
        }
        values = dict(current)
        problems = len(self._problems)
        if "criteria_type" in self.columns and cell_text(cells["criteria_type"]):
            text = cell_text(cells["criteria_type"])
            kind = self.kinds.get(choice_key(text))
            if kind is None:
                self._problems.append(
                    _("The criteria type “%(value)s” is unknown; use one of: %(choices)s.")
                    % {"value": text, "choices": ", ".join(str(k.label) for k in CriteriaType)}
                )
            values["criteria_type"] = kind
        if "direction" in self.columns and cell_text(cells["direction"]):
            text = cell_text(cells["direction"])
            direction = self.directions.get(choice_key(text))
            if direction is None:
                self._problems.append(
                    _("The direction “%(value)s” is unknown; use “%(higher)s” or “%(lower)s”.")
                    % {"value": text, "higher": HIGHER, "lower": LOWER}
                )
            values["higher_is_better"] = direction
        if "step_count" in self.columns and cell_text(cells["step_count"]):
            text = cell_text(cells["step_count"])
            try:
                steps = parse_decimal(cells["step_count"])
            except ValueError:
                steps = None
            if steps is None or steps != int(steps) or not 0 <= steps <= 5:
                self._problems.append(
                    _("The number of steps “%(value)s” is not a whole number from 0 to 5.")
                    % {"value": text}
                )
            else:
                values["step_count"] = int(steps)
        for level in LEVELS:
            key = f"threshold_{level}"
            if key not in self.columns:
                continue
            text = cell_text(cells[key])
            values[key] = None
            if not text:
                continue
            try:
                values[key] = parse_decimal(cells[key])
            except ValueError:
                self._problems.append(
                    _("Level %(level)s “%(value)s” is not a number.")
                    % {"level": level, "value": text}
                )
                continue
            if decimal_places(values[key]) > 4 or abs(values[key]) >= 10**14:
                self._problems.append(
                    _("Level %(level)s %(value)s has more than 4 decimals or is too large.")
                    % {"level": level, "value": values[key]}
                )
        if len(self._problems) > problems:
            return {}
        changed = {name: value for name, value in values.items() if value != current[name]}
        if not changed:
            return {}
        candidate = KPITemplate(**values)
        try:
            services.check_criteria(candidate, complete=False, floor_rule=self.framework.floor_rule)
        except DomainError as error:
            self._problems.append(error.message)
            return {}
        if template is not None and template.state not in TEMPLATE_EDITABLE_STATES:
            self._problems.append(
                _(
                    "The criteria of KPI %(code)s are locked in revision %(revision)s (%(state)s); "
                    "start a new revision of its template to change them."
                )
                % {
                    "code": code,
                    "revision": template.revision,
                    "state": template.get_state_display(),
                }
            )
            return {}
        return changed


def parse_kpi_sheet(
    upload: Any, framework: Framework, *, actor: User, mode: str = ImportMode.UPDATE
) -> ParsedImport:
    """Every row of the upload, checked against the framework; `errors` lists every problem."""
    return _Parser(framework, actor=actor, mode=mode).parse(upload)
