"""The demo year's tables: the Department of Health's tree, people, committees and calendar.

ILLUSTRATIVE data. It follows the deck of the Department of Health's PMQA steering-committee
meeting of 22 December 2551 (shared/seed, DOMAIN.md §10); where the deck gives only an
abbreviation or no date, the comments say what was filled in. The people are invented.
"""

from datetime import date
from typing import NamedTuple

from governance.enums import CommitteeKind, CommitteePosition, OrganisationKind, Role

DEMO_YEAR = 2552
DEMO_PASSWORD = "demo1234"
DEMO_EMAIL_DOMAIN = "anamai.example.go.th"
# The deck's point of view: calendar steps due before this meeting are loaded as done.
DECK_MEETING_DAY = date(2008, 12, 22)

GOVERNMENT = OrganisationKind.GOVERNMENT
MINISTRY = OrganisationKind.MINISTRY
MISSION_GROUP = OrganisationKind.MISSION_GROUP
DEPARTMENT = OrganisationKind.DEPARTMENT
UNIT = OrganisationKind.UNIT


class Org(NamedTuple):
    parent: tuple[str, ...]  # the codes from the root down to the parent; () for the root
    kind: str
    code: str
    name_th: str
    name_en: str
    abbreviation_th: str = ""
    abbreviation_en: str = ""

    @property
    def key(self) -> tuple[str, ...]:
        return (*self.parent, self.code)


OPDC = ("OPDC",)
MOPH = (*OPDC, "MOPH")
MEDDEV = (*MOPH, "MEDDEV")
PHDEV = (*MOPH, "PHDEV")
HSSUP = (*MOPH, "HSSUP")
DOH = (*PHDEV, "DOH")


def doh_unit(code: str) -> tuple[str, ...]:
    return (*DOH, code)


# The data tables below keep one row per line, which the formatter would explode.
# fmt: off

