"""The role rules table shows, per operation model, which side may hold which role."""

import pytest
from django.urls import reverse

from zhengwei.orgs.models import OperationModel, OrgKind, Role, RoleRule

pytestmark = pytest.mark.django_db


def test_it_shows_every_role_under_every_model(world, client_for):
    html = client_for(world["auditor"]).get(reverse("console:role_rules")).content.decode()
    for label in ["独立运作", "完全委托运作", "协同运作", "办公室领导（终审）", "单位值班员"]:
        assert label in html
    assert html.count("✓") >= RoleRule.objects.count()


def test_it_marks_rules_that_differ_from_the_defaults(world, client_for):
    RoleRule.objects.filter(
        operation_model=OperationModel.DELEGATED, role=Role.EDITOR, org_kind=OrgKind.CONTRACTOR
    ).delete()
    html = client_for(world["auditor"]).get(reverse("console:role_rules")).content.decode()
    assert html.count('class="table-warning"') == 1
