"""Every cross-reference a reader can follow resolves, and nothing cites our internal documents.

Read: README.md, DECISIONS.md, docs/**/*.md, the docs blocks and YAML under models/, seeds/ and
macros/, and the comments of every model and macro (SQL `--`, `/* */`, `{# #}`; Python `#` and
docstrings). Checked:

* paths: a repository path mentioned (`docs/design/support.md`, `macros/erasure/erasure.sql`,
  `scripts/publish.py`, `docs/design/`, a Markdown link) exists: a file with its extension, a
  folder with its trailing slash (data/, target/ and logs/ are build outputs and
  are not checked; a path with a placeholder such as `<source>` or `*` is a pattern);
* sections: `DECISIONS.md, "Retention"` (also README and any .md path) names a heading of that
  file (the heading, or the start of a longer heading); a Markdown link's `#anchor` names a
  heading of its file;
* `doc('name')` names a docs block that exists;
* a backticked name with a model prefix (`stg_`, `int_`, `fct_`, `dim_`, `rpt_`, `base_`,
  `quarantine_`, `vault_`, `audit_`) names a model, seed, macro, unit test or documented column;
* no citation of the internal reference documents ("the ticket-agent reference", "the
  customer-matching reference", ... or `../shared`): say what the thing is instead.

Each check is a function over a project root returning Problems; one test runs each on the
repository, one plants a broken reference in a temporary copy and sees it flagged.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

import pytest
import yaml

from conftest import REPO


class Problem(NamedTuple):
    file: str  # path relative to the project root
    line: int
    message: str


# --- what is read --------------------------------------------------------------------------

DOC_GLOBS = ("README.md", "DECISIONS.md", "docs/**/*.md", "models/**/*.md", "macros/**/*.md",
             "seeds/**/*.md")
YAML_GLOBS = ("models/**/*.yml", "seeds/**/*.yml", "macros/**/*.yml")
CODE_GLOBS = ("models/**/*.sql", "models/**/*.py", "macros/**/*.sql")
OUTPUT_FOLDERS = ("data/", "target/", "logs/", "dbt_packages/", ".venv/")

SQL_COMMENT = re.compile(r"\{#.*?#\}|/\*.*?\*/|--[^\n]*", re.S)
PY_COMMENT = re.compile(r'""".*?"""|\'\'\'.*?\'\'\'|#[^\n]*', re.S)


def files(root: Path, globs: tuple[str, ...]) -> list[Path]:
    found: dict[Path, None] = {}
    for pattern in globs:
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                found[path] = None
    return list(found)


def comments_only(code: str, pattern: re.Pattern) -> str:
    """The comments of code, everything else blanked (line numbers stay right)."""
    kept, position = [], 0
    for match in pattern.finditer(code):
        kept += [re.sub(r"[^\n]", " ", code[position:match.start()]), match.group(0)]
        position = match.end()
    return "".join([*kept, re.sub(r"[^\n]", " ", code[position:])])


def texts(root: Path) -> Iterator[tuple[Path, str]]:
    """(file, text a reader sees) for every file read; code files keep only their comments."""
    for path in files(root, DOC_GLOBS + YAML_GLOBS):
        yield path, path.read_text(errors="replace")
    for path in files(root, CODE_GLOBS):
        pattern = PY_COMMENT if path.suffix == ".py" else SQL_COMMENT
        yield path, comments_only(path.read_text(errors="replace"), pattern)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


# --- headings --------------------------------------------------------------------------------

HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def normalise(title: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[`*_]", "", title)).strip().strip(".:").lower()


def slug(title: str) -> str:
    """GitHub's anchor of a heading."""
    text = re.sub(r"[^\w\- ]", "", re.sub(r"[`*]", "", title).strip().lower())
    return text.replace(" ", "-")


def headings(path: Path) -> list[str]:
    text = FENCE.sub("", path.read_text(errors="replace"))
    return [match.group(1) for match in HEADING.finditer(text)]


# --- checks ----------------------------------------------------------------------------------

PATH = re.compile(
    r"(?<![\w./-])((?:\.\./)*(?:docs|macros|models|scripts|seeds|tests|cx_warehouse|analyses|"
    r"\.ci)/[\w./<>*{}-]*[\w/]|(?:README|DECISIONS)\.md|dbt_project\.yml|pyproject\.toml|"
    r"profiles\.yml|packages\.yml)")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def check_paths(root: Path) -> list[Problem]:
    """Repository paths and Markdown links name files or folders that exist."""
    problems = []
    for path, text in texts(root):
        mentions = [(m.start(1), m.group(1)) for m in PATH.finditer(text)]
        mentions += [(m.start(1), m.group(1)) for m in LINK.finditer(text)
                     if not re.match(r"[a-z]+:|#", m.group(1))]
        for offset, mention in mentions:
            target = mention.split("#", 1)[0].split("::", 1)[0].rstrip(".,;:")
            # A file has an extension, a folder a trailing slash ("models/seeds only" is prose).
            named = target.endswith("/") or "." in target.rsplit("/", 1)[-1]
            if not named or any(mark in target for mark in "<>*{}") \
                    or target.startswith(OUTPUT_FOLDERS) or "../shared" in target:
                continue
            if (root / target).exists() or (path.parent / target).exists():
                continue
            problems.append(Problem(relative(root, path), line_of(text, offset),
                                    f"path {target} does not exist"))
    return problems


