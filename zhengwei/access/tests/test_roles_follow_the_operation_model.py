"""Roles follow the operation model: a grant the account's model forbids gives nothing, whatever
the table holds; a change of model records the grants it suspends; the administrator sees and
revokes every grant."""

import pytest

from zhengwei.access.policy import may
from zhengwei.audit.models import AuditEntry
from zhengwei.orgs import services
from zhengwei.orgs.models import OperationModel, Role, RoleGrant, User
from zhengwei.testing.factories import grant

pytestmark = pytest.mark.django_db
MENU = "wechat.menu.manage"
KEYWORDS = "wechat.replies.manage"
DRAFT = "interactions.reply.draft"


def fresh(user):
    return User.objects.select_related("organisation").get(pk=user.pk)


def switch(world, model):
    extra = {"contractor": None} if model == OperationModel.INDEPENDENT else {}
    services.account_update(
        actor=world["system_admin"],
        account=world.account,
        operation_model=model,
        confirm_model=model,
        **extra,
    )
    world.account.refresh_from_db()


def test_an_independent_account_takes_the_contractor_operators_grants_away(world):
    operator = world["operator"]
    assert all(may(fresh(operator), a, world.account) for a in (MENU, KEYWORDS, DRAFT))
    switch(world, OperationModel.INDEPENDENT)
    for action in (MENU, KEYWORDS, DRAFT):
        assert not may(fresh(operator), action, world.account), action
    suspended = AuditEntry.objects.filter(action="role.suspend")
    assert {e.object_id for e in suspended} >= {str(operator.pk)}
    # Office roles are unaffected.
    assert may(fresh(world["duty_officer"]), "reports.triage", world.account)


def test_switching_back_leaves_no_office_reviewer_holding_the_operator_role(world):
    switch(world, OperationModel.COLLABORATIVE)
    reviewer = world["office_reviewer"]
    grant(reviewer, world.account, Role.OPERATOR)
    assert may(fresh(reviewer), MENU, world.account)
    switch(world, OperationModel.DELEGATED)
    assert not may(fresh(reviewer), MENU, world.account)
    assert AuditEntry.objects.filter(action="role.suspend", object_id=str(reviewer.pk)).exists()


def test_the_administrator_sees_and_revokes_every_grant_after_a_change(world, client_for):
    switch(world, OperationModel.INDEPENDENT)
    operator = world["operator"]
    client = client_for(world["system_admin"])
    page = client.get(f"/people/{operator.pk}/")
    assert page.status_code == 200
    assert 'data-testid="suspended"' in page.content.decode()
    held = RoleGrant.objects.get(user=operator, account=world.account, role=Role.OPERATOR)
    services.role_revoke(actor=fresh(world["system_admin"]), grant=held)
    assert not RoleGrant.objects.filter(pk=held.pk).exists()
