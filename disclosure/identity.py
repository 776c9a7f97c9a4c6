"""Resident identity numbers (GB 11643-1999): the check digit, the birth date and the age it gives.

The check digit (ISO 7064 MOD 11-2) and the birth date are read by ``python-stdnum``'s ``stdnum.cn.ric``.
Its full ``validate`` also demands that the six-digit region code was in force in the year of birth, and
that refuses real numbers: a resident born in 1952 in what became 兴庆区 in 2002 carries 640104 all the
same, because the number was issued long after the birth. So the region is only checked for its shape.

These numbers are kept for staff and never shown to the public (``disclosure.content.public_view``).
"""

from __future__ import annotations

import unicodedata
from datetime import date

from django.utils import timezone
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

LENGTH = 18
OLDEST = 130  # years: no living resident is older, so a birth date before that is a typing error


def identity_compact(number: str) -> str:
    """The number as stored: spaces and dashes gone, a lower-case x as X, full-width digits as ASCII."""
    return ric.compact(unicodedata.normalize("NFKC", str(number or "")))


def identity_problem(number: str, *, today: date | None = None) -> str:
    """What is wrong with ``number`` in words a clerk can act on, or "" when it is a well-formed
    18-character identity number whose check digit and birth date are right."""
    compact = identity_compact(number)
    if len(compact) != LENGTH:
        return (
            f"身份证号应为 18 位,这里是 {len(compact)} 位"
            + ("(15 位的老号码已停用,请填写新号码)" if len(compact) == 15 else "")
            + "。"
        )
    if not compact[:-1].isdigit() or not (compact[-1].isdigit() or compact[-1] == "X"):
        return "身份证号只能是 17 位数字加最后一位数字或 X。"
    if compact[-1] != ric.calc_check_digit(compact):
        return "身份证号的校验位(最后一位)不对,可能有数字抄错了,请与户口簿或身份证核对。"
    try:
        born = ric.get_birth_date(compact)
    except stdnum_errors.ValidationError:
        return "身份证号里的出生日期(第 7–14 位)不是真实的日期。"
    today = today or timezone.localdate()
    if born > today or today.year - born.year > OLDEST:
        return "身份证号里的出生日期(第 7–14 位)不合理。"
    return ""


def identity_age(number: str, *, on: date) -> int:
    """Full years of age on ``on`` of the resident whose well-formed number this is."""
    born = ric.get_birth_date(identity_compact(number))
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def identity_masked(number: str) -> str:
    """For a staff page that need not show the whole number: 620102********1235."""
    compact = identity_compact(number)
    if len(compact) < 10:
        return "*" * len(compact)
    return compact[:6] + "*" * (len(compact) - 10) + compact[-4:]
