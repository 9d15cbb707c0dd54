{% macro nullif_blank(expr) -%}
    nullif(
        {{ cx_warehouse.regex_replace_all(
            'cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ ')', '^\\s+|\\s+$', ''
        ) }},
        ''
    )
{%- endmacro %}


{% macro digits_only(expr) -%}
    nullif(
        {{ cx_warehouse.regex_replace_all(
            'cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ ')', '[^0-9]+', ''
        ) }},
        ''
    )
{%- endmacro %}


{% macro ordered_listagg(measure, delimiter_text, order_by_expr) -%}
    {#- dbt.listagg with an order: dbt-spark's listagg ignores the order by, so Spark collects
        (order, value) pairs and sorts them. -#}
    {{- return(adapter.dispatch('ordered_listagg', 'cx_warehouse')(
        measure, delimiter_text, order_by_expr)) -}}
{%- endmacro %}


{% macro default__ordered_listagg(measure, delimiter_text, order_by_expr) -%}
    {{ dbt.listagg(measure, delimiter_text, 'order by ' ~ order_by_expr) }}
{%- endmacro %}


{% macro spark__ordered_listagg(measure, delimiter_text, order_by_expr) -%}
    array_join(transform(
        array_sort(collect_list(struct({{ order_by_expr }} as sort_key, {{ measure }} as value))),
        listagg_pair -> listagg_pair.value
    ), {{ delimiter_text }})
{%- endmacro %}


{#- Lists, portably (DuckDB lists, Spark arrays). -#}

{% macro regex_extract_all(expr, pattern) -%}
    {#- Every match of pattern (a SQL string literal) in expr, in order. -#}
    {{- return(adapter.dispatch('regex_extract_all', 'cx_warehouse')(expr, pattern)) -}}
{%- endmacro %}

{% macro duckdb__regex_extract_all(expr, pattern) -%}
    regexp_extract_all({{ expr }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regex_extract_all(expr, pattern) -%}
    regexp_extract_all({{ expr }}, {{ pattern }}, 0)
{%- endmacro %}


{% macro sorted_distinct(list_expr) -%}
    {{- return(adapter.dispatch('sorted_distinct', 'cx_warehouse')(list_expr)) -}}
{%- endmacro %}

{% macro duckdb__sorted_distinct(list_expr) -%}
    list_sort(list_distinct({{ list_expr }}))
{%- endmacro %}

{% macro spark__sorted_distinct(list_expr) -%}
    array_sort(array_distinct({{ list_expr }}))
{%- endmacro %}


{% macro unnest_list(list_expr) -%}
    {#- A select-list item: one row per element of the list. -#}
    {{- return(adapter.dispatch('unnest_list', 'cx_warehouse')(list_expr)) -}}
{%- endmacro %}

{% macro duckdb__unnest_list(list_expr) -%}
    unnest({{ list_expr }})
{%- endmacro %}

{% macro spark__unnest_list(list_expr) -%}
    explode({{ list_expr }})
{%- endmacro %}


{% macro distinct_list_agg(expr) -%}
    {#- Aggregate: the distinct values of expr as a list (in no particular order). -#}
    {{- return(adapter.dispatch('distinct_list_agg', 'cx_warehouse')(expr)) -}}
{%- endmacro %}

{% macro duckdb__distinct_list_agg(expr) -%}
    list(distinct {{ expr }})
{%- endmacro %}

{% macro spark__distinct_list_agg(expr) -%}
    collect_set({{ expr }})
{%- endmacro %}


{% macro count_in_list(list_expr, element, condition) -%}
    {#- How many elements of the list (each called `element`) meet condition; 0 for null. -#}
    {{- return(adapter.dispatch('count_in_list', 'cx_warehouse')(list_expr, element, condition)) -}}
{%- endmacro %}

{% macro duckdb__count_in_list(list_expr, element, condition) -%}
    coalesce(len(list_filter({{ list_expr }}, lambda {{ element }}: {{ condition }})), 0)
{%- endmacro %}

{% macro spark__count_in_list(list_expr, element, condition) -%}
    coalesce(array_size(filter({{ list_expr }}, {{ element }} -> {{ condition }})), 0)
{%- endmacro %}


{% macro list_length(list_expr) -%}
    {#- The number of elements of a list; null for a null list. -#}
    {{- return(adapter.dispatch('list_length', 'cx_warehouse')(list_expr)) -}}
{%- endmacro %}

{% macro duckdb__list_length(list_expr) -%}
    len({{ list_expr }})
{%- endmacro %}

{% macro spark__list_length(list_expr) -%}
    array_size({{ list_expr }})
{%- endmacro %}


{% macro empty_text_list() -%}
    {#- An empty list of text (the type of a text list column). -#}
    {{- return(adapter.dispatch('empty_text_list', 'cx_warehouse')()) -}}
{%- endmacro %}

{% macro duckdb__empty_text_list() -%}
    cast([] as varchar[])
{%- endmacro %}

{% macro spark__empty_text_list() -%}
    cast(array() as array<string>)
{%- endmacro %}


{% macro text_type() -%}
    {#- The text type in a cast: varchar on DuckDB, string on Spark (whose varchar needs a
        length). -#}
    {{- return(adapter.dispatch('text_type', 'cx_warehouse')()) -}}
{%- endmacro %}

{% macro default__text_type() -%}
    {{- return('varchar') -}}
{%- endmacro %}

{% macro spark__text_type() -%}
    {{- return('string') -}}
{%- endmacro %}


{% macro star_replace(column_name, expr) -%}
    {#- Select-list items: every column of the relation, with column_name replaced by expr. -#}
    {{- return(adapter.dispatch('star_replace', 'cx_warehouse')(column_name, expr)) -}}
{%- endmacro %}

{% macro duckdb__star_replace(column_name, expr) -%}
    * replace ({{ expr }} as {{ column_name }})
{%- endmacro %}

{% macro spark__star_replace(column_name, expr) -%}
    {#- Spark has no star-replace: every other column by a quoted regular expression
        (spark.sql.parser.quotedRegexColumnNames, cx_warehouse/spark_runner.py), then the new
        one (last, where DuckDB keeps the column's place). -#}
    `(?!{{ column_name }}$).+`,
    {{ expr }} as {{ column_name }}
{%- endmacro %}
