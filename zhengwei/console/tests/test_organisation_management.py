"""Administrators create and edit organisations; every change is audited with before and after."""

import pytest
from django.urls import reverse

from zhengwei.audit.models import AuditEntry
from zhengwei.orgs.models import Organisation, OrgKind

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "name": "连江县防汛抗旱指挥部办公室",
        "short_name": "连江县防办",
        "kind": OrgKind.UNIT,
        "parent": "",
        "region_code": "350122",
        "region_name": "连江县",
        "credit_code": "",
        "contact_phone": "0591-26000000",
    }
    data.update(overrides)
    return data


def test_the_list_shows_kind_parent_and_region(world, client_for):
    html = client_for(world["system_admin"]).get(reverse("console:organisation_list")).content
    html = html.decode()
    assert world.unit.name in html
    assert world.office.name in html
    assert "县/乡镇单位" in html


def test_the_list_filters_by_kind(world, client_for):
    response = client_for(world["system_admin"]).get(
        reverse("console:organisation_list"), {"kind": "contractor"}
    )
    html = response.content.decode()
    assert world.contractor.name in html
    assert world.unit.name not in html


def test_creating_a_unit_under_the_office_is_audited(world, client_for):
    client = client_for(world["system_admin"])
    response = client.post(
        reverse("console:organisation_create"), _form(parent=world.office.pk), follow=True
    )
    assert response.status_code == 200
    org = Organisation.objects.get(name="连江县防汛抗旱指挥部办公室")
    assert org.parent == world.office
    entry = AuditEntry.objects.get(action="organisation.create", object_id=str(org.pk))
    assert entry.actor == world["system_admin"]
    assert entry.before is None
    assert entry.after["name"] == org.name
    assert entry.after["parent_id"] == world.office.pk
    assert "已创建" in response.content.decode()


def test_a_unit_without_a_parent_office_is_refused_with_a_clear_message(world, client_for):
    response = client_for(world["system_admin"]).post(
        reverse("console:organisation_create"), _form()
    )
    assert response.status_code == 200
    assert "单位必须隶属于一个机关" in response.content.decode()
    assert not Organisation.objects.filter(name="连江县防汛抗旱指挥部办公室").exists()


def test_a_malformed_region_code_is_refused(world, client_for):
    response = client_for(world["system_admin"]).post(
        reverse("console:organisation_create"), _form(parent=world.office.pk, region_code="35")
    )
    assert "行政区划代码" in response.content.decode()
    assert not Organisation.objects.filter(name="连江县防汛抗旱指挥部办公室").exists()


def test_editing_records_only_what_changed(world, client_for):
    client = client_for(world["system_admin"])
    url = reverse("console:organisation_edit", args=[world.unit.pk])
    data = _form(
        name=world.unit.name,
        short_name="新简称",
        parent=world.office.pk,
        region_code="",
        region_name="",
        contact_phone="",
        is_active="on",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    world.unit.refresh_from_db()
    assert world.unit.short_name == "新简称"
    entry = AuditEntry.objects.get(action="organisation.update", object_id=str(world.unit.pk))
    assert entry.before == {"short_name": ""}
    assert entry.after == {"short_name": "新简称"}


def test_another_offices_administrator_cannot_edit_by_posting(world, client_for):
    url = reverse("console:organisation_edit", args=[world.office.pk])
    response = client_for(world.outsider).post(url, _form(kind=OrgKind.OFFICE, name="改名"))
    assert response.status_code == 403
    world.office.refresh_from_db()
    assert world.office.name != "改名"
