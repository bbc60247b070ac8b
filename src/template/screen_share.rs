//! `screen_share_left` and `screen_share_right` (§4.3): one main window
//! (whole picture, `contain`) beside up to 16 small tiles (`cover`), with
//! optional padding and gaps, and small tiles below the main window on a
//! portrait canvas with `portrait: transpose`.
//!
//! Everything is computed for the left template. The right one is its
//! mirror: on a transposed canvas the rectangles are mirrored before the
//! transpose; otherwise the layout mirrors each tile after fitting its
//! picture ([`ScreenShare::mirrors_after_fit`]), so that odd letterbox bands
//! mirror too.

use super::{Classes, Narrow, Pin, Portrait, Spacing};
use crate::geometry::{Align, Rect, Size, Split, split_edge};

/// At most 16 small tiles.
pub(crate) const CAPACITY: usize = 16;

/// Which side the main window is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Side {
    Left,
    Right,
}

/// What the main window shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum MainSource {
    /// Nothing was given: the window is always `empty`.
    Nothing,
    /// A given user's camera or screen.
    Pinned(Pin),
    /// The screen of the earliest current sharer.
    SharedScreen,
}

impl MainSource {
    /// The pinned place, if the window shows a given user.
    pub(crate) fn pin(&self) -> Option<&Pin> {
        match self {
            MainSource::Pinned(pin) => Some(pin),
            _ => None,
        }
    }
}

/// The row of §4.3's table for `small` small tiles: units `d` across the
/// canvas, the main window's width in units, small columns, tiles per column.
const fn row(small: usize) -> (u32, u32, u32, u32) {
    match small {
        0 => (1, 1, 0, 1),
        1..=4 => (5, 4, 1, 4),
        5..=6 => (7, 6, 1, 6),
        7..=8 => (9, 8, 1, 8),
        _ => (10, 8, 2, 8),
    }
}

/// A checked screen-share template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ScreenShare {
    pub(crate) side: Side,
    /// What the main window shows.
    pub(crate) main: MainSource,
    classes: Classes,
    geometries: Vec<Geometry>,
    transposed: bool,
}

impl ScreenShare {
    /// The template on `canvas`; `Err` when padding and gaps leave some
    /// split of some class narrower than the alignment.
    pub(crate) fn new(
        side: Side,
        main: MainSource,
        canvas: Size,
        align: Align,
        spacing: Spacing,
        portrait: Portrait,
    ) -> Result<Self, Narrow> {
        let transposed = portrait == Portrait::Transpose && canvas.is_portrait();
        let classes = Classes::new(CAPACITY, row);
        let geometries = classes
            .firsts()
            .iter()
            .map(|&small| {
                let g = if transposed {
                    Geometry::new(canvas.transposed(), align, spacing, small)?
                        .transposed(side, canvas.height)
                } else {
                    Geometry::new(canvas, align, spacing, small)?
                };
                Ok(g)
            })
            .collect::<Result<_, _>>()?;
        Ok(ScreenShare {
            side,
            main,
            classes,
            geometries,
            transposed,
        })
    }

    /// The size classes.
    pub(crate) fn classes(&self) -> &Classes {
        &self.classes
    }

    /// The geometry of `small` small slots.
    #[inline]
    pub(crate) fn geometry(&self, small: usize) -> &Geometry {
        &self.geometries[usize::from(self.classes.of(small))]
    }

    /// True when the layout must mirror its tiles after fitting them: the
    /// right template on a canvas that is not transposed.
    #[inline]
    pub(crate) fn mirrors_after_fit(&self) -> bool {
        self.side == Side::Right && !self.transposed
    }
}

/// The main window and small tiles of one size class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Geometry {
    main: Rect,
    small: [Rect; CAPACITY],
}

