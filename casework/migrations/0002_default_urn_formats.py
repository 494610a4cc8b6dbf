"""The URN shapes every force accepts (domain.md 9.1): a two-character unit code (two letters, or a
letter and a digit) and a five- or seven-digit serial. Force-specific variants are added as rows."""

from django.db import migrations


def add_defaults(apps, schema_editor):
    UrnFormat = apps.get_model("casework", "UrnFormat")
    if not UrnFormat.objects.filter(force__isnull=True).exists():
        UrnFormat.objects.create(
            unit_pattern=r"[A-Z][A-Z0-9]",
            serial_pattern=r"[0-9]{5}|[0-9]{7}",
            note="National default: NN/AA/NNNNN/NN or NN/AA/NNNNNNN/NN",
        )


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
