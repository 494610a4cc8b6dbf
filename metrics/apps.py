from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = "Joint performance metrics"

    def ready(self) -> None:
        from casework.services._common import CASE_CHANGED_HOOKS

        from . import definitions  # noqa: F401  (registers every metric)
        from .compute import mark_case_dirty, mark_case_dirty_before_derived

        # A change to a case marks the days its snapshots may change, in the same transaction: the first hook
        # notes the days of what the other hooks recompute from the case (a deadline's old due day), the last
        # marks them with all the others.
        if mark_case_dirty_before_derived not in CASE_CHANGED_HOOKS:
            CASE_CHANGED_HOOKS.insert(0, mark_case_dirty_before_derived)
        if mark_case_dirty not in CASE_CHANGED_HOOKS:
            CASE_CHANGED_HOOKS.append(mark_case_dirty)
