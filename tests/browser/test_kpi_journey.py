"""A planner builds a framework and a KPI, its owner fills the template, the planner approves it.

The whole journey runs in Thai, as the people of a department make it: the login form, the menu,
the weight reconciliation, the "target ± step" shorthand, the what-if calculator and the review.
"""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from governance.enums import Role
from tests.conftest import PASSWORD, make_person
from tests.factories import FiscalYearFactory

FRAMEWORK_NAME = "กรอบการประเมินผลการปฏิบัติราชการของกรมอนามัย ปีงบประมาณ พ.ศ. 2552"
KPI_NAME = "ร้อยละความสำเร็จของการดำเนินงานตามแผนปฏิบัติราชการประจำปีของกรมอนามัย"
DEFINITION = (
    "ร้อยละของโครงการตามแผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2552 ของกรมอนามัย "
    "ที่ดำเนินการแล้วเสร็จตามเป้าหมายที่กำหนดไว้ภายในสิ้นปีงบประมาณ"
)


def labelled(scope: Page | Locator, text: str) -> Locator:
    """The control whose label reads `text`, with or without the required-field asterisk."""
    # Playwright matches a regex against the label's raw text, newlines and spaces included.
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$"))


def choose(select: Locator, text: str) -> None:
    """Pick an option by the words it shows (organisations are indented with no-break spaces)."""
    option = select.get_by_role("option", name=text)
    expect(option).to_have_count(1)
    select.select_option(value=option.get_attribute("value"))


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ยินดีต้อนรับ")


def log_out(page: Page, display_name: str) -> None:
    page.get_by_role("button", name=display_name).click()
    page.get_by_role("button", name="ออกจากระบบ").click()
    expect(page.get_by_role("button", name="เข้าสู่ระบบ")).to_be_visible()


