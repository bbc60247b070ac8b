//! What a tile shows of a user: their camera or their shared screen
//! ([`Stream`]), and the size of that picture ([`SourceSize`]).

use crate::geometry::Size;
use crate::words::wire_words;

wire_words! {
    /// Which picture of a user: the camera or the shared screen. Written
    /// `camera` and `screen` in JSON.
    pub enum Stream {
        /// The camera (SparkRTC's `CAMERASTREAM`).
        Camera = "camera",
        /// The shared screen (SparkRTC's `SCREENSTREAM`).
        Screen = "screen",
    }
}

/// The size of a source picture (a camera or a shared screen): width and
/// height each in `1..=8192` (§1), checked when it is made.
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
    #[inline]
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
