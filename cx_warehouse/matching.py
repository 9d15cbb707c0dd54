"""Identity resolution: a Fellegi-Sunter record-linkage model (Splink on DuckDB).

The dbt Python model `matching_customer_pairs_scored` (schema `restricted`) calls
`score_candidate_pairs` with one row per customer record (support customers and incoming CRM
records) whose matching fields were normalised in SQL by `matching_customer_records`. This
module links every incoming record to the existing customers that could be the same person and
returns one row per candidate pair: the two ids, per-field comparison levels, similarities and
match weights, the overall match weight and the match probability. It returns no personal data:
the raw values stay in the restricted schema.

How the model works (docs/design/customers.md, "Identity resolution", has the reasoning and
the measured quality):
- Fields: a field takes part only when enough records on both sides have it (var
  customer_match_min_field_fill); with fewer than two such fields MatchingError says which
  fields each side has. plan_linkage makes every choice below from the filled fields.
- Blocking: only pairs that agree on at least one blocking key are compared (same phone key,
  email local part, national id, postal code or birth date; same surname and first initial;
  first name and surname swapped; same company key and first initial; same street address),
  so the work grows with the block sizes, not with incoming x existing. A rule producing more
  than customer_match_max_pairs_per_blocking_rule pairs is dropped.
- Comparisons: first name (exact, nickname-equivalent, swapped, two Jaro-Winkler levels),
  surname, email (address, local part, fuzzy local part, domain only), phone key (last 10
  digits, last 8, one or two digits off), street address, city, postal code, birth date,
  national id (exact, one edit) and company name key. The Jaro-Winkler cut-offs and the
  defaults of MatchingConfig are the customer_match_* vars of dbt_project.yml (read with
  cx_warehouse.lookup.project_var).
- Parameters: u probabilities from a seeded random sample of pairs, m probabilities by
  expectation maximisation on two blocked samples (strong identifiers first, the one with the
  most pairs first), the prior from deterministic rules over the strong identifiers that are
  filled; a prior of 0 or 1 is a MatchingError. Everything runs in a private in-memory DuckDB
  with one thread and a fixed seed, so the same input gives the same scores.
- records_from_raw gives files that do not go through dbt (scripts/match_customers.py, the
  evaluation) the same keys as the dbt model matching_customer_records.
"""

from __future__ import annotations

import contextlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Iterator

import duckdb
import pyarrow as pa

from cx_warehouse.lookup import project_var

# Formal first name -> the nicknames and short forms people use for it (lower case, accents
# stripped, as normalise_token produces). A nickname may belong to several formal names
# ("leo": Leonardo and Leandro); the comparison treats two first names as equivalent when
# their groups overlap.
NICKNAMES: dict[str, tuple[str, ...]] = {
    # Portuguese (Brazil)
    "alexandre": ("ale", "xande", "alex"),
    "alessandra": ("ale", "lessa"),
    "ana": ("aninha", "nana"),
    "antonio": ("toninho", "tonho", "toni", "tonico"),
    "antonia": ("toninha", "tonia"),
    "beatriz": ("bia", "bea"),
    "bruno": ("bru",),
    "camila": ("cami", "mila"),
    "carlos": ("carlinhos", "cacau"),
    "carolina": ("carol", "carola"),
    "caroline": ("carol",),
    "cristina": ("cris", "tina"),
    "daniel": ("dani", "dan"),
    "daniela": ("dani",),
    "eduardo": ("edu", "dudu", "du"),
    "eduarda": ("duda", "dudinha"),
    "emanuel": ("manu", "mane"),
    "emanuelly": ("manu",),
    "emanuelle": ("manu",),
    "felipe": ("lipe", "fe"),
    "fernanda": ("nanda", "fe"),
    "fernando": ("nando", "fe"),
    "francisco": ("chico", "chiquinho", "fran", "xico"),
    "gabriel": ("biel", "gabi"),
    "gabriela": ("gabi", "bibi"),
    "guilherme": ("gui", "guiga"),
    "gustavo": ("guga", "gus", "guto"),
    "henrique": ("rique", "henri"),
    "isabela": ("isa", "bela", "belinha"),
    "isabella": ("isa", "bella", "bela"),
    "isabel": ("isa", "bel"),
    "joao": ("joaozinho", "jao"),
    "jose": ("ze", "zezinho", "juca"),
    "julia": ("ju", "juju"),
    "juliana": ("ju", "juju"),
    "larissa": ("lari", "lala"),
    "leandro": ("leo",),
    "leonardo": ("leo", "leozinho"),
    "leticia": ("le", "lele", "let"),
    "lorenzo": ("enzo",),
    "lucas": ("luquinhas", "luca"),
    "luis": ("lu", "lulu"),
    "luiz": ("lula", "lu"),
    "manuela": ("manu",),
    "marcelo": ("celo", "marcelinho"),
    "maria": ("mari", "mariazinha"),
    "mariana": ("mari", "nana"),
    "matheus": ("teteu", "math"),
    "mateus": ("teteu",),
    "patricia": ("paty", "pati", "pat", "trish"),
    "paulo": ("paulinho",),
    "pedro": ("pedrinho", "pepe"),
    "rafael": ("rafa",),
    "rafaela": ("rafa",),
    "raimundo": ("mundinho",),
    "ricardo": ("rick", "ricky", "cado"),
    "roberto": ("beto", "betinho", "rob"),
    "rodrigo": ("digo", "rodriguinho"),
    "samuel": ("samu", "sam"),
    "sebastiao": ("tiao",),
    "thiago": ("thi", "thiaguinho"),
    "tiago": ("ti", "tiaguinho"),
    "valentina": ("val", "tina"),
    "vinicius": ("vini",),
    "vitoria": ("vivi", "vic"),
    "victoria": ("vivi", "vic", "vicky"),
    # English
    "alexander": ("alex", "xander", "sandy"),
    "andrew": ("andy", "drew"),
    "anthony": ("tony",),
    "benjamin": ("ben", "benny"),
    "charles": ("charlie", "chuck"),
    "christopher": ("chris", "kit"),
    "christine": ("chris", "tina"),
    "deborah": ("debbie", "deb"),
    "edward": ("ed", "eddie", "ted"),
    "elizabeth": ("liz", "beth", "betty", "lizzie", "eliza"),
    "jennifer": ("jen", "jenny"),
    "james": ("jim", "jimmy", "jamie"),
    "jessica": ("jess", "jessie"),
    "john": ("jack", "johnny"),
    "jonathan": ("jon", "jonny"),
    "joseph": ("joe", "joey"),
    "katherine": ("kate", "katie", "kathy", "kat"),
    "kathryn": ("kate", "katie", "kathy"),
    "margaret": ("maggie", "peggy", "meg", "marge"),
    "matthew": ("matt",),
    "michael": ("mike", "mikey", "mick"),
    "nicholas": ("nick", "nicky"),
    "rebecca": ("becky", "becca"),
    "richard": ("rick", "dick", "rich", "richie"),
    "robert": ("bob", "rob", "bobby", "robbie", "bert"),
    "samantha": ("sam", "sammy"),
    "stephen": ("steve",),
    "steven": ("steve",),
    "susan": ("sue", "susie"),
    "thomas": ("tom", "tommy"),
    "timothy": ("tim", "timmy"),
    "william": ("bill", "will", "billy", "liam"),
}

