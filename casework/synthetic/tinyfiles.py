"""Tiny real files: a one-page PDF with text, an MP4 container, a PNG and a WAV, each a few hundred bytes or
less, that ``python-magic`` recognises as what their ``mime_type`` says."""

from __future__ import annotations

import struct
import zlib


def pdf(lines: list[str]) -> bytes:
    """A one-page PDF 1.4 with the lines as text (Helvetica), that pypdf opens and libmagic calls a PDF."""

    def escape(line: str) -> str:
        return (
            line.encode("latin-1", "replace")
            .decode("latin-1")
            .replace("\\", "\\\\")
            .replace("(", "\\(")
            .replace(")", "\\)")
        )

    stream = "BT /F1 10 Tf 50 800 Td 12 TL " + " ".join(f"({escape(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
    ]
    out = "%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out.encode("latin-1")))
        out += f"{n} 0 obj\n{body}\nendobj\n"
    xref = len(out.encode("latin-1"))
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def mp4(tag: str, number: int) -> bytes:
    """An MP4 container (ftyp, a free box naming the document, an empty mdat): libmagic says video/mp4."""
    return (
        box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2avc1mp41")
        + box(b"free", f"{tag}/{number}".encode())
        + box(b"mdat", b"\x00" * 16)
    )


def png(r: int, g: int, b: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes((r, g, b)) * 4 for _ in range(4))
    header = struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def wav(samples: int) -> bytes:
    data = bytes(128 + (n * 37) % 64 for n in range(samples))
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 8000, 1, 8)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body
