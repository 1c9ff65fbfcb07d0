from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renshi.hall.errors import HallError
from renshi.hall.services import yaml_import

DEFAULT = Path(__file__).resolve().parents[2] / "data" / "items.yaml"


class Command(BaseCommand):
    help = "导入并发布服务事项目录（默认 renshi/hall/data/items.yaml）；重复运行不产生新版本"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT))

    def handle(self, *args, path, **options):
        try:
            versions = yaml_import(
                actor="load_service_items", text=Path(path).read_text("utf-8"), publish=True
            )
        except HallError as exc:
            raise CommandError("\n".join(exc.errors)) from None
        self.stdout.write(
            f"{len(versions)} 个事项已发布："
            + "、".join(f"{v.item.code} v{v.number}" for v in versions)
        )
