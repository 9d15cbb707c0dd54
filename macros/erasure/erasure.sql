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


{% macro is_erased(table_name, subjects=none, relation_alias=none, column_map={},
                   subjects_filter=none) -%}
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
    {%- set extra = ' and (' ~ subjects_filter ~ ')' if subjects_filter else '' -%}
    {%- for key_type, raw_column_name in rules[table_name] -%}
        {%- set column_name = column_map.get(raw_column_name, raw_column_name) -%}
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
                        ) }} > 0{{ extra }}
                )
            {%- endset -%}
        {%- else -%}
            {%- set condition -%}
                {{ cx_warehouse.erasure_key(key_type, prefix ~ column_name) }} in (
                    select erasure_subjects.key_value
                    from {{ subjects }} as erasure_subjects
                    where erasure_subjects.key_type = '{{ key_type }}'{{ extra }}
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
        ~ '/**/erasure_requests.csv') -}}
{%- endmacro %}


{% macro erasure_requests_file_exists() -%}
    {{- return(adapter.dispatch('erasure_requests_file_exists', 'cx_warehouse')()) -}}
{%- endmacro %}


{% macro duckdb__erasure_requests_file_exists() -%}
    {%- if not execute -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- set path = cx_warehouse.erasure_requests_path() -%}
    {%- set found = run_query(
        'select count(*) from glob(' ~ cx_warehouse.sql_string_literal(path) ~ ')'
    ).columns[0].values()[0] > 0 -%}
    {{- return(cx_warehouse.erasure_requests_file_verdict(found)) -}}
{%- endmacro %}