#: Jaro-Winkler similarity cut-offs of the fuzzy levels, strongest first: first name, surname
#: and company name (var customer_match_name_jaro_winkler_levels), email local part (var
#: customer_match_email_local_jaro_winkler).
NAME_JARO_WINKLER_LEVELS: tuple[float, ...] = tuple(
    float(value) for value in project_var("customer_match_name_jaro_winkler_levels")
)
EMAIL_LOCAL_JARO_WINKLER: float = float(project_var("customer_match_email_local_jaro_winkler"))


def _jaro_winkler_label(cut_off: float, prefix: str = "") -> str:
    """The level label of a Jaro-Winkler cut-off: 0.8 -> 'jaro_winkler_0.80'."""
    return f"{prefix}jaro_winkler_{cut_off:.2f}"


_NAME_FUZZY_LEVELS = tuple(_jaro_winkler_label(cut_off) for cut_off in NAME_JARO_WINKLER_LEVELS)
_STRONG_FUZZY = NAME_JARO_WINKLER_LEVELS[0]

#: Comparison levels per field, in Splink's order (first = strongest, last = else). The labels
#: are what fct_customer_matches shows as `<field>_level`; a field that is not compared (null
#: on one side, or not filled in the data at all) shows 'null'.
FIELD_LEVELS: dict[str, tuple[str, ...]] = {
    "first_name": ("exact", "nickname", "swapped", *_NAME_FUZZY_LEVELS, "different"),
    "surname": ("exact", "swapped", *_NAME_FUZZY_LEVELS, "different"),
    "email": ("exact", "local_part", _jaro_winkler_label(EMAIL_LOCAL_JARO_WINKLER, "local_part_"),
              "domain_only", "different"),
    "phone": ("exact", "last_8_digits", "levenshtein_2", "different"),
    "address": ("exact", "number_and_street", "street", "different"),
    "city": ("exact", _NAME_FUZZY_LEVELS[0], "different"),
    "postal_code": ("exact", "prefix_5", "one_edit", "different"),
    "birth_date": ("exact", "one_edit", "same_year", "different"),
    "national_id": ("exact", "one_edit", "different"),
    "company_name": ("exact", *_NAME_FUZZY_LEVELS, "different"),
}

#: The record column each field is compared on (its null level and fill rate read it).
FIELD_COLUMNS: dict[str, str] = {
    "first_name": "first_name",
    "surname": "surname",
    "email": "email_key",
    "phone": "phone_key",
    "address": "address_key",
    "city": "city_key",
    "postal_code": "postal_code_key",
    "birth_date": "birth_date",
    "national_id": "national_id_key",
    "company_name": "company_name_key",
}

#: Columns score_candidate_pairs reads (all text; null when unknown). source_system and
#: source_record_id are required; a missing matching column is read as all null.
RECORD_COLUMNS: tuple[str, ...] = (
    "source_system",  # 'support' (existing customers) or 'crm' (incoming records)
    "source_record_id",
    "first_name",
    "surname",
    "email_key",  # normalised address: local part without +tag and dots, '@', domain
    "email_local",
    "email_domain",
    "phone_key",
    "address_key",  # street address: lower case, accents folded, letters/digits/spaces
    "city_key",
    "postal_code_key",
    "birth_date",  # ISO date 'YYYY-MM-DD'
    "national_id_key",  # digits (or letters) of a national id such as the CPF
    "company_name_key",
)

#: Prior m and u probabilities per field and level (the FIELD_LEVELS order). They are starting
#: values: estimation replaces every one the data can inform (u from random pairs, m by
#: expectation maximisation). A level that training never observes keeps its prior instead of
#: Splink's generic default (e.g. phone numbers that differ in only two digits never occur among
#: the random pairs of a small extract).
PRIORS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "first_name": ((0.83, 0.04, 0.02, 0.05, 0.03, 0.03),
                   (0.01, 0.001, 0.0001, 0.005, 0.03, 0.9539)),
    "surname": ((0.86, 0.02, 0.06, 0.03, 0.03), (0.01, 0.0001, 0.005, 0.04, 0.9449)),
    "email": ((0.80, 0.08, 0.05, 0.04, 0.03), (0.0001, 0.0002, 0.001, 0.1, 0.8987)),
    "phone": ((0.90, 0.04, 0.03, 0.03), (0.0001, 0.0001, 0.001, 0.9988)),
    "address": ((0.80, 0.08, 0.07, 0.05), (0.0005, 0.0005, 0.01, 0.989)),
    "city": ((0.85, 0.07, 0.08), (0.01, 0.005, 0.985)),
    "postal_code": ((0.85, 0.05, 0.05, 0.05), (0.0005, 0.005, 0.005, 0.9895)),
    "birth_date": ((0.88, 0.06, 0.03, 0.03), (0.0001, 0.0005, 0.02, 0.9794)),
    "national_id": ((0.93, 0.04, 0.03), (0.00001, 0.0001, 0.99989)),
    "company_name": ((0.75, 0.12, 0.08, 0.05), (0.005, 0.01, 0.05, 0.935)),
}

