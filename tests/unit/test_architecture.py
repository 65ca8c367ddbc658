"""The rooms keep their walls: read from the source's imports, not from anyone's word."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "flows", "storage")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _nodes(tree: ast.AST, typing_too: bool = False) -> list[ast.AST]:
    """Every node, leaving out the body of `if TYPE_CHECKING:` unless `typing_too`."""
    found: list[ast.AST] = []
    for node in ast.iter_child_nodes(tree):
        checking = (
            isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
        )
        if checking and not typing_too:
            continue
        found.append(node)
        found.extend(_nodes(node, typing_too))
    return found


def _imports(typing_too: bool = False) -> dict[str, set[str]]:
    """Each product module and the product modules it imports, anywhere in it (also inside a function),
    and with `typing_too` also those imported for type checking only."""
    graph: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            found: set[str] = set()
            for node in _nodes(ast.parse(path.read_text()), typing_too):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module)
                    found.update(f"{node.module}.{a.name}" for a in node.names)
                elif isinstance(node, ast.Import):
                    found.update(a.name for a in node.names)
            graph[_module(path)] = {m for m in found if m.split(".")[0] in PACKAGES}
    modules = set(graph)
    return {name: {m for m in deps if m in modules and m != name} for name, deps in graph.items()}


def test_handlers_import_nothing_from_storage() -> None:
    graph = _imports()
    leaks = {m: sorted(d for d in deps if d.startswith("storage")) for m, deps in graph.items()}
    assert {m: d for m, d in leaks.items() if m.startswith("handlers") and d} == {}


def test_flows_and_the_domain_do_no_io() -> None:
    graph = _imports()
    pure = [m for m in graph if m.startswith(("flows", "bot.domain"))]
    outside = {m: sorted(d for d in graph[m] if not d.startswith(("flows", "bot.domain"))) for m in pure}
    assert {m: d for m, d in outside.items() if d} == {}


def test_only_the_composition_root_and_the_sandbox_use_the_composition_root() -> None:
    graph = _imports()
    users = {m for m, deps in graph.items() if any(d.startswith("bot.app") for d in deps)}
    assert {m for m in users if not m.startswith(("bot.app", "bot.sandbox"))} == set()


def test_there_is_no_import_cycle_not_even_for_type_checking() -> None:
    graph = _imports(typing_too=True)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*path[path.index(dep) :], dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_no_product_module_is_over_three_hundred_lines() -> None:
    # Migrations are history and the emulator is a stand-in for Telegram: both aside.
    long = {
        str(path.relative_to(ROOT)): n
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and path.name != "emulator.py"
        if (n := len(path.read_text().splitlines())) > 300
    }
    assert long == {}


def test_every_package_says_what_it_is_for() -> None:
    silent = [
        str(init.relative_to(ROOT))
        for package in PACKAGES
        for init in (ROOT / package).rglob("__init__.py")
        if "migrations" not in init.parts and not ast.get_docstring(ast.parse(init.read_text()))
    ]
    assert silent == []


def test_storage_leans_on_nothing_of_the_bot_but_its_pure_domain() -> None:
    graph = _imports()
    above = {
        m: sorted(d for d in deps if d.startswith("bot") and not d.startswith("bot.domain"))
        for m, deps in graph.items()
    }
    assert {m: d for m, d in above.items() if m.startswith("storage") and d} == {}


def test_the_messenger_and_the_outbox_sender_share_one_message_type_and_no_orm_rows() -> None:
    graph = _imports()
    way = ("bot.views.messenger", "bot.runtime.outbox", "bot.runtime.calls", "bot.runtime.transport")
    assert {m: sorted(d for d in graph[m] if d.startswith("storage.models")) for m in way} == {
        m: [] for m in way
    }
    assert all("bot.domain.outgoing" in graph[m] for m in way)


def _command_names() -> set[str]:
    """The classes of bot/domain/*commands.py: what a person can ask of the bot."""
    names: set[str] = set()
    for path in (ROOT / "bot" / "domain").glob("*commands.py"):
        names |= {n.name for n in ast.parse(path.read_text()).body if isinstance(n, ast.ClassDef)}
    return names - {
        "DeskAction",
        "CheckInAnswer",
        "AgreementAction",
        "RegieAction",
        "Command",
        "Tap",
        "SignalState",
    }


def _makes_commands(tree: ast.AST, names: set[str]) -> bool:
    """Whether a module calls a command class, imported by name or through its module."""
    by_name: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.endswith("commands"):
                by_name |= {a.asname or a.name for a in node.names if a.name in names}
            elif node.module == "bot.domain":
                modules |= {a.asname or a.name for a in node.names if a.name.endswith("commands")}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Name) and f.id in by_name:
            return True
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in modules:
            return f.attr in names
    return False


def test_only_the_reader_makes_commands() -> None:
    """Commands come from updates: the reader makes them, the catalogue runs them; no service invents one."""
    names = _command_names()
    makers = {
        _module(path)
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and _makes_commands(ast.parse(path.read_text()), names)
    }
    assert makers == {"bot.frontdesk.reading"}


HOOKS = {"process_bind_param", "process_result_value"}  # SQLAlchemy calls these; its docs say what they do


def _undocumented(tree: ast.AST, where: str, protocol: bool = False) -> list[str]:
    found = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            stub = (
                len(node.body) == 1
                and isinstance(node.body[0], ast.Expr)
                and isinstance(node.body[0].value, ast.Constant)
                and node.body[0].value.value is Ellipsis
            )
            if not (
                node.name.startswith("_")
                or ast.get_docstring(node)
                or (protocol and stub)
                or node.name in HOOKS
            ):
                found.append(f"{where}.{node.name}")
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            is_protocol = any(ast.unparse(b).startswith("Protocol") for b in node.bases)
            found += _undocumented(node, f"{where}.{node.name}", is_protocol)
    return found


def test_every_public_function_says_what_it_does() -> None:
    """One imperative line at least; a Protocol's stubs are described where they are implemented."""
    missing = [
        name
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        for name in _undocumented(ast.parse(path.read_text()), _module(path))
    ]
    assert missing == []
