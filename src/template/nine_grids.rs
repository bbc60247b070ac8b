//! `nine_grids_view` (SPEC §4.2): equal tiles in a grid chosen by the number
//! of slots, filled row by row from the top left.

use crate::geometry::{Align, Rect, Size, split_edges};

/// At most 25 tiles.
pub const CAPACITY: usize = 25;

/// The grids of every size class on one canvas, computed once when the job
/// is checked so that a layout needs no division for its geometry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NineGrids {
    grids: [Grid; 7],
}

impl NineGrids {
    /// The grids of `canvas` at `align`.
    pub fn new(canvas: Size, align: Align) -> Self {
        // The first slot count of each size class.
        let grids = [0, 1, 2, 3, 5, 10, 17].map(|slots| Grid::new(canvas, align, slots));
        NineGrids { grids }
    }

    /// The grid of a slot list of `slots` slots.
    ///
    /// ```
    /// use mixlayout::{Align, Size};
    /// use mixlayout::template::nine_grids::NineGrids;
    /// let grids = NineGrids::new(Size::new(1920, 1080), Align::Two);
    /// assert_eq!((grids.grid(7).cols(), grids.grid(7).rows()), (3, 3));
    /// ```
    #[inline]
    pub fn grid(&self, slots: usize) -> &Grid {
        &self.grids[usize::from(size_class(slots))]
    }
}

/// Size class of `slots` slots: the columns of SPEC §4.2's table
/// (0, 1, 2, 3–4, 5–9, 10–16, 17–25).
#[inline]
pub fn size_class(slots: usize) -> u8 {
    match slots {
        0 => 0,
        1 => 1,
        2 => 2,
        3..=4 => 3,
        5..=9 => 4,
        10..=16 => 5,
        _ => 6,
    }
}

/// Columns and rows of the grid for `slots` slots on `canvas`: two slots are
/// side by side, or stacked when the canvas is portrait.
///
/// ```
/// use mixlayout::Size;
/// use mixlayout::template::nine_grids::dimensions;
/// assert_eq!(dimensions(2, Size::new(1920, 1080)), (2, 1));
/// assert_eq!(dimensions(2, Size::new(1080, 1920)), (1, 2));
/// assert_eq!(dimensions(17, Size::new(1920, 1080)), (5, 5));
/// ```
pub fn dimensions(slots: usize, canvas: Size) -> (u32, u32) {
    match size_class(slots) {
        0 => (0, 0),
        1 => (1, 1),
        2 if canvas.is_portrait() => (1, 2),
        2 => (2, 1),
        3 => (2, 2),
        4 => (3, 3),
        5 => (4, 4),
        _ => (5, 5),
    }
}

/// The cells of one grid, with every column and row edge computed once.
///
/// ```
/// use mixlayout::{Align, Rect, Size};
/// use mixlayout::template::nine_grids::Grid;
/// let grid = Grid::new(Size::new(1920, 1080), Align::Two, 9);
/// assert_eq!(grid.cell(4), Rect::new(640, 360, 640, 360));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    cols: u32,
    rows: u32,
    xs: [u32; 6],
    ys: [u32; 6],
}

impl Grid {
    /// The grid for `slots` slots (vacant ones included).
    pub fn new(canvas: Size, align: Align, slots: usize) -> Grid {
        let (cols, rows) = dimensions(slots, canvas);
        let mut grid = Grid {
            cols,
            rows,
            xs: [0; 6],
            ys: [0; 6],
        };
        split_edges(canvas.width, cols, align, &mut grid.xs);
        split_edges(canvas.height, rows, align, &mut grid.ys);
        grid
    }

    /// Columns of the grid.
    pub const fn cols(&self) -> u32 {
        self.cols
    }

    /// Rows of the grid.
    pub const fn rows(&self) -> u32 {
        self.rows
    }

    /// The cell of slot `slot`: row `slot / cols`, column `slot % cols`.
    /// `slot` must be below `cols * rows`.
    #[inline]
    pub fn cell(&self, slot: usize) -> Rect {
        let cols = self.cols as usize;
        let (row, col) = (slot / cols, slot % cols);
        Rect::from_edges(
            self.xs[col],
            self.ys[row],
            self.xs[col + 1],
            self.ys[row + 1],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_users_on_1080p_are_640x360() {
        let grid = Grid::new(Size::new(1920, 1080), Align::Two, 9);
        for slot in 0..9 {
            let cell = grid.cell(slot);
            assert_eq!(cell.size(), Size::new(640, 360), "slot {slot}");
            assert_eq!(cell.x, 640 * (slot as u32 % 3));
            assert_eq!(cell.y, 360 * (slot as u32 / 3));
        }
    }

    #[test]
    fn seventeen_users_make_five_by_five() {
        let grid = Grid::new(Size::new(1920, 1080), Align::Two, 17);
        assert_eq!((grid.cols(), grid.rows()), (5, 5));
        // 1920 / 5 = 384, 1080 / 5 = 216.
        assert_eq!(grid.cell(16), Rect::new(384, 648, 384, 216));
    }

    #[test]
    fn five_users_use_three_by_three_from_the_left() {
        // 1280x720 / 3: e(1) = 2*floor((2560+6)/12) = 426, e(2) = 2*floor((5120+6)/12) = 854;
        // rows e(1) = 2*floor((1440+6)/12) = 240.
        let grid = Grid::new(Size::new(1280, 720), Align::Two, 5);
        assert_eq!(grid.cell(3), Rect::new(0, 240, 426, 240));
        assert_eq!(grid.cell(4), Rect::new(426, 240, 428, 240));
    }

    #[test]
    fn class_boundaries() {
        let classes: Vec<u8> = (0..=25).map(size_class).collect();
        assert_eq!(
            classes,
            [
                0, 1, 2, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6
            ]
        );
    }
}
