//! The recording job (§1): SparkRTC's `mix_param` plus this project's
//! `layout_options`, checked once into a [`Job`] that the room and the layout
//! read without further checks.
//!
//! Reading has two stages, as in `hisui`: the job as written goes into a
//! [`JobBuilder`] (from JSON with the `serde` feature, `Job::from_json`, or
//! by hand), and [`JobBuilder::build`] checks every range and rule and
//! computes what depends only on the job: the geometry of every size class,
//! pane rectangles, drawing order and pinned places. Every error names its
//! field as the JSON document names it (`mix_param.layout_panes[2].x`).

mod builder;
#[cfg(feature = "serde")]
mod json;

use std::collections::HashMap;
use std::sync::Arc;

pub use builder::{JobBuilder, MainSpec, PaneSpec, UserSpec};

use crate::color::Rgb;
use crate::error::Problem;
use crate::fit::MaxCrop;
use crate::geometry::{Align, Size};
use crate::limits::range_u32;
use crate::source::SourceSize;
use crate::template::Template;
use crate::words::wire_words;

wire_words! {
    /// The `layout_template` names of SparkRTC.
    pub enum TemplateKind {
        /// Equal tiles, up to 25.
        NineGridsView = "nine_grids_view",
        /// A main window on the left, small tiles on the right.
        ScreenShareLeft = "screen_share_left",
        /// A main window on the right, small tiles on the left.
        ScreenShareRight = "screen_share_right",
        /// The job's own panes.
        Custom = "custom",
    }
}

wire_words! {
    /// What happens to the slots when a slotted user leaves
    /// (`layout_options.replacement`, §3).
    #[derive(Default)]
    pub enum Replacement {
        /// The slot stays, vacant, for the next joiner; the list is rebuilt
        /// only when it shrinks across a size class (the default, and the
        /// seed's "the image of this user will be replaced by the next user
        /// who enters").
        #[default]
        FillVacancy = "fill_vacancy",
        /// The slot is removed and later users move up.
        Compact = "compact",
    }
}

wire_words! {
    /// A pane's `video_type`.
    pub enum VideoType {
        /// The camera.
        Camera = "CAMERASTREAM",
        /// The shared screen.
        Screen = "SCREENSTREAM",
    }
}

wire_words! {
    /// A pane's `crop_mode`.
    pub enum CropMode {
        /// `contain`: the whole picture, letterboxed.
        KeepRatioPadding = "KEEP_RATIO_PADDING",
        /// `cover`: cropped to the pane's aspect.
        KeepRatioCrop = "KEEP_RATIO_CROP",
    }
}

wire_words! {
    /// A pane's `filling_policy`.
    pub enum FillingPolicy {
        /// The pane shows its `user_id`.
        FixedUser = "FIXED_USER",
        /// The pane shows a current sharer's screen.
        SharedScreen = "SHARED_SCREEN",
    }
}

/// `encode_template`: no picture at all, or a canvas with its frame rate and
/// bit rate.
///
/// ```
/// use mixlayout::{EncodeTemplate, Size};
/// let e = EncodeTemplate::parse("1920*1080_30_4620").unwrap();
/// assert_eq!(e, EncodeTemplate::Video { canvas: Size::new(1920, 1080), fps: 30, kbps: 4620 });
/// assert!(EncodeTemplate::parse("1920x1081_30_4620").is_err()); // odd height
/// assert!(EncodeTemplate::parse("01920x1080_30_4620").is_err()); // leading zero
/// assert_eq!(EncodeTemplate::parse("audio_only"), Ok(EncodeTemplate::AudioOnly));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EncodeTemplate {
    /// `audio_only`: no canvas, no tiles (§6).
    AudioOnly,
    /// `W?H_FPS_KBPS`.
    Video {
        /// The canvas: W and H even, in 16..=8192.
        canvas: Size,
        /// Frames per second, 1..=120.
        fps: u32,
        /// Bit rate in kbit/s, 1..=100000.
        kbps: u32,
    },
}

impl EncodeTemplate {
    /// Parses `audio_only` or `W?H_FPS_KBPS` (`?` is `x` or `*`; decimal
    /// numbers without sign or leading zero), checking §1's ranges.
    pub fn parse(text: &str) -> Result<Self, Problem> {
        if text == "audio_only" {
            return Ok(EncodeTemplate::AudioOnly);
        }
        let mut parts = text.split('_');
        let (Some(dims), Some(fps), Some(kbps), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Problem::EncodeTemplateSyntax);
        };
        let Some((w, h)) = dims.split_once(['x', '*']) else {
            return Err(Problem::EncodeTemplateSyntax);
        };
        let number = |s: &str| -> Result<i64, Problem> {
            let plain = !s.is_empty()
                && s.len() <= 9
                && s.bytes().all(|b| b.is_ascii_digit())
                && !(s.len() > 1 && s.starts_with('0'));
            if plain {
                s.parse().map_err(|_| Problem::EncodeTemplateSyntax)
            } else {
                Err(Problem::EncodeTemplateSyntax)
            }
        };
        let (w, h, fps, kbps) = (number(w)?, number(h)?, number(fps)?, number(kbps)?);
        let mut sides = [0; 2];
        for (side, value) in sides.iter_mut().zip([w, h]) {
            *side = range_u32(value, 16, 8192)?;
            if *side % 2 != 0 {
                return Err(Problem::OddSide(*side));
            }
        }
        Ok(EncodeTemplate::Video {
            canvas: Size::new(sides[0], sides[1]),
            fps: range_u32(fps, 1, 120)?,
            kbps: range_u32(kbps, 1, 100_000)?,
        })
    }

    /// The canvas, or `None` for `audio_only`.
    pub const fn canvas(self) -> Option<Size> {
        match self {
            EncodeTemplate::AudioOnly => None,
            EncodeTemplate::Video { canvas, .. } => Some(canvas),
        }
    }
}

