"""Pages of a case's Material area, mounted under ``/cases/<uuid:case_id>/material/`` (so every
view takes ``case_id``). URL names: ``files:<entity>-<action>``."""

from django.urls import include, path

from . import urls_records
from .views import documents

app_name = "files"

document = "documents/<uuid:document_id>/"

urlpatterns = [
    path("", documents.material, name="material"),
    # Documents and their versions
    path("documents/upload/", documents.document_upload, name="document-upload"),
    path(document, documents.document_detail, name="document-detail"),
    path(f"{document}versions/new/", documents.document_version_add, name="document-version-add"),
    path(f"{document}versions/<int:number>/download/", documents.document_download, name="document-download"),
    path(f"{document}sensitivity/", documents.document_sensitivity, name="document-sensitivity"),
    path(f"{document}redaction/", documents.document_redaction, name="document-redaction"),
    # Exhibits, unused material schedules, the MG5 and the printouts
    *urls_records.urlpatterns,
    # Files for a National File Standard stage, their quality reports and the CPS assessment
    path("", include("files.urls_submissions")),
]
