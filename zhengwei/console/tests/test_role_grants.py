"""Granting and revoking roles: only what the role rules allow, each step audited."""

import pytest
from django.urls import reverse

from zhengwei.audit.models import AuditEntry
from zhengwei.orgs.models import Role, RoleGrant
from zhengwei.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(world):
    return UserFactory(username="newcomer", display_name="新同事", organisation=world.office)


def test_the_person_page_lists_the_roles_allowed_on_the_account(world, client_for, newcomer):
    html = (
        client_for(world["system_admin"])
        .get(reverse("console:person_detail", args=[newcomer.pk]))
        .content.decode()
    )
    assert 'data-testid="allowed-roles"' in html
    assert "带班领导" in html
    allowed = html.split('data-testid="allowed-roles"')[1].split("</div>")[0]
    assert "编辑" not in allowed  # the contractor's role under the delegated model


def test_the_allowed_list_follows_the_chosen_account_by_htmx(world, client_for, newcomer):
    response = client_for(world["system_admin"]).get(
        reverse("console:person_grant_roles", args=[newcomer.pk]),
        {"account": world.account.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "审计员（只读）" in response.content.decode()


def test_granting_an_allowed_role_is_audited(world, client_for, newcomer):
    response = client_for(world["system_admin"]).post(
        reverse("console:person_grant", args=[newcomer.pk]),
        {"account": world.account.pk, "role": Role.DUTY_OFFICER},
    )
    assert response.status_code == 302
    assert RoleGrant.objects.filter(user=newcomer, role=Role.DUTY_OFFICER).exists()
    entry = AuditEntry.objects.get(action="role.grant", object_id=str(newcomer.pk))
    assert entry.after == {"account": world.account.original_id, "role": "duty_officer"}
    assert entry.actor == world["system_admin"]


def test_a_role_the_rules_forbid_is_refused_with_the_reason(world, client_for, newcomer):
    response = client_for(world["system_admin"]).post(
        reverse("console:person_grant", args=[newcomer.pk]),
        {"account": world.account.pk, "role": Role.EDITOR},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "完全委托运作" in html
    assert "不能担任" in html
    assert "编辑" in html
    assert not RoleGrant.objects.filter(user=newcomer, role=Role.EDITOR).exists()
    assert not AuditEntry.objects.filter(action="role.grant", object_id=str(newcomer.pk)).exists()


def test_revoking_a_role_is_audited(world, client_for):
    grant = RoleGrant.objects.get(user=world["writer"], role=Role.WRITER)
    response = client_for(world["system_admin"]).post(
        reverse("console:grant_revoke", args=[grant.pk])
    )
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    entry = AuditEntry.objects.get(action="role.revoke", object_id=str(world["writer"].pk))
    assert entry.before == {"account": world.account.original_id, "role": "writer"}


def test_another_offices_administrator_cannot_revoke(world, client_for):
    grant = RoleGrant.objects.get(user=world["writer"], role=Role.WRITER)
    response = client_for(world.outsider).post(reverse("console:grant_revoke", args=[grant.pk]))
    assert response.status_code == 403
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_an_auditor_sees_roles_but_no_grant_form(world, client_for, newcomer):
    html = (
        client_for(world["auditor"])
        .get(reverse("console:person_detail", args=[world["writer"].pk]))
        .content.decode()
    )
    assert "撰稿/记者" in html
    assert reverse("console:person_grant", args=[world["writer"].pk]) not in html
    response = client_for(world["auditor"]).post(
        reverse("console:person_grant", args=[newcomer.pk]),
        {"account": world.account.pk, "role": Role.DUTY_OFFICER},
    )
    assert response.status_code == 403
