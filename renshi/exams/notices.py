"""Messages to candidates at each stage (SMS, and e-mail when given), sent after commit."""

from django.db import transaction
from django.utils import timezone

from renshi.core import crypto, notify

TEXTS = {
    "submitted": "您已报考{exam}职位{position}，请等待资格审查。",
    "approved": "您报考的{exam}职位{position}已通过资格审查，请在{deadline}前完成缴费。",
    "rejected": "您报考的{exam}职位{position}未通过资格审查：{reason}。可在报名期内改报其他职位。",
    "withdrawn": "您的{exam}报名已撤销。",
    "paid": "您已完成{exam}缴费，金额{amount}元。请按时打印准考证。",
    "waived": "您的{exam}考务费减免申请已批准，报名已确认。",
    "cancelled": (
        "您报考的{exam}职位{position}因未达到开考比例已取消，"
        "可在{reapply}前改报其他职位或申请退费。"
    ),
    "refunded": "您的{exam}考务费{amount}元已退回原支付账户。",
}


class _Fields(dict):
    """The message's placeholders, each computed only if its text uses it."""

    def __init__(self, application):
        super().__init__()
        self.application = application

    def __missing__(self, key):
        application, exam = self.application, self.application.exam
        value = {
            "exam": lambda: exam.name,
            "position": lambda: application.position.code,
            "deadline": lambda: f"{timezone.localtime(exam.payment_closes):%m月%d日%H:%M}",
            "reason": lambda: application.reason_text or application.get_reason_code_display(),
            "amount": lambda: application.fee_amount,
            "reapply": lambda: (
                f"{timezone.localtime(exam.reapply_closes):%m月%d日%H:%M}"
                if exam.reapply_closes
                else "规定时间"
            ),
        }[key]()
        self[key] = value
        return value


def _text(application, kind):
    return "【鞍山人事考试】" + TEXTS[kind].format_map(_Fields(application))


def send(application, kind):
    """Queue the message for after the transaction commits (nothing is sent for a rollback)."""
    candidate = application.candidate
    phone_cipher, email, text = candidate.phone_cipher, candidate.email, _text(application, kind)

    def deliver():
        notify.send_sms(crypto.decrypt(phone_cipher), text)
        if email:
            notify.send_email(email, "鞍山人事考试报名通知", text)

    transaction.on_commit(deliver)


def application_changed(application):
    kind = {
        "submitted": "submitted",
        "approved": "approved",
        "rejected": "rejected",
        "withdrawn": "withdrawn",
        "cancelled": "cancelled",
    }.get(application.status)
    if kind:
        send(application, kind)
