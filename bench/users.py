"""Who the benchmarks sign in as in a generated portfolio (see bench.portfolio)."""

PASSWORD = "srm-bench-2026"  # noqa: S105 - the generated users' documented password
MANAGER = "pm001"  # procurement manager owning 1/50 of the portfolio (about 100 partners)
EXECUTIVE = "exec001"  # executive sponsor
SUPPLIER = "supplier00001"  # supplier user of partner 1, a joint venture
ADMIN = "bench-admin"
