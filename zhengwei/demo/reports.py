"""Demo disaster reports: routing for 闽侯县, the Open311 demo key, and reports in various states.

Everything goes through the reports services, acting as the demo people (duty officer ``duty``,
county officer ``county``, administrator ``admin``), so the demo also exercises the rules.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone
from PIL import Image, ImageDraw

from zhengwei.demo import constants as c
from zhengwei.orgs.models import Organisation, User, WeChatAccount
from zhengwei.reports import services
from zhengwei.reports.actors import SYSTEM, ApiClient, Citizen
from zhengwei.reports.models import ApiKey, Channel, Datum, Hazard, Priority, Report
from zhengwei.reports.phones import digest

# The Open311 API key of the demo (README lists it); a real installation creates its own keys.
OPEN311_DEMO_API_KEY = "zw-demo-open311-fujian-2026"
OPEN311_DEMO_CLIENT = "12345 政务服务便民热线（演示）"
MINHOU = "350121"


def _photo() -> bytes:
    image = Image.new("RGB", (640, 480), (120, 150, 170))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 300, 640, 480], fill=(90, 110, 130))  # water
    draw.rectangle([220, 140, 420, 320], fill=(200, 190, 170))  # a house
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def seed(out=print) -> None:
    account = WeChatAccount.objects.get(original_id=c.ORIGINAL_ID)
    unit = Organisation.objects.get(name=c.UNIT_NAME)
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["admin", "duty", "dutylead", "county"])
    }
    admin, duty, dutylead, county = (people[n] for n in ("admin", "duty", "dutylead", "county"))

    # Seed data is written by the system, once (saving an unchanged rule writes nothing).
    services.routing_rule_save(actor=SYSTEM, account=account, county_code=MINHOU, unit=unit)
    services.routing_rule_save(
        actor=SYSTEM, account=account, county_code=MINHOU, unit=unit, hazard=Hazard.LANDSLIDE
    )
    key = ApiKey.objects.filter(account=account, prefix=OPEN311_DEMO_API_KEY[:8]).first()
    if key is None:
        key, _ = services.api_key_create(
            actor=admin, account=account, name=OPEN311_DEMO_CLIENT, raw_key=OPEN311_DEMO_API_KEY
        )
    if Report.objects.filter(account=account).exists():
        out("demo: disaster reports already present")
        return

    now = timezone.now()
    ago = lambda **kw: now - timedelta(**kw)  # noqa: E731

    # A past emergency (for the emergency-mode history): a typhoon night last week.
    services.emergency_start(
        actor=dutylead,
        account=account,
        reason="台风“海棠”登陆，省防指启动防台风Ⅳ级应急响应",
        now=ago(days=6, hours=20),
    )
    services.emergency_end(actor=dutylead, account=account, now=ago(days=6, hours=2))

    # 1. Resolved three days ago, closed and rated by the citizen (WeChat chat).
    citizen = Citizen(openid="oDEMOcitizen0000000000003", proof="wechat")
    r = services.report_receive(
        actor=citizen,
        account=account,
        channel=Channel.CHAT,
        hazard=Hazard.WATERLOGGING,
        description="上街镇大学城路口积水约40厘米，车辆无法通行。",
        lat=26.0612,
        lng=119.1952,
        datum=Datum.GCJ02,
        now=ago(days=3, hours=2),
    )
    services.report_triage(
        actor=duty, report=r, priority=Priority.P2, now=ago(days=3, hours=2) + timedelta(minutes=3)
    )
    services.report_dispatch(actor=duty, report=r, now=ago(days=3, hours=1, minutes=50))
    services.report_sign(actor=county, report=r, now=ago(days=3, hours=1, minutes=40))
    services.report_contact(
        actor=county,
        report=r,
        internal_note="电话回访，积水仍在。",
        now=ago(days=3, hours=1, minutes=30),
    )
    services.report_progress(
        actor=county, report=r, public_note="排涝车已到场抽排。", now=ago(days=3, hours=1)
    )
    services.report_resolve(
        actor=county, report=r, public_note="积水已排除，道路恢复通行。", now=ago(days=2, hours=22)
    )
    services.report_close(actor=duty, report=r, now=ago(days=2, hours=20))
    services.report_rate(actor=citizen, report=r, rating=5, now=ago(days=2, hours=19))

    # 2. Overdue: a landslide phoned in 30 hours ago, dispatched and signed, still open.
    r = services.report_receive(
        actor=duty,
        account=account,
        channel=Channel.PHONE,
        hazard=Hazard.LANDSLIDE,
        description="南屿镇山体滑坡，土石堵塞村道一半，暂无人员伤亡。",
        lat=25.9702,
        lng=119.1503,
        phone="13905910001",
        name="陈先生",
        submitted_at=ago(hours=30),
        now=ago(hours=29, minutes=50),
    )
    services.report_triage(
        actor=duty, report=r, priority=Priority.P1, now=ago(hours=29, minutes=45)
    )
    services.report_dispatch(actor=duty, report=r, now=ago(hours=29, minutes=40))
    services.report_sign(actor=county, report=r, now=ago(hours=29))

    # 3. P0, lives in danger, from the mobile form: two elderly people trapped (with a photo).
    trapped = services.report_receive(
        actor=Citizen(phone_hash=digest("13805912345"), proof="phone"),
        account=account,
        channel=Channel.H5,
        hazard=Hazard.PEOPLE_TRAPPED,
        lives_in_danger=True,
        description="村里有两位老人被困在二楼，水已经漫到一楼窗户。",
        lat=26.0581,
        lng=119.1866,
        accuracy_m=25,
        phone="13805912345",
        photos=[_photo()],
        now=ago(minutes=6),
    )

    # 4. A second report of the same event, merged into it.
    r = services.report_receive(
        actor=Citizen(phone_hash=digest("13705912222"), proof="phone"),
        account=account,
        channel=Channel.H5,
        hazard=Hazard.PEOPLE_TRAPPED,
        lives_in_danger=True,
        description="邻居家老人被困，请快来救援！",
        lat=26.0590,
        lng=119.1870,
        phone="13705912222",
        now=ago(minutes=4),
    )
    services.report_mark_duplicate(actor=duty, report=r, parent=trapped, now=ago(minutes=2))

    # 5. Not a flood-control matter: referred to 12345.
    r = services.report_receive(
        actor=Citizen(openid="oDEMOcitizen0000000000005", proof="wechat"),
        account=account,
        channel=Channel.CHAT,
        hazard=Hazard.OTHER,
        description="小区路灯坏了好几天。",
        address="闽侯县甘蔗街道",
        now=ago(hours=5),
    )
    services.report_refer(actor=duty, report=r, to="12345 热线", now=ago(hours=4, minutes=50))

    # 6. False report, rejected with a reason.
    r = services.report_receive(
        actor=Citizen(openid="oDEMOcitizen0000000000006", proof="wechat"),
        account=account,
        channel=Channel.CHAT,
        hazard=Hazard.FLASH_FLOOD,
        description="测试测试",
        now=ago(hours=3),
    )
    services.report_reject(
        actor=duty, report=r, reason="测试信息，非真实灾情。", now=ago(hours=2, minutes=55)
    )

    # 7. From the 12345 line through Open311: a boat in trouble, at sea (flagged, not dropped).
    services.report_receive(
        actor=ApiClient(key=key),
        account=account,
        channel=Channel.OPEN311,
        hazard=Hazard.OTHER,
        description="渔船在平潭东侧海域失去动力，请求协助。",
        lat=25.30,
        lng=119.90,
        phone="13600001111",
        now=ago(minutes=30),
    )

    # 8. The county unit reports a damaged house.
    services.report_receive(
        actor=county,
        account=account,
        channel=Channel.UNIT,
        hazard=Hazard.HOUSE_DAMAGE,
        description="甘蔗街道一处老旧土木房屋墙体开裂，已转移住户3人。",
        lat=26.1605,
        lng=119.1010,
        now=ago(minutes=45),
    )

    escalated = services.reports_escalate_overdue()
    out(
        f"demo: {Report.objects.filter(account=account).count()} disaster reports, "
        f"{len(escalated)} escalated as overdue; Open311 key {OPEN311_DEMO_API_KEY}"
    )
