#!/usr/bin/env python3
"""Print the files a shard's manifest lists, and their page proofs, relative to OUT.

The release workflow packs exactly these (tar -T), so a shard built on a
restored earlier release uploads its own slice and never a stale copy of
another shard's output.

    python3 scripts/shard-files.py out out/manifest-shard-1.json > files.txt
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def shard_files(out: Path, manifest: Path) -> list[str]:
    """Every output the manifest lists, its proofs, and the manifest itself."""
    files = [manifest.relative_to(out).as_posix()]
    for entry in json.loads(manifest.read_text(encoding="utf-8"))["outputs"]:
        files.append(entry["path"])
        if entry["format"] == "pdf":
            folder, _, name = entry["path"].rpartition("/")
            stem = name.removesuffix(".pdf")
            proofs = sorted((out / folder / "proofs").glob(f"{stem}-p[0-9]*.png"))
            files += [p.relative_to(out).as_posix() for p in proofs]
    return files


if __name__ == "__main__":
    out_dir, manifest_path = Path(sys.argv[1]), Path(sys.argv[2])
    print("\n".join(shard_files(out_dir, manifest_path)))
