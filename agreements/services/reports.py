"""Self-assessment reports (SAR): opening them, entering results, the button actions, verification
and which KPIs are reported in a round.

The chain seen in Thai systems: data collectors enter, the unit head submits before the round's
deadline, each KPI's owner unit (เจ้าภาพ) verifies its result (accept, adjust with a justification,
or return), the planning unit approves; an administrator may reopen a report with a reason. Every
state change goes through SAR_WORKFLOW; every write that changes an input of the scores bumps
SAR.inputs_revision under the SAR's row lock, so a stored score computed earlier shows as stale.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from agreements.enums import (
    SAR_EDITABLE_STATES,
    SAR_VERIFIABLE_STATES,
    VERIFIED_RESULT_STATUSES,
    Participation,
    Party,
    ResultStatus,
    SARState,
    VerificationDecision,
)
from agreements.models import (
    SAR,
    Agreement,
    AgreementKPI,
    AgreementVersion,
    KPIResult,
    SARTransition,
)
from agreements.services._common import lock_agreement, require
from agreements.services.notifications import notify_sar
from agreements.workflows import SAR_BUTTON_ACTIONS, SAR_WORKFLOW
from governance.buddhist_era import format_date, normalise_lang
from governance.errors import DomainError, TransitionNotAllowed
from governance.models import ReportingRound, User
from governance.workflows import transition
from kpis import scoring
from kpis.criteria import Criteria, engine_message
from kpis.enums import CriteriaType, TemplateState
from kpis.models import KPITemplate

# The result columns hold 18 digits, 4 of them after the point.
RESULT_PLACES = Decimal("0.0001")
RESULT_LIMIT = Decimal(10) ** 14

STATUS_FIELDS = ["status", "verification_comment"]


# --- Small helpers ----------------------------------------------------------------------------


def _long_date(day: date) -> str:
    """A date as people read it in the active language (Buddhist era in Thai)."""
    return format_date(day, "long", normalise_lang(get_language() or settings.LANGUAGE_CODE))


def _state_label(state: str) -> str:
    return str(SARState(state).label)


def _lock_sar(pk: int) -> SAR:
    """Re-read a SAR under a row lock (inside a transaction).

    Every write to a SAR's results takes this lock first, the same one its transitions take, so
    an entry cannot slip in between a submission's checks and the change of state.
    """
    return (
        SAR.objects.select_for_update(of=("self",))
        .select_related("round", "agreement__framework")
        .get(pk=pk)
    )


def _lock_result(pk: int) -> KPIResult:
    return (
        KPIResult.objects.select_for_update(of=("self",))
        .select_related("annex_kpi__kpi")
        .get(pk=pk)
    )


def _bump_inputs_revision(sar_id: int) -> None:
    # An F() expression: two writers in a row both count, whatever copy either of them holds.
    SAR.objects.filter(pk=sar_id).update(inputs_revision=F("inputs_revision") + 1)


def _recompute_on_commit(agreement_id: int) -> None:
    """Queue the recompute of the agreement's scores once the change is committed."""
    # Imported here: the scoring module loads the scorecard and the tasks, which entry never needs.
    from agreements.services.scoring import enqueue_recompute

    transaction.on_commit(lambda: enqueue_recompute(agreement_id))


def _stored_state(sar_id: int) -> str:
    """The state as stored: inside a transition's apply() the row in hand already has the target."""
    return SAR.objects.values_list("state", flat=True).get(pk=sar_id)


def _criteria(annex_kpi: AgreementKPI, agreement: Agreement) -> Criteria:
    return Criteria.of(annex_kpi, floor_rule=agreement.framework.floor_rule)


def _codes(results: Iterable[KPIResult]) -> str:
    return ", ".join(result.annex_kpi.code for result in results)


def _window_closed(sar: SAR, message: str) -> DomainError:
    return DomainError(message % {"date": _long_date(sar.deadline)}, code="deadline_passed")


def _checked_value(value, *, field: str = "value") -> Decimal | None:
    """A result as the columns can hold it, or a DomainError naming the form field."""
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or isinstance(value, bool) or not number.is_finite():
        raise DomainError(_("Type the result as a number."), field=field)
    if abs(number) >= RESULT_LIMIT:
        raise DomainError(_("The result is too large."), field=field)
    # Rounding would silently change what the unit reported, so more places are refused.
    if number != number.quantize(RESULT_PLACES):
        raise DomainError(_("Give the result with at most 4 decimal places."), field=field)
    return number


