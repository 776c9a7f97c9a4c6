import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Every form field refuses a NUL character (PostgreSQL text cannot hold one) with Django's
# ProhibitNullCharactersValidator, whose zh_Hans message reads "不允许是用空字符串。" — a typo, and it
# speaks of an empty string. tenants.apps puts this one in its place for every field of every form.
NUL_MESSAGE = _("不能包含空字符(NUL),请删除后重新输入。")

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
COMMUNITY_CODE = re.compile(r"^[a-z][a-z0-9]{1,29}$")
# Sub-domains that the deployment keeps for itself; a community may not take them.
RESERVED_CODES = frozenset(
    {"www", "api", "admin", "static", "media", "mail", "public", "test", "demo", "localhost", "healthz"}
)


def validate_mainland_mobile(value: str) -> None:
    """A mainland China mobile number: 11 digits starting 13–19 (no +86, no spaces)."""
    if not MAINLAND_MOBILE.match(value or ""):
        raise ValidationError(_("请输入11位中国大陆手机号码,例如 13812345678。"), code="invalid_mobile")


def validate_community_code(value: str) -> None:
    """The code is both the PostgreSQL schema name and the sub-domain: lower-case ASCII, DNS-safe."""
    if not COMMUNITY_CODE.match(value or ""):
        raise ValidationError(
            _("社区代码只能由小写英文字母和数字组成,以字母开头,长度 2–30 位,例如 yincheng。"),
            code="invalid_code",
        )
    if value in RESERVED_CODES:
        raise ValidationError(
            _("“%(code)s”是系统保留名称,请换一个社区代码。"), code="reserved_code", params={"code": value}
        )


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in Chinese: Django 5.2's zh_Hans catalogue lacks this one."""

    def get_error_message(self) -> str:
        return str(_("这个密码太短了,至少要 %(min_length)d 个字符。")) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return str(_("你的密码必须包含至少 %(min_length)d 个字符。")) % {"min_length": self.min_length}
