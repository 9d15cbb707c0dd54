{% macro pii_pattern_regexes() -%}
    {#- After the country code: an optional (area code), then 6-12 more digits. -#}
    {%- set subscriber = '(?:[(][0-9]{1,4}[)][ .-]?)?[0-9](?:[ .-]?[0-9]){5,11}\\b' -%}
    {%- set phone_alternatives = [
        '\\b00[1-9][0-9]{0,2}[ .-]' ~ subscriber,
        '(?:[(][0-9]{2,3}[)][ .-]?|\\b[0-9]{2,3}[ .-])[0-9]{3,5}[ .-][0-9]{4}\\b',
        '\\b[0-9]{10,13}\\b',
    ] -%}
    {%- set card_alternatives = [
        '\\b[0-9]{4}(?:[ -][0-9]{4}){2}[ -][0-9]{1,4}(?:[ -]?[0-9]{1,3})?\\b',
        '\\b[0-9]{4}[ -][0-9]{6}[ -][0-9]{5}\\b',
        '\\b[0-9]{13,19}\\b',
    ] -%}
    {{- return({
        'email': '[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:[.][\\p{L}\\p{N}-]+)*[.]\\p{L}{2,}',
        'cnpj': '\\b[0-9]{2}[.][0-9]{3}[.][0-9]{3}/[0-9]{4}-[0-9]{2}\\b|\\b[0-9]{14}\\b',
        'cpf': '\\b[0-9]{3}[.][0-9]{3}[.][0-9]{3}-[0-9]{2}\\b|\\b[0-9]{11}\\b',
        'phone_plus': '[+][0-9]{1,3}[ .-]?' ~ subscriber,
        'card': card_alternatives | join('|'),
        'phone': phone_alternatives | join('|'),
    }) -}}
{%- endmacro %}


{% macro pii_redaction_order() -%}
    {{- return([
        ('email', '[EMAIL]'),
        ('cnpj', '[CNPJ]'),
        ('cpf', '[CPF]'),
        ('phone_plus', '[PHONE]'),
        ('card', '[CARD]'),
        ('phone', '[PHONE]'),
    ]) -}}
{%- endmacro %}


{% macro contains_pii(expr) -%}
    {%- set patterns = cx_warehouse.pii_pattern_regexes().values() | list -%}
    {{ cx_warehouse.regex_matches(
        'cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ ')', '(?:' ~ patterns | join(')|(?:') ~ ')'
    ) }}
{%- endmacro %}


{% macro redact_pii_text(expr) -%}
    {{- return(adapter.dispatch('redact_pii_text', 'cx_warehouse')(expr)) -}}
{%- endmacro %}

