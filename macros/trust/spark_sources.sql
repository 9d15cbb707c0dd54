{#-
    Raw sources on Spark (README, "Running on Spark"). On DuckDB a source is read through its
    `meta.external_location` (read_parquet / read_csv / read_json over the landing folder). On
    Spark the same files become, at the start of every dbt command (check_source_schemas,
    on-run-start), an external table `<source>.<table>__files` over the landing folder (every
    file of that name at its root and in loads/<YYYY-MM-DD>/: recursiveFileLookup with the file
    name as pathGlobFilter; dropping it never deletes a file) and a view `<source>.<table>` with
    the columns the DuckDB readers add: `filename` and `file_row_number` (Parquet) or
    `ordinality` (text readers, 1-based per file). A `<table>__listing` binaryFile table lists
    the files (path, size) for the existence and empty-file checks, as DuckDB's glob/read_blob.
-#}

{% macro spark_raw_reads() -%}
    {#- One entry per source with an external_location: node, relation, format, root, file. -#}
    {%- set reads = [] -%}
    {%- for node in graph.sources.values() | sort(attribute='unique_id') -%}
        {%- set location = node.meta.get('external_location')
            or node.source_meta.get('external_location') -%}
        {%- if location -%}
            {%- set location = location.replace('{name}', node.name).replace('$name', node.name) -%}
            {%- set path = modules.re.search("'([^']+)'", location).group(1) -%}
            {%- set parts = path.split('/**/') -%}
            {%- set file_name = parts[-1] -%}
            {%- set extension = file_name.rpartition('.')[2] -%}
            {%- set format = {'parquet': 'parquet', 'jsonl': 'lines', 'csv': 'csv',
                'json': 'json'}.get(extension) -%}
            {%- if format is none -%}
                {%- do exceptions.raise_compiler_error('spark_raw_reads: source ' ~ node.source_name
                    ~ '.' ~ node.name ~ ' reads ' ~ file_name ~ '; the spark target reads '
                    ~ '.parquet, .jsonl, .csv and .json files only (macros/trust/spark_sources.sql)') -%}
            {%- endif -%}
            {%- set root = parts[0] -%}
            {%- if file_name.startswith('_') or file_name.startswith('.') -%}
                {#- Spark's file listing never reads a name starting with _ or . (it takes
                    them for hidden files): spark_runner mirrors such files, under the same
                    folders, into CX_SPARK_DIR/landing without the leading character. -#}
                {%- set root = env_var('CX_SPARK_DIR', 'data/spark') ~ '/landing' -%}
                {%- set file_name = file_name.lstrip('_.') -%}
            {%- endif -%}
            {%- do reads.append({'node': node, 'schema': node.schema,
                'identifier': node.identifier, 'path': path, 'root': root,
                'file': file_name, 'format': format}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(reads) -}}
{%- endmacro %}


{% macro spark_files_options(read, extra={}) -%}
    {%- set options = {'path': read.root, 'recursiveFileLookup': 'true',
        'pathGlobFilter': read.file} -%}
    {%- do options.update(extra) -%}
    {%- set pairs = [] -%}
    {%- for key, value in options.items() -%}
        {%- do pairs.append(key ~ ' ' ~ cx_warehouse.sql_string_literal(value)) -%}
    {%- endfor -%}
    options ({{ pairs | join(', ') }})
{%- endmacro %}


{% macro spark_declared_schema(node) -%}
    {#- The declared columns, all strings (text readers read every field as text). -#}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- do columns.append('`' ~ column.name ~ '` string') -%}
    {%- endfor -%}
    {{- columns | join(', ') -}}
{%- endmacro %}


{% macro spark_create_raw_sources() -%}
    {#- (Re)creates the listing, files table and view of every raw source; returns the
        listing of each read: {index: [(path, size)]}. -#}
    {%- set reads = cx_warehouse.spark_raw_reads() -%}
    {%- set listings = {} -%}
    {%- for read in reads -%}
        {%- set base = read.schema ~ '.' ~ read.identifier -%}
        {%- do run_query('create database if not exists ' ~ read.schema) -%}
        {%- do run_query('drop table if exists ' ~ base ~ '__listing') -%}
        {%- do run_query('create table ' ~ base ~ '__listing using binaryFile '
            ~ cx_warehouse.spark_files_options(read)) -%}
        {%- set found = run_query('select path, length from ' ~ base ~ '__listing') -%}
        {%- set files = [] -%}
        {%- for row in found.rows -%}
            {#- file:/a/b -> /a/b, as DuckDB's glob names files. -#}
            {%- do files.append((modules.re.sub('^file:(//)?', '', row[0]), row[1])) -%}
        {%- endfor -%}
        {%- do listings.update({loop.index0: files | sort}) -%}
        {%- do run_query('drop table if exists ' ~ base ~ '__files') -%}
        {%- if read.format == 'parquet' -%}
            {%- set create_files = 'create table ' ~ base ~ '__files using parquet '
                ~ cx_warehouse.spark_files_options(read) -%}
            {%- set view_sql -%}
                select
                    raw_files.*,
                    raw_files._metadata.file_path as filename,
                    raw_files._metadata.row_index as file_row_number
                from {{ base }}__files as raw_files
            {%- endset -%}
        {%- elif read.format == 'lines' -%}
            {#- One row per file (wholetext), split into lines in file order: the line number
                is exact and deterministic; a line is null when empty, the empty string after
                the last newline is no line. -#}
            {%- set create_files = 'create table ' ~ base ~ '__files using text '
                ~ cx_warehouse.spark_files_options(read, {'wholetext': 'true'}) -%}
            {%- set column_name = (read.node.columns.keys() | list)[0] -%}
            {%- set view_sql -%}
                select
                    raw_lines.filename,
                    cast(raw_lines.line_index + 1 as bigint) as ordinality,
                    nullif(raw_lines.line_text, '') as {{ column_name }}
                from (
                    select
                        raw_files._metadata.file_path as filename,
                        size(split(raw_files.value, '\n', -1)) as line_count,
                        posexplode(split(raw_files.value, '\n', -1)) as (line_index, line_text)
                    from {{ base }}__files as raw_files
                ) as raw_lines
                where not (raw_lines.line_index = raw_lines.line_count - 1
                    and raw_lines.line_text = '')
            {%- endset -%}
        {%- elif read.format == 'csv' -%}
            {#- Every field as text, by header name; a file that is not there reads as the
                declared columns with no rows. Rows keep file order within a file
                (multiLine: one task reads a file whole), so the row number is exact. -#}
            {%- set csv_options = {'header': 'true', 'multiLine': 'true', 'escape': '"',
                'quote': '"', 'inferSchema': 'false', 'mode': 'PERMISSIVE'} -%}
            {%- set schema = '' if files else '(' ~ cx_warehouse.spark_declared_schema(read.node)
                ~ ') ' -%}
            {%- set create_files = 'create table ' ~ base ~ '__files ' ~ schema ~ 'using csv '
                ~ cx_warehouse.spark_files_options(read, csv_options) -%}
            {%- set view_sql -%}
                select
                    raw_files.*,
                    raw_files._metadata.file_path as filename,
                    row_number() over (
                        partition by raw_files._metadata.file_path
                        order by monotonically_increasing_id()
                    ) as ordinality
                from {{ base }}__files as raw_files
            {%- endset -%}
        {%- else -%}
            {%- set create_files = 'create table ' ~ base ~ '__files using json '
                ~ cx_warehouse.spark_files_options(read, {'multiLine': 'true'}) -%}
            {%- set view_sql = 'select * from ' ~ base ~ '__files' -%}
        {%- endif -%}
        {%- if files or read.format == 'csv' -%}
            {%- do run_query(create_files) -%}
            {%- do run_query('create or replace view ' ~ base ~ ' as ' ~ view_sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return({'reads': reads, 'listings': listings}) -}}
{%- endmacro %}


{% macro spark_normalized_type(data_type) -%}
    {#- A Spark type in the source YAML's (DuckDB) spelling. -#}
    {%- set spark_type = data_type | lower | trim -%}
    {%- set mapping = {'string': 'VARCHAR', 'int': 'INTEGER', 'bigint': 'BIGINT',
        'smallint': 'SMALLINT', 'tinyint': 'TINYINT', 'double': 'DOUBLE', 'float': 'FLOAT',
        'boolean': 'BOOLEAN', 'date': 'DATE', 'timestamp': 'TIMESTAMP',
        'timestamp_ntz': 'TIMESTAMP'} -%}
    {{- return(mapping.get(spark_type, spark_type | upper)) -}}
{%- endmacro %}


{% macro spark__check_source_schemas() -%}
    {#- The drift check of check_source_schemas on Spark, over the views made above: a missing
        required file, an empty file, a missing or retyped declared column fail; a new column
        warns. Stray copies outside the root and loads/<date>/ fail as on DuckDB. -#}
    {%- if not execute -%}
        {{- return('select 1') -}}
    {%- endif -%}
    {%- set created = cx_warehouse.spark_create_raw_sources() -%}
    {%- set errors = [] -%}
    {%- set checked = [] -%}
    {%- for read in created.reads -%}
        {%- set node = read.node -%}
        {%- set files = created.listings[loop.index0] -%}
        {%- set label = node.source_name ~ '.' ~ node.name ~ ' ('
            ~ (files[0][0] if files else read.root ~ '/' ~ read.file) ~ ')' -%}
        {%- for file in files -%}
            {%- set folder = file[0][read.root | length + 1:].rpartition('/')[0] -%}
            {%- if folder != '' and not modules.re.match('^loads/[0-9]{4}-[0-9]{2}-[0-9]{2}$',
                    folder) -%}
                {%- do errors.append(file[0] ~ ': a stray copy of ' ~ node.source_name ~ '.'
                    ~ node.name ~ ' outside the landing folder root and its loads/<YYYY-MM-DD>/ '
                    ~ 'folders; the source would read it too. Move it out.') -%}
            {%- endif -%}
            {%- if file[1] == 0 -%}
                {%- do errors.append(label ~ ': ' ~ file[0] ~ ' empty (0 bytes). Re-export it; '
                    ~ 'scripts/check_raw.py checks every raw file before a build.') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set is_optional = cx_warehouse.is_optional_here(node.meta.get('optional')) -%}
        {%- if not files and not is_optional -%}
            {%- do errors.append(label ~ ': file not found. Put the export there, or set '
                ~ 'CX_RAW_DIR to the landing folder that holds it (now '
                ~ env_var('CX_RAW_DIR', '<unset: data/raw>') ~ ').') -%}
        {%- elif files and read.format != 'json' -%}
            {%- set actual = {} -%}
            {%- for row in run_query('describe ' ~ read.schema ~ '.' ~ read.identifier).rows -%}
                {%- if row[0] and not row[0].startswith('#') -%}
                    {%- do actual.update({row[0] | lower: cx_warehouse.spark_normalized_type(row[1])}) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- for column in node.columns.values() -%}
                {%- set declared = cx_warehouse.normalized_data_type(column.data_type or '') -%}
                {%- set declared = 'TIMESTAMP' if declared == 'TIMESTAMP WITH TIME ZONE'
                    else declared -%}
                {%- set name = column.name | lower -%}
                {%- if name not in actual
                        and not cx_warehouse.is_optional_here(column.meta.get('optional')) -%}
                    {%- do errors.append(label ~ ': column ' ~ name ~ ' is missing (declared '
                        ~ (declared or 'without a type') ~ ' in ' ~ node.original_file_path ~ ').') -%}
                {%- elif name in actual and read.format == 'parquet' and declared
                        and declared != actual[name] -%}
                    {%- do errors.append(label ~ ': column ' ~ name ~ ' was ' ~ declared
                        ~ ', is now ' ~ actual[name] ~ '. Fix the export, or change its '
                        ~ 'data_type in ' ~ node.original_file_path ~ ' and the models that read it.') -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do checked.append(label) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if errors | length > 0 -%}
        {%- do exceptions.raise_compiler_error(
            'Source schema drift: ' ~ errors | length ~ ' problem(s) in the landing folder:\n  - '
            ~ errors | join('\n  - ')) -%}
    {%- endif -%}
    {%- do log('Source schemas: ' ~ checked | length ~ ' raw file(s) checked on Spark; every '
        ~ 'declared column is present with its declared type.', info=true) -%}
    {{- return('select 1') -}}
{%- endmacro %}


{% macro spark__erasure_requests_file_exists() -%}
    {%- if not execute -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- set listing = source('landing', 'erasure_requests') ~ '__listing' -%}
    {%- set found = run_query('select count(*) from ' ~ listing).columns[0].values()[0] > 0 -%}
    {{- return(cx_warehouse.erasure_requests_file_verdict(found)) -}}
{%- endmacro %}
