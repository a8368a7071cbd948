import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
        ("core", "0004_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicationdocument",
            name="document",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="application_uses",
                to="core.document",
                verbose_name="document",
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="plan",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The services and their prerequisites, as planned at intake.",
                verbose_name="procedures of the plan",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="clock",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="case",
                to="core.legalclock",
                verbose_name="legal clock",
            ),
        ),
    ]
