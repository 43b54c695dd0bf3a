"""Signing ceremonies: arranging one, following its progress, rendering the missing PDFs."""

import re
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from agreements import services, tasks
from agreements.enums import AgreementState, Party
from agreements.models import AgreementVersion, Ceremony, Signature
from agreements.snapshot import build_snapshot, content_hash
from governance.enums import OrganisationKind, Role
from governance.errors import ActionForbidden, DomainError
from tests.agreements.conftest import latest, set_state, sign, to_approved
from tests.conftest import make_person
from tests.factories import (
    AgreementFactory,
    AgreementKPIFactory,
    AgreementVersionFactory,
    FiscalYearFactory,
    FrameworkFactory,
    OrganisationFactory,
    UserFactory,
)

HELD_ON = date(2008, 11, 28)
NAME_TH = "พิธีลงนามคำรับรองการปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. 2552"


def unit_agreement(organisation, year, *, state=AgreementState.APPROVED, signed=(), pdf=False):
    """An agreement of a unit with a frozen version 1, `signed` by these parties (direct data)."""
    maker = UserFactory(name_th=f"ผู้อำนวยการ {organisation.name_th}")
    receiver = UserFactory(name_th="อธิบดีกรมอนามัย ผู้รับ")
    agreement = AgreementFactory(
        framework=FrameworkFactory(fiscal_year=year, organisation=organisation),
        maker=maker,
        receiver=receiver,
        maker_name_th=maker.name_th,
        maker_position_th=f"ผู้อำนวยการ{organisation.name_th}",
        receiver_name_th=receiver.name_th,
        receiver_position_th="อธิบดีกรมอนามัย",
    )
    version = AgreementVersionFactory(agreement=agreement, number=1)
    AgreementKPIFactory(version=version, code="1", weight=45)
    content = build_snapshot(version)
    AgreementVersion.objects.filter(pk=version.pk).update(
        content=content, content_sha256=content_hash(content), frozen_at=timezone.now()
    )
    for party in signed:
        Signature.objects.create(
            version=version,
            party=party,
            user=getattr(agreement, party),
            name=getattr(agreement, f"{party}_name_th"),
            position=getattr(agreement, f"{party}_position_th"),
            content_sha256=content_hash(content),
        )
    if pdf:
        AgreementVersion.objects.filter(pk=version.pk).update(
            pdf=f"agreements/signed/{agreement.pk}.pdf", pdf_sha256="f" * 64
        )
    return set_state(agreement, state)


@pytest.fixture
def approved(agreement, cast):
    return to_approved(agreement, cast)


@pytest.fixture
def unit_agreements(tree, year):
    """Three more agreements of FY 2552: awaiting both, awaiting the receiver, signed with a PDF."""
    return (
        unit_agreement(tree.planning_unit, year),
        unit_agreement(tree.secretary_office, year, signed=[Party.MAKER]),
        unit_agreement(
            make_unit(tree, "HPC1", "ศูนย์อนามัยที่ 1"),
            year,
            state=AgreementState.SIGNED,
            signed=[Party.MAKER, Party.RECEIVER],
            pdf=True,
        ),
    )


def make_unit(tree, code, name_th):
    return OrganisationFactory(
        parent=tree.department, kind=OrganisationKind.UNIT, code=code, name_th=name_th
    )


def arrange(actor, agreements, *, organisation, **kwargs):
    fields = {
        "fiscal_year": agreements[0].fiscal_year if agreements else None,
        "organisation": organisation,
        "name_th": NAME_TH,
        "name_en": "Signing ceremony, FY 2552",
        "held_on": HELD_ON,
        "agreements": agreements,
    } | kwargs
    return services.ceremony_create(actor=actor, **fields)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- ceremony_create ----------------------------------------------------------------------------


def test_ceremony_create_groups_approved_and_signed_agreements(
    approved, unit_agreements, cast, tree
):
    ceremony = services.ceremony_create(
        actor=cast.planner,
        fiscal_year=approved.fiscal_year,
        organisation=tree.department,
        name_th=f"  {NAME_TH} ",
        name_en="Signing ceremony",
        held_on=HELD_ON,
        agreements=[approved, *unit_agreements],
    )

    assert ceremony.name_th == NAME_TH
    assert ceremony.organisation == tree.department
    assert ceremony.held_on == HELD_ON
    assert ceremony.created_by == cast.planner
    assert set(ceremony.agreements.all()) == {approved, *unit_agreements}