LOGGER = logging.getLogger(__name__)



def _private_connection() -> duckdb.DuckDBPyConnection:
    """The private in-memory DuckDB the model runs on: one thread (deterministic), no progress
    bar on the console."""
    connection = duckdb.connect(":memory:", config={"threads": 1})
    connection.execute("set enable_progress_bar = false")
    return connection


class MatchingError(ValueError):
    """Identity resolution cannot run on this input; the message says why and what to fix."""


def normalise_token(text: str | None) -> str | None:
    """Lower case, accents stripped, only letters kept ('Zé' -> 'ze'); None when empty."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    letters = "".join(ch for ch in decomposed if ch.isalpha() and ch.isascii())
    return letters or None


def _nickname_groups() -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    for formal, nicknames in NICKNAMES.items():
        groups.setdefault(formal, set()).add(formal)
        for nickname in nicknames:
            groups.setdefault(nickname, set()).add(formal)
    return groups


_GROUPS = _nickname_groups()


def first_name_keys(first_name: str | None) -> list[str] | None:
    """The formal names a first name may stand for, itself included, sorted.

    'bia' -> ['beatriz', 'bia'], 'leo' -> ['leandro', 'leo', 'leonardo'], 'beatriz' ->
    ['beatriz']. Two first names are nickname-equivalent when their keys overlap.
    """
    token = normalise_token(first_name)
    if token is None:
        return None
    return sorted({token} | _GROUPS.get(token, set()))


@dataclass(frozen=True)
class MatchingConfig:
    """Knobs of the linkage (defaults: the customer_match_* vars of dbt_project.yml, which the
    dbt model passes)."""

    seed: int = int(project_var("customer_match_seed"))
    # Candidate pairs below this match probability are not returned.
    keep_min_probability: float = float(project_var("customer_match_keep_min_score"))
    # A field takes part only when at least this share of the records on each side has it.
    min_field_fill: float = float(project_var("customer_match_min_field_fill"))
    # A blocking rule that would produce more pairs than this is dropped (with a note).
    max_pairs_per_blocking_rule: float = float(
        project_var("customer_match_max_pairs_per_blocking_rule"))
    u_max_pairs: float = 2e6  # random pairs sampled to estimate u probabilities
    prior_recall: float = 0.9  # assumed recall of the deterministic rules (prior)
    em_min_pairs: int = 50  # an EM session needs at least this many blocked pairs


# --------------------------------------------------------------------------------------------
# Which fields, rules and training sessions the data supports
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EqualityRule:
    """A blocking or training rule: the pair agrees on every (incoming expr, existing expr).

    The expressions are SQL templates over one record, `{t}` standing for its table alias."""

    name: str
    fields: tuple[str, ...]  # the FIELD_LEVELS fields it needs
    left: tuple[str, ...]  # over the incoming record
    right: tuple[str, ...]  # over the existing record, same order

    def sql(self) -> str:
        """The rule as Splink SQL (l = one record, r = the other)."""
        return " and ".join(f"{left.format(t='l')} = {right.format(t='r')}"
                            for left, right in zip(self.left, self.right))


def _template(column: str) -> str:
    return column if "{t}" in column else f"{{t}}.{column}"


def _same(name: str, *columns: str, fields: tuple[str, ...]) -> EqualityRule:
    templates = tuple(_template(column) for column in columns)
    return EqualityRule(name, fields, templates, templates)


_INITIAL = "substr({t}.first_name, 1, 1)"

#: Candidate blocking rules, in order; each applies when its fields are filled.
BLOCKING_RULES: tuple[EqualityRule, ...] = (
    _same("same phone", "phone_key", fields=("phone",)),
    _same("same email local part", "email_local", fields=("email",)),
    _same("same national id", "national_id_key", fields=("national_id",)),
    _same("same postal code", "postal_code_key", fields=("postal_code",)),
    _same("same birth date", "birth_date", fields=("birth_date",)),
    _same("same surname and first initial", "surname", _INITIAL,
          fields=("first_name", "surname")),
    EqualityRule("swapped first name and surname", ("first_name", "surname"),
                 ("{t}.surname", _INITIAL), ("{t}.first_name", "substr({t}.surname, 1, 1)")),
    _same("same company and first initial", "company_name_key", _INITIAL,
          fields=("company_name", "first_name")),
    _same("same street address", "address_key", fields=("address",)),
)

#: Deterministic rules for the prior (probability that two random records match): the strong
#: identifiers first; the name-based ones only when no strong identifier is filled.
PRIOR_RULES: tuple[EqualityRule, ...] = (
    _same("national id", "national_id_key", fields=("national_id",)),
    _same("email address", "email_key", fields=("email",)),
    _same("phone", "phone_key", fields=("phone",)),
    _same("name and birth date", "first_name", "surname", "birth_date",
          fields=("first_name", "surname", "birth_date")),
)
PRIOR_FALLBACK_RULES: tuple[EqualityRule, ...] = (
    _same("name and postal code", "first_name", "surname", "postal_code_key",
          fields=("first_name", "surname", "postal_code")),
    _same("name and address", "first_name", "surname", "address_key",
          fields=("first_name", "surname", "address")),
    _same("name and company", "first_name", "surname", "company_name_key",
          fields=("first_name", "surname", "company_name")),
    _same("name and city", "first_name", "surname", "city_key",
          fields=("first_name", "surname", "city")),
    _same("full name", "first_name", "surname", fields=("first_name", "surname")),
)

#: Candidate blocks for expectation maximisation: blocks in which true matches dominate. The
#: strong identifiers (EM_STRONG_RULES) come first, the one with the most pairs (the most
#: evidence) first; then the weaker blocks in this order. Each session estimates every field
#: except the ones it blocks on, so two sessions on different fields estimate every field.
EM_STRONG_RULES: tuple[EqualityRule, ...] = (
    _same("national id", "national_id_key", fields=("national_id",)),
    _same("phone", "phone_key", fields=("phone",)),
    _same("email address", "email_key", fields=("email",)),
    _same("birth date", "birth_date", fields=("birth_date",)),
)
EM_RULES: tuple[EqualityRule, ...] = (
    *EM_STRONG_RULES,
    _same("postal code", "postal_code_key", fields=("postal_code",)),
    _same("full name", "first_name", "surname", fields=("first_name", "surname")),
    _same("street address", "address_key", fields=("address",)),
    _same("company", "company_name_key", fields=("company_name",)),
    _same("city", "city_key", fields=("city",)),
)


@dataclass
class LinkagePlan:
    """What the data supports: the fields compared, the rules and the training sessions."""

    fields: tuple[str, ...]
    blocking: tuple[EqualityRule, ...]
    prior: tuple[EqualityRule, ...]
    em: tuple[EqualityRule, ...]
    fill: dict[str, tuple[float, float]]  # field -> (incoming fill, existing fill)
    block_pairs: dict[str, int]  # rule name -> pairs it produces


def field_fill(incoming: pa.Table, existing: pa.Table) -> dict[str, tuple[float, float]]:
    """Share of the incoming and of the existing records that have each field."""
    def share(table: pa.Table, column: str) -> float:
        if table.num_rows == 0:
            return 0.0
        return 1.0 - table.column(column).null_count / table.num_rows

    return {field: (share(incoming, column), share(existing, column))
            for field, column in FIELD_COLUMNS.items()}


def _pair_counts(connection: duckdb.DuckDBPyConnection,
                 rules: Iterable[EqualityRule]) -> dict[str, int]:
    """Pairs each equality rule produces (sum over its keys of incoming x existing counts)."""
    counts = {}
    for rule in rules:
        keys = [f"k{i}" for i in range(len(rule.left))]
        def grouped(table: str, templates: tuple[str, ...]) -> str:
            exprs = [template.format(t=table) for template in templates]
            selected = ", ".join(f"{expr} as {key}" for expr, key in zip(exprs, keys))
            not_null = " and ".join(f"{expr} is not null" for expr in exprs)
            return (f"select {selected}, count(*) as n from {table} where {not_null} "
                    f"group by all")
        join = " and ".join(f"l.{key} = r.{key}" for key in keys)
        counts[rule.name] = int(connection.sql(
            f"select coalesce(sum(l.n * r.n), 0) from ({grouped('incoming', rule.left)}) as l "
            f"inner join ({grouped('existing', rule.right)}) as r on {join}"
        ).fetchall()[0][0])
    return counts


def plan_linkage(incoming: pa.Table, existing: pa.Table, config: MatchingConfig,
                 connection: duckdb.DuckDBPyConnection | None = None) -> LinkagePlan:
    """Choose fields, blocking rules, prior rules and EM sessions from the filled fields.

    Raises MatchingError when fewer than two fields are filled on both sides or no blocking
    rule applies.
    """
    fill = field_fill(incoming, existing)
    fields = tuple(field for field, (left, right) in fill.items()
                   if min(left, right) >= config.min_field_fill and min(left, right) > 0)
    if len(fields) < 2:
        def listed(side: int) -> str:
            found = [f"{field} ({shares[side]:.0%})" for field, shares in fill.items()
                     if shares[side] > 0]
            return ", ".join(found) or "none"
        raise MatchingError(
            f"identity resolution needs at least two matching fields filled on both sides "
            f"(at least {config.min_field_fill:.0%} of the records each); usable: "
            f"{', '.join(fields) or 'none'}; incoming records have {listed(0)}; existing "
            f"customers have {listed(1)}. Fill at least two of: {', '.join(FIELD_COLUMNS)}."
        )
    usable = set(fields)

    def applicable(rules: Iterable[EqualityRule]) -> list[EqualityRule]:
        return [rule for rule in rules if set(rule.fields) <= usable]

    own_connection = connection is None
    if own_connection:
        connection = _private_connection()
    try:
        connection.register("incoming", incoming)
        connection.register("existing", existing)
        candidates = applicable(BLOCKING_RULES)
        em_candidates = applicable(EM_RULES)
        counts = _pair_counts(connection, {rule.name: rule for rule in
                                           [*candidates, *em_candidates]}.values())
    finally:
        connection.unregister("incoming")
        connection.unregister("existing")
        if own_connection:
            connection.close()
    blocking = tuple(rule for rule in candidates
                     if 0 < counts[rule.name] <= config.max_pairs_per_blocking_rule)
    if not blocking:
        raise MatchingError(
            f"identity resolution: no blocking rule applies to the filled fields "
            f"{', '.join(fields)} (pairs per rule: "
            f"{', '.join(f'{rule.name}: {counts[rule.name]}' for rule in candidates)}; a rule "
            f"needs between 1 and {config.max_pairs_per_blocking_rule:.0f} pairs)."
        )
    prior = tuple(applicable(PRIOR_RULES)) or tuple(applicable(PRIOR_FALLBACK_RULES)[:1])
    # Blocks with at least em_min_pairs pairs first (strong identifiers, most pairs first, then
    # the weaker ones in order); smaller blocks only after them, for very small extracts.
    strong = {rule.name for rule in EM_STRONG_RULES}
    em = tuple(sorted(
        (rule for rule in em_candidates
         if 0 < counts[rule.name] <= config.max_pairs_per_blocking_rule),
        key=lambda rule: (counts[rule.name] < config.em_min_pairs, rule.name not in strong,
                          -counts[rule.name] if rule.name in strong else 0)))
    return LinkagePlan(fields, blocking, prior, em, fill, counts)


# --------------------------------------------------------------------------------------------
# The Splink model
# --------------------------------------------------------------------------------------------


def _comparisons(fields: Iterable[str]) -> list:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    def comparison(name: str, levels: list) -> object:
        labels = FIELD_LEVELS[name]
        assert len(levels) == len(labels) - 1, name  # the else level is added below
        configured = [
            level.configure(label_for_charts=label) for level, label in zip(levels, labels)
        ]
        m_prior, u_prior = PRIORS[name]
        return cl.CustomComparison(
            output_column_name=name,
            comparison_levels=[
                cll.NullLevel(FIELD_COLUMNS[name]),
                *configured,
                cll.ElseLevel().configure(label_for_charts=labels[-1]),
            ],
        ).configure(m_probabilities=list(m_prior), u_probabilities=list(u_prior))

    def name_levels(column: str) -> list:
        return [cll.JaroWinklerLevel(column, cut_off) for cut_off in NAME_JARO_WINKLER_LEVELS]

    def one_edit(column: str) -> object:
        return cll.DamerauLevenshteinLevel(column, 1)

    street = "trim(regexp_replace(address_key_{side}, '[0-9]+', ' ', 'g'))"
    number = "regexp_replace(address_key_{side}, '[^0-9]+', '', 'g')"
    street_similarity = (f"jaro_winkler_similarity({street.format(side='l')}, "
                         f"{street.format(side='r')})")
    levels = {
        "first_name": [
            cll.ExactMatchLevel("first_name"),
            cll.ArrayIntersectLevel("first_name_keys", min_intersection=1),
            cll.ColumnsReversedLevel("first_name", "surname"),
            *name_levels("first_name"),
        ],
        "surname": [
            cll.ExactMatchLevel("surname"),
            cll.ColumnsReversedLevel("surname", "first_name"),
            *name_levels("surname"),
        ],
        "email": [
            cll.ExactMatchLevel("email_key"),
            cll.ExactMatchLevel("email_local"),
            cll.JaroWinklerLevel("email_local", EMAIL_LOCAL_JARO_WINKLER),
            cll.ExactMatchLevel("email_domain"),
        ],
        "phone": [
            cll.ExactMatchLevel("phone_key"),
            cll.CustomLevel("right(phone_key_l, 8) = right(phone_key_r, 8)"),
            cll.LevenshteinLevel("phone_key", 2),
        ],
        "address": [
            cll.ExactMatchLevel("address_key"),
            cll.CustomLevel(
                f"{number.format(side='l')} = {number.format(side='r')} "
                f"and {street_similarity} >= {_STRONG_FUZZY}"
            ),
            cll.CustomLevel(f"{street_similarity} >= {_STRONG_FUZZY}"),
        ],
        "city": [
            cll.ExactMatchLevel("city_key"),
            cll.JaroWinklerLevel("city_key", _STRONG_FUZZY),
        ],
        "postal_code": [
            cll.ExactMatchLevel("postal_code_key"),
            cll.CustomLevel(
                "length(postal_code_key_l) > 5 and length(postal_code_key_r) > 5 "
                "and substr(postal_code_key_l, 1, 5) = substr(postal_code_key_r, 1, 5)"
            ),
            one_edit("postal_code_key"),
        ],
        "birth_date": [
            cll.ExactMatchLevel("birth_date"),
            one_edit("birth_date"),
            cll.CustomLevel("substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4)"),
        ],
        "national_id": [
            cll.ExactMatchLevel("national_id_key"),
            one_edit("national_id_key"),
        ],
        "company_name": [
            cll.ExactMatchLevel("company_name_key"),
            *name_levels("company_name_key"),
        ],
    }
    return [comparison(field, levels[field]) for field in fields]


def _splink_rule(rule: EqualityRule) -> object:
    from splink.blocking_rule_library import CustomRule

    return CustomRule(rule.sql(), sql_dialect="duckdb")


def _prepare(records: pa.Table | pa.RecordBatchReader) -> tuple[pa.Table, pa.Table]:
    if isinstance(records, pa.RecordBatchReader):
        records = records.read_all()
    missing = [name for name in ("source_system", "source_record_id")
               if name not in records.column_names]
    if missing:
        raise MatchingError(f"score_candidate_pairs: input lacks the columns {missing}")
    columns = []
    for name in RECORD_COLUMNS:
        if name in records.column_names:
            column = records.column(name)
            if not pa.types.is_string(column.type):
                column = column.cast(pa.string())
        else:
            column = pa.nulls(records.num_rows, pa.string())
        columns.append(column)
    table = pa.table(columns, names=list(RECORD_COLUMNS))
    keys = [first_name_keys(value) for value in table.column("first_name").to_pylist()]
    table = table.append_column("first_name_keys", pa.array(keys, pa.list_(pa.string())))
    systems = table.column("source_system").to_pylist()
    unknown = sorted({str(value) for value in systems} - {"support", "crm"})
    if unknown:
        raise MatchingError(f"score_candidate_pairs: unknown source_system values {unknown} "
                            f"(expected 'support' or 'crm')")
    mask_crm = pa.array([value == "crm" for value in systems])
    mask_support = pa.array([value == "support" for value in systems])
    return table.filter(mask_crm), table.filter(mask_support)


def _empty_result() -> pa.Table:
    fields = [
        pa.field("incoming_id", pa.string()),
        pa.field("customer_id", pa.string()),
        pa.field("match_weight", pa.float64()),
        pa.field("match_probability", pa.float64()),
        pa.field("blocking_rule", pa.string()),
    ]
    for name in FIELD_LEVELS:
        fields += [
            pa.field(f"{name}_level", pa.string()),
            pa.field(f"{name}_similarity", pa.float64()),
            pa.field(f"{name}_match_weight", pa.float64()),
        ]
    return pa.schema(fields).empty_table()


def score_candidate_pairs(records: pa.Table | pa.RecordBatchReader,
                          config: MatchingConfig | None = None,
                          notes: list[str] | None = None) -> pa.Table:
    """Score every blocked (incoming CRM record, existing customer) pair.

    `records` has the RECORD_COLUMNS (matching columns may be absent: read as null); returns
    one row per candidate pair whose match probability is at least
    `config.keep_min_probability`, ordered by incoming_id, then descending probability, then
    customer_id. When `notes` is given, one-line summaries of the run (fields used, rules,
    sizes, levels that kept their prior) are appended to it. Raises MatchingError, with a
    one-line message, when the input cannot be linked (fewer than two filled fields, no
    usable blocking rule, a zero or degenerate prior, no trainable block).
    """
    from splink import DuckDBAPI, SettingsCreator

    notes = notes if notes is not None else []
    config = config or MatchingConfig()
    incoming, existing = _prepare(records)
    if incoming.num_rows == 0 or existing.num_rows == 0:
        return _empty_result()

    connection = _private_connection()
    try:
        plan = plan_linkage(incoming, existing, config, connection)
        rules = "; ".join(f"{rule.name} ({plan.block_pairs[rule.name]} pairs)"
                          for rule in plan.blocking)
        notes.append(f"identity resolution: fields compared: {', '.join(plan.fields)}; "
                     f"blocking: {rules}")
        db_api = DuckDBAPI(connection)
        left = db_api.register(incoming, dataset_display_name="crm")
        right = db_api.register(existing, dataset_display_name="support")
        settings = SettingsCreator(
            link_type="link_only",
            unique_id_column_name="source_record_id",
            comparisons=_comparisons(plan.fields),
            blocking_rules_to_generate_predictions=[_splink_rule(rule)
                                                    for rule in plan.blocking],
            retain_intermediate_calculation_columns=True,
            retain_matching_columns=True,
            additional_columns_to_retain=["email_local", "email_domain"],
        )
        with _captured_splink_logs() as splink_logs:
            result = _train_and_predict(left, right, settings, config, plan, notes)
            table = _finish(connection, result, plan)
        notes.append(
            f"identity resolution: {incoming.num_rows} incoming records x {existing.num_rows} "
            f"existing customers -> {table.num_rows} candidate pairs with match probability "
            f">= {config.keep_min_probability}"
        )
        if splink_logs.untrained:
            kept = ", ".join(f"{comp}/{level}" for comp, level in sorted(splink_logs.untrained))
            notes.append(f"identity resolution: levels never observed in training keep their "
                         f"prior m probability: {kept}")
        notes.extend(f"identity resolution (splink): {message}" for message in splink_logs.other)
        return table
    finally:
        connection.close()


def _splink_failure(step: str, error: Exception) -> MatchingError:
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return MatchingError(f"identity resolution: {step} failed: {first_line[:300]}")


def _train_and_predict(left, right, settings, config: MatchingConfig, plan: LinkagePlan,
                       notes: list[str]) -> str:
    """Estimate the model's parameters and return the name of the predictions table."""
    from splink import Linker
    from splink.internals.exceptions import SplinkException

    linker = Linker([left, right], settings)
    # Prior: pairs agreeing on one of the deterministic rules are assumed to be prior_recall
    # of the true matches.
    try:
        linker.training.estimate_probability_two_random_records_match(
            [_splink_rule(rule) for rule in plan.prior], recall=config.prior_recall
        )
    except (SplinkException, ValueError) as error:
        raise _splink_failure("estimating the prior", error) from None
    prior = linker._settings_obj._probability_two_random_records_match
    rules = ", ".join(rule.name for rule in plan.prior)
    if not (prior == prior and 0 < prior < 1):  # also catches NaN
        raise MatchingError(
            f"identity resolution: the prior (probability that two random records match) is "
            f"{prior}: no incoming record agrees with an existing customer on the "
            f"deterministic rules ({rules}), so the model would link nothing. Check that the "
            f"incoming file and the customers describe the same people and that their keys "
            f"are normalised the same way."
        )
    notes.append(f"identity resolution: prior {prior:.3g} from the rules: {rules}")
    try:
        linker.training.estimate_u_using_random_sampling(
            max_pairs=config.u_max_pairs, seed=config.seed
        )
    except SplinkException as error:
        raise _splink_failure("estimating u probabilities", error) from None
    # m by EM on blocked samples in which true matches dominate; each session estimates every
    # comparison except the ones it blocks on, so two sessions on different fields estimate
    # every field. A session that Splink cannot train (no pairs) is skipped with a note.
    sessions, covered = [], set()
    for rule in plan.em:
        if len(sessions) == 2:
            break
        if sessions and set(rule.fields) <= covered:
            continue
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                _splink_rule(rule)
            )
        except SplinkException as error:
            notes.append(f"identity resolution: EM session blocked on {rule.name} skipped: "
                         f"{str(error).strip().splitlines()[0][:200]}")
            continue
        sessions.append(rule.name)
        covered |= set(rule.fields)
    if not sessions:
        raise MatchingError(
            f"identity resolution: no block to train the model on: "
            f"{', '.join(rule.name for rule in plan.em) or 'no candidate block'} could not be "
            f"trained (no pairs agree on it) among the fields {', '.join(plan.fields)}."
        )
    notes.append(f"identity resolution: m probabilities by EM blocked on: {', '.join(sessions)}")
    try:
        predictions = linker.inference.predict(
            threshold_match_probability=config.keep_min_probability
        )
    except SplinkException as error:
        raise _splink_failure("scoring the candidate pairs", error) from None
    return predictions.physical_name


