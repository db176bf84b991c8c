"""What /api/cluster and Settings show: the processes, the sockets each holds, and who leads the jobs.

Processes are shared by every tenant, so a tenant sees every process but only its own instances'
names; other tenants' sockets are counted, never named.
"""
from __future__ import annotations

import redis

from ..extensions import db
from ..models import Instance, utcnow
from ..presenters import iso


class ClusterUnavailable(RuntimeError):
    """Redis did not answer, so the cluster's state cannot be read."""


def cluster_view(services, tenant_id: int) -> dict:
    """The cluster as one tenant's administrator may see it."""
    if services.cluster is None:
        processes = [_this_process(services)]
        mode = "single"
    else:
        try:
            processes = services.cluster.registry.alive()
        except redis.RedisError as error:
            # The driver's message may name the host; the operator needs only the cause.
            raise ClusterUnavailable("Redis did not answer; the cluster's state is unknown until it does.") from error
        mode = "cluster"
    names = dict(db.session.execute(db.select(Instance.id, Instance.name)
                                    .where(Instance.tenant_id == tenant_id)).all())
    shown = [_process(process, names) for process in processes]
    leader = next((p["id"] for p in shown if p["leads_jobs"]), None)
    return {"mode": mode, "leader": leader, "processes": shown}


def _process(record: dict, names: dict[int, str]) -> dict:
    sockets, others = [], 0
    for socket in record.get("sockets", []):
        mine = sorted(names[i] for i in socket["instance_ids"] if i in names)
        if not mine:
            others += 1
            continue
        status = socket.get("status") or {}
        sockets.append({"instances": mine, "state": status.get("state", "idle"), "token": socket.get("token"),
                        "global": socket["key"].startswith("socket:server:")})
    return {"id": record["id"], "host": record["host"], "pid": record["pid"], "started": record["started"],
            "heartbeat": record.get("heartbeat"), "leads_jobs": bool(record.get("leads_jobs")),
            "sockets": sockets, "other_tenants_sockets": others}


def _this_process(services) -> dict:
    """One process alone holds every socket it runs and leads every job."""
    supervisor = services.supervisor
    sockets = [{"key": f"socket:instance:{i}", "instance_ids": [i], "token": None, "status": client.status()}
               for i, client in supervisor.instance_clients.items()]
    sockets += [{"key": f"socket:server:{server_id}", "token": None, "status": carried.client.status(),
                 "instance_ids": [t.instance_id for t in carried.routes.values()]}
                for server_id, carried in supervisor.global_clients.items()]
    return {**services.identity, "heartbeat": iso(utcnow()), "leads_jobs": True, "sockets": sockets}

