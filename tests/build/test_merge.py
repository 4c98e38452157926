"""`acuprint manifest merge` checks the merged folder holds every file the shards list."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from acuprint.cli import app


def _output(path: str, size: int, fmt: str = "pdf") -> dict[str, object]:
    clinic, name = path.split("/")
    handout, lang = name.split(".")[:2]
    entry: dict[str, object] = {"clinic": clinic, "handout": handout, "lang": lang}
    entry |= {"format": fmt, "path": path, "sha256": "a" * 64, "bytes": size}
    return entry | ({"pages": 1} if fmt == "pdf" else {})


def _merge(tmp_path: Path, *shards: list[dict[str, object]]) -> tuple[int, str, str, Path]:
    names = []
    for number, outputs in enumerate(shards, start=1):
        shard = tmp_path / f"manifest-shard-{number}.json"
        shard.write_text(json.dumps({"generator": "acuprint 1", "outputs": outputs}))
        names.append(str(shard))
    out = tmp_path / "release" / "manifest.json"
    out.parent.mkdir(exist_ok=True)
    result = CliRunner().invoke(app, ["manifest", "merge", *names, "--out", str(out)])
    return result.exit_code, result.stdout, result.stderr, out


def test_a_shards_missing_files_fail_the_merge_naming_each(tmp_path: Path) -> None:
    release = tmp_path / "release"
    (release / "c" / "proofs").mkdir(parents=True)
    (release / "c" / "a.en.pdf").write_bytes(b"12345")
    (release / "c" / "proofs" / "a.en-p01.png").write_bytes(b"png")
    (release / "c" / "b.en.pdf").write_bytes(b"12")  # another size than listed
    code, _, err, out = _merge(
        tmp_path,
        [_output("c/a.en.pdf", 5), _output("c/b.en.pdf", 5)],
        [_output("c/d.es.pdf", 7), _output("c/d.es.html", 9, "html")],
    )
    assert code == 1, err
    assert f"error: 3 output(s) the manifests list are not in {release}:" in err
    assert f"  {release / 'c/b.en.pdf'}: 2 bytes, the manifest lists 5" in err
    assert f"  {release / 'c/d.es.pdf'}: missing" in err
    assert f"  {release / 'c/d.es.html'}: missing" in err
    assert "c/a.en.pdf" not in err
    assert f"fix: copy every shard's output files into {release}" in err
    assert not out.exists() and not (release / "index.html").exists()


def test_manifests_that_list_nothing_fail_the_merge(tmp_path: Path) -> None:
    code, _, err, out = _merge(tmp_path, [], [])
    assert code == 1
    assert "error: the manifests list no outputs" in err
    assert not out.exists()


def test_a_merge_without_proofs_says_why_there_is_no_contact_sheet(tmp_path: Path) -> None:
    (tmp_path / "release" / "c").mkdir(parents=True)
    (tmp_path / "release" / "c" / "a.en.pdf").write_bytes(b"12345")
    code, stdout, err, out = _merge(tmp_path, [_output("c/a.en.pdf", 5)])
    assert code == 0, err
    assert out.exists()
    assert "no contact sheet: none of the 1 PDF(s) has its page proofs in" in stdout
