"""Every URL pattern of the two URL confs, made into concrete paths with another community's ids.

Nothing here lists pages by hand: the patterns are read from the resolvers (nested includes, DRF
routers, the admin), so a page added tomorrow is crawled tomorrow. A path parameter is filled from
the word in front of it (``disclosures/<pk>`` takes disclosure ids, ``files/<attachment_pk>``
attachment ids, ``community/<object_id>`` in the admin a community's id …); a word nobody knows yet
gets every id that was planted.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tenants.models import Community, Membership, StreetOffice, StreetOfficeMembership, User
from tests.planted import Planted

CONFS = ("config.urls_tenant", "config.urls_public")


@dataclass(frozen=True)
class Pattern:
    conf: str
    name: str | None
    route: str
    params: tuple[str, ...]


def patterns(conf: str) -> list[Pattern]:
    found: list[Pattern] = []

    def walk(items: list, prefix: str, namespace: str | None, params: tuple[str, ...]) -> None:  # type: ignore[type-arg]
        for item in items:
            own = _params_of(item.pattern)
            if isinstance(item, URLResolver):
                ns = namespace
                if item.namespace:
                    ns = f"{namespace}:{item.namespace}" if namespace else item.namespace
                walk(item.url_patterns, prefix + str(item.pattern), ns, params + own)
            elif isinstance(item, URLPattern):
                name = item.name and (f"{namespace}:{item.name}" if namespace else item.name)
                found.append(Pattern(conf, name, prefix + str(item.pattern), params + own))

    walk(get_resolver(conf).url_patterns, "", None, ())
    return found


def _params_of(pattern: object) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return tuple(converters)
    regex = getattr(pattern, "regex", None)
    return tuple(regex.groupindex) if regex is not None else ()


def _word_before(route: str, param: str) -> str:
    """The path word in front of a parameter: ``disclosures`` for ``disclosures/<int:pk>/``."""
    match = re.search(rf"(<(\w+:)?{param}>|\(\?P<{param}>)", route)
    head = route[: match.start()] if match else ""
    words = [w for w in re.split(r"[/^$]+", head) if w]
    return words[-1] if words else ""


@dataclass(frozen=True)
class Filled:
    path: str
    pattern: Pattern
    foreign: bool  # a parameter names one of the other community's (or street office's) objects


class Fillers:
    """Candidate values per parameter, from what was planted in the other community."""

    def __init__(self, b: Planted) -> None:
        community = b.community
        office: StreetOffice = community.street_office
        users = list(User.objects.filter(memberships__community=community).values_list("pk", flat=True))
        office_users = list(
            User.objects.filter(street_office_memberships__street_office=office).values_list("pk", flat=True)
        )
        self.by_word: dict[str, Sequence[object]] = {
            "disclosures": [b.draft.pk, b.published.pk],
            "touch_detail": [b.published.pk],
            "attachments": [b.draft_attachment.pk, b.published_attachment.pk],
            "files": [b.published_attachment.pk, b.draft_attachment.pk],
            "receipts": [b.published_receipt.pk, b.draft_receipt.pk],
            "reimbursements": [community.schema_name],
            "obligations": [b.obligation.pk],
            "feedback": [b.feedback_pk],
            "consultations": [b.consultation_pk],
            "opinions": [b.opinion_pk],
            "complaints": [b.complaint_pk],
            "rectifications": [b.rectification.pk],
            "rectification": [b.rectification.pk],
            "assessments": [b.assessment.pk],
            "assessment": [b.assessment.pk],
            "surveys": [b.survey.pk],
            "survey": [b.survey.pk],
            "spot-checks": [b.spot_check.pk],
            "draws": [b.spot_check.draw_id],
            "spotcheck": [b.spot_check.pk],
            "evaluations": [b.evaluation.pk],
            # the street office's briefings: the published one (a community reads it) and a draft
            "briefings": [b.street_briefing.pk, b.street_briefing_draft.pk],
            "street-office": [b.street_briefing.pk],
            "evaluation": [b.evaluation.pk],
            "compliance": [b.compliance.pk],
            "compliancesummary": [b.compliance.pk],
            "anchors": [b.anchor.pk] if b.anchor else [],
            "ledgeranchor": [b.anchor.pk] if b.anchor else [],
            "communities": [community.schema_name],
            "ledger-heads": [community.schema_name],
            "street-offices": [office.code],
            # the admin: model names in front of object_id
            "community": [community.pk],
            "streetoffice": [office.pk],
            "membership": list(Membership.objects.filter(community=community).values_list("pk", flat=True)),
            "streetofficemembership": list(
                StreetOfficeMembership.objects.filter(street_office=office).values_list("pk", flat=True)
            ),
            "user": users + office_users,
        }
        self.feedback_code = b.feedback_code
        self.opinion_code = b.opinion_code
        self.complaint_code = b.complaint_code
        self.sms_token = b.sms_token
        self.by_param: dict[str, Sequence[object]] = {
            "category": ["affairs"],
            "action": [
                "submit",
                "review",
                "withdraw",
                "sign",
                "publish",
                "correct",
                "order",
                "attach",
                "archive",
                "receipts",
                "receipt_remove",
                "sign_line",
            ],
            "app_label": sorted({model._meta.app_label for model in admin.site._registry}),
            "content_type_id": [ContentType.objects.get_for_model(Community).pk],
            "uidb64": ["MQ"],
            "token": ["set-password"],
        }
        # a word nobody knows yet (a new page, an admin model): a tenant row id, a public row id, a user
        self.everything: list[object] = [b.draft.pk, b.rectification.pk, users[0]]

    def values(self, pattern: Pattern, param: str) -> tuple[Sequence[object], bool]:
        """The candidates for one parameter, and whether they name the other side's objects."""
        word = _word_before(pattern.route, param)
        if (word, param) == ("feedback", "code"):
            return [self.feedback_code], True
        if (word, param) == ("opinions", "code"):
            return [self.opinion_code], True
        if (word, param) == ("complaints", "code"):
            return [self.complaint_code], True
        if (word, param) == ("stop", "token"):
            return [self.sms_token], True
        if param == "object_id" and pattern.name == "admin:view_on_site":
            return self.by_word["community"], True
        if param in self.by_param:
            return self.by_param[param], False
        if word in self.by_word:
            return self.by_word[word], word not in SHARED_WORDS
        return self.everything, False

    def fill(self, pattern: Pattern) -> Iterator[Filled]:
        if not pattern.params:
            yield Filled(self._plain(pattern), pattern, foreign=False)
            return
        if pattern.name is None:
            return  # an unnamed pattern with parameters (none today) cannot be reversed
        choices = [self.values(pattern, p) for p in pattern.params]
        foreign = any(named for _, named in choices)
        for combo in itertools.islice(itertools.product(*(values for values, _ in choices)), 40):
            kwargs = dict(zip(pattern.params, combo, strict=True))
            try:
                path = reverse(pattern.name, urlconf=pattern.conf, kwargs=kwargs)
            except NoReverseMatch:
                continue  # a value the pattern's own regex refuses; the coverage test sees a gap
            yield Filled(path, pattern, foreign)

    @staticmethod
    def _plain(pattern: Pattern) -> str:
        if pattern.name is not None:
            return reverse(pattern.name, urlconf=pattern.conf)
        return "/" + re.sub(r"[\^$]|\.\*", "", pattern.route)


# Words whose ids name what the street office shares with all its communities, not the other community's
# own: the street office itself, and its briefings (published ones are public; drafts are its staff's).
SHARED_WORDS = {"street-offices", "briefings", "street-office"}

# Answers nothing of anyone's (ok/503) and takes a second to probe the broker: not crawled.
NOT_CRAWLED = {"healthz"}


def all_paths(fillers: Fillers, confs: tuple[str, ...] = CONFS) -> list[Filled]:
    seen: set[str] = set()
    out: list[Filled] = []
    for conf in confs:
        for pattern in patterns(conf):
            if pattern.name in NOT_CRAWLED:
                continue
            for filled in fillers.fill(pattern):
                if filled.path not in seen:
                    seen.add(filled.path)
                    out.append(filled)
    return out


def on_community_site(paths: list[Filled]) -> list[Filled]:
    """What is worth asking a community's host: its own conf, and the street office's paths once each
    (they fall through to the community's 404), the admin by its front door only."""
    return [f for f in paths if not f.path.startswith("/admin/") or f.path == "/admin/"]
