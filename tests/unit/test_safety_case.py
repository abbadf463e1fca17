"""docs/safety-case.md kept in step with the red-flag table (no Rasa: the YAML and the
Markdown are read as they are).

- every red flag in bot/content/data/red_flags.yml has a hazard in the log;
- every red flag the log names exists (or is one being added in parallel, PENDING_FLAG_IDS);
- every test the log cites as evidence exists;
- every residual risk follows the published DCB0129 matrix, and none is unacceptable.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SAFETY_CASE = ROOT / "docs" / "safety-case.md"
RED_FLAGS_FILE = ROOT / "bot" / "content" / "data" / "red_flags.yml"

# Red flags another developer is adding to red_flags.yml in parallel (issue 22): the log
# names them already, marked with PENDING_MARK. Once they exist in red_flags.yml this list
# must be emptied (and the marks removed from the log): test_pending_flags_are_not_in_the_table_yet
# fails as soon as one of them arrives, so the list cannot go stale.
PENDING_FLAG_IDS: frozenset = frozenset()
PENDING_MARK = "\u2020"  # †

# NHS Digital DCB0129 categories and the standard risk matrix: the published one must be it.
SEVERITIES = {1: "Minor", 2: "Significant", 3: "Considerable", 4: "Major", 5: "Catastrophic"}
LIKELIHOODS = {1: "Very low", 2: "Low", 3: "Medium", 4: "High", 5: "Very high"}
RISKS = {1: "Very low", 2: "Low", 3: "Medium", 4: "High", 5: "Very high"}
# likelihood -> risk rating for severity 1..5
DCB0129_MATRIX = {
    5: (3, 4, 4, 5, 5),
    4: (2, 3, 3, 4, 5),
    3: (2, 2, 3, 3, 4),
    2: (1, 2, 2, 3, 4),
    1: (1, 1, 2, 2, 3),
}
UNACCEPTABLE = {4, 5}

COLUMNS = [
    "Hazard id",
    "Hazard",
    "Cause",
    "Effect",
    "Severity",
    "Likelihood (before)",
    "Mitigations",
    "Evidence",
    "Residual likelihood",
    "Residual risk",
    "Red flags",
]
NONE = {"", "\u2014", "-"}  # an em dash: no particular red flag
FLAG_ID = re.compile(r"[a-z][a-z0-9_]*")
EVIDENCE = re.compile(r"(tests/[\w/.-]+\.py)::(test_\w+)")
RATED = re.compile(r"([1-5]) (.+)")


# --------------------------------------------------------------------------- reading
def _text() -> str:
    return SAFETY_CASE.read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    """The text under ``heading`` (a whole Markdown heading line) up to the next heading
    of the same or a higher level."""
    lines = text.splitlines()
    level = len(heading) - len(heading.lstrip("#"))
    start = lines.index(heading)
    body = []
    for line in lines[start + 1 :]:
        hashes = len(line) - len(line.lstrip("#"))
        if 0 < hashes <= level and line[hashes : hashes + 1] == " ":
            break
        body.append(line)
    return "\n".join(body)


def _cells(line: str) -> List[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(text: str) -> List[Dict[str, str]]:
    """The first Markdown table in ``text``, as rows keyed by the header."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("|"))
    block = []
    for line in lines[start:]:
        if not line.lstrip().startswith("|"):
            break
        block.append(line)
    header = _cells(block[0])
    assert re.fullmatch(r"[\s|:-]+", block[1]), f"no separator line under {header}"
    rows = []
    for line in block[2:]:
        cells = _cells(line)
        assert len(cells) == len(header), f"{len(cells)} cells for {len(header)} columns: {line[:80]}"
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


def hazard_log(text: str) -> List[Dict[str, str]]:
    rows = _table(_section(text, "## Hazard log"))
    assert rows and list(rows[0]) == COLUMNS, f"the hazard log's columns must be {COLUMNS}"
    return rows


