import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("console:home"))
    assert response.status_code == 302
    assert reverse("access:login") in response["Location"]


def test_it_shows_each_person_their_roles(world, client_for):
    response = client_for(world["duty_officer"]).get(reverse("console:home"))
    assert response.status_code == 200
    assert "值班员" in response.content.decode()