{% macro erasure_requests_file_verdict(found) -%}
    {#- A missing request log: no requests on a development target, a refusal elsewhere. -#}
    {%- set path = cx_warehouse.erasure_requests_path() -%}
    {%- if not found and target.name not in var('development_targets') -%}
        {{- exceptions.raise_compiler_error(
            "The erasure request log " ~ path ~ " is missing. Target '" ~ target.name
            ~ "' is not a development target (" ~ var('development_targets') | join(', ')
            ~ "), so it refuses to build without it: "
            ~ "restore the file (a header line alone means no requests) and run again."
        ) -}}
    {%- elif not found -%}
        {{- log("WARNING: " ~ path ~ " is missing; building target '" ~ target.name
            ~ "' as if there were no erasure requests.", info=true) -}}
    {%- endif -%}
    {{- return(found) -}}
{%- endmacro %}


{#- Erasure on incremental tables (DECISIONS.md, "Incremental models"): rows built by earlier
    runs are removed (or de-identified) when a request arrives later. Each returns one SQL
    statement for a post-hook; 'select 1' when the request log holds no request, so a build
    without requests pays nothing. -#}
{% macro has_erasure_requests() -%}
    {%- if not execute or not cx_warehouse.erasure_requests_file_exists() -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set found = run_query('select count(*) from (' ~ cx_warehouse.erasure_requests_sql()
        ~ ') as erasure_requests') -%}
    {{- return(found.columns[0].values()[0] > 0) -}}
{%- endmacro %}


{% macro erase_stored_rows(table_name, column_map={}) -%}
    {#- Delete (or, for a table with meta.erasure.deidentify, null those columns of) the rows of
        this base table whose raw columns match a request; is_erased() on the stored columns,
        which keep their raw names. raw_record (kept for rejected rows) is de-identified too. -#}
    {%- if not cx_warehouse.stored_rows_updatable() or not cx_warehouse.has_erasure_requests() -%}
        {{- return('select 1') -}}
    {%- endif -%}
    {%- set subjects = '(' ~ cx_warehouse.erasure_subjects_sql() ~ ')' -%}
    {%- set condition = cx_warehouse.is_erased(table_name, subjects=subjects,
        relation_alias='stored_rows', column_map=column_map) -%}
    {%- set deidentified = cx_warehouse.erasure_deidentified_columns().get(table_name) -%}
    {%- if deidentified -%}
        {%- set assignments = [] -%}
        {%- for column_name in deidentified -%}
            {%- do assignments.append(column_name ~ ' = null') -%}
        {%- endfor -%}
        {%- do assignments.append('raw_record = ' ~ cx_warehouse.json_keys_nulled(
            'stored_rows.raw_record', deidentified)) -%}
        {%- do assignments.append('is_deidentified = true') -%}
        {{- return('update ' ~ this ~ ' as stored_rows set ' ~ assignments | join(', ')
            ~ ' where ' ~ condition) -}}
    {%- endif -%}
    {{- return('delete from ' ~ this ~ ' as stored_rows where ' ~ condition) -}}
{%- endmacro %}


{% macro json_keys_nulled(expr, keys) -%}
    {#- The JSON text with these top-level keys set to null (the shape row_to_json writes). -#}
    {%- set result = namespace(sql=expr) -%}
    {%- for key in keys -%}
        {%- set result.sql = "regexp_replace(" ~ result.sql ~ ", '\"" ~ key
            ~ "\":(\"[^\"]*\"|null)', '\"" ~ key ~ "\":null')" -%}
    {%- endfor -%}
    {{- return(result.sql) -}}
{%- endmacro %}


{% macro erase_orphaned_rows(key_column, parent_model, parent_filter='true') -%}
    {#- An incremental child of a table that erase_stored_rows cleans: delete its rows whose
        key is no longer among the parent's rows (parent_filter: e.g. valid rows only). -#}
    {%- if not cx_warehouse.stored_rows_updatable() or not cx_warehouse.has_erasure_requests() -%}
        {{- return('select 1') -}}
    {%- endif -%}
    {{- return('delete from ' ~ this ~ ' as stored_rows where not exists (select 1 from '
        ~ cx_warehouse.model_relation(parent_model) ~ ' as parent_rows where parent_rows.'
        ~ key_column ~ ' = stored_rows.' ~ key_column ~ ' and ' ~ parent_filter ~ ')') -}}
{%- endmacro %}


{% macro deidentify_like_parent(key_column, parent_model, columns, also={}) -%}
    {#- An incremental child of a de-identified table: null these columns on its rows whose
        parent row was de-identified (the parent's is_deidentified flag); `also` sets further
        columns derived from them (column -> SQL value, e.g. is_loyalty_member -> false). -#}
    {%- if not cx_warehouse.stored_rows_updatable() or not cx_warehouse.has_erasure_requests() -%}
        {{- return('select 1') -}}
    {%- endif -%}
    {%- set assignments = [] -%}
    {%- set present = [] -%}
    {%- for column_name in columns -%}
        {%- do assignments.append(column_name ~ ' = null') -%}
        {%- do present.append('stored_rows.' ~ column_name ~ ' is not null') -%}
    {%- endfor -%}
    {%- for column_name, value in also.items() -%}
        {%- do assignments.append(column_name ~ ' = ' ~ value) -%}
    {%- endfor -%}
    {{- return('update ' ~ this ~ ' as stored_rows set ' ~ assignments | join(', ')
        ~ ' where (' ~ present | join(' or ') ~ ') and stored_rows.' ~ key_column
        ~ ' in (select parent_rows.' ~ key_column ~ ' from '
        ~ cx_warehouse.model_relation(parent_model)
        ~ ' as parent_rows where parent_rows.is_deidentified)') -}}
{%- endmacro %}


{% macro model_relation(model_name) -%}
    {#- The relation of a project model by name, for hooks (a ref() in a hook is not a
        dependency; the model is a parent of the hooked model anyway). -#}
    {%- for node in graph.nodes.values() if node.resource_type == 'model'
            and node.name == model_name -%}
        {{- return(api.Relation.create(database=node.database, schema=node.schema,
            identifier=node.alias)) -}}
    {%- endfor -%}
    {{- exceptions.raise_compiler_error("model_relation: no model named " ~ model_name) -}}
{%- endmacro %}


{% macro stored_rows_updatable() -%}
    {#- Whether the hooks may update or delete stored rows (erasure, retention): DuckDB tables
        can; Parquet tables on Spark cannot (Delta can), so there the hooks do nothing and a
        rebuild from an empty warehouse applies new erasure requests (DECISIONS.md, "Running
        on Spark"). -#}
    {{- return(adapter.dispatch('stored_rows_updatable', 'cx_warehouse')()) -}}
{%- endmacro %}


{% macro default__stored_rows_updatable() -%}
    {{- return(true) -}}
{%- endmacro %}


{% macro spark__stored_rows_updatable() -%}
    {%- set file_format = config.get('file_format') if config is defined else none -%}
    {%- if file_format == 'delta' -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- if execute -%}
        {%- do log('Stored rows of ' ~ this ~ ' are not updated by the erasure/retention hook: '
            ~ 'Parquet tables on Spark cannot be updated in place (a rebuild applies them).',
            info=false) -%}
    {%- endif -%}
    {{- return(false) -}}
{%- endmacro %}
