"""The metric definitions, one module per subject. Importing this package registers every metric
(``metrics.apps.MetricsConfig.ready``)."""

from . import (
    charging,  # noqa: F401
    deadlines,  # noqa: F401
    quality,  # noqa: F401
)
