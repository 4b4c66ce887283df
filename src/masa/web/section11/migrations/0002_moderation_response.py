from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("section11", "0001_initial")]

    operations = [
        migrations.AddField(model_name="moderation", name="response_kind",
                            field=models.CharField(blank=True, max_length=10)),
        migrations.AddField(model_name="moderation", name="response", field=models.TextField(blank=True)),
        migrations.AddField(model_name="moderation", name="response_by",
                            field=models.CharField(blank=True, max_length=150)),
    ]
