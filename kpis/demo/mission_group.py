"""Slide 9: the Public Health Development mission group's framework."""

from governance.demo import DOH, PHDEV
from kpis.demo.specs import (
    COMPOSITE_CRITERIA,
    COUNT_HOSPITALS,
    DDC,
    LEVEL,
    OPS,
    PERCENT,
    ROUNDS_BY_PARTS,
    WEIGHTED,
    FrameworkSpec,
    KPISpec,
    hybrid,
    hybrid_around,
    outcome,
    template,
)

# fmt: off
# The deck numbers the group's KPIs 2.1, 1.2 and 1.3; the codes are kept as it writes them.

_HPH_STEP = (
    "มีแผนพัฒนาโรงพยาบาลเป้าหมายเข้าสู่กระบวนการโรงพยาบาลส่งเสริมสุขภาพ และทีมพี่เลี้ยงระดับเขต"
    "สนับสนุนครบทุกเขต",
)
_HPH_DEFINITION = (
    "โรงพยาบาลที่มีกระบวนการเป็นโรงพยาบาลส่งเสริมสุขภาพ หมายถึง โรงพยาบาลที่ดำเนินการพัฒนา"
    "ตามมาตรฐานโรงพยาบาลส่งเสริมสุขภาพของกรมอนามัย และผ่านการประเมินรับรองในปีงบประมาณ พ.ศ. 2552"
)

