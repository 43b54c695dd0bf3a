"""The e-SAR card (HTML and PDF): every number it shows is the engine's, recomputed here by hand.

A SAR of the agreement fixture's five KPIs (1.1 outcome 55-75, 1.2 milestones, 2.1 lower is
better 30-10, 3.1 outcome 55-75, 4.1 two steps then 80/85/90) gets its results straight on the
KPIResult rows, the scores are recomputed synchronously by the lead's engine, and the card is read
back; the expected numbers come from kpis.scoring, called here on their own.
"""

import subprocess
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html
from pypdf import PdfReader

from agreements import services
from agreements.cards import card_order, sar_card_context
from agreements.enums import Participation, ResultStatus, SARState
from agreements.models import SAR, AgreementKPI, KPIResult
from agreements.services.scoring import agreement_scores_recompute
from governance.buddhist_era import format_date
from governance.enums import Role
from governance.models import User
from kpis import scoring
from kpis.enums import CriteriaType
from tests.agreements.conftest import latest
from tests.agreements.sar_world import open_sars
from tests.conftest import make_person
from tests.factories import AgreementKPIFactory

D = Decimal
T = (D(55), D(60), D(65), D(70), D(75))
LOWER = (D(30), D(25), D(20), D(15), D(10))
STEPS3 = [True, True, True, False, False]


# --- Arranging a SAR ------------------------------------------------------------------------------


def enter(sar: SAR, code: str, value=None, steps=()) -> None:
    """What the data collectors typed, put on the row directly (arranging, not the service)."""
    KPIResult.objects.filter(sar=sar, annex_kpi__code=code).update(
        result=value, steps_done=list(steps), entered_at=timezone.now()
    )


def accept(sar: SAR, *codes: str) -> None:
    KPIResult.objects.filter(sar=sar, annex_kpi__code__in=codes).update(
        status=ResultStatus.ACCEPTED, verified_result=F("result"), verified_at=timezone.now()
    )


def adjust(sar: SAR, code: str, value, comment: str, steps=None) -> None:
    KPIResult.objects.filter(sar=sar, annex_kpi__code=code).update(
        status=ResultStatus.ADJUSTED,
        verified_result=value,
        verified_steps=steps,
        verification_comment=comment,
        verified_at=timezone.now(),
    )


def not_reported(sar: SAR, code: str, participation: str, note: str) -> None:
    KPIResult.objects.filter(sar=sar, annex_kpi__code=code).update(
        participation=participation, participation_note=note
    )


def recompute(sar: SAR) -> None:
    agreement_scores_recompute(agreement_id=sar.agreement_id)


def fill_all(sar: SAR) -> None:
    enter(sar, "1.1", D(67))
    enter(sar, "1.2", steps=STEPS3)
    enter(sar, "2.1", D(17))
    enter(sar, "3.1", D("63.3"))
    enter(sar, "4.1", D(87), [True, True])


# The engine's scores of fill_all, computed here by the pure functions (DOMAIN.md §4).
SELF = {
    "1.1": scoring.score_outcome(D(67), T),
    "1.2": scoring.score_milestone(STEPS3),
    "2.1": scoring.score_outcome(D(17), LOWER, higher_is_better=False),
    "3.1": scoring.score_outcome(D("63.3"), T),
    "4.1": scoring.score_hybrid([True, True], D(87), (D(80), D(85), D(90))),
}
WEIGHTS = {"1.1": D(25), "1.2": D(20), "2.1": D(15), "3.1": D(20), "4.1": D(20)}
DIMENSION_OF = {"1.1": 1, "1.2": 1, "2.1": 2, "3.1": 3, "4.1": 4}


def four(value: Decimal) -> str:
    return f"{value.quantize(D('0.0001')):f}"


def weighted(weight, score) -> str:
    return four(scoring.weighted_contribution(weight, score, places=4))


@pytest.fixture
def sar(agreement) -> SAR:
    return open_sars(agreement)[6]


# --- Reading the card back ------------------------------------------------------------------------


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def page(client, sar: SAR):
    response = client.get(reverse("agreements:sar_card", args=[sar.pk]))
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def cells(doc, code: str) -> dict[str, str]:
    """The cells of a KPI's row by their first class: code, kpi-name, weight, self-score..."""
    (row,) = doc.xpath(f'//tr[@id="card-kpi-{code}"]')
    found = {}
    for cell in row.xpath("./th|./td"):
        name = (cell.get("class") or "").split()
        key = next((c for c in name if c not in ("num", "centre")), "")
        found.setdefault(key, text_of(cell))
    found["criteria"] = [text_of(c) for c in row.xpath(f"./td[{has('criteria')}]")]
    found["level-class"] = row.xpath(f"./td[{has('level-cell')}]")[0].get("class")
    found["row-class"] = row.get("class")
    return found


