{#-
    DuckDB has no GRANT statement. dbt-duckdb warns once per run when a model has a grants config;
    the restricted folder's grants are meant for engines that have them, so on DuckDB this logs the
    fact at debug level instead. The restricted schema is kept from BI users by publishing only
    public schemas to the serving file (README, "Trust").
-#}
{% macro duckdb__apply_grants(relation, grant_config, should_revoke=True) -%}
    {%- if grant_config -%}
        {%- do log("grants " ~ grant_config ~ " on " ~ relation
            ~ " not applied: DuckDB has no GRANT (restricted data is kept out of the serving file)",
            info=False) -%}
    {%- endif -%}
{%- endmacro %}
