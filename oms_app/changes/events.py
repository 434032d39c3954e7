"""What the master-data change area tells the rest of the system after commit."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from oms_app.core.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class MasterDataChangeDecided(DomainEvent):
    """A proposed change to a guarded field was approved (and applied) or rejected."""

    name: ClassVar[str] = "master_data.change_decided"
    change_id: int
    entity: str
    entity_id: int
    field: str
    from_status: str
    to_status: str
    actor: str
    reason: str = ""
