"""Where case material is stored, as production settings build it (config.settings.base in a
subprocess): the private filesystem by default, a private S3 bucket with DJANGO_STORAGE=s3.

Constructing the S3 storage opens no connection, so these tests need no network and no bucket."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.test import override_settings
from django.utils._os import safe_join

from files.models import DocumentVersion
from files.services.documents import _open_stored
from tests.unit.test_security_settings import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]

S3_ENV = {
    "DJANGO_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "casebridge-material",
    "AWS_S3_REGION_NAME": "eu-west-2",
    "AWS_S3_ENDPOINT_URL": "http://minio.invalid:9000",
}

DESCRIBE_DEFAULT_STORAGE = """
import json, django
django.setup()
from django.core.files.storage import default_storage as s
print(json.dumps({
    "class": s.__class__.__module__ + "." + s.__class__.__name__,
    "base_url_option": getattr(s, "_base_url", "absent"),
    "bucket_name": getattr(s, "bucket_name", None),
    "region_name": getattr(s, "region_name", None),
    "endpoint_url": getattr(s, "endpoint_url", None),
    "default_acl": getattr(s, "default_acl", "absent"),
    "querystring_auth": getattr(s, "querystring_auth", None),
    "querystring_expire": getattr(s, "querystring_expire", None),
    "file_overwrite": getattr(s, "file_overwrite", None),
    "object_parameters": getattr(s, "object_parameters", None),
}))
"""


def _run_in_production(code: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The developer's own AWS or storage variables must not decide the outcome.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "TWO_FACTOR", "AWS_"))}
    env.update(PRODUCTION_ENV)
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _default_storage(extra_env: dict[str, str]) -> dict[str, object]:
    result = _run_in_production(DESCRIBE_DEFAULT_STORAGE, extra_env)
    assert result.returncode == 0, result.stderr
    described: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return described


def test_default_storage_is_the_private_filesystem_without_configuration() -> None:
    storage = _default_storage({})

    assert storage["class"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert storage["base_url_option"] is None


def test_default_storage_is_a_private_s3_bucket_with_django_storage_s3() -> None:
    storage = _default_storage(S3_ENV)

    assert storage["class"] == "storages.backends.s3.S3Storage"
    assert storage["bucket_name"] == "casebridge-material"
    assert storage["region_name"] == "eu-west-2"
    assert storage["endpoint_url"] == "http://minio.invalid:9000"
    assert storage["default_acl"] is None
    assert storage["querystring_auth"] is True
    assert isinstance(storage["querystring_expire"], int)
    assert 0 < storage["querystring_expire"] <= 600
    assert storage["file_overwrite"] is False
    assert storage["object_parameters"] == {}


def test_s3_server_side_encryption_is_optional_and_configurable() -> None:
    storage = _default_storage(
        {**S3_ENV, "AWS_S3_SERVER_SIDE_ENCRYPTION": "aws:kms", "AWS_S3_SSE_KMS_KEY_ID": "alias/casebridge"}
    )

    assert storage["object_parameters"] == {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/casebridge"}


def test_s3_storage_refuses_to_start_without_a_bucket() -> None:
    result = _run_in_production("import django; django.setup()", {"DJANGO_STORAGE": "s3"})

    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_an_unknown_storage_kind_refuses_to_start() -> None:
    result = _run_in_production("import django; django.setup()", {"DJANGO_STORAGE": "s4"})

    assert result.returncode != 0
    assert "DJANGO_STORAGE must be 'filesystem' or 's3'" in result.stderr


class NoPathStorage(InMemoryStorage):
    """A storage that, like S3, has no local path for a stored file."""

    def _relative_path(self, name: str) -> str:
        return os.path.relpath(safe_join(self.location, name), self.location)

    def path(self, name: str) -> str:
        raise NotImplementedError("This backend doesn't support absolute paths.")


@override_settings(STORAGES={"default": {"BACKEND": f"{__name__}.NoPathStorage"}})
def test_stored_versions_are_read_through_storage_open_not_a_filesystem_path() -> None:
    # Scanning, text extraction and downloads all read a version through _open_stored.
    storage = DocumentVersion._meta.get_field("file").storage  # type: ignore[union-attr]
    assert isinstance(storage, NoPathStorage)
    name = storage.save("documents/opaque-name", ContentFile(b"%PDF-1.7 case material"))

    with _open_stored(DocumentVersion(file=name)) as stream:
        assert stream.read() == b"%PDF-1.7 case material"
