"""Runs one wfmc run as N shard tasks on a Dask LocalCluster, merges the partials,
and checks the merged results equal a single ``wfmc.run`` of the same draws.

    python examples/python/dask_shards.py --shards 4 --draws 400000

On a real cluster, replace the LocalCluster with your scheduler's address
(``Client("tcp://scheduler:8786")``); the workers need the wfmc package and, for a
config file, the same file at the same path (a Config travels as its recipe).
"""

import argparse
import time

from dask.distributed import Client, LocalCluster

import wfmc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--draws", type=int, default=400_000)
    ap.add_argument("--seed", type=int, default=wfmc.DEFAULT_SEED)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--config", default=None, help="config file (default: the built-in config)")
    ap.add_argument("--no-check", action="store_true", help="skip the single-run comparison")
    args = ap.parse_args()

    cfg = wfmc.Config.load(args.config)
    t0 = time.perf_counter()
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True) as cluster, Client(cluster) as client:
        futures = [
            # pure=False: each task runs, even if Dask has seen the same arguments.
            client.submit(wfmc.run_shard, i, args.shards, cfg, draws=args.draws, seed=args.seed, threads=1, pure=False)
            for i in range(1, args.shards + 1)
        ]
        partials = client.gather(futures)
    merged = wfmc.merge(partials)
    print(f"{args.shards} shards on {args.workers} Dask workers: {merged.draws:,} draws in {time.perf_counter() - t0:.1f} s")
    short = merged.shortfall
    print(short[(short.year == 2030) & (short.area == "total")].to_string(index=False))

    if not args.no_check:
        single = wfmc.run(cfg, draws=args.draws, seed=args.seed)
        same = all(
            getattr(merged, t).equals(getattr(single, t)) for t in ("bands", "shortfall", "correlation")
        ) and merged.summary == single.summary
        if not same:
            raise SystemExit("MISMATCH: the merged shards differ from the single run")
        print("identical to wfmc.run(draws=%d, seed=%d)" % (args.draws, args.seed))


if __name__ == "__main__":
    main()