def _level_case(field: str) -> str:
    """SQL turning Splink's gamma value of a field into its level label."""
    labels = FIELD_LEVELS[field]
    top = len(labels) - 1
    whens = " ".join(
        f"when gamma_{field} = {top - position} then '{label}'"
        for position, label in enumerate(labels)
    )
    return f"case when gamma_{field} = -1 then 'null' {whens} end"


_SIMILARITY = {
    "first_name": (
        "case when first_name_l = first_name_r "
        "or len(list_intersect(first_name_keys_l, first_name_keys_r)) > 0 then 1.0 "
        "else jaro_winkler_similarity(first_name_l, first_name_r) end"
    ),
    "surname": "jaro_winkler_similarity(surname_l, surname_r)",
    "email": "jaro_winkler_similarity(email_key_l, email_key_r)",
    "phone": (
        "1.0 - levenshtein(phone_key_l, phone_key_r)"
        " / greatest(length(phone_key_l), length(phone_key_r))"
    ),
    "address": "jaro_winkler_similarity(address_key_l, address_key_r)",
    "city": "jaro_winkler_similarity(city_key_l, city_key_r)",
    "postal_code": "jaro_winkler_similarity(postal_code_key_l, postal_code_key_r)",
    "birth_date": (
        "1.0 - damerau_levenshtein(birth_date_l, birth_date_r)"
        " / greatest(length(birth_date_l), length(birth_date_r))"
    ),
    "national_id": (
        "1.0 - damerau_levenshtein(national_id_key_l, national_id_key_r)"
        " / greatest(length(national_id_key_l), length(national_id_key_r))"
    ),
    "company_name": "jaro_winkler_similarity(company_name_key_l, company_name_key_r)",
}