def test_ceremony_create_by_an_admin(approved, cast, tree):
    ceremony = arrange(cast.admin, [approved], organisation=tree.department)

    assert list(ceremony.agreements.all()) == [approved]


def test_ceremony_create_refuses_an_agreement_that_is_not_approved(agreement, cast, tree, english):
    with pytest.raises(DomainError) as raised:
        arrange(cast.planner, [agreement], organisation=tree.department)

    assert raised.value.field == "agreements"
    assert raised.value.message == (
        "Only approved or signed agreements can be signed at a ceremony: "
        "Department of Health (อน.) is “Draft”."
    )
    assert not Ceremony.objects.exists()


def test_ceremony_create_refuses_an_agreement_the_actor_cannot_see(cast, tree, year, english):
    hidden = unit_agreement(tree.other_department, year)

    with pytest.raises(DomainError) as raised:
        arrange(cast.planner, [hidden], organisation=tree.department)

    assert raised.value.message == (
        "One of the chosen agreements does not exist or is not visible to you."
    )
    assert not Ceremony.objects.exists()


def test_ceremony_create_refuses_an_agreement_of_another_year(approved, cast, tree, english):
    later = unit_agreement(tree.planning_unit, FiscalYearFactory(year=2553))

    with pytest.raises(DomainError) as raised:
        arrange(cast.planner, [approved, later], organisation=tree.department)

    assert raised.value.message == (
        "These agreements are not for FY 2552: Planning Division (กผ.)."
    )


def test_ceremony_create_needs_agreements_a_name_and_a_date(approved, cast, tree):
    with pytest.raises(DomainError) as raised:
        arrange(cast.planner, [], fiscal_year=approved.fiscal_year, organisation=tree.department)
    assert raised.value.field == "agreements"
    with pytest.raises(DomainError) as raised:
        arrange(cast.planner, [approved], organisation=tree.department, name_th="  ")
    assert raised.value.field == "name_th"
    with pytest.raises(DomainError) as raised:
        arrange(cast.planner, [approved], organisation=tree.department, held_on=None)
    assert raised.value.field == "held_on"
    assert not Ceremony.objects.exists()


@pytest.mark.parametrize("who", ["chair", "member", "maker"])
def test_ceremony_create_is_refused_to_people_who_do_not_prepare(approved, cast, tree, who):
    with pytest.raises(ActionForbidden):
        arrange(getattr(cast, who), [approved], organisation=tree.department)


def test_ceremony_create_is_refused_for_a_host_outside_the_actors_scope(approved, cast, tree):
    with pytest.raises(ActionForbidden):
        arrange(cast.planner, [approved], organisation=tree.other_ministry)


def test_a_unit_planner_cannot_host_for_the_department(approved, tree, year):
    unit_planner = make_person(tree.planning_unit, Role.PLANNING)
    with pytest.raises(ActionForbidden):
        arrange(unit_planner, [approved], organisation=tree.department)


# --- ceremony_progress ----------------------------------------------------------------------------


def test_ceremony_progress_counts_signatures_pdfs_and_who_still_has_to_sign(
    approved, unit_agreements, cast, tree
):
    waiting_both, waiting_receiver, signed = unit_agreements
    sign(approved, cast.receiver)
    ceremony = arrange(cast.planner, [approved, *unit_agreements], organisation=tree.department)

    progress = services.ceremony_progress(ceremony)

    assert {key: value for key, value in progress.items() if key != "items"} == {
        "agreements": 4,
        "signed": 1,
        "rendered": 1,
        "signatures": 4,
        "signatures_needed": 8,
        "waiting": {
            approved.pk: ["นายแพทย์ผู้ทำ คำรับรอง"],
            waiting_both.pk: ["ผู้อำนวยการ กองแผนงาน", "อธิบดีกรมอนามัย ผู้รับ"],
            waiting_receiver.pk: ["อธิบดีกรมอนามัย ผู้รับ"],
        },
        "done": False,
    }
    assert [item.agreement for item in progress["items"]] == [
        approved,
        waiting_both,
        waiting_receiver,
        signed,
    ]


