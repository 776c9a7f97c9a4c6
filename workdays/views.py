"""The working-day calculator page, on every host: staff and residents check a deadline the same way
the product computes it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tenants.errors import InvalidInput
from workdays import selectors, services
from workdays.forms import DEFAULT_DAYS, WorkingDaysForm


def calculator(request: HttpRequest) -> HttpResponse:
    """A GET form, so a result can be bookmarked or sent; the first visit computes today + 10."""
    if "start" in request.GET or "days" in request.GET:
        form = WorkingDaysForm(request.GET)
    else:
        form = WorkingDaysForm({"start": timezone.localdate().isoformat(), "days": DEFAULT_DAYS})
    context: dict[str, object] = {"form": form}
    if form.is_valid():
        try:
            result = services.add_working_days(form.cleaned_data["start"], form.cleaned_data["days"])
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            names = selectors.non_working_day_names(days=result.skipped)
            first_year = result.start.year if result.days == 0 else (result.start + services.ONE_DAY).year
            context.update(
                result=result,
                start_weekday=selectors.weekday_name(result.start),
                date_weekday=selectors.weekday_name(result.date),
                skipped=[(day, selectors.weekday_name(day), names[day]) for day in result.skipped],
                provisional_years=[
                    year
                    for year in range(first_year, result.date.year + 1)
                    if not selectors.year_is_official(year=year)
                ],
            )
    return render(request, "workdays/calculator.html", context)