def by_id(doc, element_id: str) -> str:
    (element,) = doc.xpath(f'//*[@id="{element_id}"]')
    return text_of(element)


def has(name: str) -> str:
    """An XPath test for one class among several (contains() would take "self-total" for "total")."""
    return f'contains(concat(" ", @class, " "), " {name} ")'


def cell_in(doc, xpath: str) -> str:
    (element,) = doc.xpath(xpath)
    return text_of(element)


# --- The numbers ----------------------------------------------------------------------------------


def test_engine_examples_hold_before_the_card_is_checked_against_them():
    assert SELF["1.1"] == D("3.4000")
    assert scoring.score_outcome(D("63.3"), T) == D("2.6600")
    assert weighted(25, SELF["1.1"]) == "0.8500"


def test_card_shows_every_self_assessed_number_as_the_engine_computes_it(
    client, english, sar, cast
):
    fill_all(sar)
    recompute(sar)
    client.force_login(cast.planner)
    doc = page(client, sar)

    for code, score in SELF.items():
        row = cells(doc, code)
        assert row["weight"] == f"{WEIGHTS[code]}", code
        assert row["self-score"] == four(score), code
        assert row["self-weighted"] == weighted(WEIGHTS[code], score), code
        assert row["verified-score"] == "—", code
        assert row["verified-weighted"] == "—", code
        level = int(score)
        assert row["level-cell"] == str(level), code
        assert f"level-{level}" in row["level-class"], code
    total = scoring.weighted_score((WEIGHTS[c], s) for c, s in SELF.items())
    assert total == D("3.4020")
    assert cell_in(doc, f"//td[{has('self-total')}]") == "3.4020"
    assert cell_in(doc, f"//td[{has('verified-total')}]") == "—"
    assert cell_in(doc, f"//td[{has('total-weight')}]") == "100"
    # Each dimension's subtotal, and its weight this round.
    for number in (1, 2, 3, 4):
        codes = [c for c, n in DIMENSION_OF.items() if n == number]
        subtotal = scoring.weighted_score((WEIGHTS[c], SELF[c]) for c in codes)
        xpath = f'//tbody[@id="card-dimension-{number}"]/tr[@class="dimension"]'
        assert cell_in(doc, f"{xpath}/td[{has('self-subtotal')}]") == four(subtotal)
        assert cell_in(doc, f"{xpath}/td[{has('dimension-weight')}]") == str(
            sum(WEIGHTS[c] for c in codes)
        )
    # The hand-recomputation line: Σ(weight × score) ÷ Σ weight = total.
    products = sum(WEIGHTS[c] * SELF[c] for c in SELF)
    assert f"Self-assessed: {products.normalize():f} ÷ 100 = 3.4020." in by_id(
        doc, "sar-card-footnote"
    )
    assert "Σ(weight × score) ÷ Σ weight" in by_id(doc, "sar-card-footnote")


def test_card_shows_the_criteria_results_and_the_level_reached(client, english, sar, cast):
    fill_all(sar)
    recompute(sar)
    client.force_login(cast.planner)
    doc = page(client, sar)

    outcome = cells(doc, "1.1")
    assert outcome["criteria"] == ["55", "60", "65", "70", "75"]
    assert outcome["result"] == "67"
    assert outcome["unit"] == "percent"
    reached = doc.xpath(f'//tr[@id="card-kpi-1.1"]/td[{has("reached")}]')
    assert [text_of(c) for c in reached] == ["65"]
    assert "level-3" in reached[0].get("class")
    milestone = cells(doc, "1.2")
    assert milestone["criteria"][0] == "จัดทำแผนการพัฒนาระบบ"
    assert milestone["result"] == "steps 1, 2, 3 of 5"
    lower = cells(doc, "2.1")
    assert lower["criteria"] == ["30", "25", "20", "15", "10"]
    assert "lower is better" in lower["kpi-name"]
    hybrid = cells(doc, "4.1")
    assert hybrid["criteria"] == ["จัดทำแผนพัฒนาบุคลากร", "ดำเนินการตามแผน", "80", "85", "90"]
    assert hybrid["result"] == "steps 1, 2 of 2 · 87"
    # The legend prints each level's number beside its colour.
    legend = doc.xpath(f'//ul[@class="sar-card-legend"]/li/span[{has("swatch")}]')
    assert [text_of(s) for s in legend] == ["0", "1", "2", "3", "4", "5", "—"]


