//! The first stage of a job: its fields as written, words already turned
//! into enums, numbers still as given, so that [`JobBuilder::build`] can say
//! exactly which value is out of range.

use std::collections::HashMap;
use std::sync::Arc;

use super::{
    Background, CropMode, EncodeTemplate, FillingPolicy, Job, Replacement, SpeakerBorder,
    TemplateKind, UserInfo, VideoType,
};
use crate::color::Rgb;
use crate::error::{JobError, Number, Problem};
use crate::fit::{Fit, MaxCrop};
use crate::geometry::{Align, Size};
use crate::limits::{
    MAX_PANES, MAX_RECONNECT_GRACE_MS, MAX_USERS_OPTION, check_length, check_name, range,
    range_u32, source_size,
};
use crate::source::Stream;
use crate::template::custom::{Holding, pane_rect};
use crate::template::{
    Custom, GridMode, LastRow, MainSource, Narrow, NineGrids, Pin, Portrait, ScreenShare, Side,
    Spacing, Template,
};

/// Tolerance of the check `x + width <= 1` (and `y + height`), for fractions
/// such as `0.7 + 0.3` that f64 adds to a hair above 1.
const EDGE_EPSILON: f64 = 1e-9;
/// Largest `padding` and `gap`.
const MAX_SPACING: u32 = 512;
/// Largest `corner_radius`.
const MAX_CORNER_RADIUS: u32 = 256;
/// Widest `speaker_border`.
const MAX_BORDER_WIDTH: u32 = 32;

/// One entry of `layout_panes`, as written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PaneSpec {
    /// `id`, unique, 1..=2147483647.
    pub id: i64,
    /// `user_id` of a `FIXED_USER` pane.
    pub user_id: Option<String>,
    /// `video_type` (default `CAMERASTREAM`).
    pub video_type: Option<VideoType>,
    /// `x`: left edge as a fraction of the canvas width.
    pub x: Option<f64>,
    /// `y`: top edge as a fraction of the canvas height.
    pub y: Option<f64>,
    /// `width` as a fraction of the canvas width.
    pub width: Option<f64>,
    /// `height` as a fraction of the canvas height.
    pub height: Option<f64>,
    /// `zorder`, 0..=25, 0 at the bottom.
    pub zorder: Option<i64>,
    /// `crop_mode` (default `KEEP_RATIO_CROP`).
    pub crop_mode: Option<CropMode>,
    /// `filling_policy`.
    pub filling_policy: Option<FillingPolicy>,
}

/// `layout_options.main`: what a screen-share main window shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MainSpec {
    /// `"shared_screen"`: the earliest current sharer's screen.
    SharedScreen,
    /// `{"user_id": ..., "stream": ...}`: a given user's stream.
    User {
        /// The user.
        user_id: String,
        /// Their camera or screen.
        stream: Stream,
    },
}

/// One entry of `layout_options.users`, as written; sizes come in pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserSpec {
    /// Display name, used as the tile label.
    pub name: Option<String>,
    /// Camera width.
    pub width: Option<i64>,
    /// Camera height.
    pub height: Option<i64>,
    /// Screen width.
    pub screen_width: Option<i64>,
    /// Screen height.
    pub screen_height: Option<i64>,
}

/// `layout_options` as written; `None` is a field not given.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Options {
    pub(super) background_color: Option<Rgb>,
    pub(super) placeholder_color: Option<Rgb>,
    pub(super) replacement: Option<Replacement>,
    pub(super) main: Option<MainSpec>,
    pub(super) align: Option<i64>,
    pub(super) max_crop: Option<f64>,
    pub(super) users: Vec<(String, UserSpec)>,
    pub(super) padding: Option<i64>,
    pub(super) gap: Option<i64>,
    pub(super) grid: Option<GridMode>,
    pub(super) last_row: Option<LastRow>,
    pub(super) portrait: Option<Portrait>,
    pub(super) corner_radius: Option<i64>,
    pub(super) speaker_border: Option<(Rgb, i64)>,
    pub(super) speaker_priority: Option<bool>,
    pub(super) reconnect_grace_ms: Option<i64>,
}

