{% macro create_dbt_run_audit_tables() -%}
    {{- return(adapter.dispatch('create_dbt_run_audit_tables', 'cx_warehouse')()) -}}
{%- endmacro %}

{% macro duckdb__create_dbt_run_audit_tables() -%}
    create schema if not exists audit;
    create table if not exists audit.dbt_runs (
        invocation_id varchar,
        command varchar,
        target_name varchar,
        status varchar,
        dbt_version varchar,
        selected varchar,
        excluded varchar,
        nodes_total integer,
        nodes_succeeded integer,
        nodes_warned integer,
        nodes_failed integer,
        nodes_errored integer,
        nodes_skipped integer,
        elapsed_seconds double,
        run_started_at timestamp with time zone,
        run_ended_at timestamp with time zone
    );
    create table if not exists audit.dbt_model_runs (
        invocation_id varchar,
        unique_id varchar,
        resource_type varchar,
        node_name varchar,
        materialization varchar,
        relation_name varchar,
        status varchar,
        message varchar,
        row_count bigint,
        failures bigint,
        execution_seconds double,
        recorded_at timestamp with time zone
    )
{%- endmacro %}

{% macro dbt_run_audit_literal(value, max_length=1000) -%}
    {%- if value is none -%}
        null
    {%- elif value is number and value is not boolean -%}
        {{ value }}
    {%- else -%}
        '{{ (value | string)[:max_length] | replace("'", "''") }}'
    {%- endif -%}
{%- endmacro %}


{% macro dbt_run_audit_selector(value) -%}
    {%- if value is none or value | length == 0 -%}
        {{ return(none) }}
    {%- elif value is string -%}
        {{ return(value) }}
    {%- else -%}
        {{ return(value | join(' ')) }}
    {%- endif -%}
{%- endmacro %}


{% macro dbt_run_audit_row_counts_sql(results) -%}
    {%- set count_views = var('observability_count_views', false) -%}
    {%- set existing = {} -%}
    {%- set catalog_query -%}
        select lower(table_schema) || '.' || lower(table_name) as relation_key, table_type
        from information_schema.tables
        where table_catalog = '{{ target.database }}'
    {%- endset -%}
    {%- for row in run_query(catalog_query).rows -%}
        {%- do existing.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {%- set counts = [] -%}
    {%- set counted = [] -%}
    {%- for result in results -%}
        {%- set node = result.node -%}
        {%- if node.resource_type in ['model', 'seed', 'snapshot']
                and result.status == 'success' -%}
            {%- set key = (node.schema ~ '.' ~ (node.alias or node.name)) | lower -%}
            {%- set table_type = existing.get(key) -%}
            {%- if key not in counted and (table_type == 'BASE TABLE'
                    or (count_views and table_type == 'VIEW')) -%}
                {%- do counted.append(key) -%}
                {%- do counts.append(
                    "select '" ~ key ~ "' as relation_key, count(*) as row_count from "
                    ~ adapter.quote(node.schema) ~ '.' ~ adapter.quote(node.alias or node.name)
                ) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if counts | length == 0 -%}
        {%- do counts.append(
            'select cast(null as varchar) as relation_key, cast(null as bigint) as row_count'
            ~ ' where false'
        ) -%}
    {%- endif -%}
    {{ return(counts | join('\nunion all\n')) }}
{%- endmacro %}


{% macro record_dbt_run(results) -%}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {{ return(adapter.dispatch('record_dbt_run', 'cx_warehouse')(results)) }}
{%- endmacro %}

{% macro duckdb__record_dbt_run(results) -%}
    {%- set statuses = results | map(attribute='status') | map('string') | list -%}
    {%- set errored = statuses | select('in', ['error', 'runtime error']) | list | length -%}
    {%- set failed = statuses | select('equalto', 'fail') | list | length -%}
    {%- set warned = statuses | select('equalto', 'warn') | list | length -%}
    {%- set skipped = statuses | select('equalto', 'skipped') | list | length -%}
    {%- set run_status = 'error' if errored > 0 else ('fail' if failed > 0
        else ('warn' if warned > 0 else 'success')) -%}
    {%- set args = invocation_args_dict -%}
    {%- set started = run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ '+00' -%}
    {{ create_dbt_run_audit_tables() }};

    insert into audit.dbt_runs
    select
        '{{ invocation_id }}' as invocation_id,
        {{ dbt_run_audit_literal(flags.WHICH) }} as command,
        {{ dbt_run_audit_literal(target.name) }} as target_name,
        '{{ run_status }}' as status,
        {{ dbt_run_audit_literal(dbt_version) }} as dbt_version,
        {{ dbt_run_audit_literal(dbt_run_audit_selector(args.get('select'))) }} as selected,
        {{ dbt_run_audit_literal(dbt_run_audit_selector(args.get('exclude'))) }} as excluded,
        {{ results | length }} as nodes_total,
        {{ results | length - errored - failed - warned - skipped }} as nodes_succeeded,
        {{ warned }} as nodes_warned,
        {{ failed }} as nodes_failed,
        {{ errored }} as nodes_errored,
        {{ skipped }} as nodes_skipped,
        epoch(current_timestamp) - epoch(cast('{{ started }}' as timestamp with time zone))
            as elapsed_seconds,
        cast('{{ started }}' as timestamp with time zone) as run_started_at,
        current_timestamp as run_ended_at;

    {% if results | length > 0 -%}
    insert into audit.dbt_model_runs
    with node_results (
        unique_id, resource_type, node_name, materialization, relation_key, relation_name,
        status, message, failures, execution_seconds
    ) as (
        values
        {%- for result in results %}
            {%- set node = result.node %}
            {%- set relation_key = (node.schema ~ '.' ~ (node.alias or node.name)) | lower
                if node.resource_type in ['model', 'seed', 'snapshot'] else none %}
            (
                {{ dbt_run_audit_literal(node.unique_id) }},
                {{ dbt_run_audit_literal(node.resource_type) }},
                {{ dbt_run_audit_literal(node.name) }},
                {{ dbt_run_audit_literal(node.config.get('materialized')
                    if node.resource_type in ['model', 'seed', 'snapshot'] else none) }},
                {{ dbt_run_audit_literal(relation_key) }},
                {{ dbt_run_audit_literal(node.relation_name
                    if node.resource_type in ['model', 'seed', 'snapshot'] else none) }},
                {{ dbt_run_audit_literal(result.status | string) }},
                {{ dbt_run_audit_literal(result.message) }},
                {{ dbt_run_audit_literal(result.failures
                    if node.resource_type in ['test', 'unit_test'] else none) }},
                {{ result.execution_time or 0 }}
            ){{ "," if not loop.last }}
        {%- endfor %}
    ),

    relation_counts as (
        {{ dbt_run_audit_row_counts_sql(results) | indent(8) }}
    )

    select
        '{{ invocation_id }}' as invocation_id,
        node_results.unique_id,
        node_results.resource_type,
        node_results.node_name,
        node_results.materialization,
        node_results.relation_name,
        node_results.status,
        {{ redact_pii_text('node_results.message') }} as message,
        relation_counts.row_count,
        cast(node_results.failures as bigint) as failures,
        cast(node_results.execution_seconds as double) as execution_seconds,
        current_timestamp as recorded_at
    from node_results
    left join relation_counts
        on node_results.relation_key = relation_counts.relation_key
    {%- endif %}
{%- endmacro %}
