"""The deadlines residents' feedback is held to, each defined once. Services compute with them, the
choices' labels and the portal's pages quote them (as context values, never as typed numbers)."""

from __future__ import annotations

# 000 桂花方案 四(四): 居委会应当于10个工作日内作出书面答复 — an answer in writing within 10 working days.
ANSWER_WORKING_DAYS = 10

# 000 第十一条: 对署名反映的,应在15天内将处理结果告知 — a signed complaint's result within 15 days. These are
# calendar days: the article says 天, not 工作日, and its sibling rules say 工作日 where they mean it.
SIGNED_COMPLAINT_DAYS = 15

# An open matter is "due soon" on the inbox, and staff are reminded, this many working days before its
# deadline.
DUE_SOON_WORKING_DAYS = 2


def rules_context() -> dict[str, int]:
    """The deadlines as the portal's pages quote them to residents."""
    return {"answer_working_days": ANSWER_WORKING_DAYS, "signed_complaint_days": SIGNED_COMPLAINT_DAYS}
