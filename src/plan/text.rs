//! Where labels and initials go (§7): sizes in font pixels of an 8x8
//! bitmap font, so that every painter puts them in the same place.

use crate::geometry::Rect;

/// Side of a glyph cell, in font pixels.
pub const GLYPH: u32 = 8;

/// Font scale for a tile's label: larger tiles get larger text (1x to 3x).
fn label_scale(tile: Rect) -> u32 {
    ((tile.height + 60) / 120).clamp(1, 3)
}

/// The label of a tile whose label has `chars` characters: its dark box in
/// the tile's bottom-left corner, how many characters fit (long labels are
/// cut), and the font scale; `None` when the tile is too small for a line.
/// With rounded corners of `radius`, the box moves in from the corner by
/// `radius - radius / sqrt(2)`, where the curve meets the corner's
/// diagonal, so that the curve does not cut it.
///
/// ```
/// use mixlayout::plan::label_box;
/// use mixlayout::Rect;
/// // A 640x360 tile: scale 3, 24-pixel glyphs, 6 pixels of padding.
/// let (area, chars, scale) = label_box(Rect::new(0, 0, 640, 360), 5, 0).unwrap();
/// assert_eq!((area, chars, scale), (Rect::new(0, 324, 132, 36), 5, 3));
/// // Corners of 20 move it in by 6: 20 - 14.1 = 5.9.
/// let (area, _, _) = label_box(Rect::new(0, 0, 640, 360), 5, 20).unwrap();
/// assert_eq!(area, Rect::new(6, 318, 132, 36));
/// assert!(label_box(Rect::new(0, 0, 20, 10), 5, 0).is_none());
/// ```
pub fn label_box(tile: Rect, chars: usize, radius: u32) -> Option<(Rect, usize, u32)> {
    let scale = label_scale(tile);
    let pad = 2 * scale;
    let line = GLYPH * scale;
    let inset = radius - (f64::from(radius) / std::f64::consts::SQRT_2).round() as u32;
    if tile.height < line + 2 * pad + inset || tile.width < line + 2 * pad + inset {
        return None;
    }
    let fits = ((tile.width - 2 * pad - inset) / line) as usize;
    let shown = chars.min(fits);
    let area = Rect::new(
        tile.x + inset,
        tile.bottom() - line - 2 * pad - inset,
        shown as u32 * line + 2 * pad,
        line + 2 * pad,
    );
    Some((area, shown, scale))
}

/// Up to two initials of a label: the first letters of its first two words,
/// or the first two characters of a single word, in upper case.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Initials {
    chars: [char; 2],
    len: u8,
}

impl Initials {
    /// The initials, in order.
    pub fn chars(&self) -> &[char] {
        &self.chars[..usize::from(self.len)]
    }

    fn push(&mut self, c: char) {
        if usize::from(self.len) < self.chars.len() {
            // An upper case that is several characters keeps its first.
            self.chars[usize::from(self.len)] = c.to_uppercase().next().unwrap_or(c);
            self.len += 1;
        }
    }
}

/// The initials of `label`.
///
/// ```
/// use mixlayout::plan::initials;
/// assert_eq!(initials("Alice Smith").chars(), ['A', 'S']);
/// assert_eq!(initials("bob").chars(), ['B', 'O']);
/// assert_eq!(initials("jean-luc picard").chars(), ['J', 'L']);
/// assert_eq!(initials("").chars(), []);
/// ```
pub fn initials(label: &str) -> Initials {
    let mut words = label
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '_' | '.'))
        .filter(|w| !w.is_empty());
    let first = words.next().unwrap_or("");
    let mut out = Initials::default();
    match words.next() {
        Some(second) => {
            first
                .chars()
                .take(1)
                .chain(second.chars().take(1))
                .for_each(|c| out.push(c));
        }
        None => first.chars().take(2).for_each(|c| out.push(c)),
    }
    out
}

/// Where a label's initials go in `tile`: top-left, scale and shadow offset;
/// about a third of the tile's height and no wider than 80% of it, centred.
pub(crate) fn initials_box(tile: Rect, label: &str) -> Option<((u32, u32), u32, u32)> {
    let chars = initials(label).chars().len() as u32;
    if chars == 0 {
        return None;
    }
    let scale = (tile.height / 3 / GLYPH).min(tile.width * 4 / 5 / (chars * GLYPH));
    if scale == 0 {
        return None;
    }
    let (w, h) = (chars * GLYPH * scale, GLYPH * scale);
    let at = (
        tile.x + (tile.width - w) / 2,
        tile.y + (tile.height - h) / 2,
    );
    Some((at, scale, (scale / 4).max(1)))
}