SECTION = re.compile(
    r"\b((?:[\w./-]+/)?[\w-]+\.md|README|DECISIONS)[,:]?\s+(?:§\s*)?[\"“]([^\"”\n]{2,80})[\"”]")


def section_file(root: Path, source: Path, name: str) -> Path | None:
    name = {"README": "README.md", "DECISIONS": "DECISIONS.md"}.get(name, name)
    for candidate in (root / name, source.parent / name):
        if candidate.is_file():
            return candidate
    return None


def check_sections(root: Path) -> list[Problem]:
    """`FILE, "Section"` names a heading of FILE; a link's #anchor names a heading."""
    problems = []
    for path, text in texts(root):
        for match in SECTION.finditer(text):
            target = section_file(root, path, match.group(1))
            if target is None:
                continue  # a missing file is check_paths' finding
            wanted = normalise(match.group(2))
            if not any(normalise(title) == wanted or normalise(title).startswith(wanted + " ")
                       for title in headings(target)):
                problems.append(Problem(relative(root, path), line_of(text, match.start()),
                                        f"{relative(root, target)} has no section "
                                        f'"{match.group(2)}"'))
        for match in LINK.finditer(text):
            link = match.group(1)
            if "#" not in link or re.match(r"[a-z]+:", link):
                continue
            name, anchor = link.split("#", 1)
            target = path if not name else section_file(root, path, name)
            if target is None or target.suffix != ".md":
                continue
            if anchor not in {slug(title) for title in headings(target)}:
                problems.append(Problem(relative(root, path), line_of(text, match.start()),
                                        f"{relative(root, target)} has no heading for "
                                        f"#{anchor}"))
    return problems


DOC_CALL = re.compile(r"""\bdoc\(\s*['"](\w+)['"]\s*\)""")
DOCS_BLOCK = re.compile(r"\{%-?\s*docs\s+(\w+)\s*-?%\}")


def docs_blocks(root: Path) -> set[str]:
    return {match.group(1) for path in files(root, DOC_GLOBS) for match in
            DOCS_BLOCK.finditer(path.read_text(errors="replace"))}


def check_doc_blocks(root: Path) -> list[Problem]:
    """Every doc('name') names a {% docs name %} block."""
    known = docs_blocks(root)
    return [Problem(relative(root, path), line_of(text, match.start()),
                    f"doc('{match.group(1)}') names no docs block")
            for path, text in texts(root) for match in DOC_CALL.finditer(text)
            if match.group(1) not in known]


MODEL_PREFIXES = ("stg", "int", "fct", "dim", "rpt", "base", "quarantine", "vault", "audit")
BACKTICKED = re.compile(r"`([^`\n]+)`")
MODEL_NAME = re.compile(r"(?<![\w<])((?:" + "|".join(MODEL_PREFIXES) + r")_\w*[a-z0-9])\b(?![<*])")


def known_names(root: Path) -> set[str]:
    """Models, seeds, macros and tests (by file and definition) and documented columns."""
    names = {path.stem for path in files(root, ("models/**/*.sql", "models/**/*.py",
                                                "seeds/**/*.csv", "tests/**/*.sql",
                                                "snapshots/**/*.sql", "analyses/**/*.sql"))}
    definition = re.compile(r"\{%-?\s*(?:macro|test|materialization)\s+(\w+)")
    for path in files(root, ("macros/**/*.sql", "tests/**/*.sql")):
        names |= set(definition.findall(path.read_text(errors="replace")))
    for path in files(root, YAML_GLOBS):
        try:
            document = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError:
            continue
        for section in ("models", "seeds", "macros", "snapshots", "sources", "unit_tests"):
            for entry in document.get(section) or []:
                names.add(str(entry.get("name")))
                for child in [*(entry.get("columns") or []), *(entry.get("tables") or []),
                              *(entry.get("arguments") or [])]:
                    names.add(str(child.get("name")))
                    names |= {str(column.get("name")) for column in child.get("columns") or []}
    return names


def check_model_names(root: Path) -> list[Problem]:
    """A backticked name with a model prefix names something that exists."""
    known, problems = known_names(root), []
    for path, text in texts(root):
        for quoted in BACKTICKED.finditer(text):
            for match in MODEL_NAME.finditer(quoted.group(1)):
                if match.group(1) not in known:
                    problems.append(Problem(relative(root, path), line_of(text, quoted.start()),
                                            f"`{match.group(1)}` names no model, seed, macro "
                                            "or column"))
    return problems


