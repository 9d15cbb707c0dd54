{% macro duckdb__apply_grants(relation, grant_config, should_revoke=True) -%}
    {%- if grant_config -%}
        {%- do log("grants " ~ grant_config ~ " on " ~ relation
            ~ " not applied: DuckDB has no GRANT (restricted data is kept out of the serving file)",
            info=False) -%}
    {%- endif -%}
{%- endmacro %}
