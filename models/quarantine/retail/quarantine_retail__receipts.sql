{{ select_quarantined_rows('base_retail__receipts', 'receipts', record_key='receipt_id') }}
