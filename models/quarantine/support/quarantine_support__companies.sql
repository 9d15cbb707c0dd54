{{ select_quarantined_rows('base_support__companies', 'companies', record_key='company_id') }}