/// A job as written, field by field: SparkRTC's `mix_param` and this
/// project's `layout_options`. [`JobBuilder::build`] checks it.
///
/// ```
/// use mixlayout::{JobBuilder, PaneSpec, TemplateKind};
/// let job = JobBuilder::new("room1", "1280x720_30_1710")
///     .template(TemplateKind::Custom)
///     .pane(PaneSpec { id: 1, x: Some(0.0), y: Some(0.0), width: Some(0.5), height: Some(1.0),
///                      ..PaneSpec::default() })
///     .gap(8)
///     .build()
///     .unwrap_err();
/// // gap shapes grids and screen shares; custom panes place themselves.
/// assert_eq!(job.to_string(), "layout_options.gap: custom does not take this option");
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobBuilder {
    pub(super) room_id: String,
    pub(super) encode_template: String,
    pub(super) max_idle_time: Option<i64>,
    pub(super) layout_template: Option<TemplateKind>,
    pub(super) background_image: Option<String>,
    pub(super) default_user_background_image: Option<String>,
    pub(super) screen_background_image: Option<String>,
    pub(super) user_background_images: Vec<(String, String)>,
    pub(super) layout_panes: Vec<PaneSpec>,
    pub(super) options: Options,
}

impl JobBuilder {
    /// A job of `room_id` with `encode_template` (`audio_only` or
    /// `W?H_FPS_KBPS`); everything else at its default.
    pub fn new(room_id: impl Into<String>, encode_template: impl Into<String>) -> Self {
        JobBuilder {
            room_id: room_id.into(),
            encode_template: encode_template.into(),
            ..JobBuilder::default()
        }
    }

    /// `max_idle_time` in seconds, 5..=43200.
    pub fn max_idle_time(mut self, seconds: i64) -> Self {
        self.max_idle_time = Some(seconds);
        self
    }

    /// `layout_template`.
    pub fn template(mut self, kind: TemplateKind) -> Self {
        self.layout_template = Some(kind);
        self
    }

    /// `background_image`.
    pub fn background_image(mut self, reference: impl Into<String>) -> Self {
        self.background_image = Some(reference.into());
        self
    }

    /// `default_user_background_image`.
    pub fn default_user_background_image(mut self, reference: impl Into<String>) -> Self {
        self.default_user_background_image = Some(reference.into());
        self
    }

    /// An entry of `user_background_images`.
    pub fn user_background_image(
        mut self,
        user_id: impl Into<String>,
        reference: impl Into<String>,
    ) -> Self {
        self.user_background_images
            .push((user_id.into(), reference.into()));
        self
    }

    /// `screen_background_image`.
    pub fn screen_background_image(mut self, reference: impl Into<String>) -> Self {
        self.screen_background_image = Some(reference.into());
        self
    }

    /// An entry of `layout_panes`.
    pub fn pane(mut self, pane: PaneSpec) -> Self {
        self.layout_panes.push(pane);
        self
    }

    /// `layout_options.background_color`.
    pub fn background_color(mut self, color: Rgb) -> Self {
        self.options.background_color = Some(color);
        self
    }

    /// `layout_options.placeholder_color`.
    pub fn placeholder_color(mut self, color: Rgb) -> Self {
        self.options.placeholder_color = Some(color);
        self
    }

    /// `layout_options.replacement`.
    pub fn replacement(mut self, replacement: Replacement) -> Self {
        self.options.replacement = Some(replacement);
        self
    }

    /// `layout_options.main`.
    pub fn main(mut self, main: MainSpec) -> Self {
        self.options.main = Some(main);
        self
    }

    /// `layout_options.align`: 1 or 2.
    pub fn align(mut self, pixels: i64) -> Self {
        self.options.align = Some(pixels);
        self
    }

    /// `layout_options.max_crop`, 0..=1.
    pub fn max_crop(mut self, fraction: f64) -> Self {
        self.options.max_crop = Some(fraction);
        self
    }

    /// An entry of `layout_options.users`.
    pub fn user(mut self, user_id: impl Into<String>, user: UserSpec) -> Self {
        self.options.users.push((user_id.into(), user));
        self
    }

    /// `layout_options.padding`, 0..=512, a multiple of `align`.
    pub fn padding(mut self, pixels: i64) -> Self {
        self.options.padding = Some(pixels);
        self
    }

    /// `layout_options.gap`, 0..=512, a multiple of `align`.
    pub fn gap(mut self, pixels: i64) -> Self {
        self.options.gap = Some(pixels);
        self
    }

    /// `layout_options.grid`.
    pub fn grid(mut self, mode: GridMode) -> Self {
        self.options.grid = Some(mode);
        self
    }