# Parents come before their children.
ORGANISATIONS: tuple[Org, ...] = (
    Org((), GOVERNMENT, "OPDC", "สำนักงานคณะกรรมการพัฒนาระบบราชการ",
        "Office of the Public Sector Development Commission", "สำนักงาน ก.พ.ร.", "OPDC"),
    # The pilot ministries (slide 4). The deck counts their departments (9, 5, 8, 9) but names
    # none, so only the Ministry of Public Health gets its departments (as they stood in 2551).
    Org(OPDC, MINISTRY, "MOF", "กระทรวงการคลัง", "Ministry of Finance", "กค.", "MOF"),
    Org(OPDC, MINISTRY, "MOEN", "กระทรวงพลังงาน", "Ministry of Energy", "พน.", "MOEN"),
    Org(OPDC, MINISTRY, "MOIND", "กระทรวงอุตสาหกรรม", "Ministry of Industry", "อก.", "MOI"),
    Org(OPDC, MINISTRY, "MOPH", "กระทรวงสาธารณสุข", "Ministry of Public Health", "สธ.", "MOPH"),
    # The Permanent Secretary's office belongs to no mission group; the other eight departments
    # sit in the ministry's three mission groups (slide 9 names the Department of Health's).
    Org(MOPH, DEPARTMENT, "OPS", "สำนักงานปลัดกระทรวงสาธารณสุข",
        "Office of the Permanent Secretary, Ministry of Public Health", "สป.", "OPS"),
    Org(MOPH, MISSION_GROUP, "MEDDEV", "กลุ่มภารกิจด้านพัฒนาการแพทย์",
        "Medical Development Mission Group"),
    Org(MEDDEV, DEPARTMENT, "DMS", "กรมการแพทย์", "Department of Medical Services", "พ.", "DMS"),
    Org(MEDDEV, DEPARTMENT, "DTAM", "กรมพัฒนาการแพทย์แผนไทยและการแพทย์ทางเลือก",
        "Department for Development of Thai Traditional and Alternative Medicine", "พท.", "DTAM"),
    Org(MEDDEV, DEPARTMENT, "DMH", "กรมสุขภาพจิต", "Department of Mental Health", "สจ.", "DMH"),
    Org(MOPH, MISSION_GROUP, "PHDEV", "กลุ่มภารกิจด้านพัฒนาการสาธารณสุข",
        "Public Health Development Mission Group"),
    Org(PHDEV, DEPARTMENT, "DDC", "กรมควบคุมโรค", "Department of Disease Control", "คร.", "DDC"),
    Org(PHDEV, DEPARTMENT, "DOH", "กรมอนามัย", "Department of Health", "อน.", "DOH"),
    Org(MOPH, MISSION_GROUP, "HSSUP", "กลุ่มภารกิจด้านสนับสนุนงานบริการสุขภาพ",
        "Health Service Support Mission Group"),
    Org(HSSUP, DEPARTMENT, "DMSC", "กรมวิทยาศาสตร์การแพทย์", "Department of Medical Sciences",
        "วพ.", "DMSc"),
    Org(HSSUP, DEPARTMENT, "HSS", "กรมสนับสนุนบริการสุขภาพ", "Department of Health Service Support",
        "สบ.", "HSS"),
    Org(HSSUP, DEPARTMENT, "FDA", "สำนักงานคณะกรรมการอาหารและยา", "Food and Drug Administration",
        "อย.", "FDA"),
    # The Department of Health's units named in slides 26-27 and 35, with the abbreviations the
    # deck uses. Full names are those of the 2545 ministerial regulation, in force until 2552.
    Org(DOH, UNIT, "PLAN", "กองแผนงาน", "Planning Division", "กองแผนฯ"),
    Org(DOH, UNIT, "PSDG", "กลุ่มพัฒนาระบบบริหาร", "Public Sector Development Group", "กพร."),
    Org(DOH, UNIT, "SEC", "สำนักงานเลขานุการกรม", "Office of the Secretary", "สลก."),
    Org(DOH, UNIT, "IAG", "กลุ่มตรวจสอบภายใน", "Internal Audit Group", "กตส."),
    Org(DOH, UNIT, "FIN", "กองคลัง", "Finance Division", "กอง ค."),
    Org(DOH, UNIT, "PER", "กองการเจ้าหน้าที่", "Personnel Division", "กอง จ."),
    Org(DOH, UNIT, "BHP", "สำนักส่งเสริมสุขภาพ", "Bureau of Health Promotion", "สำนัก ส."),
    Org(DOH, UNIT, "BEH", "สำนักอนามัยสิ่งแวดล้อม", "Bureau of Environmental Health", "สำนัก ว."),
    Org(DOH, UNIT, "BRH", "กองอนามัยการเจริญพันธุ์", "Bureau of Reproductive Health", "กอง อพ."),
    Org(DOH, UNIT, "DENT", "กองทันตสาธารณสุข", "Bureau of Dental Health", "กอง ท."),
    Org(DOH, UNIT, "NUT", "กองโภชนาการ", "Bureau of Nutrition", "กอง ภ."),
    Org(DOH, UNIT, "EXE", "กองออกกำลังกายเพื่อสุขภาพ", "Bureau of Exercise for Health", "กอง อ."),
    Org(DOH, UNIT, "FWS", "กองสุขาภิบาลอาหารและน้ำ", "Bureau of Food and Water Sanitation",
        "กอง สอ."),
    Org(DOH, UNIT, "CSHIA", "กองสุขาภิบาลชุมชนและประเมินผลกระทบต่อสุขภาพ",
        "Bureau of Community Sanitation and Health Impact Assessment", "กอง สช."),
    Org(DOH, UNIT, "LAB", "ศูนย์ห้องปฏิบัติการกรมอนามัย", "Department of Health Laboratory Centre",
        "ศูนย์ Lab"),
    # The deck gives only "ศกม." (owner of KPI 13, the law-development plan) and "สนง.สนับสนุน
    # KM"; these full names are our reading of the abbreviations (illustrative).
    Org(DOH, UNIT, "LAW", "ศูนย์กฎหมาย", "Legal Affairs Centre", "ศกม."),
    Org(DOH, UNIT, "KM", "สำนักงานสนับสนุนการจัดการความรู้", "Knowledge Management Support Office",
        "สนง.สนับสนุน KM"),
)

