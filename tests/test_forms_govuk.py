"""Forms in the manner of GOV.UK: every form of the project says which field is wrong and how to put it
right (never Django's "该字段是必填项。"), a page that comes back with errors opens with a summary whose
links lead to the fields, and nothing the person typed is lost.

The forms are found by importing every module of the project's apps and collecting the form classes
defined there, so a form added anywhere is covered without touching this file."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core import validators
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone, translation

from inspection import forms as inspection_forms
from inspection import services as inspection_services
from tenants.form_errors import SpecificErrors, field_name
from tenants.models import User
from tests.conftest import login
from tests.factories import PDF, SurveyFactory, rectification_create
from tests.test_bad_input import _draft_form, _finance_form

ROOT = Path(settings.BASE_DIR)
SUMMARY = re.compile(r'<div class="error-summary"[^>]*data-error-summary>(.*?)</div>', re.S)
LINK = re.compile(r'<a href="#([^"]+)">([^<]+)</a>')


# --- every form class of the project -----------------------------------------------------------------------


def _ours(path: Path) -> bool:
    """An app of this repository, not an installed package (the virtualenv may sit inside it)."""
    return ROOT in path.parents and "site-packages" not in path.parts


def _project_modules() -> Iterator[str]:
    """Every module of the apps that live in this repository (not their migrations or commands)."""
    for config in apps.get_app_configs():
        path = Path(config.path)
        if not _ours(path):
            continue
        yield config.name
        for info in pkgutil.walk_packages([str(path)], prefix=f"{config.name}."):
            if any(part in info.name for part in (".migrations", ".management", ".settings", "sgi")):
                continue  # history, commands, and the settings and servers of one deployment
            yield info.name


def _subclasses(cls: type) -> Iterator[type]:
    sub: type
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_form_classes() -> list[type[forms.BaseForm]]:
    for name in _project_modules():
        importlib.import_module(name)
    packages = tuple(f"{c.name}." for c in apps.get_app_configs() if _ours(Path(c.path)))
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith(packages) and cls.__module__ != "tenants.form_errors"
    }
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


FORM_CLASSES = project_form_classes()


def _make(cls: Any, data: dict[str, Any]) -> forms.BaseForm:
    """An instance bound to ``data``, whatever its constructor asks for besides."""
    params = inspect.signature(cls.__init__).parameters
    # what the views pass them
    samples: dict[str, Any] = {
        "years": [2026],
        "office_pk": 1,
        "items": [],
        "actors": User.objects.none(),
        "today": timezone.localdate(),
        "kind": "obligation_overdue",
    }
    kwargs = {
        name: samples[name] for name, p in params.items() if p.kind == p.KEYWORD_ONLY and name in samples
    }
    if "request" in params:  # the login form
        return cls(RequestFactory().post("/"), data=data)
    if "user" in params:  # Django's password forms
        return cls(User(username="someone"), data)
    takes_files = "files" in params or any(p.kind == p.VAR_KEYWORD for p in params.values())
    if not takes_files:  # a form that takes the query string itself
        return cls(data, **kwargs)
    return cls(data=data, files={}, **kwargs)


def _django_generic_messages() -> list[str]:
    """The start of every message Django's fields and validators say in Chinese and in English."""
    classes = [forms.Field, *_subclasses(forms.Field)]
    texts = [str(m) for cls in classes for m in getattr(cls, "default_error_messages", {}).values()]
    for validator in (
        validators.MaxLengthValidator,
        validators.MinLengthValidator,
        validators.MaxValueValidator,
        validators.MinValueValidator,
        validators.EmailValidator,
        validators.URLValidator,
    ):
        texts.append(str(validator.message))
    texts += [str(m) for m in validators.DecimalValidator.messages.values()]
    starts = {t.split("%(")[0].strip() for t in texts}
    return sorted(s for s in starts if len(s) >= 4)


def _wrote_its_own(field: forms.Field | None, code: str) -> bool:
    """Whether the form class gave this field its own message for ``code`` (not Django's default)."""
    if field is None:
        return False
    default = None
    for cls in reversed(type(field).__mro__):
        default = getattr(cls, "default_error_messages", {}).get(code, default)
    return field.error_messages.get(code) is not default


def _errors(form: forms.BaseForm) -> list[str]:
    form.is_valid()
    return [str(m) for messages in form.errors.values() for m in messages]