def test_card_header_names_the_organisation_year_round_dates_and_states(client, english, sar, cast):
    fill_all(sar)
    recompute(sar)
    client.force_login(cast.planner)
    response = client.get(reverse("agreements:sar_card", args=[sar.pk]))
    doc = lxml_html.fromstring(response.content.decode())
    heading = by_id(doc, "card-heading")
    assert heading == "e-SAR card of Department of Health"
    facts = text_of(doc.xpath(f"//dl[{has('sar-card-facts')}]")[0])
    assert format_date(sar.round.period_end, "long", "en") in facts
    assert format_date(sar.deadline, "long", "en") in facts
    assert "Open for entry" in facts
    assert "(DOH)" in facts
    assert by_id(doc, "card-score-status").startswith("Self-assessed only")
    assert "2552" in text_of(doc.xpath('//p[@class="lead mb-0"]')[0])
    assert doc.xpath('//*[@id="card-stale"]') == []
    pdf_link = doc.xpath('//a[@id="card-pdf-button"]')[0].get("href")
    assert pdf_link == reverse("agreements:sar_card_pdf", args=[sar.pk])


def test_kpi_not_reported_shares_its_weight_and_the_card_says_why(client, english, sar, cast):
    fill_all(sar)
    note = "เริ่มเก็บข้อมูลในรอบ 9 เดือน"
    not_reported(sar, "1.2", Participation.NOT_STARTED, note)
    recompute(sar)
    client.force_login(cast.planner)
    doc = page(client, sar)

    active = [c for c in WEIGHTS if c != "1.2"]
    shared = scoring.renormalised_weights(WEIGHTS, active)
    assert shared == {"1.1": D("31.25"), "2.1": D("18.75"), "3.1": D(25), "4.1": D(25)}
    for code in active:
        row = cells(doc, code)
        assert row["weight"] == f"{shared[code].normalize():f}", code
        assert row["agreed-weight"] == f"{WEIGHTS[code]}", code
        assert row["self-weighted"] == weighted(shared[code], SELF[code]), code
    gone = cells(doc, "1.2")
    assert (gone["weight"], gone["agreed-weight"]) == ("—", "20")
    assert gone["self-score"] == gone["self-weighted"] == "—"
    assert "not-reported" in gone["row-class"]
    assert "Starts in a later round" in gone["kpi-name"]
    total = scoring.weighted_score((shared[c], SELF[c]) for c in active)
    assert cell_in(doc, f"//td[{has('self-total')}]") == four(total)
    assert cell_in(doc, f"//td[{has('total-weight')}]") == "100"
    # Dimension 1 keeps only 1.1 this round.
    dimension = '//tbody[@id="card-dimension-1"]/tr[@class="dimension"]'
    assert cell_in(doc, f"{dimension}/td[{has('dimension-weight')}]") == "31.25"
    assert cell_in(doc, f"{dimension}/td[{has('dimension-agreed-weight')}]") == "45"
    notes = by_id(doc, "sar-card-notes")
    assert (
        "1.2 is not reported in this round (Starts in a later round). Its weight of 20 was "
        "shared among the other KPIs reported in this round in proportion to their weights. " + note
    ) in notes
    assert "1 KPI is not reported in this round" in by_id(doc, "card-renormalised")


def composite_sar(agreement) -> SAR:
    """The agreement with a composite KPI 1.3 (weight 10) of 1.3.1 (60) and 1.3.2 (40)."""
    version = latest(agreement)
    common = {"version": version, "dimension_number": 1, "dimension_name_th": "มิติด้านประสิทธิผล"}
    AgreementKPIFactory(
        **common,
        code="1.3",
        name_th="ดัชนีความสำเร็จของการดำเนินงานด้านอนามัยสิ่งแวดล้อม",
        weight=10,
        criteria_type=CriteriaType.COMPOSITE,
        threshold_1=None,
        threshold_2=None,
        threshold_3=None,
        threshold_4=None,
        threshold_5=None,
        order=900,
    )
    AgreementKPIFactory(**common, code="1.3.2", weight=40, composite_code="1.3", order=902)
    AgreementKPIFactory(**common, code="1.3.1", weight=60, composite_code="1.3", order=901)
    return open_sars(agreement)[6]