impl Geometry {
    /// The left template's geometry for `small` small slots (vacant ones
    /// included) on `canvas`.
    fn new(canvas: Size, align: Align, spacing: Spacing, small: usize) -> Result<Self, Narrow> {
        let (d, main_units, columns, per_column) = row(small);
        let Spacing { padding, gap } = spacing;
        // One gap beside the main window and one between the two columns.
        let inner = canvas.width as i64 - 2 * i64::from(padding) - i64::from(columns * gap);
        let down = Split::new(canvas.height, per_column, align, padding, gap);
        let main_down = Split::new(canvas.height, 1, align, padding, 0);
        if !spacing.is_none() {
            let a = i64::from(align.pixels());
            if inner < a * i64::from(d) {
                return Err(Narrow {
                    length: canvas.width,
                    parts: d,
                    inner,
                });
            }
            Narrow::check(main_down, canvas.height, 1)?;
            if columns > 0 {
                Narrow::check(down, canvas.height, per_column)?;
            }
        }
        let inner = inner.max(0) as u32;
        let unit = |k: u32| split_edge(inner, d, k, align);
        let (top, bottom) = main_down.part(0);
        let mut g = Geometry {
            main: Rect::from_edges(padding, top, padding + unit(main_units), bottom),
            small: [Rect::default(); CAPACITY],
        };
        for j in 0..(columns * per_column) as usize {
            let (col, r) = (j as u32 / per_column, j as u32 % per_column);
            let offset = padding + (col + 1) * gap;
            let (y0, y1) = down.part(r);
            g.small[j] = Rect::from_edges(
                offset + unit(main_units + col),
                y0,
                offset + unit(main_units + col + 1),
                y1,
            );
        }
        Ok(g)
    }

    /// The geometry computed on the swapped canvas (`swapped_width` wide),
    /// mirrored there for the right template, then transposed.
    fn transposed(mut self, side: Side, swapped_width: u32) -> Self {
        let flip = |r: Rect| match side {
            Side::Left => r.transposed(),
            Side::Right => r.mirrored(swapped_width).transposed(),
        };
        self.main = flip(self.main);
        for r in &mut self.small {
            if !r.is_empty() {
                *r = flip(*r);
            }
        }
        self
    }

    /// The main window.
    #[inline]
    pub(crate) const fn main(&self) -> Rect {
        self.main
    }

