"""The console's import page: who may see it, who may upload, what an upload reports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengwei.hydro.models import ImportRun, RainObservation
from zhengwei.hydro.tests.helpers import RAIN, stations

pytestmark = pytest.mark.django_db


def test_an_operator_uploads_a_gbk_file_and_sees_what_was_rejected(world, client_for):
    stations()
    client = client_for(world["duty_officer"])
    bad = RAIN + "90000002,2017-07-31 06:00:00,-1,1.00,,,7\n"
    response = client.post(
        "/hydro/imports/",
        {"file": SimpleUploadedFile("雨量.csv", bad.encode("gbk")), "kind": ""},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "雨量.csv" in page and "1" in page
    assert RainObservation.objects.count() == 3
    run = ImportRun.objects.get(source="雨量.csv")
    assert run.actor == world["duty_officer"]
    rejects = client.get(f"/hydro/imports/{run.pk}/rejects/").content.decode()
    assert "negative rain" in rejects and "90000002,2017-07-31 06:00:00,-1" in rejects


def test_an_editor_sees_the_imports_but_cannot_upload(world, client_for):
    client = client_for(world["editor"])
    page = client.get("/hydro/imports/")
    assert page.status_code == 200 and 'data-testid="import-list"' in page.content.decode()
    assert 'data-testid="import-form"' not in page.content.decode()
    upload = SimpleUploadedFile("ST_PPTN_R.csv", RAIN.encode())
    assert client.post("/hydro/imports/", {"file": upload}).status_code == 403
    assert not ImportRun.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/hydro/imports/")
    assert response.status_code == 302 and "/signin/" in response["Location"]