    /// `layout_options.last_row`.
    pub fn last_row(mut self, last_row: LastRow) -> Self {
        self.options.last_row = Some(last_row);
        self
    }

    /// `layout_options.portrait`.
    pub fn portrait(mut self, portrait: Portrait) -> Self {
        self.options.portrait = Some(portrait);
        self
    }

    /// `layout_options.corner_radius`, 0..=256.
    pub fn corner_radius(mut self, pixels: i64) -> Self {
        self.options.corner_radius = Some(pixels);
        self
    }

    /// `layout_options.speaker_border`: its colour and width (1..=32).
    pub fn speaker_border(mut self, color: Rgb, width: i64) -> Self {
        self.options.speaker_border = Some((color, width));
        self
    }

    /// `layout_options.speaker_priority`.
    pub fn speaker_priority(mut self, on: bool) -> Self {
        self.options.speaker_priority = Some(on);
        self
    }

    /// `layout_options.reconnect_grace_ms`, 0..=600000.
    pub fn reconnect_grace_ms(mut self, ms: i64) -> Self {
        self.options.reconnect_grace_ms = Some(ms);
        self
    }

    /// Checks every field and rule of §1 and §4 and computes the
    /// template's geometry. The first problem found is returned, named by
    /// its field path in the JSON document.
    pub fn build(&self) -> Result<Job, JobError> {
        let mix = |field: &str| format!("mix_param.{field}");
        let opt = |field: &str| format!("layout_options.{field}");
        let at = |path: String| move |problem| JobError::new(path, problem);

        check_length(&self.room_id).map_err(at(mix("room_id")))?;
        let encode =
            EncodeTemplate::parse(&self.encode_template).map_err(at(mix("encode_template")))?;
        let max_idle_time = match self.max_idle_time {
            Some(t) => range_u32(t, 5, 43_200).map_err(at(mix("max_idle_time")))?,
            None => 30,
        };
        let template_kind = match self.layout_template {
            None if encode != EncodeTemplate::AudioOnly => {
                return Err(JobError::new(mix("layout_template"), Problem::Missing));
            }
            kind => kind,
        };

        let options = &self.options;
        let background = Background {
            color: options.background_color.unwrap_or(Rgb::BLACK),
            image: image_ref(mix("background_image"), &self.background_image)?,
            screen_image: image_ref(
                mix("screen_background_image"),
                &self.screen_background_image,
            )?,
        };
        let default_user_image = image_ref(
            mix("default_user_background_image"),
            &self.default_user_background_image,
        )?;
        let mut image_fields = Vec::new();
        for (field, reference) in [
            ("background_image", &background.image),
            ("screen_background_image", &background.screen_image),
            ("default_user_background_image", &default_user_image),
        ] {
            if let Some(r) = reference {
                image_fields.push((mix(field), r.clone()));
            }
        }
        let mut user_images = HashMap::with_capacity(self.user_background_images.len());
        for (i, (user, reference)) in self.user_background_images.iter().enumerate() {
            let field = |f: &str| mix(&format!("user_background_images[{i}].{f}"));
            check_name(user).map_err(at(field("user_id")))?;
            let reference =
                image_ref(field("image_uri"), &Some(reference.clone()))?.expect("given");
            image_fields.push((field("image_uri"), reference.clone()));
            if user_images
                .insert(Box::from(user.as_str()), reference)
                .is_some()
            {
                let problem = Problem::Duplicate(user.clone());
                return Err(JobError::new(field("user_id"), problem));
            }
        }

        let align = match options.align {
            None => Align::Two,
            Some(a) => {
                range(a, 1, 2).map_err(at(opt("align")))?;
                Align::from_pixels(a).expect("1 or 2 by the range check")
            }
        };
        let max_crop = match options.max_crop {
            None => MaxCrop::NONE,
            Some(c) => MaxCrop::new(c).ok_or_else(|| {
                let value = Number::Float(c);
                let problem = if c > 1.0 {
                    Problem::Above {
                        value,
                        max: Number::Int(1),
                    }
                } else {
                    Problem::Below {
                        value,
                        min: Number::Int(0),
                    }
                };
                JobError::new(opt("max_crop"), problem)
            })?,
        };
        let users = users(&options.users)?;
        let pixels = |name: &str, value: Option<i64>, max: u32| -> Result<u32, JobError> {
            let v = value.map_or(Ok(0), |v| range_u32(v, 0, max).map_err(at(opt(name))))?;
            if v % align.pixels() != 0 {
                let problem = Problem::NotMultipleOfAlign {
                    value: v,
                    align: align.pixels(),
                };
                return Err(JobError::new(opt(name), problem));
            }
            Ok(v)
        };
        let spacing = Spacing {
            padding: pixels("padding", options.padding, MAX_SPACING)?,
            gap: pixels("gap", options.gap, MAX_SPACING)?,
        };
        let corner_radius = match options.corner_radius {
            Some(r) => range_u32(r, 0, MAX_CORNER_RADIUS).map_err(at(opt("corner_radius")))?,
            None => 0,
        };
        let speaker_border = match options.speaker_border {
            Some((color, width)) => Some(SpeakerBorder {
                color,
                width: range_u32(width, 1, MAX_BORDER_WIDTH)
                    .map_err(at(opt("speaker_border.width")))?,
            }),
            None => None,
        };
        let reconnect_grace_ms = match options.reconnect_grace_ms {
            Some(g) => {
                range_u32(g, 0, MAX_RECONNECT_GRACE_MS).map_err(at(opt("reconnect_grace_ms")))?
            }
            None => 0,
        };
        if let Some(kind) = template_kind {
            self.check_options_belong(kind)?;
        }

        let template = match (template_kind, encode.canvas()) {
            (Some(kind), Some(canvas)) => Some(
                self.checked_template(kind, canvas, align, spacing)
                    .map_err(|e| match e {
                        Built::Job(e) => e,
                        Built::Narrow(n) => {
                            let field = if spacing.gap > 0 { "gap" } else { "padding" };
                            let problem = Problem::TooNarrow {
                                length: n.length,
                                parts: n.parts,
                                inner: n.inner,
                                align: align.pixels(),
                            };
                            JobError::new(opt(field), problem)
                        }
                    })?,
            ),
            // An audio-only job has no canvas: its template is only a name.
            _ => None,
        };

        Ok(Job {
            room_id: self.room_id.clone(),
            encode,
            max_idle_time,
            template_kind,
            template,
            background,
            default_user_image,
            user_images,
            placeholder_color: options.placeholder_color.unwrap_or(Rgb::PLACEHOLDER),
            replacement: options.replacement.unwrap_or_default(),
            align,
            max_crop,
            users,
            corner_radius,
            speaker_border,
            speaker_priority: options.speaker_priority.unwrap_or(false),
            reconnect_grace_ms,
            image_fields,
        })
    }

