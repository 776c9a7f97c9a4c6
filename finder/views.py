"""检索同义词, the street office's own words added to the search's built-in dictionary; and the search page's
context, which a community's site and the street office's site share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from finder import selectors, services
from finder.forms import FindForm, SynonymGroupForm
from finder.models import Entry, SynonymGroup
from finder.permissions import SYNONYM_EDITORS, SYNONYM_REFUSED
from finder.vocabulary import DEFAULT_GROUPS
from standards.choices import Category
from tenants.access import (
    StreetOfficeRequest,
    access_object_by_id,
    access_street_office,
    street_staff_required,
    submit,
)


@street_staff_required()
def synonyms(request: StreetOfficeRequest) -> HttpResponse:
    """Every street-office member reads the dictionary; its admin adds and removes the street office's
    own groups (a POST by anyone else is refused before its input is read)."""
    office = access_street_office(request)
    may_edit = request.user.is_superuser or bool(SYNONYM_EDITORS & request.street_office_roles)
    form = SynonymGroupForm(request.POST if request.POST.get("action") == "add" else None)
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(SYNONYM_REFUSED)
        if request.POST.get("action") == "remove":
            group = access_object_by_id(
                SynonymGroup.objects.filter(street_office=office), request.POST.get("group")
            )
            submit(
                request,
                lambda: services.synonym_group_remove(group=group, actor=request.user),
                success=_("已删除这组同义词。"),
                forbid=True,
            )
            return redirect("finder:synonyms")
        added = submit(
            request,
            lambda: services.synonym_group_add(
                street_office=office, words=form.cleaned_data["words"], actor=request.user
            ),
            forms=[form],
            success=_("已添加。居民现在搜其中任何一个词,都能找到含有其他词的内容。"),
            error_on_form=True,
        )
        if added.ok:
            return redirect("finder:synonyms")
        status = added.status
    return render(
        request,
        "finder/synonyms.html",
        {
            "office": office,
            "form": form if may_edit else None,
            "groups": SynonymGroup.objects.filter(street_office=office).select_related("created_by"),
            "defaults": DEFAULT_GROUPS,
        },
        status=status,
    )


def search_context(
    request: HttpRequest,
    *,
    scope: QuerySet[Entry],
    street_office_ids: list[int],
    link: Callable[[Entry], str],
    on: date,
    per_page: int,
) -> tuple[dict[str, Any], int]:
    """The search page of a community's site and of the street office's alike: the form read from the
    query string, the hits of the page asked for, facets and what was understood. With the status to
    answer: 400 when a filter cannot be read (the form shows why, what was typed is kept)."""
    form = FindForm(request.GET, years=selectors.years_published(scope))
    valid = form.is_valid()
    criteria = form.cleaned_data if valid else {}
    found = selectors.find(
        scope=scope if valid else scope.none(),
        typed=criteria.get("q") or "",
        on=on,
        groups=selectors.synonym_groups(street_office_ids=street_office_ids),
        link=link,
        category=criteria.get("category") or "",
        year=criteria.get("year"),
        month=criteria.get("month"),
        page=request.GET.get("page"),
        per_page=per_page,
    )
    context = {
        "form": form,
        "found": found,
        "page": found.page,
        "searched": any(criteria.values()),
        "category_label": dict(Category.choices).get(criteria.get("category") or ""),
    }
    return context, 200 if valid else 400
