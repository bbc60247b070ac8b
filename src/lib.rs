//! # mixlayout
//!
//! The picture layout of a mixed-stream recording: many participants of a
//! video room mixed into one video, following SparkRTC's "create a mixed
//! stream recording job" API.
//!
//! The model, in the order data flows:
//!
//! - a [`Job`] (SPEC §1) is SparkRTC's `mix_param` plus this project's
//!   `layout_options`: the canvas (`encode_template`), the template
//!   (`layout_template`), backgrounds and placeholders. It is read in two
//!   stages: [`job::spec`] as written, then checked into [`Job`].
//! - a [`Room`] (SPEC §2–§3) follows the job through [`Event`]s: joins,
//!   leaves, cameras off and on, screen shares. It keeps the slot list (with
//!   vacancies), the waiting queue and the sharers.
//! - a [`Template`] (SPEC §4, one module each under [`template`]) says where
//!   each slot, main window or pane lies on the canvas.
//! - [`fit`] (SPEC §5) says how each source goes into its tile: `cover`
//!   (crop) or `contain` (whole, letterboxed), in integer pixels.
//! - the [`Layout`] (SPEC §6) is the result: every tile's user, stream,
//!   rectangle, content rectangle, source crop and placeholder. A compositor
//!   whose decoded frame has another size than the layout knew asks
//!   [`Tile::place_picture`] where it goes (SPEC §7's crop scaling).
//! - with the `render` feature, `mixlayout::render` draws a layout as a
//!   PNG preview (SPEC §7), and `mixlayout::export` turns it into an ffmpeg
//!   filter graph or a GStreamer pipeline that draw the same picture.
//!   Placement stays pure; pixel work lives only there.
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
//! ## Decisions where SPEC is silent
//!
//! - A repeated `video_on` is a no-op even when it carries a size (SPEC §2
//!   says repeating is a no-op); send `resize` to change a camera's size.
//! - `screen_start` without a size while already sharing keeps the known size.
//! - `x + width <= 1` (and `y + height`) of custom panes is checked with a
//!   tolerance of 1e-9, so `0.7 + 0.3` is accepted.
//! - A screen-share pane 1 with neither `user_id` nor `filling_policy` sets
//!   an empty main window, and still counts as setting it (together with
//!   `layout_options.main` it is an error).
//! - An `audio_only` job checks the template's name but not its panes or main
//!   window: there is no canvas to place them on.
//! - Image references must not be empty.
//! - Errors about a job document as a whole (not JSON, too large) have an
//!   empty field path. An event list that is not a list is reported as
//!   event 0.
//! - `room_id` is bounded by length only (SPEC §1); user ids and names also
//!   refuse control characters (§8).
//! - `video_type` of a `SHARED_SCREEN` pane must still be one of the two
//!   words (every custom field is validated), and is otherwise ignored.
//! - With `--images DIR`, a remote reference whose file is not in DIR is
//!   drawn as the fallback colour with a warning, like one without DIR.
//! - A preview draws users without a source file in a flat colour:
//!   [`Rgb::for_stream`] (the golden-angle hue of the id's trailing number,
//!   so `u1..uN` are far apart). Labels use the `font8x8` bitmap font at 1x
//!   to 3x by tile height; audio-only tiles show up to two initials.
//! - SPEC §5 can give an empty `content` (a 1-pixel side) for extreme aspect
//!   ratios; it is kept as computed, and drawing skips it.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod color;
pub mod error;
pub mod event;
#[cfg(feature = "render")]
pub mod export;
pub mod fit;
pub mod geometry;
pub mod job;
pub mod layout;
#[cfg(feature = "render")]
pub mod render;
pub mod room;
pub mod template;

pub use color::Rgb;
pub use error::{Error, EventError, JobError, Problem, Rejection};
#[cfg(feature = "render")]
pub use error::{ImageError, ImageProblem};
#[cfg(feature = "serde")]
pub use event::parse_events;
pub use event::{Action, Event};
pub use fit::{Fit, MaxCrop, Placement, place};
pub use geometry::{Align, Rect, Size, SourceSize, split_edge};
pub use job::{EncodeTemplate, Job, Replacement, UserInfo};
pub use layout::{Background, Layout, Placeholder, Role, Tile, TileKind};
pub use room::{Place, Room};
pub use template::{Stream, Template, TemplateKind};
