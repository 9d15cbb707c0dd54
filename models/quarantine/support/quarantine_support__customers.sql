{{ select_quarantined_rows('base_support__customers', 'customers', record_key='customer_id') }}
