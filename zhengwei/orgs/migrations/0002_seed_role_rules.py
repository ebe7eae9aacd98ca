from django.db import migrations


def seed(apps, schema_editor):
    from zhengwei.orgs.roles import default_rule_rows

    RoleRule = apps.get_model("orgs", "RoleRule")
    for model, role, kind in default_rule_rows():
        RoleRule.objects.get_or_create(operation_model=model, role=role, org_kind=kind)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
