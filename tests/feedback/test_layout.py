"""The shape of the feedback app: no grab-bag files, and imports that run one way only.

models -> (rules) -> selectors -> forms / services -> views: a lower layer never imports a higher
one, so no import has to hide inside a function to dodge a cycle.
"""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "feedback"
MAX_LINES = 600


def app_files():
    return sorted(path for path in APP.rglob("*.py") if "migrations" not in path.relative_to(APP).parts)


def module_name(path):
    parts = ["feedback", *path.relative_to(APP).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path):
    """Every feedback module that `path` imports, at the top or inside a function, as dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            found.add(target)
            # `from . import services` imports the module feedback.services.
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "feedback" or name.startswith("feedback.")}


def imports_any(path, *modules):
    """The imported modules of `path` that are one of `modules` or inside one of them."""
    return sorted(
        name
        for name in imported_modules(path)
        if any(name == module or name.startswith(module + ".") for module in modules)
    )


@pytest.mark.parametrize("path", app_files(), ids=lambda path: str(path.relative_to(APP)))
def test_no_file_of_the_app_grows_past_600_lines(path):
    """A module that outgrows 600 lines is split by concern, as services/ and officer_views/ are."""
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(APP)} has {lines} lines"


def test_the_import_helper_sees_relative_and_function_level_imports():
    """The checks below would pass vacuously if the helper missed an import: it finds them all."""
    assert "feedback.selectors" in imported_modules(APP / "forms.py")
    assert "feedback.tasks" in imported_modules(APP / "services" / "routing.py")  # inside a function
    assert "feedback.deadlines" in imported_modules(APP / "services" / "routing.py")  # `from .. import`


def test_models_import_no_reads_forms_services_or_views():
    """The models are the bottom layer: Report.objects.visible_to has its rule beside it."""
    assert not imports_any(
        APP / "models.py",
        "feedback.selectors",
        "feedback.forms",
        "feedback.officer_forms",
        "feedback.services",
        "feedback.views",
        "feedback.officer_views",
        "feedback.api",
        "feedback.open311",
    )


def test_the_rules_import_only_the_models():
    """feedback.rules is read by forms and services alike, so it may import nothing above models."""
    assert set(imported_modules(APP / "rules.py")) <= {"feedback.models"}


def test_reads_import_no_forms_services_or_views():
    """Selectors are reads: the categories cache lives here, and forms read it, not the reverse."""
    assert not imports_any(
        APP / "selectors.py",
        "feedback.forms",
        "feedback.officer_forms",
        "feedback.services",
        "feedback.views",
        "feedback.officer_views",
    )


def test_forms_import_no_services_or_views():
    """A form checks input against feedback.rules; the writes it leads to are the services' own."""
    for name in ("forms.py", "officer_forms.py"):
        assert not imports_any(APP / name, "feedback.services", "feedback.views", "feedback.officer_views"), name


def test_services_import_no_forms_or_views():
    """Services are called by views, the API, tasks and commands; they know none of them."""
    for path in sorted((APP / "services").glob("*.py")):
        assert not imports_any(
            path,
            "feedback.forms",
            "feedback.officer_forms",
            "feedback.views",
            "feedback.officer_views",
            "feedback.api",
            "feedback.open311",
        ), path.name


def test_the_services_package_exports_every_use_case_by_name():
    """`from feedback import services; services.X` keeps working for every public function of the
    package's modules, and __all__ names only what exists."""
    from feedback import services

    assert services.__all__ and all(hasattr(services, name) for name in services.__all__)
    for path in sorted((APP / "services").glob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        public = [
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")
        ]
        missing = [name for name in public if name not in services.__all__]
        assert not missing, f"{path.name}: {missing}"


def test_celery_task_names_are_unchanged():
    """Queued messages in Redis name tasks by their registered name: moving code must not rename them."""
    from feedback import tasks

    assert tasks.route_report_task.name == "feedback.tasks.route_report_task"
    assert tasks.notify_event_task.name == "feedback.tasks.notify_event_task"
    assert tasks.send_notice_sms_task.name == "feedback.tasks.send_notice_sms_task"
    assert tasks.send_contact_sms_task.name == "feedback.tasks.send_contact_sms_task"
    assert tasks.sweep_reports_task.name == "feedback.tasks.sweep_reports_task"
