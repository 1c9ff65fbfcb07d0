"""Writes to the policy library: one transaction each, with its audit row and the index kept in
step with the text."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from renshi.core.audit import audit_record, changed, snapshot
from renshi.policies import search
from renshi.policies.models import (
    LinkKind,
    Policy,
    PolicyAttachment,
    PolicyLink,
    Status,
    StudyArticle,
    Validity,
)

POLICY_FIELDS = (
    "title",
    "doc_number",
    "issuer",
    "level",
    "published_on",
    "effective_on",
    "body",
    "is_sample",
)
# The body is not copied into the trail (it can be long): its change is noted with its length.
AUDITED = (*(f for f in POLICY_FIELDS if f != "body"), "validity", "repealed_on", "status")
STUDY_FIELDS = ("title", "kind", "question", "answer")
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Documents only: an uploaded .html or .svg would be served from this site's own origin.
ATTACHMENT_TYPES = (
    ".pdf",
    ".ofd",
    ".doc",
    ".docx",
    ".wps",
    ".xls",
    ".xlsx",
    ".zip",
    ".jpg",
    ".png",
)


class PolicyError(Exception):
    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _clean(instance, exclude=()):
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        label = instance._meta.get_field(name).verbose_name if name != "__all__" else ""
        raise PolicyError(f"{label}：{messages[0]}" if label else messages[0], field=name) from None


def _lock(policy) -> Policy:
    return Policy.objects.select_for_update().get(pk=policy.pk)


@transaction.atomic
def policy_create(*, actor, **fields) -> Policy:
    """A new document (a draft until published); the index is written with it."""
    policy = Policy(created_by=_user(actor), **{k: fields[k] for k in fields if k in POLICY_FIELDS})
    _clean(policy, exclude=["created_by"])
    policy.save()
    search.reindex([policy])
    audit_record(actor=actor, action="policies.create", obj=policy, after=snapshot(policy, AUDITED))
    return policy


@transaction.atomic
def policy_update(*, actor, policy, **fields) -> Policy:
    """Change a document's text or data (fields not given keep their values)."""
    policy = _lock(policy)
    before = snapshot(policy, AUDITED)
    old_body = policy.body
    for name in POLICY_FIELDS:
        if name in fields:
            setattr(policy, name, fields[name])
    _clean(policy, exclude=["created_by"])
    policy.save()
    search.reindex([policy])
    old, new = changed(before, snapshot(policy, AUDITED))
    note = f"正文已修改（{len(policy.body)} 字）" if policy.body != old_body else ""
    audit_record(
        actor=actor, action="policies.update", obj=policy, before=old, after=new, note=note
    )
    return policy


@transaction.atomic
def policy_publish(*, actor, policy) -> Policy:
    policy = _lock(policy)
    if policy.status == Status.PUBLISHED:
        raise PolicyError("该文件已发布")
    policy.status = Status.PUBLISHED
    policy.published_at = timezone.now()
    policy.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="policies.publish",
        obj=policy,
        before={"status": Status.DRAFT},
        after={"status": Status.PUBLISHED},
    )
    return policy


@transaction.atomic
def policy_withdraw(*, actor, policy) -> Policy:
    """Take a published document off the public site (back to draft)."""
    policy = _lock(policy)
    if policy.status != Status.PUBLISHED:
        raise PolicyError("该文件尚未发布")
    policy.status = Status.DRAFT
    policy.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="policies.withdraw",
        obj=policy,
        before={"status": Status.PUBLISHED},
        after={"status": Status.DRAFT},
    )
    return policy


def _set_validity(policy, validity, on, note, actor):
    if policy.validity == Validity.REPEALED and validity != Validity.REPEALED:
        raise PolicyError(f"《{policy.title}》已废止，不能再标为{Validity(validity).label}")
    before = snapshot(policy, ("validity", "repealed_on"))
    policy.validity = validity
    if validity == Validity.REPEALED:
        policy.repealed_on = on
    policy.save(update_fields=["validity", "repealed_on", "updated_at"])
    old, new = changed(before, snapshot(policy, ("validity", "repealed_on")))
    if new:
        audit_record(
            actor=actor, action="policies.validity", obj=policy, before=old, after=new, note=note
        )


