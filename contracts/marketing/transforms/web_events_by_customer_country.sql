---
materialized: table
description: >-
  Web events per billing country of the logged-in customer (sales/customers, which sales shares)
  and event type; anonymous visitors count under 'unknown'.
columns:
  - name: country_code
    tests: [not_null]
  - name: event_type
    tests:
      - not_null
      - accepted_values:
          values: [page_view, product_view, add_to_cart, checkout, purchase]
  - name: events
    tests: [not_null]
  - name: customers
    description: Distinct logged-in customers.
tests:
  - name: customers_within_events
    sql: SELECT * FROM {{ this }} WHERE customers > events
---
SELECT
  coalesce(c.country_code, 'unknown') AS country_code,
  e.event_type,
  count(*) AS events,
  count(DISTINCT e.customer_id) AS customers
FROM {{ ref('web_events') }} AS e
LEFT JOIN {{ ref('sales/customers') }} AS c ON c.customer_id = e.customer_id
GROUP BY coalesce(c.country_code, 'unknown'), e.event_type