def test_composite_kpi_shows_its_sub_kpis_indented_with_their_weights(
    client, english, agreement, cast
):
    sar = composite_sar(agreement)
    assert not KPIResult.objects.filter(sar=sar, annex_kpi__code="1.3").exists()
    fill_all(sar)
    enter(sar, "1.3.1", D(70))
    enter(sar, "1.3.2", D(58))
    recompute(sar)
    client.force_login(cast.planner)
    doc = page(client, sar)

    part1, part2 = scoring.score_outcome(D(70), T), scoring.score_outcome(D(58), T)
    composite = scoring.score_composite([(60, part1), (40, part2)])
    assert composite == D("3.0400")
    parent = cells(doc, "1.3")
    assert parent["self-score"] == "3.0400"
    assert parent["self-weighted"] == weighted(10, composite) == "0.3040"
    assert parent["criteria"] == ["Scored from its sub-KPIs"]
    assert parent["level-cell"] == "3"
    first, second = cells(doc, "1.3.1"), cells(doc, "1.3.2")
    assert (first["weight"], first["self-score"], first["self-weighted"]) == ("60", "4.0000", "—")
    assert (second["weight"], second["self-score"]) == ("40", "1.6000")
    assert "sub" in first["row-class"].split()
    assert "part of 1.3" in first["kpi-name"]
    # The sub-KPIs follow their composite KPI, in code order.
    codes = doc.xpath(f'//tbody[@id="card-dimension-1"]/tr[{has("kpi")}]/@data-code')
    assert codes == ["1.1", "1.2", "1.3", "1.3.1", "1.3.2"]
    weights = {**WEIGHTS, "1.3": D(10)}
    scores = {**SELF, "1.3": composite}
    total = scoring.weighted_score((weights[c], scores[c]) for c in weights)
    assert cell_in(doc, f"//td[{has('self-total')}]") == four(total)
    assert cell_in(doc, f"//td[{has('total-weight')}]") == "110"


def test_composite_kpi_without_a_reported_sub_kpi_gives_its_weight_away(
    client, english, agreement, cast
):
    sar = composite_sar(agreement)
    fill_all(sar)
    not_reported(sar, "1.3.1", Participation.CANCELLED, "")
    not_reported(sar, "1.3.2", Participation.CANCELLED, "")
    recompute(sar)
    client.force_login(cast.planner)
    doc = page(client, sar)

    parent = cells(doc, "1.3")
    assert (parent["agreed-weight"], parent["weight"], parent["self-score"]) == ("10", "—", "—")
    assert "None of its sub-KPIs is reported in this round" in parent["kpi-name"]
    notes = by_id(doc, "sar-card-notes")
    assert "1.3 is not reported in this round (None of its sub-KPIs" in notes
    assert "1.3.1 is not reported in this round (Cancelled from this round)" in notes
    # The five KPIs share the weight of 1.3 (110 in all): the total is theirs alone.
    shared = scoring.renormalised_weights({**WEIGHTS, "1.3": 10}, list(WEIGHTS))
    for code in WEIGHTS:
        assert cells(doc, code)["weight"] == f"{shared[code].normalize():f}", code
    total = scoring.weighted_score((shared[c], SELF[c]) for c in WEIGHTS)
    assert cell_in(doc, f"//td[{has('self-total')}]") == four(total)


def test_adjusted_result_shows_both_values_the_mark_and_the_verified_column(
    client, english, sar, cast
):
    fill_all(sar)
    accept(sar, "1.2", "2.1", "3.1", "4.1")
    adjust(sar, "1.1", D(64), "เอกสารหลักฐานรองรับผลได้ร้อยละ 64")
    recompute(sar)
    client.force_login(cast.planner)
    doc = page(client, sar)

    verified = {**SELF, "1.1": scoring.score_outcome(D(64), T)}
    assert verified["1.1"] == D("2.8000")
    row = cells(doc, "1.1")
    assert row["result"] == "67 adjusted to 64"
    assert row["self-score"] == "3.4000"
    assert row["verified-score"] == "2.8000"
    assert row["verified-weighted"] == weighted(25, verified["1.1"]) == "0.7000"
    assert row["level-cell"] == "2"  # the verified score decides the level
    assert row["kpi-name"].endswith("1")  # the footnote mark
    notes = by_id(doc, "sar-card-notes")
    assert (
        "1.1: the KPI owner adjusted the result from 67 to 64. "
        "Justification: เอกสารหลักฐานรองรับผลได้ร้อยละ 64"
    ) in notes
    for code in ("1.2", "2.1", "3.1", "4.1"):
        assert cells(doc, code)["verified-score"] == four(SELF[code]), code
    total = scoring.weighted_score((WEIGHTS[c], verified[c]) for c in WEIGHTS)
    assert cell_in(doc, f"//td[{has('verified-total')}]") == four(total)
    assert by_id(doc, "card-score-status").startswith("Verified, awaiting approval")


