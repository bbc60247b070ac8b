//! `nine_grids_view` (§4.2): equal tiles in a grid chosen by the number
//! of slots, filled row by row from the top left, with optional padding,
//! gaps, best-fit grids and a centred last row.

use super::{Classes, GridMode, LastRow, Narrow, Spacing};
use crate::geometry::{Align, Rect, Size, Split};

/// At most 25 tiles.
pub(crate) const CAPACITY: usize = 25;
/// Most columns or rows of any grid.
const MAX_SIDE: usize = 5;

/// Columns and rows of the grid of `slots` slots on `canvas`.
///
/// SparkRTC's classes: 1x1, 2x1 (1x2 on a portrait canvas), 2x2, 3x3, 4x4,
/// 5x5. `fit`: `ceil(sqrt(m))` columns and `ceil(m / cols)` rows, swapped on
/// a portrait canvas.
pub(crate) fn dimensions(slots: usize, canvas: Size, mode: GridMode) -> (u32, u32) {
    let (cols, rows) = match (mode, slots) {
        (_, 0) => return (0, 0),
        (GridMode::Classes, 1) => (1, 1),
        (GridMode::Classes, 2) => (2, 1),
        (GridMode::Classes, 3..=4) => (2, 2),
        (GridMode::Classes, 5..=9) => (3, 3),
        (GridMode::Classes, 10..=16) => (4, 4),
        (GridMode::Classes, _) => (5, 5),
        (GridMode::Fit, m) => {
            let m = m.min(CAPACITY) as u32;
            let cols = (1..=MAX_SIDE as u32).find(|c| c * c >= m).unwrap_or(5);
            (cols, m.div_ceil(cols))
        }
    };
    // A portrait canvas stacks what a landscape one puts side by side.
    if canvas.is_portrait() && (mode == GridMode::Fit || slots == 2) {
        (rows, cols)
    } else {
        (cols, rows)
    }
}

/// The grids of every size class on one canvas, computed once when the job
/// is checked so that a layout needs no division for its geometry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NineGrids {
    classes: Classes,
    grids: Vec<Grid>,
}

impl NineGrids {
    /// The grids of `canvas`; `Err` when padding and gaps leave some split
    /// of some class narrower than the alignment.
    pub(crate) fn new(
        canvas: Size,
        align: Align,
        spacing: Spacing,
        mode: GridMode,
        last_row: LastRow,
    ) -> Result<Self, Narrow> {
        let classes = Classes::new(CAPACITY, |m| dimensions(m, canvas, mode));
        let grids = classes
            .firsts()
            .iter()
            .map(|&m| {
                let (cols, rows) = dimensions(m, canvas, mode);
                Grid::new(canvas, align, spacing, cols, rows, last_row)
            })
            .collect::<Result<_, _>>()?;
        Ok(NineGrids { classes, grids })
    }

    /// The size classes.
    pub(crate) fn classes(&self) -> &Classes {
        &self.classes
    }

    /// The grid of a slot list of `slots` slots.
    #[inline]
    pub(crate) fn grid(&self, slots: usize) -> &Grid {
        &self.grids[usize::from(self.classes.of(slots))]
    }
}

/// The cells of one grid, with every column and row computed once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Grid {
    cols: u32,
    rows: u32,
    /// Column `c` spans `xs[c].0..xs[c].1`.
    xs: [(u32, u32); MAX_SIDE],
    ys: [(u32, u32); MAX_SIDE],
    /// How far a last row of `k` slots moves right (0 for a full row).
    shift: [u32; MAX_SIDE + 1],
}

impl Grid {
    fn new(
        canvas: Size,
        align: Align,
        spacing: Spacing,
        cols: u32,
        rows: u32,
        last_row: LastRow,
    ) -> Result<Grid, Narrow> {
        let split = |length: u32, parts: u32| {
            let split = Split::new(length, parts, align, spacing.padding, spacing.gap);
            if spacing.is_none() || parts == 0 {
                Ok(split)
            } else {
                Narrow::check(split, length, parts).map(|()| split)
            }
        };
        let (across, down) = (split(canvas.width, cols)?, split(canvas.height, rows)?);
        let mut grid = Grid {
            cols,
            rows,
            xs: [(0, 0); MAX_SIDE],
            ys: [(0, 0); MAX_SIDE],
            shift: [0; MAX_SIDE + 1],
        };
        for c in 0..cols {
            grid.xs[c as usize] = across.part(c);
        }
        for r in 0..rows {
            grid.ys[r as usize] = down.part(r);
        }
        if last_row == LastRow::Center {
            // §4.2: centre k cells in the row's width, rounded left.
            let a = align.pixels();
            for k in 1..cols {
                let spare =
                    across.inner_edge(cols) - across.inner_edge(k) + (cols - k) * spacing.gap;
                grid.shift[k as usize] = a * (spare / (2 * a));
            }
        }
        Ok(grid)
    }

