"""Every role × every action, written out by hand.

The table below is the specification. It is deliberately not derived from ``ACTION_ROLES``: a
table computed from the policy would agree with any policy, right or wrong. When a later issue
registers an action, ``test_the_table_lists_every_action_of_the_policy`` fails until a row for it
is added here, so the matrix grows with the policy.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwei.access import policy
from zhengwei.access.policy import ACTION_ROLES, PERSONAL_DATA_ACTIONS, Action, may, require
from zhengwei.orgs import services
from zhengwei.orgs.models import OperationModel, OrgKind, Role, RoleGrant, User, WeChatAccount
from zhengwei.testing.factories import OrganisationFactory, UserFactory, WeChatAccountFactory
from zhengwei.testing.personas import ROLE_SIDE

pytestmark = pytest.mark.django_db

# One column per role, in this order.
COLUMNS = [
    "office_leader",  # OL 办公室主任（终审）
    "office_reviewer",  # OR 初审/复审
    "duty_leader",  # DL 带班领导
    "duty_officer",  # DO 值班员
    "procurement_officer",  # PO 采购
    "auditor",  # AU 审计（只读）
    "system_admin",  # SA 系统管理员
    "project_manager",  # PM 承办方项目经理
    "editor",  # ED 编辑
    "writer",  # WR 记者
    "operator",  # OP 运营
    "unit_officer",  # UO 县/乡单位值班员
    "security_admin",  # SE 安全管理员 (三员分立: with SA and AU, three different people)
]
CONTRACTOR_COLUMNS = {"project_manager", "editor", "writer", "operator"}

# x: the role may do the action on its own account; .: it may not.
# fmt: off
EXPECTED = {
    #                        OL OR DL DO PO AU SA PM ED WR OP UO SE
    "console.view":         "x  x  x  x  x  x  x  x  x  x  x  x  x",
    "org.manage":           ".  .  .  .  .  .  x  .  .  .  .  .  .",
    "account.view":         "x  x  x  x  x  x  x  x  x  x  x  .  x",
    "account.manage":       ".  .  .  .  .  .  x  .  .  .  .  .  .",
    "people.view":          "x  .  .  .  .  x  x  x  .  .  .  .  x",
    "people.manage":        ".  .  .  .  .  .  x  .  .  .  .  .  .",
    "roster.view":          "x  .  x  x  .  x  x  .  .  .  .  x  .",
    "roster.manage":        ".  .  x  .  .  .  x  .  .  .  .  .  .",
    "audit.view":           ".  .  .  .  .  x  .  .  .  .  .  .  .",
    "audit.export":         ".  .  .  .  .  x  .  .  .  .  .  .  .",
    "retention.view":       ".  .  .  .  .  x  .  .  .  .  .  .  x",
    "personal_data.view":   "x  .  x  x  .  .  .  .  .  .  .  x  .",
    "otp.enrol":            "x  x  x  x  x  x  x  x  x  x  x  x  x",
    # reports (issue 4)
    "reports.view":                 "x  .  x  x  .  x  .  .  .  .  .  x  .",
    "reports.create":               ".  .  x  x  .  .  .  .  .  .  .  x  .",
    "reports.triage":               ".  .  x  x  .  .  .  .  .  .  .  .  .",
    "reports.dispatch":             ".  .  x  x  .  .  .  .  .  .  .  .  .",
    "reports.work":                 ".  .  x  x  .  .  .  .  .  .  .  x  .",
    "reports.close":                "x  .  x  x  .  .  .  .  .  .  .  .  .",
    "reports.escalate":             "x  .  x  x  .  .  .  .  .  .  .  x  .",
    "reports.personal_data.view":   "x  .  x  x  .  .  .  .  .  .  .  x  .",
    "reports.photo_original.view":  "x  .  x  x  .  .  .  .  .  .  .  .  .",
    "reports.export":               "x  .  x  x  .  x  .  .  .  .  .  .  .",
    "reports.counts.view":          "x  x  x  x  x  x  x  x  x  x  x  x  x",
    "reports.metrics.view":         "x  .  x  x  .  x  x  x  .  .  .  x  .",
    "reports.routing.manage":       ".  .  x  .  .  .  x  .  .  .  .  .  .",
    "reports.api_keys.manage":      ".  .  .  .  .  .  x  .  .  .  .  .  .",
    "reports.emergency.manage":     "x  .  x  .  .  .  .  .  .  .  .  .  .",
    "reports.emergency.view":       "x  .  x  x  .  x  .  .  .  .  .  .  .",
    # WeChat inbound and outbound (issue 3)
    "wechat.messages.view":         "x  x  x  x  x  x  x  .  x  .  x  .  x",
    "wechat.replies.view":          "x  x  x  x  x  x  x  x  x  .  x  .  x",
    "wechat.replies.manage":        ".  .  .  .  .  .  .  .  .  .  x  .  .",
    "wechat.rejections.view":       ".  .  .  .  .  x  x  .  .  .  .  .  .",
    "wechat.changes.view":          "x  x  x  .  .  x  x  x  .  .  x  .  .",
    "wechat.changes.approve":       "x  x  .  .  .  .  .  .  .  .  .  .  .",
    "wechat.changes.fast_track":    "x  .  x  .  .  .  .  .  .  .  .  .  .",
    "wechat.menu.manage":           ".  .  .  .  .  .  x  .  .  .  x  .  .",
    "wechat.customer_message.send": "x  .  x  x  .  .  .  .  .  .  x  .  .",
    "wechat.customer_message.send_personal":
                                    "x  .  x  x  .  .  .  .  .  .  .  .  .",
    "wechat.mass_send":             "x  .  .  .  .  .  x  .  .  .  x  .  .",
    "wechat.comment.view":          "x  x  x  x  .  x  x  x  x  .  x  .  .",
    "wechat.comment.manage":        "x  .  .  .  .  .  x  .  x  .  x  .  .",
    "wechat.stats.view":            "x  x  x  x  x  x  x  x  x  x  x  .  x",
    "wechat.api_log.view":          ".  .  .  .  .  x  x  .  .  .  .  .  .",
    # citizen interaction and the duty console (issue 4)
    "interactions.inbox.view":      "x  x  x  x  .  x  .  x  .  .  x  .  .",
    "interactions.inbox.handle":    "x  x  x  x  .  .  .  .  .  .  x  .  .",
    "interactions.inbox.assign":    "x  .  x  x  .  .  .  x  .  .  .  .  .",
    "interactions.inbox.convert":   ".  .  x  x  .  .  .  .  .  .  .  .  .",
    "interactions.reply.draft":     "x  x  x  x  .  .  .  .  .  .  x  .  .",
    "interactions.reply.send":      "x  .  x  x  .  .  .  .  .  .  .  .  .",
    "interactions.reply.approve":   "x  x  x  x  .  .  .  .  .  .  .  .  .",
    "interactions.templates.view":  "x  x  x  x  .  x  x  .  .  .  .  .  .",
    "interactions.templates.manage": "x  .  x  .  .  .  .  .  .  .  .  .  .",
    "duty.console.view":            "x  .  x  x  .  .  .  .  .  .  .  .  .",
    # flood information (issue 11)
    "hydro.view":                   "x  x  x  x  x  x  x  x  x  x  x  x  x",
    "hydro.import":                 ".  .  x  x  .  .  x  .  .  .  x  .  .",
    "hydro.briefing.write":         "x  .  x  x  .  .  .  .  x  x  x  .  .",
    "notify.deliveries.view":       "x  .  x  .  .  x  x  .  .  .  .  .  .",
    # procurement, contract and renewal (issue 12); evaluators must also sit on the panel
    "procurement.view":             "x  x  .  .  x  x  .  x  .  .  .  .  .",
    "procurement.manage":           ".  .  .  .  x  .  .  .  .  .  .  .  .",
    "procurement.qualification.sign": "x  x  .  .  x  .  .  .  .  .  .  .  .",
    "procurement.evaluate":         "x  x  x  x  x  .  .  .  .  .  .  .  .",
    "procurement.thresholds.manage": ".  .  .  .  x  .  x  .  .  .  .  .  .",
    "procurement.records.view":     "x  x  .  .  x  x  x  .  .  .  .  .  .",
    # newsroom: topics, articles, 三审, publishing, emergency, live coverage (issue 10)
    "newsroom.view":                "x  x  x  .  .  x  x  x  x  x  x  .  .",
    "newsroom.topic.propose":       "x  x  .  .  .  .  .  x  x  x  .  .  .",
    "newsroom.topic.decide":        "x  x  .  .  .  .  .  x  x  .  .  .  .",
    "newsroom.direction.issue":     "x  x  .  .  .  .  .  .  .  .  .  .  .",
    "newsroom.article.write":       ".  .  .  .  .  .  .  x  x  x  .  .  .",
    "newsroom.review":              "x  x  x  .  .  .  .  .  x  .  .  .  .",
    "newsroom.finding.decide":      "x  x  x  .  .  .  .  .  x  .  .  .  .",
    "newsroom.preview":             "x  x  x  .  .  .  .  x  x  x  x  .  .",
    "newsroom.push.manage":         "x  .  .  .  .  .  .  .  x  .  x  .  .",
    "newsroom.push.withdraw":       "x  .  .  .  .  .  .  .  .  .  .  .  .",
    "newsroom.columns.manage":      "x  x  .  .  .  .  .  x  .  .  .  .  .",
    "newsroom.words.manage":        "x  x  .  .  .  .  x  .  .  .  .  .  .",
    "newsroom.chain.manage":        "x  .  .  .  .  .  x  .  .  .  .  .  .",
    "newsroom.emergency.declare":   "x  .  x  .  .  .  .  .  .  .  .  .  .",
    "newsroom.live.post":           ".  .  .  .  .  .  .  x  x  x  x  .  .",
    "newsroom.live.check":          "x  x  x  x  .  .  .  .  .  .  .  .  .",
    "newsroom.metrics.view":        "x  x  x  .  x  x  x  x  x  .  .  .  x",
    # performance (issue 13)
    #                                    OL OR DL DO PO AU SA PM ED WR OP UO SE
    "performance.view":                 "x  x  x  .  x  x  x  x  .  .  .  .  .",
    "performance.scorecard.compute":    "x  x  .  .  x  .  .  .  .  .  .  .  .",
    "performance.scorecard.review":     "x  x  .  .  x  .  .  .  .  .  .  .  .",
    "performance.scorecard.respond":    ".  .  .  .  .  .  .  x  .  .  .  .  .",
    "performance.scorecard.sign":       "x  .  .  .  .  .  .  .  .  .  .  .  .",
    "performance.incident.record":      "x  x  .  .  .  .  .  .  .  .  .  .  .",
}
# fmt: on


def expected_for(role: str) -> dict[str, bool]:
    column = COLUMNS.index(role)
    return {action: row.split()[column] == "x" for action, row in EXPECTED.items()}


def fresh(user: User) -> User:
    """A new instance, so the policy's per-object grant cache cannot hide a change."""
    return User.objects.select_related("organisation").get(pk=user.pk)


