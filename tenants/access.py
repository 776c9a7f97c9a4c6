"""The one access layer of every page: who is asking, on which site, and what they may open.

Views never hand-roll a role check or a ``try/except DomainError``. They use:

``member_required(roles=..., refused=...)``
    a signed-in member of the community whose site this is (and, given ``roles``, holding one of them).
    A visitor goes to the login page; a signed-in non-member, or a member without the role, gets 403
    (the member's 403 page reads ``refused``: who may, in Chinese).
    The view receives a ``CommunityRequest``: ``request.user`` is a ``User``, ``request.community`` the
    community and ``request.membership_roles`` the user's roles in it.
``street_staff_required(roles=...)``
    a signed-in superuser or street-office staff member, on the street office's site (given ``roles``,
    a superuser or a holder of one of them). Same answers; the view receives a ``StreetOfficeRequest``
    with ``request.street_office_roles``. ``access_street_office(request)`` is the user's street office
    (403 without one), for the pages that act on it.
``access_object_by_id(queryset, pk, allowed=...)``
    the object, or 404 when it is outside ``queryset`` (the caller's scope: another community's or
    street office's object is "not found", never "forbidden", so its existence does not leak), or 403
    when ``allowed`` refuses it. ``access_<thing>_by_id(request, pk)`` helpers are this with the scope
    of the request filled in (``access_street_office_by_id`` below).
``submit(request, service, forms=..., ...)``
    the POST → service → refusal pattern: validate the forms, call the service, and on a
    ``DomainError`` keep the page with its message and the status to answer with.

The POST pattern it replaces, side by side::

    status = 200                                   done = submit(request, lambda: services.x(...),
    if request.method == "POST":                             forms=[form], success="已保存。")
        status = 400                               if done.ok:
        if form.is_valid():                            return redirect(...)
            try:                                   return render(..., status=done.status)
                services.x(...)
                messages.success(request, "已保存。")
                return redirect(...)
            except DomainError as exc:
                messages.error(request, exc.message)
        return render(..., status=status)

``error_on_form=True`` puts the refusal among the form's errors instead of the page's messages
(feedback's views, two-factor login); ``status_by_kind=True`` answers 403 for ``NotAllowed`` and 409
for ``Conflict`` instead of 400 for every refusal (the feedback pages); ``forbid=True`` answers a
``NotAllowed`` with the 403 page carrying its Chinese reason (for a form that a refused role is not even
shown, so there is no page of theirs to re-show).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Concatenate, Generic, ParamSpec, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.functional import Promise

from tenants import selectors
from tenants.errors import Conflict, DomainError, NotAllowed
from tenants.models import Community, StreetOffice, User

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)
M = TypeVar("M", bound=Model)
T = TypeVar("T")


# --- who is asking ---------------------------------------------------------------------------------------


class SiteRequest(HttpRequest):
    """Any request once the tenant middleware ran: ``community`` is None on the street office's site."""

    user: User | AnonymousUser
    community: Community | None


class CommunitySiteRequest(HttpRequest):
    """Any request on a community's site, signed in or not (the residents' pages): its URLconf is served
    only on a community's host, so the tenant middleware has always set ``community``."""

    user: User | AnonymousUser
    community: Community


class AuthenticatedRequest(HttpRequest):
    """A request behind ``login_required``."""

    user: User
    community: Community | None


class CommunityRequest(HttpRequest):
    """A request behind ``member_required``: a member, on their community's site."""

    user: User
    community: Community
    membership_roles: set[str]


class StreetOfficeRequest(HttpRequest):
    """A request behind ``street_staff_required``: street-office staff, on the street office's site."""

    user: User
    community: None
    street_office_roles: set[str]


# --- decorators ------------------------------------------------------------------------------------------


def member_required(
    roles: Iterable[str] | None = None,
    refused: str | Promise = "",
) -> Callable[[Callable[Concatenate[CommunityRequest, P], R]], Callable[Concatenate[HttpRequest, P], R]]:
    """Only members of this community (holding one of ``roles``, when given); see the module."""
    wanted = frozenset(roles) if roles is not None else None

    def decorate(
        view: Callable[Concatenate[CommunityRequest, P], R],
    ) -> Callable[Concatenate[HttpRequest, P], R]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
            held = community_roles(request)
            if not held:
                raise PermissionDenied
            if not _holds(held, wanted):
                raise PermissionDenied(refused or None)
            request.membership_roles = held  # type: ignore[attr-defined]  # what makes it a CommunityRequest
            return view(request, *args, **kwargs)  # type: ignore[arg-type]  # narrowed by the checks above

        return _opening_for(wrapped, lambda request: _member_may_open(request, wanted))

    return decorate


def street_staff_required(
    roles: Iterable[str] | None = None,
) -> Callable[[Callable[Concatenate[StreetOfficeRequest, P], R]], Callable[Concatenate[HttpRequest, P], R]]:
    """Only street-office staff (and superusers), only on the street office's site; see the module."""
    wanted = frozenset(roles) if roles is not None else None

    def decorate(
        view: Callable[Concatenate[StreetOfficeRequest, P], R],
    ) -> Callable[Concatenate[HttpRequest, P], R]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
            if not _street_staff_may_open(request, wanted):
                raise PermissionDenied  # on a community's site, no street-office staff, or not the role
            request.street_office_roles = street_office_roles(request)  # type: ignore[attr-defined]  # makes it a StreetOfficeRequest
            return view(request, *args, **kwargs)  # type: ignore[arg-type]  # narrowed by the checks above

        return _opening_for(wrapped, lambda request: _street_staff_may_open(request, wanted))

    return decorate


# --- who may open a view: the decorators' own rule, asked by the menus too ------------------------------

OPENS_FOR = "opens_for"  # the attribute the decorators set on the view they return


