"""Regenerates the test data in this folder (run from here: `python3 generate.py`).

Needs Pillow (pip install pillow numpy), ImageMagick's `convert`, libtiff's `tiffcp` and, for ycck.jpg and
cmyk_plain.jpg, a scratch Cargo project with the `jpeg-encoder` crate running make_cmyk.rs (Pillow cannot
write YCCK, nor CMYK without inverting it): `cargo run -- /tmp/gen` first. The fixtures are read from
/work/shared/fixtures. Reference statistics come from Pillow, i.e. libjpeg-turbo, so the tests compare
zune's decode with an independent decoder.
"""
import os
import shutil
import subprocess

import numpy as np
from PIL import Image, features

FIXTURES = "/work/shared/fixtures/"
SCRATCH = "/tmp/gen/"
VERSION = f"Pillow {Image.__version__}, libjpeg-turbo {features.version('libjpeg_turbo')}"


def write_ref(out, what, a, grid):
    """Per-channel mean, then the pixel at the centre of each cell of a grid×grid grid, hex."""
    a = a.astype(np.int64)
    if a.ndim == 2:
        a = a[:, :, None]
    h, w, c = a.shape
    mean = a.reshape(-1, c).mean(axis=0)
    lines = [
        f"# {what}, per {VERSION}: per-channel mean over all pixels, then the pixel at the centre of",
        f"# each cell of a {grid}x{grid} grid (x = (2i+1)*width/{2 * grid}, y likewise), one grid row a line, hex.",
        f"size {w} {h} {c}",
        "mean " + " ".join(f"{m:.4f}" for m in mean),
        f"grid {grid}",
    ]
    for j in range(grid):
        y = (2 * j + 1) * h // (2 * grid)
        lines.append(" ".join("".join("%02x" % v for v in a[y, (2 * i + 1) * w // (2 * grid)]) for i in range(grid)))
    open(out, "w").write("\n".join(lines) + "\n")


def rgb(path):
    return np.asarray(Image.open(path).convert("RGB"))


def cmyk_to_rgb(path):
    """Pillow hands back ink amounts (it undoes Adobe's inversion); RGB = (255-c)(255-k)/255, rounded."""
    ink = np.asarray(Image.open(path).convert("CMYK")).astype(np.int64)
    k = 255 - ink[:, :, 3:4]
    t = (255 - ink[:, :, :3]) * k + 128
    return (t + (t >> 8)) >> 8


def strip_segment(data, marker):
    """Removes every marker segment `marker` before the first SOS."""
    out, pos = bytearray(data[:2]), 2
    while data[pos + 1] != 0xDA:
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        if data[pos + 1] != marker:
            out += data[pos:pos + 2 + length]
        pos += 2 + length
    return bytes(out + data[pos:])


def tiff_tile(path, stem):
    """The JPEGTables and the first tile of a JPEG-compressed tiled TIFF, and Pillow's (libtiff's) pixels."""
    im = Image.open(path)
    tags = im.tag_v2
    raw = open(path, "rb").read()
    offset, count = tags[324][0], tags[325][0]
    open(stem + ".tables", "wb").write(tags[347])
    open(stem + ".tile", "wb").write(raw[offset:offset + count])
    tw, th = tags[322], tags[323]
    write_ref(stem + ".ref", f"{os.path.basename(path)} tile 0 (Photometric {tags[262]})",
              np.asarray(im.convert("RGB"))[:th, :tw], 16)


def main():
    for name, grid in [("Elephants_5640x3172.jpg", 64), ("rocket.jpg", 16), ("hubble_deep_field.jpg", 16)]:
        write_ref(name.split("_")[0].split(".")[0].lower() + ".ref", name, rgb(FIXTURES + name), grid)

    validator = np.asarray(Image.open(FIXTURES + "67352ccc-d1b0-11e1-89ae-279075081939.png"))
    lines = ["# The IIIF validator image's 10x10 squares (100 px each), as Pillow reads them: one row of squares",
             "# a line, RRGGBB hex, left to right."]
    for r in range(10):
        lines.append(" ".join("%02x%02x%02x" % tuple(validator[r * 100 + 50, c * 100 + 50]) for c in range(10)))
    open("validator_squares.ref", "w").write("\n".join(lines) + "\n")

    # Small JPEGs: odd sizes, grey, progressive 4:2:0, EXIF orientation.
    camera = Image.open(FIXTURES + "camera.png").resize((61, 45), Image.LANCZOS)
    camera.save("gray.jpg", quality=90)
    write_ref("gray.ref", "gray.jpg", np.asarray(Image.open("gray.jpg")), 15)
    chelsea = Image.open(FIXTURES + "chelsea.png").convert("RGB").resize((75, 50), Image.LANCZOS)
    chelsea.save("progressive.jpg", quality=90, progressive=True, subsampling="4:2:0")
    write_ref("progressive.ref", "progressive.jpg", rgb("progressive.jpg"), 25)
    exif = Image.Exif()
    exif[0x0112] = 6
    chelsea.resize((24, 16)).save("orient6.jpg", quality=90, exif=exif)

    # CMYK: Adobe-inverted from Pillow, YCCK and plain (uninverted, no APP14) from jpeg-encoder.
    patches = np.zeros((32, 48, 4), np.uint8)
    inks = [(0, 255, 255, 0), (255, 0, 255, 0), (255, 255, 0, 0), (0, 0, 0, 128), (64, 128, 0, 32), (0, 0, 0, 0)]
    for i, ink in enumerate(inks):
        patches[(i // 3) * 16:(i // 3 + 1) * 16, (i % 3) * 16:(i % 3 + 1) * 16] = ink
    Image.fromarray(patches, "CMYK").save("cmyk_adobe.jpg", quality=95, subsampling="4:4:4")
    shutil.copy(SCRATCH + "ycck.jpg", "ycck.jpg")
    open("cmyk_plain.jpg", "wb").write(strip_segment(open(SCRATCH + "cmyk_plain.jpg", "rb").read(), 0xEE))
    for stem in ["cmyk_adobe", "ycck", "cmyk_plain"]:
        write_ref(stem + ".ref", stem + ".jpg as RGB from its inks", cmyk_to_rgb(stem + ".jpg"), 6)

    # JPEG-in-TIFF: libtiff's YCbCr (4:2:0, tables from tiffcp) and RGB (component ids 'R','G','B').
    subprocess.run(["convert", FIXTURES + "astronaut.png", "-crop", "64x64+200+100", "+repage",
                    "-compress", "none", SCRATCH + "a64_raw.tif"], check=True)
    subprocess.run(["tiffcp", "-c", "jpeg:90", "-t", "-w", "32", "-l", "32", SCRATCH + "a64_raw.tif",
                    SCRATCH + "ycbcr.tif"], check=True)
    subprocess.run(["tiffcp", "-c", "jpeg:90:r", "-t", "-w", "32", "-l", "32", SCRATCH + "a64_raw.tif",
                    SCRATCH + "rgb.tif"], check=True)
    tiff_tile(SCRATCH + "ycbcr.tif", "tiff_ycbcr")
    tiff_tile(SCRATCH + "rgb.tif", "tiff_rgb")

    # Adam7-interlaced PNGs, 8- and 16-bit, of a crop of chelsea.png (the tests compare with the same crop).
    for depth in (8, 16):
        subprocess.run(["convert", FIXTURES + "chelsea.png", "-crop", "61x37+100+50", "+repage", "-strip",
                        "-depth", str(depth), "-interlace", "PNG", f"PNG48:adam7_{depth}.png" if depth == 16
                        else f"PNG24:adam7_{depth}.png"], check=True)

    # Animated PNGs (red, then green and blue frames), with and without the red image in the animation.
    red, green, blue = (Image.new("RGB", (8, 6), c) for c in [(255, 0, 0), (0, 255, 0), (0, 0, 255)])
    red.save("apng_default.png", save_all=True, append_images=[green, blue], default_image=True)
    red.save("apng.png", save_all=True, append_images=[green, blue])


if __name__ == "__main__":
    main()
