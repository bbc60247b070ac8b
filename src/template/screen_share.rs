//! `screen_share_left` and `screen_share_right` (SPEC §4.3): one main window
//! (whole picture, `contain`) beside up to 16 small tiles (`cover`).
//!
//! The right template is the exact mirror of the left one: everything is
//! computed for the left, then `x` becomes `W - x - width` ([`Rect::mirrored`]).

use super::custom::Holding;
use super::{Pin, Stream};
use crate::error::{JobError, Problem};
use crate::geometry::{Align, Rect, Size, split_edges};
use crate::job::spec::{MainParam, PaneParam};
use crate::job::{name, range};

/// At most 16 small tiles.
pub const CAPACITY: usize = 16;

/// Which side the main window is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// `screen_share_left`.
    Left,
    /// `screen_share_right`.
    Right,
}

/// What the main window shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MainSource {
    /// Nothing was given: the window is always `empty`.
    Nothing,
    /// A given user's camera or screen.
    Pinned(Pin),
    /// The screen of the earliest current sharer.
    SharedScreen,
}

impl MainSource {
    /// The pinned place, if the window shows a given user.
    pub fn pin(&self) -> Option<&Pin> {
        match self {
            MainSource::Pinned(pin) => Some(pin),
            _ => None,
        }
    }
}

/// A checked screen-share template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScreenShare {
    /// Where the main window is.
    pub side: Side,
    /// What it shows.
    pub main: MainSource,
    /// The geometry of each size class, computed once for the job's canvas.
    geometries: [Geometry; 5],
}

/// The row of SPEC §4.3's table for `small` small tiles: units `d` across the
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

/// Size class of `small` small slots: the rows of SPEC §4.3's table.
#[inline]
pub fn size_class(small: usize) -> u8 {
    match small {
        0 => 0,
        1..=4 => 1,
        5..=6 => 2,
        7..=8 => 3,
        _ => 4,
    }
}

/// The main window and small tiles of one slot count, for the *left*
/// template; mirror them for the right one.
///
/// ```
/// use mixlayout::{Align, Rect, Size};
/// use mixlayout::template::screen_share::Geometry;
/// let g = Geometry::new(Size::new(1920, 1080), Align::Two, 4);
/// assert_eq!(g.main(), Rect::new(0, 0, 1536, 1080));
/// assert_eq!(g.small(1), Rect::new(1536, 270, 384, 270));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    main: Rect,
    /// Column edges of the small tiles: `xs[c]..xs[c + 1]` is column `c`.
    xs: [u32; 3],
    ys: [u32; 9],
    per_column: u32,
}

impl Geometry {
    /// The geometry for `small` small slots (vacant ones included).
    pub fn new(canvas: Size, align: Align, small: usize) -> Geometry {
        let (d, main_units, columns, per_column) = row(small);
        let mut units = [0; 11];
        let units = split_edges(canvas.width, d, align, &mut units);
        let main_right = units[main_units as usize];
        let mut g = Geometry {
            main: Rect::new(0, 0, main_right, canvas.height),
            xs: [main_right; 3],
            ys: [0; 9],
            per_column,
        };
        for c in 0..=columns as usize {
            g.xs[c] = units[main_units as usize + c];
        }
        split_edges(canvas.height, per_column, align, &mut g.ys);
        g
    }

    /// The main window.
    #[inline]
    pub const fn main(&self) -> Rect {
        self.main
    }

    /// Small slot `j` (from 0): column `j / r` next to the main window first,
    /// row `j % r`. `j` must be below 16.
    pub fn small(&self, j: usize) -> Rect {
        let r = self.per_column as usize;
        let (col, row) = (j / r, j % r);
        Rect::from_edges(
            self.xs[col],
            self.ys[row],
            self.xs[col + 1],
            self.ys[row + 1],
        )
    }
}

impl ScreenShare {
    /// The geometry (left template) of `small` small slots.
    #[inline]
    pub fn geometry(&self, small: usize) -> &Geometry {
        &self.geometries[usize::from(size_class(small))]
    }