def open_framework_list(page: Page) -> None:
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role(
        "link", name="กรอบการประเมินผลตัวชี้วัด"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("กรอบการประเมินผลตัวชี้วัด")


def open_framework(page: Page) -> None:
    open_framework_list(page)
    page.get_by_role("link", name=FRAMEWORK_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FRAMEWORK_NAME)


def open_template(page: Page) -> None:
    open_framework(page)
    page.get_by_role("row", name=re.compile(r"^1 ")).get_by_role("link", name="ฉบับที่ 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"ตัวชี้วัด 1 {KPI_NAME}")


def reconciliation_row(page: Page, number: int) -> Locator:
    """The line of dimension `number` in the weight reconciliation panel."""
    panel = page.get_by_role("region", name=re.compile("การตรวจสอบความลงตัวของน้ำหนัก"))
    return panel.get_by_role("row", name=re.compile(rf"^{number}\. "))


def expect_message(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def expect_state(page: Page, state: str) -> None:
    """The state badge at the top of the template sheet."""
    expect(page.get_by_role("article").get_by_text(state, exact=True)).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_planner_builds_a_framework_owner_fills_the_template_and_planner_approves_it(
    live_server, page: Page, tree, screenshot_dir
):
    FiscalYearFactory(year=2552)
    planner = make_person(tree.department, Role.PLANNING, below=True, username="doh_planner")
    owner = make_person(tree.planning_unit, Role.KPI_OWNER, username="plan_owner")

    # 1. The planning officer creates the framework and its first KPI.
    log_in(page, live_server.url, "doh_planner")
    open_framework_list(page)
    page.get_by_role("link", name="กรอบการประเมินผลใหม่").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("กรอบการประเมินผลใหม่")
    choose(labelled(page, "ปีงบประมาณ"), "2552")
    choose(labelled(page, "หน่วยงาน"), "กรมอนามัย")
    labelled(page, "ชื่อ (ภาษาไทย)").fill(FRAMEWORK_NAME)
    page.get_by_role("button", name="สร้างกรอบการประเมินผล").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(FRAMEWORK_NAME)
    expect_message(page, "สร้างกรอบการประเมินผลพร้อม 4 มิติ (45/15/20/20) เรียบร้อยแล้ว")
    for number, name, weight in (
        (1, "มิติด้านประสิทธิผล", 45),
        (2, "มิติด้านคุณภาพการให้บริการ", 15),
        (3, "มิติด้านประสิทธิภาพ", 20),
        (4, "มิติด้านการพัฒนาองค์กร", 20),
    ):
        expect(page.get_by_role("heading", level=2, name=f"มิติที่ {number}: {name}")).to_contain_text(
            f"น้ำหนัก {weight}"
        )
        expect(reconciliation_row(page, number)).to_contain_text(f"{number}. {name}")
        expect(reconciliation_row(page, number)).to_contain_text(f"ขาด {weight}")
    reconciliation = page.get_by_role("region", name=re.compile("การตรวจสอบความลงตัวของน้ำหนัก"))
    expect(reconciliation).to_contain_text("น้ำหนักไม่ลงตัว")
    expect(reconciliation).to_contain_text("ต้องแก้ไขก่อนประกาศใช้:")
    page.screenshot(path=screenshot_dir / "kpi-framework-new.png", full_page=True)

    page.get_by_role("group", name="เครื่องมือสำหรับกรอบการประเมินผล").get_by_role(
        "link", name="เพิ่มตัวชี้วัด"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("เพิ่มตัวชี้วัด")
    labelled(page, "รหัส").fill("1")
    labelled(page, "ชื่อ (ภาษาไทย)").fill(KPI_NAME)
    labelled(page, "หน่วยวัด (ภาษาไทย)").fill("ร้อยละ")
    choose(labelled(page, "มิติ"), "มิติด้านประสิทธิผล")
    labelled(page, "น้ำหนัก").fill("45")
    choose(labelled(page, "หน่วยงานเจ้าภาพ"), "กองแผนงาน")
    page.get_by_role("button", name="บันทึก", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(FRAMEWORK_NAME)
    expect_message(page, "เพิ่มตัวชี้วัดพร้อมรายละเอียดตัวชี้วัดว่างให้เจ้าภาพกรอกเรียบร้อยแล้ว")
    expect(reconciliation_row(page, 1)).to_contain_text("ลงตัว")
    expect(reconciliation_row(page, 1)).not_to_contain_text("ขาด")
    expect(reconciliation_row(page, 2)).to_contain_text("ขาด 15")
    kpi_row = page.get_by_role("row", name=re.compile(r"^1 "))
    expect(kpi_row).to_contain_text(KPI_NAME)
    expect(kpi_row).to_contain_text("กผ.")
    expect(kpi_row).to_contain_text("ร่าง")
    page.screenshot(path=screenshot_dir / "kpi-framework.png", full_page=True)
    log_out(page, planner.display_name)

    # 2. The KPI owner of กองแผนงาน fills the template, tries the calculator and submits it.
    log_in(page, live_server.url, "plan_owner")
    open_template(page)
    page.get_by_role("link", name="แก้ไขรายละเอียดตัวชี้วัด").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"ตัวชี้วัด 1 {KPI_NAME}")
    labelled(page, "คำนิยาม").fill(DEFINITION)
    choose(labelled(page, "ประเภทเกณฑ์การให้คะแนน"), "ผลลัพธ์ (ค่าเกณฑ์)")
    labelled(page, "ค่าเป้าหมาย").fill("65")
    labelled(page, "ช่วงห่างระหว่างระดับ").fill("5")
    page.get_by_role("button", name="บันทึกร่าง").click()

    expect_message(page, "บันทึกร่างเรียบร้อยแล้ว")
    expect_state(page, "ร่าง")
    expect(page.get_by_role("region", name="คำนิยาม")).to_contain_text(DEFINITION)
    criteria = page.get_by_role("region", name="เกณฑ์การให้คะแนน")
    for level, threshold in zip(range(1, 6), (55, 60, 65, 70, 75), strict=True):
        expect(criteria.get_by_role("row", name=re.compile(rf"^{level}\b"))).to_contain_text(
            str(threshold)
        )
    expect(criteria).to_contain_text("กำหนดเป็นค่าเป้าหมาย 65 ± 5 ต่อระดับ")

    page.get_by_role("link", name="แก้ไขรายละเอียดตัวชี้วัด").click()
    calculator = page.get_by_role("region", name="ทดลองคำนวณคะแนน")
    output = calculator.get_by_role("status")
    result = calculator.get_by_label(re.compile(r"^\s*ผลการดำเนินงาน"))
    result.fill("63.3")
    expect(output).to_contain_text("2.6600")
    expect(output).to_contain_text("ระดับที่ได้: 2")
    result.fill("67")
    expect(output).to_contain_text("3.4000")
    expect(output).to_contain_text("ระดับที่ได้: 3")
    expect(output).to_contain_text("3 + (67 − 65) / (70 − 65) = 3.4000")
    page.screenshot(path=screenshot_dir / "kpi-template-edit-what-if.png", full_page=True)
    page.get_by_role("button", name="บันทึกและส่งพิจารณา").click()

    expect_message(page, "บันทึกรายละเอียดตัวชี้วัดและส่งพิจารณาเรียบร้อยแล้ว")
    expect_state(page, "ส่งพิจารณาแล้ว")
    # Under review, the owner can no longer change it.
    expect(page.get_by_role("link", name="แก้ไขรายละเอียดตัวชี้วัด")).to_have_count(0)
    log_out(page, owner.display_name)

    # 3. The planning officer approves the template.
    log_in(page, live_server.url, "doh_planner")
    open_template(page)
    review = page.get_by_role("region", name="การพิจารณา")
    review.get_by_role("button", name="อนุมัติ", exact=True).click()

    expect_message(page, "รายละเอียดตัวชี้วัดเปลี่ยนสถานะเป็น “อนุมัติแล้ว” แล้ว")
    expect_state(page, "อนุมัติแล้ว")
    expect(review.get_by_role("button", name="อนุมัติ", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="แก้ไขรายละเอียดตัวชี้วัด")).to_have_count(0)
    history = page.get_by_role("region", name="ประวัติ")
    expect(history).to_contain_text("ส่งพิจารณาแล้ว")
    expect(history).to_contain_text("อนุมัติแล้ว")
    page.screenshot(path=screenshot_dir / "kpi-template-approved.png", full_page=True)
