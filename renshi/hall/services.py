"""Service items and their versions: every change in one transaction with its audit row."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from renshi.core.audit import audit_record, changed
from renshi.hall import definitions
from renshi.hall.errors import HallError
from renshi.hall.models import CONTENT_FIELDS, Effect, ItemVersion, ServiceItem, VersionStatus

OPEN = (VersionStatus.DRAFT, VersionStatus.REVIEW)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _lock(version) -> ItemVersion:
    return ItemVersion.objects.select_for_update().select_related("item").get(pk=version.pk)


def _check_item(code, name, section):
    if not (code or "").strip():
        raise HallError("事项编码不能为空", field="code")
    if not (name or "").strip():
        raise HallError("事项名称不能为空", field="name")
    if definitions.section_key(section) is None:
        raise HallError(f"承办科室「{section}」无效", field="section")


@transaction.atomic
def item_create(*, actor, code, name, section, effect="", **content) -> ItemVersion:
    """A new item with its first draft version (the content is validated)."""
    _check_item(code, name, section)
    if effect not in Effect.values:
        raise HallError(f"事项的人事数据影响「{effect}」无效", field="effect")
    cleaned = definitions.validate(content)
    try:
        with transaction.atomic():
            item = ServiceItem.objects.create(
                code=code.strip(),
                name=name.strip(),
                section=definitions.section_key(section),
                effect=effect,
            )
    except IntegrityError:
        raise HallError(f"事项编码「{code}」已存在", field="code") from None
    version = ItemVersion.objects.create(item=item, number=1, created_by=_user(actor), **cleaned)
    audit_record(
        actor=actor,
        action="hall.item_create",
        obj=item,
        after={"code": item.code, "name": item.name, **cleaned},
    )
    return version


@transaction.atomic
def version_draft_from(*, actor, version) -> ItemVersion:
    """A new draft copied from a published version (the only way to change a published item)."""
    # Item first, then version: the same lock order as version_publish (no deadlock between them).
    ServiceItem.objects.select_for_update().get(pk=version.item_id)
    source = _lock(version)
    if source.status != VersionStatus.PUBLISHED:
        raise HallError("只能从已发布的版本复制新草稿")
    if source.item.versions.filter(status__in=OPEN).exists():
        raise HallError("该事项已有未发布的草稿或待审核版本")
    number = source.item.versions.order_by("-number").values_list("number", flat=True).first() + 1
    draft = ItemVersion.objects.create(
        item=source.item, number=number, created_by=_user(actor), **source.content()
    )
    audit_record(
        actor=actor, action="hall.version_draft", obj=draft, note=f"从 v{source.number} 复制"
    )
    return draft


@transaction.atomic
def version_update(*, actor, version, **content) -> ItemVersion:
    """Change a draft's content (fields not given keep their values)."""
    draft = _lock(version)
    if draft.status != VersionStatus.DRAFT:
        raise HallError("只有草稿可以修改")
    before = draft.content()
    cleaned = definitions.validate({**before, **content})
    for field in CONTENT_FIELDS:
        setattr(draft, field, cleaned[field])
    draft.save()
    b, a = changed(before, cleaned)
    audit_record(actor=actor, action="hall.version_update", obj=draft, before=b, after=a)
    return draft


def _move(*, actor, version, source, target, action, refusal) -> ItemVersion:
    """Move a version from status `source` to `target` (locked, audited)."""
    v = _lock(version)
    if v.status != source:
        raise HallError(refusal)
    if target == VersionStatus.REVIEW:
        definitions.validate(v.content())
    v.status = target
    v.save(update_fields=["status"])
    audit_record(actor=actor, action=action, obj=v, after={"status": v.status})
    return v


@transaction.atomic
def version_submit(*, actor, version) -> ItemVersion:
    return _move(
        actor=actor,
        version=version,
        source=VersionStatus.DRAFT,
        target=VersionStatus.REVIEW,
        action="hall.version_submit",
        refusal="只有草稿可以提交审核",
    )


@transaction.atomic
def version_return(*, actor, version) -> ItemVersion:
    """Send a version under review back to draft."""
    return _move(
        actor=actor,
        version=version,
        source=VersionStatus.REVIEW,
        target=VersionStatus.DRAFT,
        action="hall.version_return",
        refusal="只有待审核的版本可以退回",
    )


