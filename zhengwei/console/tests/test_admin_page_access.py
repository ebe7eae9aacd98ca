"""Each management page opens for the roles it is meant for and answers 403 to everyone else."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _url(world, name):
    args = {
        "console:organisation_edit": [world.office.pk],
        "console:account_detail": [world.account.pk],
        "console:account_edit": [world.account.pk],
        "console:person_detail": [world["editor"].pk],
        "console:person_edit": [world["editor"].pk],
    }.get(name, [])
    return reverse(name, args=args)


PAGES = {
    # page: (personas who may open it, personas refused)
    "console:organisation_list": (["system_admin"], ["editor", "duty_officer", "auditor"]),
    "console:organisation_create": (["system_admin"], ["editor", "auditor"]),
    "console:organisation_edit": (["system_admin"], ["editor", "auditor", "outsider"]),
    "console:account_list": (["system_admin"], ["editor", "duty_officer", "unit_officer"]),
    "console:account_create": (["system_admin"], ["editor", "project_manager"]),
    "console:account_detail": (["system_admin"], ["editor", "office_leader", "outsider"]),
    "console:account_edit": (["system_admin"], ["editor", "auditor", "outsider"]),
    "console:person_list": (
        ["system_admin", "auditor", "office_leader", "project_manager"],
        ["editor", "duty_officer", "writer"],
    ),
    "console:person_create": (["system_admin"], ["editor", "auditor", "project_manager"]),
    "console:person_detail": (["system_admin", "auditor"], ["editor", "duty_officer", "outsider"]),
    "console:person_edit": (["system_admin"], ["editor", "auditor", "outsider"]),
    "console:role_rules": (["system_admin", "auditor"], ["editor", "duty_officer"]),
    "console:roster": (
        ["duty_officer", "duty_leader", "unit_officer", "auditor", "office_leader", "system_admin"],
        ["editor", "writer", "operator"],
    ),
    "console:shift_create": (
        ["duty_leader", "system_admin"],
        ["duty_officer", "auditor", "editor"],
    ),
}

ALLOWED = [(page, who) for page, (ok, _no) in PAGES.items() for who in ok]
REFUSED = [(page, who) for page, (_ok, no) in PAGES.items() for who in no]


def _persona(world, who):
    return world.outsider if who == "outsider" else world[who]


@pytest.mark.parametrize(("page", "who"), ALLOWED)
def test_the_page_opens_for_the_roles_it_serves(world, client_for, page, who):
    response = client_for(_persona(world, who)).get(_url(world, page))
    assert response.status_code == 200
    templates = [t.name for t in response.templates]
    assert "error.html" not in templates
    assert any(name.startswith("console/") for name in templates)  # the page itself


@pytest.mark.parametrize(("page", "who"), REFUSED)
def test_the_page_is_forbidden_to_other_roles_with_a_chinese_message(world, client_for, page, who):
    response = client_for(_persona(world, who)).get(_url(world, page))
    assert response.status_code == 403
    assert 'data-testid="error-page"' in response.content.decode()


@pytest.mark.parametrize("page", list(PAGES))
def test_anonymous_visitors_are_sent_to_sign_in(world, client, page):
    response = client.get(_url(world, page))
    assert response.status_code == 302
    assert reverse("access:login") in response["Location"]


def test_an_administrator_of_another_office_sees_none_of_this_offices_organisations(
    world, client_for
):
    response = client_for(world.outsider).get(reverse("console:organisation_list"))
    assert response.status_code == 200
    assert world.outsider.organisation.name in response.content.decode()  # their own
    assert world.office.name not in response.content.decode()
    assert world.contractor.name not in response.content.decode()


def test_an_administrator_of_another_office_sees_none_of_this_offices_people(world, client_for):
    response = client_for(world.outsider).get(reverse("console:person_list"))
    assert response.status_code == 200
    assert world.outsider.display_name in response.content.decode()  # their own people
    assert world["editor"].display_name not in response.content.decode()