def test_the_project_forms_are_all_found():
    names = {c.__name__ for c in FORM_CLASSES}
    assert {"DisclosureForm", "FeedbackForm", "AnswerForm", "SiteAuthenticationForm", "ProfileForm"} <= names
    assert {"RecordForm", "ScoringItemForm", "WorkingDaysForm", "ScreenForm", "NoticeForm"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("cls", FORM_CLASSES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_an_empty_or_nonsense_form_says_what_is_wrong_with_which_field(cls, language):
    assert issubclass(cls, SpecificErrors), f"{cls.__name__} is not built on tenants.form_errors"
    generic = _django_generic_messages()
    with translation.override(language):
        empty = _make(cls, {})
        nonsense = _make(cls, {name: "不是一个值" for name in empty.fields})
        for form in (empty, nonsense):
            for message in _errors(form):
                assert not any(message.startswith(g) for g in generic), f"{cls.__name__}: {message}"
        for name, field in empty.fields.items():
            if _wrote_its_own(cls.base_fields.get(name), "required"):
                continue  # a message the form wrote for itself, in its own words
            for said in empty.errors.get(name, []):
                assert field_name(field, name) in str(said), f"{cls.__name__}.{name}: {said}"


@pytest.mark.django_db
def test_the_scoring_form_built_per_standard_says_which_item_is_wrong(world):
    template = inspection_services.template_seed_default()
    items = list(template.items.all())
    form = inspection_forms.scores_form(
        items, data={f"score_{items[0].code}": "abc"}, with_notes=True, with_report=True
    )
    messages = _errors(form)
    assert messages and all(any(i.code in m for i in items) for m in messages), messages
    assert not any(m.startswith(g) for m in messages for g in _django_generic_messages())


def test_the_messages_name_the_field_and_the_date_format_is_the_one_accepted():
    from disclosure.forms import FinanceLineForm, SubmitForm

    with translation.override("zh-hans"):
        form = SubmitForm(data={"planned_publish_date": "明天"})
        assert form.errors["planned_publish_date"] == [
            "请按 2026年7月3日 或 2026-07-03 的格式填写计划公布日期"
        ]
        assert SubmitForm(data={"planned_publish_date": "2026年7月3日"}).is_valid()
        assert SubmitForm(data={}).errors["planned_publish_date"] == ["请填写计划公布日期"]
        line = FinanceLineForm(data={"direction": "gift", "amount": "1.234"})
        assert "请从列表中选择收/支" in line.errors["direction"]
        assert "金额最多保留 2 位小数" in line.errors["amount"]  # "金额(元)": the note in brackets goes
        assert "请填写摘要" in line.errors["description"]


# --- the pages ------------------------------------------------------------------------------------------


def _summary_links(page: str) -> list[tuple[str, str]]:
    match = SUMMARY.search(page)
    assert match, "the page has no error summary"
    assert "提交的内容有问题" in match.group(0)
    assert 'role="alert"' in match.group(0) and 'tabindex="-1"' in match.group(0)
    links = LINK.findall(match.group(1))
    assert links, "the summary links to no field"
    for anchor, _message in links:
        assert f'id="{anchor}"' in page, f"the summary links to #{anchor}, which is not on the page"
    return links


def _value_kept(page: str, text: str) -> bool:
    return text in unescape(page)


def _new_draft(client_for, data: dict[str, str]):  # type: ignore[no-untyped-def]
    """The handler of 银城 posts the new-disclosure editor."""
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    return client.post("/workspace/disclosures/new/", data)


@pytest.mark.django_db
def test_a_new_disclosure_with_errors_comes_back_with_the_summary_and_everything_typed(world, client_for):
    typed_wrong = {"fin-period": "2026年第三季度", "fin-opening_balance": "一千", "line-0-date": "2026-02-30"}
    page = _new_draft(client_for, _finance_form(title="", category="", body="正文<留着>", **typed_wrong))
    assert page.status_code == 400
    html = page.content.decode()
    links = dict(_summary_links(html))
    assert links["id_title"] == "请填写标题" and links["id_category"] == "请选择类别"
    assert links["id_fin-opening_balance"] == "期初余额须是数字,例如 1200.50"
    assert "第 1 行:请按 2026年7月3日 或 2026-07-03 的格式填写日期" in links["id_line-0-date"]
    assert '<span class="visually-hidden">错误:</span>请填写标题' in html
    for typed in ("正文<留着>", "2026年第三季度", "一千", "2026-02-30", "街道拨付办公经费", "收-01"):
        assert _value_kept(html, typed), typed


@pytest.mark.django_db
def test_switching_the_content_type_keeps_what_was_typed_and_shows_no_errors(world, client_for):
    switched = _draft_form("", title="三季度财务", category="finance", content_type="finance", body="说明")
    del switched["save"]
    page = _new_draft(client_for, {**switched, "switch": "1"})
    html = page.content.decode()
    assert page.status_code == 200 and "data-error-summary" not in html
    assert 'value="三季度财务"' in html and "说明" in html and 'name="fin-opening_balance"' in html


@pytest.mark.django_db
def test_a_residents_feedback_with_errors_comes_back_with_the_summary_and_the_text(world, client_for):
    client = client_for("yincheng")
    page = client.post("/feedback/", {"kind": "", "text": "", "name": "王小明", "mobile": "12345"})
    assert page.status_code == 400
    html = page.content.decode()
    links = dict(_summary_links(html))
    assert set(links) >= {"id_kind_0", "id_text", "id_mobile"}
    assert 'value="王小明"' in html and 'value="12345"' in html


@pytest.mark.django_db
def test_a_rectification_answer_left_empty_comes_back_with_the_summary(world, client_for):
    order = rectification_create(world.yincheng, SurveyFactory.create(community=world.yincheng))
    client = client_for("yincheng")
    login(client, "yincheng_secretary")
    page = client.post(f"/workspace/inspection/rectifications/{order.pk}/", {"answer": "   "})
    assert page.status_code == 400
    assert dict(_summary_links(page.content.decode())) == {"id_answer": "请填写整改情况"}


@pytest.mark.django_db
def test_a_failed_login_comes_back_with_the_summary_and_the_username(world, client_for):
    client = client_for("yincheng")
    empty = client.post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert dict(_summary_links(empty)) == {"id_username": "请填写用户名", "id_password": "请填写密码"}
    wrong = client.post("/accounts/login/", {"username": "yincheng_handler", "password": "nope"})
    html = wrong.content.decode()
    assert SUMMARY.search(html) and "用户名或密码不正确" in SUMMARY.search(html).group(0)  # type: ignore[union-attr]
    assert html.count("用户名或密码不正确") == 1  # in the summary, not repeated above the fields
    assert 'value="yincheng_handler"' in html


@pytest.mark.django_db
def test_a_self_assessment_with_errors_keeps_the_scores_and_asks_for_the_file_again(world, client_for):
    template = inspection_services.template_seed_default()
    assessment = inspection_services.assessment_open(
        community=world.yincheng,
        period="2026年度",
        template=template,
        inspector=world.user("yinzhou_inspector"),
        actor=world.user("yinzhou_leader"),
    )
    items = list(template.items.all())
    data: dict[str, Any] = {f"score_{i.code}": "1.5" for i in items}
    data[f"score_{items[0].code}"] = "99"
    data["report"] = SimpleUploadedFile("自查报告.pdf", PDF, content_type="application/pdf")
    client = client_for("yincheng")
    login(client, "yincheng_secretary")
    page = client.post(f"/workspace/inspection/assessments/{assessment.pk}/", data)
    assert page.status_code == 400
    html = page.content.decode()
    links = dict(_summary_links(html))
    assert list(links) == [f"id_score_{items[0].code}"]
    assert html.count('value="1.5"') == len(items) - 1 and 'value="99"' in html
    assert "刚才选择的文件没有保留,请重新选择" in html


@pytest.mark.django_db
def test_the_pages_that_come_back_with_errors_carry_the_summary(world, client_for):
    """A sweep of the other form pages: an empty POST comes back with the summary."""
    order = rectification_create(world.yincheng, SurveyFactory.create(community=world.yincheng))
    inspection_services.rectification_answer(
        rectification=order, actor=world.user("yincheng_secretary"), answer="已更新公开栏"
    )
    pages = [
        ("yincheng", "yincheng_secretary", "/workspace/catalogue/", {}),
        (
            "yincheng",
            "yincheng_secretary",
            "/workspace/profile/",
            {"p-population": "很多", "o-TOTAL_FORMS": "0", "o-INITIAL_FORMS": "0"},
        ),
        ("yincheng", None, "/vote/", {}),
        (None, "yinzhou_inspector", "/inspection/spot-checks/", {}),
        (None, "yinzhou_inspector", "/inspection/surveys/", {}),
        (None, "yinzhou_inspector", "/inspection/rectifications/", {}),
        (None, "yinzhou_leader", "/inspection/assessments/", {}),
        (
            None,
            "yinzhou_admin",
            "/inspection/standards/",
            {"items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-0-code": "X1"},
        ),
        (None, "yinzhou_inspector", f"/inspection/rectifications/{order.pk}/", {}),
    ]
    for code, username, url, data in pages:
        client = client_for(code)
        if username:
            login(client, username)
        # a browser always sends the CSRF token, so the form is bound even with every box empty
        response = client.post(url, {"csrfmiddlewaretoken": "-", **data})
        assert response.status_code == 400, (url, response.status_code)
        assert SUMMARY.search(response.content.decode()), url
        _summary_links(response.content.decode())