def flags_of(row: Dict[str, str]) -> List[Tuple[str, bool]]:
    """(id, marked pending) for each red flag in the row's Red flags cell."""
    cell = row["Red flags"].replace("`", "").strip()
    if cell in NONE:
        return []
    named = []
    for item in (part.strip() for part in cell.split(",")):
        pending = item.endswith(PENDING_MARK)
        flag = item.rstrip(PENDING_MARK).strip()
        assert FLAG_ID.fullmatch(flag), f"{row['Hazard id']}: {item!r} is not a red-flag id"
        named.append((flag, pending))
    return named


def rated(cell: str, names: Dict[int, str], what: str) -> int:
    """ "4 Major" -> 4, checking the name is the category's."""
    match = RATED.fullmatch(cell.strip())
    assert match, f"{what} {cell!r}: expected a number and its name, e.g. '3 {names[3]}'"
    number = int(match.group(1))
    assert match.group(2) == names[number], f"{what} {cell!r}: {number} is {names[number]!r}"
    return number


@cache
def table_flag_ids() -> Tuple[str, ...]:
    data = yaml.safe_load(RED_FLAGS_FILE.read_text(encoding="utf-8"))
    return tuple(entry["id"] for entry in data["red_flags"])


@cache
def defined_tests(path: str) -> Set[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")
    }


def published_matrix(text: str) -> Dict[int, Dict[int, int]]:
    """likelihood -> severity -> rating, as the document publishes it."""
    rows = _table(_section(text, "### Risk matrix").split("Risk rating (1 to 5)", 1)[1])
    header = list(rows[0])
    severities = [rated(name, SEVERITIES, "matrix column") for name in header[1:]]
    matrix: Dict[int, Dict[int, int]] = {}
    for row in rows:
        likelihood = rated(row[header[0]], LIKELIHOODS, "matrix row")
        matrix[likelihood] = {s: int(row[name]) for s, name in zip(severities, header[1:], strict=True)}
    return matrix


def unacceptable_bands(text: str) -> Set[int]:
    rows = _table(_section(text, "### Acceptability"))
    return {rated(row["Risk"], RISKS, "band") for row in rows if row["Acceptability"].startswith("Unacceptable")}


# --------------------------------------------------------------------------- checks
def check_every_red_flag_is_in_the_log(text: str) -> None:
    named = {flag for row in hazard_log(text) for flag, _ in flags_of(row)}
    missing = [flag for flag in table_flag_ids() if flag not in named]
    assert not missing, f"red flags with no hazard in docs/safety-case.md: {missing}"


def check_named_red_flags_exist(text: str) -> None:
    known = set(table_flag_ids())
    for row in hazard_log(text):
        for flag, pending in flags_of(row):
            where = f"{row['Hazard id']}: {flag}"
            if pending:
                assert flag in PENDING_FLAG_IDS, f"{where} is marked {PENDING_MARK} but is not in PENDING_FLAG_IDS"
            else:
                assert flag not in PENDING_FLAG_IDS, f"{where} is pending: mark it {PENDING_MARK}"
                assert flag in known, f"{where} is not a red flag in red_flags.yml"
    named = {flag for row in hazard_log(text) for flag, _ in flags_of(row)}
    assert named >= PENDING_FLAG_IDS, f"pending red flags not in the log: {sorted(PENDING_FLAG_IDS - named)}"


def check_evidence_exists(text: str) -> None:
    for row in hazard_log(text):
        entries = re.findall(r"`([^`]*)`", row["Evidence"])
        assert entries, f"{row['Hazard id']}: no evidence"
        for entry in entries:
            match = EVIDENCE.fullmatch(entry)
            assert match, f"{row['Hazard id']}: {entry!r} is not tests/...py::test_name"
            path, name = match.groups()
            assert (ROOT / path).is_file(), f"{row['Hazard id']}: {path} does not exist"
            assert name in defined_tests(path), f"{row['Hazard id']}: {name} is not a test in {path}"


