---
materialized: incremental
unique_key: [order_date, currency]
description: >-
  Revenue per order date and currency from orders not cancelled. Each run recomputes the newest
  order date already published and every later one, so a day still filling up is corrected.
columns:
  - name: order_date
    description: UTC order date.
    tests: [not_null]
  - name: currency
    description: ISO 4217 currency of revenue.
    tests:
      - not_null
      - accepted_values:
          values: [EUR, GBP, USD, CHF, SEK]
  - name: revenue
    description: Sum of the orders' gross amounts.
    tests: [not_null]
  - name: orders
    description: Number of orders.
tests:
  - name: revenue_positive
    sql: SELECT * FROM {{ this }} WHERE revenue <= 0 OR orders <= 0
---
SELECT
  order_date,
  currency,
  sum(amount) AS revenue,
  count(*) AS orders
FROM {{ ref('orders') }}
WHERE status <> 'cancelled'
{% if is_incremental() %}
  AND order_date >= coalesce((SELECT max(order_date) FROM {{ this }}), DATE '1970-01-01')
{% endif %}
GROUP BY order_date, currency
