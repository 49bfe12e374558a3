"""Every notice of every app goes through the one pipeline: no app writes notices itself."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["citizens", "feedback", "government", "publicservices", "utilities", "news", "campaigns", "smarthp"]


def _writes_notices(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        # Notice(...) built by hand, or Notice.objects.create / bulk_create / get_or_create.
        if isinstance(func, ast.Name) and func.id == "Notice":
            return True
        if (
            isinstance(func, ast.Attribute)
            and func.attr in {"create", "bulk_create", "get_or_create", "update_or_create"}
            # Notice.objects or models.Notice.objects; not another model's (news.WardNotice).
            and (ast.unparse(func.value) == "Notice.objects" or ast.unparse(func.value).endswith(".Notice.objects"))
        ):
            return True
    return False


def test_no_app_writes_notices_but_the_pipeline():
    offenders = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and _writes_notices(path)
    ]
    assert offenders == []


def test_the_check_leaves_other_models_named_like_notices_alone(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("WardNotice.objects.create(title='x')\n")
    assert not _writes_notices(sample)


def test_the_check_sees_a_hand_written_notice(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("Notice.objects.bulk_create([Notice(user=u, text='x')])\n")
    assert _writes_notices(sample)
