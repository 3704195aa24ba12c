"""What an instance is launched from: machine images and ssh key pairs."""

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.identifiers import aggregate_id


class Image(Aggregate):
    class Registered(Aggregate.Created):
        image_id: str
        arch: str
        display_name: str

    @staticmethod
    def create_id(image_id: str, **_: object) -> UUID:
        return image_aggregate_id(image_id)

    @event(Registered)
    def __init__(self, image_id: str, arch: str, display_name: str):
        self.image_id = image_id
        self.arch = arch
        self.display_name = display_name


class SshKeyPair(Aggregate):
    """Owned by one account; other accounts cannot launch with it."""

    class Registered(Aggregate.Created):
        ssh_key_id: str
        account_id: str
        public_key: str
        display_name: str

    @staticmethod
    def create_id(ssh_key_id: str, **_: object) -> UUID:
        return ssh_key_pair_aggregate_id(ssh_key_id)

    @event(Registered)
    def __init__(self, ssh_key_id: str, account_id: str, public_key: str, display_name: str):
        self.ssh_key_id = ssh_key_id
        self.account_id = account_id
        self.public_key = public_key
        self.display_name = display_name


def image_aggregate_id(image_id: str) -> UUID:
    return aggregate_id("images", image_id)


def ssh_key_pair_aggregate_id(ssh_key_id: str) -> UUID:
    return aggregate_id("ssh_key_pairs", ssh_key_id)
