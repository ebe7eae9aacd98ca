"""Administrators create, edit, deactivate and reactivate people; each step is audited."""

import pytest
from django.urls import reverse

from zhengwei.audit.models import AuditEntry
from zhengwei.orgs.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Fjfx@2026river"


def _form(world, **overrides):
    data = {
        "display_name": "钱值班",
        "username": "qianzhiban",
        "organisation": world.office.pk,
        "title": "值班员",
        "phone": "13800000001",
        "email": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def test_the_list_shows_organisation_and_roles(world, client_for):
    html = client_for(world["system_admin"]).get(reverse("console:person_list")).content.decode()
    assert world["duty_officer"].display_name in html
    assert "测试防汛办" in html
    assert "值班员" in html


def test_the_list_is_searchable(world, client_for):
    client = client_for(world["system_admin"])
    html = client.get(reverse("console:person_list"), {"q": "测试传媒"}).content.decode()
    assert world["editor"].display_name in html
    assert world["duty_officer"].display_name not in html


def test_the_search_answers_htmx_with_the_table_alone(world, client_for):
    response = client_for(world["system_admin"]).get(
        reverse("console:person_list"), {"q": "editor"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'data-testid="people"' in html
    assert "<html" not in html


def test_creating_a_person_is_audited_without_the_password(world, client_for):
    response = client_for(world["system_admin"]).post(
        reverse("console:person_create"), _form(world)
    )
    person = User.objects.get(username="qianzhiban")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:person_detail", args=[person.pk])
    assert person.check_password(PASSWORD)
    entry = AuditEntry.objects.get(action="user.create", object_id=str(person.pk))
    assert entry.before is None
    assert entry.after["username"] == "qianzhiban"
    assert entry.after["organisation_id"] == world.office.pk
    assert PASSWORD not in str(entry.after)
    assert not any("password" in key for key in entry.after)


@pytest.mark.parametrize(
    ("password", "message"),
    [("short1!", "密码长度太短"), ("onlylowercaseletters", "字符"), ("password123", "太常见")],
)
def test_a_weak_initial_password_is_refused_by_the_validators(world, client_for, password, message):
    response = client_for(world["system_admin"]).post(
        reverse("console:person_create"), _form(world, password1=password, password2=password)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="qianzhiban").exists()


def test_the_two_passwords_must_match(world, client_for):
    response = client_for(world["system_admin"]).post(
        reverse("console:person_create"), _form(world, password2="Other@2026river")
    )
    assert "两次输入的密码不一致" in response.content.decode()


def test_a_taken_user_name_is_refused(world, client_for):
    response = client_for(world["system_admin"]).post(
        reverse("console:person_create"), _form(world, username="editor")
    )
    assert response.status_code == 200
    assert User.objects.filter(username="editor").count() == 1
    assert "已存在" in response.content.decode()


def test_people_may_only_be_placed_in_organisations_in_reach(world, client_for):
    response = client_for(world["system_admin"]).post(
        reverse("console:person_create"), _form(world, organisation=world.outsider.organisation.pk)
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="qianzhiban").exists()


def test_editing_a_person_records_before_and_after(world, client_for):
    person = world["writer"]
    response = client_for(world["system_admin"]).post(
        reverse("console:person_edit", args=[person.pk]),
        {
            "display_name": "赵首席记者",
            "username": person.username,
            "organisation": person.organisation_id,
            "title": "首席记者",
            "phone": "",
            "email": "",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="user.update", object_id=str(person.pk))
    assert entry.before == {"display_name": person.display_name, "title": ""}
    assert entry.after == {"display_name": "赵首席记者", "title": "首席记者"}


def test_deactivating_and_reactivating_are_audited(world, client_for):
    client = client_for(world["system_admin"])
    person = world["operator"]
    url = reverse("console:person_set_active", args=[person.pk])
    client.post(url, {"active": "0"})
    person.refresh_from_db()
    assert not person.is_active
    entry = AuditEntry.objects.get(action="user.deactivate", object_id=str(person.pk))
    assert entry.before == {"is_active": True} and entry.after == {"is_active": False}
    page = client.get(reverse("console:person_detail", args=[person.pk])).content.decode()
    assert 'data-testid="deactivated"' in page
    client.post(url, {"active": "1"})
    person.refresh_from_db()
    assert person.is_active
    assert AuditEntry.objects.filter(action="user.reactivate", object_id=str(person.pk)).exists()


def test_an_administrator_cannot_deactivate_themselves(world, client_for):
    admin = world["system_admin"]
    response = client_for(admin).post(
        reverse("console:person_set_active", args=[admin.pk]), {"active": "0"}, follow=True
    )
    admin.refresh_from_db()
    assert admin.is_active
    assert "不能停用自己" in response.content.decode()


def test_deactivation_needs_a_post(world, client_for):
    response = client_for(world["system_admin"]).get(
        reverse("console:person_set_active", args=[world["operator"].pk])
    )
    assert response.status_code == 405


def test_a_superuser_is_out_of_an_administrators_reach(world, client_for):
    root = User.objects.create_superuser("root", password="Root@2026pass")
    response = client_for(world["system_admin"]).get(
        reverse("console:person_detail", args=[root.pk])
    )
    assert response.status_code == 403