def _checked_steps(steps_done: Sequence | None, criteria: Criteria, *, field: str) -> list[bool]:
    """The steps of the criteria's step levels (none for outcome criteria), each ticked or not."""
    count = criteria.steps_in_use
    answers = list(steps_done or [])[:count]
    for level, answer in enumerate(answers, start=1):
        if not isinstance(answer, bool):
            raise DomainError(
                _("Step %(level)s must be ticked or not.") % {"level": level}, field=field
            )
    return answers + [False] * (count - len(answers))


def _score(result: KPIResult, criteria: Criteria, value, steps: Sequence[bool]) -> Decimal:
    """Score `value`/`steps` by the engine, or refuse naming the KPI and the engine's problem."""
    code = result.annex_kpi.code
    if criteria.criteria_type == CriteriaType.OUTCOME and value is None:
        raise DomainError(_("KPI %(code)s: type the result.") % {"code": code})
    try:
        return criteria.score(result=value, steps_done=steps)
    except scoring.ScoringError as error:
        raise DomainError(
            _("KPI %(code)s: %(problem)s") % {"code": code, "problem": engine_message(error)}
        ) from None


# --- Opening the reports ------------------------------------------------------------------------


def _signed_version(agreement: Agreement) -> AgreementVersion:
    """The latest version that is frozen and carries both parties' signatures."""
    version = (
        agreement.versions.filter(frozen_at__isnull=False)
        .annotate(parties=Count("signatures__party", distinct=True))
        .filter(parties=len(Party.values))
        .order_by("-number")
        .first()
    )
    if version is None:
        raise DomainError(_("The agreement has no signed version to report on yet."))
    return version


def _reported_rows(version: AgreementVersion) -> list[AgreementKPI]:
    # A composite KPI's score is the weighted average of its sub-KPIs': nothing to enter for it.
    return list(
        version.kpis.exclude(criteria_type=CriteriaType.COMPOSITE).order_by("order", "code")
    )


def _rebase(sar: SAR, version: AgreementVersion, rows: list[AgreementKPI]) -> None:
    """Move a never-submitted SAR onto an amended version, keeping entries KPI code by KPI code.

    Results of KPIs the amendment removed are deleted (with their evidence rows): they no longer
    belong to the agreement.
    """
    by_code = {row.code: row for row in rows}
    results = list(sar.results.select_related("annex_kpi"))
    moved = []
    for result in results:
        row = by_code.get(result.annex_kpi.code)
        if row is None:
            result.delete()
        else:
            result.annex_kpi = row
            moved.append(result)
    if moved:
        bulk_update_with_history(moved, KPIResult, ["annex_kpi"])
    SAR.objects.filter(pk=sar.pk).update(version=version, inputs_revision=F("inputs_revision") + 1)
    sar.refresh_from_db(fields=["version", "inputs_revision"])


def _rounds_not_reported(rows: list[AgreementKPI]) -> dict[int, set[int]]:
    """The rounds (months) each KPI's approved template says it is not reported in, by KPI id.

    A KPI that starts in a later round (e.g. a school survey from the second term) opens as "not
    started" in the earlier rounds, so its weight is shared among the others from the outset.
    """
    latest: dict[int, set[int]] = {}
    templates = KPITemplate.objects.filter(
        kpi_id__in=[row.kpi_id for row in rows if row.kpi_id], state=TemplateState.APPROVED
    ).order_by("kpi_id", "-revision")
    for template in templates:
        if template.kpi_id not in latest:
            latest[template.kpi_id] = {
                months for months in (6, 9, 12) if not getattr(template, f"reports_at_{months}")
            }
    return latest


def _planned_participation(row: AgreementKPI, months: int, not_reported: dict[int, set[int]]):
    if months in not_reported.get(row.kpi_id, set()):
        return {
            "participation": Participation.NOT_STARTED,
            "participation_note": _(
                "The KPI template does not report this KPI at %(months)s months."
            )
            % {"months": months},
        }
    return {}


