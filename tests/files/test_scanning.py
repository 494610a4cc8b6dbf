"""The INSTREAM client of files.scanning against a real clamd (started by the ``clamd`` session
fixture with the repository's test signature database), and the reading of clamd's answers."""

from __future__ import annotations

import io

import pytest

from files.scanning import ClamdClient, ClamdError, ClamdUnavailable, ScanResult, parse_reply
from tests.files.conftest import EICAR, fixture_bytes


@pytest.mark.parametrize(
    ("reply", "result"),
    [
        (b"stream: OK\0", ScanResult(clean=True)),
        (b"stream: Eicar-Test-Signature FOUND\0", ScanResult(clean=False, signature="Eicar-Test-Signature")),
        (
            b"stream: Win.Test.EICAR_HDB-1.UNOFFICIAL FOUND\0",
            ScanResult(clean=False, signature="Win.Test.EICAR_HDB-1.UNOFFICIAL"),
        ),
        (b"stream: OK\n", ScanResult(clean=True)),
    ],
)
def test_parse_reply(reply: bytes, result: ScanResult) -> None:
    assert parse_reply(reply) == result


def test_a_clamd_error_is_an_error_not_a_verdict() -> None:
    with pytest.raises(ClamdError, match="size limit exceeded") as raised:
        parse_reply(b"INSTREAM size limit exceeded. ERROR\0")
    assert not isinstance(raised.value, ClamdUnavailable), "retrying would not help"


def test_no_answer_means_try_again() -> None:
    with pytest.raises(ClamdUnavailable):
        parse_reply(b"")


def test_clamd_answers_ping(clamd: ClamdClient) -> None:
    assert clamd.ping()


def test_a_clean_file_is_clean(clamd: ClamdClient) -> None:
    assert clamd.instream(io.BytesIO(fixture_bytes("statement.pdf"))) == ScanResult(clean=True)


def test_the_eicar_test_file_is_found(clamd: ClamdClient) -> None:
    result = clamd.instream(io.BytesIO(EICAR))
    assert not result.clean
    assert result.signature.startswith("Eicar-Test-Signature")


def test_a_signature_split_across_chunks_is_found(clamd: ClamdClient) -> None:
    content = b"Officer's notes.\n" * 500 + EICAR + b"\n" + b"More notes.\n" * 500
    small_chunks = ClamdClient(socket_path=clamd.socket_path, chunk_size=7)
    assert not small_chunks.instream(io.BytesIO(content)).clean


def test_an_empty_stream_is_clean(clamd: ClamdClient) -> None:
    assert clamd.instream(io.BytesIO(b"")).clean


def test_scans_can_follow_each_other_on_new_connections(clamd: ClamdClient) -> None:
    verdicts = [clamd.instream(io.BytesIO(data)).clean for data in (EICAR, b"fine", EICAR, b"fine")]
    assert verdicts == [False, True, False, True]


def test_an_unreachable_clamd_is_unavailable(tmp_path: object) -> None:
    client = ClamdClient(socket_path="/nonexistent/clamd.sock")
    assert not client.ping()
    with pytest.raises(ClamdUnavailable, match="cannot connect"):
        client.instream(io.BytesIO(b"x"))


def test_an_unconfigured_clamd_is_unavailable() -> None:
    with pytest.raises(ClamdUnavailable, match="not configured"):
        ClamdClient().instream(io.BytesIO(b"x"))


def test_tcp_connection_refused_is_unavailable() -> None:
    with pytest.raises(ClamdUnavailable):
        ClamdClient(host="127.0.0.1", port=1, timeout=2).instream(io.BytesIO(b"x"))


def test_the_client_is_configured_from_settings(clamd: ClamdClient) -> None:
    assert ClamdClient.from_settings().socket_path == clamd.socket_path
    assert ClamdClient.from_settings().ping()
