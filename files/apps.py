from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "files"
    verbose_name = "Case material"

    def ready(self) -> None:
        from casework.services._common import CASE_CHANGED_HOOKS

        from .services.submissions import request_quality_check

        # People, offences and custody are part of what a file is judged on.
        if request_quality_check not in CASE_CHANGED_HOOKS:
            CASE_CHANGED_HOOKS.append(request_quality_check)