def other_account(world) -> WeChatAccount:
    return world.outsider.grants.select_related("account__office").first().account


# --- The table itself ---------------------------------------------------------------------


def test_the_table_lists_every_action_of_the_policy():
    missing = sorted(set(ACTION_ROLES) - set(EXPECTED))
    assert not missing, f"add a row to EXPECTED for each new action: {missing}"


def test_the_table_lists_no_action_the_policy_does_not_know():
    assert not sorted(set(EXPECTED) - set(ACTION_ROLES))


def test_the_table_has_one_column_per_role_and_only_x_or_dot():
    assert COLUMNS == [str(r) for r in Role]
    for action, row in EXPECTED.items():
        cells = row.split()
        assert len(cells) == len(COLUMNS), action
        assert set(cells) <= {"x", "."}, action


def test_the_table_closes_every_personal_data_action_to_contractor_roles():
    for action in PERSONAL_DATA_ACTIONS & set(EXPECTED):
        assert not any(expected_for(role)[action] for role in CONTRACTOR_COLUMNS), action


def test_seeing_personal_data_is_marked_as_a_personal_data_action():
    assert Action.PERSONAL_DATA_VIEW in PERSONAL_DATA_ACTIONS


# --- Each persona on its own account, and on someone else's ---------------------------------


@pytest.mark.parametrize("role", COLUMNS)
def test_each_role_may_exactly_what_the_table_says_on_its_own_account(world, role):
    user = world[role]
    actual = {action: may(user, action, world.account) for action in EXPECTED}
    assert actual == expected_for(role)


