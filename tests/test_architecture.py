"""The shape of the code, held: where apps live, how big a module may grow, where rule values are
written, and that docs/ARCHITECTURE.md names only functions and tests that exist.

The import contracts themselves (layers, selectors never import services, no cycles inside an app)
are checked by ``lint-imports`` in ``make lint``; these tests hold what import-linter cannot see.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
APP_ROOTS = (
    "tenants",
    "workdays",
    "standards",
    "communities",
    "disclosure",
    "inspection",
    "api",
    "config",
    "demo",
)
MAX_MODULE_LINES = 500


def _project_apps() -> list[str]:
    return [config.name for config in apps.get_app_configs() if Path(config.path).is_relative_to(ROOT)]


def _app_modules() -> list[Path]:
    return sorted(
        path for root in APP_ROOTS for path in (ROOT / root).rglob("*.py") if "migrations" not in path.parts
    )


def _exceptions() -> str:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    return text.split("## Exceptions written down", 1)[1]


def test_no_public_schema_app_sits_inside_a_tenant_apps_package():
    tenant_apps = set(settings.TENANT_APPS)
    public_only = [name for name in _project_apps() if name not in tenant_apps]
    for name in public_only:
        parents = {name.rsplit(".", depth)[0] for depth in range(1, name.count(".") + 1)}
        assert not parents & tenant_apps, f"{name} lives in public but sits inside {parents & tenant_apps}"
    # and the other way round: every tenant app of ours is the engine's or below it
    assert {"communities", "disclosure", "disclosure.feedback"} <= tenant_apps


def test_no_app_module_grows_past_the_limit_without_a_reason_written_down():
    written_down = _exceptions()
    too_long = [
        f"{path.relative_to(ROOT)} ({lines} lines)"
        for path in _app_modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
        and f"`{path.relative_to(ROOT)}`" not in written_down
    ]
    assert not too_long, f"over {MAX_MODULE_LINES} lines with no reason in ARCHITECTURE.md: {too_long}"


# A rule's number reaches a template as a value; these are the rule clocks of the source documents.
RULE_LITERALS = re.compile(
    r"(?<![\d{])(?:5|10|15)\s*(?:个)?工作日|(?<![\d{])(?:10|15)\s*(?:天|日内)|(?<![\d.{])90\s*%"
)


def test_templates_take_rule_values_from_their_one_definition():
    offenders = []
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if RULE_LITERALS.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert not offenders, "rule values typed into templates:\n" + "\n".join(offenders)


def _strings_shown_to_people(tree: ast.Module) -> list[tuple[int, str]]:
    """Every string constant of a module except docstrings (they may quote the source documents)."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_messages_take_rule_values_from_their_one_definition():
    offenders = []
    for path in _app_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, text in _strings_shown_to_people(tree):
            if RULE_LITERALS.search(text):
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {text[:60]}")
    assert not offenders, "rule values typed into strings:\n" + "\n".join(offenders)


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        try:
            for attribute in parts[split:]:
                target = getattr(target, attribute)
        except AttributeError:
            return False
        return True
    return False


def test_the_rule_map_names_only_code_and_tests_that_exist():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    rule_map = text.split("## Rule map", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in rule_map.splitlines() if line.startswith("|") and not line.startswith("|--")]
    assert len(rows) > 30, "the rule map lost its rows"
    missing = []
    for test_ref in re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", rule_map):
        path, name = test_ref
        source = ROOT / path
        if not source.exists() or not re.search(rf"def {name}\(", source.read_text(encoding="utf-8")):
            missing.append(f"{path}::{name}")
    for dotted in re.findall(r"`((?:{})(?:\.\w+)+)`".format("|".join(APP_ROOTS)), rule_map):
        if not _resolves(dotted):
            missing.append(dotted)
    for path in re.findall(r"`((?:{})/[\w/.]+\.\w+)`".format("|".join(APP_ROOTS)), rule_map):
        if not (ROOT / path).exists():
            missing.append(path)
    assert not missing, f"ARCHITECTURE.md names what does not exist: {missing}"