/// Background colour and images of the canvas.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Background {
    /// `layout_options.background_color`.
    pub color: Rgb,
    /// `background_image`, scaled to cover the canvas.
    pub image: Option<Arc<str>>,
    /// `screen_background_image`, behind the main window.
    #[cfg_attr(feature = "serde", serde(rename = "screen_image"))]
    pub screen_image: Option<Arc<str>>,
}

/// The picture of a user without video: `{"image": ...}` or
/// `{"color": "#rrggbb"}` in layout JSON.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Placeholder {
    /// An image reference, covering the tile.
    Image(Arc<str>),
    /// A flat colour (`placeholder_color`).
    Color(Rgb),
}

/// What the job tells about a user ahead of events (`layout_options.users`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserInfo {
    /// Display name: the label of the user's tiles.
    pub name: Option<Arc<str>>,
    /// Camera size.
    pub camera: Option<SourceSize>,
    /// Screen size.
    pub screen: Option<SourceSize>,
}

/// `layout_options.speaker_border`: a band drawn inside every tile that
/// shows the active speaker's camera.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SpeakerBorder {
    /// The band's colour.
    pub color: Rgb,
    /// Its width in pixels, 1..=32.
    pub width: u32,
}

/// A checked job: everything the room, the layout and drawing need, in
/// checked types.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use mixlayout::{Job, TemplateKind};
/// let job = Job::from_json(br#"{"mix_param": {"room_id": "r1",
///     "encode_template": "1280x720_30_1710", "layout_template": "nine_grids_view"}}"#)?;
/// assert_eq!(job.template_kind(), Some(TemplateKind::NineGridsView));
/// assert_eq!(job.canvas().unwrap().width, 1280);
/// # }
/// # Ok::<(), mixlayout::JobError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Job {
    room_id: String,
    encode: EncodeTemplate,
    max_idle_time: u32,
    template_kind: Option<TemplateKind>,
    template: Option<Template>,
    background: Background,
    default_user_image: Option<Arc<str>>,
    user_images: HashMap<Box<str>, Arc<str>>,
    placeholder_color: Rgb,
    replacement: Replacement,
    align: Align,
    max_crop: MaxCrop,
    users: HashMap<Box<str>, UserInfo>,
    corner_radius: u32,
    speaker_border: Option<SpeakerBorder>,
    speaker_priority: bool,
    reconnect_grace_ms: u32,
    /// Every image reference with the field that gives it.
    image_fields: Vec<(String, Arc<str>)>,
}

impl Job {
    /// The field of the job document that gives image `reference`
    /// (`mix_param.background_image`, …), for errors about its file.
    pub fn image_field(&self, reference: &str) -> Option<&str> {
        self.image_fields
            .iter()
            .find(|(_, r)| &**r == reference)
            .map(|(field, _)| field.as_str())
    }

    /// `room_id`.
    pub fn room_id(&self) -> &str {
        &self.room_id
    }

    /// `encode_template`.
    pub fn encode(&self) -> EncodeTemplate {
        self.encode
    }

    /// The canvas, `None` for an `audio_only` job.
    pub fn canvas(&self) -> Option<Size> {
        self.encode.canvas()
    }

    /// `max_idle_time` in seconds (carried, not used for geometry).
    pub fn max_idle_time(&self) -> u32 {
        self.max_idle_time
    }

    /// The template's name as given (`None` for an audio-only job without
    /// one).
    pub fn template_kind(&self) -> Option<TemplateKind> {
        self.template_kind
    }

    /// The checked template, `None` for an audio-only job.
    pub(crate) fn template(&self) -> Option<&Template> {
        self.template.as_ref()
    }

    /// Background colour and images.
    pub fn background(&self) -> &Background {
        &self.background
    }

    /// `placeholder_color`: audio-only tiles without a placeholder image.
    pub fn placeholder_color(&self) -> Rgb {
        self.placeholder_color
    }

    /// How slots are reused when users leave.
    pub fn replacement(&self) -> Replacement {
        self.replacement
    }

    /// Alignment of tile edges.
    pub fn align(&self) -> Align {
        self.align
    }

    /// The limit on `cover` crops.
    pub fn max_crop(&self) -> MaxCrop {
        self.max_crop
    }

    /// `corner_radius`: tiles are drawn with rounded corners of this radius
    /// (0: square).
    pub fn corner_radius(&self) -> u32 {
        self.corner_radius
    }

    /// `speaker_border`, if any.
    pub fn speaker_border(&self) -> Option<SpeakerBorder> {
        self.speaker_border
    }

    /// `speaker_priority`: a waiting user who speaks swaps places with the
    /// slotted user who spoke least recently.
    pub fn speaker_priority(&self) -> bool {
        self.speaker_priority
    }

    /// `reconnect_grace_ms`: how long a slotted user who leaves holds their
    /// slot (0: not at all).
    pub fn reconnect_grace_ms(&self) -> u32 {
        self.reconnect_grace_ms
    }

    /// What `layout_options.users` says of `user_id`.
    pub fn user_info(&self, user_id: &str) -> Option<&UserInfo> {
        self.users.get(user_id)
    }

    /// The placeholder of `user_id` when it sends no video: its own image,
    /// else the default user image, else `placeholder_color` (§6).
    pub fn placeholder_for(&self, user_id: &str) -> Placeholder {
        match self
            .user_images
            .get(user_id)
            .or(self.default_user_image.as_ref())
        {
            Some(image) => Placeholder::Image(image.clone()),
            None => Placeholder::Color(self.placeholder_color),
        }
    }
}