def sars_open(*, agreement: Agreement) -> list[SAR]:
    """Open one SAR per reporting round of the agreement's fiscal year, on its signed version.

    Idempotent: existing SARs are kept and only missing result rows are added (one per annex row,
    composite parents excepted). After an amendment is signed, a SAR that was never submitted moves
    onto the new version (entries kept by KPI code); submitted ones stay on the version they were
    submitted on. Called by agreement_sign right after the signing completes.
    """
    with transaction.atomic():
        # The agreement's lock serialises two openings (a retried signing, a repair command).
        locked = lock_agreement(agreement.pk)
        version = _signed_version(locked)
        rows = _reported_rows(version)
        not_reported = _rounds_not_reported(rows)
        sars = []
        for reporting_round in ReportingRound.objects.filter(
            fiscal_year_id=locked.fiscal_year_id
        ).order_by("months"):
            sar, _created = SAR.objects.get_or_create(
                agreement=locked, round=reporting_round, defaults={"version": version}
            )
            if sar.version_id != version.pk:
                if sar.state != SARState.OPEN or sar.submitted_at is not None:
                    sars.append(sar)
                    continue
                _rebase(sar, version, rows)
            present = set(sar.results.values_list("annex_kpi_id", flat=True))
            bulk_create_with_history(
                [
                    KPIResult(
                        sar=sar,
                        annex_kpi=row,
                        **_planned_participation(row, reporting_round.months, not_reported),
                    )
                    for row in rows
                    if row.pk not in present
                ],
                KPIResult,
            )
            sars.append(sar)
    return sars


# --- Entering results ---------------------------------------------------------------------------


def _require_editable(sar: SAR, result: KPIResult) -> None:
    if sar.state == SARState.SUBMITTED:
        raise DomainError(
            _(
                "This report has been submitted and is locked while it is verified; it can be "
                "changed again if it is returned or reopened."
            ),
            code="submitted",
        )
    if sar.state not in SAR_EDITABLE_STATES:
        raise TransitionNotAllowed(
            _("Results cannot be changed while the report is “%(state)s”.")
            % {"state": _state_label(sar.state)}
        )
    if not sar.window_open():
        raise _window_closed(
            sar,
            _(
                "The deadline for this report was %(date)s, so results can no longer be entered. "
                "An administrator can reopen the report."
            ),
        )
    if not result.is_reported:
        raise DomainError(
            _("KPI %(code)s is not reported in this round.") % {"code": result.annex_kpi.code}
        )
    # A result its owner accepted or adjusted stays as verified: only returned or not yet verified
    # results are open (in a returned report, that is the ones the KPI owners sent back).
    if result.status in VERIFIED_RESULT_STATUSES:
        raise DomainError(
            _("The result of KPI %(code)s has been verified by its owner and cannot be changed.")
            % {"code": result.annex_kpi.code}
        )


def kpi_result_update(
    *,
    actor: User,
    result: KPIResult,
    value: Decimal | None,
    steps_done: list[bool],
    narrative_results: str = "",
    narrative_factors: str = "",
    narrative_obstacles: str = "",
    narrative_suggestions: str = "",
) -> KPIResult:
    """Enter one KPI's result (the number and/or the steps done) and its narrative.

    Allowed to the data collectors and the unit head while the report is open or returned and its
    window is open (the round's deadline, or an administrator's reopening); a verified result stays
    locked. Partial entries are kept (submission checks completeness). A change of the number or the
    steps bumps the SAR's inputs revision.
    """
    require(actor, "agreements.enter_results", result)
    with transaction.atomic():
        sar = _lock_sar(result.sar_id)
        locked = _lock_result(result.pk)
        locked.sar = sar
        _require_editable(sar, locked)
        criteria = _criteria(locked.annex_kpi, sar.agreement)
        steps = _checked_steps(steps_done, criteria, field="steps_done")
        # Milestone criteria take no number: only the steps count.
        number = (
            None
            if criteria.criteria_type == CriteriaType.MILESTONE
            else _checked_value(value, field="value")
        )
        inputs_changed = (
            locked.entered_at is None or locked.result != number or locked.steps_done != steps
        )
        locked.result = number
        locked.steps_done = steps
        locked.narrative_results = narrative_results.strip()
        locked.narrative_factors = narrative_factors.strip()
        locked.narrative_obstacles = narrative_obstacles.strip()
        locked.narrative_suggestions = narrative_suggestions.strip()
        locked.entered_by = actor
        locked.entered_at = timezone.now()
        locked.save()
        if inputs_changed:
            _bump_inputs_revision(sar.pk)
    return locked


