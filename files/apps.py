from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "files"
    verbose_name = "Case material"

    def ready(self) -> None:
        from casework.services._common import CASE_CHANGED_HOOKS, SEARCH_TEXT_PROVIDERS

        from .search import case_documents_search_text
        from .services.submissions import request_quality_check

        # People, offences and custody are part of what a file is judged on.
        if request_quality_check not in CASE_CHANGED_HOOKS:
            CASE_CHANGED_HOOKS.append(request_quality_check)
        # A case can be found by the words of its (non-sensitive) material.
        if case_documents_search_text not in SEARCH_TEXT_PROVIDERS:
            SEARCH_TEXT_PROVIDERS.append(case_documents_search_text)
