"""Live delivery of stored events to browsers and programs."""
