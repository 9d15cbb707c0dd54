{#- The post-build PII scan (models/audit/audit_pii_scan.sql): which relations it reads, and
    how much of each. -#}

{#- A relation's rows of one load never change once stored (erasure and retention only take
    values away) when it is an incremental model, or a view whose every parent is such a
    relation: the scan then reads only the loads it has not read under the same code. Returns
    the dbt node of a relation ('schema', 'name') or none. -#}
{% macro pii_scan_node(schema_name, relation_name) -%}
    {%- for node in graph.nodes.values()
            if node.resource_type in ['model', 'seed']
            and (node.schema | lower) == (schema_name | lower)
            and ((node.alias or node.name) | lower) == (relation_name | lower) -%}
        {{- return(node) -}}
    {%- endfor -%}
    {{- return(none) -}}
{%- endmacro %}

{% macro pii_scan_load_basis(node) -%}
    {#- The checksums of the code a load-scoped relation's rows come from (its own and its
        ancestors' up to the incremental models), joined; none when its rows of a stored load
        may change (a table rebuilt each time, a view over one, a source read by a view). -#}
    {%- set materialized = node.config.materialized -%}
    {%- if node.resource_type != 'model' -%}
        {{- return(none) -}}
    {%- elif materialized == 'incremental' -%}
        {{- return(node.unique_id ~ '=' ~ node.checksum.checksum) -}}
    {%- elif materialized != 'view' -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set parts = [node.unique_id ~ '=' ~ node.checksum.checksum] -%}
    {%- for parent_id in node.depends_on.nodes -%}
        {%- set parent = graph.nodes.get(parent_id) -%}
        {%- set parent_basis = cx_warehouse.pii_scan_load_basis(parent) if parent else none -%}
        {%- if parent_basis is none -%}
            {{- return(none) -}}
        {%- endif -%}
        {%- do parts.append(parent_basis) -%}
    {%- endfor -%}
    {{- return(parts | join(';')) -}}
{%- endmacro %}

{% macro pii_scan_plan(excluded_schemas, skipped_relations=[]) -%}
    {#- One dict per relation the scan reads: relation (quoted), relation_name
        (schema.name), columns (its text columns), and basis: a short hash of the code its
        rows come from when the relation can be read load by load (it has a source_load
        column and pii_scan_load_basis is not none), else none (read whole every time). -#}
    {%- set columns_by_relation = {} -%}
    {%- for row in cx_warehouse.pii_scan_text_columns(excluded_schemas) -%}
        {%- set relation_name = row[0] ~ '.' ~ row[1] -%}
        {%- if relation_name | lower not in skipped_relations -%}
            {%- do columns_by_relation.setdefault(relation_name, []).append(row[2]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set plan = [] -%}
    {%- for relation_name, columns in columns_by_relation.items() -%}
        {%- set schema_name, name = relation_name.split('.', 1) -%}
        {%- set node = cx_warehouse.pii_scan_node(schema_name, name) -%}
        {%- set basis = none -%}
        {%- if node is not none and 'source_load' in (columns | map('lower') | list) -%}
            {%- set code_basis = cx_warehouse.pii_scan_load_basis(node) -%}
            {%- set basis = local_md5(code_basis)[:16] if code_basis is not none else none -%}
        {%- endif -%}
        {%- do plan.append({
            'relation': adapter.quote(schema_name) ~ '.' ~ adapter.quote(name),
            'relation_name': relation_name,
            'columns': columns,
            'basis': basis,
        }) -%}
    {%- endfor -%}
    {{- return(plan) -}}
{%- endmacro %}
