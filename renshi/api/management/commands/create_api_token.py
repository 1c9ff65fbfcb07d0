from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from renshi.api.services import TokenError, api_token_create


class Command(BaseCommand):
    help = "Issue an API bearer token for a user (it acts with the user's role and scope)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for, e.g. 省人社厅数据交换")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户「{username}」不存在")
        try:
            token, raw = api_token_create(actor="manage.py create_api_token", user=user, name=name)
        except TokenError as e:
            raise CommandError(e.message) from None
        self.stdout.write(raw)
        self.stderr.write(
            f"已为{user.username}签发令牌「{token.name}」（{token.prefix}…），只显示这一次。"
        )
