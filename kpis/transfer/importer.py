"""The import service: a checked KPI list saved in one transaction through the KPI services (which
check the permissions and rules again), or nothing saved at all."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.errors import ActionForbidden, DomainError
from governance.models import User
from kpis import services
from kpis.models import Framework
from kpis.transfer.parser import parse_kpi_sheet
from kpis.transfer.rows import ImportMode, ParsedRow, RowError


class ImportRefused(DomainError):
    """The file has problems; nothing was saved. `errors` lists them with their row numbers."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        message = ngettext(
            "Nothing was imported: the file has %(count)s problem, listed below. Correct it and upload the file again.",
            "Nothing was imported: the file has %(count)s problems, listed below. Correct them and upload the file again.",
            len(errors),
        ) % {"count": len(errors)}
        super().__init__(message, field="file")


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    deleted: int


def _save_order(row: ParsedRow) -> int:
    # Composite KPIs first so their parts find them; then parts that are already parts (they have
    # no parts of their own), then KPIs that become parts once their own parts have moved away.
    if not row.final_composite:
        return 0
    return 1 if row.existing is None or row.existing.composite_parent_id else 2


def framework_import(
    *, actor: User, framework: Framework, upload: Any, mode: str = ImportMode.UPDATE
) -> ImportResult:
    """Import a KPI list from XLSX into a draft framework: every row, or nothing.

    Raises ImportRefused with every problem found; otherwise creates and updates the KPIs (and the
    criteria of templates still being drafted) in one transaction, and in "replace" mode deletes
    the framework's KPIs that are not in the file.
    """
    if mode not in ImportMode.values:
        raise TypeError(f"framework_import got an unknown mode {mode!r}")
    if not actor.has_perm("kpis.change_kpis", framework):
        raise ActionForbidden(_("You do not have permission to do this."))
    with transaction.atomic():
        # Lock the framework so two imports (or an import and a publish) cannot interleave.
        framework = (
            Framework.objects.select_for_update()
            .select_related("organisation", "fiscal_year")
            .get(pk=framework.pk)
        )
        parsed = parse_kpi_sheet(upload, framework, actor=actor, mode=mode)
        if not parsed.ok:
            raise ImportRefused(parsed.errors)
        by_code = dict(parsed.existing)
        created = updated = 0
        row = None
        try:
            for row in sorted(parsed.rows, key=_save_order):
                fields = dict(row.fields)
                if row.composite_code is not None:
                    fields["composite_parent"] = (
                        by_code[row.composite_code] if row.composite_code else None
                    )
                if row.existing is not None:
                    kpi = services.kpi_update(
                        actor=actor,
                        kpi=row.existing,
                        supporting_units=row.supporting_units,
                        **fields,
                    )
                    updated += 1
                else:
                    kpi = services.kpi_create(
                        actor=actor,
                        framework=framework,
                        supporting_units=row.supporting_units or [],
                        **fields,
                    )
                    created += 1
                    by_code[kpi.code] = kpi
                if row.saves_criteria:
                    template = kpi.templates.order_by("-revision").first()
                    services.template_save(actor=actor, template=template, **row.criteria)
            row = None
            for kpi in sorted(parsed.to_delete, key=lambda k: k.composite_parent_id is None):
                services.kpi_delete(actor=actor, kpi=kpi)
        except ActionForbidden:
            raise
        except DomainError as error:
            # The database changed since the checks above; everything written so far rolls back.
            raise ImportRefused([RowError(row.row if row else None, error.message)]) from error
    return ImportResult(created=created, updated=updated, deleted=len(parsed.to_delete))
