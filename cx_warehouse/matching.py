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
- Blocking: only pairs that agree on at least one blocking key are compared (same phone key,
  same email local part, same surname and first initial, same company key and first initial),
  so the work grows with the block sizes, not with incoming x existing.
- Comparisons: first name (exact, nickname-equivalent, two Jaro-Winkler levels), surname,
  email (address, local part, fuzzy local part, domain only), phone key (last 10 digits, last 8,
  one or two digits off), postal code (exact, first five characters) and company name key. The
  Jaro-Winkler cut-offs and the defaults of MatchingConfig are the customer_match_* vars of
  dbt_project.yml (read with cx_warehouse.lookup.project_var).
- Parameters: u probabilities from a seeded random sample of pairs, m probabilities by
  expectation maximisation on two blocked samples (same phone key; same email local part), the
  prior from two deterministic rules. Everything runs in a private in-memory DuckDB with one
  thread and a fixed seed, so the same input gives the same scores.
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

#: Comparison levels per field, in Splink's order (first = strongest, last = else). The labels
#: are what fct_customer_matches shows as `<field>_level`.
FIELD_LEVELS: dict[str, tuple[str, ...]] = {
    "first_name": ("exact", "nickname", *_NAME_FUZZY_LEVELS, "different"),
    "surname": ("exact", *_NAME_FUZZY_LEVELS, "different"),
    "email": ("exact", "local_part", _jaro_winkler_label(EMAIL_LOCAL_JARO_WINKLER, "local_part_"),
              "domain_only", "different"),
    "phone": ("exact", "last_8_digits", "levenshtein_2", "different"),
    "postal_code": ("exact", "prefix_5", "different"),
    "company_name": ("exact", *_NAME_FUZZY_LEVELS, "different"),
}

#: Columns score_candidate_pairs needs in its input (all text; null when unknown).
RECORD_COLUMNS: tuple[str, ...] = (
    "source_system",  # 'support' (existing customers) or 'crm' (incoming records)
    "source_record_id",
    "first_name",
    "surname",
    "email_key",  # normalised address: local part without +tag and dots, '@', domain
    "email_local",
    "email_domain",
    "phone_key",
    "postal_code_key",
    "company_name_key",
)

#: Prior m and u probabilities per field and level (the FIELD_LEVELS order). They are starting
#: values: estimation replaces every one the data can inform (u from random pairs, m by
#: expectation maximisation). A level that training never observes keeps its prior instead of
#: Splink's generic default: e.g. phone numbers that differ in only two digits never occur among
#: the random pairs of a small extract, and no incoming record has a postal code to compare with
#: an existing customer (the support system keeps no address), so postal_code stays at its prior
#: and, being null on one side, weighs 0 in every such pair.
PRIORS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "first_name": ((0.85, 0.04, 0.05, 0.03, 0.03), (0.01, 0.001, 0.005, 0.03, 0.954)),
    "surname": ((0.88, 0.06, 0.03, 0.03), (0.01, 0.005, 0.04, 0.945)),
    "email": ((0.80, 0.08, 0.05, 0.04, 0.03), (0.0001, 0.0002, 0.001, 0.1, 0.8987)),
    "phone": ((0.90, 0.04, 0.03, 0.03), (0.0001, 0.0001, 0.001, 0.9988)),
    "postal_code": ((0.90, 0.06, 0.04), (0.0005, 0.01, 0.9895)),
    "company_name": ((0.75, 0.12, 0.08, 0.05), (0.005, 0.01, 0.05, 0.935)),
}

LOGGER = logging.getLogger(__name__)


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
    """Knobs of the linkage (defaults: the vars customer_match_seed and
    customer_match_keep_min_score of dbt_project.yml, which the dbt model passes)."""

    seed: int = int(project_var("customer_match_seed"))
    # Candidate pairs below this match probability are not returned.
    keep_min_probability: float = float(project_var("customer_match_keep_min_score"))
    u_max_pairs: float = 2e6  # random pairs sampled to estimate u probabilities
    prior_recall: float = 0.9  # assumed recall of the deterministic rules (prior)


def _comparisons() -> list:
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
                cll.NullLevel(_main_column(name)),
                *configured,
                cll.ElseLevel().configure(label_for_charts=labels[-1]),
            ],
        ).configure(m_probabilities=list(m_prior), u_probabilities=list(u_prior))

    def name_levels(column: str) -> list:
        return [cll.JaroWinklerLevel(column, cut_off) for cut_off in NAME_JARO_WINKLER_LEVELS]

    return [
        comparison("first_name", [
            cll.ExactMatchLevel("first_name"),
            cll.ArrayIntersectLevel("first_name_keys", min_intersection=1),
            *name_levels("first_name"),
        ]),
        comparison("surname", [
            cll.ExactMatchLevel("surname"),
            *name_levels("surname"),
        ]),
        comparison("email", [
            cll.ExactMatchLevel("email_key"),
            cll.ExactMatchLevel("email_local"),
            cll.JaroWinklerLevel("email_local", EMAIL_LOCAL_JARO_WINKLER),
            cll.ExactMatchLevel("email_domain"),
        ]),
        comparison("phone", [
            cll.ExactMatchLevel("phone_key"),
            cll.CustomLevel("right(phone_key_l, 8) = right(phone_key_r, 8)"),
            cll.LevenshteinLevel("phone_key", 2),
        ]),
        comparison("postal_code", [
            cll.ExactMatchLevel("postal_code_key"),
            cll.CustomLevel(
                "substr(postal_code_key_l, 1, 5) = substr(postal_code_key_r, 1, 5)"
            ),
        ]),
        comparison("company_name", [
            cll.ExactMatchLevel("company_name_key"),
            *name_levels("company_name_key"),
        ]),
    ]


