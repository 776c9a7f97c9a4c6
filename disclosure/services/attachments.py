"""Files attached to a draft: checked by their content, stored under the community's schema, and part
of the content hash (a change of files voids earlier signatures like a change of text)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from disclosure.models import Attachment, Disclosure
from disclosure.rules import ALLOWED_ATTACHMENTS, MAX_ATTACHMENT_BYTES
from disclosure.services.context import content_rehash, disclosure_lock, draft_change_check
from tenants.errors import InvalidInput
from tenants.models import User
from tenants.uploads import upload_check, upload_store


@transaction.atomic
def attachments_add(*, disclosure: Disclosure, actor: User, uploads: list[UploadedFile]) -> list[Attachment]:
    """Attach several files to a draft at once. Every file is checked before any is stored, so one
    refused file refuses the batch with a message naming each bad file, and nothing is half-added.
    The type is read from each file's content, never from its name; the draft's content hash
    changes, so signatures given before stop counting, and ``actor`` is one of its authors."""
    disclosure = disclosure_lock(disclosure)
    draft_change_check(disclosure=disclosure, actor=actor, doing="添加附件")
    if not uploads:
        raise InvalidInput("请选择要上传的文件。")
    checked, problems = [], []
    for upload in uploads:
        name = (upload.name or "附件").rsplit("/", 1)[-1][:200]
        try:
            result = upload_check(
                upload, allowed=ALLOWED_ATTACHMENTS, max_bytes=MAX_ATTACHMENT_BYTES, what="附件"
            )
        except InvalidInput as exc:
            problems.append(f"“{name}”:{exc.message}")
            continue
        checked.append((name, result))
    if problems:
        rest = " 其他文件也没有上传,请去掉有问题的文件后重新选择。" if checked else ""
        raise InvalidInput(" ".join(problems) + rest)
    attachments = []
    for name, result in checked:
        attachment = Attachment(
            disclosure=disclosure,
            original_name=name,
            mime_type=result.mime,
            size=result.size,
            sha256=result.sha256,
        )
        upload_store(attachment.file, f"{result.sha256[:16]}.{result.extension}", result)
        attachment.save()
        attachments.append(attachment)
    content_rehash(disclosure, actor=actor)
    return attachments


def attachment_add(*, disclosure: Disclosure, actor: User, upload: UploadedFile) -> Attachment:
    """Attach one file to a draft (see :func:`attachments_add`)."""
    return attachments_add(disclosure=disclosure, actor=actor, uploads=[upload])[0]


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    disclosure = disclosure_lock(attachment.disclosure)
    draft_change_check(disclosure=disclosure, actor=actor, doing="删除附件")
    attachment.file.delete(save=False)
    attachment.delete()
    content_rehash(disclosure, actor=actor)