def test_stale_score_is_shown_as_stale(client, english, sar, cast):
    fill_all(sar)
    recompute(sar)
    SAR.objects.filter(pk=sar.pk).update(inputs_revision=F("inputs_revision") + 1)
    client.force_login(cast.planner)
    doc = page(client, sar)

    stale = by_id(doc, "card-stale")
    assert stale.startswith("Stale · These scores were computed on")
    assert "A recompute is queued" in stale
    # The stored numbers still show, marked as stale above them.
    assert cells(doc, "1.1")["self-score"] == "3.4000"


def test_card_before_any_recompute_says_no_score_yet(client, english, sar, cast):
    fill_all(sar)
    client.force_login(cast.planner)
    doc = page(client, sar)

    assert by_id(doc, "card-stale").startswith("Stale · No score has been computed")
    assert by_id(doc, "card-score-status").startswith("Not computed yet")
    row = cells(doc, "1.1")
    assert (row["agreed-weight"], row["weight"]) == ("25", "—")
    assert (row["self-score"], row["level-cell"]) == ("—", "—")
    assert cell_in(doc, f"//td[{has('self-total')}]") == "—"


# --- Official scores, through the real services ----------------------------------------------------


@dataclass
class People:
    collector: User
    head: User
    owner: User


@pytest.fixture
def people(tree) -> People:
    return People(
        collector=make_person(tree.department, Role.DATA_COLLECTOR, username="card_collector"),
        head=make_person(tree.department, Role.UNIT_HEAD, username="card_head"),
        owner=make_person(tree.department, Role.KPI_OWNER, username="card_owner"),
    )


def test_approved_sar_shows_official_scores(client, english, sar, cast, people):
    entries = {
        "1.1": (D(67), []),
        "1.2": (None, STEPS3),
        "2.1": (D(17), []),
        "3.1": (D("63.3"), []),
        "4.1": (D(87), [True, True]),
    }
    results = {r.annex_kpi.code: r for r in sar.results.select_related("annex_kpi")}
    for code, (value, steps) in entries.items():
        services.kpi_result_update(
            actor=people.collector, result=results[code], value=value, steps_done=steps
        )
    services.sar_act(actor=people.head, sar=sar, action="submit")
    for code in entries:
        result = KPIResult.objects.get(pk=results[code].pk)
        services.kpi_result_verify(actor=people.owner, result=result, decision="accept")
    sar.refresh_from_db()
    assert sar.state == SARState.VERIFIED
    services.sar_act(actor=cast.planner, sar=sar, action="approve")
    recompute(sar)
    client.force_login(people.collector)
    doc = page(client, sar)

    assert by_id(doc, "card-score-status").startswith("Official: verified and approved")
    assert cell_in(doc, f"//td[{has('verified-total')}]") == "3.4020"
    assert cell_in(doc, f"//td[{has('self-total')}]") == "3.4020"
    assert "Approved" in text_of(doc.xpath(f"//dl[{has('sar-card-facts')}]")[0])