MISSION_GROUP = FrameworkSpec(
    PHDEV,
    "กรอบการประเมินผลการปฏิบัติราชการ กลุ่มภารกิจด้านพัฒนาการสาธารณสุข ประจำปีงบประมาณ พ.ศ. 2552",
    "Public Health Development Mission Group performance evaluation framework, FY 2552",
    publish=False,  # the deck shows three of the group's KPIs, not a whole framework
    kpis=(
        KPISpec(
            "2.1", "จำนวนโรงพยาบาลที่มีกระบวนการเป็นโรงพยาบาลส่งเสริมสุขภาพ",
            "Number of hospitals with a health-promoting-hospital process", "3", DOH,
            **COUNT_HOSPITALS,
            template=template(
                criteria=COMPOSITE_CRITERIA,
                definition=_HPH_DEFINITION + " แยกเป็นโรงพยาบาลในสังกัดและนอกสังกัดกระทรวงสาธารณสุข",
                formula=WEIGHTED,
                conditions="ตัวชี้วัดย่อย 2.1.1 (น้ำหนัก 2) และ 2.1.2 (น้ำหนัก 1); การแบ่งน้ำหนักเป็นค่าสมมติ",
                baselines=("3.2500", "3.6000", "3.8750"),
                data_source="ทะเบียนโรงพยาบาลส่งเสริมสุขภาพ สำนักส่งเสริมสุขภาพ กรมอนามัย",
                collection_method="รวมคะแนนจากตัวชี้วัดย่อย",
                rounds=ROUNDS_BY_PARTS,
                evidence="ผลการประเมินของตัวชี้วัดย่อย 2.1.1 และ 2.1.2",
                contact=DOH,
            ),
        ),
        # Slide 9 gives two targets, 178 ± 10 (own hospitals) and 15 ± 5 (others): two parts.
        KPISpec(
            "2.1.1", "จำนวนโรงพยาบาลในสังกัดกระทรวงสาธารณสุขที่มีกระบวนการเป็นโรงพยาบาลส่งเสริมสุขภาพ",
            "Ministry hospitals with a health-promoting-hospital process", "2", DOH,
            **COUNT_HOSPITALS, composite="2.1", supporting=(OPS,),
            template=template(
                criteria=hybrid_around(_HPH_STEP, "178", "10"),
                definition=_HPH_DEFINITION + " เฉพาะโรงพยาบาลสังกัดสำนักงานปลัดกระทรวงสาธารณสุข",
                conditions="ต้องผ่านขั้นตอนที่ 1 ก่อน จึงนับจำนวนโรงพยาบาลเพื่อคิดคะแนนระดับ 2-5",
                baselines=("120", "146", "163"),
                data_source="ทะเบียนโรงพยาบาลส่งเสริมสุขภาพ สำนักส่งเสริมสุขภาพ กรมอนามัย",
                collection_method="ศูนย์อนามัยเขตรายงานผลการประเมินรับรองรายไตรมาส",
                rounds=("ขั้นตอนที่ 1", "150 แห่ง", "178 แห่ง"),
                evidence="รายชื่อโรงพยาบาลที่ผ่านการประเมิน พร้อมวันที่ประเมินและผู้ประเมิน",
                contact=DOH,
            ),
        ),
        KPISpec(
            "2.1.2", "จำนวนโรงพยาบาลนอกสังกัดกระทรวงสาธารณสุขที่มีกระบวนการเป็นโรงพยาบาลส่งเสริมสุขภาพ",
            "Other hospitals with a health-promoting-hospital process", "1", DOH,
            **COUNT_HOSPITALS, composite="2.1",
            template=template(
                criteria=hybrid_around(_HPH_STEP, "15", "5"),
                definition=_HPH_DEFINITION + " เฉพาะโรงพยาบาลนอกสังกัด เช่น โรงพยาบาลมหาวิทยาลัย "
                                             "โรงพยาบาลสังกัดกระทรวงอื่น และโรงพยาบาลเอกชน",
                conditions="ต้องผ่านขั้นตอนที่ 1 ก่อน จึงนับจำนวนโรงพยาบาลเพื่อคิดคะแนนระดับ 2-5",
                baselines=("4", "8", "11"),
                data_source="ทะเบียนโรงพยาบาลส่งเสริมสุขภาพ สำนักส่งเสริมสุขภาพ กรมอนามัย",
                collection_method="ศูนย์อนามัยเขตรายงานผลการประเมินรับรองรายไตรมาส",
                rounds=("ขั้นตอนที่ 1", "8 แห่ง", "15 แห่ง"),
                evidence="รายชื่อโรงพยาบาลที่ผ่านการประเมิน พร้อมหนังสือยืนยันการเข้าร่วม",
                contact=DOH,
            ),
        ),
        KPISpec(
            "1.2", "ร้อยละของหน่วยงานสาธารณสุขที่สามารถปฏิบัติการส่งเสริมสุขภาพ เฝ้าระวัง ป้องกัน"
                   "ควบคุมโรคและภัยสุขภาพตามมาตรฐานที่กำหนด",
            "Percentage of health agencies able to carry out health promotion, surveillance and "
            "disease and health-hazard control to the set standards",
            # Slide 9 gives "40 %" as the target but no weight: 3 is illustrative.
            "3", DDC, **PERCENT, supporting=(DOH,),
            template=template(
                criteria=outcome("40", "5"),
                definition=(
                    "หน่วยงานสาธารณสุข หมายถึง สำนักงานสาธารณสุขอำเภอและสถานีอนามัย ที่ผ่านการประเมิน"
                    "มาตรฐานการส่งเสริมสุขภาพ การเฝ้าระวัง และการป้องกันควบคุมโรคและภัยสุขภาพ "
                    "ของกรมอนามัยและกรมควบคุมโรค"
                ),
                formula="(จำนวนหน่วยงานที่ผ่านมาตรฐาน / จำนวนหน่วยงานที่ประเมินทั้งหมด) × 100",
                numerator="จำนวนหน่วยงานสาธารณสุขที่ผ่านเกณฑ์มาตรฐานทั้ง 3 ด้าน",
                denominator="จำนวนหน่วยงานสาธารณสุขที่ได้รับการประเมินทั้งหมด",
                conditions="ประเมินโดยทีมประเมินระดับเขตตามแบบประเมินมาตรฐานที่กำหนด",
                baselines=("22.50", "28.75", "34.10"),
                data_source="ผลการประเมินมาตรฐานของศูนย์อนามัยและสำนักงานป้องกันควบคุมโรคเขต",
                collection_method="รวบรวมผลการประเมินรายไตรมาสจากเขต",
                rounds=("ร้อยละ 20", "ร้อยละ 30", "ร้อยละ 40"),
                evidence="แบบประเมินมาตรฐานรายหน่วยงาน และสรุปผลรายเขต",
                contact=DDC,
            ),
        ),
        KPISpec(
            "1.3", "ระดับความสำเร็จในการจัดการผลงานวิชาการในการส่งเสริมสุขภาพ เฝ้าระวัง ป้องกัน"
                   "ควบคุมโรคและภัยสุขภาพ รวมทั้งอนามัยสิ่งแวดล้อม",
            "Level of success in managing academic work on health promotion, surveillance, "
            "disease and health-hazard control and environmental health", "4", DDC, **LEVEL,
            supporting=(DOH,),
            template=template(
                # Slide 9: "3 ขั้นตอน + ผลลัพธ์ (50% และ 1 เรื่อง)". One measure carries levels
                # 4-5 (50% at level 4); the "1 เรื่อง" becomes a condition of level 5.
                criteria=hybrid(
                    ("มีคณะกรรมการจัดการผลงานวิชาการของกลุ่มภารกิจ และกำหนดประเด็นวิจัยที่สำคัญร่วมกัน",
                     "จัดทำฐานข้อมูลผลงานวิชาการของกรมในกลุ่มภารกิจ เผยแพร่ทางเว็บไซต์",
                     "จัดเวทีแลกเปลี่ยนเรียนรู้และคัดเลือกผลงานวิชาการที่พร้อมนำไปใช้ประโยชน์"),
                    ("50", "60"),
                ),
                definition=(
                    "ผลงานวิชาการ หมายถึง งานวิจัย องค์ความรู้ และนวัตกรรมของกรมในกลุ่มภารกิจ "
                    "ระดับ 4-5 วัดจากร้อยละของผลงานวิชาการที่ถูกนำไปใช้ประโยชน์โดยเครือข่าย"
                ),
                formula="(จำนวนผลงานที่ถูกนำไปใช้ประโยชน์ / จำนวนผลงานที่แล้วเสร็จในปี) × 100",
                numerator="จำนวนผลงานวิชาการที่มีหลักฐานการนำไปใช้ประโยชน์",
                denominator="จำนวนผลงานวิชาการที่แล้วเสร็จในปีงบประมาณ พ.ศ. 2552",
                conditions=(
                    "ระดับ 5 ต้องมีผลงานที่ได้รับการตีพิมพ์ในวารสารวิชาการระดับนานาชาติอย่างน้อย "
                    "1 เรื่องด้วย หากไม่มีให้ได้คะแนนไม่เกินระดับ 4"
                ),
                baselines=("2", "3", "3"),
                data_source="ฐานข้อมูลผลงานวิชาการของกรมในกลุ่มภารกิจ",
                collection_method="กองแผนงานของแต่ละกรมรวบรวมหลักฐานการนำไปใช้รายไตรมาส",
                rounds=("ขั้นตอนที่ 2", "ขั้นตอนที่ 3", "ร้อยละ 50"),
                evidence="คำสั่งแต่งตั้งคณะกรรมการ ฐานข้อมูลผลงาน หลักฐานการนำไปใช้ประโยชน์",
                contact=DDC,
            ),
        ),
    ),
)
# fmt: on
