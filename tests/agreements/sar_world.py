"""SARs for tests that are not about signing: an agreement made signed by direct data.

`open_sars(agreement)` freezes the agreement's latest version, records both signatures, sets the
state to "reporting" and opens its SARs with the real service (sars_open); every round's deadline
is moved 30 days ahead so the entry window is open, unless `window_open=False`.
"""

from datetime import timedelta

from django.utils import timezone

from agreements.enums import AgreementState, Party
from agreements.models import SAR, Agreement, AgreementVersion, Signature
from agreements.snapshot import build_snapshot, content_hash
from governance.models import ReportingRound


def sign_directly(agreement: Agreement) -> AgreementVersion:
    """Freeze and sign the latest version without the workflow (arranging a test)."""
    version = agreement.versions.order_by("-number").first()
    if not version.is_frozen:
        content = build_snapshot(version)
        AgreementVersion.objects.filter(pk=version.pk).update(
            content=content, content_sha256=content_hash(content), frozen_at=timezone.now()
        )
        version.refresh_from_db()
    for party, user_id in (
        (Party.MAKER, agreement.maker_id),
        (Party.RECEIVER, agreement.receiver_id),
    ):
        if user_id and not version.signatures.filter(party=party).exists():
            Signature.objects.create(
                version=version,
                party=party,
                user_id=user_id,
                name="ผู้ลงนาม",
                position="ตำแหน่ง",
                content_sha256=version.content_sha256,
            )
    Agreement.objects.filter(pk=agreement.pk).update(state=AgreementState.REPORTING)
    agreement.refresh_from_db()
    return version


def set_deadlines(agreement: Agreement, *, days_from_today: int) -> None:
    """Move every round's SAR deadline (period ends stay before it)."""
    deadline = timezone.localdate() + timedelta(days=days_from_today)
    for reporting_round in ReportingRound.objects.filter(fiscal_year=agreement.fiscal_year):
        ReportingRound.objects.filter(pk=reporting_round.pk).update(
            sar_deadline=deadline, period_end=min(reporting_round.period_end, deadline)
        )


def open_sars(agreement: Agreement, *, window_open: bool = True) -> dict[int, SAR]:
    """The agreement's SARs by months (6, 9, 12), opened by the real service."""
    from agreements.services.reports import sars_open

    sign_directly(agreement)
    set_deadlines(agreement, days_from_today=30 if window_open else -1)
    sars_open(agreement=agreement)
    return {sar.round.months: sar for sar in agreement.sars.select_related("round")}


def sar_for(w, months: int = 6) -> SAR:
    """The ladder's SAR: w.agreement's SAR of the given round (opened on first use)."""
    existing = SAR.objects.filter(agreement=w.agreement, round__months=months).first()
    return existing or open_sars(w.agreement)[months]
