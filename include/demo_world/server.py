"""The demo world, composed: one generated store served as five systems.

`start_server(...)` generates (or reuses) the store and serves it in background threads: Odoo on
`port` (`.url`, `.api_key`), the shop (`.shop_url`, `.shop_token`) and the carrier feed
(`.carrier_url`) on their own ports (0 picks free ones), the 3PL's files in `.wms_inbox` and the
bank's statements in `.bank_dir`. `.drop_until(now)` delivers the files that have come due since
(live mode calls it as time passes); `.stop()` stops everything. `habits` (demo_world.habits)
make the files and the carrier feed arrive the way real partners deliver them.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from .faults import Faults
from .generate import DEFAULT_SEED, api_key_for, ensure_world
from .habits import DeliveryHabits
from .models import load_registry
from .orm import Database
from .store import Store
from .systems.bank import BankExporter
from .systems.carrier import carrier_handler
from .systems.http import BackgroundServer
from .systems.odoo import odoo_handler
from .systems.ratelimit import LeakyBucket
from .systems.reading import store_as_of
from .systems.shop import shop_handler, shop_token_for
from .systems.wms import WmsDropper

log = logging.getLogger(__name__)


class DemoWorld:
    """A generated store served as every system; what tests and the CLI hold on to."""

    def __init__(
        self,
        state_dir: Path,
        seed: int = DEFAULT_SEED,
        scale: str = "demo",
        host: str = "127.0.0.1",
        port: int = 8069,
        *,
        shop_port: int = 0,
        carrier_port: int = 0,
        faults: Faults | None = None,
        shop_bucket: LeakyBucket | None = None,
        habits: DeliveryHabits | None = None,
    ) -> None:
        self.seed, self.scale = seed, scale
        state_dir = Path(state_dir)
        faults = faults or Faults()
        self.habits = habits or DeliveryHabits(seed=seed)
        self.store_path = ensure_world(state_dir, seed, scale)
        self.api_key = api_key_for(seed)
        self.shop_token = shop_token_for(seed)
        self.store = Store(self.store_path, readonly=False)
        self.db = Database(self.store, load_registry())
        self.wms_inbox = state_dir / f"{seed}-{scale}.wms-inbox"
        self.bank_dir = state_dir / f"{seed}-{scale}.bank-export"
        self.wms = WmsDropper(
            self.store, self.wms_inbox, faults.injector("wms"), self.habits.of("wms")
        )
        self.bank = BankExporter(
            self.store, self.bank_dir, faults.injector("bank"), self.habits.of("bank")
        )
        bucket = shop_bucket or LeakyBucket()
        self.servers = {
            "odoo": BackgroundServer(
                "odoo", odoo_handler(self.db), host, port, faults.injector("odoo")
            ),
            "shop": BackgroundServer(
                "shop",
                shop_handler(self.store, self.shop_token, bucket),
                host,
                shop_port,
                faults.injector("shop"),
            ),
            "carrier": BackgroundServer(
                "carrier",
                carrier_handler(self.store, self.habits.of("carrier")),
                host,
                carrier_port,
                faults.injector("carrier"),
            ),
        }

    @property
    def host(self) -> str:
        return self.servers["odoo"].host

    @property
    def port(self) -> int:
        return self.servers["odoo"].port

    @property
    def url(self) -> str:
        return self.servers["odoo"].url

    @property
    def shop_url(self) -> str:
        return self.servers["shop"].url

    @property
    def carrier_url(self) -> str:
        return self.servers["carrier"].url

    def start(self) -> DemoWorld:
        """Deliver the historic files, then serve every HTTP system; returns at once."""
        as_of = store_as_of(self.store)
        self.wms.drop_history(as_of)
        self.bank.as_of = as_of
        self.bank.drop_until(as_of)
        for server in self.servers.values():
            server.start()
        return self

    def drop_until(self, now: dt.datetime) -> int:
        """Deliver the WMS and bank files that have come due by `now` (naive UTC)."""
        return self.wms.drop_until(now) + self.bank.drop_until(now)

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()
        self.store.close()


def start_server(
    state_dir: Path,
    seed: int = DEFAULT_SEED,
    scale: str = "demo",
    host: str = "127.0.0.1",
    port: int = 8069,
    **options: object,
) -> DemoWorld:
    """Generate or reuse the world for (seed, scale) and serve it in the background.

    `options` go to DemoWorld: `shop_port`, `carrier_port`, `faults`, `shop_bucket`, `habits`.
    """
    return DemoWorld(state_dir, seed, scale, host, port, **options).start()  # type: ignore[arg-type]
