//! Integer geometry on the canvas: [`Size`], [`Rect`], [`Align`] and the
//! edge splitting of SPEC §4.1 ([`split_edge`]).
//!
//! Every rectangle the library outputs is whole pixels with a top-left origin.
//! Splitting computes each *edge* from the whole length rather than adding up
//! part sizes, so neighbouring tiles share their edge exactly: there is never
//! a seam or an overlap, whatever the canvas size.

/// A width and a height in pixels.
///
/// ```
/// use mixlayout::Size;
/// let s = Size::new(1920, 1080);
/// assert_eq!(s.area(), 2_073_600);
/// assert!(!s.is_portrait());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Size {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Size {
    /// A size of `width` x `height` pixels.
    #[inline]
    pub const fn new(width: u32, height: u32) -> Self {
        Size { width, height }
    }

    /// Number of pixels, computed in 64 bits so that it cannot overflow.
    #[inline]
    pub const fn area(self) -> u64 {
        self.width as u64 * self.height as u64
    }

    /// True when the height is greater than the width.
    #[inline]
    pub const fn is_portrait(self) -> bool {
        self.height > self.width
    }
}

/// The size of a source picture (a camera or a shared screen): width and
/// height each in `1..=8192` (SPEC §1), checked when it is made.
///
/// ```
/// use mixlayout::SourceSize;
/// assert!(SourceSize::new(1280, 720).is_some());
/// assert!(SourceSize::new(0, 720).is_none());
/// assert!(SourceSize::new(8193, 720).is_none());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SourceSize(Size);

impl SourceSize {
    /// The largest width or height of a source.
    pub const MAX_SIDE: u32 = 8192;

    /// A source size, or `None` when a side is outside `1..=8192`.
    pub const fn new(width: u32, height: u32) -> Option<Self> {
        if width == 0 || height == 0 || width > Self::MAX_SIDE || height > Self::MAX_SIDE {
            None
        } else {
            Some(SourceSize(Size::new(width, height)))
        }
    }

    /// The size in pixels.
    #[inline]
    pub const fn get(self) -> Size {
        self.0
    }

    /// Width in pixels.
    #[inline]
    pub const fn width(self) -> u32 {
        self.0.width
    }

    /// Height in pixels.
    #[inline]
    pub const fn height(self) -> u32 {
        self.0.height
    }
}

/// A rectangle of whole pixels: `x`, `y` is the top-left corner, the
/// rectangle covers columns `x..x + width` and rows `y..y + height`.
///
/// Coordinates are `u32`; the library only builds rectangles inside a canvas
/// of at most 8192 x 8192 pixels (or inside a source picture of that size), so
/// `x + width` never overflows. A rectangle may be empty (zero width or
/// height) only where SPEC §5's rounding makes it so for extreme aspect
/// ratios; tile rectangles are never empty.
///
/// ```
/// use mixlayout::Rect;
/// let r = Rect::from_edges(10, 20, 110, 70);
/// assert_eq!(r, Rect::new(10, 20, 100, 50));
/// assert_eq!((r.right(), r.bottom()), (110, 70));
/// assert!(r.contains_rect(Rect::new(10, 20, 1, 1)));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Rect {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Rect {
    /// A rectangle from its top-left corner and its size.
    pub const fn new(x: u32, y: u32, width: u32, height: u32) -> Self {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    /// A rectangle from its four edges; `right >= left` and `bottom >= top`
    /// (an inverted pair gives an empty rectangle rather than wrapping).
    #[inline]
    pub const fn from_edges(left: u32, top: u32, right: u32, bottom: u32) -> Self {
        Rect {
            x: left,
            y: top,
            width: right.saturating_sub(left),
            height: bottom.saturating_sub(top),
        }
    }

    /// The rectangle `(0, 0)` of the given size.
    #[inline]
    pub const fn from_size(size: Size) -> Self {
        Rect::new(0, 0, size.width, size.height)
    }

    /// Right edge, exclusive (`x + width`).
    #[inline]
    pub const fn right(self) -> u32 {
        self.x + self.width
    }

    /// Bottom edge, exclusive (`y + height`).
    #[inline]
    pub const fn bottom(self) -> u32 {
        self.y + self.height
    }

    /// The size of the rectangle.
    #[inline]
    pub const fn size(self) -> Size {
        Size::new(self.width, self.height)
    }

    /// True when the rectangle covers no pixel.
    #[inline]
    pub const fn is_empty(self) -> bool {
        self.width == 0 || self.height == 0
    }

    /// True when `other` lies inside `self` (edges included).
    #[inline]
    pub const fn contains_rect(self, other: Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right()
            && other.bottom() <= self.bottom()
    }

    /// True when the two rectangles share at least one pixel.
    #[inline]
    pub const fn overlaps(self, other: Rect) -> bool {
        !self.is_empty()
            && !other.is_empty()
            && self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// The rectangle reflected left-to-right inside a canvas `canvas_width`
    /// wide: `x` becomes `canvas_width - x - width` (SPEC §4.3's mirror).
    ///
    /// ```
    /// use mixlayout::Rect;
    /// assert_eq!(Rect::new(0, 5, 30, 10).mirrored(100), Rect::new(70, 5, 30, 10));
    /// ```
    #[inline]
    pub const fn mirrored(self, canvas_width: u32) -> Self {
        Rect::new(
            canvas_width.saturating_sub(self.right()),
            self.y,
            self.width,
            self.height,
        )
    }
}

/// Pixel alignment of tile edges (`layout_options.align`): 1, or 2 so that
/// every tile starts on an even pixel and 4:2:0 chroma planes stay aligned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Align {
    /// Edges on any pixel.
    One,
    /// Edges on even pixels (the default).
    #[default]
    Two,
}