    /// Checks the main window's source, given by pane 1 of `layout_panes`
    /// or by `layout_options.main` (not both), for a canvas of `canvas`.
    pub fn from_params(
        side: Side,
        panes: &[PaneParam],
        main: Option<&MainParam>,
        canvas: Size,
        align: Align,
    ) -> Result<Self, JobError> {
        if !panes.is_empty() && main.is_some() {
            return Err(JobError::new(
                "layout_options.main",
                Problem::Rule("the main window is already set by mix_param.layout_panes"),
            ));
        }
        let main = match (panes, main) {
            ([], None) => MainSource::Nothing,
            ([], Some(main)) => main_from_option(main)?,
            ([pane], None) => main_from_pane(pane)?,
            (more, _) => {
                let path = format!("mix_param.layout_panes[{}]", more.len() - 1);
                let problem = if more.iter().all(|p| p.id == 1) {
                    Problem::Duplicate("1".into())
                } else {
                    Problem::Rule("a screen-share template takes only pane 1")
                };
                return Err(JobError::new(format!("{path}.id"), problem));
            }
        };
        // The first slot count of each size class.
        let geometries = [0, 1, 5, 7, 9].map(|small| Geometry::new(canvas, align, small));
        Ok(ScreenShare {
            side,
            main,
            geometries,
        })
    }
}

fn main_from_option(main: &MainParam) -> Result<MainSource, JobError> {
    match main {
        MainParam::Word(w) if w == "shared_screen" => Ok(MainSource::SharedScreen),
        MainParam::Word(w) => Err(JobError::new(
            "layout_options.main",
            Problem::NotOneOf {
                value: w.clone(),
                expected: "\"shared_screen\" or {\"user_id\", \"stream\"}",
            },
        )),
        MainParam::User(u) => {
            name("layout_options.main.user_id", &u.user_id)?;
            let stream = match u.stream.as_str() {
                "camera" => Stream::Camera,
                "screen" => Stream::Screen,
                other => {
                    return Err(JobError::new(
                        "layout_options.main.stream",
                        Problem::NotOneOf {
                            value: other.to_owned(),
                            expected: "camera, screen",
                        },
                    ));
                }
            };
            Ok(MainSource::Pinned(Pin {
                user_id: u.user_id.as_str().into(),
                stream,
            }))
        }
    }
}

fn main_from_pane(pane: &PaneParam) -> Result<MainSource, JobError> {
    const AT: &str = "mix_param.layout_panes[0]";
    range(pane.id, 1, 1).map_err(|_| {
        JobError::new(
            format!("{AT}.id"),
            Problem::Rule("a screen-share template takes only pane 1"),
        )
    })?;
    Ok(match super::custom::holding(AT, pane)? {
        Holding::Pinned(pin) => MainSource::Pinned(pin),
        Holding::Shared => MainSource::SharedScreen,
        Holding::Free(_) => MainSource::Nothing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_small_tiles_on_1080p() {
        // d = 5: 1920 / 5 = 384 per unit, main 4 units = 1536; 1080 / 4 = 270.
        let g = Geometry::new(Size::new(1920, 1080), Align::Two, 4);
        assert_eq!(g.main(), Rect::new(0, 0, 1536, 1080));
        for j in 0..4 {
            assert_eq!(g.small(j), Rect::new(1536, 270 * j as u32, 384, 270));
        }
    }

    #[test]
    fn no_small_tile_gives_the_whole_canvas() {
        let g = Geometry::new(Size::new(1280, 720), Align::Two, 0);
        assert_eq!(g.main(), Rect::new(0, 0, 1280, 720));
    }

    #[test]
    fn twelve_small_tiles_use_two_columns() {
        // d = 10 over 1280: unit 128, main 8 units = 1024; 720 / 8 = 90.
        let g = Geometry::new(Size::new(1280, 720), Align::Two, 12);
        assert_eq!(g.main(), Rect::new(0, 0, 1024, 720));
        assert_eq!(g.small(0), Rect::new(1024, 0, 128, 90));
        assert_eq!(g.small(7), Rect::new(1024, 630, 128, 90));
        assert_eq!(g.small(8), Rect::new(1152, 0, 128, 90));
        assert_eq!(g.small(11), Rect::new(1152, 270, 128, 90));
    }

    #[test]
    fn six_small_tiles_on_1080p() {
        // d = 7: e(6) = 2*floor((23040 + 14) / 28) = 1646; 1080 / 6 = 180.
        let g = Geometry::new(Size::new(1920, 1080), Align::Two, 6);
        assert_eq!(g.main(), Rect::new(0, 0, 1646, 1080));
        assert_eq!(g.small(5), Rect::new(1646, 900, 274, 180));
    }

    #[test]
    fn pane_and_option_together_is_an_error() {
        let pane = PaneParam {
            id: 1,
            filling_policy: Some("SHARED_SCREEN".into()),
            ..PaneParam::default()
        };
        let err = ScreenShare::from_params(
            Side::Left,
            &[pane],
            Some(&MainParam::Word("shared_screen".into())),
            Size::new(1920, 1080),
            Align::Two,
        )
        .unwrap_err();
        assert_eq!(err.path, "layout_options.main");
    }
}
