"""Load the default framework of eight relationship behaviors (``frameworks/default.yaml``)."""

from django.db import migrations


def load_default_framework(apps, schema_editor):
    from bridgework.mentoring.frameworks import default_framework

    BehaviorFramework = apps.get_model("mentoring", "BehaviorFramework")
    FrameworkVersion = apps.get_model("mentoring", "FrameworkVersion")
    content = default_framework()
    framework, created = BehaviorFramework.objects.get_or_create(
        slug=content["slug"],
        defaults={
            "name": content["name"],
            "description": content["description"],
            "is_default": not BehaviorFramework.objects.filter(is_default=True).exists(),
        },
    )
    if created:
        FrameworkVersion.objects.create(
            framework=framework, number=1, content=content, note="The default framework."
        )


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial")]

    operations = [migrations.RunPython(load_default_framework, migrations.RunPython.noop)]
