"""People see Chinese labels, one meaning per word (issue #7: "升级时间 1", "过滤器", a bare "止")."""

import pytest
from django.urls import reverse

from zhengwei.reports.tests.helpers import receive


@pytest.mark.django_db
def test_the_api_log_filter_says_shai_xuan_and_names_both_ends_of_the_period(world, client_for):
    page = client_for(world["system_admin"]).get(reverse("wechat_outbound:api_log"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "筛选" in html and "过滤器" not in html
    assert "起始时间" in html and "截止时间" in html and ">止<" not in html


@pytest.mark.django_db
def test_the_duty_card_names_the_escalation_level_not_the_escalation_time(world, client_for):
    report = receive(world)
    type(report).objects.filter(pk=report.pk).update(escalation_level=1)
    html = client_for(world["duty_officer"]).get(reverse("duty:console")).content.decode()
    assert 'data-testid="escalation"' in html
    assert "升级时间 1" not in html


def test_how_long_ago_is_said_in_one_unit():
    from datetime import timedelta

    from django.utils import timezone, translation

    from zhengwei.duty.templatetags.duty_tags import ago

    with translation.override("zh-hans"):
        said = ago(timezone.now() - timedelta(hours=29))
        assert said.replace("\xa0", " ") == "1 日前"
        assert ago(timezone.now()) == "刚刚"


@pytest.mark.django_db
def test_the_map_leaves_settings_to_the_administrators_docs(world, client_for):
    html = client_for(world["duty_officer"]).get(reverse("duty:map")).content.decode()
    assert "MAP_TILE_URL" not in html
