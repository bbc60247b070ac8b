//! The recording job (SPEC §1): SparkRTC's `mix_param` plus this project's
//! `layout_options`, checked once into a [`Job`] that the room and the layout
//! read without further checks.
//!
//! Parsing has two stages, as in `hisui`: [`spec`] holds the job as written
//! (with `serde`, straight from JSON), [`Job::from_parts`] checks every range
//! and rule and computes what depends only on the job (pane rectangles,
//! drawing order, pinned places). Every error names its field path.

#[cfg(feature = "serde")]
mod json;
pub mod spec;

use std::collections::HashMap;
use std::sync::Arc;

use crate::color::Rgb;
use crate::error::{JobError, Problem};
use crate::fit::MaxCrop;
use crate::geometry::{Align, Size, SourceSize};
use crate::layout::{Background, Placeholder};
use crate::template::{Custom, NineGrids, ScreenShare, Side, Template, TemplateKind};
use spec::{LayoutOptionsParam, MixParam, UserParam};

/// Most entries of `layout_options.users` (SPEC §8).
pub const MAX_USERS_OPTION: usize = 10_000;
/// Longest user id or name, in bytes (SPEC §8).
pub const MAX_NAME_BYTES: usize = 128;
/// Largest job document, in bytes (SPEC §8).
pub const MAX_JOB_BYTES: u64 = 16 * 1024 * 1024;

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
    /// `audio_only`: no canvas, no tiles (SPEC §6).
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
    /// numbers without sign or leading zero), checking SPEC §1's ranges.
    pub fn parse(text: &str) -> Result<Self, Problem> {
        if text == "audio_only" {
            return Ok(EncodeTemplate::AudioOnly);
        }
        let malformed = Problem::Rule("must be audio_only or W?H_FPS_KBPS, e.g. 1920x1080_30_4620");
        let mut parts = text.split('_');
        let (Some(dims), Some(fps), Some(kbps), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed);
        };
        let Some((w, h)) = dims.split_once(['x', '*']) else {
            return Err(malformed);
        };
        let number = |s: &str| -> Result<u32, Problem> {
            let plain = !s.is_empty()
                && s.len() <= 9
                && s.bytes().all(|b| b.is_ascii_digit())
                && !(s.len() > 1 && s.starts_with('0'));
            if plain {
                s.parse().map_err(|_| malformed.clone())
            } else {
                Err(malformed.clone())
            }
        };
        let (w, h, fps, kbps) = (number(w)?, number(h)?, number(fps)?, number(kbps)?);
        for side in [w, h] {
            range(i64::from(side), 16, 8192)?;
            if side % 2 != 0 {
                return Err(Problem::Rule("width and height must be even"));
            }
        }
        range(i64::from(fps), 1, 120)?;
        range(i64::from(kbps), 1, 100_000)?;
        Ok(EncodeTemplate::Video {
            canvas: Size::new(w, h),
            fps,
            kbps,
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

/// What happens to the slots when a slotted user leaves (SPEC §3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Replacement {
    /// The slot stays, vacant, for the next joiner; the list is rebuilt only
    /// when it shrinks across a size class (the default, and the seed's "the
    /// image of this user will be replaced by the next user who enters").
    #[default]
    FillVacancy,
    /// The slot is removed and later users move up.
    Compact,
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

/// A checked job: everything the room and the layout need, in checked types.
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
}

impl Job {
    /// Checks a job given as its parts: `mix_param` and, when the job has
    /// them, `layout_options`. Errors name the field path from the top of
    /// the job document (`mix_param.…`, `layout_options.…`).
    pub fn from_parts(
        mix: &MixParam,
        options: Option<&LayoutOptionsParam>,
    ) -> Result<Job, JobError> {
        let default_options = LayoutOptionsParam::default();
        let options = options.unwrap_or(&default_options);

        // SPEC §1 bounds the room id by length only (§8's rule on control
        // characters is for user ids and names).
        let room_id_len = mix.room_id.len();
        if !(1..=MAX_NAME_BYTES).contains(&room_id_len) {
            let problem = Problem::Length {
                len: room_id_len,
                min: 1,
                max: MAX_NAME_BYTES,
            };
            return Err(JobError::new("mix_param.room_id", problem));
        }
        let encode = EncodeTemplate::parse(&mix.encode_template)
            .map_err(|p| JobError::new("mix_param.encode_template", p))?;
        let max_idle_time = match mix.max_idle_time {
            Some(t) => {
                range(t, 5, 43_200).map_err(|p| JobError::new("mix_param.max_idle_time", p))?
            }
            None => 30,
        } as u32;
        let template_kind = match &mix.layout_template {
            Some(t) => Some(TemplateKind::from_name(t).ok_or_else(|| {
                JobError::new(
                    "mix_param.layout_template",
                    Problem::NotOneOf {
                        value: t.clone(),
                        expected: "nine_grids_view, screen_share_left, screen_share_right, custom",
                    },
                )
            })?),
            None if encode == EncodeTemplate::AudioOnly => None,
            None => return Err(JobError::new("mix_param.layout_template", Problem::Missing)),
        };

        let background = Background {
            color: color(
                "layout_options.background_color",
                &options.background_color,
                Rgb::BLACK,
            )?,
            image: optional_image_ref("mix_param.background_image", &mix.background_image)?,
            screen_image: optional_image_ref(
                "mix_param.screen_background_image",
                &mix.screen_background_image,
            )?,
        };
        let default_user_image = optional_image_ref(
            "mix_param.default_user_background_image",
            &mix.default_user_background_image,
        )?;
        let mut user_images = HashMap::with_capacity(mix.user_background_images.len());
        for (i, entry) in mix.user_background_images.iter().enumerate() {
            let at = |field: &str| format!("mix_param.user_background_images[{i}].{field}");
            name(&at("user_id"), &entry.user_id)?;
            let uri = image_ref(&at("image_uri"), &entry.image_uri)?;
            if user_images
                .insert(entry.user_id.as_str().into(), uri)
                .is_some()
            {
                return Err(JobError::new(
                    at("user_id"),
                    Problem::Duplicate(entry.user_id.clone()),
                ));
            }
        }

        let placeholder_color = color(
            "layout_options.placeholder_color",
            &options.placeholder_color,
            Rgb::PLACEHOLDER,
        )?;
        let replacement = match options.replacement.as_deref() {
            None | Some("fill_vacancy") => Replacement::FillVacancy,
            Some("compact") => Replacement::Compact,
            Some(other) => {
                return Err(JobError::new(
                    "layout_options.replacement",
                    Problem::NotOneOf {
                        value: other.to_owned(),
                        expected: "fill_vacancy, compact",
                    },
                ));
            }
        };
        let align = match options.align {
            None => Align::Two,
            Some(a) => {
                range(a, 1, 2).map_err(|p| JobError::new("layout_options.align", p))?;
                Align::from_pixels(a).expect("1 or 2 by the range check")
            }
        };
        let max_crop = match options.max_crop {
            None => MaxCrop::NONE,
            Some(c) => MaxCrop::new(c).ok_or_else(|| {
                let value = c.to_string();
                let problem = if c > 1.0 {
                    Problem::Above {
                        value,
                        max: "1".into(),
                    }
                } else {
                    Problem::Below {
                        value,
                        min: "0".into(),
                    }
                };
                JobError::new("layout_options.max_crop", problem)
            })?,
        };
        let users = users(&options.users)?;

        let template = match (template_kind, encode.canvas()) {
            (Some(kind), Some(canvas)) => Some(match kind {
                TemplateKind::NineGridsView => {
                    if options.main.is_some() {
                        return Err(main_not_allowed());
                    }
                    Template::NineGrids(NineGrids::new(canvas, align))
                }
                TemplateKind::ScreenShareLeft | TemplateKind::ScreenShareRight => {
                    let side = if kind == TemplateKind::ScreenShareLeft {
                        Side::Left
                    } else {
                        Side::Right
                    };
                    Template::ScreenShare(ScreenShare::from_params(
                        side,
                        &mix.layout_panes,
                        options.main.as_ref(),
                        canvas,
                        align,
                    )?)
                }
                TemplateKind::Custom => {
                    if options.main.is_some() {
                        return Err(main_not_allowed());
                    }
                    Template::Custom(Custom::from_params(&mix.layout_panes, canvas, align)?)
                }
            }),
            // An audio-only job has no canvas: its template is only a name.
            _ => None,
        };

        Ok(Job {
            room_id: mix.room_id.clone(),
            encode,
            max_idle_time,
            template_kind,
            template,
            background,
            default_user_image,
            user_images,
            placeholder_color,
            replacement,
            align,
            max_crop,
            users,
        })
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
    pub fn template(&self) -> Option<&Template> {
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

    /// What `layout_options.users` says of `user_id`.
    pub fn user_info(&self, user_id: &str) -> Option<&UserInfo> {
        self.users.get(user_id)
    }

    /// The placeholder of `user_id` when it sends no video: its own image,
    /// else the default user image, else `placeholder_color` (SPEC §6).
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

fn main_not_allowed() -> JobError {
    JobError::new(
        "layout_options.main",
        Problem::Rule("only the screen-share templates have a main window"),
    )
}

/// `value` if it lies in `min..=max`.
pub(crate) fn range(value: i64, min: i64, max: i64) -> Result<i64, Problem> {
    if value < min {
        Err(Problem::Below {
            value: value.to_string(),
            min: min.to_string(),
        })
    } else if value > max {
        Err(Problem::Above {
            value: value.to_string(),
            max: max.to_string(),
        })
    } else {
        Ok(value)
    }
}

/// A user id, name or room id: 1..=128 bytes, no control characters (§8).
pub(crate) fn check_name(text: &str) -> Result<(), Problem> {
    if text.is_empty() || text.len() > MAX_NAME_BYTES {
        return Err(Problem::Length {
            len: text.len(),
            min: 1,
            max: MAX_NAME_BYTES,
        });
    }
    if text.chars().any(char::is_control) {
        return Err(Problem::ControlCharacter);
    }
    Ok(())
}

pub(crate) fn name(path: &str, text: &str) -> Result<(), JobError> {
    check_name(text).map_err(|p| JobError::new(path, p))
}

fn color(path: &str, text: &Option<String>, default: Rgb) -> Result<Rgb, JobError> {
    match text {
        None => Ok(default),
        Some(t) => {
            Rgb::parse(t).ok_or_else(|| JobError::new(path, Problem::Rule("must be #RRGGBB")))
        }
    }
}

/// An image reference: not empty, no control characters.
fn image_ref(path: &str, text: &str) -> Result<Arc<str>, JobError> {
    if text.is_empty() {
        Err(JobError::new(path, Problem::Rule("must not be empty")))
    } else if text.chars().any(char::is_control) {
        Err(JobError::new(path, Problem::ControlCharacter))
    } else {
        Ok(text.into())
    }
}

fn optional_image_ref(path: &str, text: &Option<String>) -> Result<Option<Arc<str>>, JobError> {
    text.as_deref().map(|t| image_ref(path, t)).transpose()
}

/// A source size given as two optional numbers: both or neither, each in
/// 1..=8192.
pub(crate) fn source_size(
    width: Option<i64>,
    height: Option<i64>,
) -> Result<Option<SourceSize>, (&'static str, Problem)> {
    match (width, height) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(("height", Problem::Rule("is required when width is given"))),
        (None, Some(_)) => Err(("width", Problem::Rule("is required when height is given"))),
        (Some(w), Some(h)) => {
            let max = i64::from(SourceSize::MAX_SIDE);
            let w = range(w, 1, max).map_err(|p| ("width", p))?;
            let h = range(h, 1, max).map_err(|p| ("height", p))?;
            Ok(SourceSize::new(w as u32, h as u32))
        }
    }
}

fn users(
    params: &std::collections::BTreeMap<String, UserParam>,
) -> Result<HashMap<Box<str>, UserInfo>, JobError> {
    if params.len() > MAX_USERS_OPTION {
        return Err(JobError::new(
            "layout_options.users",
            Problem::TooMany {
                count: params.len(),
                max: MAX_USERS_OPTION,
            },
        ));
    }
    let mut users = HashMap::with_capacity(params.len());
    for (id, user) in params {
        let at = |field: &str| format!("layout_options.users.{id}{field}");
        name(&at(""), id)?;
        if let Some(n) = &user.name {
            name(&at(".name"), n)?;
        }
        let camera = source_size(user.width, user.height)
            .map_err(|(f, p)| JobError::new(at(&format!(".{f}")), p))?;
        let screen = source_size(user.screen_width, user.screen_height)
            .map_err(|(f, p)| JobError::new(at(&format!(".screen_{f}")), p))?;
        users.insert(
            id.as_str().into(),
            UserInfo {
                name: user.name.as_deref().map(Arc::from),
                camera,
                screen,
            },
        );
    }
    Ok(users)
}