@transaction.atomic
def policy_repeal(*, actor, policy, repealed_on, note="") -> Policy:
    """Mark a document 已废止 on a date (by a later decision without its own document here)."""
    if not repealed_on:
        raise PolicyError("请填写失效日期", field="repealed_on")
    policy = _lock(policy)
    if policy.validity == Validity.REPEALED:
        raise PolicyError("该文件已废止")
    if repealed_on < policy.published_on:
        raise PolicyError("失效日期不能早于发布日期", field="repealed_on")
    _set_validity(policy, Validity.REPEALED, repealed_on, note or "废止", actor)
    return policy


# What a link does to its target: amended documents stay in the library as 已修订; repealed or
# replaced ones become 已废止 from the day the newer document takes effect.
LINK_EFFECT = {
    LinkKind.AMENDS: Validity.AMENDED,
    LinkKind.REPEALS: Validity.REPEALED,
    LinkKind.REPLACES: Validity.REPEALED,
}


@transaction.atomic
def link_add(*, actor, source, target, kind) -> PolicyLink:
    """`source` amends / repeals / replaces `target`; the target's validity follows."""
    if kind not in LinkKind.values:
        raise PolicyError("关系类型无效", field="kind")
    if source.pk == target.pk:
        raise PolicyError("文件不能修订或废止自身", field="target")
    # Both rows in id order: two editors linking the same pair the other way cannot deadlock.
    first, second = sorted([source.pk, target.pk])
    locked = {p.pk: p for p in Policy.objects.select_for_update().filter(pk__in=[first, second])}
    source, target = locked[source.pk], locked[target.pk]
    if target.published_on > source.published_on:
        raise PolicyError(
            f"《{target.title}》晚于《{source.title}》发布，不能被它{LinkKind(kind).label}",
            field="target",
        )
    if PolicyLink.objects.filter(source=target, target=source).exists():
        raise PolicyError("两份文件之间已有相反方向的关系", field="target")
    try:
        with transaction.atomic():
            link = PolicyLink.objects.create(source=source, target=target, kind=kind)
    except IntegrityError:
        raise PolicyError("两份文件之间已有关系", field="target") from None
    on = source.effective_on or source.published_on
    _set_validity(
        target, LINK_EFFECT[kind], on, f"被《{source.title}》{LinkKind(kind).label}", actor
    )
    audit_record(
        actor=actor,
        action="policies.link",
        obj=source,
        after={"kind": kind, "target": target.pk},
        note=f"{LinkKind(kind).label}《{target.title}》",
    )
    return link


@transaction.atomic
def attachment_add(*, actor, policy, name, file) -> PolicyAttachment:
    if file.size > MAX_ATTACHMENT_BYTES:
        raise PolicyError("附件不能超过 20 MB", field="file")
    if not file.name.lower().endswith(ATTACHMENT_TYPES):
        raise PolicyError(f"附件只能是 {'、'.join(ATTACHMENT_TYPES)} 文件", field="file")
    policy = _lock(policy)
    attachment = PolicyAttachment.objects.create(
        policy=policy, name=(name or file.name)[:200], file=file
    )
    audit_record(
        actor=actor, action="policies.attach", obj=policy, after={"attachment": attachment.name}
    )
    return attachment


@transaction.atomic
def study_save(*, actor, article=None, policies=(), **fields) -> StudyArticle:
    """Create or change a 网上说法 article and the documents it cites."""
    if article is None:
        article = StudyArticle()
        before = {}
    else:
        article = StudyArticle.objects.select_for_update().get(pk=article.pk)
        before = snapshot(article, STUDY_FIELDS)
    for name in STUDY_FIELDS:
        if name in fields:
            setattr(article, name, fields[name])
    _clean(article)
    article.save()
    article.policies.set(policies)
    old, new = changed(before, snapshot(article, STUDY_FIELDS))
    audit_record(
        actor=actor,
        action="policies.study_save",
        obj=article,
        before=old or None,
        after={**new, "policies": sorted(p.pk for p in policies)},
    )
    return article


@transaction.atomic
def study_publish(*, actor, article, publish=True) -> StudyArticle:
    article = StudyArticle.objects.select_for_update().get(pk=article.pk)
    status = Status.PUBLISHED if publish else Status.DRAFT
    if article.status == status:
        raise PolicyError("该文章已发布" if publish else "该文章尚未发布")
    before = article.status
    article.status = status
    if publish:
        article.published_at = timezone.now()
    article.save(update_fields=["status", "published_at"])
    audit_record(
        actor=actor,
        action="policies.study_publish" if publish else "policies.study_withdraw",
        obj=article,
        before={"status": before},
        after={"status": status},
    )
    return article
