"""Demo organisations, the 福建防汛 account, one person per role and today's duty roster."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from zhengwei.demo import constants as c
from zhengwei.orgs import services
from zhengwei.orgs.models import (
    AccountType,
    DutyShift,
    MessageMode,
    OperationModel,
    Organisation,
    OrgKind,
    RoleGrant,
    User,
    WeChatAccount,
)


def ensure_root() -> User:
    root = User.objects.filter(username="root").first()
    if root is None:
        root = User.objects.create_superuser(
            "root", password=c.DEMO_PASSWORD, display_name="平台管理员"
        )
    return root


def _org(root: User, name: str, **fields) -> Organisation:
    org = Organisation.objects.filter(name=name).first()
    return org or services.organisation_create(actor=root, name=name, **fields)


def seed(out=print) -> WeChatAccount:
    root = ensure_root()
    office = _org(
        root,
        c.OFFICE_NAME,
        short_name=c.OFFICE_SHORT,
        kind=OrgKind.OFFICE,
        region_code="350000",
        region_name="福建省",
        contact_phone="0591-87000000",
    )
    contractor = _org(
        root,
        c.CONTRACTOR_NAME,
        short_name=c.CONTRACTOR_SHORT,
        kind=OrgKind.CONTRACTOR,
        credit_code="91350100MA2XXXXX0J",
    )
    unit = _org(
        root,
        c.UNIT_NAME,
        short_name=c.UNIT_SHORT,
        kind=OrgKind.UNIT,
        parent=office,
        region_code="350121",
        region_name="闽侯县",
        contact_phone="0591-22000000",
    )
    account = WeChatAccount.objects.filter(original_id=c.ORIGINAL_ID).first()
    if account is None:
        account = services.account_create(
            actor=root,
            office=office,
            contractor=contractor,
            name=c.ACCOUNT_NAME,
            original_id=c.ORIGINAL_ID,
            app_id=c.APP_ID,
            app_secret=c.APP_SECRET,
            token=c.TOKEN,
            encoding_aes_key=c.ENCODING_AES_KEY,
            message_mode=MessageMode.SAFE,
            account_type=AccountType.SUBSCRIPTION,
            verified=True,
            operation_model=OperationModel.DELEGATED,
        )
    orgs = {"office": office, "contractor": contractor, "unit": unit}
    for username, name, org_key, role, title in c.PEOPLE:
        if org_key is None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.user_create(
                actor=root,
                password=c.DEMO_PASSWORD,
                username=username,
                display_name=name,
                organisation=orgs[org_key],
                title=title,
                phone=f"1380000{len(username):02d}{ord(username[0]) % 100:02d}",
            )
        if not RoleGrant.objects.filter(user=user, account=account, role=role).exists():
            services.role_grant(actor=root, user=user, account=account, role=role)
    _roster(root, office, unit)
    out(f"demo: {account.name} ({account.original_id}) ready")
    return account


def _roster(root: User, office: Organisation, unit: Organisation) -> None:
    """Three days of 24-hour shifts from 08:00, A and B posts, so somebody is always on duty."""
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    posts = [(office, "A", "duty"), (office, "B", "dutylead"), (unit, "A", "county")]
    for offset in (-1, 0, 1):
        day = today + timedelta(days=offset)
        start = timezone.make_aware(datetime.combine(day, time(8)), tz)
        end = start + timedelta(days=1)
        for org, post, username in posts:
            if DutyShift.objects.filter(
                organisation=org, post=post, starts_at__lt=end, ends_at__gt=start
            ).exists():
                continue
            services.duty_shift_create(
                actor=root,
                organisation=org,
                user=User.objects.get(username=username),
                starts_at=start,
                ends_at=end,
                post=post,
            )
