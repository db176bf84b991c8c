"""The in-memory rows of the simulated Evolution database: instances, event settings, messages.

Follows prisma/postgresql-schema.prisma (Instance, Webhook, Websocket, Setting, Message) and the
`include` of WAMonitoringService.instanceInfo (src/api/services/monitor.service.ts).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .ids import now_iso

CLIENT_NAME = "evolution"  # DATABASE_CONNECTION_CLIENT_NAME default


@dataclass
class Instance:
    """One instance row plus the live Baileys state Evolution keeps beside it."""

    name: str
    id: str
    token: str
    integration: str
    number: str | None
    settings: dict
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    state: str = "close"
    wuid: str | None = None
    profile_name: str | None = None
    profile_picture_url: str | None = None
    disconnection: dict = field(default_factory=dict)
    qrcode: dict = field(default_factory=lambda: {"count": 0})
    # The number a connect asked to pair (`?number=`): every new QR then carries a pairing code.
    phone_number: str | None = None
    webhook: dict | None = None
    websocket: dict | None = None
    messages: list[dict] = field(default_factory=list)
    # Deleted: gone from Evolution's waInstances at once, but its rows linger until purged.
    removed: bool = False

    def touch(self) -> None:
        self.updated_at = now_iso()

    def row(self) -> dict:
        """The fetchInstances element, keys in Prisma's model order."""
        return {
            "id": self.id,
            "name": self.name,
            "connectionStatus": self.state,
            "ownerJid": self.wuid,
            "profileName": self.profile_name,
            "profilePicUrl": self.profile_picture_url,
            "integration": self.integration,
            "number": self.number,
            "businessId": None,
            "token": self.token,
            "clientName": CLIENT_NAME,
            "disconnectionReasonCode": self.disconnection.get("code"),
            "disconnectionObject": self.disconnection.get("object"),
            "disconnectionAt": self.disconnection.get("at"),
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "Chatwoot": None,
            "Proxy": None,
            "Rabbitmq": None,
            "Nats": None,
            "Sqs": None,
            "Websocket": self.websocket,
            "Setting": self.settings,
            "_count": {"Message": len(self.messages), "Contact": 0, "Chat": 0},
        }


class Registry:
    """Instances by name; a removed instance keeps its name taken until `purge`."""

    def __init__(self) -> None:
        self._rows: dict[str, Instance] = {}

    def add(self, instance: Instance) -> None:
        self._rows[instance.name] = instance

    def row(self, name: str) -> Instance | None:
        """The database row, also while a deletion is still cleaning up."""
        return self._rows.get(name)

    def live(self, name: str) -> Instance | None:
        """The instance as Evolution's waInstances sees it: never a removed one."""
        instance = self._rows.get(name)
        return None if instance is None or instance.removed else instance

    def rows(self) -> list[Instance]:
        return list(self._rows.values())

    def by_token(self, token: str) -> list[Instance]:
        return [i for i in self._rows.values() if i.token == token]

    def purge(self, instance: Instance) -> None:
        if self._rows.get(instance.name) is instance:
            del self._rows[instance.name]

    def clear(self) -> None:
        self._rows.clear()
