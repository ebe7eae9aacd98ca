"""Demo performance history: the office's three accounts, run in the three operation models (the
福建防汛 case, delegated; 八闽水情, independent; 福建山洪预警, collaborative), five months of publications, WeChat
statistics (with a few days WeChat no longer has), messages and their answers, menu probes and
recorded incidents, the 福建防汛 contract's service-level table when no contract is in force yet,
monthly scorecards (signed, under review, computed) and the veto watch — and a provincial
inspector (``inspector``) who supervises all three.

History rows are generated in bulk (they stand for months of past traffic); everything a person
does — computing, reviewing, signing scorecards — goes through the performance services.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhengwei.demo import constants as c
from zhengwei.interactions.models import Category, Channel, Conversation, ConversationState
from zhengwei.orgs import services as orgs
from zhengwei.orgs.models import (
    AccountType,
    MessageMode,
    OperationModel,
    Organisation,
    OrgKind,
    Role,
    RoleGrant,
    User,
    WeChatAccount,
)
from zhengwei.performance import seeding, services
from zhengwei.performance.models import (
    IncidentKind,
    MenuProbe,
    Publication,
    PublicationSource,
    Scorecard,
)
from zhengwei.procurement import selectors as contracts
from zhengwei.procurement.models import Bid, Contract, Level, Purchase, ServiceLevel, Step, Supplier
from zhengwei.wechat.outbound.models import DatacubeRow

MONTHS = 5  # of history before the current month

# The office's two other accounts: (original id, app id, name, contractor or None, model).
OTHERS = [
    ("gh_f2d0a5c0de27", "wxf2d0a5c0de2026a2", "八闽水情", None, OperationModel.INDEPENDENT),
    (
        "gh_f3d0a5c0de28",
        "wxf3d0a5c0de2026a3",
        "福建山洪预警",
        "闽东新媒体文化传播有限公司",
        OperationModel.COLLABORATIVE,
    ),
]

# The 福建防汛 contract's service-level table (indicator, target, points, deduction %).
LEVELS = [
    ("days_since_last_post", "13", "15", "5"),
    ("volume_vs_plan", "100", "10", "2"),
    ("original_ratio", "60", "10", "1"),
    ("interaction_channel_ok", "1", "10", "0"),
    ("msg_first_response_time", "8", "15", "2"),
    ("msg_resolved_in_sla", "95", "10", "2"),
    ("msg_overdue_90d", "0", "5", "0"),
    ("follower_net_growth", "150", "10", "0"),
    ("broken_function_rate", "0", "5", "1"),
    ("serious_error_events", "0", "5", "0"),
    ("secret_or_pii_leaks", "0", "5", "0"),
]


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _month_start(day: date, back: int) -> date:
    y, m = divmod(day.month - 1 - back, 12)
    return date(day.year + y, m + 1, 1)


def _accounts(root: User, main: WeChatAccount) -> list[WeChatAccount]:
    accounts = [main]
    for original_id, app_id, name, contractor_name, model in OTHERS:
        account = WeChatAccount.objects.filter(original_id=original_id).first()
        if account is None:
            office = main.office
            contractor = None
            if contractor_name:
                contractor = Organisation.objects.filter(
                    name=contractor_name
                ).first() or orgs.organisation_create(
                    actor=root, name=contractor_name, kind=OrgKind.CONTRACTOR
                )
            # 福建山洪预警 was run by the office alone until it brought in a contractor: its
            # history holds that change of model (the before/after page compares around it).
            changes = model == OperationModel.COLLABORATIVE
            account = orgs.account_create(
                actor=root,
                office=office,
                contractor=None if changes else contractor,
                name=name,
                original_id=original_id,
                app_id=app_id,
                app_secret=c.APP_SECRET,
                token=c.TOKEN,
                encoding_aes_key=c.ENCODING_AES_KEY,
                message_mode=MessageMode.SAFE,
                account_type=AccountType.SUBSCRIPTION,
                verified=True,
                operation_model=OperationModel.INDEPENDENT if changes else model,
            )
            if changes:
                orgs.account_update(
                    actor=root,
                    account=account,
                    contractor=contractor,
                    operation_model=model,
                    confirm_model=model,
                )
        accounts.append(account)
    return accounts


def _grant(root: User, user: User, account: WeChatAccount, role: str) -> None:
    if not RoleGrant.objects.filter(user=user, account=account, role=role).exists():
        orgs.role_grant(actor=root, user=user, account=account, role=role)


def _people(root: User, accounts: list[WeChatAccount]) -> None:
    """The inspector, and the office's leader and reviewer, supervise all three accounts; the
    collaborative account's office staff edit too."""
    office = accounts[0].office
    inspector = User.objects.filter(username="inspector").first()
    if inspector is None:
        inspector = orgs.user_create(
            actor=root,
            password=c.DEMO_PASSWORD,
            username="inspector",
            display_name="郑督查",
            organisation=office,
            title="政务公开办 督查员",
            phone="13800001399",
        )
    for account in accounts:
        _grant(root, inspector, account, Role.OFFICE_REVIEWER)
        for username, role in (("leader", Role.OFFICE_LEADER), ("reviewer", Role.OFFICE_REVIEWER)):
            user = User.objects.filter(username=username).first()
            if user is not None:
                _grant(root, user, account, role)