def test_ceremony_progress_is_done_when_everything_is_signed_and_rendered(cast, tree, year):
    both = [Party.MAKER, Party.RECEIVER]
    agreements = [
        unit_agreement(tree.planning_unit, year, state=AgreementState.SIGNED, signed=both),
        unit_agreement(tree.secretary_office, year, state=AgreementState.SIGNED, signed=both),
    ]
    ceremony = arrange(cast.planner, agreements, organisation=tree.department)

    assert services.ceremony_progress(ceremony)["done"] is False  # two PDFs still to render
    AgreementVersion.objects.update(pdf_sha256="a" * 64)
    progress = services.ceremony_progress(ceremony)

    assert (progress["signed"], progress["rendered"], progress["done"]) == (2, 2, True)
    assert progress["waiting"] == {}


def test_ceremony_progress_reads_a_fixed_number_of_queries(
    approved, unit_agreements, cast, tree, django_assert_num_queries
):
    ceremony = arrange(cast.planner, [approved, *unit_agreements], organisation=tree.department)

    with django_assert_num_queries(3):
        services.ceremony_progress(ceremony)


# --- ceremony_render ------------------------------------------------------------------------------


@pytest.fixture
def enqueued(monkeypatch) -> list[dict]:
    calls: list[dict] = []
    monkeypatch.setattr(tasks.render_signed_pdf, "delay", lambda **kwargs: calls.append(kwargs))
    return calls


