"""Wraps a JPEG 2000 codestream in a minimal JP2 file (signature, file type, header with an sRGB or
greyscale colour box, codestream), for servers that only read JP2 files. Usage: wrap-jp2.py IN OUT"""
import struct
import sys


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def main() -> None:
    src, dst = sys.argv[1], sys.argv[2]
    code = open(src, "rb").read()
    # The SIZ segment follows SOC: Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz, four tile fields, Csiz, then
    # Ssiz per component (the first one's depth stands for all in ihdr).
    if code[:4] != b"\xff\x4f\xff\x51":
        sys.exit(f"{src}: not a JPEG 2000 codestream (no SOC then SIZ)")
    xsiz, ysiz, x0, y0 = struct.unpack(">IIII", code[8:24])
    ncomp = struct.unpack(">H", code[40:42])[0]
    bits = (code[42] & 0x7F) + 1
    ihdr = struct.pack(">IIHBBBB", ysiz - y0, xsiz - x0, ncomp, bits - 1, 7, 0, 0)
    colr = struct.pack(">BBBI", 1, 0, 0, 16 if ncomp >= 3 else 17)
    out = (
        box(b"jP  ", b"\r\n\x87\n")
        + box(b"ftyp", b"jp2 " + struct.pack(">I", 0) + b"jp2 ")
        + box(b"jp2h", box(b"ihdr", ihdr) + box(b"colr", colr))
        + box(b"jp2c", code)
    )
    open(dst, "wb").write(out)


if __name__ == "__main__":
    main()
