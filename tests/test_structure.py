"""The shape rules of the package, read from the source with `ast` (no app, no database).

A feature package (a folder of newsportal/ other than models/) may use another feature only
through its `services`, `queries` or `forms`; views modules (any module that defines a
Blueprint) are reached by the app factory alone; no two modules import each other, directly or
round a longer loop; imports sit at the top of a module, so import order is never dodged inside
a function; views never touch `db.session` (reads go through `queries.py`, writes through
`services.py`); every model says whether readers see its rows (`PublicContent` or
`PrivateContent`), so the cache contract is not a hand-kept list; a service refuses with
`newsportal.errors.FieldError` (or a subclass) alone, so every caller catches one type.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import newsportal
import newsportal.models
from newsportal.errors import FieldError
from newsportal.extensions import db
from newsportal.models.public import PrivateContent, PublicContent

PACKAGE = Path(__file__).resolve().parent.parent / "newsportal"
# What a feature offers the others; `decorators` is the role check every staff URL needs.
SHARED_ENTRY_POINTS = frozenset({"services", "queries", "forms", "decorators"})
# `content` is the core articles and pages are built on, not a feature beside them: its desk is a
# blueprint factory each kind instantiates, as a feature uses models.
NOT_FEATURES = frozenset({"models", "translations", "cli", "content"})
# Allowed to import views: it wires blueprints and commands into the app.
WIRING = frozenset({"newsportal"})
# Commands are entry points like views: they may call any module of a feature but its views.
COMMANDS = "newsportal.cli"
# The content core and the two kinds built on it; checked by the *_articles_and_pages tests too.
CORE = frozenset({"articles", "pages", "demo_data", "revisions"})
# Service modules besides every `services.py`: what services are made of, and the importer.
SERVICE_PARTS = frozenset(
    {
        "newsportal.articles.importer",
        "newsportal.auth.reset",
        "newsportal.comments.moderation",
        "newsportal.content.review",
        "newsportal.mail.notices",
        "newsportal.mail.outbox",
        "newsportal.markup_bounds",
        "newsportal.pages.pdfs",
        "newsportal.pages.records",
    }
)


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    function: str | None  # the enclosing function, for a deferred import


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    is_package: bool
    tree: ast.Module

    @property
    def feature(self) -> str | None:
        parts = self.name.split(".")
        if len(parts) < 2 or parts[1] in NOT_FEATURES:
            return None
        if len(parts) == 2 and not self.is_package:
            return None  # a shared top-level module (markup, text, pagecache ...)
        return parts[1]

    @property
    def is_views(self) -> bool:
        return any(
            isinstance(node, ast.Call) and _called_name(node) == "Blueprint"
            for node in ast.walk(self.tree)
        )

    @property
    def in_core(self) -> bool:
        parts = self.name.split(".")
        return len(parts) > 1 and parts[1] in CORE


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


@cache
def modules() -> dict[str, Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        name = ".".join(parts)
        found[name] = Module(name, path, is_package, ast.parse(path.read_text(encoding="utf-8")))
    return found


def _targets(module: Module, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    known = modules()
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    if node.level:
        base = module.name.split(".")
        if not module.is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join([*base, node.module] if node.module else base)
    else:
        prefix = node.module or ""
    for alias in node.names:
        submodule = f"{prefix}.{alias.name}"
        yield submodule if submodule in known else prefix


def _function_imports(tree: ast.AST) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    yield inner, node.name


@cache
def imports() -> tuple[Import, ...]:
    found = []
    for module in modules().values():
        deferred = {id(node): name for node, name in _function_imports(module.tree)}
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            for target in _targets(module, node):
                if target.split(".")[0] == "newsportal" and target != module.name:
                    found.append(Import(module.name, target, node.lineno, deferred.get(id(node))))
    return tuple(found)


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in modules()}
    for edge in imports():
        if edge.target in graph:
            graph[edge.source].add(edge.target)
    # Importing a.b.c runs a/__init__ and a/b/__init__ first: a real edge for cycles, but a
    # package importing its own submodules is how a package is built, not a loop.
    return graph


def cycles() -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan), each a list of names."""
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for target in sorted(graph[name]):
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in on_stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == name:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return groups


def reach_violations() -> list[str]:
    """Imports of another feature's views or private modules; views reached by non-wiring code."""
    known = modules()
    found = []
    for edge in imports():
        source, target = known[edge.source], known.get(edge.target)
        if target is None or edge.source in WIRING:
            continue
        where = f"{edge.source}:{edge.line} imports {edge.target}"
        if target.is_views and target.feature is not None and target.feature != source.feature:
            found.append(f"{where} (a views module)")
        elif (
            target.feature is not None
            and target.feature != source.feature
            and not edge.source.startswith(COMMANDS)
            and not target.is_package
            and target.name.split(".")[-1] not in SHARED_ENTRY_POINTS
        ):
            found.append(f"{where} (neither services, queries nor forms)")
    return sorted(set(found))


def deferred_imports() -> list[str]:
    return sorted(
        {
            f"{edge.source}:{edge.line} in {edge.function}() imports {edge.target}"
            for edge in imports()
            if edge.function is not None
        }
    )


def session_in_views() -> list[str]:
    found = []
    for module in modules().values():
        if not module.is_views:
            continue
        for node in ast.walk(module.tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "session"
                and isinstance(node.value, ast.Name)
                and node.value.id == "db"
            ):
                found.append(f"{module.name}:{node.lineno} uses db.session")
    return sorted(set(found))


def _outside_core(found: list[str]) -> list[str]:
    return [line for line in found if not modules()[line.split(":")[0]].in_core]


def _inside_core(found: list[str]) -> list[str]:
    return [line for line in found if modules()[line.split(":")[0]].in_core]


