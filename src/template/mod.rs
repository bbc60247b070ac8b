//! Where every place lies on the canvas (§4): pure geometry over
//! checked values, computed once per job.
//!
//! - [`grid`]: `nine_grids_view`, equal tiles, up to 25 (§4.2).
//! - [`screen_share`]: a main window beside up to 16 small tiles (§4.3).
//! - [`custom`]: panes in fractions of the canvas (§4.4).
//!
//! Which user goes where is the room's business; the job turns SparkRTC's
//! words into the values here.

pub(crate) mod custom;
pub(crate) mod grid;
pub(crate) mod screen_share;

use std::sync::Arc;

use crate::source::Stream;
use crate::words::wire_words;

pub(crate) use custom::{Custom, PaneSource};
pub(crate) use grid::NineGrids;
pub(crate) use screen_share::{MainSource, ScreenShare, Side};

wire_words! {
    /// How `nine_grids_view` picks its grid (`layout_options.grid`).
    pub enum GridMode {
        /// SparkRTC's size classes: 1x1, 2x1, 2x2, 3x3, 4x4, 5x5.
        Classes = "classes",
        /// The smallest near-square grid: `ceil(sqrt(m))` columns.
        Fit = "fit",
    }
}

wire_words! {
    /// Where a grid's last row starts when it has fewer slots than columns
    /// (`layout_options.last_row`).
    pub enum LastRow {
        /// At the left, as SparkRTC does.
        Left = "left",
        /// Centred, rounded to the left.
        Center = "center",
    }
}

wire_words! {
    /// A screen-share template on a canvas taller than wide
    /// (`layout_options.portrait`).
    pub enum Portrait {
        /// As SparkRTC: small tiles beside the main window.
        Sparkrtc = "sparkrtc",
        /// Small tiles below (left template) or above (right) the main
        /// window: the layout of the swapped canvas, transposed.
        Transpose = "transpose",
    }
}

/// Padding at the canvas edge and gaps between tiles, in pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Spacing {
    pub(crate) padding: u32,
    pub(crate) gap: u32,
}

impl Spacing {
    pub(crate) const fn is_none(self) -> bool {
        self.padding == 0 && self.gap == 0
    }
}

/// A split that padding and gaps leave too narrow (§1): its side, its
/// parts and what is left of the side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Narrow {
    pub(crate) length: u32,
    pub(crate) parts: u32,
    pub(crate) inner: i64,
}

impl Narrow {
    /// `Err` when `split` gives a part narrower than its alignment.
    fn check(split: crate::geometry::Split, length: u32, parts: u32) -> Result<(), Narrow> {
        if split.fits() {
            Ok(())
        } else {
            Err(Narrow {
                length,
                parts,
                inner: split.inner_signed(),
            })
        }
    }
}

/// The size classes of a template (§3): slot counts whose geometry is
/// the same. Derived from one function of the slot count, so a class table
/// is never written twice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Classes {
    /// The class of every slot count `0..=capacity`.
    class_of: Vec<u8>,
    /// The first slot count of every class.
    first: Vec<usize>,
}

impl Classes {
    /// Groups `0..=capacity` by `shape`: a new class starts wherever the
    /// shape differs from the slot count before.
    fn new<S: PartialEq>(capacity: usize, shape: impl Fn(usize) -> S) -> Classes {
        let mut class_of = Vec::with_capacity(capacity + 1);
        let mut first = Vec::new();
        let mut previous = None;
        for slots in 0..=capacity {
            let s = shape(slots);
            if previous.as_ref() != Some(&s) {
                first.push(slots);
            }
            previous = Some(s);
            class_of.push((first.len() - 1) as u8);
        }
        Classes { class_of, first }
    }

    /// The class of `slots` slots (counts past the capacity are in the last
    /// class).
    #[inline]
    pub(crate) fn of(&self, slots: usize) -> u8 {
        self.class_of[slots.min(self.class_of.len() - 1)]
    }

    /// The first slot count of every class, in order.
    pub(crate) fn firsts(&self) -> &[usize] {
        &self.first
    }
}

/// A place fixed to one user's stream: the main window showing a given user,
/// or a custom pane with a `user_id`. A user whose *camera* is pinned stands
/// outside the slot list (§3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pin {
    /// The user shown there.
    pub(crate) user_id: Arc<str>,
    /// Which of the user's pictures.
    pub(crate) stream: Stream,
}

/// A checked template: §4's geometry plus the places fixed by the job.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Template {
    NineGrids(NineGrids),
    ScreenShare(ScreenShare),
    Custom(Custom),
}

impl Template {
    /// How many slots there can be before users wait in the queue (§3).
    pub(crate) fn capacity(&self) -> usize {
        match self {
            Template::NineGrids(_) => grid::CAPACITY,
            Template::ScreenShare(_) => screen_share::CAPACITY,
            Template::Custom(c) => c.free_panes(),
        }
    }

    /// The size class of a slot list of `slots` slots: lists of one class
    /// share a geometry, so compaction happens only across classes.
    pub(crate) fn size_class(&self, slots: usize) -> u8 {
        match self {
            Template::NineGrids(g) => g.classes().of(slots),
            Template::ScreenShare(s) => s.classes().of(slots),
            Template::Custom(_) => 0,
        }
    }

    /// The places fixed to a user's stream, in the order the room tracks them.
    pub(crate) fn pins(&self) -> &[Pin] {
        match self {
            Template::NineGrids(_) => &[],
            Template::ScreenShare(s) => s.main.pin().map(std::slice::from_ref).unwrap_or(&[]),
            Template::Custom(c) => c.pins(),
        }
    }

    /// True when `user_id`'s camera has a pinned place, so the user takes no
    /// slot.
    pub(crate) fn pins_camera_of(&self, user_id: &str) -> bool {
        self.pins()
            .iter()
            .any(|p| p.stream == Stream::Camera && &*p.user_id == user_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_group_equal_shapes() {
        let c = Classes::new(9, |m| (m + 1) / 3);
        // Shapes 0,0,1,1,1,2,2,2,3,3 -> classes 0,0,1,1,1,2,2,2,3,3.
        assert_eq!(
            (0..=9).map(|m| c.of(m)).collect::<Vec<_>>(),
            [0, 0, 1, 1, 1, 2, 2, 2, 3, 3]
        );
        assert_eq!(c.firsts(), [0, 2, 5, 8]);
        assert_eq!(c.of(50), 3);
    }
}
