from django.core.management.base import BaseCommand

from renshi.exams import ticket_qr


class Command(BaseCommand):
    help = "打印准考证二维码签名公钥（PEM），供考点离线核验二维码"

    def handle(self, *args, **options):
        self.stdout.write(ticket_qr.public_key_pem(), ending="")
