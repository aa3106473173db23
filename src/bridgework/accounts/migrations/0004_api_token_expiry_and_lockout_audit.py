"""API tokens expire; sign-in lockouts have their own audit action.

Tokens made before expiry existed get ``created_at + API_TOKEN_DAYS``, so a
token older than that stops working when this migration runs: that is the
point (they used to work for ever).
"""

import datetime as dt

from django.conf import settings
from django.db import migrations, models

import bridgework.accounts.models


def set_expiry_of_existing_tokens(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    lifetime = dt.timedelta(days=getattr(settings, "API_TOKEN_DAYS", 90))
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + lifetime)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_role_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(
                help_text="After this moment the token no longer works.", null=True
            ),
        ),
        migrations.RunPython(set_expiry_of_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(
                default=bridgework.accounts.models.api_token_expiry,
                help_text="After this moment the token no longer works.",
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Created"),
                    ("update", "Updated"),
                    ("delete", "Deleted"),
                    ("view", "Viewed"),
                    ("login", "Logged in"),
                    ("merge", "Merged"),
                    ("import", "Imported"),
                    ("lockout", "Locked out"),
                ],
                max_length=10,
            ),
        ),
    ]
