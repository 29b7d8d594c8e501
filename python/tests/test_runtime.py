"""How runs behave in a Python process: Ctrl-C, the GIL, the examples."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import wfmc

ROOT = Path(__file__).resolve().parents[2]


def test_keyboard_interrupt_stops_a_run():
    code = (
        "import sys, wfmc\n"
        "print('started', flush=True)\n"
        "try:\n"
        "    wfmc.run(draws=10**10, sobol_rows=0)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', flush=True)\n"
        "    sys.exit(3)\n"
    )
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "started"
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    try:
        out, _ = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        raise AssertionError("the run did not stop on SIGINT")
    assert p.returncode == 3, out
    assert "interrupted" in out


def test_the_gil_is_released_while_drawing():
    done = threading.Event()
    ticks = 0

    def work():
        wfmc.run(draws=400_000, sobol_rows=0, threads=1)
        done.set()

    t = threading.Thread(target=work)
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    t.join()
    # Holding the GIL for the whole run would allow a tick or two; a run of about
    # a second leaves room for hundreds.
    assert ticks >= 20, ticks


def test_dask_example_equals_a_single_run():
    env = dict(os.environ)
    p = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "python" / "dask_shards.py"), "--shards", "3", "--draws", "60000"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=ROOT,
    )
    assert p.returncode == 0, p.stdout + p.stderr
    assert "identical to wfmc.run" in p.stdout


def test_sweep_plot_example_writes_a_png(tmp_path):
    out = tmp_path / "sweep.png"
    env = dict(os.environ, MPLBACKEND="Agg")
    p = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "python" / "sweep_plot.py"), str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert p.returncode == 0, p.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
