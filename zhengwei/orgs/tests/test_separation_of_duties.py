"""三员分立: the system, security and audit administrators are three different people; granting a
second of these roles to anyone is refused with the reason, in Chinese."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhengwei.orgs import services
from zhengwei.orgs.models import Role, RoleGrant, User
from zhengwei.testing.factories import UserFactory, WeChatAccountFactory

pytestmark = pytest.mark.django_db

ADMINS = [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR]


@pytest.mark.parametrize("held", ADMINS)
@pytest.mark.parametrize("wanted", ADMINS)
def test_no_person_holds_two_of_the_three_administrator_roles(world, held, wanted):
    if held == wanted:
        pytest.skip("the same role twice is no conflict")
    person = UserFactory(organisation=world.office)
    services.role_grant(actor=world["system_admin"], user=person, account=world.account, role=held)
    with pytest.raises(ValidationError) as refused:
        services.role_grant(
            actor=world["system_admin"], user=person, account=world.account, role=wanted
        )
    message = refused.value.messages[0]
    assert "三员分立" in message
    assert str(Role(held).label) in message and str(Role(wanted).label) in message
    assert not RoleGrant.objects.filter(user=person, role=wanted).exists()


def test_the_separation_holds_across_accounts(world):
    other = WeChatAccountFactory(office=world.office, contractor=world.contractor)
    root = User.objects.create_superuser("root", password="Root@2026pass")
    with pytest.raises(ValidationError):
        services.role_grant(
            actor=root,
            user=world["auditor"],
            account=other,
            role=Role.SECURITY_ADMIN,
        )


def test_an_administrator_may_hold_a_business_role_beside_it(world):
    grant = services.role_grant(
        actor=world["system_admin"],
        user=world["security_admin"],
        account=world.account,
        role=Role.DUTY_OFFICER,
    )
    assert grant.role == Role.DUTY_OFFICER


def test_the_person_page_shows_the_refusal_in_chinese(world, client_for):
    response = client_for(world["system_admin"]).post(
        reverse("console:person_grant", args=[world["auditor"].pk]),
        {"account": world.account.pk, "role": Role.SYSTEM_ADMIN},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "三员分立" in html
    assert "系统管理员" in html
    assert not RoleGrant.objects.filter(user=world["auditor"], role=Role.SYSTEM_ADMIN).exists()
