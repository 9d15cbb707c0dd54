{{ select_quarantined_rows('base_retail__products', 'products', record_key='product_id') }}