@transaction.atomic
def version_publish(*, actor, version) -> ItemVersion:
    """Publish a reviewed version; the previously published one is retired."""
    ServiceItem.objects.select_for_update().get(pk=version.item_id)
    v = _lock(version)
    if v.status != VersionStatus.REVIEW:
        raise HallError("只有待审核的版本可以发布")
    previous = v.item.versions.filter(status=VersionStatus.PUBLISHED).first()
    if previous:
        previous.status = VersionStatus.RETIRED
        previous.save(update_fields=["status"])
    v.status = VersionStatus.PUBLISHED
    v.published_by = _user(actor)
    v.published_at = timezone.now()
    v.save(update_fields=["status", "published_by", "published_at"])
    audit_record(
        actor=actor,
        action="hall.version_publish",
        obj=v,
        before={"published": f"v{previous.number}" if previous else None},
        after={"published": f"v{v.number}"},
    )
    return v


def published_version(item) -> ItemVersion | None:
    return item.versions.filter(status=VersionStatus.PUBLISHED).first()


def latest_version(item) -> ItemVersion:
    return item.versions.order_by("-number").first()


def yaml_export(item=None) -> str:
    """Items as YAML (the published version, or the latest one if none is published)."""
    items = [item] if item is not None else ServiceItem.objects.order_by("code")
    docs = []
    for it in items:
        version = published_version(it) or latest_version(it)
        if version:
            docs.append(definitions.item_document(it, version))
    return definitions.dump({"items": docs})


@transaction.atomic
def yaml_import(*, actor, text, publish=False) -> list[ItemVersion]:
    """Create or update drafts from YAML; with `publish` they are submitted and published at once.

    An item whose published version already equals the document is left alone (imports are
    idempotent). Any error → nothing is changed and HallError lists every problem with its line."""
    docs, lines = definitions.parse(text)
    errors, plans = [], []
    for i, doc in enumerate(docs):
        code = str(doc.get("code", "")).strip() if isinstance(doc, dict) else ""

        def where(*path, i=i, code=code):
            return f"第{definitions.line_of(lines, (i, *path))}行：" + (
                f"事项「{code}」" if code else ""
            )

        if not isinstance(doc, dict):
            errors.append(f"{where()}每个事项应为键值对")
            continue
        if not code:
            errors.append(f"{where('code')}缺少事项编码(code)")
        if not str(doc.get("name", "") or "").strip():
            errors.append(f"{where('name')}缺少事项名称(name)")
        if definitions.section_key(doc.get("section")) is None:
            errors.append(f"{where('section')}承办科室「{doc.get('section')}」无效")
        if (doc.get("effect") or "") not in Effect.values:
            errors.append(f"{where('effect')}人事数据影响「{doc.get('effect')}」无效")
        content, problems = definitions.normalise(doc, where=where)
        errors += problems
        plans.append((code, doc, content))
    if errors:
        raise HallError("；".join(errors), errors=errors)
    codes = [p[0] for p in plans]
    if len(set(codes)) != len(codes):
        raise HallError("导入文件中有重复的事项编码")

    result = []
    for code, doc, content in plans:
        name, section = str(doc["name"]).strip(), definitions.section_key(doc["section"])
        effect = doc.get("effect") or ""
        item = ServiceItem.objects.select_for_update().filter(code=code).first()
        if item is None:
            version = item_create(
                actor=actor, code=code, name=name, section=section, effect=effect, **content
            )
        else:
            if (item.name, item.section, item.effect) != (name, section, effect):
                audit_record(
                    actor=actor,
                    action="hall.item_update",
                    obj=item,
                    before={"name": item.name, "section": item.section, "effect": item.effect},
                    after={"name": name, "section": section, "effect": effect},
                )
                item.name, item.section, item.effect = name, section, effect
                item.save(update_fields=["name", "section", "effect"])
            version = item.versions.filter(status__in=OPEN).first()
            current = published_version(item)
            if version is None and current and current.content() == content:
                result.append(current)
                continue
            if version is None:
                version = (
                    version_draft_from(actor=actor, version=current)
                    if current
                    else ItemVersion.objects.create(
                        item=item,
                        number=latest_version(item).number + 1,
                        created_by=_user(actor),
                        **content,
                    )
                )
            if version.status == VersionStatus.REVIEW:
                version = version_return(actor=actor, version=version)
            version = version_update(actor=actor, version=version, **content)
        if publish:
            version = version_submit(actor=actor, version=version)
            version = version_publish(actor=actor, version=version)
        result.append(version)
    return result
