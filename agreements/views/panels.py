"""Display helpers of the agreement pages: the annex by dimension, versions, parties, the timeline.

Pure presentation: each turns rows the view already holds (or reads with a fixed number of
queries) into plain lines a template shows; none decides what a person may see or do.
"""

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from django.urls import reverse
from django.utils.text import capfirst

from agreements import selectors, services
from agreements.diff import EMPTY, format_number
from agreements.enums import AgreementState, Party
from agreements.forms.agreements import PARTIES
from agreements.models import Agreement, AgreementKPI, AgreementVersion, Signature
from agreements.workflows import AGREEMENT_WORKFLOW
from governance.models import Committee, User
from kpis.views.panels import BalanceLine, ReconciliationPanel
from kpis.views.templates import CriteriaRow, criteria_rows

# --- The annex, by dimension ----------------------------------------------------------------------


@dataclass(frozen=True)
class AnnexLine:
    row: AgreementKPI
    weight: str
    target: str
    levels: list[CriteriaRow]
    is_sub: bool
    comment_count: int


@dataclass(frozen=True)
class AnnexSection:
    number: int
    name: str
    weight: str
    balance: BalanceLine | None
    lines: list[AnnexLine]


def annex_sections(
    rows: list[AgreementKPI],
    *,
    target_level: int,
    panel: ReconciliationPanel,
    comment_counts: dict[str, int] | None = None,
) -> list[AnnexSection]:
    """The annex rows grouped by dimension, in the order of selectors.annex (dimension, code)."""
    balances = {line.number: line for line in panel.lines}
    counts = comment_counts or {}
    sections = []
    for number, in_dimension in groupby(rows, key=lambda row: row.dimension_number):
        lines = list(in_dimension)
        first = lines[0]
        sections.append(
            AnnexSection(
                number=number,
                name=first.dimension_name,
                weight=format_number(first.dimension_weight),
                balance=balances.get(number),
                lines=[
                    AnnexLine(
                        row=row,
                        weight=format_number(row.weight),
                        target="" if row.target is None else format_number(row.target),
                        levels=criteria_rows(row, target_level),
                        is_sub=bool(row.composite_code),
                        comment_count=counts.get(row.code, 0),
                    )
                    for row in lines
                ],
            )
        )
    return sections


def annex_context(
    version: AgreementVersion, agreement: Agreement, comment_counts: dict[str, int] | None = None
) -> dict[str, Any]:
    rows = selectors.annex(version)
    panel = ReconciliationPanel.of(services.annex_reconciliation(version))
    return {
        "panel": panel,
        "sections": annex_sections(
            rows,
            target_level=agreement.framework.target_level,
            panel=panel,
            comment_counts=comment_counts,
        ),
        "kpi_count": len(rows),
    }


# --- Versions, signatures and the timeline ---------------------------------------------------------


@dataclass(frozen=True)
class VersionLine:
    version: AgreementVersion
    detail_url: str
    diff_url: str
    pdf_url: str


def version_lines(agreement: Agreement, versions: list[AgreementVersion]) -> list[VersionLine]:
    lines = []
    for version in versions:
        args = [agreement.pk, version.number]
        lines.append(
            VersionLine(
                version=version,
                detail_url=reverse("agreements:version_detail", args=args),
                diff_url=reverse("agreements:version_diff", args=args)
                if version.number > 1
                else "",
                pdf_url=reverse("agreements:signed_pdf", args=args) if version.pdf_sha256 else "",
            )
        )
    return lines


@dataclass(frozen=True)
class PartyLine:
    party: str
    label: str
    name: str
    position: str
    signature: Signature | None


def party_lines(agreement: Agreement, version: AgreementVersion) -> list[PartyLine]:
    signed = {signature.party: signature for signature in version.signatures.all()}
    return [
        PartyLine(
            party=party,
            label=str(Party(party).label),
            name=getattr(agreement, f"{party}_name"),
            position=getattr(agreement, f"{party}_position"),
            signature=signed.get(party),
        )
        for party in PARTIES
    ]


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "transition", "created" or "edited": the icon and the wording
    actor: User | None
    action: str = ""
    from_state: str = ""
    to_state: str = ""
    comment: str = ""
    version_number: int | None = None
    changes: tuple[str, ...] = ()


# Party and committee fields point at rows: the timeline names them rather than showing ids.
_PERSON_FIELDS = {"maker", "receiver"}
_COMMITTEE_FIELDS = {"negotiation_committee"}


def _state_label(value: str) -> str:
    return str(AgreementState(value).label) if value in AgreementState.values else value


def timeline(agreement: Agreement) -> list[TimelineEntry]:
    """State changes (AgreementTransition) and edits of the agreement row (its audit history).

    The history also records each change of state; those rows are left out here because the
    transition says more (the action, the reason, the version). A fixed number of queries.
    """
    entries = [
        TimelineEntry(
            at=transition.created_at,
            kind="transition",
            actor=transition.actor,
            action=str(AGREEMENT_WORKFLOW.action(transition.action).label)
            if transition.action in {a.name for a in AGREEMENT_WORKFLOW.actions}
            else transition.action,
            from_state=_state_label(transition.from_state),
            to_state=_state_label(transition.to_state),
            comment=transition.comment,
            version_number=transition.version.number if transition.version else None,
        )
        for transition in agreement.transitions.select_related("actor", "version")
    ]
    records = list(agreement.history.select_related("history_user").order_by("history_date"))
    deltas = []
    for previous, record in zip([None, *records], records, strict=False):
        if record.history_type == "+" or previous is None:
            # Drafted outside a request (a script, the demo loader) the history knows no user.
            actor = record.history_user or agreement.created_by
            entries.append(TimelineEntry(at=record.history_date, kind="created", actor=actor))
        elif record.history_type == "~":
            delta = record.diff_against(previous)
            if delta.changes:
                deltas.append((record, delta.changes))
    people_ids = {
        value
        for _record, changes in deltas
        for change in changes
        if change.field in _PERSON_FIELDS
        for value in (change.old, change.new)
        if value
    }
    committee_ids = {
        value
        for _record, changes in deltas
        for change in changes
        if change.field in _COMMITTEE_FIELDS
        for value in (change.old, change.new)
        if value
    }
    names: dict[tuple[str, int], str] = {}
    if people_ids:
        names |= {("person", p.pk): p.display_name for p in User.objects.filter(pk__in=people_ids)}
    if committee_ids:
        names |= {
            ("committee", c.pk): c.name for c in Committee.objects.filter(pk__in=committee_ids)
        }

    def shown(field: str, value: Any) -> str:
        if value in (None, ""):
            return EMPTY
        if field in _PERSON_FIELDS:
            return names.get(("person", value), str(value))
        if field in _COMMITTEE_FIELDS:
            return names.get(("committee", value), str(value))
        return str(value)

    for record, changes in deltas:
        entries.append(
            TimelineEntry(
                at=record.history_date,
                kind="edited",
                actor=record.history_user,
                changes=tuple(
                    f"{capfirst(Agreement._meta.get_field(change.field).verbose_name)}: "
                    f"{shown(change.field, change.old)} → {shown(change.field, change.new)}"
                    for change in changes
                ),
            )
        )
    # Python's sort is stable: at the same instant the creation comes before what followed it.
    return sorted(entries, key=lambda entry: entry.at)
