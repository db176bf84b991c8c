"""Platform health checks."""
from gateway import create_app


def test_healthz(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_readyz_reports_database(client):
    assert client.get("/readyz").json == {"status": "ok"}


def test_readyz_is_503_when_the_database_cannot_be_reached(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "LOG_LEVEL": "WARNING",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/no/such/dir/db.sqlite3"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.json["status"] == "unavailable"


def test_readyz_is_503_when_redis_is_configured_and_does_not_answer(tmp_path, unused_port):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "LOG_LEVEL": "WARNING",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db.sqlite3",
                      "REDIS_URL": f"redis://127.0.0.1:{unused_port}/0"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.json == {"status": "unavailable", "error": "redis: ConnectionError"}
