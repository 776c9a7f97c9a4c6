"""Files attached to a draft: checked by their content, stored under the community's schema, and part
of the content hash (a change of files voids earlier signatures like a change of text)."""

from __future__ import annotations

from typing import TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from disclosure.models import Attachment, Disclosure
from disclosure.models.disclosure import StoredFile
from disclosure.rules import ALLOWED_ATTACHMENTS, MAX_ATTACHMENT_BYTES
from disclosure.services.context import content_rehash, disclosure_lock, draft_change_check
from tenants.errors import InvalidInput
from tenants.models import User
from tenants.uploads import CheckedUpload, upload_check, upload_store

F = TypeVar("F", bound=StoredFile)


def uploads_checked(
    uploads: list[UploadedFile], *, allowed: dict[str, str], max_bytes: int, what: str
) -> list[tuple[str, CheckedUpload]]:
    """Every file of a batch checked by its content (``tenants.uploads.upload_check``) before any is
    stored, each with its name as uploaded; one refused file refuses the batch, naming each bad one."""
    checked, problems = [], []
    for upload in uploads:
        name = (upload.name or what).rsplit("/", 1)[-1][:200]
        try:
            checked.append((name, upload_check(upload, allowed=allowed, max_bytes=max_bytes, what=what)))
        except InvalidInput as exc:
            problems.append(f"“{name}”:{exc.message}")
    if problems:
        rest = " 其他文件也没有上传,请去掉有问题的文件后重新选择。" if checked else ""
        raise InvalidInput(" ".join(problems) + rest)
    return checked


def file_store(row: F, name: str, result: CheckedUpload) -> F:
    """``row`` with the checked file stored under the schema (named by its hash) and saved."""
    row.original_name, row.mime_type, row.size, row.sha256 = name, result.mime, result.size, result.sha256
    upload_store(row.file, f"{result.sha256[:16]}.{result.extension}", result)
    row.save()
    return row


@transaction.atomic
def attachments_add(*, disclosure: Disclosure, actor: User, uploads: list[UploadedFile]) -> list[Attachment]:
    """Attach several files to a draft at once. Every file is checked before any is stored, so one
    refused file refuses the batch with a message naming each bad file, and nothing is half-added.
    The type is read from each file's content, never from its name; the draft's content hash
    changes, so signatures given before stop counting, and ``actor`` is one of its authors."""
    disclosure = disclosure_lock(disclosure)
    draft_change_check(disclosure=disclosure, actor=actor, doing="添加附件")
    if not uploads:
        raise InvalidInput(_("请选择要上传的文件。"))
    checked = uploads_checked(
        uploads, allowed=ALLOWED_ATTACHMENTS, max_bytes=MAX_ATTACHMENT_BYTES, what="附件"
    )
    attachments = [file_store(Attachment(disclosure=disclosure), name, result) for name, result in checked]
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