def test_the_walker_sees_every_kind_of_import() -> None:
    """The rules are only as good as the walk: relative, absolute, deferred, package imports."""
    edges = {(edge.source, edge.target) for edge in imports()}
    assert ("newsportal.comments.views", "newsportal.comments.forms") in edges
    assert ("newsportal.content_version", "newsportal.models") in edges
    deferred = ast.parse("def f():\n    from . import x\n\nimport y\n")
    assert [name for _, name in _function_imports(deferred)] == ["f"]
    assert modules()["newsportal.auth.views"].is_views
    assert not modules()["newsportal.auth.services"].is_views
    assert modules()["newsportal.comments.views"].feature == "comments"
    assert modules()["newsportal.markup"].feature is None


def test_the_cycle_finder_reports_a_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    monkeypatch.setattr(__import__(__name__, fromlist=["_graph"]), "_graph", lambda: graph)
    assert cycles() == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    """Over the whole tree, content core included: the last cycles went with issue 13."""
    found = cycles()
    assert found == [], "modules that import each other: " + "; ".join(" ↔ ".join(g) for g in found)


def test_features_meet_only_through_services_queries_and_forms() -> None:
    assert _outside_core(reach_violations()) == []


def test_imports_are_at_the_top_of_the_module() -> None:
    assert _outside_core(deferred_imports()) == []


def test_views_do_not_touch_the_session() -> None:
    assert _outside_core(session_in_views()) == []


def test_every_model_says_whether_readers_see_it() -> None:
    undeclared = [
        mapper.class_.__name__
        for mapper in db.Model.registry.mappers
        if issubclass(mapper.class_, PublicContent) == issubclass(mapper.class_, PrivateContent)
    ]
    assert len(db.Model.registry.mappers) > 10
    assert undeclared == [], "declare PublicContent or PrivateContent (models/public.py)"


# The same rules over articles/, pages/, demo_data/ and revisions.py.
def test_features_meet_only_through_services_queries_and_forms_articles_and_pages() -> None:
    assert _inside_core(reach_violations()) == []


def test_imports_are_at_the_top_of_the_module_articles_and_pages() -> None:
    assert _inside_core(deferred_imports()) == []


def test_views_do_not_touch_the_session_articles_and_pages() -> None:
    assert _inside_core(session_in_views()) == []


def test_the_package_namespace_shadows_no_subpackage() -> None:
    """`from .pages import views as pages` once made `newsportal.pages` the views module."""
    for name in modules():
        parts = name.split(".")
        if len(parts) == 2 and hasattr(newsportal, parts[1]):
            assert getattr(newsportal, parts[1]).__name__ == name


def _raised_class(node: ast.Raise, namespace: Mapping[str, object]) -> object:
    """What `raise X(...)`, `raise X` or `raise a.X(...)` names, looked up in the module."""
    target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    path = []
    while isinstance(target, ast.Attribute):
        path.append(target.attr)
        target = target.value
    if not isinstance(target, ast.Name):
        return None
    found = namespace.get(target.id)
    for name in reversed(path):
        found = getattr(found, name, None)
    return found


def raises_other_than_field_error(tree: ast.AST, namespace: Mapping[str, object]) -> list[int]:
    """Lines of `raise` statements that raise anything but a FieldError; a bare re-raise is fine."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise)
        and node.exc is not None
        and not (
            isinstance(cls := _raised_class(node, namespace), type) and issubclass(cls, FieldError)
        )
    ]


def service_modules() -> list[Module]:
    return [
        module
        for module in modules().values()
        if module.name.endswith(".services") or module.name in SERVICE_PARTS
    ]


def test_the_raise_check_tells_field_errors_from_others() -> None:
    tree = ast.parse(
        "raise FieldError('a', 'b')\nraise errors.FieldError('a', 'b') from None\n"
        "raise\nraise ValueError('a sentence')\nraise Alias\nraise unknown\n"
    )
    namespace = {"FieldError": FieldError, "errors": newsportal.errors, "Alias": ValueError}
    assert raises_other_than_field_error(tree, namespace) == [4, 5, 6]


def test_services_raise_only_field_errors() -> None:
    """Forms map FieldError codes to messages: a service raising anything else is a 500."""
    found = service_modules()
    assert {module.name for module in found} >= SERVICE_PARTS
    assert len(found) > 10
    wrong = [
        f"{module.name}:{line}"
        for module in found
        for line in raises_other_than_field_error(
            module.tree, vars(importlib.import_module(module.name))
        )
    ]
    assert wrong == [], "raise newsportal.errors.FieldError(field, code): " + ", ".join(wrong)


TEMPLATE_HOOKS = frozenset(
    {
        "add_app_template_filter",
        "add_app_template_global",
        "add_template_filter",
        "add_template_global",
        "app_template_filter",
        "app_template_global",
        "template_filter",
        "template_global",
    }
)


def template_registrations(module: Module) -> list[int]:
    """Lines that give the templates a filter or global: a Flask hook or jinja_env's dicts."""
    return [
        node.lineno
        for node in ast.walk(module.tree)
        if isinstance(node, ast.Attribute)
        and (
            node.attr in TEMPLATE_HOOKS
            or (
                node.attr in {"filters", "globals"}
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "jinja_env"
            )
        )
    ]


def test_template_filters_and_globals_are_registered_in_templating() -> None:
    """One module to read for what a template may call (templating.FILTERS and GLOBALS)."""
    assert template_registrations(modules()["newsportal.templating"]) != []
    elsewhere = [
        f"{module.name}:{line}"
        for module in modules().values()
        if module.name != "newsportal.templating"
        for line in template_registrations(module)
    ]
    assert elsewhere == [], "register it in newsportal/templating.py: " + ", ".join(elsewhere)
