//! Room events (SPEC §2): people join and leave, turn their camera off and
//! on, turn their phone, start and stop sharing their screen.
//!
//! With the `serde` feature, `parse_events` reads the
//! JSON list of SPEC §2.

use crate::geometry::SourceSize;
use crate::template::Stream;

/// One change of the room, for one user.
///
/// ```
/// use mixlayout::{Action, Event, SourceSize};
/// let e = Event::new("u3", Action::Join { video: true, camera: SourceSize::new(640, 480) });
/// assert_eq!(e.user_id, "u3");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The user the event is about.
    pub user_id: String,
    /// What happened.
    pub action: Action,
}

impl Event {
    /// A `join` of `user_id` with the camera on.
    ///
    /// ```
    /// use mixlayout::{Action, Event, SourceSize};
    /// let e = Event::join("u1", SourceSize::new(1280, 720));
    /// assert_eq!(e.action, Action::Join { video: true, camera: SourceSize::new(1280, 720) });
    /// ```
    pub fn join(user_id: impl Into<String>, camera: Option<SourceSize>) -> Self {
        Event::new(
            user_id,
            Action::Join {
                video: true,
                camera,
            },
        )
    }

    /// An event of `user_id`.
    pub fn new(user_id: impl Into<String>, action: Action) -> Self {
        Event {
            user_id: user_id.into(),
            action,
        }
    }
}

/// What happened to a user. Sizes given here win over `layout_options.users`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// `join`: the user enters, camera on unless `video` is false.
    Join {
        /// Whether the camera is on.
        video: bool,
        /// The camera's size, if known.
        camera: Option<SourceSize>,
    },
    /// `leave`: the user goes; their screen share ends and what events told
    /// about them is forgotten.
    Leave,
    /// `video_off`: the camera stops; the user keeps their place, shown as
    /// audio-only. Repeating it is a no-op.
    VideoOff,
    /// `video_on`: the camera starts again. Repeating it is a no-op.
    VideoOn {
        /// The camera's size, if known.
        camera: Option<SourceSize>,
    },
    /// `resize`: a stream changes size (a phone turned on its side).
    Resize {
        /// The camera, or the screen being shared.
        stream: Stream,
        /// The new size.
        size: SourceSize,
    },
    /// `screen_start`: the user shares a screen; while already sharing it only
    /// updates the size.
    ScreenStart {
        /// The screen's size, if known.
        screen: Option<SourceSize>,
    },
    /// `screen_stop`: the share ends and its size is forgotten.
    ScreenStop,
}

impl Action {
    /// The event's `type` in JSON.
    pub const fn name(&self) -> &'static str {
        match self {
            Action::Join { .. } => "join",
            Action::Leave => "leave",
            Action::VideoOff => "video_off",
            Action::VideoOn { .. } => "video_on",
            Action::Resize { .. } => "resize",
            Action::ScreenStart { .. } => "screen_start",
            Action::ScreenStop => "screen_stop",
        }
    }
}

#[cfg(feature = "serde")]
mod json;
#[cfg(feature = "serde")]
pub use json::{MAX_EVENTS, MAX_EVENTS_BYTES, parse_events};
