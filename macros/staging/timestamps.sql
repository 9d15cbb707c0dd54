{#- Parse an ISO-8601 text timestamp (with Z, an offset, or none = UTC) to a UTC timestamp. -#}
{% macro parse_utc_timestamp(expr) -%}
    {{ return(adapter.dispatch('parse_utc_timestamp', 'cx_warehouse')(expr)) }}
{%- endmacro %}

{% macro duckdb__parse_utc_timestamp(expr) -%}
    cast(timezone('UTC', try_cast({{ expr }} as timestamptz)) as timestamp)
{%- endmacro %}

{#- The data's own clock: extracted_at from the landing manifest (staging only). -#}
{% macro extracted_at() -%}
    (select max(extracted_at) from {{ ref('stg_landing__extracts') }})
{%- endmacro %}


{#- The "as of" instant for marts: var('as_of_at') when given, else the extract's clock. -#}
{% macro as_of_at() -%}
    {%- if var('as_of_at', none) is not none -%}
        cast('{{ var("as_of_at") }}' as timestamp)
    {%- else -%}
        {{ extracted_at() }}
    {%- endif -%}
{%- endmacro %}
