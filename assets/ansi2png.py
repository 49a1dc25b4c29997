#!/usr/bin/env python3
"""Render a terminal capture (tmux capture-pane -e output: text with SGR
colour codes) to a PNG, cell by cell, so README screenshots come from the
real program rather than a mock-up.

Usage: ansi2png.py CAPTURE.ans OUT.png COLS ROWS [dark|light]
The last argument is the terminal's own colours (dark by default): `light`
draws a light terminal, as the light theme is meant for.
Needs: pillow and fonttools (pip install pillow fonttools), DejaVu fonts.
"""

import re
import sys

from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
MONO = FONT_DIR + "DejaVuSansMono.ttf"
MONO_BOLD = FONT_DIR + "DejaVuSansMono-Bold.ttf"
FALLBACK = FONT_DIR + "DejaVuSans.ttf"
SIZE = 16
CELL_W, CELL_H = 10, 20

# The 16 colours and default foreground and background of a dark terminal
# and of a light one (Tomorrow Night and Tomorrow, as many terminals ship).
TERMINALS = {
    "dark": (
        [
            (0x1d, 0x1f, 0x21), (0xcc, 0x66, 0x66), (0xb5, 0xbd, 0x68), (0xf0, 0xc6, 0x74),
            (0x81, 0xa2, 0xbe), (0xb2, 0x94, 0xbb), (0x8a, 0xbe, 0xb7), (0xc5, 0xc8, 0xc6),
            (0x66, 0x66, 0x66), (0xd5, 0x4e, 0x53), (0xb9, 0xca, 0x4a), (0xe7, 0xc5, 0x47),
            (0x7a, 0xa6, 0xda), (0xc3, 0x97, 0xd8), (0x70, 0xc0, 0xb1), (0xea, 0xea, 0xea),
        ],
        (0xc5, 0xc8, 0xc6),
        (0x12, 0x14, 0x16),
    ),
    "light": (
        [
            (0x1d, 0x1f, 0x21), (0xc8, 0x28, 0x29), (0x71, 0x8c, 0x00), (0xb5, 0x89, 0x00),
            (0x42, 0x71, 0xae), (0x89, 0x59, 0xa8), (0x3e, 0x99, 0x9f), (0xd6, 0xd6, 0xd6),
            (0x6e, 0x70, 0x6e), (0xe0, 0x3e, 0x3f), (0x5f, 0xa0, 0x00), (0xd4, 0xa0, 0x00),
            (0x2f, 0x6d, 0xd0), (0xa6, 0x5f, 0xc9), (0x2c, 0xa4, 0xab), (0xff, 0xff, 0xff),
        ],
        (0x1d, 0x1f, 0x21),
        (0xfa, 0xfa, 0xfa),
    ),
}
PALETTE, DEFAULT_FG, DEFAULT_BG = TERMINALS["dark"]


def xterm256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)


def parse(text, cols, rows):
    """A grid of (char, fg, bg, bold) from SGR-coloured lines."""
    grid = [[(" ", DEFAULT_FG, DEFAULT_BG, False) for _ in range(cols)] for _ in range(rows)]
    # tmux writes only what changes from the cell before, across line ends
    # too, so the style carries over from one line to the next.
    fg, bg, bold, reverse, dim = DEFAULT_FG, DEFAULT_BG, False, False, False
    for y, line in enumerate(text.split("\n")[:rows]):
        x = 0
        for token in re.split(r"(\x1b\[[0-9;]*m)", line):
            if token.startswith("\x1b["):
                codes = [int(c) if c else 0 for c in token[2:-1].split(";")]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        fg, bg, bold, reverse, dim = DEFAULT_FG, DEFAULT_BG, False, False, False
                    elif c == 1:
                        bold = True
                    elif c == 2:
                        dim = True
                    elif c == 7:
                        reverse = True
                    elif c in (22,):
                        bold = dim = False
                    elif c == 27:
                        reverse = False
                    elif 30 <= c <= 37:
                        fg = PALETTE[c - 30]
                    elif 90 <= c <= 97:
                        fg = PALETTE[c - 90 + 8]
                    elif c == 39:
                        fg = DEFAULT_FG
                    elif 40 <= c <= 47:
                        bg = PALETTE[c - 40]
                    elif 100 <= c <= 107:
                        bg = PALETTE[c - 100 + 8]
                    elif c == 49:
                        bg = DEFAULT_BG
                    elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                        color = xterm256(codes[i + 2])
                        if c == 38:
                            fg = color
                        else:
                            bg = color
                        i += 2
                    i += 1
                continue
            for ch in token:
                if x >= cols:
                    break
                f, b = (bg, fg) if reverse else (fg, bg)
                if dim and not reverse:
                    f = tuple(v * 6 // 10 for v in f)
                grid[y][x] = (ch, f, b, bold)
                x += 1
    return grid


def main():
    global PALETTE, DEFAULT_FG, DEFAULT_BG
    src, out, cols, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    terminal = sys.argv[5] if len(sys.argv) > 5 else "dark"
    PALETTE, DEFAULT_FG, DEFAULT_BG = TERMINALS[terminal]
    text = open(src, encoding="utf-8").read()
    grid = parse(text, cols, rows)
    mono = ImageFont.truetype(MONO, SIZE)
    bold = ImageFont.truetype(MONO_BOLD, SIZE)
    fallback = ImageFont.truetype(FALLBACK, SIZE)
    covered = set(TTFont(MONO)["cmap"].getBestCmap())
    pad = 8
    img = Image.new("RGB", (cols * CELL_W + 2 * pad, rows * CELL_H + 2 * pad), DEFAULT_BG)
    draw = ImageDraw.Draw(img)
    for y, row in enumerate(grid):
        for x, (ch, fg, bg, is_bold) in enumerate(row):
            px, py = pad + x * CELL_W, pad + y * CELL_H
            draw.rectangle([px, py, px + CELL_W - 1, py + CELL_H - 1], fill=bg)
            if ch == " ":
                continue
            # Block elements fill their cell exactly, as a terminal draws them.
            if ch == "█":
                draw.rectangle([px, py, px + CELL_W - 1, py + CELL_H - 1], fill=fg)
                continue
            font = (bold if is_bold else mono) if ord(ch) in covered else fallback
            draw.text((px, py + 1), ch, font=font, fill=fg)
    img.save(out)


if __name__ == "__main__":
    main()
