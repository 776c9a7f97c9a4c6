"""The street office's rule values, one home each: the services enforce them, the forms bound their
inputs with them, and templates and messages receive them as values instead of typing them again."""

from __future__ import annotations

from decimal import Decimal

# 000 第十九条: 民主测评满意率达不到90%的 — a survey below this rate (in %) brings a rectification
# order and admonishment talks for the people responsible.
SATISFACTION_THRESHOLD = Decimal("90")

# 群众评议: each voting slip carries one code of this many characters; a survey prints at most this
# many slips.
VOTING_CODE_LENGTH = 8
MAX_VOTING_CODES = 2000

# 整改: the deadline an order gets unless the street office sets another, and the longest it may set
# (working days, 000 第十九条 限期整改).
RECTIFICATION_WORKING_DAYS = 10
RECTIFICATION_MAX_WORKING_DAYS = 60

# 评分标准: the most scoring items one version may have.
MAX_SCORING_ITEMS = 100

# 排名: scores and rates are shown to one decimal (综合得分 95.0, 按时公开率 87.5%); two that read the same
# there are a tie and share a rank (``inspection.ranking.competition_ranked``).
SCORE_PRECISION = Decimal("0.1")

# 评先创优 一票否决 (000 第十三、十九条): the failures in a year that, by default, bar a community from
# excellence; each street office keeps its own list (``EvaluationWeights.vetoes``), chosen among the
# kinds ``inspection.vetoes.VETO_KINDS`` can find.
EXCELLENCE_VETOES_DEFAULT = (
    "admonishment",
    "criticism",
    "order_escalated",
    "survey_below_threshold",
    "assessment_failed",
    "untrue_content",
)


# 居民向街道投诉 (000 第十五条 街道"接受和调查处理…投诉"; 桂花方案 八(三)): the street office answers in
# writing within this many working days of receiving a complaint (the same clock as a community's
# answer, 桂花方案 四(四))…
COMPLAINT_ANSWER_WORKING_DAYS = 10
# …and a signed complaint's result is told within this many calendar days (000 第十一条 对署名反映的,应在
# 15天内将处理结果告知), whichever ends first.
COMPLAINT_SIGNED_RESULT_DAYS = 15
# A complaint is "due soon" in the inbox this many working days before its deadline.
COMPLAINT_DUE_SOON_WORKING_DAYS = 2


# 责任追究 (000 第十三、十九条 不公开、不及时、不真实、不更新 → 责令整改): the failures that open an order by
# themselves, as each street office starts with them (``AccountabilityRules``, which it revises). Per
# kind: on or off, its threshold (``None``: the kind has none), the order's deadline in working days and
# the community roles answerable for it. The keys are ``RectificationSource`` values.
#   obligation_overdue: a publication more than N working days past its deadline
#   feedback_overdue:   a resident's matter unanswered N working days past its deadline
#   assessment:         an assessment scored below this mark (% of the full score), or a critical item at 0
ACCOUNTABILITY_DEFAULTS: dict[str, tuple[bool, int | None]] = {
    "obligation_overdue": (True, 5),
    "fixed_lapsed": (True, None),
    "feedback_overdue": (True, 0),
    "assessment": (True, 60),
    "spot_check": (True, None),
    "survey": (True, None),
    "untrue_content": (True, None),
    "complaint": (True, None),
}
# who may be named answerable for an order: the community's heads and those who do its work
ACCOUNTABLE_ROLES = ("secretary", "director", "deputy", "handler")
# the bounds a street office may set a threshold to (working days, or a mark out of 100)
ACCOUNTABILITY_THRESHOLD_MAX = 100