# Slide 19.
DOH_VISION_TH = (
    "เป็นองค์กรหลักของประเทศในการส่งเสริมสุขภาพและอนามัยสิ่งแวดล้อม "
    "เพื่อส่งเสริมให้ประชาชนมีสุขภาพดี"
)
DOH_VISION_EN = (
    "To be the country's lead organisation for health promotion and environmental health, "
    "so that people enjoy good health."
)
DOH_MISSIONS: tuple[tuple[str, str], ...] = (
    ("ผลิต พัฒนาองค์ความรู้ นวัตกรรม (Innovation and Technical Development) "
     "ที่สอดคล้องกับวิถีชีวิตของคนไทย",
     "Produce and develop knowledge and innovation suited to the Thai way of life "
     "(Innovation and Technical Development)."),
    ("ถ่ายทอดและผลักดัน/สนับสนุน (Transfer technology & Facilitator) ให้เครือข่ายสามารถจัดการ"
     "สิ่งแวดล้อมและส่งเสริมสุขภาพได้ตามหลักวิชาการ มาตรฐาน และกฎหมาย",
     "Transfer technology to and facilitate the networks so that they manage the environment "
     "and promote health according to science, standards and the law."),
    ("พัฒนา ผลักดัน และสนับสนุนให้เกิดนโยบายและกฎหมายที่จำเป็น (Policy and Regulation Advocacy)",
     "Develop and advocate the policies and laws that are needed (Policy and Regulation "
     "Advocacy)."),
    ("พัฒนาระบบการส่งเสริมสุขภาพและอนามัยสิ่งแวดล้อมให้เข้มแข็ง (System Capacity Building)",
     "Strengthen the health-promotion and environmental-health system (System Capacity "
     "Building)."),
)
# Slide 19 shows only the letters H E A L T H. "H: Health Model" is the department's published
# reading (2549); the other five are illustrative.
DOH_CORE_VALUES: tuple[tuple[str, str, str], ...] = (
    ("H", "เป็นต้นแบบด้านสุขภาพ", "Health Model"),
    ("E", "ทำงานบนหลักฐานเชิงประจักษ์", "Evidence-based"),
    ("A", "มุ่งผลสัมฤทธิ์", "Achievement"),
    ("L", "เรียนรู้อย่างต่อเนื่อง", "Learning"),
    ("T", "ทำงานเป็นทีม", "Teamwork"),
    ("H", "ทำงานอย่างมีความสุข", "Happiness"),
)


class Person(NamedTuple):
    username: str
    role: str
    organisation: tuple[str, ...]
    includes_descendants: bool
    name_th: str
    name_en: str
    position_th: str
    position_en: str


SUPERUSER = Person(
    "admin", "", (), True, "ผู้ดูแลระบบ", "System administrator",
    "ผู้ดูแลระบบ (บัญชีสาธิต)", "System administrator (demo account)",
)
# One person per role; all invented.
PEOPLE: tuple[Person, ...] = (
    Person("doh_admin", Role.ADMIN, DOH, True, "นางสาวสมใจ รักงาน", "Ms Somjai Rakngan",
           "นักวิชาการคอมพิวเตอร์ชำนาญการ กลุ่มพัฒนาระบบบริหาร",
           "Computer Technical Officer, Public Sector Development Group"),
    Person("planner", Role.PLANNING, DOH, True, "นายประสิทธิ์ มุ่งมั่น", "Mr Prasit Mungman",
           "นักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ กองแผนงาน",
           "Senior Policy and Plan Analyst, Planning Division"),
    Person("kpi_owner", Role.KPI_OWNER, doh_unit("SEC"), False, "นางวันเพ็ญ ตั้งใจ",
           "Mrs Wanphen Tangjai", "นักจัดการงานทั่วไปชำนาญการ สำนักงานเลขานุการกรม",
           "General Administration Officer, Office of the Secretary"),
    Person("unit_head", Role.UNIT_HEAD, doh_unit("NUT"), False, "นางพรทิพย์ อิ่มสุข",
           "Mrs Pornthip Imsuk", "ผู้อำนวยการกองโภชนาการ", "Director, Bureau of Nutrition"),
    Person("collector", Role.DATA_COLLECTOR, doh_unit("NUT"), False, "นายสมชาย ขยันดี",
           "Mr Somchai Khayandee", "นักโภชนาการปฏิบัติการ กองโภชนาการ",
           "Nutritionist, Bureau of Nutrition"),
    Person("committee", Role.COMMITTEE_MEMBER, MOPH, True, "นายแพทย์ธนพล ยุติธรรม",
           "Dr Thanaphon Yuttitham", "ผู้ตรวจราชการกระทรวงสาธารณสุข",
           "Inspector-General, Ministry of Public Health"),
    Person("auditor", Role.AUDITOR, MOPH, True, "นางสุนีย์ ตรวจตรา", "Mrs Sunee Truattra",
           "ผู้ทรงคุณวุฒิด้านการตรวจสอบและประเมินผล", "Expert in audit and evaluation"),
)