    /// The cell of slot `slot` in a list of `slots` slots: row `slot / cols`,
    /// column `slot % cols`, moved right when it is in a short last row that
    /// is centred. `slot` must be below `cols * rows`.
    #[inline]
    pub(crate) fn cell(&self, slot: usize, slots: usize) -> Rect {
        let cols = self.cols as usize;
        let (row, col) = (slot / cols, slot % cols);
        let last = (slots - 1) / cols;
        let shift = if row == last {
            self.shift[slots - last * cols]
        } else {
            0
        };
        Rect::from_edges(
            self.xs[col].0 + shift,
            self.ys[row].0,
            self.xs[col].1 + shift,
            self.ys[row].1,
        )
    }

    /// Columns and rows.
    #[cfg(test)]
    fn shape(&self) -> (u32, u32) {
        (self.cols, self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HD: Size = Size::new(1920, 1080);

    fn grids(canvas: Size, spacing: Spacing, mode: GridMode, last: LastRow) -> NineGrids {
        NineGrids::new(canvas, Align::Two, spacing, mode, last).unwrap()
    }

    fn plain(canvas: Size) -> NineGrids {
        grids(canvas, Spacing::default(), GridMode::Classes, LastRow::Left)
    }

    #[test]
    fn nine_users_on_1080p_are_640x360() {
        let g = plain(HD);
        for slot in 0..9 {
            let cell = g.grid(9).cell(slot, 9);
            assert_eq!(cell.size(), Size::new(640, 360), "slot {slot}");
            assert_eq!(cell.x, 640 * (slot as u32 % 3));
            assert_eq!(cell.y, 360 * (slot as u32 / 3));
        }
    }

    #[test]
    fn seventeen_users_make_five_by_five() {
        let g = plain(HD);
        assert_eq!(g.grid(17).shape(), (5, 5));
        // 1920 / 5 = 384, 1080 / 5 = 216.
        assert_eq!(g.grid(17).cell(16, 17), Rect::new(384, 648, 384, 216));
    }

    #[test]
    fn five_users_use_three_by_three_from_the_left() {
        // 1280x720 / 3: e(1) = 2*floor((2560+6)/12) = 426, e(2) = 854;
        // rows e(1) = 2*floor((1440+6)/12) = 240.
        let g = plain(Size::new(1280, 720));
        assert_eq!(g.grid(5).cell(3, 5), Rect::new(0, 240, 426, 240));
        assert_eq!(g.grid(5).cell(4, 5), Rect::new(426, 240, 428, 240));
    }

    #[test]
    fn sparkrtc_class_boundaries() {
        let g = plain(HD);
        let classes: Vec<u8> = (0..=25).map(|m| g.classes().of(m)).collect();
        assert_eq!(
            classes,
            [
                0, 1, 2, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6
            ]
        );
    }

    #[test]
    fn padding_16_gap_8_on_1080p() {
        // Columns: L' = 1920 - 32 - 16 = 1872, e'(1) = 2*floor((3744+6)/12) = 624,
        // e'(2) = 2*floor((7488+6)/12) = 1248: x = 16, 16+8+624 = 648, 16+16+1248 = 1280.
        // Rows: L' = 1080 - 48 = 1032, e'(1) = 344, e'(2) = 688: y = 16, 368, 720.
        let g = grids(
            HD,
            Spacing {
                padding: 16,
                gap: 8,
            },
            GridMode::Classes,
            LastRow::Left,
        );
        let grid = g.grid(9);
        assert_eq!(grid.cell(0, 9), Rect::new(16, 16, 624, 344));
        assert_eq!(grid.cell(4, 9), Rect::new(648, 368, 624, 344));
        assert_eq!(grid.cell(8, 9), Rect::new(1280, 720, 624, 344));
    }

    #[test]
    fn best_fit_classes_landscape_and_portrait() {
        let shapes = |canvas| -> Vec<(u32, u32)> {
            (1..=25)
                .map(|m| dimensions(m, canvas, GridMode::Fit))
                .collect()
        };
        let landscape = shapes(HD);
        // ceil(sqrt(m)) columns, ceil(m / cols) rows, by hand:
        let expected: Vec<(u32, u32)> = [
            (1, 1),
            (2, 1),
            (2, 2),
            (2, 2),
            (3, 2),
            (3, 2),
            (3, 3),
            (3, 3),
            (3, 3),
            (4, 3),
            (4, 3),
            (4, 3),
            (4, 4),
            (4, 4),
            (4, 4),
            (4, 4),
            (5, 4),
            (5, 4),
            (5, 4),
            (5, 4),
            (5, 5),
            (5, 5),
            (5, 5),
            (5, 5),
            (5, 5),
        ]
        .into();
        assert_eq!(landscape, expected);
        let portrait = shapes(Size::new(1080, 1920));
        let swapped: Vec<(u32, u32)> = expected.iter().map(|&(c, r)| (r, c)).collect();
        assert_eq!(portrait, swapped);
        // Ten classes: none, 1, 2, 3-4, 5-6, 7-9, 10-12, 13-16, 17-20, 21-25.
        let g = grids(HD, Spacing::default(), GridMode::Fit, LastRow::Left);
        assert_eq!(g.classes().firsts(), [0, 1, 2, 3, 5, 7, 10, 13, 17, 21]);
    }

    #[test]
    fn centred_last_rows() {
        // 7 users in 3x3 on 1920x1080, no spacing: one cell in the last row.
        // e(3) - e(1) = 1920 - 640 = 1280, shift 2*floor(1280/4) = 640.
        let g = grids(HD, Spacing::default(), GridMode::Classes, LastRow::Center);
        assert_eq!(g.grid(7).cell(6, 7), Rect::new(640, 720, 640, 360));
        // Rows above do not move.
        assert_eq!(g.grid(7).cell(3, 7), Rect::new(0, 360, 640, 360));
        // 8 users: two cells, spare 1920 - 1280 = 640, shift 320.
        assert_eq!(g.grid(8).cell(6, 8), Rect::new(320, 720, 640, 360));
        // A full last row does not move.
        assert_eq!(g.grid(9).cell(6, 9), Rect::new(0, 720, 640, 360));

        // 5 users in 3x2 with gap 8 on 1280x720: L' = 1280 - 16 = 1264,
        // e'(1) = 2*floor((2528+6)/12) = 422, e'(2) = 2*floor((5056+6)/12) = 842.
        // Last row k = 2: spare = 1264 - 842 + 8 = 430, shift = 2*floor(430/4) = 214.
        let g = grids(
            Size::new(1280, 720),
            Spacing { padding: 0, gap: 8 },
            GridMode::Fit,
            LastRow::Center,
        );
        let grid = g.grid(5);
        assert_eq!(grid.shape(), (3, 2));
        // Row 1 starts at y = 0 + 1*8 + e'(1) over L' = 712: 2*floor((1424+4)/8) = 356 -> 364.
        assert_eq!(grid.cell(3, 5), Rect::new(214, 364, 422, 356));
        assert_eq!(grid.cell(4, 5), Rect::new(214 + 430, 364, 420, 356));
    }

    #[test]
    fn spacing_that_leaves_no_room_is_refused() {
        // 16x16 with gap 8: 1x1, 2x1 and 2x2 fit (L' = 16 - 8 = 8 >= 2 * 2),
        // but 3x3 leaves L' = 16 - 2 * 8 = 0 for three columns.
        let err = NineGrids::new(
            Size::new(16, 16),
            Align::Two,
            Spacing { padding: 0, gap: 8 },
            GridMode::Classes,
            LastRow::Left,
        )
        .unwrap_err();
        assert_eq!(
            err,
            Narrow {
                length: 16,
                parts: 3,
                inner: 0
            }
        );
    }
}