def _finish(connection: duckdb.DuckDBPyConnection, predictions: str,
            plan: LinkagePlan) -> pa.Table:
    rule_case = " ".join(f"when match_key = '{i}' then '{rule.name}'"
                         for i, rule in enumerate(plan.blocking))
    columns = []
    for field in FIELD_LEVELS:
        if field in plan.fields:
            columns += [
                f"{_level_case(field)} as {field}_level",
                f"round({_SIMILARITY[field]}, 4) as {field}_similarity",
                f"round(mw_{field}, 4) as {field}_match_weight",
            ]
        else:
            columns += [
                f"'null' as {field}_level",
                f"cast(null as double) as {field}_similarity",
                f"cast(null as double) as {field}_match_weight",
            ]
    # Splink orders the two sides by source dataset name: 'crm' < 'support', so _l is the
    # incoming record; checked rather than assumed.
    sql = f"""
        select
            source_record_id_l as incoming_id,
            source_record_id_r as customer_id,
            round(match_weight, 4) as match_weight,
            round(match_probability, 6) as match_probability,
            case {rule_case} end as blocking_rule,
            {", ".join(columns)}
        from {predictions}
        where source_dataset_l = 'crm' and source_dataset_r = 'support'
        order by incoming_id, match_probability desc, customer_id
    """
    wrong_side = connection.sql(
        f"select count(*) from {predictions} where source_dataset_l <> 'crm'"
    ).fetchall()[0][0]
    if wrong_side:
        raise RuntimeError(f"{wrong_side} predicted pairs have the incoming record on the right")
    return connection.sql(sql).to_arrow_table()


