"""bot/ is plain Python: no module in it imports Rasa, rasa_sdk or Sanic (those are
addons/ and actions/), and the layers inside bot/ only import downwards."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = ("rasa", "rasa_sdk", "sanic")
BOT_MODULES = sorted((ROOT / "bot").rglob("*.py"))


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


@pytest.mark.parametrize("path", BOT_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_bot_does_not_import_a_framework(path):
    offending = [m for m in imported_modules(path) if m.split(".")[0] in FRAMEWORKS]
    assert offending == [], f"{path.relative_to(ROOT)} imports {offending}: move that code to addons/ or actions/"


def test_the_check_sees_a_framework_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom rasa.shared.nlu.constants import TEXT\nimport sanic.response\n")
    assert [m for m in imported_modules(sample) if m.split(".")[0] in FRAMEWORKS] == [
        "rasa.shared.nlu.constants",
        "sanic.response",
    ]


# Lower layers never import higher ones (content at the bottom, then the language layer,
# the symptom record and ranking, then replies, the interview and the screen, and on top
# the per-message turn plan that the Rasa policy runs, and the hand-off built on the summary).
LAYERS = [
    {"bot.contract", "bot.settings"},
    {"bot.content"},
    {"bot.nlp", "bot.triage", "bot.rendering", "bot.guard", "bot.redaction", "bot.name_words"},
    {"bot.symptoms", "bot.ranking", "bot.plan", "bot.proxy"},
    {"bot.replies", "bot.interview", "bot.safety", "bot.offers", "bot.checkins", "bot.clarify"},
    {"bot.turn", "bot.appointment"},
    {"bot.handoff"},  # the hand-off: the summary as FHIR and PDF, the outbox (issue 27)
]


def layer_of(module: str) -> int:
    for index, layer in enumerate(LAYERS):
        if any(module == name or module.startswith(name + ".") for name in layer):
            return index
    raise AssertionError(f"{module} is in no layer of {__file__}: add it")


@pytest.mark.parametrize("path", BOT_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_bot_imports_only_downwards(path):
    relative = path.relative_to(ROOT).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    module = ".".join(parts)
    if module == "bot":
        return
    own = layer_of(module)
    upward = [m for m in imported_modules(path) if m.startswith("bot.") and layer_of(m) > own]
    assert upward == [], f"{module} (layer {own}) imports higher layers: {upward}"
