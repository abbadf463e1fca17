"""Finds, by reading the code, every place that changes what a third-party module, class or
object holds: the candidates for addons/patches.py (tests/adapter/test_patches.py).

An assignment (``=``, ``+=``, an annotated one) counts when its target is
- an attribute or item of a name imported from outside the project (``Agent._x = ...``,
  ``rasa_actions.TIMEOUT = ...``, ``sys.modules["x"] = ...``), however deep;
- an attribute or item of a local value made by such a name (``sio = AsyncServer(...)``
  then ``sio.eio.x = ...``; ``processors = structlog.get_config()[...]`` then
  ``processors[0] = ...``), or of a parameter annotated with such a name (``eio: AsyncServer``
  then ``eio.x = ...``);
- a private attribute (``x._name``, not ``self._name``) of anything;
and every ``setattr(obj, ...)`` whose ``obj`` is not ``self``.

Each is reported with its site: the module and the top-level function or method it is in
(nested functions count as their outer one), and the target as written.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set

PROJECT = ("addons", "actions", "bot", "tests", "benchmarks")
NOT_THIRD_PARTY = ("typing", "__future__", "dataclasses", "collections", "abc")


@dataclass(frozen=True)
class Site:
    site: str  # module.function or module.Class.method
    target: str  # the assignment's target as written
    line: int


def _root(node: ast.AST) -> Optional[str]:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call, ast.Starred)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def imported_names(tree: ast.AST) -> Set[str]:
    """Names bound anywhere in the module by importing from outside the project."""
    names: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in PROJECT + NOT_THIRD_PARTY:
                    names.add(alias.asname or alias.name.split(".")[0])
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and node.module.split(".")[0] not in PROJECT + NOT_THIRD_PARTY
        ):
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _names_in(node: Optional[ast.AST]) -> Set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} if node is not None else set()


def _scopes(tree: ast.Module, module: str) -> Iterator[tuple]:
    """(site, function node or module) for each top-level function and method, and the module body."""
    yield module, tree
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield f"{module}.{node.name}", node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield f"{module}.{node.name}.{item.name}", item


def _walk_own(scope: ast.AST) -> Iterator[ast.AST]:
    """The scope's nodes; for the module, without the bodies of its functions and classes."""
    if not isinstance(scope, ast.Module):
        yield from ast.walk(scope)
        return
    stack: List[ast.AST] = list(scope.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def sites_in(source: str, module: str) -> List[Site]:
    tree = ast.parse(source)
    imported = imported_names(tree)
    found: List[Site] = []
    for site, scope in _scopes(tree, module):
        nodes = list(_walk_own(scope))
        made: Set[str] = set()  # locals made by third-party code, parameters annotated with it
        for node in nodes:
            if isinstance(node, ast.arg) and _names_in(node.annotation) & imported:
                made.add(node.arg)
        for node in nodes:
            if isinstance(node, ast.Assign) and _root(node.value) in imported:
                made.update(t.id for t in node.targets if isinstance(t, ast.Name))
        for node in nodes:
            targets: List[ast.AST] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            for target in targets:
                if _counts(target, imported | made):
                    found.append(Site(site, ast.unparse(target), node.lineno))
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "setattr"
                and node.args
                and _root(node.args[0]) not in ("self",)
            ):
                found.append(Site(site, ast.unparse(node), node.lineno))
    return found


def _counts(target: ast.AST, third_party: Set[str]) -> bool:
    if not isinstance(target, (ast.Attribute, ast.Subscript)):
        return False
    root = _root(target)
    if root in third_party:
        return True
    private = isinstance(target, ast.Attribute) and target.attr.startswith("_") and not target.attr.startswith("__")
    return private and root not in ("self", "cls")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_sites(root: Path, folders: tuple = ("addons", "actions")) -> Dict[str, List[Site]]:
    """Every site in the folders' modules, by site name."""
    by_site: Dict[str, List[Site]] = {}
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            for site in sites_in(path.read_text(encoding="utf-8"), module_name(path, root)):
                by_site.setdefault(site.site, []).append(site)
    return by_site