# --- The button actions -------------------------------------------------------------------------


def _reported(sar: SAR) -> list[KPIResult]:
    return list(
        sar.results.filter(participation=Participation.REPORTED)
        .select_related("annex_kpi")
        .order_by("annex_kpi__dimension_number", "annex_kpi__order", "annex_kpi__code")
    )


def _set_status(
    results: list[KPIResult], status: str, *, actor: User, comment: str | None = None
) -> None:
    """Change the verification status of several results, with their history rows."""
    for result in results:
        result.status = status
        if comment is not None:
            result.verification_comment = comment
    if results:
        bulk_update_with_history(results, KPIResult, STATUS_FIELDS, default_user=actor)


def _check_complete(sar: SAR, results: list[KPIResult]) -> None:
    """Refuse a submission unless every reported KPI has its input and scores."""
    missing = [result for result in results if result.entered_at is None]
    if missing:
        raise DomainError(
            _("Enter the results of KPI %(codes)s before submitting the report.")
            % {"codes": _codes(missing)},
            code="incomplete",
        )
    for result in results:
        _score(
            result,
            _criteria(result.annex_kpi, sar.agreement),
            result.result,
            result.steps_done,
        )


def _apply_submit(locked: SAR, *, actor: User) -> list[str]:
    if not locked.window_open():
        raise _window_closed(
            locked,
            _(
                "The deadline for this report was %(date)s, so it can no longer be submitted. "
                "An administrator can reopen the report."
            ),
        )
    results = _reported(locked)
    if not results:
        raise DomainError(_("At least one KPI must be reported in this round."))
    _check_complete(locked, results)
    # The corrected results go back to their owners; accepted ones stay accepted.
    returned = [r for r in results if r.status == ResultStatus.RETURNED]
    _set_status(returned, ResultStatus.PENDING, actor=actor)
    if not any(r.status == ResultStatus.PENDING for r in results):
        # Nothing would wait for a KPI owner (e.g. the returned KPIs were cancelled meanwhile):
        # the whole report goes through verification again rather than stalling.
        _set_status(results, ResultStatus.PENDING, actor=actor)
    locked.submitted_at = timezone.now()
    locked.submitted_by = actor
    return ["submitted_at", "submitted_by"]


def _apply_approve(locked: SAR, *, actor: User) -> list[str]:
    unverified = [r for r in _reported(locked) if r.status not in VERIFIED_RESULT_STATUSES]
    if unverified:
        raise DomainError(
            _("KPI %(codes)s has not been verified yet, so the report cannot be approved.")
            % {"codes": _codes(unverified)}
        )
    locked.approved_at = timezone.now()
    locked.approved_by = actor
    return ["approved_at", "approved_by"]


def _apply_return(locked: SAR, *, actor: User, comment: str) -> list[str]:
    results = _reported(locked)
    if _stored_state(locked.pk) == SARState.VERIFIED:
        # The planning unit sends the whole verified report back: every result is to be looked at.
        returned = results
    else:
        # Returned while the KPI owners verify: what they decided stands, the rest goes back.
        returned = [r for r in results if r.status == ResultStatus.PENDING]
    _set_status(returned, ResultStatus.RETURNED, actor=actor, comment=comment)
    return []


def _apply_reopen(locked: SAR, *, actor: User, reopened_until: date | None) -> list[str]:
    today = timezone.localdate()
    until = reopened_until or today + timedelta(days=settings.SAR_REOPEN_DAYS)
    if until < today:
        raise DomainError(
            _("The report cannot be reopened until a date that has passed (%(date)s).")
            % {"date": _long_date(until)},
            field="reopened_until",
        )
    changed = ["reopened_until"]
    locked.reopened_until = until
    if _stored_state(locked.pk) in (SARState.VERIFIED, SARState.APPROVED):
        # Every result was verified, hence locked: reopening means the chain runs again.
        _set_status(list(locked.results.all()), ResultStatus.PENDING, actor=actor)
    if locked.approved_at is not None:
        locked.approved_at = None
        locked.approved_by = None
        changed += ["approved_at", "approved_by"]
    return changed


