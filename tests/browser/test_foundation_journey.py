"""A unit head logs in in Thai, switches to English and browses the organisation tree."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from governance.enums import Role
from tests.conftest import PASSWORD, make_person
from tests.factories import FiscalYearFactory


@pytest.mark.django_db(transaction=True)
def test_unit_head_logs_in_in_thai_switches_to_english_and_sees_the_tree(
    live_server, page: Page, tree, screenshot_dir
):
    make_person(tree.planning_unit, Role.UNIT_HEAD, username="head")
    FiscalYearFactory(year=2552)
    today_be = timezone.localdate().year + 543

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "th")
    page.get_by_label("ชื่อผู้ใช้").fill("head")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ยินดีต้อนรับ")
    # Buddhist-era dates: today, and the 6-month round of FY 2552 ending 31 March 2009.
    expect(page.locator("main")).to_contain_text(str(today_be))
    expect(page.locator("main")).to_contain_text("31 มี.ค. 2552")
    page.screenshot(path=screenshot_dir / "foundation-home-th.png", full_page=True)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.get_by_role("link", name="Organisations").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation tree")
    tree_view = page.get_by_role("tree")
    expect(tree_view).to_contain_text("Ministry of Public Health")
    expect(tree_view).to_contain_text("Department of Health")
    expect(tree_view).to_contain_text("Planning Division")
    expect(tree_view).not_to_contain_text("Ministry of Finance")
    page.screenshot(path=screenshot_dir / "foundation-tree-en.png", full_page=True)

    # The choice persists: a new page load is still English.
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
