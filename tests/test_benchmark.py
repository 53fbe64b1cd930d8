"""Smoke test of benchmarks/bench.py: every variant builds at N=10 and the reports are written."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "bench.py"
VARIANTS = ("quicktake", "myst", "pages", "pages+list", "list-only")


def test_benchmark_smoke(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    out = tmp_path / "out"
    command = [sys.executable, str(SCRIPT), "--n", "10", "--runs", "1", "--jobs", "1"]
    done = subprocess.run(
        [*command, "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (out / "results.md").is_file()
    data = json.loads((out / "results.json").read_text())
    assert not (out / "work").exists()  # the projects are removed unless --keep

    rows = {row["variant"]: row for row in data["results"]}
    assert set(rows) == set(VARIANTS)
    for variant, row in rows.items():
        assert row["n"] == 10 and row["jobs"] == 1
        assert row["seconds"] > 0 and row["cpu_seconds"] > 0, variant
        assert row["maxrss_mb"] > 0, variant
        assert row["env_bytes"] > 0, variant
        assert row["seconds_ratio"] is not None, variant
        if variant != "myst":  # the floor reads no question file
            assert row["reads_max"] >= 1 and row["reads_mean"] >= 1, (variant, row)
            assert row["files_read"] == 10, (variant, row)
    assert rows["myst"]["seconds_ratio"] == 1
    # The generated files are clean exports: no variant warns about them. The question pages
    # of list-only may be in no toctree (one warning each): warned about, not failed.
    for variant, row in rows.items():
        assert row["returncode"] == 0, (variant, row["first_warnings"])
        if variant != "list-only":
            assert row["warnings"] == 0, (variant, row["first_warnings"])
    assert rows["list-only"]["warnings"] <= 10, rows["list-only"]["first_warnings"]

    edits = {row["variant"]: row for row in data["edits"]}
    assert set(edits) == {"pages", "list-only"}
    for variant, row in edits.items():
        assert row["noop_seconds"] > 0 and row["edit_seconds"] > 0, variant
        added, changed, removed = row["edit_updating"]
        assert (added, removed) == (0, 0) and changed >= 1, (variant, row)
        assert row["edit_reads_total"] >= 1, (variant, row)

    table = (out / "results.md").read_text()
    for ratio in ("time /myst", "CPU /myst", "RSS /myst", "env /myst"):
        assert ratio in table
    assert "reads/file max" in table and "reads/file mean" in table
    for variant in VARIANTS:
        assert f"| {variant} | 10 | 1 |" in table
    if importlib.util.find_spec("matplotlib") is not None:
        assert (out / "growth.png").stat().st_size > 0
    else:
        assert "matplotlib is not installed" in table
