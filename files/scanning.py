"""A small client for the ClamAV daemon (clamd), speaking its INSTREAM protocol.

The file is streamed to clamd over its socket in chunks, each preceded by its length as a 4-byte
big-endian number, and ended by a zero length::

    zINSTREAM\\0  <len><bytes> <len><bytes> ... <0000>

clamd answers ``stream: OK\\0``, ``stream: <signature> FOUND\\0`` or ``... ERROR\\0`` (for
instance ``INSTREAM size limit exceeded. ERROR`` when the file is larger than its
``StreamMaxLength``, which must therefore be at least ``FILE_UPLOAD_MAX_BYTES``).

Where clamd is: ``CLAMAV_SOCKET`` (a unix socket path, e.g. ``/var/run/clamav/clamd.ctl`` with
Debian's clamav-daemon) or ``CLAMAV_HOST``/``CLAMAV_PORT`` (TCP). Signatures come from freshclam
in production; the test signature database is ``files/clamav/casebridge-test.ndb`` (the EICAR
test string only).
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import IO

from django.conf import settings

CHUNK_SIZE = 64 * 1024
_END = struct.pack("!I", 0)


class ClamdError(Exception):
    """clamd could not be reached, or could not scan the stream."""


class ClamdUnavailable(ClamdError):
    """No connection to clamd (not running, wrong socket): worth trying again later."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""


def parse_reply(reply: bytes) -> ScanResult:
    """Read clamd's answer to one INSTREAM command."""
    text = reply.rstrip(b"\0\r\n").decode("utf-8", "replace").strip()
    if not text:
        raise ClamdUnavailable("clamd closed the connection without an answer")
    _, _, verdict = text.partition(": ") if text.startswith("stream:") else ("", "", text)
    if verdict == "OK":
        return ScanResult(clean=True)
    if verdict.endswith(" FOUND"):
        return ScanResult(clean=False, signature=verdict.removesuffix(" FOUND").strip())
    raise ClamdError(f"clamd could not scan the file: {text[:150]}")


@dataclass(frozen=True)
class ClamdClient:
    socket_path: str = ""
    host: str = ""
    port: int = 3310
    timeout: float = 120.0
    chunk_size: int = CHUNK_SIZE

    @classmethod
    def from_settings(cls) -> ClamdClient:
        return cls(
            socket_path=str(getattr(settings, "CLAMAV_SOCKET", "") or ""),
            host=str(getattr(settings, "CLAMAV_HOST", "") or ""),
            port=int(getattr(settings, "CLAMAV_PORT", 3310)),
            timeout=float(getattr(settings, "CLAMAV_TIMEOUT", 120.0)),
        )

    def _connect(self) -> socket.socket:
        try:
            if self.socket_path:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(self.timeout)
                try:
                    sock.connect(self.socket_path)
                except OSError:
                    sock.close()
                    raise
                return sock
            if self.host:
                return socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise ClamdUnavailable(f"cannot connect to clamd: {exc.strerror or exc}") from exc
        raise ClamdUnavailable("clamd is not configured: set CLAMAV_SOCKET, or CLAMAV_HOST and CLAMAV_PORT")

    @staticmethod
    def _read_reply(sock: socket.socket) -> bytes:
        reply = b""
        while not reply.endswith(b"\0"):
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
        return reply

    def ping(self) -> bool:
        try:
            with self._connect() as sock:
                sock.sendall(b"zPING\0")
                return self._read_reply(sock).rstrip(b"\0") == b"PONG"
        except (ClamdError, OSError):
            return False

    def instream(self, stream: IO[bytes]) -> ScanResult:
        """Scan everything readable from ``stream``."""
        with self._connect() as sock:
            try:
                sock.sendall(b"zINSTREAM\0")
                while chunk := stream.read(self.chunk_size):
                    sock.sendall(struct.pack("!I", len(chunk)) + chunk)
                sock.sendall(_END)
            except (BrokenPipeError, ConnectionResetError):
                # clamd closes the connection early when the stream passes StreamMaxLength; its
                # answer saying so is already waiting to be read.
                pass
            except OSError as exc:
                raise ClamdUnavailable(f"lost the connection to clamd: {exc.strerror or exc}") from exc
            try:
                reply = self._read_reply(sock)
            except OSError as exc:
                raise ClamdUnavailable(f"no answer from clamd: {exc.strerror or exc}") from exc
        return parse_reply(reply)
