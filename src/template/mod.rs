//! The layout templates of SparkRTC (SPEC §4): each one says how many slots it
//! has, how slot counts group into size classes (§3) and where every place
//! lies on the canvas.
//!
//! - [`nine_grids`]: equal tiles, up to 25 (§4.2).
//! - [`screen_share`]: a main window beside up to 16 small tiles, on the left
//!   or the right (§4.3).
//! - [`custom`]: panes in fractions of the canvas (§4.4).
//!
//! The geometry here is pure functions of the canvas, the alignment and the
//! slot count; which user goes where is the room's business ([`crate::Room`]).

pub mod custom;
pub mod nine_grids;
pub mod screen_share;

use std::sync::Arc;

pub use custom::{Custom, Pane, PaneSource};
pub use nine_grids::NineGrids;
pub use screen_share::{MainSource, ScreenShare, Side};

/// The `layout_template` names of SparkRTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TemplateKind {
    /// `nine_grids_view`.
    NineGridsView,
    /// `screen_share_left`: main window on the left.
    ScreenShareLeft,
    /// `screen_share_right`: main window on the right.
    ScreenShareRight,
    /// `custom`: panes of the job.
    Custom,
}

impl TemplateKind {
    /// Every template, in SPEC order.
    pub const ALL: [TemplateKind; 4] = [
        TemplateKind::NineGridsView,
        TemplateKind::ScreenShareLeft,
        TemplateKind::ScreenShareRight,
        TemplateKind::Custom,
    ];

    /// The name used in jobs and layout JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            TemplateKind::NineGridsView => "nine_grids_view",
            TemplateKind::ScreenShareLeft => "screen_share_left",
            TemplateKind::ScreenShareRight => "screen_share_right",
            TemplateKind::Custom => "custom",
        }
    }

    /// The template of that name.
    ///
    /// ```
    /// use mixlayout::TemplateKind;
    /// assert_eq!(TemplateKind::from_name("custom"), Some(TemplateKind::Custom));
    /// assert_eq!(TemplateKind::from_name("grid"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// Which picture of a user: the camera or the shared screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Stream {
    /// The camera (SparkRTC's `CAMERASTREAM`).
    Camera,
    /// The shared screen (SparkRTC's `SCREENSTREAM`).
    Screen,
}

impl Stream {
    /// `camera` or `screen`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Stream::Camera => "camera",
            Stream::Screen => "screen",
        }
    }
}

/// A place fixed to one user's stream: the main window showing a given user,
/// or a custom pane with a `user_id`. A user whose *camera* is pinned stands
/// outside the slot list (SPEC §3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pin {
    /// The user shown there.
    pub user_id: Arc<str>,
    /// Which of the user's pictures.
    pub stream: Stream,
}

/// A checked template, ready to place users: SPEC §4's geometry plus the
/// places fixed by the job.
#[derive(Clone, Debug, PartialEq)]
pub enum Template {
    /// `nine_grids_view`.
    NineGrids(NineGrids),
    /// `screen_share_left` or `screen_share_right`.
    ScreenShare(ScreenShare),
    /// `custom`.
    Custom(Custom),
}

impl Template {
    /// The template's name.
    pub fn kind(&self) -> TemplateKind {
        match self {
            Template::NineGrids(_) => TemplateKind::NineGridsView,
            Template::ScreenShare(s) => match s.side {
                Side::Left => TemplateKind::ScreenShareLeft,
                Side::Right => TemplateKind::ScreenShareRight,
            },
            Template::Custom(_) => TemplateKind::Custom,
        }
    }

    /// How many slots there can be before users wait in the queue (SPEC §3).
    pub fn capacity(&self) -> usize {
        match self {
            Template::NineGrids(_) => nine_grids::CAPACITY,
            Template::ScreenShare(_) => screen_share::CAPACITY,
            Template::Custom(c) => c.free_panes(),
        }
    }

    /// The size class of a slot list of length `slots`: a row of the tables
    /// of SPEC §4.2 and §4.3 (custom has one class). Lists of the same class
    /// share a geometry, so compaction happens only across classes.
    ///
    /// ```
    /// use mixlayout::{Align, Size, Template};
    /// use mixlayout::template::NineGrids;
    /// let t = Template::NineGrids(NineGrids::new(Size::new(1920, 1080), Align::Two));
    /// assert_eq!(t.size_class(5), t.size_class(9));
    /// assert!(t.size_class(4) < t.size_class(5));
    /// ```
    pub fn size_class(&self, slots: usize) -> u8 {
        match self {
            Template::NineGrids(_) => nine_grids::size_class(slots),
            Template::ScreenShare(_) => screen_share::size_class(slots),
            Template::Custom(_) => 0,
        }
    }

    /// The places fixed to a user's stream, in the order the room tracks them.
    pub fn pins(&self) -> &[Pin] {
        match self {
            Template::NineGrids(_) => &[],
            Template::ScreenShare(s) => s.main.pin().map(std::slice::from_ref).unwrap_or(&[]),
            Template::Custom(c) => c.pins(),
        }
    }

    /// True when `user_id`'s camera has a pinned place, so the user takes no
    /// slot.
    pub fn pins_camera_of(&self, user_id: &str) -> bool {
        self.pins()
            .iter()
            .any(|p| p.stream == Stream::Camera && &*p.user_id == user_id)
    }
}
