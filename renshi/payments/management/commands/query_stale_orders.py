from django.core.management.base import BaseCommand

from renshi.payments import conf, services


class Command(BaseCommand):
    help = "向支付渠道主动查询仍在支付中的订单（掉单补救），关闭超时订单，跟进未完成的退款"

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=conf.query_after_minutes(),
            help="只查询创建超过N分钟的订单（默认 PAY_QUERY_AFTER_MINUTES=3）",
        )

    def handle(self, *args, minutes, **options):
        orders = services.query_stale_orders(minutes=minutes)
        refunds = services.refund_follow_up()
        self.stdout.write(
            f"订单：查询{orders['queried']}笔，到账{orders['paid']}笔，关闭{orders['closed']}笔，"
            f"失败{orders['errors']}笔；退款：查询{refunds['queried']}笔，成功{refunds['succeeded']}笔"
        )
