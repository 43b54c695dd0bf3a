"""A committee member negotiates, the chair approves, both parties sign, the signed PDF downloads.

The issue's "done means": the agreement of the Department of Health for FY 2552 is in
negotiation; a member of its negotiation committee opens a round and raises the thresholds of
KPI 1.1 (the weights still reconcile) and records the agreement; the chair approves it with the
committee's resolution; the maker and the receiver each sign with their password; the signed PDF
(rendered on the commit of the second signature: Celery runs eagerly) downloads and carries the
Thai KPI names and the content hash the page shows; the verify page calls it the signed original.

Controls of the agreement pages are found by their ids and names, the text checked is Thai.
"""

import re
import subprocess
import unicodedata
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Page, expect

from agreements import services
from agreements.enums import AgreementState
from agreements.models import Agreement, Signature
from governance.enums import CommitteePosition, Role
from kpis.enums import FrameworkState
from tests.agreements.conftest import KPIS, add_kpi
from tests.browser.test_kpi_journey import log_in, log_out
from tests.conftest import PASSWORD, make_person
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    FiscalYearFactory,
    FrameworkFactory,
    UserFactory,
)

ROUND_NOTE = "ปรับเกณฑ์ตัวชี้วัด 1.1 ให้สูงขึ้นตามข้อเสนอของคณะกรรมการ"
RESOLUTION = "ที่ประชุมคณะกรรมการเจรจาฯ ครั้งที่ 2/2552 มีมติเห็นชอบคำรับรองการปฏิบัติราชการ"
# 55/60/65/70/75 becomes 60/65/70/75/80: a threshold change, the weights stay as they were.
NEW_THRESHOLDS = ("60", "65", "70", "75", "80")
KPI_NAMES = [name for _code, _dimension, _weight, name, _criteria in KPIS]


def open_agreement(page: Page, base_url: str, agreement: Agreement) -> None:
    page.goto(base_url + agreement.get_absolute_url())
    expect(page.locator("#agreement-facts")).to_contain_text("กรมอนามัย")


def sign_with_password(
    page: Page,
    base_url: str,
    agreement: Agreement,
    username: str,
    *,
    press_twice: bool = False,
    screenshot: Path | None = None,
) -> str:
    """Log in, open the agreement, sign it; returns the content hash the sign page showed."""
    log_in(page, base_url, username)
    open_agreement(page, base_url, agreement)
    page.locator("#sign-button").click()
    expect(page).to_have_url(re.compile(rf"/agreements/{agreement.pk}/sign/$"))
    content_hash = page.locator("#content-sha256").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", content_hash)
    for name in KPI_NAMES:
        expect(page.get_by_role("cell", name=name, exact=True)).to_be_visible()
    page.locator("#sign-form input[name=password]").fill(PASSWORD)
    if screenshot is not None:
        page.screenshot(path=screenshot, full_page=True)
    button = page.locator("#sign-form [data-disable-on-submit]")
    if press_twice:
        # The first press disables the button (agreements.js), so a second press submits
        # nothing. Seen by a listener that runs after it and keeps the page from leaving.
        page.evaluate(
            "document.addEventListener('submit', (event) => {"
            " window.submits = (window.submits || 0) + 1; event.preventDefault(); })"
        )
        button.click()
        expect(button).to_be_disabled()
        button.dblclick(force=True)
        assert page.evaluate("window.submits") == 1
        page.reload()
        page.locator("#sign-form input[name=password]").fill(PASSWORD)
    button.click()
    expect(page).to_have_url(re.compile(rf"{agreement.get_absolute_url()}$"))
    return content_hash


