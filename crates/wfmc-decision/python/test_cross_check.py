"""pytest entry point for the external cross-checks (needs ema-workbench,
scikit-learn, pandas and a Rust toolchain):

    .venv/bin/python -m pytest python/
"""

from compare_cart import test_cart_matches_sklearn  # noqa: F401
from compare_prim import test_prim_matches_workbench  # noqa: F401