def opens_for(view: Callable[..., object]) -> Callable[[HttpRequest], bool] | None:
    """The rule a view decorated by ``member_required`` or ``street_staff_required`` lets people in by,
    as a test on a request (``None`` for a view that declares none, such as the residents' pages). The
    menus show an entry by this very rule (``tenants.navigation``), so a link is offered only to whom the
    page will open."""
    return getattr(view, OPENS_FOR, None)


def _opening_for(view: Callable[P, R], rule: Callable[[HttpRequest], bool]) -> Callable[P, R]:
    setattr(view, OPENS_FOR, rule)
    return view


def _holds(held: set[str], wanted: frozenset[str] | None) -> bool:
    return wanted is None or bool(held & wanted)


def community_roles(request: HttpRequest) -> set[str]:
    """The signed-in user's roles in the community whose site this is, read once per request (the
    decorator and every menu entry on the page ask)."""
    user, community = request.user, getattr(request, "community", None)
    key = (getattr(user, "pk", None), getattr(community, "pk", None))
    memo: dict[tuple[object, object], set[str]] = request.__dict__.setdefault("_community_roles", {})
    if key not in memo:
        memo[key] = selectors.community_roles_of(user=user, community=community)
    return memo[key]


def street_office_roles(request: HttpRequest) -> set[str]:
    """The signed-in user's street-office roles, read once per request."""
    user = request.user
    memo: dict[object, set[str]] = request.__dict__.setdefault("_street_office_roles", {})
    if getattr(user, "pk", None) not in memo:
        memo[getattr(user, "pk", None)] = selectors.street_office_roles_of(user=user)
    return memo[getattr(user, "pk", None)]


def _member_may_open(request: HttpRequest, wanted: frozenset[str] | None) -> bool:
    held = community_roles(request)
    return bool(held) and _holds(held, wanted)


def _street_staff_may_open(request: HttpRequest, wanted: frozenset[str] | None) -> bool:
    user = request.user
    if not user.is_authenticated or getattr(request, "community", None) is not None:
        return False
    return user.is_superuser or (
        bool(street_office_roles(request)) and _holds(street_office_roles(request), wanted)
    )


# --- objects by id ---------------------------------------------------------------------------------------


def signed_in_user(request: HttpRequest) -> User:
    """The user of a request already past a login check (the admin site, ``login_required``), typed."""
    user = request.user
    if not isinstance(user, User):  # an anonymous visitor: the login check was forgotten
        raise PermissionDenied
    return user


def access_object_by_id(
    queryset: QuerySet[M], pk: object, *, allowed: Callable[[M], bool] | None = None
) -> M:
    """The object with ``pk`` inside ``queryset``; 404 outside it, 403 when ``allowed`` refuses it.

    A ``pk`` that cannot be a key at all (``abc`` posted by hand) is not found either, never a 500.
    """
    try:
        key = queryset.model._meta.pk.to_python(pk) if queryset.model._meta.pk else pk
    except ValidationError:
        key = None
    obj = queryset.filter(pk=key).first() if key is not None else None
    if obj is None:
        raise Http404(f"No {queryset.model._meta.object_name} matches the given query.")
    if allowed is not None and not allowed(obj):
        raise PermissionDenied
    return obj


def access_street_office_by_id(request: HttpRequest, pk: object) -> StreetOffice:
    """Any street office by id (the services decide who may change it): 404 for an unknown one."""
    return access_object_by_id(StreetOffice.objects.all(), pk)


def access_street_office(request: StreetOfficeRequest) -> StreetOffice:
    """The street office the signed-in staff member works for (the first, for a superuser); 403 if none."""
    office = selectors.street_offices_of(request.user).first()
    if office is None:
        raise PermissionDenied
    return office


# --- POST → service → refusal ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission(Generic[T]):
    """What became of a submitted form: ``ok`` with the service's ``value``, or the ``status`` to show the
    page again with (200 when nothing was posted, 400 for invalid input or a refusal, or 403/409 by the
    refusal's kind when asked for). ``error`` is the refusal, if any."""

    status: int
    value: T | None = None
    error: DomainError | None = None
    ok: bool = False


def refusal_status(error: DomainError) -> int:
    """403 for ``NotAllowed``, 409 for ``Conflict``, 400 for any other refusal."""
    if isinstance(error, NotAllowed):
        return 403
    return 409 if isinstance(error, Conflict) else 400


def submit(
    request: HttpRequest,
    service: Callable[[], T],
    *,
    forms: Sequence[BaseForm | BaseFormSet] = (),
    success: str = "",
    error_on_form: bool = False,
    status_by_kind: bool = False,
    forbid: bool = False,
) -> Submission[T]:
    """On a POST whose ``forms`` are all valid, call ``service`` (which reads their ``cleaned_data``).

    On success, ``success`` (if any) is flashed and the value returned. On a ``DomainError`` its message
    goes among the first form's errors (``error_on_form``) or the page's messages, and the page is to be
    shown again with 400 (or ``refusal_status`` with ``status_by_kind``). Nothing else is caught: a bug
    is still a 500, and the service's own transaction has rolled back what it began.
    """
    if request.method != "POST":
        return Submission(status=200)
    if not all(form.is_valid() for form in forms):
        return Submission(status=400)
    try:
        value = service()
    except DomainError as exc:
        if forbid and isinstance(exc, NotAllowed):
            raise PermissionDenied(exc.message) from exc
        if error_on_form and forms and isinstance(forms[0], BaseForm):
            forms[0].add_error(None, exc.message)
        else:
            messages.error(request, exc.message)
        return Submission(status=refusal_status(exc) if status_by_kind else 400, error=exc)
    if success:
        messages.success(request, success)
    return Submission(status=200, value=value, ok=True)