    /// Options given for a template that does not have them are errors,
    /// whatever their value: given means present.
    fn check_options_belong(&self, kind: TemplateKind) -> Result<(), JobError> {
        let o = &self.options;
        let grid = kind == TemplateKind::NineGridsView;
        let share = matches!(
            kind,
            TemplateKind::ScreenShareLeft | TemplateKind::ScreenShareRight
        );
        let given = [
            ("main", o.main.is_some(), share),
            ("padding", o.padding.is_some(), grid || share),
            ("gap", o.gap.is_some(), grid || share),
            ("grid", o.grid.is_some(), grid),
            ("last_row", o.last_row.is_some(), grid),
            ("portrait", o.portrait.is_some(), share),
        ];
        match given.iter().find(|(_, given, belongs)| *given && !belongs) {
            Some((name, ..)) => Err(JobError::new(
                format!("layout_options.{name}"),
                Problem::NotForTemplate {
                    template: kind.word(),
                },
            )),
            None => Ok(()),
        }
    }

    /// The template of `kind` on `canvas`.
    fn checked_template(
        &self,
        kind: TemplateKind,
        canvas: Size,
        align: Align,
        spacing: Spacing,
    ) -> Result<Template, Built> {
        let o = &self.options;
        Ok(match kind {
            TemplateKind::NineGridsView => Template::NineGrids(NineGrids::new(
                canvas,
                align,
                spacing,
                o.grid.unwrap_or(GridMode::Classes),
                o.last_row.unwrap_or(LastRow::Left),
            )?),
            TemplateKind::ScreenShareLeft | TemplateKind::ScreenShareRight => {
                let side = if kind == TemplateKind::ScreenShareLeft {
                    Side::Left
                } else {
                    Side::Right
                };
                Template::ScreenShare(ScreenShare::new(
                    side,
                    self.main_source()?,
                    canvas,
                    align,
                    spacing,
                    o.portrait.unwrap_or(Portrait::Sparkrtc),
                )?)
            }
            TemplateKind::Custom => Template::Custom(self.custom(canvas, align)?),
        })
    }

