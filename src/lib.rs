//! # mixlayout
//!
//! The picture layout of a mixed-stream recording: many participants of a
//! video room mixed into one video, following SparkRTC's "create a mixed
//! stream recording job" API and going beyond it.
//!
//! Marks such as (§4.1) name the part of the project's behaviour
//! specification that a rule comes from; every rule is stated in these docs
//! where it applies, and the decisions taken where the specification is
//! silent are listed below.
//!
//! ## The layers, in the order data flows through them
//!
//! Each module imports only those above it.
//!
//! 1. **Leaves**: [`Size`], [`Rect`] and [`Split`] (integer geometry and the
//!    edge splitting of §4.1), [`Stream`] and [`SourceSize`] (what a
//!    tile shows of a user), [`Rgb`] (job colours and their BT.709 values),
//!    the errors, and [`limits`] (§8).
//! 2. **Fit** ([`place`], §5): how a source goes into its tile, `cover`
//!    (cropped) or `contain` (whole, letterboxed), in integer pixels.
//! 3. **Templates** (§4): where every slot, main window and pane lies,
//!    computed once per job for every size class. Pure geometry.
//! 4. **The job** ([`Job`], §1): SparkRTC's `mix_param` plus this
//!    project's `layout_options`, read in two stages: as written into a
//!    [`JobBuilder`] (from JSON with `Job::from_json`), then checked by
//!    [`JobBuilder::build`]. Every error names its field path.
//! 5. **Events** ([`Event`], §2): joins, leaves, cameras, screens,
//!    speakers, each at an instant.
//! 6. **The room** ([`Room`], §3): the slot list with vacancies and
//!    held slots, the waiting queue, sharers, the speaker and the clock.
//! 7. **The layout** ([`Layout`], §6): every tile's user, stream,
//!    rectangle, content rectangle, source crop and placeholder, computed
//!    from the job and the room ([`Room::layout_into`], allocation-free when
//!    warm); [`changes_into`] says what changed between two layouts.
//! 8. **The timeline** ([`Timeline`], §9): the layout over time, epoch
//!    by epoch.
//! 9. **The drawing plan** ([`plan`], §7): a layout as ordered layers
//!    of fills, pictures, labels, corners and borders.
//! 10. **Painters**, behind features: `render` paints the plan as an RGB
//!     preview (PNG, or JPEG by the output's name) and a storyboard of the
//!     timeline, `export` turns it into an ffmpeg or GStreamer command, and
//!     `frames` (the `frame` module, §11) paints it into a live compositor's I420
//!     frames.
//! 11. **Recording** (feature `record`, the `record` module, §10): a meeting from
//!     its participants' files, through the `ffmpeg` program.
//!
//! ```
//! # #[cfg(feature = "serde")] {
//! use std::sync::Arc;
//! use mixlayout::{parse_events, Job, Layout, Room, Rect};
//!
//! let job = Job::from_json(br#"{"mix_param": {"room_id": "room001",
//!     "encode_template": "1920x1080_30_4620", "layout_template": "nine_grids_view"}}"#)?;
//! let mut room = Room::new(Arc::new(job));
//! let events = parse_events(br#"[{"type": "join", "user_id": "u1", "width": 640, "height": 480},
//!                               {"type": "join", "user_id": "u2"}]"#)?;
//! room.apply_all(&events)?;
//!
//! // A compositor keeps one Layout and recomputes into it after each event.
//! let mut layout = Layout::default();
//! room.layout_into(&mut layout);
//! assert_eq!(layout.tiles[0].rect, Rect::new(0, 0, 960, 1080));
//! // u1's 4:3 camera is cut at the sides to fill the tall half:
//! // round(960 * 480 / 1080) = 427 of its 640 columns, centred.
//! assert_eq!(layout.tiles[0].source_crop, Some(Rect::new(106, 0, 427, 480)));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Decisions where the specification is silent
//!
//! - A repeated `video_on` is a no-op even when it carries a size (§2
//!   says repeating is a no-op); send `resize` to change a camera's size.
//! - `screen_start` without a size while already sharing keeps the known size.
//! - `x + width <= 1` (and `y + height`) of custom panes is checked with a
//!   tolerance of 1e-9, so `0.7 + 0.3` is accepted.
//! - A screen-share pane 1 with neither `user_id` nor `filling_policy` sets
//!   an empty main window, and still counts as setting it (together with
//!   `layout_options.main` it is an error).
//! - An `audio_only` job checks the template's name and which options
//!   belong to it, but not its panes or main window: there is no canvas to
//!   place them on.
//! - Image references must not be empty.
//! - Errors about a job document as a whole (not JSON, too large) have an
//!   empty field path. An event list that is not a list is reported as
//!   event 0.
//! - `room_id` is bounded by length only (§1); user ids and names also
//!   refuse control characters (§8).
//! - `video_type` of a `SHARED_SCREEN` pane must still be one of the two
//!   words (every custom field is validated), and is otherwise ignored.
//! - `null` is the same as leaving an optional field out.
//! - An event without `at` happens at the room's instant: the previous
//!   event's, or the instant the room was advanced to.
//! - A speaker who leaves within the reconnect grace is no longer the
//!   speaker when they come back; a held slot keeps the label and
//!   placeholder of the user who left.
//! - §5 can give an empty `content` (a 1-pixel side) for extreme aspect
//!   ratios; it is kept as computed, and drawing skips it.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod words;

mod color;
mod error;
mod geometry;
pub mod limits;
mod source;

mod fit;
mod template;

mod job;

mod event;

mod room;

mod layout;

mod timeline;

pub mod plan;

#[cfg(feature = "render")]
pub mod export;
#[cfg(feature = "frames")]
pub mod frame;
#[cfg(feature = "render")]
pub mod output;
#[cfg(feature = "render")]
mod paint;
#[cfg(feature = "render")]
pub mod picture;
#[cfg(feature = "record")]
pub mod record;
#[cfg(feature = "render")]
pub mod render;

#[cfg(feature = "serde")]
mod json;

/// The README's Rust examples, compiled and run as doc tests.
#[cfg(all(doctest, feature = "serde"))]
#[doc = include_str!("../README.md")]
mod readme_doctest {}

pub use color::Rgb;
#[cfg(feature = "frames")]
pub use error::FrameError;
#[cfg(feature = "record")]
pub use error::MediaError;
pub use error::{Error, Escaped, EventError, JobError, JsonKind, Number, Problem, Rejection};
#[cfg(feature = "render")]
pub use error::{FileKind, ImageError, ImageProblem};
#[cfg(feature = "serde")]
pub use event::parse_events;
pub use event::{Action, Event};
pub use fit::{Fit, MaxCrop, Placement, place};
pub use geometry::{Align, Rect, Size, Split, split_edge};
pub use job::{
    Background, CropMode, EncodeTemplate, FillingPolicy, Job, JobBuilder, MainSpec, PaneSpec,
    Placeholder, Replacement, SpeakerBorder, TemplateKind, UserInfo, UserSpec, VideoType,
};
#[cfg(feature = "serde")]
pub use layout::ChangesJson;
pub use layout::{Change, ChangeKey, Layout, Role, Tile, TileKind, changes_into};
pub use room::{Member, Place, Room, Slot};
pub use source::{SourceSize, Stream};
pub use template::{GridMode, LastRow, Portrait};
#[cfg(feature = "serde")]
pub use timeline::EpochJson;
pub use timeline::{Epoch, Timeline};