def test_ceremony_render_enqueues_each_signed_version_without_a_pdf_after_the_commit(
    approved, unit_agreements, cast, tree, year, enqueued, django_capture_on_commit_callbacks
):
    both = [Party.MAKER, Party.RECEIVER]
    first = unit_agreement(
        make_unit(tree, "HPC2", "ศูนย์อนามัยที่ 2"), year, state="signed", signed=both
    )
    second = unit_agreement(
        make_unit(tree, "HPC3", "ศูนย์อนามัยที่ 3"), year, state="signed", signed=both
    )
    ceremony = arrange(
        cast.planner, [approved, *unit_agreements, first, second], organisation=tree.department
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        count = services.ceremony_render(actor=cast.planner, ceremony=ceremony)
    assert enqueued == []  # nothing before the commit
    for callback in callbacks:
        callback()

    assert count == 2
    assert enqueued == [
        {"version_id": latest(first).pk},
        {"version_id": latest(second).pk},
    ]


def test_ceremony_render_enqueues_nothing_when_every_pdf_is_there(
    unit_agreements, cast, tree, enqueued, django_capture_on_commit_callbacks
):
    ceremony = arrange(cast.admin, list(unit_agreements), organisation=tree.department)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        count = services.ceremony_render(actor=cast.admin, ceremony=ceremony)

    assert (count, callbacks, enqueued) == (0, [], [])


@pytest.mark.parametrize("who", ["member", "maker", "outsider"])
def test_ceremony_render_is_refused_to_people_who_do_not_organise(
    approved, cast, tree, who, enqueued
):
    ceremony = arrange(cast.planner, [approved], organisation=tree.department)

    with pytest.raises(ActionForbidden):
        services.ceremony_render(actor=getattr(cast, who), ceremony=ceremony)


def test_ceremony_render_renders_the_pdf_for_real_once_committed(
    cast, tree, year, django_capture_on_commit_callbacks
):
    both = [Party.MAKER, Party.RECEIVER]
    agreement = unit_agreement(tree.planning_unit, year, state="signed", signed=both)
    ceremony = arrange(cast.planner, [agreement], organisation=tree.department)

    with django_capture_on_commit_callbacks(execute=True):
        services.ceremony_render(actor=cast.planner, ceremony=ceremony)

    version = latest(agreement)
    assert len(version.pdf_sha256) == 64
    assert services.ceremony_progress(ceremony)["done"] is True
    default_storage.delete(version.pdf.name)


# --- Pages ----------------------------------------------------------------------------------------


def ceremony_of(cast, tree, agreements) -> Ceremony:
    return arrange(cast.planner, list(agreements), organisation=tree.department)


def test_ceremony_list_shows_the_visible_ceremonies_with_their_signed_count(
    client, approved, unit_agreements, cast, tree, english
):
    ceremony = ceremony_of(cast, tree, [approved, *unit_agreements])
    client.force_login(cast.planner)

    response = client.get(reverse("agreements:ceremony_list"))

    assert response.status_code == 200
    assert list(response.context["ceremonies"]) == [ceremony]
    assertContains(
        response,
        f'<a href="{ceremony.get_absolute_url()}">Signing ceremony, FY 2552</a>',
        html=True,
    )
    assertContains(response, '<td class="text-end text-nowrap">1 of 4</td>', html=True)
    assertContains(response, "New ceremony")


def test_ceremony_list_hides_other_ministries_ceremonies(client, approved, cast, tree, english):
    ceremony_of(cast, tree, [approved])
    client.force_login(cast.outsider)

    response = client.get(reverse("agreements:ceremony_list"))

    assert list(response.context["ceremonies"]) == []
    assertContains(response, "There is no signing ceremony that you can see yet.")


def test_the_parties_see_the_ceremonies_of_their_agreements(
    client, approved, unit_agreements, cast, tree
):
    ceremony = ceremony_of(cast, tree, [approved, *unit_agreements])
    client.force_login(cast.maker)

    response = client.get(reverse("agreements:ceremony_list"))

    assert list(response.context["ceremonies"]) == [ceremony]
    assert response.context["can_create"] is False
    # The count covers the whole ceremony, not only the agreement that made it visible.
    assert response.context["ceremonies"][0].agreement_count == 4


def test_ceremony_list_reads_the_same_number_of_queries_for_more_ceremonies(
    client, approved, unit_agreements, cast, tree, django_assert_max_num_queries
):
    client.force_login(cast.planner)
    ceremony_of(cast, tree, [approved])
    with django_assert_max_num_queries(100) as one:
        client.get(reverse("agreements:ceremony_list"))
    for agreement in unit_agreements:
        ceremony_of(cast, tree, [agreement])

    with django_assert_max_num_queries(100) as four:
        client.get(reverse("agreements:ceremony_list"))

    assert len(four.captured_queries) == len(one.captured_queries)


def test_ceremony_create_page_offers_only_approved_and_signed_visible_agreements(
    client, agreement, unit_agreements, cast, tree, year
):
    hidden = unit_agreement(tree.other_department, year)
    client.force_login(cast.planner)

    response = client.get(reverse("agreements:ceremony_create"))

    assert response.status_code == 200
    offered = set(response.context["form"].fields["agreements"].queryset)
    assert offered == set(unit_agreements)
    assert agreement not in offered
    assert hidden not in offered


def test_ceremony_create_page_reads_a_buddhist_era_date(client, approved, cast, tree, year):
    client.force_login(cast.planner)

    response = client.post(
        reverse("agreements:ceremony_create"),
        {
            "fiscal_year": year.pk,
            "organisation": tree.department.pk,
            "name_th": NAME_TH,
            "name_en": "",
            "held_on": "28/11/2551",
            "agreements": [approved.pk],
        },
    )

    ceremony = Ceremony.objects.get()
    assert response.status_code == 302
    assert response.url == ceremony.get_absolute_url()
    assert ceremony.held_on == HELD_ON
    assert list(ceremony.agreements.all()) == [approved]


def test_ceremony_create_page_shows_a_missing_choice_at_the_field(
    client, approved, cast, tree, year, english
):
    client.force_login(cast.planner)

    response = client.post(
        reverse("agreements:ceremony_create"),
        {
            "fiscal_year": year.pk,
            "organisation": tree.department.pk,
            "name_th": NAME_TH,
            "held_on": "28/11/2008",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"agreements": ["This field is required."]}
    assert not Ceremony.objects.exists()


def test_ceremony_create_page_is_refused_to_a_committee_member(client, cast):
    client.force_login(cast.member)

    assert client.get(reverse("agreements:ceremony_create")).status_code == 403


def test_ceremony_detail_shows_parties_who_must_sign_and_the_pdfs(
    client, approved, unit_agreements, cast, tree, english
):
    signed = unit_agreements[2]
    sign(approved, cast.receiver)
    ceremony = ceremony_of(cast, tree, [approved, *unit_agreements])
    client.force_login(cast.planner)

    response = client.get(ceremony.get_absolute_url())

    assert response.status_code == 200
    assertContains(response, "Signed by both parties: 1 of 4")
    assertContains(response, "Signed PDFs ready: 1 of 4")
    assertContains(response, "4 of 8 signatures given")
    assertContains(
        response, '<progress id="ceremony-signed" class="w-100" value="1" max="4">', count=1
    )
    assertContains(response, "still has to sign", count=4)
    assertContains(response, reverse("agreements:signed_pdf", args=[signed.pk, 1]))
    assertContains(response, "Render all PDFs")
    assertContains(response, 'hx-trigger="every 2s"')
    # The planner is no party: no link to sign.
    assertNotContains(response, "Sign now")


def test_ceremony_detail_links_the_party_to_their_signing_page(
    client, approved, cast, tree, english
):
    ceremony = ceremony_of(cast, tree, [approved])
    client.force_login(cast.maker)

    response = client.get(ceremony.get_absolute_url())

    sign_link = reverse("agreements:agreement_sign", args=[approved.pk])
    assertContains(response, f'href="{sign_link}"', count=1)
    assertNotContains(response, "Render all PDFs")
    sign(approved, cast.maker)
    assertNotContains(client.get(ceremony.get_absolute_url()), f'href="{sign_link}"')


def test_ceremony_detail_lists_only_the_agreements_the_person_may_open(
    client, approved, unit_agreements, cast, tree, english
):
    ceremony = ceremony_of(cast, tree, [approved, *unit_agreements])
    client.force_login(cast.maker)  # sees their own agreement only

    response = client.get(ceremony.get_absolute_url())

    assert [row["item"].agreement for row in response.context["rows"]] == [approved]
    assertContains(response, "3 more agreements of this ceremony are outside what you can open.")


def test_ceremony_progress_fragment_polls_until_done_then_stops(client, cast, tree, year):
    both = [Party.MAKER, Party.RECEIVER]
    agreement = unit_agreement(tree.planning_unit, year, state="signed", signed=both)
    ceremony = ceremony_of(cast, tree, [agreement])
    client.force_login(cast.planner)
    url = reverse("agreements:ceremony_progress", args=[ceremony.pk])

    pending = client.get(url)
    AgreementVersion.objects.update(pdf_sha256="b" * 64, pdf="agreements/signed/x.pdf")
    done = client.get(url)

    trigger = f'hx-get="{url}" hx-trigger="every 2s" hx-swap="outerHTML"'
    assert pending.status_code == done.status_code == 200
    assert re.match(r'\s*<div id="ceremony-progress"', pending.content.decode())
    assertNotContains(pending, "<html")  # a fragment, not a page
    assertContains(pending, trigger)
    assertNotContains(done, "hx-trigger")
    assertContains(done, 'id="ceremony-progress"')


def test_render_all_button_enqueues_and_says_how_many(
    client, cast, tree, year, enqueued, django_capture_on_commit_callbacks, english
):
    both = [Party.MAKER, Party.RECEIVER]
    agreement = unit_agreement(tree.planning_unit, year, state="signed", signed=both)
    ceremony = ceremony_of(cast, tree, [agreement])
    client.force_login(cast.planner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agreements:ceremony_render", args=[ceremony.pk]))

    assert response.status_code == 302
    assert response.url == ceremony.get_absolute_url()
    assert messages_of(response) == ["1 PDF is being rendered in the background."]
    assert enqueued == [{"version_id": latest(agreement).pk}]


def test_render_all_button_is_refused_to_a_unit_head(client, approved, cast, tree, unit_head):
    ceremony = ceremony_of(cast, tree, [approved])
    client.force_login(unit_head)

    assert client.post(reverse("agreements:ceremony_render", args=[ceremony.pk])).status_code == 403


def test_render_all_is_post_only(client, approved, cast, tree):
    ceremony = ceremony_of(cast, tree, [approved])
    client.force_login(cast.planner)

    assert client.get(reverse("agreements:ceremony_render", args=[ceremony.pk])).status_code == 405


def test_ceremony_pages_out_of_scope_are_not_found(client, approved, cast, tree):
    ceremony = ceremony_of(cast, tree, [approved])
    client.force_login(cast.outsider)

    for name in ("ceremony_detail", "ceremony_progress"):
        assert client.get(reverse(f"agreements:{name}", args=[ceremony.pk])).status_code == 404
    assert client.post(reverse("agreements:ceremony_render", args=[ceremony.pk])).status_code == 404
