"""Entry point for the `flask` command: `flask --app app run|db upgrade|admin ...`."""
from gateway import create_app

app = create_app()
