//! Room events (§2): people join and leave, turn their camera off and
//! on, turn their phone, share their screen and speak, each at an instant
//! of the recording.
//!
//! With the `serde` feature, `parse_events` reads the JSON list of §2.

#[cfg(feature = "serde")]
mod json;

use std::sync::Arc;

#[cfg(feature = "serde")]
pub use json::parse_events;

use crate::source::{SourceSize, Stream};

/// One change of the room, for one user, at an instant.
///
/// ```
/// use mixlayout::{Action, Event, SourceSize};
/// let e = Event::new("u3", Action::Join { video: true, camera: SourceSize::new(640, 480) })
///     .at(1500);
/// assert_eq!(&*e.user_id, "u3");
/// assert_eq!(e.at, Some(1500));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Milliseconds since the recording started (0..=86400000), or `None`:
    /// the same instant as the event before it (0 for the first).
    pub at: Option<u32>,
    /// The user the event is about.
    pub user_id: Arc<str>,
    /// What happened.
    pub action: Action,
}

impl Event {
    /// An event of `user_id`, at the instant of the event before it.
    pub fn new(user_id: impl Into<Arc<str>>, action: Action) -> Self {
        Event {
            at: None,
            user_id: user_id.into(),
            action,
        }
    }

    /// A `join` of `user_id` with the camera on.
    ///
    /// ```
    /// use mixlayout::{Action, Event, SourceSize};
    /// let e = Event::join("u1", SourceSize::new(1280, 720));
    /// assert_eq!(e.action, Action::Join { video: true, camera: SourceSize::new(1280, 720) });
    /// ```
    pub fn join(user_id: impl Into<Arc<str>>, camera: Option<SourceSize>) -> Self {
        Event::new(
            user_id,
            Action::Join {
                video: true,
                camera,
            },
        )
    }

    /// The same event at `ms` milliseconds.
    pub fn at(mut self, ms: u32) -> Self {
        self.at = Some(ms);
        self
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
    /// `speaking`: the user is now the active speaker.
    Speaking,
}
