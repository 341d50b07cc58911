---
materialized: incremental
unique_key: [order_date, currency]
description: >-
  Revenue per order date and currency from orders not cancelled. Each run recomputes every
  (order date, currency) group holding an order delivered since the newest delivery the table
  has seen (its largest ingested_through), so a late update of an old order, a cancellation
  included, reaches its group; a group whose orders were all cancelled keeps a row with no
  revenue. Orders loaded before silver rows carried _ingested_at count as changed at every run.
  An order whose date or currency changes leaves its old group as it was: silver keeps only its
  current values.
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
    description: Sum of the gross amounts of the orders not cancelled; 0 when all were.
    tests: [not_null]
  - name: orders
    description: Number of orders not cancelled.
  - name: ingested_through
    description: Landing time of the group's most recently delivered order, the watermark of the next run.
tests:
  - name: revenue_consistent
    sql: SELECT * FROM {{ this }} WHERE revenue < 0 OR orders < 0 OR (orders = 0 AND revenue <> 0)
---
SELECT
  o.order_date,
  o.currency,
  sum(CASE WHEN o.status <> 'cancelled' THEN o.amount ELSE 0 END) AS revenue,
  CAST(sum(CASE WHEN o.status <> 'cancelled' THEN 1 ELSE 0 END) AS BIGINT) AS orders,
  max(o._ingested_at) AS ingested_through
FROM {{ ref('orders') }} AS o
{% if is_incremental() %}
WHERE EXISTS (
  SELECT 1
  FROM {{ ref('orders') }} AS changed
  WHERE changed.order_date = o.order_date
    AND changed.currency = o.currency
    AND (
      changed._ingested_at IS NULL
      OR changed._ingested_at > (SELECT coalesce(max(ingested_through), TIMESTAMP '1970-01-01 00:00:00') FROM {{ this }})
    )
)
{% endif %}
GROUP BY o.order_date, o.currency
