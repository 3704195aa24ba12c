"""Images and ssh key pairs: what ``GET /images`` and ``GET /ssh_key_pairs`` list."""

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from domain.catalog import Image, SshKeyPair
from infrastructure.projections.view import SqliteView


class CatalogView(SqliteView):
    def create_tables(self) -> None:
        self.db["images"].create(
            {"image_id": str, "arch": str, "display_name": str, "created_at": str, "seq": int},
            pk="image_id", if_not_exists=True,
        )  # fmt: skip
        self.db["ssh_key_pairs"].create(
            {"ssh_key_id": str, "account_id": str, "public_key": str, "display_name": str,
             "created_at": str, "seq": int},
            pk="ssh_key_id", if_not_exists=True,
        )  # fmt: skip

    def content(self) -> dict[str, Any]:
        return {
            "images": [r[0] for r in self.db.execute("SELECT image_id FROM images ORDER BY image_id")],
            "ssh_key_pairs": [
                r[0] for r in self.db.execute("SELECT ssh_key_id FROM ssh_key_pairs ORDER BY ssh_key_id")
            ],
        }


class CatalogProjection(Projection[CatalogView]):
    name = "catalog"
    topics = (get_topic(Image.Registered), get_topic(SshKeyPair.Registered))

    @singledispatchmethod
    def process_event(self, event: Any, tracking: Tracking) -> None:
        pass

    @process_event.register
    def _(self, event: Image.Registered, tracking: Tracking) -> None:
        self.view.insert("images", {
            "image_id": event.image_id, "arch": event.arch, "display_name": event.display_name,
            "created_at": event.timestamp.isoformat(), "seq": tracking.notification_id,
        })  # fmt: skip

    @process_event.register
    def _(self, event: SshKeyPair.Registered, tracking: Tracking) -> None:
        self.view.insert("ssh_key_pairs", {
            "ssh_key_id": event.ssh_key_id, "account_id": event.account_id, "public_key": event.public_key,
            "display_name": event.display_name, "created_at": event.timestamp.isoformat(),
            "seq": tracking.notification_id,
        })  # fmt: skip