impl Align {
    /// The alignment as a number of pixels.
    #[inline]
    pub const fn pixels(self) -> u32 {
        match self {
            Align::One => 1,
            Align::Two => 2,
        }
    }

    /// `1` or `2`; any other value is not an alignment.
    ///
    /// ```
    /// use mixlayout::Align;
    /// assert_eq!(Align::from_pixels(2), Some(Align::Two));
    /// assert_eq!(Align::from_pixels(3), None);
    /// ```
    pub const fn from_pixels(pixels: i64) -> Option<Self> {
        match pixels {
            1 => Some(Align::One),
            2 => Some(Align::Two),
            _ => None,
        }
    }
}

/// Edge `k` of `length` split into `parts` equal parts at alignment `align`
/// (SPEC §4.1): `e(0) = 0`, `e(parts) = length`, and in between
/// `a * floor((2*k*L + a*n) / (2*a*n))`, the aligned round-half-up of
/// `k * L / n`. Part `k` is `[e(k), e(k + 1))`.
///
/// `k` greater than `parts` is clamped to `parts`; `parts == 0` gives
/// `length` for every `k > 0`. The arithmetic is 32-bit: `length` is a canvas
/// side (at most 8192) and `parts` at most 10 in every template, so
/// `2 * k * length` stays far below `u32::MAX` (up to `parts <= 26_000`).
///
/// ```
/// use mixlayout::{split_edge, Align};
/// // 640 in three parts at alignment 2: widths 214, 212, 214.
/// let e: Vec<u32> = (0..=3).map(|k| split_edge(640, 3, k, Align::Two)).collect();
/// assert_eq!(e, [0, 214, 426, 640]);
/// ```
#[inline]
pub const fn split_edge(length: u32, parts: u32, k: u32, align: Align) -> u32 {
    if k == 0 {
        return 0;
    }
    if k >= parts {
        return length;
    }
    // length <= 8192 and parts <= 10 keep every term far below 2^32.
    let a = align.pixels();
    let num = 2 * k * length + a * parts;
    a * (num / (2 * a * parts))
}

/// The edges of `length` split into `parts` parts, written into `edges[..=parts]`.
///
/// Returns the filled prefix. Computing all edges of a row or column once keeps
/// the per-tile cost to two array reads.
pub(crate) fn split_edges(length: u32, parts: u32, align: Align, edges: &mut [u32]) -> &[u32] {
    let n = parts as usize;
    for (k, edge) in edges.iter_mut().take(n + 1).enumerate() {
        *edge = split_edge(length, parts, k as u32, align);
    }
    &edges[..=n]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_columns_of_640() {
        // 640/3 = 213.33: half-up at alignment 2 gives 214 for e(1);
        // e(2) = 2 * floor((2560 + 6) / 12) = 2 * 213 = 426.
        let edges: Vec<u32> = (0..=3).map(|k| split_edge(640, 3, k, Align::Two)).collect();
        assert_eq!(edges, [0, 214, 426, 640]);
        let widths: Vec<u32> = edges.windows(2).map(|w| w[1] - w[0]).collect();
        assert_eq!(widths, [214, 212, 214]);
    }

    #[test]
    fn alignment_one_rounds_half_up() {
        // 5 / 2 = 2.5 rounds up to 3.
        assert_eq!(split_edge(5, 2, 1, Align::One), 3);
        // 1920 / 7 * 6 = 1645.71: alignment 2 gives 1646 (SPEC §4.3, s = 5..6).
        assert_eq!(split_edge(1920, 7, 6, Align::Two), 1646);
    }

    #[test]
    fn ends_are_exact() {
        assert_eq!(split_edge(1080, 4, 0, Align::Two), 0);
        assert_eq!(split_edge(1080, 4, 4, Align::Two), 1080);
        assert_eq!(split_edge(1080, 4, 9, Align::Two), 1080);
    }

    #[test]
    fn mirror_keeps_size() {
        let r = Rect::new(1536, 270, 384, 270);
        assert_eq!(r.mirrored(1920), Rect::new(0, 270, 384, 270));
    }

    #[test]
    fn overlap_is_strict() {
        let a = Rect::new(0, 0, 10, 10);
        assert!(!a.overlaps(Rect::new(10, 0, 10, 10)));
        assert!(a.overlaps(Rect::new(9, 9, 10, 10)));
        assert!(!a.overlaps(Rect::new(5, 5, 0, 3)));
    }
}
