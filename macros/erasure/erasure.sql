{#-
    Right to erasure (DECISIONS.md, "Right to erasure"). The requests file is resolved once, by
    base_landing__erasure_subjects, into keys (request_id, key_type, key_value); every base
    model that reads a raw table holding people drops (or de-identifies) the rows that match a
    key, so staging, quarantine, the vault and everything above simply no longer see them, and
    audit.source_reconciliation counts the same rows as erased. Which columns of which raw
    table are matched on which key lives only in the table's `meta.erasure` in its source YAML,
    read by erasure_rules().
-#}

{% macro erasure_rules() -%}
    {%- set rules = {} -%}
    {%- for node in cx_warehouse.raw_tables() if node.meta.get('erasure') -%}
        {%- set pairs = [] -%}
        {%- for match in node.meta['erasure']['match'] -%}
            {%- do pairs.append((match['key_type'], match['column'])) -%}
        {%- endfor -%}
        {%- do rules.update({node.source_name ~ '.' ~ node.name: pairs}) -%}
    {%- endfor -%}
    {{- return(rules) -}}
{%- endmacro %}


{% macro erasure_deidentified_columns() -%}
    {%- set columns = {} -%}
    {%- for node in cx_warehouse.raw_tables() if node.meta.get('erasure', {}).get('deidentify') -%}
        {%- do columns.update({node.source_name ~ '.' ~ node.name:
            node.meta['erasure']['deidentify']}) -%}
    {%- endfor -%}
    {{- return(columns) -}}
{%- endmacro %}


{% macro erasure_key(key_type, expr) -%}
    {%- if key_type in ('customer_id', 'ticket_id') -%}
        upper({{ cx_warehouse.nullif_blank(expr) }})
    {%- elif key_type == 'email' -%}
        {{ cx_warehouse.normalize_email(expr) }}
    {%- elif key_type == 'phone' -%}
        {{ cx_warehouse.phone_match_key(expr) }}
    {%- elif key_type in ('cpf', 'card') -%}
        {{ cx_warehouse.digits_only(expr) }}
    {%- else -%}
        {{- exceptions.raise_compiler_error(
            "erasure_key: unknown key_type '" ~ key_type ~ "' for " ~ expr
            ~ ". Use customer_id, ticket_id, email, phone, cpf or card."
        ) -}}
    {%- endif -%}
{%- endmacro %}


{% macro is_erased(table_name, subjects=none, relation_alias=none) -%}
    {%- if not execute -%}
        {#- Parsing: the rules are not known yet (raw_tables()); record the dependency. -#}
        {%- do subjects or ref('base_landing__erasure_subjects') -%}
        {%- do return('false') -%}
    {%- endif -%}
    {%- if model is mapping and model.get('resource_type') == 'unit_test' and not subjects -%}
        {#- A unit test gives only its model's inputs: erasure is off there (the pytest
            tests/python/test_erasure.py covers it end to end). -#}
        {%- do return('false') -%}
    {%- endif -%}
    {%- set rules = cx_warehouse.erasure_rules() -%}
    {%- set conditions = [] -%}
    {%- if table_name not in rules -%}
        {{- exceptions.raise_compiler_error(
            "is_erased: no erasure rule for '" ~ table_name ~ "'. Declare meta.erasure.match "
            ~ "on the table in its source YAML (docs/raw_source_contract.md; tables with a rule: "
            ~ (rules.keys() | list | join(', ')) ~ ")."
        ) -}}
    {%- endif -%}
    {%- set subjects = subjects or ref('base_landing__erasure_subjects') -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    {%- for key_type, column_name in rules[table_name] -%}
        {%- if key_type == 'json_text' -%}
            {%- set condition -%}
                exists (
                    select 1
                    from {{ subjects }} as erasure_subjects
                    where
                        erasure_subjects.key_type in ('customer_id', 'email')
                        and {{ dbt.position(
                            "'\"' || lower(erasure_subjects.key_value) || '\"'",
                            'lower(' ~ prefix ~ column_name ~ ')'
                        ) }} > 0
                )
            {%- endset -%}
        {%- else -%}
            {%- set condition -%}
                {{ cx_warehouse.erasure_key(key_type, prefix ~ column_name) }} in (
                    select erasure_subjects.key_value
                    from {{ subjects }} as erasure_subjects
                    where erasure_subjects.key_type = '{{ key_type }}'
                )
            {%- endset -%}
        {%- endif -%}
        {%- do conditions.append(condition) -%}
    {%- endfor -%}
    coalesce({{ conditions | join(' or ') }}, false)
{%- endmacro %}


{% macro select_erasure_deidentified(table_name) -%}
    {%- if not execute -%}
        {#- Parsing: no columns known yet; is_erased records the erasure keys as a parent. -#}
        {%- do cx_warehouse.is_erased(table_name) -%}
    {%- endif -%}
    {{- return(adapter.dispatch('select_erasure_deidentified', 'cx_warehouse')(table_name)) -}}
{%- endmacro %}

{% macro duckdb__select_erasure_deidentified(table_name) -%}
    {%- if not execute or (model is mapping and model.get('resource_type') == 'unit_test') -%}
        {#- Parsing, or a unit test (no source definitions there; erasure is off). -#}
        {{- return('*') -}}
    {%- endif -%}
    {%- set deidentified = cx_warehouse.erasure_deidentified_columns() -%}
    {%- if table_name not in deidentified -%}
        {{- exceptions.raise_compiler_error(
            "select_erasure_deidentified: '" ~ table_name ~ "' declares no "
            ~ "meta.erasure.deidentify in its source YAML (tables that do: "
            ~ (deidentified.keys() | list | join(', ')) ~ ")."
        ) -}}
    {%- endif -%}
    {%- set columns = deidentified[table_name] -%}
    * replace (
    {%- for column_name in columns %}
        case
            when {{ cx_warehouse.is_erased(table_name) }} then null
            else {{ column_name }}
        end as {{ column_name }}{% if not loop.last %},{% endif %}
    {%- endfor %}
    )
{%- endmacro %}

{% macro erasure_requests_path() -%}
    {{- return(env_var('CX_RAW_DIR', env_var('DBT_PROJECT_DIR', '.') ~ '/data/raw')
        ~ '/erasure_requests.csv') -}}
{%- endmacro %}


{% macro erasure_requests_file_exists() -%}
    {%- if not execute -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- set path = cx_warehouse.erasure_requests_path() -%}
    {%- set found = run_query(
        'select count(*) from glob(' ~ cx_warehouse.sql_string_literal(path) ~ ')'
    ).columns[0].values()[0] > 0 -%}
    {%- if not found and target.name not in ['dev', 'ci'] -%}
        {{- exceptions.raise_compiler_error(
            "The erasure request log " ~ path ~ " is missing. Target '" ~ target.name
            ~ "' is not a development target (dev, ci), so it refuses to build without it: "
            ~ "restore the file (a header line alone means no requests) and run again."
        ) -}}
    {%- elif not found -%}
        {{- log("WARNING: " ~ path ~ " is missing; building target '" ~ target.name
            ~ "' as if there were no erasure requests.", info=true) -}}
    {%- endif -%}
    {{- return(found) -}}
{%- endmacro %}
