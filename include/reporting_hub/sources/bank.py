"""The bank's statement export: one `;`-separated CSV per booking date.

Files in the export folder (BANK_EXPORT_DIR), each read once (see sources/files.py);
amounts are typed `numeric` in the catalog, so a garbled amount is dead-lettered
with its file and line instead of landing as text.
"""

from __future__ import annotations

from reporting_hub.sources.files import FileSource

BANK = FileSource(system="bank export folder", setting="bank_dir", env="BANK_EXPORT_DIR")
open_extraction = BANK.open_extraction
parse_dead_letter = BANK.parse_dead_letter