class _SplinkWarnings(logging.Handler):
    """Collects Splink's training warnings instead of letting them flood dbt's console."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.untrained: set[tuple[str, str]] = set()
        self.other: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        found = re.search(r"Level (.+) on comparison (\S+) not observed", message)
        if found:
            self.untrained.add((found.group(2), found.group(1)))
        elif message.strip() not in ("", "WARNING:"):
            self.other.append(" ".join(message.split())[:200])


@contextlib.contextmanager
def _captured_splink_logs() -> Iterator[_SplinkWarnings]:
    """Route Splink's log records (INFO progress, WARNING notes) to a collector."""
    handler = _SplinkWarnings()
    splink_logger = logging.getLogger("splink")
    saved = (splink_logger.level, splink_logger.propagate, list(splink_logger.handlers))
    splink_logger.handlers = [handler]
    splink_logger.setLevel(logging.WARNING)
    splink_logger.propagate = False
    try:
        yield handler
    finally:
        splink_logger.setLevel(saved[0])
        splink_logger.propagate = saved[1]
        splink_logger.handlers = saved[2]


# --------------------------------------------------------------------------------------------
# Matching records from raw values (files that do not go through dbt)
# --------------------------------------------------------------------------------------------

#: Raw columns records_from_raw reads (all optional except the id): the customer-matching
#: columns of an incoming record, plus first/last name given separately, birth date and a
#: national id. Other columns are ignored.
RAW_COLUMNS: tuple[str, ...] = (
    "contact_name", "first_name", "last_name", "email", "phone", "address_line1", "city",
    "postal_code", "birth_date", "national_id", "company_name",
)

