"""`python -m pipelines.bench`: the accuracy and speed benchmark (pipelines.bench.suite)."""

import sys

from pipelines.bench.suite import main

sys.exit(main())