INTERNAL = re.compile(
    r"\bthe\s+(?:ticket-agent|call-centre|call-center|customer-matching|receipt-lookup|"
    r"chat-insight|[a-z]+(?:-[a-z]+)+)\s+references?\b|\.\./shared\b|shared/references",
    re.I)


def check_internal_citations(root: Path) -> list[Problem]:
    """Nothing cites the internal reference documents a warehouse user does not have."""
    return [Problem(relative(root, path), line_of(text, match.start()),
                    f'cites an internal document: "{" ".join(match.group(0).split())}"')
            for path, text in texts(root) for match in INTERNAL.finditer(text)]


CHECKS: dict[str, Callable[[Path], list[Problem]]] = {
    "paths": check_paths,
    "sections": check_sections,
    "doc_blocks": check_doc_blocks,
    "model_names": check_model_names,
    "internal_citations": check_internal_citations,
}


def summary(problems: list[Problem]) -> str:
    per_file = Counter(problem.file for problem in problems)
    return "\n".join([f"{len(problems)} problem(s); per file: " + ", ".join(
        f"{name} {count}" for name, count in sorted(per_file.items())), *(
        f"  {p.file}:{p.line}: {p.message}" for p in sorted(problems))])


# --- on the repository -----------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(CHECKS))
def test_cross_references_resolve(name):
    problems = CHECKS[name](REPO)
    assert problems == [], summary(problems)


def test_every_kind_of_reference_is_found_on_the_repository():
    """The checks read what they should: the repository has references of each kind."""
    text = "\n".join(body for _, body in texts(REPO))
    assert len(PATH.findall(text)) > 20
    assert len(SECTION.findall(text)) > 5
    assert len(DOC_CALL.findall(text)) > 10
    assert sum(len(MODEL_NAME.findall(m)) for m in BACKTICKED.findall(text)) > 50


# --- planted breaks --------------------------------------------------------------------------

@pytest.fixture
def copy_of_project(tmp_path) -> Path:
    """The files the checks read or resolve against, copied (no build outputs)."""
    root = tmp_path / "project"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(
        ".git", ".venv", "data", "target", "logs", "dbt_packages", "__pycache__", "*.duckdb",
        "*.egg-info"))
    return root


def plant(root: Path, relative_path: str, text: str) -> None:
    path = root / relative_path
    path.write_text(path.read_text() + text)


def new_problems(name: str, root: Path) -> list[Problem]:
    before = set(CHECKS[name](REPO))
    return sorted(p for p in CHECKS[name](root) if p not in before)


PLANTED = {
    "paths": ("docs/design/support.md", "\nSee `macros/erasure/no_such_file.sql`.\n",
              "path macros/erasure/no_such_file.sql does not exist"),
    "sections": ("README.md", '\nSee DECISIONS.md, "A section nobody wrote".\n',
                 'DECISIONS.md has no section "A section nobody wrote"'),
    "doc_blocks": ("models/marts/support/_support__models.yml",
                   "\n# description: '{{ doc(\"no_such_block\") }}'\n",
                   "doc('no_such_block') names no docs block"),
    "model_names": ("DECISIONS.md", "\nThe old `fct_tickets_legacy` is gone.\n",
                    "`fct_tickets_legacy` names no model, seed, macro or column"),
    "internal_citations": ("models/marts/support/fct_tickets.sql",
                           "\n-- Weighted as in the ticket-agent reference.\n",
                           'cites an internal document: "the ticket-agent reference"'),
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_a_planted_broken_reference_is_flagged(copy_of_project, name):
    relative_path, text, message = PLANTED[name]
    plant(copy_of_project, relative_path, text)
    found = new_problems(name, copy_of_project)
    assert [(p.file, p.message) for p in found] == [(relative_path, message)], found


def test_a_renamed_heading_breaks_its_references(copy_of_project):
    """References to a DECISIONS.md section that is renamed are flagged where they are."""
    decisions = copy_of_project / "DECISIONS.md"
    cited = [m for m in SECTION.finditer("\n".join(t for _, t in texts(REPO)))
             if m.group(1).startswith("DECISIONS")]
    if not cited:
        pytest.skip("nothing cites a DECISIONS.md section")
    title = cited[0].group(2)
    text = decisions.read_text()
    heading = next(h for h in headings(decisions) if normalise(h) == normalise(title)
                   or normalise(h).startswith(normalise(title) + " "))
    decisions.write_text(re.sub(r"^(#+\s+)" + re.escape(heading) + r"\s*$",
                                r"\1Renamed heading", text, flags=re.M))
    found = new_problems("sections", copy_of_project)
    assert found and all(f'no section "{title}"' in p.message for p in found)