    /// The main window's source, given by pane 1 of `layout_panes` or by
    /// `layout_options.main` (not both).
    fn main_source(&self) -> Result<MainSource, JobError> {
        let panes = &self.layout_panes;
        match (panes.as_slice(), &self.options.main) {
            ([], None) => Ok(MainSource::Nothing),
            ([], Some(MainSpec::SharedScreen)) => Ok(MainSource::SharedScreen),
            ([], Some(MainSpec::User { user_id, stream })) => {
                check_name(user_id).map_err(|p| JobError::new("layout_options.main.user_id", p))?;
                Ok(MainSource::Pinned(Pin {
                    user_id: user_id.as_str().into(),
                    stream: *stream,
                }))
            }
            (_, Some(_)) => Err(JobError::new("layout_options.main", Problem::MainSetTwice)),
            ([pane], None) => {
                const AT: &str = "mix_param.layout_panes[0]";
                if pane.id != 1 {
                    return Err(JobError::new(format!("{AT}.id"), Problem::OnlyPaneOne));
                }
                Ok(match holding(AT, pane)? {
                    (Holding::Pinned(pin), _) => MainSource::Pinned(pin),
                    (Holding::Shared, _) => MainSource::SharedScreen,
                    (Holding::Free, _) => MainSource::Nothing,
                })
            }
            (more, None) => {
                let path = format!("mix_param.layout_panes[{}].id", more.len() - 1);
                let problem = if more.iter().all(|p| p.id == 1) {
                    Problem::Duplicate("1".into())
                } else {
                    Problem::OnlyPaneOne
                };
                Err(JobError::new(path, problem))
            }
        }
    }

    /// The custom template of `layout_panes` on `canvas`.
    fn custom(&self, canvas: Size, align: Align) -> Result<Custom, JobError> {
        let specs = &self.layout_panes;
        if specs.is_empty() || specs.len() > MAX_PANES {
            return Err(JobError::new(
                "mix_param.layout_panes",
                Problem::PaneCount(specs.len()),
            ));
        }
        let mut panes: Vec<(u32, _, u8, Fit, Holding)> = Vec::with_capacity(specs.len());
        for (i, spec) in specs.iter().enumerate() {
            let at = format!("mix_param.layout_panes[{i}]");
            let field = |f: &str| format!("{at}.{f}");
            let id = range(spec.id, 1, i64::from(i32::MAX))
                .map_err(|p| JobError::new(field("id"), p))? as u32;
            let (holding, stream) = holding(&at, spec)?;
            if holding == Holding::Free && stream == Stream::Screen {
                return Err(JobError::new(field("video_type"), Problem::FreeScreenPane));
            }
            let z = match spec.zorder {
                None => 0,
                Some(z) => range(z, 0, 25).map_err(|p| JobError::new(field("zorder"), p))? as u8,
            };
            let fit = match spec.crop_mode {
                None | Some(CropMode::KeepRatioCrop) => Fit::Cover,
                Some(CropMode::KeepRatioPadding) => Fit::Contain,
            };
            let fraction = |name: &str, value: Option<f64>, open: bool| {
                let v = value.ok_or_else(|| JobError::new(field(name), Problem::Missing))?;
                let below = if open { v <= 0.0 } else { v < 0.0 };
                if below || v.is_nan() {
                    let min = Number::Int(0);
                    Err(JobError::new(
                        field(name),
                        Problem::Below {
                            value: Number::Float(v),
                            min,
                        },
                    ))
                } else if v > 1.0 {
                    let max = Number::Int(1);
                    Err(JobError::new(
                        field(name),
                        Problem::Above {
                            value: Number::Float(v),
                            max,
                        },
                    ))
                } else {
                    Ok(v)
                }
            };
            let (x, y) = (fraction("x", spec.x, false)?, fraction("y", spec.y, false)?);
            let (w, h) = (
                fraction("width", spec.width, true)?,
                fraction("height", spec.height, true)?,
            );
            for (name, end) in [("width", x + w), ("height", y + h)] {
                if end > 1.0 + EDGE_EPSILON {
                    return Err(JobError::new(
                        field(name),
                        Problem::PaneBeyondCanvas { end },
                    ));
                }
            }
            let rect = pane_rect(x, y, w, h, canvas, align);
            if rect.is_empty() {
                return Err(JobError::new(field("width"), Problem::EmptyPane));
            }
            if panes.iter().any(|p| p.0 == id) {
                return Err(JobError::new(
                    field("id"),
                    Problem::Duplicate(id.to_string()),
                ));
            }
            if let Holding::Pinned(pin) = &holding
                && panes
                    .iter()
                    .any(|p| matches!(&p.4, Holding::Pinned(other) if other == pin))
            {
                return Err(JobError::new(field("user_id"), Problem::PinnedTwice));
            }
            panes.push((id, rect, z, fit, holding));
        }
        Ok(Custom::new(panes))
    }
}