def _main_column(field: str) -> str:
    return {
        "first_name": "first_name",
        "surname": "surname",
        "email": "email_key",
        "phone": "phone_key",
        "postal_code": "postal_code_key",
        "company_name": "company_name_key",
    }[field]


def _blocking_rules() -> list:
    from splink import block_on

    return [
        block_on("phone_key"),
        block_on("email_local"),
        block_on("surname", "substr(first_name, 1, 1)"),
        block_on("company_name_key", "substr(first_name, 1, 1)"),
    ]


def _prepare(records: pa.Table | pa.RecordBatchReader) -> tuple[pa.Table, pa.Table]:
    if isinstance(records, pa.RecordBatchReader):
        records = records.read_all()
    missing = [name for name in RECORD_COLUMNS if name not in records.column_names]
    if missing:
        raise ValueError(f"score_candidate_pairs: input lacks columns {missing}")
    table = records.select(list(RECORD_COLUMNS))
    keys = [first_name_keys(value) for value in table.column("first_name").to_pylist()]
    table = table.append_column("first_name_keys", pa.array(keys, pa.list_(pa.string())))
    systems = table.column("source_system").to_pylist()
    unknown = sorted({value for value in systems} - {"support", "crm"})
    if unknown:
        raise ValueError(f"score_candidate_pairs: unknown source_system values {unknown}")
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

    `records` has the RECORD_COLUMNS; returns one row per candidate pair whose match
    probability is at least `config.keep_min_probability`, ordered by incoming_id, then
    descending probability, then customer_id. When `notes` is given, one-line summaries of
    the run (sizes, levels that kept their prior) are appended to it.
    """
    from splink import DuckDBAPI, SettingsCreator

    notes = notes if notes is not None else []
    config = config or MatchingConfig()
    incoming, existing = _prepare(records)
    if incoming.num_rows == 0 or existing.num_rows == 0:
        return _empty_result()

    connection = duckdb.connect(":memory:", config={"threads": 1})
    try:
        db_api = DuckDBAPI(connection)
        left = db_api.register(incoming, dataset_display_name="crm")
        right = db_api.register(existing, dataset_display_name="support")
        settings = SettingsCreator(
            link_type="link_only",
            unique_id_column_name="source_record_id",
            comparisons=_comparisons(),
            blocking_rules_to_generate_predictions=_blocking_rules(),
            retain_intermediate_calculation_columns=True,
            retain_matching_columns=True,
            additional_columns_to_retain=["email_local", "email_domain"],
        )
        with _captured_splink_logs() as splink_logs:
            result = _train_and_predict(left, right, settings, config)
            table = _finish(connection, result)
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


def _train_and_predict(left, right, settings, config: MatchingConfig) -> str:
    """Estimate the model's parameters and return the name of the predictions table."""
    from splink import Linker, block_on

    linker = Linker([left, right], settings)
    # Prior: pairs agreeing on phone key or email address, assumed to find prior_recall of
    # the true matches.
    linker.training.estimate_probability_two_random_records_match(
        [block_on("phone_key"), block_on("email_key")], recall=config.prior_recall
    )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=config.u_max_pairs, seed=config.seed
    )
    # m by EM on two blocked samples in which true matches dominate; each session estimates
    # every comparison except the one it blocks on, so each field is estimated at least once.
    # (Blocking on the email local part instead lets same-name namesakes with a name-derived
    # local part dominate a block, and EM learns that differing phones and companies are
    # common among matches.)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone_key"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("email_key"))
    predictions = linker.inference.predict(
        threshold_match_probability=config.keep_min_probability
    )
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


def _finish(connection: duckdb.DuckDBPyConnection, predictions: str) -> pa.Table:
    rules = [rule.get_blocking_rule("duckdb").blocking_rule_sql for rule in _blocking_rules()]
    rule_case = " ".join(f"when match_key = '{i}' then '{sql.replace(chr(39), '')}'"
                         for i, sql in enumerate(rules))
    similarity = {
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
        "postal_code": "jaro_winkler_similarity(postal_code_key_l, postal_code_key_r)",
        "company_name": "jaro_winkler_similarity(company_name_key_l, company_name_key_r)",
    }
    columns = []
    for field in FIELD_LEVELS:
        columns += [
            f"{_level_case(field)} as {field}_level",
            f"round({similarity[field]}, 4) as {field}_similarity",
            f"round(mw_{field}, 4) as {field}_match_weight",
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