@pytest.mark.parametrize("role", COLUMNS)
def test_each_role_may_the_same_when_no_object_is_named(world, role):
    # The sidebar and home page ask without an object: "may I do this anywhere?"
    user = world[role]
    actual = {action: may(user, action) for action in EXPECTED}
    assert actual == expected_for(role)


@pytest.mark.parametrize("role", COLUMNS)
def test_no_role_may_anything_on_another_offices_account(world, role):
    user = world[role]
    foreign = other_account(world)
    allowed = [a for a in EXPECTED if may(user, a, foreign) or may(user, a, foreign.office)]
    assert allowed == []


def test_the_system_administrator_manages_its_own_office_but_not_another(world):
    admin = world["system_admin"]
    foreign = other_account(world)
    assert may(admin, Action.ORG_MANAGE, world.office)
    assert may(admin, Action.ORG_MANAGE, world.unit)
    assert not may(admin, Action.ORG_MANAGE, foreign.office)
    with pytest.raises(PermissionDenied):
        require(admin, Action.ACCOUNT_MANAGE, foreign)


def test_the_outsider_may_nothing_on_this_offices_account(world):
    assert [a for a in EXPECTED if may(world.outsider, a, world.account)] == []
    assert [a for a in EXPECTED if may(world.outsider, a, world.office)] == []