def _contract(account: WeChatAccount, year: int) -> None:
    """The 福建防汛 operation contract for the year, unless procurement's demo made one."""
    if contracts.contract_current(account=account, on=date(year, 6, 1)) is not None:
        return
    supplier = Supplier.objects.filter(
        organisation=account.contractor
    ).first() or Supplier.objects.create(
        name=account.contractor.name,
        credit_code="91350100MA2XXXXX0J",
        organisation=account.contractor,
        is_sme=True,
    )
    value = Decimal("198000.00")
    purchase = Purchase.objects.create(
        account=account,
        ocid=f"ocds-zw0dmo-perf{year}",
        title=f"{year}年度“福建防汛”政务微信运营服务",
        year=year,
        level=Level.PROVINCIAL,
        step=Step.MONITORING,
        estimated_total=value,
    )
    Bid.objects.create(
        purchase=purchase, supplier=supplier, amount=value, submitted_on=date(year, 1, 5)
    )
    contract = Contract.objects.create(
        purchase=purchase,
        account=account,
        supplier=supplier,
        number=f"FJFX-YY-{year}-01",
        value=value,
        signed_on=date(year, 1, 10),
        start=date(year, 1, 1),
        end=date(year, 12, 31),
    )
    for n, (code, target, points, deduction) in enumerate(LEVELS):
        ServiceLevel.objects.create(
            contract=contract,
            indicator=code,
            target=Decimal(target),
            points=Decimal(points),
            deduction_percent=Decimal(deduction),
            position=n,
        )