_FOLD_FROM = "áàâãäåéèêëíìîïóòôõöúùûüçñý"
_FOLD_TO = "aaaaaaeeeeiiiiooooouuuucny"
_LEGAL_SUFFIXES = ("corp", "corporation", "inc", "incorporated", "co", "company", "ltd",
                   "limited", "llc", "plc", "sa", "s a", "ltda", "limitada", "me", "eireli",
                   "cia", "companhia")


def _blank_null(expr: str) -> str:
    return rf"nullif(regexp_replace(cast({expr} as varchar), '^\s+|\s+$', '', 'g'), '')"


def _fold(expr: str) -> str:
    return f"translate(lower({expr}), '{_FOLD_FROM}', '{_FOLD_TO}')"


def _person(expr: str) -> str:
    return f"nullif(trim(regexp_replace({_fold(expr)}, '[^a-z]+', ' ', 'g')), '')"


def _company(expr: str) -> str:
    lowered = f"lower({_blank_null(expr)})"
    without_dots = f"regexp_replace({lowered}, '[.'']+', '', 'g')"
    words = rf"regexp_replace(' ' || {without_dots} || ' ', '[^\p{{L}}\p{{N}}]+', ' ', 'g')"
    connectors = (f"regexp_replace(regexp_replace({words}, ' (and|e) ', ' ', 'g'), "
                  f"' (and|e) ', ' ', 'g')")
    suffixes = f"regexp_replace({connectors}, '( ({'|'.join(_LEGAL_SUFFIXES)}))+ $', '', 'g')"
    return f"coalesce(nullif(trim({suffixes}), ''), nullif(trim({connectors}), ''))"


