#!/usr/bin/env python3
"""The demo signatures of the warehouse keeper (王强) and the QC inspector (赵丽).

A name written with a pen, drawn with PIL, in dark blue ink on a transparent
background; the demo data holds the PNGs in base64. Run again (with the Noto CJK
fonts installed) and paste the printed base64 into the demo files to change them:

    python scripts/demo_signatures.py
"""

import base64
import io
import math
import random

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
FONT_INDEX = 2  # Noto Serif CJK SC
WIDTH, HEIGHT, SCALE = 360, 120, 3


def signature(text, seed):
    random.seed(seed)
    img = Image.new("RGBA", (WIDTH * SCALE, HEIGHT * SCALE), (0, 0, 0, 0))
    font = ImageFont.truetype(FONT, 64 * SCALE, index=FONT_INDEX)
    x = 30 * SCALE
    for char in text:
        layer = Image.new("RGBA", (110 * SCALE, 110 * SCALE), (0, 0, 0, 0))
        ImageDraw.Draw(layer).text(
            (10 * SCALE, 0), char, font=font, fill=(25, 25, 25, 255)
        )
        layer = layer.rotate(random.uniform(-14, 6), resample=Image.BICUBIC)
        # slanted like handwriting
        layer = layer.transform(
            layer.size,
            Image.AFFINE,
            (1, 0.28, -15 * SCALE, 0, 1, 0),
            resample=Image.BICUBIC,
        )
        img.alpha_composite(layer, (x, int(random.uniform(2, 12) * SCALE)))
        x += int(random.uniform(62, 74) * SCALE)
    # the stroke under the name
    points = [
        (
            (25 + t * (x / SCALE - 10)) * SCALE,
            (98 + 6 * math.sin(t * math.pi * 1.3) - 10 * t) * SCALE,
        )
        for t in (i / 59 for i in range(60))
    ]
    ImageDraw.Draw(img).line(
        points, fill=(25, 25, 25, 255), width=3 * SCALE, joint="curve"
    )
    img = img.resize((WIDTH, HEIGHT), Image.LANCZOS)
    ink = Image.new("RGBA", img.size, (20, 40, 110, 0))
    ink.putalpha(img.getchannel("A"))
    box = ink.getchannel("A").getbbox()
    ink = ink.crop(
        (
            max(box[0] - 8, 0),
            max(box[1] - 8, 0),
            min(box[2] + 8, WIDTH),
            min(box[3] + 8, HEIGHT),
        )
    )
    out = io.BytesIO()
    ink.quantize(colors=16, method=Image.FASTOCTREE).save(out, "PNG", optimize=True)
    return out.getvalue()


if __name__ == "__main__":
    for role, name, seed in (("keeper", "王强", 3), ("inspector", "赵丽", 7)):
        print(f"{role}: {base64.b64encode(signature(name, seed)).decode()}")
