# %% [markdown]
# # What if pay rises faster? A salary-growth sweep, plotted
#
# A notebook-style script (open it in Jupyter with jupytext, or in VS Code, or run
# it: `python examples/python/sweep_plot.py [out.png]`). It sweeps the salary
# growth assumption, runs the full Monte Carlo model at each value, and plots the
# 2030 cost of the demanded workforce with its 90 % band.

# %%
import sys

import matplotlib

if "ipykernel" not in sys.modules:
    matplotlib.use("Agg")  # no display needed when run as a script
import matplotlib.pyplot as plt

import wfmc

# %% Sweep: five salary growth rates, 20,000 draws each
table = wfmc.sweep(
    {"salary_growth": "0.01:0.05:0.01"},
    draws=20_000,
    metric="cost_demand",
    area="total",
    year=2030,
)
table.head()

# %% Reshape: one row per (scenario, growth rate), a column per statistic
wide = table.pivot_table(index=["scenario", "salary_growth"], columns="stat", values="value").reset_index()
wide.head()

# %% Plot the median and the P5–P95 band per scenario, in £ million
fig, ax = plt.subplots(figsize=(7, 4))
for scenario, g in wide.groupby("scenario"):
    x = g["salary_growth"] * 100
    ax.fill_between(x, g["p5"] / 1e6, g["p95"] / 1e6, alpha=0.25)
    ax.plot(x, g["p50"] / 1e6, marker="o", label=scenario)
ax.set_xlabel("salary growth, % a year")
ax.set_ylabel("2030 cost of demand, £m")
ax.set_title("Cost of the demanded workforce in 2030 (median, P5–P95)")
ax.legend()
fig.tight_layout()

# %%
out = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "salary_sweep.png"
fig.savefig(out, dpi=100)
print(f"-> {out}")
