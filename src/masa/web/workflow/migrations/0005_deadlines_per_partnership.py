"""Deadlines, extensions and closures belong to one partnership: periods are shared rows, so a
deadline hung off a period alone was every partnership's. Existing rows go to the
installation's first partnership (the one stored first), whose business unit set them."""

import django.db.models.deletion
from django.db import migrations, models


def _to_first_partnership(apps, schema_editor):
    SpecVersion = apps.get_model("core", "SpecVersion")
    first = SpecVersion.objects.order_by("id").values_list("partnership", flat=True).first() or ""
    for name in ("Deadline", "Extension", "Closure"):
        apps.get_model("workflow", name).objects.all().update(partnership=first)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_spec_file_state'),
        ('workflow', '0004_reviews_per_partnership'),
    ]

    operations = [
        migrations.AddField(model_name='deadline', name='partnership',
                            field=models.CharField(default='', max_length=64), preserve_default=False),
        migrations.AddField(model_name='extension', name='partnership',
                            field=models.CharField(default='', max_length=64), preserve_default=False),
        migrations.AddField(model_name='closure', name='partnership',
                            field=models.CharField(default='', max_length=64), preserve_default=False),
        migrations.RunPython(_to_first_partnership, migrations.RunPython.noop),
        migrations.AlterField(model_name='deadline', name='period',
                              field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                      related_name='deadlines', to='core.period')),
        migrations.AlterField(model_name='closure', name='period',
                              field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                      related_name='closures', to='core.period')),
        migrations.AlterUniqueTogether(name='deadline', unique_together={('period', 'partnership')}),
        migrations.AlterUniqueTogether(name='closure', unique_together={('period', 'partnership')}),
        migrations.AlterUniqueTogether(name='extension', unique_together={('period', 'partner', 'partnership')}),
        migrations.AlterModelOptions(name='extension', options={'ordering': ['period', 'partner', 'partnership']}),
    ]