def sar_act(
    *,
    actor: User,
    sar: SAR,
    action: str,
    comment: str = "",
    reopened_until: date | None = None,
) -> SAR:
    """Take one of the SAR's button actions: submit, approve, reopen or return_to_unit.

    submit (the unit head, before the deadline): every reported KPI has its input and scores;
    returned results go back to their owners. approve (planning, from verified): every reported
    result is verified. reopen (an administrator, with a reason): open for entry until
    `reopened_until` (default today + SAR_REOPEN_DAYS); a verified or approved report's results
    are to be verified again. return_to_unit (with a comment): from verified every result is
    returned, from submitted the ones not yet verified. Each bumps the inputs revision and, after
    the commit, queues a recompute of the agreement's scores and mails the people who act next.
    """
    if action not in SAR_BUTTON_ACTIONS:
        raise DomainError(_("Unknown action “%(name)s”.") % {"name": action})
    comment = comment.strip()
    rules: dict[str, Callable[[SAR], list[str]]] = {
        "submit": lambda locked: _apply_submit(locked, actor=actor),
        "approve": lambda locked: _apply_approve(locked, actor=actor),
        "return_to_unit": lambda locked: _apply_return(locked, actor=actor, comment=comment),
        "reopen": lambda locked: _apply_reopen(locked, actor=actor, reopened_until=reopened_until),
    }

    def apply(locked: SAR) -> list[str]:
        changed = rules[action](locked)
        _bump_inputs_revision(locked.pk)
        _recompute_on_commit(locked.agreement_id)
        return changed

    done = transition(
        SAR_WORKFLOW,
        instance=sar,
        action_name=action,
        actor=actor,
        comment=comment,
        apply=apply,
        record=SARTransition.record,
        on_commit=lambda locked: notify_sar(locked, action, actor=actor, comment=comment),
    )
    done.refresh_from_db(fields=["inputs_revision"])
    return done


# --- Verification by the KPI owners -------------------------------------------------------------


def _settle(sar: SAR, *, actor: User) -> None:
    """Once every reported result is decided, move the report on: verified, or back to the unit."""
    results = _reported(sar)
    if any(result.status == ResultStatus.PENDING for result in results):
        return
    returned = [result for result in results if result.status == ResultStatus.RETURNED]
    if returned:
        action = "return_to_unit"
        comment = _("The KPI owners returned the results of KPI %(codes)s.") % {
            "codes": _codes(returned)
        }
    else:
        action, comment = "complete_verification", ""
    transition(
        SAR_WORKFLOW,
        instance=sar,
        action_name=action,
        actor=actor,
        comment=comment,
        record=SARTransition.record,
        on_commit=lambda locked: notify_sar(locked, action, actor=actor, comment=comment),
    )


