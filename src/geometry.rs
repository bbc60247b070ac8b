//! Integer geometry on the canvas: [`Size`], [`Rect`], [`Align`] and the
//! edge splitting of §4.1 ([`split_edge`], with padding and gap).
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

    /// The size with width and height swapped.
    ///
    /// ```
    /// use mixlayout::Size;
    /// assert_eq!(Size::new(1080, 1920).transposed(), Size::new(1920, 1080));
    /// ```
    #[inline]
    pub const fn transposed(self) -> Self {
        Size::new(self.height, self.width)
    }
}

/// A rectangle of whole pixels: `x`, `y` is the top-left corner, the
/// rectangle covers columns `x..x + width` and rows `y..y + height`.
///
/// Coordinates are `u32`; the library only builds rectangles inside a canvas
/// of at most 8192 x 8192 pixels (or inside a source picture of that size), so
/// `x + width` never overflows. A rectangle may be empty (zero width or
/// height) only where §5's rounding makes it so for extreme aspect
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
    /// wide: `x` becomes `canvas_width - x - width` (§4.3's mirror).
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

    /// The rectangle reflected across the diagonal: `(x, y, w, h)` becomes
    /// `(y, x, h, w)` (§4.3's `portrait: transpose`).
    ///
    /// ```
    /// use mixlayout::Rect;
    /// assert_eq!(Rect::new(1, 2, 30, 40).transposed(), Rect::new(2, 1, 40, 30));
    /// ```
    #[inline]
    pub const fn transposed(self) -> Self {
        Rect::new(self.y, self.x, self.height, self.width)
    }

    /// `self`, a rectangle inside `from`, carried proportionally into `to`
    /// (rounding down), at least one pixel wide and high and clamped inside
    /// `to`. Used where one picture's coordinates map onto another's: a
    /// crop onto a decoded frame of another size, a tile onto the part of a
    /// background image that covers it.
    ///
    /// ```
    /// use mixlayout::Rect;
    /// // The bottom-right quarter of a 400x200 canvas, in a 200x100 picture.
    /// let r = Rect::new(200, 100, 200, 100);
    /// assert_eq!(r.project(Rect::new(0, 0, 400, 200), Rect::new(0, 0, 200, 100)),
    ///            Rect::new(100, 50, 100, 50));
    /// ```
    pub fn project(self, from: Rect, to: Rect) -> Rect {
        if to.is_empty() {
            return Rect::new(to.x, to.y, 0, 0);
        }
        let scale = |v: u32, num: u32, den: u32| {
            (u64::from(v) * u64::from(num) / u64::from(den.max(1))) as u32
        };
        let x = to.x + scale(self.x.saturating_sub(from.x), to.width, from.width);
        let y = to.y + scale(self.y.saturating_sub(from.y), to.height, from.height);
        let w = scale(self.width, to.width, from.width).max(1);
        let h = scale(self.height, to.height, from.height).max(1);
        let (x, y) = (x.min(to.right() - 1), y.min(to.bottom() - 1));
        Rect::new(x, y, w.min(to.right() - x), h.min(to.bottom() - y))
    }

    /// The pixels that `self` and `other` share (empty when none).
    ///
    /// ```
    /// use mixlayout::Rect;
    /// let a = Rect::new(0, 0, 10, 10);
    /// assert_eq!(a.intersect(Rect::new(5, 8, 10, 10)), Rect::new(5, 8, 5, 2));
    /// assert!(a.intersect(Rect::new(20, 0, 5, 5)).is_empty());
    /// ```
    #[inline]
    pub const fn intersect(self, other: Rect) -> Rect {
        let left = if self.x > other.x { self.x } else { other.x };
        let top = if self.y > other.y { self.y } else { other.y };
        let right = if self.right() < other.right() {
            self.right()
        } else {
            other.right()
        };
        let bottom = if self.bottom() < other.bottom() {
            self.bottom()
        } else {
            other.bottom()
        };
        if right <= left || bottom <= top {
            Rect::new(left, top, 0, 0)
        } else {
            Rect::from_edges(left, top, right, bottom)
        }
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
    pub(crate) const fn from_pixels(pixels: i64) -> Option<Self> {
        match pixels {
            1 => Some(Align::One),
            2 => Some(Align::Two),
            _ => None,
        }
    }
}

