"""The message log names clicks from the inbound app's record of button names: fill it from the
menus kept so far (each menu from the time it became current), as publishing does from now on."""

from django.db import migrations


def backfill(apps, schema_editor):
    PublishedMenu = apps.get_model("wechat_outbound", "PublishedMenu")
    MenuButtonName = apps.get_model("wechat_inbound", "MenuButtonName")
    latest: dict[tuple[int, str], str] = {}
    rows = []
    for menu in PublishedMenu.objects.order_by("published_at", "pk").iterator():
        for top in (menu.json or {}).get("button") or []:
            for button in top.get("sub_button") or [top]:
                key = (button.get("key") or button.get("url") or "")[:512]
                name = (button.get("name") or "")[:60]
                if key and name and latest.get((menu.account_id, key)) != name:
                    latest[(menu.account_id, key)] = name
                    rows.append(
                        MenuButtonName(
                            account_id=menu.account_id, key=key, name=name, since=menu.published_at
                        )
                    )
    MenuButtonName.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("wechat_outbound", "0005_circuit_and_retries"),
        ("wechat_inbound", "0003_menu_button_names"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
