"""The office records a registry filing and a designated reprint on their page, and sees the
indicator each feeds; the contractor may not record them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhengwei.performance.models import RegistryFiling, ReprintRequest

pytestmark = pytest.mark.django_db
URL = "/performance/records/"


def test_the_office_records_a_filing_and_a_reprint_and_sees_them(world, client_for):
    client = client_for(world["office_reviewer"])
    account = world.account
    page = client.get(f"{URL}?account={account.pk}")
    assert page.status_code == 200 and 'data-testid="filing-form"' in page.text
    assert 'data-testid="registry-failures"' in page.text  # nothing filed yet

    client.post(
        URL,
        {
            "account": account.pk,
            "form": "filing",
            "registry_number": "FJ-2026-0001",
            "registered_name": account.name,
            "registered_owner": account.office.name,
            "platform": "微信",
            "filed_on": (timezone.localdate() - timedelta(days=30)).isoformat(),
        },
    )
    designated = timezone.localtime() - timedelta(hours=5)
    client.post(
        URL,
        {
            "account": account.pk,
            "form": "reprint",
            "title": "应急管理部关于做好防汛工作的通知",
            "source_url": "https://www.mem.gov.cn/gk/tzgg/notice.html",
            "designated_by": "应急管理部",
            "designated_at": designated.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    reprint = ReprintRequest.objects.get(account=account)
    client.post(
        URL,
        {
            "account": account.pk,
            "form": "reprinted",
            "request": reprint.pk,
            "reprinted_at": (designated + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    reprint.refresh_from_db()
    assert RegistryFiling.objects.get(account=account).registry_number == "FJ-2026-0001"
    assert reprint.reprinted_at is not None
    page = client.get(f"{URL}?account={account.pk}")
    assert "FJ-2026-0001" in page.text and 'data-testid="registry-failures"' not in page.text
    assert 'data-testid="reprint-latency"' in page.text and "2.00" in page.text


def test_the_contractor_cannot_record_them(world, client_for):
    client = client_for(world["project_manager"])
    response = client.get(f"{URL}?account={world.account.pk}")
    assert response.status_code == 403
    client.post(
        URL,
        {
            "account": world.account.pk,
            "form": "filing",
            "registry_number": "X",
            "filed_on": "2026-01-01",
        },
    )
    assert not RegistryFiling.objects.exists() and ReprintRequest.objects.count() == 0