{% macro default__redact_pii_text(expr) -%}
    {%- set patterns = cx_warehouse.pii_pattern_regexes() -%}
    {%- set ns = namespace(sql='cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ ')') -%}
    {%- for name, token in cx_warehouse.pii_redaction_order() -%}
        {%- set ns.sql = cx_warehouse.regex_replace_all(ns.sql, patterns[name], token) -%}
    {%- endfor -%}
    {{ ns.sql }}
{%- endmacro %}



{#- The words of a person's name that redaction removes from free text: runs of 3+ letters
    (apostrophes and hyphens inside kept), the titles below left out. -#}
{% macro name_word_regex() -%}
    {{- return("[\\p{L}][\\p{L}'-]{2,}") -}}
{%- endmacro %}

{% macro name_titles() -%}
    {{- return(['mrs', 'miss', 'sra', 'srta', 'phd', 'dds', 'dvm', 'iii']) -}}
{%- endmacro %}


{#- Aggregate (group by the sender): one case-insensitive regular expression matching a run of
    the name words in `name_word_expr` (each escaped) in a text marked by name_edge_marked.
    On DuckDB the pattern is a column, compiled once per row: an edge spelled as a Unicode
    class ([^\p{L}\p{N}_], since RE2's \b knows only ASCII letters) costs milliseconds per
    compile, so edges are the mark name_edge_marked puts around every run of letters, digits
    and underscores (a word's inner apostrophe or hyphen is marked the same way). -#}
{% macro sender_name_pattern(name_word_expr) -%}
    {{- return(adapter.dispatch('sender_name_pattern', 'cx_warehouse')(name_word_expr)) -}}
{%- endmacro %}

{% macro duckdb__sender_name_pattern(name_word_expr) -%}
    {%- set mark = cx_warehouse.name_edge_mark() -%}
    {%- set words -%}
        string_agg(distinct regexp_replace(
            {{ cx_warehouse.name_edge_marked('regexp_escape(' ~ name_word_expr ~ ')') }},
            '^' || {{ mark }} || '|' || {{ mark }} || '$', '', 'g'
        ), '|')
    {%- endset -%}
    '(?i)' || {{ mark }} || '(?:' || {{ words }} || ')(?:' || {{ mark }} || '[^' || {{ mark }}
    || ']+' || {{ mark }} || '(?:' || {{ words }} || '))*' || {{ mark }}
{%- endmacro %}


{#- The character name_edge_marked puts around words: U+E000, of Unicode's private use area
    (no text in the data is expected to hold it; redact_sender_names removes every one). -#}
{% macro name_edge_mark() -%}
    {{- return('chr(57344)') -}}
{%- endmacro %}

{% macro name_edge_marked(expr) -%}
    {#- The text with name_edge_mark before and after each run of letters, digits and
        underscores (a constant pattern: compiled once). -#}
    regexp_replace({{ expr }}, '([\p{L}\p{N}_]+)',
        {{ cx_warehouse.name_edge_mark() }} || '\1' || {{ cx_warehouse.name_edge_mark() }}, 'g')
{%- endmacro %}


{#- A select, grouped by `key_column`, of the name pattern (sender_name_pattern) and the
    lower-cased name words of the names in `name_column` of `names_relation` (one row per key
    and name; titles left out). The shared body of base_chat__sender_names and
    base_email__sender_names. -#}
{% macro select_sender_name_patterns(names_relation, key_column, name_column='customer_name') -%}
    select
        {{ key_column }},
        {{ cx_warehouse.sender_name_pattern('name_word') }} as sender_name_pattern,
        {{ cx_warehouse.distinct_list_agg('lower(name_word)') }} as sender_name_words
    from (
        select
            {{ key_column }},
            {{ cx_warehouse.unnest_list(cx_warehouse.regex_extract_all(
                name_column, cx_warehouse.sql_string_literal(cx_warehouse.name_word_regex())
            )) }} as name_word
        from {{ names_relation }}
    ) as name_words
    where lower(name_word) not in ('{{ cx_warehouse.name_titles() | join("', '") }}')
    group by {{ key_column }}
{%- endmacro %}


{#- Replaces each run of words that `pattern_expr` (sender_name_pattern) matches with [NAME];
    the text as it is when the pattern is null (the sender is not a known customer).
    `words_expr`, the sender's lower-cased name words, skips texts that contain none of them:
    the pattern is a column, so the engine compiles it per row, and most texts hold no name.
    On DuckDB the text is marked (name_edge_marked) for the pattern, and the marks removed. -#}
{% macro redact_sender_names(expr, pattern_expr, words_expr=none) -%}
    {{- return(adapter.dispatch('redact_sender_names', 'cx_warehouse')(
        expr, pattern_expr, words_expr)) -}}
{%- endmacro %}

{% macro default__redact_sender_names(expr, pattern_expr, words_expr=none) -%}
    {%- set mark = cx_warehouse.name_edge_mark() -%}
    case
        when {{ pattern_expr }} is null then {{ expr }}
    {%- if words_expr is not none %}
        when not coalesce(list_bool_or(list_transform(
            {{ words_expr }}, lambda name_word: contains(lower({{ expr }}), name_word)
        )), true) then {{ expr }}
    {%- endif %}
        else replace(regexp_replace(
            {{ cx_warehouse.name_edge_marked(expr) }}, {{ pattern_expr }},
            {{ mark }} || '[NAME]' || {{ mark }}, 'g'
        ), {{ mark }}, '')
    end
{%- endmacro %}



{#- The text columns (text and lists of text) of every table and view outside the excluded
    schemas, as (schema, table, column) rows in column order, for the PII scan
    (tests/dbt/assert_no_raw_pii_outside_restricted.sql). dbt's own node ids in the run log
    (audit.dbt_model_runs.unique_id) are left out: a hash of ten digits looks like a phone
    number to the scan, but is not data about anyone. -#}
{% macro pii_scan_text_columns(excluded_schemas) -%}
    {{- return(adapter.dispatch('pii_scan_text_columns', 'cx_warehouse')(excluded_schemas)) -}}
{%- endmacro %}

{% macro duckdb__pii_scan_text_columns(excluded_schemas) -%}
    {%- set columns_query -%}
        select table_schema, table_name, column_name
        from information_schema.columns
        where table_catalog = '{{ target.database }}'
            and lower(table_schema) not in ('{{ excluded_schemas | join("', '") }}')
            and (data_type = 'VARCHAR' or data_type like 'VARCHAR[]%')
            and not (lower(table_schema) = 'audit' and table_name = 'dbt_model_runs'
                and column_name = 'unique_id')
        order by table_schema, table_name, ordinal_position
    {%- endset -%}
    {%- set found = [] -%}
    {%- for row in run_query(columns_query).rows -%}
        {%- do found.append((row[0], row[1], row[2])) -%}
    {%- endfor -%}
    {{- return(found) -}}
{%- endmacro %}

{% macro spark__pii_scan_text_columns(excluded_schemas) -%}
    {#- Spark has no information_schema: every database, its tables and views, each described;
        the raw files' tables and views (spark_create_raw_sources: raw data, as DuckDB's
        readers, which are no catalog objects) and temporary views are left out. -#}
    {%- set raw_objects = [] -%}
    {%- for read in cx_warehouse.spark_raw_reads() -%}
        {%- for suffix in ['', '__files', '__listing'] -%}
            {%- do raw_objects.append((read.schema ~ '.' ~ read.identifier ~ suffix) | lower) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set found = [] -%}
    {%- for database in run_query('show databases').columns[0].values() | sort -%}
        {%- if database | lower not in excluded_schemas -%}
            {%- for table in run_query('show tables in ' ~ database).rows -%}
                {%- set name = table[1] -%}
                {%- if not table[2] and (database ~ '.' ~ name) | lower not in raw_objects -%}
                    {%- set state = namespace(in_columns=true) -%}
                    {%- for column in run_query('describe ' ~ database ~ '.' ~ name).rows -%}
                        {%- if not column[0] or column[0].startswith('#') -%}
                            {%- set state.in_columns = false -%}
                        {%- endif -%}
                        {%- set is_text = column[1] in ['string', 'array<string>'] -%}
                        {%- set is_node_id = database == 'audit' and name == 'dbt_model_runs'
                            and column[0] == 'unique_id' -%}
                        {%- if state.in_columns and is_text and not is_node_id -%}
                            {%- do found.append((database, name, column[0])) -%}
                        {%- endif -%}
                    {%- endfor -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(found) -}}
{%- endmacro %}
