"""The contact sheet: every PDF named with its variant and profile, clinics linked from the top."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from typer.testing import CliRunner

from acuprint.build.manifest import ManifestEntry
from acuprint.build.proofs import label, proof_paths, write_contact_sheet
from acuprint.cli import app


def _pdf(clinic: str, name: str, pages: int, profile: str = "office") -> ManifestEntry:
    handout, lang = name.split(".")[:2]
    return ManifestEntry(
        clinic, handout, lang, "pdf", f"{clinic}/{name}", "0" * 64, 1, pages, profile
    )


def test_variants_and_profiles_are_named() -> None:
    assert label(_pdf("a", "brochure.en.tri-fold.pdf", 2)) == "brochure, tri-fold (en, 2 pages)"
    assert (
        label(_pdf("a", "chronic-pain.es.large-print.pdf", 12))
        == "chronic-pain, large print (es, 12 pages)"
    )
    assert (
        label(_pdf("a", "back-pain.en.press.pdf", 1, "press"))
        == "back-pain (en, press profile, 1 page)"
    )


def test_jump_links_between_clinics(tmp_path: Path) -> None:
    entries = [_pdf("bay", "back-pain.en.pdf", 1), _pdf("cedar", "brochure.en.tri-fold.pdf", 2)]
    for entry in entries:
        for proof in proof_paths(entry.path, entry.pages or 0):
            (tmp_path / proof).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / proof).write_bytes(b"png")
    page = write_contact_sheet(tmp_path, entries).read_text()
    assert '<li><a href="#clinic-bay">bay</a> (1 PDF)</li>' in page
    assert '<li><a href="#clinic-cedar">cedar</a> (1 PDF)</li>' in page
    assert (
        '<h2 id="clinic-cedar">cedar <small><a href="#top">(back to top)</a></small></h2>' in page
    )
    assert '<a href="cedar/brochure.en.tri-fold.pdf">brochure, tri-fold (en, 2 pages)</a>' in page
    assert page.count('<img src="cedar/proofs/brochure.en.tri-fold-p0') == 2


def _merge(tmp_path: Path, outputs: list[dict[str, object]], out: Path) -> tuple[int, str]:
    shard = tmp_path / "shard.json"
    shard.write_text(json.dumps({"generator": "acuprint 1", "outputs": outputs}))
    result = CliRunner().invoke(app, ["manifest", "merge", str(shard), "--out", str(out)])
    return result.exit_code, result.stderr


def _hostile(path: str, pages: int = 1) -> dict[str, object]:
    entry = {"clinic": "c", "handout": "h", "lang": "en", "format": "pdf", "path": path}
    return entry | {"sha256": "a" * 64, "bytes": 1, "pages": pages}


def test_a_hostile_shard_manifest_gives_a_sheet_that_links_and_loads_nothing_outside(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    (out / "c" / "proofs").mkdir(parents=True)
    (out / "c" / "proofs" / "h.en-p01.png").write_bytes(b"png")
    (out / "c" / "h.en.pdf").write_bytes(b"%")  # the one real output, 1 byte as listed
    outputs = [
        _hostile("c/h.en.pdf"),
        _hostile("http://127.0.0.1:9/evil.pdf"),
        _hostile("javascript:fetch('//127.0.0.1:9')//c/h.en.pdf"),
        _hostile("c/h.en.tri-fold.pdf") | {"path": "c/../../h.en.pdf"},
    ]
    code, stderr = _merge(tmp_path, outputs, out / "manifest.json")
    assert code == 0, stderr
    page = lxml.html.parse(str(out / "index.html")).getroot()
    policy = page.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert len(policy) == 1 and "default-src 'none'" in policy[0].split(";")
    links = page.xpath("//a/@href | //img/@src | //*/@srcset")
    assert links and all(not urlsplit(link).scheme and not urlsplit(link).netloc for link in links)
    assert {urlsplit(link).path for link in links} == {"", "c/h.en.pdf", "c/proofs/h.en-p01.png"}
    merged = json.loads((out / "manifest.json").read_text())["outputs"]
    assert [entry["path"] for entry in merged] == ["c/h.en.pdf"]


def test_the_sheet_costs_what_is_on_disk_not_what_a_manifest_claims(tmp_path: Path) -> None:
    (tmp_path / "c" / "proofs").mkdir(parents=True)
    (tmp_path / "c" / "proofs" / "h0.en-p01.png").write_bytes(b"png")
    entries = [_pdf("c", f"h{n}.en.pdf", 10_000) for n in range(500)]
    started = time.perf_counter()
    page = write_contact_sheet(tmp_path, entries).read_text()
    assert time.perf_counter() - started < 2.0  # 5 million file checks took 90 s
    assert page.count("<img ") == 1


@pytest.mark.parametrize("kind", ["fifo", "link", "foreign", "folder"])
def test_merge_never_replaces_what_is_not_a_manifest(tmp_path: Path, kind: str) -> None:
    target, victim = tmp_path / "target", tmp_path / "victim.json"
    victim.write_text("{}")
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "link":
        target.symlink_to(victim)
    elif kind == "foreign":
        target.write_text('{"my": "settings"}')
    else:
        target.mkdir()
    code, stderr = _merge(tmp_path, [_hostile("c/h.en.pdf")], target)
    assert code == 2, stderr
    assert f"--out {target}" in stderr and "fix: give the path of a new file" in stderr
    assert "Traceback" not in stderr
    assert victim.read_text() == "{}"
    assert {
        "fifo": target.is_fifo,
        "link": target.is_symlink,
        "foreign": lambda: target.read_text() == '{"my": "settings"}',
        "folder": target.is_dir,
    }[kind]()


@pytest.mark.parametrize("kind", ["page", "fifo"])
def test_merge_never_replaces_someone_elses_index_html(tmp_path: Path, kind: str) -> None:
    (tmp_path / "c" / "proofs").mkdir(parents=True)
    (tmp_path / "c" / "proofs" / "h.en-p01.png").write_bytes(b"png")
    if kind == "page":
        (tmp_path / "index.html").write_text("<title>Our website</title>")
    else:
        os.mkfifo(tmp_path / "index.html")  # never opened: reading it would wait
    code, stderr = _merge(tmp_path, [_hostile("c/h.en.pdf")], tmp_path / "manifest.json")
    assert code == 2, stderr
    assert "index.html is not a contact sheet acuprint wrote" in stderr
    if kind == "page":
        assert (tmp_path / "index.html").read_text() == "<title>Our website</title>"
    else:
        assert (tmp_path / "index.html").is_fifo()
    assert not (tmp_path / "manifest.json").exists()
