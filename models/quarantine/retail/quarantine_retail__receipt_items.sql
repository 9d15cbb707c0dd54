{{ select_quarantined_rows(
    'base_retail__receipt_items',
    'receipt_items',
    record_key="receipt_id || '|' || cast(line_number as " ~ text_type() ~ ")"
) }}