def check_residual_risks(text: str) -> None:
    matrix = published_matrix(text)
    unacceptable = unacceptable_bands(text)
    for row in hazard_log(text):
        hazard = row["Hazard id"]
        severity = rated(row["Severity"], SEVERITIES, f"{hazard} severity")
        before = rated(row["Likelihood (before)"], LIKELIHOODS, f"{hazard} likelihood")
        after = rated(row["Residual likelihood"], LIKELIHOODS, f"{hazard} residual likelihood")
        risk = rated(row["Residual risk"], RISKS, f"{hazard} residual risk")
        assert after <= before, f"{hazard}: the mitigations make it more likely ({before} -> {after})"
        expected = matrix[after][severity]
        assert risk == expected, f"{hazard}: {SEVERITIES[severity]} x {LIKELIHOODS[after]} is {expected}, not {risk}"
        assert risk not in unacceptable, f"{hazard}: residual risk {row['Residual risk']} is unacceptable"


# --------------------------------------------------------------------------- tests
def test_the_published_matrix_is_dcb0129s():
    text = _text()
    matrix = published_matrix(text)
    assert matrix == {lik: dict(zip(range(1, 6), ratings, strict=True)) for lik, ratings in DCB0129_MATRIX.items()}
    assert unacceptable_bands(text) == UNACCEPTABLE


def test_hazard_ids_are_numbered_in_order():
    ids = [row["Hazard id"] for row in hazard_log(_text())]
    assert ids == [f"H-{n:02d}" for n in range(1, len(ids) + 1)]


def test_every_red_flag_is_in_the_hazard_log():
    check_every_red_flag_is_in_the_log(_text())


def test_every_red_flag_the_log_names_exists_or_is_pending():
    check_named_red_flags_exist(_text())


def test_pending_flags_are_not_in_the_table_yet():
    arrived = sorted(PENDING_FLAG_IDS & set(table_flag_ids()))
    assert not arrived, (
        f"{arrived} now exist in red_flags.yml: remove them from PENDING_FLAG_IDS "
        f"and their {PENDING_MARK} in docs/safety-case.md, and review their hazards"
    )


def test_evidence_names_tests_that_exist():
    check_evidence_exists(_text())


def test_residual_risks_follow_the_matrix_and_none_is_unacceptable():
    check_residual_risks(_text())


# Each check fails on a log broken in its own way (the real log is not changed).
def _row(text: str, hazard: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"| {hazard} |"))


def _broken(text: str, hazard: str, old: str, new: str) -> str:
    line = _row(text, hazard)
    assert old in line, f"{old!r} not in {hazard}"
    return text.replace(line, line.replace(old, new, 1))


BREAKAGES = {
    "a red flag dropped": (
        check_every_red_flag_is_in_the_log,
        lambda t: _broken(t, "H-08", "| cold_pale_leg |", "| \u2014 |"),
    ),
    "an unknown red flag": (
        check_named_red_flags_exist,
        lambda t: _broken(t, "H-08", "| cold_pale_leg |", "| cold_pale_leg, cold_leg_typo |"),
    ),
    "a pending flag not marked": (
        check_named_red_flags_exist,
        lambda t: _broken(t, "H-11", "pregnancy_emergency\u2020", "pregnancy_emergency"),
    ),
    "a test that does not exist": (
        check_evidence_exists,
        lambda t: _broken(t, "H-08", "::test_single_phrasing", "::test_single_phrasings"),
    ),
    "a test file that does not exist": (
        check_evidence_exists,
        lambda t: _broken(t, "H-08", "tests/unit/test_safety_table.py", "tests/unit/test_safety_tables.py"),
    ),
    "a residual risk off the matrix": (
        check_residual_risks,
        lambda t: _broken(t, "H-14", "| 1 Very low | 2 Low |", "| 1 Very low | 1 Very low |"),
    ),
    "an unacceptable residual risk": (
        check_residual_risks,
        lambda t: _broken(t, "H-17", "| 3 Medium | 3 Medium |", "| 4 High | 4 High |"),
    ),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_each_check_fails_on_a_broken_log(breakage):
    check, broken = BREAKAGES[breakage]
    text = _text()
    check(text)
    with pytest.raises(AssertionError):
        check(broken(text))
