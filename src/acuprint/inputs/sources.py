"""Where a project keeps the files a build reads (the rest of its folder is not acuprint's)."""

from __future__ import annotations

SOURCE_FOLDERS = ("clinics", "handouts", "styles", "review")
SOURCE_FILES = ("claims.toml",)  # a project's own claims rules, beside the folders