def _history(
    account: WeChatAccount, start: date, today: date, rng: random.Random, *, style: str
) -> None:
    """Publications, statistics, messages and probes for the days [start, today)."""
    pubs, rows, convs, probes = [], [], [], []
    followers = {"main": 182000, "city": 41000, "coast": 26000}[style]
    # The independent account goes quiet for nine days before today (an amber warning).
    quiet_from = today - timedelta(days=9) if style == "city" else None
    day = start
    while day < today:
        weekday = day.weekday()
        push_days = {"main": (0, 2, 4), "city": (1, 4), "coast": (0, 2, 4, 6)}[style]
        # 福建防汛 skipped the push of 10–16 October (the national-day backlog: an amber week).
        skipped = style == "main" and date(day.year, 10, 10) <= day <= date(day.year, 10, 18)
        if weekday in push_days and not skipped and not (quiet_from and day >= quiet_from):
            articles = rng.choice((2, 2, 3, 4))
            originals = rng.randint(1, articles) if style != "city" else rng.randint(0, 1)
            pubs.append(
                seeding.push(
                    account,
                    _aware(day, 18, rng.randint(0, 50)),
                    articles=articles,
                    originals=originals,
                    ref=f"demo:{account.original_id}:{day.isoformat()}",
                    title=f"{account.name} {day:%m月%d日} 推送",
                )
            )
            pushed = articles
        else:
            pushed = 0
        # WeChat keeps statistics for a limited span: a few days are gone for good.
        if not (style == "main" and day.month == 8 and day.day in (12, 13)) and not (
            style == "coast" and day.day == 3
        ):
            new = rng.randint(25, 90) if style == "main" else rng.randint(5, 30)
            cancel = rng.randint(5, 20) if style == "main" else rng.randint(1, 8)
            followers += new - cancel
            reads = rng.randint(1500, 6000) if style == "main" else rng.randint(200, 1200)
            # Each article of the day's push: read, 在看, liked and shared (the WCI's figures).
            figures = [
                (
                    f"{day:%y%m%d}{account.pk:02d}_{k + 1}",
                    {
                        "read_user": (r := reads // (k + 2)),
                        "zaikan_user": r // 90,
                        "like_user": r // 40,
                        "share_user": r // 25,
                    },
                )
                for k in range(pushed)
            ]
            rows += seeding.stats_day(
                account,
                day,
                new=(new,),
                cancel=(cancel,),
                followers=followers,
                reads=reads,
                shares=reads // 20,
                articles=figures,
            )
        for n in range(rng.randint(0, 5)):
            created = _aware(day, rng.randint(7, 22), rng.randint(0, 59))
            unanswered = 0.004 if style == "main" else 0.03
            first = (
                created + timedelta(hours=rng.choice((0.5, 1, 2, 3, 5, 9, 14)))
                if rng.random() > unanswered
                else None
            )
            slow = 60 if style == "city" else 46
            resolved = (
                first + timedelta(hours=rng.randint(1, slow))
                if first and rng.random() > 0.03
                else None
            )
            if created > timezone.now() - timedelta(hours=2):
                continue
            convs.append(
                Conversation(
                    account=account,
                    channel=Channel.MESSAGE,
                    openid=f"oDEMOhist{account.pk:03d}{day:%m%d}{n}",
                    preview="（历史留言）",
                    category=rng.choice(
                        (
                            Category.INQUIRY,
                            Category.INQUIRY,
                            Category.SUGGESTION,
                            Category.COMPLAINT,
                        )
                    ),
                    state=ConversationState.RESOLVED if resolved else ConversationState.OPEN,
                    created_at=created,
                    last_item_at=created,
                    first_response_due=created + timedelta(hours=8),
                    resolution_due=created + timedelta(hours=48),
                    first_response_at=first,
                    resolved_at=resolved,
                    escalated_at=created + timedelta(minutes=rng.randint(5, 180))
                    if rng.random() < 0.2
                    else None,
                )
            )
        if day >= today - timedelta(days=10):
            for label, url in (
                ("汛情实况/雨情", "https://sk.fjsl.example/rain"),
                ("工作动态", "https://www.fjsl.example/news"),
            ):
                ok = not (
                    style == "coast" and label == "工作动态" and day >= today - timedelta(days=2)
                )
                probes.append(
                    MenuProbe(
                        account=account,
                        label=label,
                        url=url,
                        probed_at=_aware(day, 3),
                        ok=ok,
                        status_code=200 if ok else 502,
                        elapsed_ms=rng.randint(80, 900),
                        error="" if ok else "HTTP 502",
                    )
                )
        day += timedelta(days=1)
    Publication.objects.bulk_create(pubs, ignore_conflicts=True)
    DatacubeRow.objects.bulk_create(rows, ignore_conflicts=True)
    Conversation.objects.bulk_create(convs)
    MenuProbe.objects.bulk_create(probes)


def _scorecards(account: WeChatAccount, today: date) -> None:
    leader = User.objects.get(username="leader")
    reviewer = User.objects.get(username="reviewer")
    pm = User.objects.get(username="pm")
    for back in range(MONTHS, 0, -1):
        month = _month_start(today, back)
        card = services.scorecard_compute(
            actor=reviewer, account=account, period="month", day=month
        )
        if back >= 3:
            for item in card.items.all():
                services.scorecard_item_confirm(actor=reviewer, item=item)
            services.scorecard_sign(actor=leader, scorecard=card, comment="同意按考核结果验收。")
        elif back == 2:
            items = {i.code: i for i in card.items.all()}
            volume = items.get("volume_vs_plan")
            if volume is not None:
                services.scorecard_item_dispute(
                    actor=reviewer, item=volume, comment="国庆期间停更一周，发布量不足，请说明。"
                )
                services.scorecard_item_respond(
                    actor=pm,
                    item=volume,
                    comment="10月10日至18日按委托方要求暂停常规推送，配合防台专题，附通知截图。",
                )
            for code, item in items.items():
                if code != "volume_vs_plan":
                    services.scorecard_item_confirm(actor=reviewer, item=item)


def _filings_and_reprints(reviewer: User, accounts: list[WeChatAccount], today: date) -> None:
    """福建防汛 and 八闽水情 are filed with the national registry under the office (八闽水情 after
    福建防汛: one account per owner and platform, so it is flagged); 福建山洪预警 is not filed.
    福建防汛 reprinted two articles the 应急管理部 designated (3 h and 11 h later) and has one
    waiting since two days ago."""
    main, city, _coast = accounts
    for account, number, filed in (
        (main, "FJ-ZWXMT-2019-0007", 2019),
        (city, "FJ-ZWXMT-2022-0031", 2022),
    ):
        services.registry_filing_record(
            actor=reviewer,
            account=account,
            registry_number=number,
            registered_name=account.name,
            registered_owner=account.office.name,
            filed_on=date(filed, 5, 20),
        )
    for n, (back, hours) in enumerate(((40, 3), (12, 11), (2, None))):
        designated = _aware(today - timedelta(days=back), 9, 30)
        request = services.reprint_request_record(
            actor=reviewer,
            account=main,
            title=(
                "应急管理部关于做好强降雨防范工作的通知",
                "国家防总启动防汛四级应急响应",
                "水利部发布山洪灾害防御提示",
            )[n],
            source_url=f"https://www.mem.gov.cn/xw/yjglbgzdt/demo-{n + 1}.shtml",
            designated_by="应急管理部",
            designated_at=designated,
        )
        if hours is not None:
            services.reprint_mark_done(
                actor=reviewer,
                request=request,
                reprinted_at=designated + timedelta(hours=hours),
                reprint_url="https://mp.weixin.qq.com/s/fjfx-demo-reprint",
            )


def seed(out=print) -> None:
    main = WeChatAccount.objects.get(original_id=c.ORIGINAL_ID)
    if Publication.objects.filter(account=main, source=PublicationSource.MANUAL).exists():
        out("demo: performance history already present")
        return
    root = User.objects.get(username="root")
    today = timezone.localdate()
    start = _month_start(today, MONTHS)
    rng = random.Random(2026)
    with transaction.atomic():
        accounts = _accounts(root, main)
        _people(root, accounts)
        _contract(main, today.year)
        if start.year != today.year:
            _contract(main, start.year)
        for account, style in zip(accounts, ("main", "city", "coast"), strict=True):
            _history(account, start, today, rng, style=style)
        reviewer = User.objects.get(username="reviewer")
        services.incident_record(
            actor=reviewer,
            account=main,
            kind=IncidentKind.SERIOUS_ERROR,
            occurred_at=_aware(_month_start(today, 3) + timedelta(days=20), 9),
            description="推送中将“省防指副总指挥”职务表述错误，已撤回更正。",
        )
        services.incident_record(
            actor=reviewer,
            account=accounts[2],
            kind=IncidentKind.TYPO,
            occurred_at=_aware(today - timedelta(days=6), 10),
            description="“撤离”误作“撒离”。",
        )
        _filings_and_reprints(reviewer, accounts, today)
    _scorecards(main, today)
    services.veto_watch()
    services.month_figures_store()  # what performance_tick does once a month is over
    out(
        f"demo: performance history for {len(accounts)} accounts, "
        f"{Scorecard.objects.filter(account=main).count()} scorecards; inspector supervises all"
    )
