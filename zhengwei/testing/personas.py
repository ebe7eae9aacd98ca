"""One person per role on one delegated account, plus an outsider: every access test uses them."""

from __future__ import annotations

from dataclasses import dataclass, field

from zhengwei.orgs.models import OrgKind, Role, User, WeChatAccount
from zhengwei.testing.factories import OrganisationFactory, UserFactory, WeChatAccountFactory, grant

ROLE_SIDE = {
    Role.OFFICE_LEADER: "office",
    Role.OFFICE_REVIEWER: "office",
    Role.DUTY_LEADER: "office",
    Role.DUTY_OFFICER: "office",
    Role.PROCUREMENT_OFFICER: "office",
    Role.AUDITOR: "office",
    Role.SYSTEM_ADMIN: "office",
    Role.PROJECT_MANAGER: "contractor",
    Role.EDITOR: "contractor",
    Role.WRITER: "contractor",
    Role.OPERATOR: "contractor",
    Role.UNIT_OFFICER: "unit",
    Role.SECURITY_ADMIN: "office",
}


@dataclass
class World:
    account: WeChatAccount
    office: object
    contractor: object
    unit: object
    people: dict[str, User] = field(default_factory=dict)
    outsider: User | None = None

    def __getitem__(self, role: str) -> User:
        return self.people[role]


def build_world() -> World:
    office = OrganisationFactory(name="测试防汛办", kind=OrgKind.OFFICE)
    contractor = OrganisationFactory(name="测试传媒公司", kind=OrgKind.CONTRACTOR)
    unit = OrganisationFactory(name="测试县防办", kind=OrgKind.UNIT, parent=office)
    account = WeChatAccountFactory(office=office, contractor=contractor)
    world = World(account=account, office=office, contractor=contractor, unit=unit)
    orgs = {"office": office, "contractor": contractor, "unit": unit}
    for role, side in ROLE_SIDE.items():
        user = UserFactory(username=str(role), organisation=orgs[side])
        grant(user, account, role)
        world.people[str(role)] = user
    # A member of another office with every office role there, and none here.
    other = WeChatAccountFactory()
    world.outsider = UserFactory(username="outsider", organisation=other.office)
    grant(world.outsider, other, Role.SYSTEM_ADMIN)
    grant(world.outsider, other, Role.AUDITOR)
    grant(world.outsider, other, Role.DUTY_OFFICER)
    return world
