"""Real concurrency on PostgreSQL: two people acting at the same moment give one result.

Each thread has its own database connection and transaction; a barrier releases them together, so
both reach the row lock at once. SQLite serialises whole transactions instead of locking rows, so
these tests say nothing there and are skipped.
"""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from agreements import services
from agreements.enums import AgreementState
from agreements.models import Agreement, AgreementTransition, AgreementVersion, Signature
from governance.errors import DomainError, TransitionNotAllowed
from governance.models import User
from tests.agreements.conftest import RESOLUTION, RESOLUTION_DATE, act, latest, to_approved
from tests.conftest import PASSWORD

S = AgreementState

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (SQLite locks the whole database per transaction)",
    ),
    pytest.mark.django_db(transaction=True),
]


def at_the_same_moment(*calls: Callable[[], object]) -> list[tuple[str, object]]:
    """Run each call in its own thread, released together; ("ok", result) or ("error", exc)."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, object]] = [("missing", None)] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except Exception as error:  # the test inspects what each thread met
            results[index] = ("error", error)
        finally:
            # Each thread opened its own connection: close it, or the test database cannot be dropped.
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


def fresh(user: User) -> User:
    """A separate copy per thread: permission caches live on the user object."""
    return User.objects.get(pk=user.pk)


def outcomes(results) -> list[str]:
    return sorted(kind for kind, _value in results)


def errors(results) -> list[Exception]:
    return [value for kind, value in results if kind == "error"]


@pytest.fixture
def no_pdf(monkeypatch):
    """Record PDF enqueues instead of rendering (another part of the app renders them)."""
    calls = []
    monkeypatch.setattr(
        "agreements.services.signing._enqueue_signed_pdf",
        lambda version_id: calls.append(version_id),
    )
    return calls


def test_two_committee_members_agreeing_at_once_give_one_transition(agreement, cast):
    act(agreement, cast.planner, "propose")
    act(agreement, cast.member, "open_negotiation")

    results = at_the_same_moment(
        *(
            lambda person=person: services.agreement_act(
                actor=fresh(person), agreement=agreement, action="agree"
            )
            for person in (cast.chair, cast.member)
        )
    )

    assert outcomes(results) == ["error", "ok"]
    assert isinstance(errors(results)[0], TransitionNotAllowed)
    agreement.refresh_from_db()
    assert agreement.state == S.AGREED
    assert AgreementTransition.objects.filter(agreement=agreement, action="agree").count() == 1


def test_a_double_clicked_approval_gives_one_transition_and_one_freeze(agreement, cast):
    act(agreement, cast.planner, "propose")
    act(agreement, cast.member, "open_negotiation")
    act(agreement, cast.chair, "agree")

    def approve():
        return services.agreement_act(
            actor=fresh(cast.chair),
            agreement=agreement,
            action="approve",
            resolution=RESOLUTION,
            resolution_date=RESOLUTION_DATE,
        )

    results = at_the_same_moment(approve, approve)

    assert outcomes(results) == ["error", "ok"]
    assert isinstance(errors(results)[0], TransitionNotAllowed)
    history = AgreementTransition.objects.filter(agreement=agreement, action="approve")
    assert history.count() == 1
    version = AgreementVersion.objects.get(agreement=agreement)
    assert history.get().version == version
    assert version.is_frozen
    assert len(version.content_sha256) == 64


def test_a_double_clicked_sign_gives_one_signature(agreement, cast, no_pdf):
    to_approved(agreement, cast)

    def sign():
        return services.agreement_sign(
            actor=fresh(cast.maker),
            agreement=agreement,
            password=PASSWORD,
            ip_address="10.0.0.7",
            user_agent="Firefox",
        )

    results = at_the_same_moment(sign, sign)

    assert outcomes(results) == ["error", "ok"]
    error = errors(results)[0]
    assert isinstance(error, DomainError)
    assert error.code == "already_signed"
    assert Signature.objects.filter(version__agreement=agreement).count() == 1
    agreement.refresh_from_db()
    assert agreement.state == S.APPROVED
    assert no_pdf == []


def test_both_parties_signing_at_once_complete_the_signing_exactly_once(agreement, cast, no_pdf):
    to_approved(agreement, cast)
    version = latest(agreement)

    results = at_the_same_moment(
        *(
            lambda person=person: services.agreement_sign(
                actor=fresh(person),
                agreement=agreement,
                password=PASSWORD,
                ip_address="10.0.0.8",
                user_agent="Chromium",
            )
            for person in (cast.maker, cast.receiver)
        )
    )

    assert outcomes(results) == ["ok", "ok"]
    assert sorted(version.signatures.values_list("party", flat=True)) == ["maker", "receiver"]
    assert Agreement.objects.get(pk=agreement.pk).state == S.SIGNED
    assert (
        AgreementTransition.objects.filter(agreement=agreement, action="complete_signing").count()
        == 1
    )
    assert no_pdf == [version.pk]
