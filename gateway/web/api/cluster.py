"""The cluster's health for administrators: processes, the sockets each holds, who leads the jobs."""
from flask import Blueprint, abort, jsonify

from ...auth import api_auth_required
from ...cluster.view import ClusterUnavailable, cluster_view
from ...models import Role
from ...services import services
from ...tenancy import current_tenant_id

bp = Blueprint("api_cluster", __name__, url_prefix="/api/cluster")


@bp.get("")
@api_auth_required(Role.ADMIN)
def cluster():
    """Processes (host, pid, started, last heartbeat), their sockets, and the jobs' leader."""
    try:
        return jsonify(cluster_view(services(), current_tenant_id()))
    except ClusterUnavailable as error:
        abort(503, str(error))
