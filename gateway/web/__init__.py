"""HTTP entry points: pages, the JSON API and the webhook receivers, one blueprint each."""
