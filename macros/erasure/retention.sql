{#-
    Retention windows per layer (DECISIONS.md, "Retention": raw email text 90 days, curated
    email and chat detail 365, metric aggregates 730). var('retention_days') holds the days per
    layer; every window is counted back from as_of_at(), the data's own clock, not the wall clock.
-#}

{% macro retention_days(layer) -%}
    {%- set windows = var('retention_days') -%}
    {%- if layer not in windows -%}
        {{- exceptions.raise_compiler_error(
            "retention_days: unknown layer '" ~ layer ~ "'. var('retention_days') has: "
            ~ (windows.keys() | list | join(', ')) ~ "."
        ) -}}
    {%- endif -%}
    {{- return(windows[layer] | int) -}}
{%- endmacro %}


{% macro retention_cutoff_at(layer) -%}
    {{ dbt.dateadd('day', -1 * cx_warehouse.retention_days(layer), cx_warehouse.as_of_at()) }}
{%- endmacro %}


{% macro is_retained(expr, layer) -%}
    (
        {{ expr }} is null
        or cast({{ expr }} as {{ dbt.type_timestamp() }})
        > {{ cx_warehouse.retention_cutoff_at(layer) }}
    )
{%- endmacro %}


{% macro purge_raw_email_text() -%}
    {#- Post-hook of base_email__emails: the email as received (kept for rejected rows only) is
        purged once it is older than retention_days.raw_email_text, as in its quarantine. -#}
    {%- if not cx_warehouse.stored_rows_updatable() -%}
        {{- return('select 1') -}}
    {%- endif -%}
    {{- return('update ' ~ this ~ ' set raw_record = null where raw_record is not null and not '
        ~ cx_warehouse.is_retained('received_at', 'raw_email_text')) -}}
{%- endmacro %}
