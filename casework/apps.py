from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Case files"

    def ready(self) -> None:
        from .deadlines.store import recompute_on_change
        from .services._common import CASE_CHANGED_HOOKS

        # A case's stored deadlines are recomputed in the transaction of every change to its facts.
        if recompute_on_change not in CASE_CHANGED_HOOKS:
            CASE_CHANGED_HOOKS.append(recompute_on_change)
