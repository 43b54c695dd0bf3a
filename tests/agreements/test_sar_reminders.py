"""E-mail reminders N days before a SAR's deadline (settings.SAR_REMINDER_DAYS = [7, 3, 1]).

The Department of Health's SARs are opened by direct data; the 6-month SAR is due on DEADLINE,
the other rounds months later. KPI 1.1 is owned by the planning unit and still empty; KPI 3.1 is
owned by the Office of the Secretary and already has its result.
"""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from agreements.enums import SARState
from agreements.models import SAR, KPIResult, SARReminder
from agreements.services.reminders import sar_reminders_send
from governance.buddhist_era import format_date
from governance.enums import Role
from governance.models import FiscalYear, ReportingRound
from kpis.models import KPI
from tests.agreements.sar_world import open_sars
from tests.conftest import make_person

DEADLINE = date(2030, 4, 15)
SITE = "https://kham-rabrong.example.go.th"


@pytest.fixture
def sars(agreement, framework, tree) -> dict[int, SAR]:
    KPI.objects.filter(framework=framework, code="1.1").update(owner=tree.planning_unit)
    KPI.objects.filter(framework=framework, code="3.1").update(owner=tree.secretary_office)
    opened = open_sars(agreement)
    for months, deadline in (
        (6, DEADLINE),
        (9, DEADLINE + timedelta(90)),
        (12, date(2030, 10, 15)),
    ):
        ReportingRound.objects.filter(pk=opened[months].round_id).update(sar_deadline=deadline)
    KPIResult.objects.filter(sar__agreement=agreement, annex_kpi__code="3.1").update(result=80)
    for sar in opened.values():
        sar.refresh_from_db()
    return opened


@pytest.fixture
def people(tree, unit_head, planning_officer):
    """Who should hear of the DoH SAR, and who should not (each with a reason)."""
    other_dept_collector = make_person(tree.other_department, Role.DATA_COLLECTOR)
    inactive = make_person(tree.department, Role.DATA_COLLECTOR, username="gone")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    english = make_person(tree.department, Role.DATA_COLLECTOR, username="doh_collector_en")
    english.language = "en"
    english.save(update_fields=["language"])
    return {
        "head": make_person(tree.department, Role.UNIT_HEAD, username="doh_head"),
        "collector": english,
        # A ministry collector whose role covers the units below reaches the department.
        "ministry_collector": make_person(
            tree.ministry, Role.DATA_COLLECTOR, below=True, username="moph_collector"
        ),
        "owner_collector": make_person(
            tree.planning_unit, Role.DATA_COLLECTOR, username="plan_collector"
        ),
        "not": [
            make_person(tree.ministry, Role.DATA_COLLECTOR, username="moph_collector_only"),
            make_person(tree.secretary_office, Role.DATA_COLLECTOR, username="sec_collector"),
            unit_head,  # heads the planning unit: only the owner unit's collectors are asked
            planning_officer,
            inactive,
            other_dept_collector,
        ],
    }


def addresses() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def message_to(person) -> mail.EmailMultiAlternatives:
    (message,) = [m for m in mail.outbox if m.to == [person.email]]
    return message


@pytest.mark.parametrize("days", [7, 3, 1])
def test_reminder_is_sent_n_days_before_the_deadline(sars, people, days):
    sent = sar_reminders_send(today=DEADLINE - timedelta(days=days))

    assert sent == 4
    assert len(mail.outbox) == 4
    assert SARReminder.objects.get().days_before == days


@pytest.mark.parametrize("days", [0, 2, 4, 8, -1])
def test_no_reminder_on_other_days(sars, people, days):
    assert sar_reminders_send(today=DEADLINE - timedelta(days=days)) == 0
    assert mail.outbox == []


def test_recipients_are_exactly_the_organisations_heads_and_collectors_and_owner_collectors(
    sars, people
):
    sar_reminders_send(today=DEADLINE - timedelta(days=7))

    assert addresses() == {
        people["head"].email,
        people["collector"].email,
        people["ministry_collector"].email,
        people["owner_collector"].email,
    }
    assert SARReminder.objects.get().recipients == 4


def test_owner_units_collector_is_told_which_of_its_kpis_are_empty(sars, people):
    sar_reminders_send(today=DEADLINE - timedelta(days=7))

    body = message_to(people["owner_collector"]).body
    assert "1.1 ร้อยละของเด็กอายุ 0-5 ปี มีพัฒนาการสมวัย" in body
    assert "3.1" not in body
    assert "1.1" not in message_to(people["head"]).body


def test_owner_collectors_are_not_asked_once_their_kpi_has_a_result(sars, people):
    KPIResult.objects.filter(sar=sars[6], annex_kpi__code="1.1").update(result=62)

    sar_reminders_send(today=DEADLINE - timedelta(days=7))

    assert people["owner_collector"].email not in addresses()
    assert len(mail.outbox) == 3


