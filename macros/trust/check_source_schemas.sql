{% macro check_source_schemas() -%}
    {{- return(adapter.dispatch('check_source_schemas', 'cx_warehouse')()) -}}
{%- endmacro %}


{% macro duckdb__check_source_schemas() -%}
    {%- if not execute -%}
        {{- return('select 1') -}}
    {%- endif -%}
    {%- set checks = [] -%}
    {%- for node in graph.sources.values() | sort(attribute='unique_id') -%}
        {%- set location = node.meta.get('external_location')
            or node.source_meta.get('external_location') -%}
        {%- if location -%}
            {%- set relation = source(node.source_name, node.name) | string -%}
            {%- set path_match = modules.re.search("'([^']+)'", relation) -%}
            {%- if path_match -%}
                {%- do checks.append({
                    'node': node,
                    'relation': relation,
                    'path': path_match.group(1),
                }) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if checks | length == 0 -%}
        {{- return('select 1') -}}
    {%- endif -%}

    {#- One query for the size of every file that exists (glob: a missing file is no row). -#}
    {%- set globs = [] -%}
    {%- for check in checks -%}
        {%- do globs.append('select ' ~ loop.index0 ~ ' as check_index, globbed.file as file_path'
            ~ ' from glob(' ~ sql_quoted(check.path) ~ ') as globbed') -%}
    {%- endfor -%}
    {%- set found = run_query(globs | join(' union all ')) -%}
    {#- Every copy a source reads: the landing folder's root and its daily load folders
        loads/<YYYY-MM-DD>/ (docs/raw_source_contract.md); a copy anywhere else is a stray. -#}
    {%- set existing = {} -%}
    {%- set newest = {} -%}
    {%- set strays = [] -%}
    {%- for row in found.rows | sort(attribute='file_path') -%}
        {%- set check = checks[row['check_index']] -%}
        {%- set root = check.path.split('/**/')[0] -%}
        {%- set folder = row['file_path'][root | length + 1:].rpartition('/')[0] -%}
        {%- if folder == '' or modules.re.match('^loads/[0-9]{4}-[0-9]{2}-[0-9]{2}$', folder) -%}
            {%- do existing.setdefault(row['check_index'], []).append(row['file_path']) -%}
            {%- do newest.update({row['check_index']: row['file_path']}) -%}
        {%- else -%}
            {%- do strays.append(row['file_path'] ~ ': a stray copy of ' ~ check.node.source_name
                ~ '.' ~ check.node.name ~ ' outside the landing folder root and its '
                ~ 'loads/<YYYY-MM-DD>/ folders; the source would read it too. Move it out.') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set sizes = {} -%}
    {%- if existing | length > 0 -%}
        {%- set quoted_paths = [] -%}
        {%- for file_paths in existing.values() -%}
            {%- for file_path in file_paths -%}
                {%- do quoted_paths.append(sql_quoted(file_path)) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set blob_sql = 'select filename, size from read_blob(['
            ~ quoted_paths | join(', ') ~ '])' -%}
        {%- for row in run_query(blob_sql).rows -%}
            {%- do sizes.update({row['filename']: row['size']}) -%}
        {%- endfor -%}
    {%- endif -%}

    {%- set errors = strays -%}
    {%- set checked = [] -%}
    {%- for check in checks -%}
        {%- set node = check.node -%}
        {%- set file_paths = existing.get(loop.index0, []) -%}
        {%- set file_path = file_paths[0] if file_paths else none -%}
        {#- Named by the file read first (the full extract's at the root when there is one). -#}
        {%- set label = node.source_name ~ '.' ~ node.name ~ ' ('
            ~ (file_path or check.path.replace('/**/', '/')) ~ ')' -%}
        {%- set is_optional = is_optional_here(node.meta.get('optional')) -%}
        {%- set empty_files = [] -%}
        {%- for candidate in file_paths if sizes.get(candidate, 1) == 0 -%}
            {%- do empty_files.append(candidate) -%}
        {%- endfor -%}
        {%- set is_empty = empty_files | length > 0 -%}
        {%- if file_path is none and is_optional -%}
            {%- do log(label ~ ': file not present; optional on target ' ~ target.name ~ '.',
                info=true) -%}
        {%- endif -%}
        {%- if file_path is none and not is_optional -%}
            {%- do errors.append(label ~ ': file not found. Put the export there, or set '
                ~ 'CX_RAW_DIR to the landing folder that holds it (now '
                ~ env_var('CX_RAW_DIR', '<unset: data/raw>') ~ ').') -%}
        {%- endif -%}
        {%- if is_empty -%}
            {%- do errors.append(label ~ ': ' ~ empty_files | join(', ')
                ~ ' empty (0 bytes). Re-export it; '
                ~ 'scripts/check_raw.py checks every raw file before a build.') -%}
        {%- endif -%}
        {%- if file_path is not none and not is_empty -%}
            {#- The read binds to the first file; the newest load is checked too (every load
                was the newest once, so each is checked when it arrives). -#}
            {%- do errors.extend(source_column_drift(node, check.relation, label)) -%}
            {%- set newest_file = newest.get(loop.index0) -%}
            {%- if newest_file != file_path -%}
                {%- set newest_label = node.source_name ~ '.' ~ node.name ~ ' (' ~ newest_file
                    ~ ')' -%}
                {%- do errors.extend(source_column_drift(node,
                    check.relation.replace(check.path, newest_file), newest_label)) -%}
            {%- endif -%}
            {%- do checked.append(label) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- if errors | length > 0 -%}
        {%- do exceptions.raise_compiler_error(
            'Source schema drift: ' ~ errors | length ~ ' problem(s) in the landing folder:\n  - '
            ~ errors | join('\n  - ')) -%}
    {%- endif -%}
    {%- do log('Source schemas: ' ~ checked | length ~ ' raw file(s) checked; every declared '
        ~ 'column is present with its declared type.', info=true) -%}
    {{- return('select 1') -}}
{%- endmacro %}

{% macro source_column_drift(node, relation, label) -%}
    {%- set reader_columns = ['file_row_number', 'filename', 'ordinality'] -%}
    {%- set errors = [] -%}
    {%- set fix_yaml = node.original_file_path -%}
    {%- set described = run_query(
        'describe select * from ' ~ relation ~ ' limit 0') -%}
    {%- set actual = {} -%}
    {%- for row in described.rows -%}
        {%- do actual.update({row['column_name'] | lower: row['column_type']}) -%}
    {%- endfor -%}
    {%- set declared = {} -%}
    {%- for column in node.columns.values() -%}
        {%- do declared.update({column.name | lower: column}) -%}
    {%- endfor -%}
    {%- for name, column in declared.items() -%}
        {%- set declared_type = normalized_data_type(column.data_type or '') -%}
        {%- set actual_type = normalized_data_type(actual.get(name, '')) -%}
        {%- set is_missing = name not in actual
            and not is_optional_here(column.meta.get('optional')) -%}
        {%- set is_retyped = name in actual and declared_type and declared_type != actual_type -%}
        {%- if is_missing -%}
            {%- do errors.append(label ~ ': column ' ~ name ~ ' is missing (declared '
                ~ (declared_type or 'without a type') ~ ' in ' ~ fix_yaml ~ ').') -%}
        {%- endif -%}
        {%- if is_retyped -%}
            {%- do errors.append(label ~ ': column ' ~ name ~ ' was ' ~ declared_type
                ~ ', is now ' ~ actual_type ~ '. Fix the export, or change its data_type in '
                ~ fix_yaml ~ ' and the models that read it.') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name, data_type in actual.items() -%}
        {%- if name not in declared and name not in reader_columns -%}
            {%- do exceptions.warn('Source schema drift: ' ~ label ~ ': new column '
                ~ name ~ ' (' ~ data_type ~ ') is not declared and is ignored; declare '
                ~ 'it in ' ~ fix_yaml ~ ' when a model should read it.') -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(errors) -}}
{%- endmacro %}


{% macro normalized_data_type(data_type) -%}
    {%- set collapsed = modules.re.sub('\\s+', ' ', data_type | string | trim | upper) -%}
    {{- return(modules.re.sub('\\s*,\\s*', ',', collapsed)) -}}
{%- endmacro %}


{% macro is_optional_here(optional) -%}
    {%- if optional is sequence and optional is not string -%}
        {{- return(target.name in optional) -}}
    {%- endif -%}
    {{- return(optional is true) -}}
{%- endmacro %}


{% macro sql_quoted(text) -%}
    {{- return("'" ~ (text | string | replace("'", "''")) ~ "'") -}}
{%- endmacro %}
