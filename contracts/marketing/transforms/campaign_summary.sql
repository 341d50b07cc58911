---
materialized: view
description: Each campaign with its budget and the web traffic it brought; no personal data, so a view.
columns:
  - name: campaign_id
    tests:
      - not_null
      - unique
      - relationships:
          to: "ref('campaigns')"
          field: campaign_id
  - name: events
    description: Web events whose landing page carried the campaign.
    tests: [not_null]
  - name: sessions
    description: Distinct browser sessions among those events.
tests:
  - name: sessions_within_events
    sql: SELECT * FROM {{ this }} WHERE sessions > events
---
SELECT
  c.campaign_id,
  c.campaign_name,
  c.channel,
  c.start_date,
  c.budget,
  count(e.event_id) AS events,
  count(DISTINCT e.session_id) AS sessions
FROM {{ ref('campaigns') }} AS c
LEFT JOIN {{ ref('web_events') }} AS e ON e.campaign_id = c.campaign_id
GROUP BY c.campaign_id, c.campaign_name, c.channel, c.start_date, c.budget