/// Why a template could not be built: a field, or spacing that leaves no
/// room (named by the caller, who knows which option to blame).
enum Built {
    Job(JobError),
    Narrow(Narrow),
}

impl From<JobError> for Built {
    fn from(e: JobError) -> Self {
        Built::Job(e)
    }
}

impl From<Narrow> for Built {
    fn from(n: Narrow) -> Self {
        Built::Narrow(n)
    }
}

/// What pane `at` holds, by its `video_type` (default `CAMERASTREAM`),
/// `filling_policy` and `user_id` (a pane with a `user_id` and no policy is
/// `FIXED_USER`), and the stream its `video_type` names. Shared by custom
/// panes and screen-share pane 1.
fn holding(at: &str, pane: &PaneSpec) -> Result<(Holding, Stream), JobError> {
    let field = |f: &str| format!("{at}.{f}");
    let stream = match pane.video_type {
        None | Some(VideoType::Camera) => Stream::Camera,
        Some(VideoType::Screen) => Stream::Screen,
    };
    let holding = match (pane.filling_policy, &pane.user_id) {
        (Some(FillingPolicy::FixedUser), None) => {
            return Err(JobError::new(
                field("user_id"),
                Problem::FixedUserWithoutUser,
            ));
        }
        (Some(FillingPolicy::SharedScreen), Some(_)) => {
            return Err(JobError::new(
                field("user_id"),
                Problem::SharedScreenWithUser,
            ));
        }
        (Some(FillingPolicy::SharedScreen), None) => Holding::Shared,
        (_, Some(user)) => {
            check_name(user).map_err(|p| JobError::new(field("user_id"), p))?;
            Holding::Pinned(Pin {
                user_id: user.as_str().into(),
                stream,
            })
        }
        (None, None) => Holding::Free,
    };
    Ok((holding, stream))
}

/// An image reference: not empty, no control characters.
fn image_ref(path: String, text: &Option<String>) -> Result<Option<Arc<str>>, JobError> {
    match text.as_deref() {
        None => Ok(None),
        Some("") => Err(JobError::new(path, Problem::Empty)),
        Some(t) if t.chars().any(char::is_control) => {
            Err(JobError::new(path, Problem::ControlCharacter))
        }
        Some(t) => Ok(Some(t.into())),
    }
}

fn users(entries: &[(String, UserSpec)]) -> Result<HashMap<Box<str>, UserInfo>, JobError> {
    if entries.len() > MAX_USERS_OPTION {
        return Err(JobError::new(
            "layout_options.users",
            Problem::TooMany {
                count: entries.len(),
                max: MAX_USERS_OPTION,
            },
        ));
    }
    let mut users = HashMap::with_capacity(entries.len());
    for (id, user) in entries {
        let at = |field: &str| format!("layout_options.users.{id}{field}");
        check_name(id).map_err(|p| JobError::new(at(""), p))?;
        if let Some(n) = &user.name {
            check_name(n).map_err(|p| JobError::new(at(".name"), p))?;
        }
        let camera = source_size(user.width, user.height)
            .map_err(|(f, p)| JobError::new(at(&format!(".{f}")), p))?;
        let screen = source_size(user.screen_width, user.screen_height)
            .map_err(|(f, p)| JobError::new(at(&format!(".screen_{f}")), p))?;
        let info = UserInfo {
            name: user.name.as_deref().map(Arc::from),
            camera,
            screen,
        };
        if users.insert(Box::from(id.as_str()), info).is_some() {
            return Err(JobError::new(at(""), Problem::DuplicateKey));
        }
    }
    Ok(users)
}
