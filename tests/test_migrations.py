"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""
import flask_migrate
import pytest
from sqlalchemy import inspect

from gateway import create_app
from gateway.extensions import db


# SQLite cannot reflect the lower(name) index, so Alembic's comparison passes it by (and says so).
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_upgrade_builds_the_models_schema(database_url):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "LOG_LEVEL": "WARNING",
                      "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        flask_migrate.upgrade()
        assert {"tenant", "user", "api_token", "provider_server", "instance", "event"} <= set(
            inspect(db.engine).get_table_names())
        flask_migrate.check()  # raises when the models and the migrations disagree
        db.engine.dispose()