def pdftotext(path: Path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *options, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def annex_name_column(path: Path) -> str:
    """The text of the annex's KPI column alone, read by pdftotext cropped to that column.

    A long name wraps inside its cell, and pdftotext reads a table row by row: the rest of the
    row (unit, weight, levels) would fall between the two halves of the name. Cropped to the
    column from the first code ("1.1") to the unit column ("ร้อยละ"), each name reads whole.
    """
    xhtml = "{http://www.w3.org/1999/xhtml}"
    words = [
        (word.text or "", float(word.get("xMin")), float(word.get("yMin")))
        for word in ElementTree.fromstring(pdftotext(path, "-bbox-layout")).iter(f"{xhtml}word")
    ]
    # Thai has no spaces between words, so pdftotext's "word" is the code and the whole name.
    code_x, code_y = next((x, y) for text, x, y in words if text.split()[:1] == ["1.1"])
    unit_x = min(x for text, x, y in words if text.strip() == "ร้อยละ" and abs(y - code_y) < 2)
    left = int(code_x) - 1
    return pdftotext(path, "-x", str(left), "-y", "0", "-W", str(int(unit_x) - left), "-H", "2000")


def squeezed(text: str) -> str:
    """Without white space, where a wrapped line broke a name; SARA AM as pdftotext may give it."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.django_db(transaction=True)
def test_member_negotiates_chair_approves_parties_sign_and_the_signed_pdf_downloads(
    live_server, page: Page, tree, screenshot_dir, tmp_path
):
    year = FiscalYearFactory(year=2552)
    planner = make_person(tree.department, Role.PLANNING, below=True, username="doh_planner")
    framework = FrameworkFactory(
        fiscal_year=year,
        organisation=tree.department,
        name_th="กรอบการประเมินผล กรมอนามัย 2552",
        state=FrameworkState.PUBLISHED,
    )
    for code, number, weight, name_th, criteria in KPIS:
        add_kpi(framework, code, number, weight, name_th, criteria)
    committee = CommitteeFactory(
        organisation=tree.department,
        name_th="คณะกรรมการเจรจาข้อตกลงและประเมินผล กรมอนามัย",
    )
    chair = UserFactory(username="chair", name_th="ศาสตราจารย์ประธาน กรรมการ")
    member = UserFactory(username="member", name_th="นางสาวกรรมการ เจรจา")
    CommitteeMemberFactory(committee=committee, user=chair, position=CommitteePosition.CHAIR)
    CommitteeMemberFactory(committee=committee, user=member, position=CommitteePosition.MEMBER)
    maker = UserFactory(
        username="maker",
        name_th="นายแพทย์ผู้ทำ คำรับรอง",
        position_th="อธิบดีกรมอนามัย",
    )
    receiver = UserFactory(
        username="receiver",
        name_th="นายแพทย์ผู้รับ คำรับรอง",
        position_th="ปลัดกระทรวงสาธารณสุข",
    )
    agreement = services.agreement_create(
        actor=planner,
        framework=framework,
        maker=maker,
        receiver=receiver,
        negotiation_committee=committee,
    )
    services.agreement_act(actor=planner, agreement=agreement, action="propose")
    services.agreement_act(actor=member, agreement=agreement, action="open_negotiation")
    base = live_server.url

    # 1. A member of the negotiation committee opens a round and raises KPI 1.1's thresholds.
    log_in(page, base, "member")
    open_agreement(page, base, agreement)
    page.locator("#round-note").fill(ROUND_NOTE)
    page.locator("#round-start-form button[type=submit]").click()
    open_agreement(page, base, agreement)
    page.locator('[id="annex-1.1"] a[href*="/annex/"]').click()
    form = page.locator("#annex-kpi-form")
    expect(form).to_be_visible()
    form.locator("input[name=target]").fill("70")
    for level, value in enumerate(NEW_THRESHOLDS, start=1):
        form.locator(f"input[name=threshold_{level}]").fill(value)
    form.locator("[type=submit]").click()
    expect(page.locator("#annex-kpi-form")).to_have_count(0)
    open_agreement(page, base, agreement)
    row = page.locator('[id="annex-1.1"]')
    for value in NEW_THRESHOLDS:
        expect(row).to_contain_text(value)
    page.locator("#act-agree button[type=submit]").click()
    expect(page.locator("#act-approve")).to_have_count(0)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.AGREED
    log_out(page, member.display_name)

    # 2. The chair approves with the committee's resolution, dated in the Buddhist era.
    log_in(page, base, "chair")
    open_agreement(page, base, agreement)
    page.locator("details.agreement-action summary").click()
    page.locator("#approve-resolution").fill(RESOLUTION)
    page.locator("#approve-resolution-date").fill("20/11/2551")
    page.locator("#act-approve button[type=submit]").click()
    expect(page.locator("#sign-button")).to_have_count(0)  # the chair is no party
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.APPROVED
    version = agreement.versions.order_by("-number").first()
    assert version.number == 2
    assert version.kind == "round"
    assert version.resolution == RESOLUTION
    assert [str(t) for t in version.content["kpis"][0]["thresholds"]] == list(NEW_THRESHOLDS)
    log_out(page, chair.display_name)

    # 3. The maker signs; the agreement waits for the receiver.
    maker_hash = sign_with_password(page, base, agreement, "maker", press_twice=True)
    expect(page.locator("#signature-maker")).to_contain_text("นายแพทย์ผู้ทำ คำรับรอง")
    # A signed line carries the time of signing; the receiver's has none yet.
    expect(page.locator("#signature-maker time")).to_have_count(1)
    expect(page.locator("#signature-receiver time")).to_have_count(0)
    assert Signature.objects.filter(version=version).count() == 1
    log_out(page, maker.display_name)

    # 4. The receiver signs: the agreement is signed and its PDF rendered on the commit.
    receiver_hash = sign_with_password(
        page, base, agreement, "receiver", screenshot=screenshot_dir / "agreement-sign.png"
    )
    assert maker_hash == receiver_hash == version.content_sha256
    expect(page.locator("#signature-receiver")).to_contain_text("นายแพทย์ผู้รับ คำรับรอง")
    expect(page.locator("#signature-receiver time")).to_have_count(1)
    shown_hash = page.locator("#signatures").locator("xpath=..").locator("code").inner_text()
    assert shown_hash.strip() == version.content_sha256
    assert Signature.objects.filter(version=version).count() == 2
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SIGNED
    pdf_link = page.locator(f"#version-{version.number} a[href$='/pdf/']")
    expect(pdf_link).to_be_visible()
    page.screenshot(path=screenshot_dir / "agreement-signed.png", full_page=True)

    # 5. The signed PDF downloads; its text has the Thai KPI names and the hash on the page.
    with page.expect_download() as download_info:
        pdf_link.click()
    download = download_info.value
    assert download.suggested_filename == f"agreement-DOH-2552-v{version.number}.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = pdftotext(path)
    # The footer reads "ค่าแฮช SHA-256 ของเนื้อหา: <hash>" in Thai.
    assert f"SHA-256 ของเนื้อหา: {version.content_sha256}" in text
    assert "กรมอนามัย" in text
    names = squeezed(annex_name_column(path))
    for code, name in zip(("1.1", "1.2", "2.1", "3.1", "4.1"), KPI_NAMES, strict=True):
        assert squeezed(f"{code} {name}") in names

    # 6. The verify page calls the downloaded file the signed original.
    page.goto(base + "/verify/")
    page.locator("#verify-form input[type=file]").set_input_files(path)
    page.locator("#verify-form [type=submit]").click()
    result = page.locator(".verify-result")
    expect(result).to_have_class(re.compile(r"\bverify-original\b"))
    expect(result).to_contain_text("กรมอนามัย")
    expect(result).to_contain_text("นายแพทย์ผู้ทำ คำรับรอง")
    expect(result).to_contain_text("นายแพทย์ผู้รับ คำรับรอง")
    expect(result).to_contain_text(version.content_sha256)
    page.screenshot(path=screenshot_dir / "agreement-verify.png", full_page=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(path), str(screenshot_dir / "agreement-pdf")],
        check=True,
    )


@pytest.mark.django_db(transaction=True)
def test_ceremony_page_follows_the_signing_live_and_stops_polling_when_done(
    live_server, page: Page, tree, screenshot_dir
):
    """The progress fragment polls every 2 s: signatures given meanwhile appear without a reload."""
    year = FiscalYearFactory(year=2552)
    planner = make_person(tree.department, Role.PLANNING, below=True, username="doh_planner")
    framework = FrameworkFactory(
        fiscal_year=year, organisation=tree.department, state=FrameworkState.PUBLISHED
    )
    for code, number, weight, name_th, criteria in KPIS:
        add_kpi(framework, code, number, weight, name_th, criteria)
    committee = CommitteeFactory(organisation=tree.department)
    chair = UserFactory(username="chair")
    CommitteeMemberFactory(committee=committee, user=chair, position=CommitteePosition.CHAIR)
    maker = UserFactory(username="maker", name_th="นายแพทย์ผู้ทำ คำรับรอง", position_th="อธิบดี")
    receiver = UserFactory(username="receiver", name_th="นายแพทย์ผู้รับ คำรับรอง", position_th="ปลัด")
    agreement = services.agreement_create(
        actor=planner,
        framework=framework,
        maker=maker,
        receiver=receiver,
        negotiation_committee=committee,
    )
    for actor, action in ((planner, "propose"), (chair, "open_negotiation"), (chair, "agree")):
        services.agreement_act(actor=actor, agreement=agreement, action=action)
    services.agreement_act(
        actor=chair,
        agreement=agreement,
        action="approve",
        resolution=RESOLUTION,
        resolution_date=date(2008, 11, 20),
    )
    ceremony = services.ceremony_create(
        actor=planner,
        fiscal_year=year,
        organisation=tree.department,
        name_th="พิธีลงนามคำรับรองการปฏิบัติราชการ กรมอนามัย ปีงบประมาณ พ.ศ. 2552",
        held_on=date(2008, 11, 28),
        agreements=[agreement],
    )

    log_in(page, live_server.url, "doh_planner")
    page.goto(live_server.url + ceremony.get_absolute_url())
    progress = page.locator("#ceremony-progress")
    expect(progress).to_have_attribute("hx-trigger", "every 2s")
    expect(page.locator("#ceremony-signed")).to_have_attribute("value", "0")
    expect(page.locator(f"#ceremony-agreement-{agreement.pk} .party-maker")).to_contain_text(
        "นายแพทย์ผู้ทำ คำรับรอง"
    )

    # Both parties sign elsewhere (their own sessions); the PDF is rendered on the commit.
    for person in (maker, receiver):
        services.agreement_sign(
            actor=person, agreement=agreement, password=PASSWORD, ip_address=None, user_agent=""
        )

    expect(page.locator("#ceremony-signed")).to_have_attribute("value", "1", timeout=10_000)
    expect(page.locator("#ceremony-rendered")).to_have_attribute("value", "1")
    # Done: the fragment came back without its trigger, so the polling has stopped.
    expect(progress).not_to_have_attribute("hx-trigger", re.compile(".*"))
    pdf_link = page.locator(f"#ceremony-agreement-{agreement.pk} a[href$='/pdf/']")
    expect(pdf_link).to_be_visible()
    page.screenshot(path=screenshot_dir / "agreement-ceremony.png", full_page=True)
