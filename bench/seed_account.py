"""Seed the benchmark database with one office and one safe-mode account carrying the bench keys.

Run by `bench/run callback` as `python bench/seed_account.py` with DATABASE_URL set; goes through
the orgs service functions like every other writer. Safe to run again.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwei.settings")

import django  # noqa: E402

django.setup()

from bench.keys import APP_ID, APP_SECRET, ENCODING_AES_KEY, ORIGINAL_ID, TOKEN  # noqa: E402
from zhengwei.orgs import services  # noqa: E402
from zhengwei.orgs.models import (  # noqa: E402
    AccountType,
    MessageMode,
    OperationModel,
    Organisation,
    OrgKind,
    User,
    WeChatAccount,
)


def main() -> None:
    root = User.objects.filter(username="bench-root").first() or User.objects.create_superuser(
        "bench-root", password=None, display_name="bench"
    )
    office = Organisation.objects.filter(name="基准测试办公室").first() or (
        services.organisation_create(
            actor=root, name="基准测试办公室", short_name="基准", kind=OrgKind.OFFICE
        )
    )
    if not WeChatAccount.objects.filter(original_id=ORIGINAL_ID).exists():
        services.account_create(
            actor=root,
            office=office,
            name="基准测试号",
            original_id=ORIGINAL_ID,
            app_id=APP_ID,
            app_secret=APP_SECRET,
            token=TOKEN,
            encoding_aes_key=ENCODING_AES_KEY,
            message_mode=MessageMode.SAFE,
            account_type=AccountType.SUBSCRIPTION,
            operation_model=OperationModel.INDEPENDENT,
        )
    print(f"bench account {ORIGINAL_ID} ready")


if __name__ == "__main__":
    main()