class Seat(NamedTuple):
    username: str
    position: str
    capacity_th: str
    capacity_en: str


class CommitteeSpec(NamedTuple):
    kind: str
    name_th: str
    name_en: str
    appointed_by_th: str
    appointed_by_en: str
    appointing_kind: str | None
    appointed_on: date
    duties_th: str
    duties_en: str
    seats: tuple[Seat, ...]


CHAIR, MEMBER, SECRETARY = (
    CommitteePosition.CHAIR, CommitteePosition.MEMBER, CommitteePosition.SECRETARY
)
_IN_MOPH_TH = "ของส่วนราชการในกระทรวงสาธารณสุข"
_OVERSIGHT_NAME_TH = (
    f"คณะกรรมการกำกับการประเมินผลการปฏิบัติราชการตามคำรับรองการปฏิบัติราชการ{_IN_MOPH_TH}"
)
# The four bodies of slide 6 for the Ministry of Public Health. The appointment dates are
# illustrative (the deck gives none); all fall before the negotiations of late December 2551.
COMMITTEES: tuple[CommitteeSpec, ...] = (
    CommitteeSpec(
        CommitteeKind.OVERSIGHT, _OVERSIGHT_NAME_TH,
        "Committee overseeing the performance evaluation of the Ministry of Public Health's "
        "agencies under their performance agreements",
        "รัฐมนตรีว่าการกระทรวงสาธารณสุข", "The Minister of Public Health", None,
        date(2008, 10, 15),
        "กำกับการประเมินผล แต่งตั้งคณะกรรมการเจรจาข้อตกลงฯ กำหนดหลักเกณฑ์และจัดสรรสิ่งจูงใจ"
        "ให้ส่วนราชการระดับกรม",
        "Oversees the evaluation, appoints the negotiation committee, sets the rules for and "
        "allocates the departments' incentives.",
        (Seat("committee", CHAIR, "ผู้แทนปลัดกระทรวงสาธารณสุข", "For the Permanent Secretary"),
         Seat("auditor", MEMBER, "กรรมการผู้ทรงคุณวุฒิ", "Expert member"),
         Seat("planner", SECRETARY, "ผู้แทนส่วนราชการระดับกรม", "For the departments")),
    ),
    CommitteeSpec(
        CommitteeKind.NEGOTIATION,
        f"คณะกรรมการเจรจาข้อตกลงและประเมินผลการปฏิบัติราชการตามคำรับรองการปฏิบัติราชการ{_IN_MOPH_TH}",
        "Committee negotiating and evaluating the performance agreements of the Ministry of "
        "Public Health's agencies",
        _OVERSIGHT_NAME_TH, "The oversight committee (committee 1)", CommitteeKind.OVERSIGHT,
        date(2008, 12, 1),
        "เจรจา KPI ค่าเป้าหมาย และเกณฑ์การให้คะแนนกับผู้บริหารกรม และประเมินผล",
        "Negotiates KPIs, targets and scoring criteria with the departments' executives, and "
        "evaluates the results.",
        (Seat("committee", CHAIR, "ผู้ตรวจราชการกระทรวง", "Inspector-General"),
         Seat("auditor", MEMBER, "กรรมการผู้ทรงคุณวุฒิ", "Expert member"),
         Seat("planner", SECRETARY, "ผู้แทนส่วนราชการระดับกรม", "For the departments")),
    ),
    # The deck does not say who appoints the working group; slide 7 has the ministry appoint
    # all three bodies, so we let committee 1 appoint it, as it does committee 2.
    CommitteeSpec(
        CommitteeKind.WORKING_GROUP,
        f"คณะทำงานจัดทำคำรับรองและประเมินผลการปฏิบัติราชการตามคำรับรองการปฏิบัติราชการ{_IN_MOPH_TH}",
        "Working group drafting and evaluating the performance agreements of the Ministry of "
        "Public Health's agencies",
        _OVERSIGHT_NAME_TH, "The oversight committee (committee 1)", CommitteeKind.OVERSIGHT,
        date(2008, 12, 1),
        "กำหนดกรอบการประเมินเบื้องต้น ตรวจสอบคำรับรองและ KPI Template วิเคราะห์ SAR "
        "และตรวจเยี่ยม (Site visit) รอบ 6 และ 12 เดือน",
        "Sets the preliminary framework, checks the agreements and KPI templates, analyses the "
        "SARs and makes the site visits at 6 and 12 months.",
        (Seat("committee", CHAIR, "ผู้ตรวจราชการกระทรวง", "Inspector-General"),
         Seat("doh_admin", MEMBER, "ผู้แทนกรมอนามัย", "For the Department of Health"),
         Seat("planner", SECRETARY, "ผู้แทนส่วนราชการระดับกรม", "For the departments")),
    ),
    # A ministry's AEC is appointed by the national AEC (PM's Office regulation of 2550).
    CommitteeSpec(
        CommitteeKind.AUDIT,
        "คณะกรรมการตรวจสอบและประเมินผลภาคราชการประจำกระทรวงสาธารณสุข (ค.ต.ป. ประจำกระทรวง)",
        "Ministry of Public Health Audit and Evaluation Committee (AEC)",
        "คณะกรรมการตรวจสอบและประเมินผลภาคราชการ (ค.ต.ป.)",
        "The Public Sector Audit and Evaluation Committee", None, date(2008, 11, 3),
        "ตรวจสอบและประเมินผลการปฏิบัติราชการของส่วนราชการในกระทรวง",
        "Audits and evaluates the performance of the ministry's agencies.",
        (Seat("auditor", CHAIR, "ประธานกรรมการผู้ทรงคุณวุฒิ", "Expert chair"),
         Seat("committee", MEMBER, "ผู้ตรวจราชการกระทรวง", "Inspector-General"),
         Seat("planner", SECRETARY, "ผู้แทนส่วนราชการระดับกรม", "For the departments")),
    ),
)


