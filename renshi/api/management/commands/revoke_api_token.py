from django.core.management.base import BaseCommand, CommandError

from renshi.api.services import TokenError, api_token_revoke
from renshi.core.models import ApiToken


class Command(BaseCommand):
    help = "Revoke an API token by its prefix (the part shown in lists and in the audit trail)."

    def add_arguments(self, parser):
        parser.add_argument("prefix")

    def handle(self, *args, prefix, **options):
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"没有前缀为「{prefix}」的令牌")
        try:
            api_token_revoke(actor="manage.py revoke_api_token", token=token)
        except TokenError as e:
            raise CommandError(e.message) from None
        self.stdout.write(f"已吊销令牌「{token.name}」（{token.prefix}…）")