# --- Queries --------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 20])
def test_card_queries_do_not_grow_with_the_number_of_kpis(
    client, agreement, cast, extra, django_assert_num_queries
):
    version = latest(agreement)
    for index in range(extra):
        AgreementKPIFactory(version=version, code=f"1.{index + 10}", weight=1, order=500 + index)
    sar = open_sars(agreement)[6]
    fill_all(sar)
    for index in range(extra):
        enter(sar, f"1.{index + 10}", D(60 + index % 15))
    recompute(sar)
    assert AgreementKPI.objects.filter(version=version).count() == 5 + extra
    client.force_login(cast.planner)
    url = reverse("agreements:sar_card", args=[sar.pk])
    client.get(url)  # the session and the menu settle on the first request
    with django_assert_num_queries(CARD_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    rows = lxml_html.fromstring(response.content.decode()).xpath(f"//tr[{has('kpi')}]")
    assert len(rows) == 5 + extra


# Session, user, memberships for the menu and the scope, the SAR, then the card's five reads.
CARD_QUERIES = 9


def test_card_context_reads_a_fixed_number_of_queries(sar, django_assert_num_queries):
    fill_all(sar)
    recompute(sar)
    loaded = SAR.objects.select_related(
        "agreement__organisation", "agreement__fiscal_year", "agreement__framework", "round"
    ).get(pk=sar.pk)
    loaded.version  # noqa: B018 - joined by sars_visible_to in the views
    with django_assert_num_queries(5):
        context = sar_card_context(loaded)
    assert [line.code for d in context["dimensions"] for line in d.lines] == list(WEIGHTS)


def test_card_order_puts_sub_kpis_after_their_composite_kpi():
    rows = [
        AgreementKPI(code="1.10", dimension_number=1),
        AgreementKPI(code="1.2.1", dimension_number=1, composite_code="1.2"),
        AgreementKPI(code="2.1", dimension_number=2),
        AgreementKPI(code="1.2", dimension_number=1),
        AgreementKPI(code="1.9", dimension_number=1),
    ]
    assert [r.code for r in card_order(rows)] == ["1.2", "1.2.1", "1.9", "1.10", "2.1"]


# --- The PDF --------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-q", "-", "-"], input=content, capture_output=True, check=True
    )
    return done.stdout.decode()


def test_pdf_is_a_one_page_landscape_download_with_thai_names_and_the_total(client, sar, cast):
    fill_all(sar)
    recompute(sar)
    client.force_login(cast.planner)
    response = client.get(reverse("agreements:sar_card_pdf", args=[sar.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="e-sar-card-DOH-2552-6m.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(response.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    text = pdf_text(response.content)
    squashed = "".join(text.split())
    for name in (
        "ร้อยละของเด็กอายุ 0-5 ปี มีพัฒนาการสมวัย",
        "ระดับความสำเร็จของการพัฒนาระบบเฝ้าระวังโภชนาการ",
        "ร้อยละของการเบิกจ่ายงบประมาณ",
    ):
        assert "".join(name.split()) in squashed, name
    assert "3.4020" in text
    assert "3.4000" in text
    assert "0.8500" in text
    assert "หน้า 1 / 1" in text


def test_pdf_follows_the_request_language_and_shows_a_stale_score(client, english, sar, cast):
    fill_all(sar)
    recompute(sar)
    SAR.objects.filter(pk=sar.pk).update(inputs_revision=F("inputs_revision") + 1)
    client.force_login(cast.planner)
    response = client.get(reverse("agreements:sar_card_pdf", args=[sar.pk]))

    text = pdf_text(response.content)
    assert "e-SAR card of Department of Health" in text
    assert "KPI 1.1" in text
    assert "STALE" in text
    assert "3.4020" in text
    assert "Page 1 / 1" in text


def test_pdf_too_long_for_one_page_runs_on_with_page_numbers(client, agreement, cast):
    version = latest(agreement)
    for index in range(45):
        AgreementKPIFactory(version=version, code=f"1.{index + 10}", weight=1, order=500 + index)
    sar = open_sars(agreement)[6]
    fill_all(sar)
    recompute(sar)
    client.force_login(cast.planner)
    response = client.get(reverse("agreements:sar_card_pdf", args=[sar.pk]))

    reader = PdfReader(BytesIO(response.content))
    assert len(reader.pages) == 2
    assert "หน้า 2 / 2" in pdf_text(response.content)


def test_pdf_of_twenty_kpis_fits_one_landscape_page(client, agreement, cast):
    version = latest(agreement)
    for index in range(15):
        AgreementKPIFactory(
            version=version,
            code=f"{1 + index % 4}.{index + 10}",
            dimension_number=1 + index % 4,
            name_th=f"ร้อยละของหน่วยบริการที่ผ่านเกณฑ์มาตรฐานการให้บริการด้านอนามัย ข้อ {index}",
            weight=2,
            order=500 + index,
        )
    sar = open_sars(agreement)[6]
    fill_all(sar)
    for index in range(15):
        enter(sar, f"{1 + index % 4}.{index + 10}", D(58 + index))
    recompute(sar)
    client.force_login(cast.planner)
    response = client.get(reverse("agreements:sar_card_pdf", args=[sar.pk]))

    assert len(PdfReader(BytesIO(response.content)).pages) == 1