def test_the_outsider_keeps_its_roles_on_its_own_account(world):
    foreign = other_account(world)
    # Outsider holds system administrator, auditor and duty officer there.
    assert may(world.outsider, Action.AUDIT_EXPORT, foreign)
    assert may(world.outsider, Action.PERSONAL_DATA_VIEW, foreign)
    assert may(world.outsider, Action.ORG_MANAGE, foreign.office)


@pytest.mark.parametrize("who", [None, AnonymousUser()], ids=["nobody", "anonymous"])
def test_an_anonymous_visitor_may_nothing(world, who):
    assert [a for a in EXPECTED if may(who, a) or may(who, a, world.account)] == []


@pytest.mark.parametrize("role", COLUMNS)
def test_a_deactivated_person_may_nothing(world, role):
    User.objects.filter(pk=world[role].pk).update(is_active=False)
    user = fresh(world[role])
    assert [a for a in EXPECTED if may(user, a) or may(user, a, world.account)] == []


def test_a_deactivated_account_gives_its_roles_nothing(world):
    WeChatAccount.objects.filter(pk=world.account.pk).update(is_active=False)
    duty = fresh(world["duty_officer"])
    assert not may(duty, Action.CONSOLE_VIEW)
    assert not may(duty, Action.PERSONAL_DATA_VIEW, world.account)


def test_a_person_without_any_role_may_nothing(world):
    member = UserFactory(organisation=world.office)
    assert [a for a in EXPECTED if may(member, a) or may(member, a, world.account)] == []


def test_the_platform_superuser_may_everything_except_personal_data(world):
    root = User.objects.create_superuser("root", password="Root@2026pass")
    allowed = {a for a in EXPECTED if may(root, a, world.account)}
    assert allowed == set(EXPECTED) - PERSONAL_DATA_ACTIONS


def test_an_unknown_action_is_an_error_not_a_refusal(world):
    with pytest.raises(KeyError):
        may(world["system_admin"], "no.such_action")


# --- The delegated model's promise: contractor staff never see citizens' personal data ------


@pytest.mark.parametrize("role", sorted(CONTRACTOR_COLUMNS))
def test_contractor_staff_never_see_personal_data_even_when_granted_an_office_role(world, role):
    person = world[role]
    assert person.org_kind == OrgKind.CONTRACTOR
    # A grant the service would refuse (RoleRule), written straight to the table.
    for office_role in (Role.DUTY_OFFICER, Role.OFFICE_LEADER, Role.UNIT_OFFICER):
        RoleGrant.objects.create(user=person, account=world.account, role=office_role)
    person = fresh(person)
    # The operation model does not let the contractor hold these roles: they give nothing ...
    assert not may(person, Action.ROSTER_VIEW, world.account)
    # ... and never personal data.
    for action in PERSONAL_DATA_ACTIONS:
        assert not may(person, action, world.account), action
        assert not may(person, action), action


