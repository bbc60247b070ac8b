//! Labels in a built-in 8x8 bitmap font (`font8x8`, public domain): the same
//! text gives the same pixels on every machine, with no system font.

use font8x8::legacy::{BASIC_LEGACY, LATIN_LEGACY};
use image::RgbImage;

use crate::geometry::Rect;

/// Side of a glyph cell, in font pixels.
const GLYPH: u32 = 8;

/// The glyph of `c`; characters the font lacks become `?`.
fn glyph(c: char) -> [u8; 8] {
    let code = c as usize;
    match code {
        0x20..=0x7e => BASIC_LEGACY[code],
        0xa1..=0xff => LATIN_LEGACY[code - 0xa0],
        _ => BASIC_LEGACY[usize::from(b'?')],
    }
}

/// Blends `color` over the pixel at `alpha` (0..=255).
fn blend(pixel: &mut image::Rgb<u8>, color: [u8; 3], alpha: u32) {
    for (p, c) in pixel.0.iter_mut().zip(color) {
        *p = ((u32::from(c) * alpha + u32::from(*p) * (255 - alpha) + 127) / 255) as u8;
    }
}

/// Darkens `area ∩ clip` by blending black at `alpha`.
fn shade(canvas: &mut RgbImage, area: Rect, clip: Rect, alpha: u32) {
    let (x0, y0) = (area.x.max(clip.x), area.y.max(clip.y));
    let (x1, y1) = (
        area.right().min(clip.right()),
        area.bottom().min(clip.bottom()),
    );
    for y in y0..y1 {
        for x in x0..x1 {
            blend(canvas.get_pixel_mut(x, y), [0, 0, 0], alpha);
        }
    }
}

/// Draws `text` with its top-left at (`x`, `y`), each font pixel `scale`
/// canvas pixels wide, clipped to `clip`.
fn draw_text(
    canvas: &mut RgbImage,
    text: &str,
    x: u32,
    y: u32,
    scale: u32,
    color: [u8; 3],
    clip: Rect,
) {
    for (i, c) in text.chars().enumerate() {
        let gx = x + i as u32 * GLYPH * scale;
        for (row, bits) in glyph(c).iter().enumerate() {
            for col in 0..GLYPH {
                if bits & (1 << col) == 0 {
                    continue;
                }
                let px = Rect::new(gx + col * scale, y + row as u32 * scale, scale, scale);
                let (x0, y0) = (px.x.max(clip.x), px.y.max(clip.y));
                let (x1, y1) = (px.right().min(clip.right()), px.bottom().min(clip.bottom()));
                for yy in y0..y1 {
                    for xx in x0..x1 {
                        canvas.put_pixel(xx, yy, image::Rgb(color));
                    }
                }
            }
        }
    }
}

/// Font scale for a tile: larger tiles get larger text (1x to 3x).
fn label_scale(tile: Rect) -> u32 {
    ((tile.height + 60) / 120).clamp(1, 3)
}

/// Draws `label` in the bottom-left corner of `tile` on a dark box, cut to
/// the tile's width; a tile too small for one line gets none.
pub(crate) fn draw_label(canvas: &mut RgbImage, tile: Rect, label: &str) {
    let scale = label_scale(tile);
    let pad = 2 * scale;
    let line = GLYPH * scale;
    if tile.height < line + 2 * pad || tile.width < line + 2 * pad {
        return;
    }
    let fits = ((tile.width - 2 * pad) / line) as usize;
    let shown: String = label.chars().take(fits).collect();
    let width = shown.chars().count() as u32 * line + 2 * pad;
    let area = Rect::new(
        tile.x,
        tile.bottom() - line - 2 * pad,
        width,
        line + 2 * pad,
    );
    shade(canvas, area, tile, 160);
    draw_text(
        canvas,
        &shown,
        area.x + pad,
        area.y + pad,
        scale,
        [255, 255, 255],
        tile,
    );
}

/// Up to two initials of a label: the first letters of its first two words,
/// or the first two characters of a single word, in upper case.
pub(crate) fn initials(label: &str) -> String {
    let mut words = label
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '_' | '.'))
        .filter(|w| !w.is_empty());
    let first = words.next().unwrap_or("");
    let letters: String = match words.next() {
        Some(second) => first
            .chars()
            .take(1)
            .chain(second.chars().take(1))
            .collect(),
        None => first.chars().take(2).collect(),
    };
    letters.to_uppercase()
}

/// Draws `label`'s initials large and centred in `tile`, with a shadow so
/// that they read on any placeholder image.
pub(crate) fn draw_initials(canvas: &mut RgbImage, tile: Rect, label: &str) {
    let text = initials(label);
    let chars = text.chars().count() as u32;
    if chars == 0 {
        return;
    }
    // About a third of the tile's height, and no wider than 80% of it.
    let scale = (tile.height / 3 / GLYPH).min(tile.width * 4 / 5 / (chars * GLYPH));
    if scale == 0 {
        return;
    }
    let (w, h) = (chars * GLYPH * scale, GLYPH * scale);
    let x = tile.x + (tile.width - w) / 2;
    let y = tile.y + (tile.height - h) / 2;
    let shadow = (scale / 4).max(1);
    draw_text(
        canvas,
        &text,
        x + shadow,
        y + shadow,
        scale,
        [0, 0, 0],
        tile,
    );
    draw_text(canvas, &text, x, y, scale, [235, 235, 235], tile);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_labels() {
        assert_eq!(initials("Alice Smith"), "AS");
        assert_eq!(initials("bob"), "BO");
        assert_eq!(initials("u1"), "U1");
        assert_eq!(initials("jean-luc picard"), "JL");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn missing_glyphs_are_question_marks() {
        assert_eq!(glyph('€'), glyph('?'));
        assert_ne!(glyph('é'), glyph('?'));
        assert_ne!(glyph('A'), glyph('?'));
    }

    #[test]
    fn labels_stay_inside_their_tile() {
        let mut canvas = RgbImage::from_pixel(100, 60, image::Rgb([10, 200, 30]));
        let tile = Rect::new(20, 10, 40, 30);
        draw_label(&mut canvas, tile, "a very long label that cannot fit");
        for (x, y, p) in canvas.enumerate_pixels() {
            if !tile.contains_rect(Rect::new(x, y, 1, 1)) {
                assert_eq!(p.0, [10, 200, 30], "({x}, {y}) outside the tile changed");
            }
        }
        // Something was drawn in the tile's bottom-left corner.
        assert_ne!(canvas.get_pixel(21, 38).0, [10, 200, 30]);
    }

    #[test]
    fn tiny_tiles_get_no_label() {
        let mut canvas = RgbImage::from_pixel(20, 10, image::Rgb([1, 2, 3]));
        draw_label(&mut canvas, Rect::new(0, 0, 20, 10), "Alice");
        assert!(canvas.pixels().all(|p| p.0 == [1, 2, 3]));
    }
}