def kpi_result_verify(
    *,
    actor: User,
    result: KPIResult,
    decision: str,
    value: Decimal | None = None,
    steps_done: list[bool] | None = None,
    comment: str = "",
) -> KPIResult:
    """The KPI owner's decision on one submitted result: accept, adjust or return.

    accept copies the entered number and steps into the verified ones; adjust stores the owner's
    number/steps beside the submitted ones (which stay as they were) and needs a justification;
    return needs a comment. A decision may be changed while the report waits for verification.
    When every reported result is decided the report moves on: all accepted or adjusted →
    complete_verification; any returned → return_to_unit, naming the returned KPIs. After the
    commit the agreement's scores are recomputed.
    """
    if decision not in VerificationDecision.values:
        raise DomainError(_("Choose a decision."), field="decision")
    comment = comment.strip()
    if decision in (VerificationDecision.ADJUST, VerificationDecision.RETURN) and not comment:
        message = (
            _("Justify the adjustment.")
            if decision == VerificationDecision.ADJUST
            else _("Say what must be corrected.")
        )
        raise DomainError(message, field="comment")
    with transaction.atomic():
        sar = _lock_sar(result.sar_id)
        locked = _lock_result(result.pk)
        locked.sar = sar
        if sar.state not in SAR_VERIFIABLE_STATES:
            raise TransitionNotAllowed(
                _("Results are verified while the report is submitted; it is “%(state)s”.")
                % {"state": _state_label(sar.state)}
            )
        require(actor, "agreements.verify_result", locked)
        if not locked.is_reported:
            raise DomainError(
                _("KPI %(code)s is not reported in this round.") % {"code": locked.annex_kpi.code}
            )
        criteria = _criteria(locked.annex_kpi, sar.agreement)
        if decision == VerificationDecision.ACCEPT:
            locked.status = ResultStatus.ACCEPTED
            locked.verified_result = locked.result
            locked.verified_steps = list(locked.steps_done)
        elif decision == VerificationDecision.ADJUST:
            if criteria.steps_in_use and steps_done is None:
                raise DomainError(_("Tick the steps that are done."), field="steps_done")
            steps = _checked_steps(steps_done, criteria, field="steps_done")
            number = (
                None
                if criteria.criteria_type == CriteriaType.MILESTONE
                else _checked_value(value, field="value")
            )
            _score(locked, criteria, number, steps)
            locked.status = ResultStatus.ADJUSTED
            locked.verified_result = number
            locked.verified_steps = steps
        else:
            locked.status = ResultStatus.RETURNED
            locked.verified_result = None
            locked.verified_steps = None
        locked.verification_comment = comment
        locked.verified_by = actor
        locked.verified_at = timezone.now()
        locked.save()
        _bump_inputs_revision(sar.pk)
        _recompute_on_commit(sar.agreement_id)
        _settle(sar, actor=actor)
    return locked


# --- Which KPIs are reported in a round ----------------------------------------------------------


def kpi_participation_set(
    *, actor: User, result: KPIResult, participation: str, note: str = ""
) -> KPIResult:
    """Say whether a KPI is reported in this round (the others' weights are renormalised).

    The planning unit (or an administrator) decides, with a note when a KPI starts in a later round
    or is cancelled from this one. Refused on an approved report, while the KPI owners verify it
    (return it first), when a verified report would gain a KPI nobody verified, and when no KPI
    would be left to report. After the commit the agreement's scores are recomputed.
    """
    if participation not in Participation.values:
        raise DomainError(_("Choose whether the KPI is reported."), field="participation")
    note = note.strip()
    if participation != Participation.REPORTED and not note:
        raise DomainError(_("Say why the KPI is not reported in this round."), field="note")
    require(actor, "agreements.set_participation", result)
    with transaction.atomic():
        sar = _lock_sar(result.sar_id)
        locked = _lock_result(result.pk)
        locked.sar = sar
        if sar.state == SARState.APPROVED:
            raise TransitionNotAllowed(
                _("The report is approved; reopen it before changing which KPIs are reported.")
            )
        if sar.state == SARState.SUBMITTED:
            # Changing the set mid-verification would leave a result nobody entered, or nothing
            # for the owners to decide.
            raise TransitionNotAllowed(
                _(
                    "The KPI owners are verifying this report; return it to the unit before "
                    "changing which KPIs are reported."
                )
            )
        changed = locked.participation != participation
        if sar.state == SARState.VERIFIED and changed and participation == Participation.REPORTED:
            raise TransitionNotAllowed(
                _(
                    "The report is verified; return it to the unit so the result of KPI %(code)s "
                    "can be entered and verified."
                )
                % {"code": locked.annex_kpi.code}
            )
        if changed and participation != Participation.REPORTED:
            others = (
                sar.results.filter(participation=Participation.REPORTED)
                .exclude(pk=locked.pk)
                .exists()
            )
            if not others:
                raise DomainError(
                    _("At least one KPI must be reported in this round."), field="participation"
                )
        locked.participation = participation
        locked.participation_note = note
        locked.save()
        if changed:
            _bump_inputs_revision(sar.pk)
            _recompute_on_commit(sar.agreement_id)
    return locked


__all__ = [
    "kpi_participation_set",
    "kpi_result_update",
    "kpi_result_verify",
    "sar_act",
    "sars_open",
]