class Step(NamedTuple):
    name_th: str
    name_en: str
    starts_on: date
    ends_on: date | None
    responsible: tuple[str, ...]
    committee_kind: str | None
    notes: str


# The calendar of slides 37-38, item by item (the deck has no item 11). Its "52" in November and
# December means 2551: FY 2552 starts in October 2551. Items 14-18 follow scenario 2.1 (sign
# early with last year's map); scenario 2.2's dates are in the notes.
_SCENARIO_21 = "ปฏิทินกรณี 2.1 (สไลด์ 38); "
CALENDAR: tuple[Step, ...] = (
    Step("ประชุมผู้บริหารกรมเพื่อวางกรอบการพัฒนาระบบราชการกรมอนามัย",
         "Executives' meeting to frame the department's public-sector development",
         date(2008, 11, 6), date(2008, 11, 7), DOH, None,
         "สไลด์ 37 ข้อ 1; เอกสารเขียน “6-7 พย. 52” หมายถึง พ.ศ. 2551 (สไลด์ 29: 6-7 พ.ย.51)"),
    Step("กพร. ร่วมกับกองแผนงาน บูรณาการแผนที่ยุทธศาสตร์ (St.Map) กรม ภาพรวม เพื่อนำไปใช้ที่สะเมิง",
         "PSDG and the Planning Division integrate the department's strategy map for the "
         "Samoeng workshop",
         date(2008, 11, 14), None, doh_unit("PSDG"), None,
         "สไลด์ 37 ข้อ 2; ร่วมกับกองแผนงาน (นพ.อมร ฯ); เอกสารเขียน “14 พย.52” หมายถึง พ.ศ. 2551"),
    Step("กองแผนงานและทีมจัดทำแผนเชื่อมโยงยุทธศาสตร์ (SLM) 2 รุ่น",
         "The Planning Division and its team draft the strategy linkage models (SLM), "
         "two sessions",
         date(2008, 11, 19), date(2008, 11, 21), doh_unit("PLAN"), None,
         "สไลด์ 37 ข้อ 3; รุ่นที่ 1: 19-21 พ.ย. 2551, รุ่นที่ 2: ม.ค. 2552 (ไม่ระบุวัน)"),
    Step("ประชุมปรึกษาหารือทีม Fast Track (FT)", "Fast Track team consultation",
         date(2008, 11, 26), None, doh_unit("PSDG"), None, "สไลด์ 37 ข้อ 4"),
    Step("แต่งตั้งคณะกรรมการ (2 คณะ)", "Appointment of the department's two committees",
         date(2008, 12, 4), None, DOH, None,
         "สไลด์ 37 ข้อ 5; คณะกรรมการอำนวยการ (อนก.) PMQA และคณะกรรมการสนับสนุน PMQA (สไลด์ 28)"),
    Step("ประชุมคณะกรรมการสนับสนุน PMQA เตรียมจัดทำแผนพัฒนาระบบ",
         "PMQA support committee prepares the system development plans",
         date(2008, 12, 9), None, doh_unit("PSDG"), None, "สไลด์ 37 ข้อ 6"),
    Step("ประชุมคณะกรรมการ อนก.PMQA เตรียมจัดทำคำรับรองฯ กรม และกำหนดนโยบายการกำกับดูแลองค์การที่ดี",
         "PMQA steering committee prepares the department's agreement and the good-governance "
         "policy",
         date(2008, 12, 22), None, DOH, None,
         "สไลด์ 37 ข้อ 7; การประชุมครั้งที่ 1 ที่เอกสารนี้นำเสนอ (กพร. เป็นเลขานุการ)"),
    Step("สำนักงาน ก.พ.ร. จัดการเจรจากับกระทรวง/กลุ่มภารกิจ",
         "OPDC negotiates with the ministry and its mission groups",
         date(2008, 12, 19), None, OPDC, None, "สไลด์ 37 ข้อ 8"),
    Step("คณะกรรมการสนับสนุน PMQA จัดทำแผนพัฒนารายหมวด 1-6",
         "PMQA support committee drafts the plans for categories 1-6",
         date(2008, 12, 9), date(2008, 12, 23), doh_unit("PSDG"), None,
         "สไลด์ 37 ข้อ 9; ประชุมวันที่ 9 และ 23 ธ.ค. 2551"),
    Step("คณะกรรมการ อนก. พิจารณากำหนด KPIs ในคำรับรองฯ ของกรม (ทั้ง 4 มิติ)",
         "Steering committee sets the KPIs of the department's agreement (all four dimensions)",
         date(2008, 12, 29), date(2008, 12, 30), DOH, None,
         "สไลด์ 37 ข้อ 10; เอกสารเขียน “29/30 ธค.51”"),
    Step("กระทรวงจัดการเจรจาคำรับรองกับกรมต่าง ๆ",
         "The ministry negotiates the agreements with its departments",
         date(2008, 12, 25), date(2008, 12, 31), MOPH, CommitteeKind.NEGOTIATION,
         "สไลด์ 38 ข้อ 12; เอกสารระบุเพียง “ปลาย ธค.51” วันที่จึงเป็นค่าประมาณ; "
         "คณะที่ 2 เจรจากับกรม (สไลด์ 7)"),
    Step("กระทรวงจัดพิธีลงนามคำรับรองระดับกระทรวง/กลุ่มภารกิจ/กรม",
         "The ministry holds the signing ceremony for the ministry, mission-group and "
         "department agreements",
         date(2009, 1, 15), None, MOPH, None,
         "สไลด์ 38 ข้อ 13; เอกสารระบุ “กลาง มค.52” วันที่จึงเป็นค่าประมาณ "
         "(สไลด์ 7 ระบุพิธีลงนาม ธ.ค. 51)"),
    Step("หน่วยงานเจ้าภาพจัดทำรายละเอียดการประเมิน KPIs พร้อม KPI Template ส่งกระทรวงและหน่วยงานย่อย",
         "KPI owner units send the KPI details and templates to the ministry and the units",
         date(2009, 1, 12), None, DOH, None,
         _SCENARIO_21 + "ข้อ 14 ภายใน 12 ม.ค. 2552; กรณี 2.2: ส่งกระทรวงภายใน 12 ม.ค. 2552 "
         "และส่งหน่วยงานย่อยภายใน 18 ก.พ. 2552"),
    Step("คณะกรรมการ อนก. ชี้แจงเกณฑ์ประเมิน KPI พร้อม Template แก่หน่วยงานย่อย",
         "Steering committee explains the KPI criteria and templates to the units",
         date(2009, 1, 19), date(2009, 1, 20), DOH, None,
         _SCENARIO_21 + "ข้อ 15; กรณี 2.2: 25-26 ก.พ. 2552"),
    Step("หน่วยงานย่อยจัดทำคำรับรองฯ ส่งกรม", "Units send their agreements to the department",
         date(2009, 1, 30), None, DOH, None, _SCENARIO_21 + "ข้อ 16; กรณี 2.2: 11 มี.ค. 2552"),
    Step("คณะกรรมการอำนวยการให้ความเห็นชอบคำรับรองของหน่วยงาน",
         "Steering committee approves the units' agreements",
         date(2009, 2, 4), None, DOH, None, _SCENARIO_21 + "ข้อ 17; กรณี 2.2: 16 มี.ค. 2552"),
    Step("จัดพิธีลงนามคำรับรองระหว่างหน่วยงานกับกรม",
         "Signing ceremony of the units' agreements with the department",
         date(2009, 2, 10), None, DOH, None, _SCENARIO_21 + "ข้อ 18; กรณี 2.2: 20 มี.ค. 2552"),
)