/// Edge `k` of `length` split into `parts` equal parts at alignment `align`
/// (§4.1): `e(0) = 0`, `e(parts) = length`, and in between
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

/// A split of one side of the canvas into equal parts with `padding` at
/// both ends and `gap` between neighbours (§4.1): part `k` is
/// `[p + k*g + e'(k), p + k*g + e'(k+1))`, `e'` the plain split of the
/// inner length `L' = L - 2p - (n-1)g`.
///
/// ```
/// use mixlayout::{Align, Split};
/// // 1920 in three columns with padding 16 and gap 8: 624 pixels each.
/// let split = Split::new(1920, 3, Align::Two, 16, 8);
/// assert_eq!(split.part(0), (16, 640));
/// assert_eq!(split.part(1), (648, 1272));
/// assert_eq!(split.part(2), (1280, 1904));
/// assert_eq!(split.inner(), 1872);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Split {
    length: u32,
    parts: u32,
    align: Align,
    padding: u32,
    gap: u32,
}

impl Split {
    /// `length` in `parts` parts at `align`, with `padding` and `gap`.
    #[inline]
    pub const fn new(length: u32, parts: u32, align: Align, padding: u32, gap: u32) -> Self {
        Split {
            length,
            parts,
            align,
            padding,
            gap,
        }
    }

    /// The inner length `L' = L - 2p - (n-1)g`, the part that the parts
    /// share out (as a signed number: a negative one leaves no room).
    #[inline]
    pub const fn inner_signed(self) -> i64 {
        let gaps = if self.parts == 0 { 0 } else { self.parts - 1 };
        self.length as i64 - 2 * self.padding as i64 - gaps as i64 * self.gap as i64
    }

    /// The inner length, 0 when the padding and gaps leave no room.
    #[inline]
    pub const fn inner(self) -> u32 {
        let inner = self.inner_signed();
        if inner < 0 { 0 } else { inner as u32 }
    }

    /// True when every part is at least `align` pixels wide: `L' >= a * n`.
    #[inline]
    pub const fn fits(self) -> bool {
        self.inner_signed() >= self.align.pixels() as i64 * self.parts as i64
    }

    /// Edge `k` of the inner split, `e'(k)`.
    #[inline]
    pub const fn inner_edge(self, k: u32) -> u32 {
        split_edge(self.inner(), self.parts, k, self.align)
    }

    /// Part `k`: its first pixel and the one after its last.
    #[inline]
    pub const fn part(self, k: u32) -> (u32, u32) {
        let offset = self.padding + k * self.gap;
        (offset + self.inner_edge(k), offset + self.inner_edge(k + 1))
    }
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
        // 1920 / 7 * 6 = 1645.71: alignment 2 gives 1646 (§4.3, s = 5..6).
        assert_eq!(split_edge(1920, 7, 6, Align::Two), 1646);
    }

    #[test]
    fn ends_are_exact() {
        assert_eq!(split_edge(1080, 4, 0, Align::Two), 0);
        assert_eq!(split_edge(1080, 4, 4, Align::Two), 1080);
        assert_eq!(split_edge(1080, 4, 9, Align::Two), 1080);
    }

    #[test]
    fn padding_and_gap_shift_the_parts() {
        // 1080 in 3 rows, padding 16, gap 8: L' = 1080 - 32 - 16 = 1032,
        // e'(1) = 2*floor((2064 + 6) / 12) = 344, e'(2) = 2*floor((4128+6)/12) = 688.
        let split = Split::new(1080, 3, Align::Two, 16, 8);
        assert_eq!(split.part(0), (16, 360));
        assert_eq!(split.part(1), (368, 712));
        assert_eq!(split.part(2), (720, 1064));
        // Without padding and gap it is the plain split.
        let plain = Split::new(640, 3, Align::Two, 0, 0);
        assert_eq!(plain.part(1), (214, 426));
    }

    #[test]
    fn too_much_spacing_does_not_fit() {
        assert!(Split::new(100, 4, Align::Two, 10, 10).fits()); // L' = 50 >= 8
        assert!(!Split::new(100, 4, Align::Two, 40, 10).fits()); // L' = -10
        assert!(Split::new(20, 4, Align::Two, 0, 4).fits()); // L' = 8 = 2 * 4
        assert!(!Split::new(20, 4, Align::Two, 0, 6).fits()); // L' = 2 < 8
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
