from django.db import transaction


def load(code_table_model, code_item_model) -> int:
    """Create or update every shipped table; returns the number of items. Idempotent."""
    from renshi.core.codetables.tables import TABLES

    count = 0
    with transaction.atomic():
        for spec in TABLES:
            table, _ = code_table_model.objects.update_or_create(
                key=spec["key"],
                defaults={
                    "name": spec["name"],
                    "standard": spec["standard"],
                    "version": spec["version"],
                },
            )
            for sort, item in enumerate(spec["items"]):
                code, name = item[0], item[1]
                parent = item[2] if len(item) > 2 else ""
                code_item_model.objects.update_or_create(
                    table=table,
                    code=code,
                    defaults={"name": name, "parent_code": parent, "sort": sort},
                )
                count += 1
    return count
