{#-
    The Spark variants of the project's dispatched macros (README, "Running on Spark"). Each
    gives on Spark what its duckdb__ twin gives on DuckDB; the parity test
    (tests/python/test_spark.py) builds both engines and compares every mart. Spark runs with
    spark.sql.parser.escapedStringLiterals=true (cx_warehouse/spark_runner.py), so a string
    literal means what it means on DuckDB: backslashes are characters, not escapes.
-#}

{% macro spark__utc_to_local(expr, timezone) -%}
    from_utc_timestamp(cast({{ expr }} as timestamp), {{ timezone }})
{%- endmacro %}


{% macro spark__local_to_utc(expr, timezone) -%}
    to_utc_timestamp(cast({{ expr }} as timestamp), {{ timezone }})
{%- endmacro %}


{% macro spark__minutes_between(start_expr, end_expr) -%}
    (cast(unix_micros(cast({{ end_expr }} as timestamp))
        - unix_micros(cast({{ start_expr }} as timestamp)) as double) / 60000000.0)
{%- endmacro %}


{% macro spark__add_minutes(expr, minutes) -%}
    timestamp_micros(unix_micros(cast({{ expr }} as timestamp))
        + cast(round(({{ minutes }}) * 60000000) as bigint))
{%- endmacro %}


{% macro spark__iso_day_of_week(expr) -%}
    extract(dow_iso from {{ expr }})
{%- endmacro %}


{% macro spark__iso_week_key(date_expr) -%}
    {#- The ISO year is the year of the week's Thursday. -#}
    concat(
        cast(year(date_add(cast({{ date_expr }} as date),
            4 - extract(dow_iso from cast({{ date_expr }} as date)))) as string),
        '-W',
        lpad(cast(weekofyear(cast({{ date_expr }} as date)) as string), 2, '0')
    )
{%- endmacro %}


{% macro spark__month_key(date_expr) -%}
    date_format(cast({{ date_expr }} as date), 'yyyy-MM')
{%- endmacro %}


{% macro spark__date_spine(datepart, start_date, end_date) -%}
    select
        cast(spine.period_start as {{ cx_warehouse.date_spine_type(datepart) }})
            as date_{{ datepart }}
    from (
        select explode(sequence(
            cast({{ start_date }} as timestamp),
            cast({{ end_date }} as timestamp),
            interval 1 {{ datepart }}
        )) as period_start
    ) as spine
    where spine.period_start < cast({{ end_date }} as timestamp)
{%- endmacro %}


{% macro spark__hash_pii(expr, normalize='text') -%}
    {%- set value = cx_warehouse.normalize_pii(expr, normalize) -%}
    {%- set salt = cx_warehouse.sql_string_literal(cx_warehouse.pii_salt() ~ '|') -%}
    case
        when {{ value }} is not null then sha2(concat({{ salt }}, {{ value }}), 256)
    end
{%- endmacro %}


{% macro spark__parse_utc_timestamp(expr) -%}
    {#- ISO 8601 text with or without an offset (none = UTC, the session time zone). -#}
    cast({{ expr }} as timestamp)
{%- endmacro %}


{% macro spark__regex_matches(expr, pattern) -%}
    ({{ expr }} rlike {{ cx_warehouse.sql_string_literal(pattern) }})
{%- endmacro %}


{% macro spark__text_bytes(text) -%}
    octet_length({{ text }})
{%- endmacro %}


{% macro spark__max_text_bytes_in_list(text_list) -%}
    array_max(transform({{ text_list }}, list_text -> octet_length(list_text)))
{%- endmacro %}


{% macro spark__json_extract_path(json_expr, path, as_text=true) -%}
    {#- The JSON value parsed as a VARIANT: a string value unquoted, anything else as JSON text
        (as DuckDB's json_extract_string); as_text=false: the value as JSON text. A path with
        [*] gives a list, one item per array element. -#}
    {%- set parsed = 'try_parse_json(' ~ json_expr ~ ')' -%}
    {%- if '[*]' in path -%}
        {%- set prefix, _, suffix = path.partition('[*]') -%}
        transform(try_variant_get({{ parsed }}, '{{ prefix }}', 'array<variant>'),
            json_element -> {% if as_text -%}
                try_variant_get(json_element, '${{ suffix }}', 'string')
            {%- else -%}
                to_json(try_variant_get(json_element, '${{ suffix }}', 'variant'))
            {%- endif %})
    {%- elif as_text -%}
        try_variant_get({{ parsed }}, '{{ path }}', 'string')
    {%- else -%}
        to_json(try_variant_get({{ parsed }}, '{{ path }}', 'variant'))
    {%- endif -%}
{%- endmacro %}


{% macro spark_source_node_for_alias(relation_alias) -%}
    {#- The source a model reads under this CTE name (base models name it after the table). -#}
    {%- for unique_id in model.depends_on.nodes if unique_id.startswith('source.') -%}
        {%- set node = graph.sources[unique_id] -%}
        {%- if node.name == relation_alias -%}
            {{- return(node) -}}
        {%- endif -%}
    {%- endfor -%}
    {%- do exceptions.raise_compiler_error('spark source lookup: ' ~ model.name ~ ' reads no '
        ~ 'source table named ' ~ relation_alias ~ ' (row_to_json and '
        ~ 'select_erasure_deidentified need the CTE to be named after its source table)') -%}
{%- endmacro %}


{% macro spark__row_to_json(relation_alias, exclude=[]) -%}
    {#- The declared columns (Spark has no star-except), nulls kept as on DuckDB. -#}
    {%- if not execute or (model is mapping and model.get('resource_type') == 'unit_test') -%}
        to_json(struct({{ relation_alias }}.*))
    {%- else -%}
        {%- set node = cx_warehouse.spark_source_node_for_alias(relation_alias) -%}
        {%- set present = cx_warehouse.relation_column_names(
            source(node.source_name, node.name)) -%}
        {%- set fields = [] -%}
        {%- for column_name in node.columns.keys()
                if column_name not in exclude and column_name | lower in present -%}
            {%- do fields.append("'" ~ column_name ~ "', " ~ relation_alias ~ '.' ~ column_name) -%}
        {%- endfor -%}
        to_json(named_struct({{ fields | join(', ') }}), map('ignoreNullFields', 'false'))
    {%- endif -%}
{%- endmacro %}


{% macro spark__raw_row(relation_alias, exclude=[]) -%}
    {#- Spark builds the JSON text at once (row_to_json); raw_row_json passes it on. -#}
    {{- cx_warehouse.spark__row_to_json(relation_alias, exclude) -}}
{%- endmacro %}

{% macro spark__raw_row_json(raw_row_expr, exclude=[]) -%}
    {{- raw_row_expr -}}
{%- endmacro %}


{% macro spark__select_erasure_deidentified(table_name) -%}
    {%- if not execute or (model is mapping and model.get('resource_type') == 'unit_test') -%}
        {{- return('*') -}}
    {%- endif -%}
    {%- set deidentified = cx_warehouse.erasure_deidentified_columns() -%}
    {%- set node = cx_warehouse.spark_source_node_for_alias(table_name.split('.')[-1]) -%}
    {%- set present = cx_warehouse.relation_column_names(source(node.source_name, node.name)) -%}
    {%- set columns = [] -%}
    {%- for column_name in node.columns.keys() if column_name | lower in present -%}
        {%- if column_name in deidentified.get(table_name, []) -%}
            {%- do columns.append('case when ' ~ cx_warehouse.is_erased(table_name)
                ~ ' then null else ' ~ column_name ~ ' end as ' ~ column_name) -%}
        {%- else -%}
            {%- do columns.append(column_name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return((columns + ['filename', 'file_row_number']) | join(',\n        ')) -}}
{%- endmacro %}


{% macro spark__sender_name_pattern(name_word_expr) -%}
    {%- set edge = '[^\\p{L}\\p{N}_]' -%}
    {%- set words -%}
        array_join(array_sort(collect_set(regexp_replace({{ name_word_expr }},
            '([\\.^$|?*+()\[\]{}-])', '\\$1'))), '|')
    {%- endset -%}
    concat('(?i)(^|{{ edge }})(?:', {{ words }}, ')(?:{{ edge }}+(?:', {{ words }},
        '))*($|{{ edge }})')
{%- endmacro %}


{% macro spark__apply_grants(relation, grant_config, should_revoke=True) -%}
    {#- Open-source Spark with a Hive metastore enforces no GRANT; on Databricks (Unity
        Catalog) dbt-databricks applies +grants itself. -#}
    {%- if grant_config -%}
        {%- do log("grants " ~ grant_config ~ " on " ~ relation ~ " not applied: this Spark "
            ~ "catalog enforces no GRANT (DECISIONS.md, \"Running on Spark\")", info=False) -%}
    {%- endif -%}
{%- endmacro %}


{% macro spark_run_statements(statements) -%}
    {#- Spark runs one statement per call: a hook of several runs them here, one by one. -#}
    {%- for statement in statements if statement | trim -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {{- return('select 1') -}}
{%- endmacro %}


{% macro spark__create_receipt_lookups_audit_table() -%}
    {{- return(cx_warehouse.spark_run_statements([
        'create database if not exists audit',
        'create table if not exists audit.receipt_lookups (lookup_id string, user_name string,
            tool string, criteria string, result_count int, receipt_ids array<string>,
            customer_ids array<string>, duration_ms double, looked_up_at timestamp)
            using parquet',
    ])) -}}
{%- endmacro %}


{% macro spark__create_dbt_run_audit_tables() -%}
    {{- return(cx_warehouse.spark_run_statements([
        'create database if not exists audit',
        'create table if not exists audit.dbt_runs (invocation_id string, command string,
            target_name string, status string, dbt_version string, selected string,
            excluded string, nodes_total int, nodes_succeeded int, nodes_warned int,
            nodes_failed int, nodes_errored int, nodes_skipped int, elapsed_seconds double,
            run_started_at timestamp, run_ended_at timestamp) using parquet',
        'create table if not exists audit.dbt_model_runs (invocation_id string,
            unique_id string, resource_type string, node_name string, materialization string,
            relation_name string, status string, message string, row_count bigint,
            failures bigint, execution_seconds double, recorded_at timestamp) using parquet',
    ])) -}}
{%- endmacro %}


{% macro spark__record_dbt_run(results) -%}
    {#- The run log on Spark: one row per invocation into audit.dbt_runs and one per node into
        audit.dbt_model_runs (row counts are left null: counting every table again would cost
        a Spark job per table). -#}
    {%- set statuses = results | map(attribute='status') | map('string') | list -%}
    {%- set errored = statuses | select('in', ['error', 'runtime error']) | list | length -%}
    {%- set failed = statuses | select('equalto', 'fail') | list | length -%}
    {%- set warned = statuses | select('equalto', 'warn') | list | length -%}
    {%- set skipped = statuses | select('equalto', 'skipped') | list | length -%}
    {%- set run_status = 'error' if errored > 0 else ('fail' if failed > 0
        else ('warn' if warned > 0 else 'success')) -%}
    {%- set args = invocation_args_dict -%}
    {%- set started = run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') -%}
    {%- do cx_warehouse.spark__create_dbt_run_audit_tables() -%}
    {%- set run_row -%}
        insert into audit.dbt_runs
        select
            '{{ invocation_id }}',
            {{ cx_warehouse.dbt_run_audit_literal(flags.WHICH) }},
            {{ cx_warehouse.dbt_run_audit_literal(target.name) }},
            '{{ run_status }}',
            {{ cx_warehouse.dbt_run_audit_literal(dbt_version) }},
            {{ cx_warehouse.dbt_run_audit_literal(cx_warehouse.dbt_run_audit_selector(args.get('select'))) }},
            {{ cx_warehouse.dbt_run_audit_literal(cx_warehouse.dbt_run_audit_selector(args.get('exclude'))) }},
            {{ results | length }},
            {{ results | length - errored - failed - warned - skipped }},
            {{ warned }}, {{ failed }}, {{ errored }}, {{ skipped }},
            cast(unix_micros(current_timestamp()) - unix_micros(timestamp '{{ started }}') as double)
                / 1000000.0,
            timestamp '{{ started }}',
            current_timestamp()
    {%- endset -%}
    {%- do run_query(run_row) -%}
    {%- if results | length > 0 -%}
        {%- set rows = [] -%}
        {%- for result in results -%}
            {%- set node = result.node -%}
            {%- set is_relation = node.resource_type in ['model', 'seed', 'snapshot'] -%}
            {%- do rows.append('(' ~ [
                cx_warehouse.dbt_run_audit_literal(node.unique_id),
                cx_warehouse.dbt_run_audit_literal(node.resource_type),
                cx_warehouse.dbt_run_audit_literal(node.name),
                cx_warehouse.dbt_run_audit_literal(node.config.get('materialized')
                    if is_relation else none),
                cx_warehouse.dbt_run_audit_literal(node.relation_name if is_relation else none),
                cx_warehouse.dbt_run_audit_literal(result.status | string),
                cx_warehouse.dbt_run_audit_literal(result.message),
                cx_warehouse.dbt_run_audit_literal(result.failures
                    if node.resource_type in ['test', 'unit_test'] else none),
                (result.execution_time or 0) | string,
            ] | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- set node_rows -%}
            insert into audit.dbt_model_runs
            select
                '{{ invocation_id }}', node_results.unique_id, node_results.resource_type,
                node_results.node_name, node_results.materialization,
                node_results.relation_name, node_results.status,
                {{ cx_warehouse.redact_pii_text('node_results.message') }},
                cast(null as bigint), cast(node_results.failures as bigint),
                cast(node_results.execution_seconds as double), current_timestamp()
            from values {{ rows | join(',\n') }} as node_results (
                unique_id, resource_type, node_name, materialization, relation_name, status,
                message, failures, execution_seconds
            )
        {%- endset -%}
        {%- do run_query(node_rows) -%}
    {%- endif -%}
    {{- return('select 1') -}}
{%- endmacro %}


{% macro spark__sql_string_literal(value) -%}
    {#- A quote inside the value is chr(39): Spark's session cursor has no quote escape that
        works with escapedStringLiterals (a backslash is a character there). -#}
    '{{ value | string | replace("'", "' || chr(39) || '") }}'
{%- endmacro %}


{% macro spark__load_csv_rows(model, agate_table) -%}
    {#- dbt-spark's seed loader binds values as '<value>' unescaped (an apostrophe breaks the
        insert, an empty cell becomes the text 'None'); this one writes each value as a
        literal: null, a number, or a string literal (spark__sql_string_literal). -#}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                    {%- set type = column_override.get(col_name, inferred_type) -%}
                    {%- set value = row[loop.index0] -%}
                    {%- if value is none -%}
                        cast(null as {{ type }})
                    {%- elif value is sameas true or value is sameas false -%}
                        {{ 'true' if value else 'false' }}
                    {%- elif value is number -%}
                        cast({{ value }} as {{ type }})
                    {%- else -%}
                        cast({{ cx_warehouse.sql_string_literal(value) }} as {{ type }})
                    {%- endif -%}
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{%- endmacro %}


{% macro spark_type(data_type) -%}
    {#- A column type as the YAML declares it (DuckDB spelling) in Spark's: varchar -> string,
        x[] and x[n] -> array<x>, timestamp with time zone -> timestamp. -#}
    {%- set declared = data_type | string | trim | lower -%}
    {%- set array_match = modules.re.match('^(.*?)\\s*\\[\\s*[0-9]*\\s*\\]$', declared) -%}
    {%- if array_match -%}
        {{- return('array<' ~ cx_warehouse.spark_type(array_match.group(1)) ~ '>') -}}
    {%- endif -%}
    {%- set mapping = {'varchar': 'string', 'text': 'string',
        'timestamp with time zone': 'timestamp', 'timestamptz': 'timestamp',
        'hugeint': 'decimal(38,0)', 'ubigint': 'decimal(20,0)', 'real': 'float'} -%}
    {{- return(mapping.get(declared, declared)) -}}
{%- endmacro %}


{% macro spark__get_empty_schema_sql(columns) -%}
    {#- dbt's contract check casts null to each declared type: the declared (DuckDB-spelled)
        type in Spark's spelling (spark_type), so one contract serves both engines. -#}
    {%- set translated = {} -%}
    {%- for name, column in columns.items() -%}
        {%- set copy = dict(column) -%}
        {%- if copy.get('data_type') -%}
            {%- do copy.update({'data_type': cx_warehouse.spark_type(copy['data_type'])}) -%}
        {%- endif -%}
        {%- do translated.update({name: copy}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(translated)) }}
{%- endmacro %}


{% macro spark_regex_replacement(replacement) -%}
    {#- A DuckDB (RE2) replacement in Java's syntax: \1 -> $1, a literal $ escaped. -#}
    {{- return(modules.re.sub('\\\\([0-9])', '$\\1', replacement | replace('$', '\\$'))) -}}
{%- endmacro %}


{% macro spark__regex_replace_all(expr, pattern, replacement) -%}
    {#- Spark's regexp_replace replaces every match (its 4th argument is a position, not
        flags). -#}
    regexp_replace(
        {{ expr }},
        {{ cx_warehouse.sql_string_literal(pattern) }},
        {{ cx_warehouse.sql_string_literal(cx_warehouse.spark_regex_replacement(replacement)) }}
    )
{%- endmacro %}


{% macro spark__redact_sender_names(expr, pattern_expr, words_expr=none) -%}
    case
        when {{ pattern_expr }} is null then {{ expr }}
    {%- if words_expr is not none %}
        when not coalesce(exists(
            {{ words_expr }}, name_word -> contains(lower({{ expr }}), name_word)
        ), true) then {{ expr }}
    {%- endif %}
        else regexp_replace({{ expr }}, {{ pattern_expr }}, '$1[NAME]$2')
    end
{%- endmacro %}


{% macro spark__split_part(string_text, delimiter_text, part_number) -%}
    {#- Spark's own split_part (a literal delimiter, '' past the last part, as DuckDB's):
        dbt-spark's regex-escaping version writes '\\', which means two backslashes under
        escapedStringLiterals. -#}
    split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }})
{%- endmacro %}


{% macro spark__escape_single_quotes(expression) -%}
    {#- Inside a quoted literal: a quote closes it, chr(39) and reopens it (a backslash escape
        is a character under escapedStringLiterals). -#}
    {{ expression | replace("'", "' || chr(39) || '") }}
{%- endmacro %}


{% macro spark__cast(field, type) -%}
    {#- dbt.cast (unit-test fixtures, contract checks) with the declared type in Spark's
        spelling (spark_type): the YAML declares DuckDB's (varchar, x[]). -#}
    cast({{ field }} as {{ cx_warehouse.spark_type(type) }})
{%- endmacro %}


{% macro spark__safe_cast(field, type) -%}
    {#- dbt.safe_cast (unit-test fixtures) likewise; Spark's try_cast is null on a bad value.
        Spark cannot cast text to a list: a list written as text in a fixture ('[1, 2]',
        "['a']", as DuckDB casts it) is parsed as JSON (single quotes allowed), null if bad. -#}
    {%- set spark_type = cx_warehouse.spark_type(type) -%}
    {%- if spark_type.startswith('array<') and field | trim | lower != 'null' -%}
        from_json({{ field }}, '{{ spark_type }}')
    {%- else -%}
        try_cast({{ field }} as {{ spark_type }})
    {%- endif -%}
{%- endmacro %}
