{#-
    Retention windows per layer (DECISIONS.md, "Retention": raw email text 90 days, curated
    email and chat detail 365, metric aggregates 730). var('retention_days') holds the days per
    layer; every window is counted back from as_of_at(), the data's own clock, never from now().
-#}

{#- Days a layer keeps data: var('retention_days')[layer]; an unknown layer is an error. -#}
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


{#- The instant before which a layer's data has expired: as_of_at() - retention_days(layer). -#}
{% macro retention_cutoff_at(layer) -%}
    {{ dbt.dateadd('day', -1 * cx_warehouse.retention_days(layer), cx_warehouse.as_of_at()) }}
{%- endmacro %}


{#- True while the time `expr` (a timestamp, or a period's first day) is inside the layer's
    window: after retention_cutoff_at(layer). A null time has no age and is kept. -#}
{% macro is_retained(expr, layer) -%}
    (
        {{ expr }} is null
        or cast({{ expr }} as {{ dbt.type_timestamp() }})
        > {{ cx_warehouse.retention_cutoff_at(layer) }}
    )
{%- endmacro %}
