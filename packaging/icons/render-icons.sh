#!/usr/bin/env bash
# Regenerates the app icon's PNGs (and the Windows .ico) from finetune-studio.svg.
# The results are committed, so builds never need an SVG renderer.
#
#   packaging/icons/render-icons.sh
#
# Needs rsvg-convert (Debian: librsvg2-bin) and, for the .ico, ImageMagick's convert.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

command -v rsvg-convert >/dev/null || { echo "error: rsvg-convert is missing: apt-get install librsvg2-bin" >&2; exit 1; }

# 16-256: the hicolor theme sizes (Linux); 512: the macOS .icns (256 @2x).
for size in 16 24 32 48 64 128 256 512; do
  rsvg-convert --width "$size" --height "$size" finetune-studio.svg -o "finetune-studio-$size.png"
done

if command -v convert >/dev/null; then
  # Windows: one .ico with the sizes Explorer and the taskbar pick from.
  convert finetune-studio-16.png finetune-studio-24.png finetune-studio-32.png \
    finetune-studio-48.png finetune-studio-64.png finetune-studio-128.png \
    finetune-studio-256.png finetune-studio.ico
else
  echo "warning: ImageMagick's convert is missing; finetune-studio.ico left as it was" >&2
fi
echo "rendered: $(ls finetune-studio-*.png finetune-studio.ico | tr '\n' ' ')"
