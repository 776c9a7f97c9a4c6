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
    "order_escalated",
    "survey_below_threshold",
    "assessment_failed",
    "untrue_content",
)