def records_from_raw(raw: pa.Table, source_system: str, id_column: str) -> pa.Table:
    """Matching records (RECORD_COLUMNS) from raw contact details, with the same keys the dbt
    model matching_customer_records derives (its macros, written out for DuckDB).

    `raw` has `id_column` and any of RAW_COLUMNS; a missing column is null. `birth_date` is a
    date or ISO text (`1984-03-09`). Raises MatchingError naming the column or row when an id
    is missing or repeated or a birth date is not a date.
    """
    if id_column not in raw.column_names:
        raise MatchingError(f"the records have no {id_column} column (columns: "
                            f"{', '.join(raw.column_names) or 'none'})")
    present = {name: f'"{name}"' for name in RAW_COLUMNS if name in raw.column_names}

    def column(name: str) -> str:
        return present.get(name, "cast(null as varchar)")

    connection = _private_connection()
    try:
        connection.register("raw_records", raw)
        row_checks = connection.sql(f"""
            select
                row_number() over () as row_number,
                cast("{id_column}" as varchar) as record_id,
                {column('birth_date')} as birth_date_raw
            from raw_records
        """).to_arrow_table()
        ids = row_checks.column("record_id").to_pylist()
        for row, record_id in enumerate(ids, start=1):
            if record_id is None or not str(record_id).strip():
                raise MatchingError(f"row {row}: {id_column} is empty; every record needs an id")
        seen: dict[str, int] = {}
        for row, record_id in enumerate(ids, start=1):
            if record_id in seen:
                raise MatchingError(f"row {row}: {id_column} {record_id!r} repeats row "
                                    f"{seen[record_id]}; ids must be unique")
            seen[record_id] = row
        birth_type = (raw.schema.field("birth_date").type if "birth_date" in present
                      else pa.string())
        if "birth_date" in present and not pa.types.is_date(birth_type):
            bad = connection.sql(f"""
                select row_number, birth_date_raw from (
                    select row_number() over () as row_number,
                        {_blank_null('birth_date')} as birth_date_raw
                    from raw_records
                )
                where birth_date_raw is not null
                    and try_cast(birth_date_raw as date) is null
                order by row_number limit 1
            """).fetchall()
            if bad:
                raise MatchingError(f"row {bad[0][0]}: birth_date {bad[0][1]!r} is not a date "
                                    f"(use YYYY-MM-DD)")
        email = f"lower({_blank_null(column('email'))})"
        local = (f"nullif(regexp_replace(regexp_replace(split_part({email}, '@', 1), "
                 f"'[+].*$', '', 'g'), '[.]', '', 'g'), '')")
        first = f"{_person(column('first_name'))}"
        last = f"{_person(column('last_name'))}"
        full = f"{_person(column('contact_name'))}"
        digits_phone = (f"nullif(regexp_replace(cast({column('phone')} as varchar), '[^0-9]+', "
                        f"'', 'g'), '')")
        digits_id = (f"nullif(regexp_replace(cast({column('national_id')} as varchar), "
                     f"'[^0-9A-Za-z]+', '', 'g'), '')")
        birth = (f"strftime(try_cast({_blank_null(column('birth_date'))} as date), '%Y-%m-%d')"
                 if "birth_date" in present else "cast(null as varchar)")
        return connection.sql(f"""
            select
                '{source_system}' as source_system,
                cast("{id_column}" as varchar) as source_record_id,
                coalesce(split_part({first}, ' ', 1),
                         nullif(split_part({full}, ' ', 1), '')) as first_name,
                coalesce(nullif(regexp_extract({last}, '[^ ]+$', 0), ''),
                         nullif(regexp_extract({full}, '[^ ]+$', 0), '')) as surname,
                case when {email} like '%@%' then {local} || '@' || split_part({email}, '@', 2)
                    else {local} end as email_key,
                {local} as email_local,
                nullif(split_part({email}, '@', 2), '') as email_domain,
                right({digits_phone}, 10) as phone_key,
                nullif(trim(regexp_replace({_fold(column('address_line1'))}, '[^a-z0-9]+', ' ',
                    'g')), '') as address_key,
                {_person(column('city'))} as city_key,
                nullif(regexp_replace(upper({column('postal_code')}), '[^0-9A-Z]', '', 'g'), '')
                    as postal_code_key,
                {birth} as birth_date,
                upper({digits_id}) as national_id_key,
                {_fold(_company(column('company_name')))} as company_name_key
            from raw_records
        """).to_arrow_table()
    finally:
        connection.close()


def tier(score: float | None, exact: float, high: float, potential: float) -> str | None:
    """The match tier of a score, as the SQL macro customer_match_tier computes it.

    Pass the vars customer_match_tier_exact, _high and _potential of dbt_project.yml.
    """
    if score is None:
        return None
    if score >= exact:
        return "exact"
    if score >= high:
        return "high"
    if score >= potential:
        return "potential"
    return "low"


def precision_recall(predicted: Iterable[tuple[str, str]],
                     truth: Iterable[tuple[str, str | None]]) -> tuple[float, float, int, int]:
    """Precision and recall of predicted (incoming_id, customer_id) links against the truth.

    `truth` holds (incoming_id, true_customer_id or None for a new person). Returns precision,
    recall, true positives and the number of predicted links.
    """
    true_links = {(incoming, customer) for incoming, customer in truth if customer is not None}
    predicted_links = set(predicted)
    true_positives = len(predicted_links & true_links)
    precision = true_positives / len(predicted_links) if predicted_links else 1.0
    recall = true_positives / len(true_links) if true_links else 1.0
    return precision, recall, true_positives, len(predicted_links)
