"""Ingestion: one pipeline (normalise, de-duplicate, store, apply, publish) for every provider event."""
