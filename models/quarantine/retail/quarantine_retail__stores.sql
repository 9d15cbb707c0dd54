{{ select_quarantined_rows('base_retail__stores', 'stores', record_key='store_id') }}