FISCAL_YEAR_NOTES = (
    "ปีสาธิต: ข้อมูลตัวอย่างจากเอกสารประชุมคณะกรรมการอำนวยการ PMQA กรมอนามัย 22 ธ.ค. 2551 "
    "ไม่ใช่ข้อมูลทางราชการ ปฏิทินใช้กรณี 2.1 (ลงนามก่อนด้วยแผนที่ยุทธศาสตร์ปีที่แล้ว); "
    "กรณี 2.2 (รอ SM/SLM ใหม่) ลงนามคำรับรองระดับหน่วยงานวันที่ 20 มี.ค. 2552\n"
    "Demo year: illustrative data from the Department of Health's deck of 22 Dec 2551, not "
    "official records. The calendar follows scenario 2.1."
)

# Slide 26: (number, Thai, English, owner unit). The supporting units in brackets on the slide
# are not stored: a strategic issue has one owner.
STRATEGIC_ISSUES: tuple[tuple[int, str, str, str], ...] = (
    (1, "การพัฒนาอนามัยแม่และเด็ก", "Maternal and child health", "BHP"),
    (2, "การลดปัจจัยเสี่ยงเด็กวัยเรียนและวัยรุ่น",
     "Reducing risk factors among school-age children and adolescents", "BRH"),
    (3, "การแก้ไขปัญหาโรคอ้วนในคนไทย", "Tackling obesity among Thai people", "NUT"),
    (4, "การส่งเสริมสุขภาพผู้สูงอายุ", "Health promotion for older people", "BHP"),
    (5, "การพัฒนาชุมชนน่าอยู่ เมืองน่าอยู่", "Healthy communities and healthy cities", "BEH"),
    (6, "ส่งเสริมการประเมินผลกระทบต่อสุขภาพ", "Promoting health impact assessment", "CSHIA"),
)


# fmt: on
