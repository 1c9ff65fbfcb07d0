from django.core.management.base import BaseCommand

from renshi.payments.sim import notices


class Command(BaseCommand):
    help = "模拟支付渠道：按渠道重发时间表补发到期未确认的异步通知"

    def handle(self, *args, **options):
        self.stdout.write(f"已送达 {notices.deliver_due()} 条通知")
