"""The POST → service → refusal helper answers as the views always did: 400 for invalid input or a
refusal, or by the refusal's kind (403 not allowed, 409 conflict) where a page asks for it, with the
message on the form or among the page's messages."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpRequest
from django.test import RequestFactory

from tenants.access import submit
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import StreetOffice
from tests.conftest import login


class NameForm(forms.Form):
    name = forms.CharField()


def posted(data: dict[str, str]) -> HttpRequest:
    request = RequestFactory().post("/", data)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]  # what MessageMiddleware sets
    return request


def refuse(error: Exception):  # type: ignore[no-untyped-def]
    def service() -> None:
        raise error

    return service


def test_nothing_posted_nothing_called():
    request = RequestFactory().get("/")
    done = submit(request, refuse(AssertionError("called")), forms=[NameForm()])
    assert (done.ok, done.status) == (False, 200)


def test_invalid_input_is_400_and_the_service_is_not_called():
    done = submit(posted({}), refuse(AssertionError("called")), forms=[NameForm({})])
    assert (done.ok, done.status) == (False, 400)


def test_success_returns_the_value_and_flashes_the_message():
    request = posted({"name": "王"})
    form = NameForm(request.POST)
    done = submit(request, lambda: form.cleaned_data["name"], forms=[form], success="已保存。")
    assert (done.ok, done.value) == (True, "王")
    assert [str(m) for m in get_messages(request)] == ["已保存。"]


def test_a_refusal_is_400_among_the_page_messages_by_default():
    request = posted({"name": "王"})
    done = submit(request, refuse(NotAllowed("不行")), forms=[NameForm(request.POST)])
    assert (done.ok, done.status) == (False, 400)
    assert [str(m) for m in get_messages(request)] == ["不行"]


def test_a_refusal_by_kind_goes_on_the_form():
    for error, status in ((NotAllowed("不行"), 403), (Conflict("已办"), 409), (InvalidInput("填错"), 400)):
        request = posted({"name": "王"})
        form = NameForm(request.POST)
        done = submit(request, refuse(error), forms=[form], error_on_form=True, status_by_kind=True)
        assert (done.status, done.error) == (status, error)
        assert form.non_field_errors() == [str(error)]
        assert list(get_messages(request)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "", "1.5", "9" * 30])
def test_an_id_that_cannot_be_a_key_is_not_found_rather_than_a_server_error(world, client_for, value):
    client = client_for(None)
    login(client, "yinzhou_admin")
    posted = {"action": "require", "street_office": value, "required": "1"}
    assert client.post("/accounts/two-factor/", posted).status_code == 404
    assert not StreetOffice.objects.get(code="yinzhou").require_two_factor
