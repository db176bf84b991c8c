"""The per-instance lock also holds across processes on PostgreSQL (several workers or dynos)."""
import subprocess
import sys
import textwrap

import gevent
import pytest
from sqlalchemy.engine import make_url

from gateway.connections.locks import LOCK_NAMESPACE

HOLDER = textwrap.dedent("""
    import sys, psycopg
    with psycopg.connect(sys.argv[1], autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s, %s)", (int(sys.argv[2]), int(sys.argv[3])))
        print("locked", flush=True)
        sys.stdin.readline()  # hold until the test says so
        conn.execute("SELECT pg_advisory_unlock(%s, %s)", (int(sys.argv[2]), int(sys.argv[3])))
""")


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_switch_waits_for_another_process_holding_the_instance(app, api, create, database_url):
    instance_id = create(mode="none")["id"]
    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, dsn, str(LOCK_NAMESPACE), str(instance_id)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        switching = gevent.spawn(api.post, "/api/instance-management/webhook/sales")
        switching.join(timeout=1.0)
        assert not switching.dead, "the switch ran while another process held the instance's lock"
        holder.stdin.write("release\n")
        holder.stdin.flush()
        response = switching.get(timeout=10)
        assert response.status_code == 200 and response.json["mode"] == "webhook"
    finally:
        holder.kill()
        holder.wait()
