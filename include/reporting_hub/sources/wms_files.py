"""The 3PL's files: stock snapshots, shipment/receipt confirmations and the item master.

CSV files in the WMS inbox (WMS_INBOX); each stream reads the files its `pattern`
matches, each file once (see sources/files.py). Rows keep `_source_file` and
`_source_line` for lineage.
"""

from __future__ import annotations

from reporting_hub.sources.files import FileSource

WMS = FileSource(system="WMS inbox", setting="wms_inbox", env="WMS_INBOX")
open_extraction = WMS.open_extraction
parse_dead_letter = WMS.parse_dead_letter
