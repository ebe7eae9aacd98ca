import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhengwei.newsroom import services
from zhengwei.newsroom.models import ChainStep
from zhengwei.newsroom.tests.helpers import draft, pending

pytestmark = pytest.mark.django_db


def test_the_office_leader_edits_the_chain_on_its_page_and_new_reviews_follow_it(world, client_for):
    client = client_for(world["office_leader"])
    page = client.get(reverse("newsroom:chain"))
    assert 'data-testid="chain-normal"' in page.text and "初审" in page.text
    client.post(
        reverse("newsroom:chain"),
        {
            "mode": "normal",
            "name_1": "编辑初审",
            "role_1": "editor",
            "name_2": "签发",
            "role_2": "office_leader",
            "limit_2": "60",
            "escalate_2": "duty_leader",
        },
    )
    assert list(ChainStep.objects.values_list("name", "role")) == [
        ("编辑初审", "editor"),
        ("签发", "office_leader"),
    ]
    article = draft(world)
    services.article_submit(actor=world["writer"], article=article)
    assert pending(article).name == "编辑初审"


def test_the_last_level_must_be_held_by_the_office_and_writers_cannot_edit(world):
    with pytest.raises(Exception, match="office|办公室"):
        services.chain_save(
            actor=world["office_leader"],
            account=world.account,
            mode="normal",
            levels=[{"name": "签发", "role": "editor"}],
        )
    with pytest.raises(PermissionDenied):
        services.chain_save(actor=world["editor"], account=world.account, mode="normal", levels=[])