def test_a_step_done_counts_as_a_result(sars, people):
    KPIResult.objects.filter(sar=sars[6], annex_kpi__code="1.1").update(
        steps_done=[True, False, False, False, False]
    )

    sar_reminders_send(today=DEADLINE - timedelta(days=7))

    assert people["owner_collector"].email not in addresses()


@pytest.mark.parametrize("state", [SARState.SUBMITTED, SARState.VERIFIED, SARState.APPROVED])
def test_submitted_sar_gets_no_reminder(sars, people, state):
    SAR.objects.filter(pk=sars[6].pk).update(state=state)  # arranging the test

    assert sar_reminders_send(today=DEADLINE - timedelta(days=7)) == 0
    assert mail.outbox == []
    assert SARReminder.objects.count() == 0


def test_returned_sar_is_still_reminded(sars, people):
    SAR.objects.filter(pk=sars[6].pk).update(state=SARState.RETURNED)  # arranging the test

    assert sar_reminders_send(today=DEADLINE - timedelta(days=3)) == 4


def test_running_twice_on_one_day_sends_once(sars, people):
    today = DEADLINE - timedelta(days=3)

    first = sar_reminders_send(today=today)
    second = sar_reminders_send(today=today)

    assert (first, second) == (4, 0)
    assert len(mail.outbox) == 4
    assert SARReminder.objects.filter(sar=sars[6], days_before=3, deadline=DEADLINE).count() == 1


def test_a_reminder_claimed_by_another_run_is_not_sent_again(sars, people):
    # Another worker inserted the row first and is mailing right now.
    SARReminder.objects.create(sar=sars[6], days_before=3, deadline=DEADLINE)

    assert sar_reminders_send(today=DEADLINE - timedelta(days=3)) == 0
    assert mail.outbox == []


def test_each_reminder_day_is_sent_once_over_the_days(sars, people):
    for day in range(10, -1, -1):
        sar_reminders_send(today=DEADLINE - timedelta(days=day))

    assert len(mail.outbox) == 3 * 4
    assert sorted(SARReminder.objects.values_list("days_before", flat=True)) == [1, 3, 7]


def test_reopened_sar_gets_a_new_reminder_for_its_new_deadline(sars, people):
    sar_reminders_send(today=DEADLINE - timedelta(days=3))
    new_deadline = DEADLINE + timedelta(days=10)
    # An administrator's reopening (arranging the test: only its window matters here).
    SAR.objects.filter(pk=sars[6].pk).update(reopened_until=new_deadline)
    mail.outbox.clear()

    sent = sar_reminders_send(today=new_deadline - timedelta(days=3))

    assert sent == 4
    assert sorted(SARReminder.objects.values_list("deadline", flat=True)) == [
        DEADLINE,
        new_deadline,
    ]
    assert format_date(new_deadline, "medium", "th") in message_to(people["head"]).subject


def test_reopening_that_ends_before_the_rounds_deadline_keeps_the_rounds(sars, people):
    SAR.objects.filter(pk=sars[6].pk).update(reopened_until=DEADLINE - timedelta(days=5))

    assert sar_reminders_send(today=DEADLINE - timedelta(days=7)) == 4
    assert SARReminder.objects.get().deadline == DEADLINE


def test_sars_of_a_closed_year_get_no_reminder(sars, people):
    FiscalYear.objects.filter(pk=sars[6].round.fiscal_year_id).update(is_closed=True)

    assert sar_reminders_send(today=DEADLINE - timedelta(days=7)) == 0


@override_settings(SAR_REMINDER_DAYS=[14])
def test_reminder_days_come_from_the_settings(sars, people):
    assert sar_reminders_send(today=DEADLINE - timedelta(days=7)) == 0
    assert sar_reminders_send(today=DEADLINE - timedelta(days=14)) == 4


def test_each_person_is_mailed_in_their_own_language(sars, people):
    sar_reminders_send(today=DEADLINE - timedelta(days=7))

    thai = message_to(people["head"])
    english = message_to(people["collector"])
    assert format_date(DEADLINE, "medium", "th") in thai.subject  # 15 เม.ย. 2573
    assert "2573" in thai.body
    assert "ปีงบประมาณ พ.ศ.\u00a02552" in thai.body
    assert "2030" not in thai.body
    assert english.subject == (
        "Reminder: the 6-month SAR of Department of Health is due on 15 Apr 2030"
    )
    assert "15 April 2030, in 7 days" in english.body
    assert "FY 2552" in english.body


@override_settings(SITE_URL=SITE)
def test_reminder_links_to_the_sar(sars, people):
    sar_reminders_send(today=DEADLINE - timedelta(days=1))

    message = message_to(people["head"])
    link = SITE + reverse("agreements:sar_detail", args=[sars[6].pk])
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