    /// Small slot `j` (from 0): column `j / r` next to the main window first,
    /// row `j % r`.
    #[inline]
    pub(crate) fn small(&self, j: usize) -> Rect {
        self.small[j]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn left(canvas: Size, spacing: Spacing, portrait: Portrait, side: Side) -> ScreenShare {
        ScreenShare::new(
            side,
            MainSource::Nothing,
            canvas,
            Align::Two,
            spacing,
            portrait,
        )
        .unwrap()
    }

    fn plain(canvas: Size) -> ScreenShare {
        left(canvas, Spacing::default(), Portrait::Sparkrtc, Side::Left)
    }

    #[test]
    fn four_small_tiles_on_1080p() {
        // d = 5: 1920 / 5 = 384 per unit, main 4 units = 1536; 1080 / 4 = 270.
        let s = plain(Size::new(1920, 1080));
        let g = s.geometry(4);
        assert_eq!(g.main(), Rect::new(0, 0, 1536, 1080));
        for j in 0..4 {
            assert_eq!(g.small(j), Rect::new(1536, 270 * j as u32, 384, 270));
        }
    }

    #[test]
    fn no_small_tile_gives_the_whole_canvas() {
        let s = plain(Size::new(1280, 720));
        assert_eq!(s.geometry(0).main(), Rect::new(0, 0, 1280, 720));
    }

    #[test]
    fn twelve_small_tiles_use_two_columns() {
        // d = 10 over 1280: unit 128, main 8 units = 1024; 720 / 8 = 90.
        let s = plain(Size::new(1280, 720));
        let g = s.geometry(12);
        assert_eq!(g.main(), Rect::new(0, 0, 1024, 720));
        assert_eq!(g.small(0), Rect::new(1024, 0, 128, 90));
        assert_eq!(g.small(7), Rect::new(1024, 630, 128, 90));
        assert_eq!(g.small(8), Rect::new(1152, 0, 128, 90));
        assert_eq!(g.small(11), Rect::new(1152, 270, 128, 90));
    }

    #[test]
    fn six_small_tiles_on_1080p() {
        // d = 7: e(6) = 2*floor((23040 + 14) / 28) = 1646; 1080 / 6 = 180.
        let s = plain(Size::new(1920, 1080));
        assert_eq!(s.geometry(6).main(), Rect::new(0, 0, 1646, 1080));
        assert_eq!(s.geometry(6).small(5), Rect::new(1646, 900, 274, 180));
    }

    #[test]
    fn two_columns_with_a_gap() {
        // 12 small tiles, gap 8 on 1920x1080: W' = 1920 - 2 * 8 = 1904 in 10
        // units: u'(8) = 2*floor((30464 + 20) / 40) = 1524,
        // u'(9) = 2*floor((34272 + 20) / 40) = 1714.
        // Main [0, 1524); column 0 [8 + 1524, 8 + 1714) = [1532, 1722);
        // column 1 [16 + 1714, 16 + 1904) = [1730, 1920).
        // Rows: 8 over 1080 with gap 8: L' = 1080 - 56 = 1024, 128 each.
        let s = left(
            Size::new(1920, 1080),
            Spacing { padding: 0, gap: 8 },
            Portrait::Sparkrtc,
            Side::Left,
        );
        let g = s.geometry(12);
        assert_eq!(g.main(), Rect::new(0, 0, 1524, 1080));
        assert_eq!(g.small(0), Rect::new(1532, 0, 190, 128));
        assert_eq!(g.small(1), Rect::new(1532, 136, 190, 128));
        assert_eq!(g.small(8), Rect::new(1730, 0, 190, 128));
    }

    #[test]
    fn gaps_that_leave_no_room_across() {
        // 200 wide: two columns and gap 90 leave 200 - 2 * 90 = 20 for 10
        // units (enough); gap 92 leaves 16. Rows (1080 - 7 * 92) are fine.
        let share = |gap| {
            ScreenShare::new(
                Side::Left,
                MainSource::Nothing,
                Size::new(200, 1080),
                Align::Two,
                Spacing { padding: 0, gap },
                Portrait::Sparkrtc,
            )
        };
        assert!(share(90).is_ok());
        assert_eq!(
            share(92).unwrap_err(),
            Narrow {
                length: 200,
                parts: 10,
                inner: 16
            }
        );
    }

    #[test]
    fn transposed_on_a_portrait_canvas() {
        // 1080x1920, four small tiles. On the swapped 1920x1080 canvas the
        // left template has main (0, 0, 1536, 1080) and small j at
        // (1536, 270 j, 384, 270); transposed: main (0, 0, 1080, 1536) on top,
        // small j at (270 j, 1536, 270, 384) below it.
        let canvas = Size::new(1080, 1920);
        let s = left(canvas, Spacing::default(), Portrait::Transpose, Side::Left);
        assert!(!s.mirrors_after_fit());
        let g = s.geometry(4);
        assert_eq!(g.main(), Rect::new(0, 0, 1080, 1536));
        assert_eq!(g.small(2), Rect::new(540, 1536, 270, 384));
        // Right: mirrored on the swapped canvas first, so the main window
        // is at the bottom: (384, 0, 1536, 1080) -> (0, 384, 1080, 1536),
        // small j (0, 270 j, 384, 270) -> (270 j, 0, 270, 384).
        let s = left(canvas, Spacing::default(), Portrait::Transpose, Side::Right);
        let g = s.geometry(4);
        assert_eq!(g.main(), Rect::new(0, 384, 1080, 1536));
        assert_eq!(g.small(2), Rect::new(540, 0, 270, 384));
        // Transpose only acts on a portrait canvas.
        let s = left(
            Size::new(1920, 1080),
            Spacing::default(),
            Portrait::Transpose,
            Side::Right,
        );
        assert!(s.mirrors_after_fit());
    }
}
