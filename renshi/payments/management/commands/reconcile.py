import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renshi.payments import services
from renshi.payments.errors import PaymentError
from renshi.payments.models import Channel


class Command(BaseCommand):
    help = "下载（或读入）某日某渠道的对账单，与本系统订单、退款逐笔核对，列出差错"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="账单日期 YYYY-MM-DD（默认昨天）")
        parser.add_argument("--channel", choices=Channel.values, required=True)
        parser.add_argument("--file", help="已下载的对账单文件（不给则通过SDK从渠道下载）")

    def handle(self, *args, date, channel, file, **options):
        try:
            day = (
                datetime.date.fromisoformat(date)
                if date
                else timezone.localdate() - datetime.timedelta(days=1)
            )
        except ValueError as e:
            raise CommandError("--date 须为 YYYY-MM-DD") from e
        content = Path(file).read_bytes() if file else None
        try:
            run = services.reconciliation_run(bill_date=day, channel=channel, content=content)
        except PaymentError as e:
            raise CommandError(e.message) from e
        self.stdout.write(
            f"{run}：账单交易{run.bill_trades}笔、退款{run.bill_refunds}笔，"
            f"一致{run.matched}笔，差错{run.discrepancy_count}笔"
        )
        for item in run.items.all():
            self.stdout.write(f"  {item.get_kind_display()}  {item.out_trade_no}  {item.details}")