def test_a_contractor_superuser_still_never_sees_personal_data(world):
    User.objects.filter(pk=world["editor"].pk).update(is_superuser=True)
    editor = fresh(world["editor"])
    assert may(editor, Action.ACCOUNT_MANAGE, world.account)
    assert not may(editor, Action.PERSONAL_DATA_VIEW, world.account)


def test_an_action_registered_later_as_personal_data_is_closed_to_contractors(world, monkeypatch):
    monkeypatch.setattr(policy, "ACTION_ROLES", dict(policy.ACTION_ROLES))
    monkeypatch.setattr(policy, "PERSONAL_DATA_ACTIONS", set(policy.PERSONAL_DATA_ACTIONS))
    policy.register("report.citizen_phone", set(Role), personal_data=True)
    assert may(world["duty_officer"], "report.citizen_phone", world.account)
    assert may(world["unit_officer"], "report.citizen_phone", world.account)
    for role in CONTRACTOR_COLUMNS:
        assert not may(world[role], "report.citizen_phone", world.account), role


def test_the_service_refuses_an_office_role_to_a_contractor_member_in_the_delegated_model(world):
    root = User.objects.create_superuser("root", password="Root@2026pass")
    with pytest.raises(ValidationError):
        services.role_grant(
            actor=root, user=world["editor"], account=world.account, role=Role.DUTY_OFFICER
        )


# --- Independent and collaborative accounts -------------------------------------------------


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", password="Root@2026pass")


def _person(org, root, account, role) -> User:
    user = UserFactory(organisation=org)
    services.role_grant(actor=root, user=user, account=account, role=role)
    return fresh(user)


def test_in_the_independent_model_the_office_does_everything_itself(root):
    office = OrganisationFactory(kind=OrgKind.OFFICE)
    contractor = OrganisationFactory(kind=OrgKind.CONTRACTOR)
    account = WeChatAccountFactory(
        office=office, contractor=None, operation_model=OperationModel.INDEPENDENT
    )
    editor = _person(office, root, account, Role.EDITOR)
    duty = _person(office, root, account, Role.DUTY_OFFICER)

    assert may(editor, Action.ACCOUNT_VIEW, account)
    assert not may(editor, Action.PERSONAL_DATA_VIEW, account)  # an editor's role, not its side
    assert may(duty, Action.PERSONAL_DATA_VIEW, account)
    # A contractor is no party to an independently run account.
    with pytest.raises(ValidationError):
        _person(contractor, root, account, Role.EDITOR)


def test_in_the_collaborative_model_both_sides_produce_but_only_the_office_sees_personal_data(
    root,
):
    office = OrganisationFactory(kind=OrgKind.OFFICE)
    contractor = OrganisationFactory(kind=OrgKind.CONTRACTOR)
    account = WeChatAccountFactory(
        office=office, contractor=contractor, operation_model=OperationModel.COLLABORATIVE
    )
    office_editor = _person(office, root, account, Role.EDITOR)
    contractor_editor = _person(contractor, root, account, Role.EDITOR)
    manager = _person(contractor, root, account, Role.PROJECT_MANAGER)
    duty = _person(office, root, account, Role.DUTY_OFFICER)

    for editor in (office_editor, contractor_editor):
        assert may(editor, Action.CONSOLE_VIEW, account)
        assert may(editor, Action.ACCOUNT_VIEW, account)
        assert not may(editor, Action.PERSONAL_DATA_VIEW, account)
    assert may(manager, Action.PEOPLE_VIEW, account)
    assert not may(manager, Action.PEOPLE_MANAGE, account)
    assert may(duty, Action.PERSONAL_DATA_VIEW, account)
    # The contractor may not hold office roles here either.
    with pytest.raises(ValidationError):
        _person(contractor, root, account, Role.DUTY_OFFICER)


def test_the_personas_sit_on_the_side_their_role_belongs_to(world):
    # Guards the fixture the whole matrix relies on.
    for role, side in ROLE_SIDE.items():
        assert world[role].org_kind == side, role
