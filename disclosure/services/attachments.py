"""Files attached to a draft: checked by their content, stored under the community's schema, and part
of the content hash (a change of files voids earlier signatures like a change of text)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from disclosure.models import Attachment, Disclosure
from disclosure.rules import ALLOWED_ATTACHMENTS, MAX_ATTACHMENT_BYTES
from disclosure.services.context import disclosure_lock, draft_change_check
from tenants.models import User
from tenants.uploads import upload_check, upload_store


@transaction.atomic
def attachment_add(*, disclosure: Disclosure, actor: User, upload: UploadedFile) -> Attachment:
    """Attach a file to a draft. The type is read from the file's content, never from its name; the
    draft's content hash changes, so signatures given before stop counting."""
    disclosure = disclosure_lock(disclosure)
    draft_change_check(disclosure=disclosure, actor=actor, doing="添加附件")
    checked = upload_check(upload, allowed=ALLOWED_ATTACHMENTS, max_bytes=MAX_ATTACHMENT_BYTES, what="附件")
    name = (upload.name or "附件").rsplit("/", 1)[-1][:200]
    attachment = Attachment(
        disclosure=disclosure,
        original_name=name,
        mime_type=checked.mime,
        size=checked.size,
        sha256=checked.sha256,
    )
    upload_store(attachment.file, f"{checked.sha256[:16]}.{checked.extension}", checked)
    attachment.save()
    disclosure.content_hash = disclosure.compute_content_hash()
    disclosure.save(update_fields=["content_hash", "updated_at"])
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    disclosure = disclosure_lock(attachment.disclosure)
    draft_change_check(disclosure=disclosure, actor=actor, doing="删除附件")
    attachment.file.delete(save=False)
    attachment.delete()
    disclosure.content_hash = disclosure.compute_content_hash()
    disclosure.save(update_fields=["content_hash", "updated_at"])
