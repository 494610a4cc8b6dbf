from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # Built without blocking writes: the outbox holds a row for every alert ever raised.
    atomic = False

    dependencies = [
        ("alerts", "0002_inbox_order_index"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="alertdelivery",
            index=models.Index(
                condition=models.Q(("status__in", ["failed", "no_address", "retrying"])),
                fields=["created_at", "id"],
                name="alert_delivery_undelivered_idx",
            ),
        ),
    ]
