//! The drawing plan (§7): one function, [`plan_into`], turns a
//! [`Layout`] and what is known of its pictures into an ordered list of
//! [`Layer`]s — fills, pictures with their crop and destination, labels,
//! rounded-corner clips and borders. Every painter paints these layers: the
//! RGB preview (`render`), the ffmpeg and GStreamer exports (`export`), the
//! I420 frame compositor (`frame`). The drawing rules live here and nowhere
//! else, so a GPU compositor can paint the same picture from the same list.
//!
//! Layers are painted in order, each over what is below:
//!
//! 1. the canvas: the background colour, then the background image covering
//!    the canvas;
//! 2. each tile in drawing order: a [`Layer::Clip`] when corners are
//!    rounded; the tile's fill, which is what the empty canvas shows there
//!    ([`Layer::Backdrop`], or a [`Layer::Fill`] of the background colour),
//!    unless an opaque layer covers the whole tile anyway; the screen
//!    background under a main window; the picture, its stand-in, or the
//!    placeholder with the initials; the label; the speaker border; and
//!    [`Layer::Unclip`].

mod text;

use crate::color::Rgb;
use crate::error::{JobError, Problem};
use crate::fit::{Fit, MaxCrop, Placement, place};
use crate::geometry::{Rect, Size};
use crate::job::{Job, Placeholder, SpeakerBorder};
use crate::layout::{Layout, Role, Tile, TileKind};
use crate::source::{SourceSize, Stream};

pub use text::{GLYPH, Initials, initials, label_box};

/// What a painter knows of a picture before drawing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PictureInfo {
    /// Its size in pixels.
    pub size: SourceSize,
    /// False when it has an alpha channel, so what is below may show.
    pub opaque: bool,
}

/// The pictures a painter has: users' current sources, and the job's images
/// by their reference as written in the job.
pub trait Catalog {
    /// `user_id`'s camera or screen, if the painter has a picture of it.
    fn source(&self, user_id: &str, stream: Stream) -> Option<PictureInfo>;
    /// The picture of an image reference, if the painter has it.
    fn image(&self, reference: &str) -> Option<PictureInfo>;
}

/// What a `video` tile whose source has no picture shows (§7).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Missing {
    /// A flat colour of the user id and stream ([`stand_in`]): a preview
    /// without pictures still shows who is where.
    #[default]
    StandIn,
    /// A camera in its `audio_only` look (placeholder and initials), a
    /// screen as `empty`: what frames and recordings show where no frame is.
    AudioOnlyLook,
}

/// How to draw a layout.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct Style {
    /// Draw labels (and the initials of users without video).
    pub labels: bool,
    /// The colour of a placeholder whose image is missing.
    pub placeholder_color: Rgb,
    /// The `cover` limit for pictures whose size the layout did not know.
    pub max_crop: MaxCrop,
    /// Rounded corners of every tile, in pixels (0: square).
    pub corner_radius: u32,
    /// The band around the speaker's camera, if any.
    pub speaker_border: Option<SpeakerBorder>,
    /// What a video tile without a picture shows.
    pub missing: Missing,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            labels: true,
            placeholder_color: Rgb::PLACEHOLDER,
            max_crop: MaxCrop::NONE,
            corner_radius: 0,
            speaker_border: None,
            missing: Missing::StandIn,
        }
    }
}

impl Style {
    /// The style a job asks for: its placeholder colour, `max_crop`,
    /// corners and speaker border, labels on, stand-in colours for missing
    /// pictures.
    pub fn for_job(job: &Job) -> Self {
        Style {
            placeholder_color: job.placeholder_color(),
            max_crop: job.max_crop(),
            corner_radius: job.corner_radius(),
            speaker_border: job.speaker_border(),
            ..Style::default()
        }
    }

    /// The same style without labels.
    pub fn without_labels(mut self) -> Self {
        self.labels = false;
        self
    }

    /// The same style with `missing` pictures drawn so.
    pub fn with_missing(mut self, missing: Missing) -> Self {
        self.missing = missing;
        self
    }
}

/// Which picture a [`Layer::Picture`] draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PictureRef {
    /// The source of `layout.tiles[i]`: its user's camera or screen.
    Source(usize),
    /// The job's `background_image`.
    Background,
    /// The job's `screen_background_image`.
    ScreenBackground,
    /// The placeholder image of `layout.tiles[i]`.
    Placeholder(usize),
}

/// What a [`PictureRef`] names: a user's stream, or one of the job's image
/// references.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PictureName<'a> {
    /// The picture of a user's camera or screen.
    Source(&'a str, Stream),
    /// An image reference of the job (background, screen background or a
    /// placeholder image).
    Image(&'a str),
}

impl PictureRef {
    /// What this reference names in `layout`, the layout its plan was made
    /// from: `None` when it names nothing there (a tile without a user, a
    /// job without that image).
    ///
    /// ```
    /// # #[cfg(feature = "serde")] {
    /// use std::sync::Arc;
    /// use mixlayout::plan::{PictureName, PictureRef};
    /// use mixlayout::{Event, Job, Room, Stream};
    ///
    /// let job = Job::from_json(br#"{"room_id": "r", "encode_template": "640x360_30_500",
    ///     "layout_template": "nine_grids_view"}"#)?;
    /// let mut room = Room::new(Arc::new(job));
    /// room.apply(&Event::join("alice", None))?;
    /// let layout = room.layout();
    /// assert_eq!(
    ///     PictureRef::Source(0).name(&layout),
    ///     Some(PictureName::Source("alice", Stream::Camera))
    /// );
    /// // This job has no background image.
    /// assert_eq!(PictureRef::Background.name(&layout), None);
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(self, layout: &Layout) -> Option<PictureName<'_>> {
        match self {
            PictureRef::Source(i) => {
                let tile = layout.tiles.get(i)?;
                Some(PictureName::Source(tile.user_id.as_deref()?, tile.stream?))
            }
            PictureRef::Background => layout.background.image.as_deref().map(PictureName::Image),
            PictureRef::ScreenBackground => layout
                .background
                .screen_image
                .as_deref()
                .map(PictureName::Image),
            PictureRef::Placeholder(i) => match &layout.tiles.get(i)?.placeholder {
                Some(Placeholder::Image(r)) => Some(PictureName::Image(r)),
                _ => None,
            },
        }
    }
}

/// One step of drawing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// Fill `rect` with `color`.
    Fill {
        /// Where.
        rect: Rect,
        /// The colour.
        color: Rgb,
    },
    /// Show in `rect` what the empty canvas shows there: the background
    /// colour and the background image (only planned with an image).
    Backdrop {
        /// Where.
        rect: Rect,
    },
    /// Draw `crop` of a picture (in its pixels) scaled into `dst`, alpha
    /// composited over what is below.
    Picture {
        /// Which picture.
        picture: PictureRef,
        /// The part of the picture shown.
        crop: Rect,
        /// Where it goes on the canvas.
        dst: Rect,
    },
    /// The label of `layout.tiles[tile]` in the tile's bottom-left corner:
    /// a dark box over `area`, then the first `chars` characters of the
    /// label in white, `scale` canvas pixels a font pixel.
    Label {
        /// The tile whose label it is.
        tile: usize,
        /// The dark box.
        area: Rect,
        /// How many characters fit.
        chars: usize,
        /// Font pixels per canvas pixel.
        scale: u32,
    },
    /// The initials of `layout.tiles[tile]`'s label ([`initials`]), large,
    /// light, with a dark shadow `shadow` pixels below and right, the
    /// text's top-left at `at`.
    Initials {
        /// The tile whose label it is.
        tile: usize,
        /// Top-left of the text.
        at: (u32, u32),
        /// Font pixels per canvas pixel.
        scale: u32,
        /// Offset of the shadow.
        shadow: u32,
    },
    /// From here to [`Layer::Unclip`], the layers of one tile are clipped to
    /// `rect` with rounded corners of `radius`: outside the curve, what was
    /// below before the clip shows again, antialiased by
    /// [`rounded_coverage`].
    Clip {
        /// The tile.
        rect: Rect,
        /// The corners' radius, at most half of each side.
        radius: u32,
    },
    /// The end of a [`Layer::Clip`].
    Unclip,
    /// A band of `width` pixels of `color` inside `rect`'s edge, following
    /// its rounded corners.
    Border {
        /// The tile.
        rect: Rect,
        /// The corners' radius.
        radius: u32,
        /// The band's width.
        width: u32,
        /// Its colour.
        color: Rgb,
    },
}

/// The canvas of a layout that can be drawn: an audio-only layout has none.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use std::sync::Arc;
/// use mixlayout::{Job, Room};
/// let job = Job::from_json(br#"{"room_id": "r", "encode_template": "audio_only"}"#)?;
/// let err = mixlayout::plan::canvas(&Room::new(Arc::new(job)).layout()).unwrap_err();
/// assert_eq!(err.to_string(), "mix_param.encode_template: audio_only has no picture to draw");
/// # }
/// # Ok::<(), mixlayout::JobError>(())
/// ```
pub fn canvas(layout: &Layout) -> Result<Size, JobError> {
    layout
        .canvas
        .ok_or_else(|| JobError::new("mix_param.encode_template", Problem::NoCanvas))
}

/// The layers that draw `layout` with the pictures of `catalog`, written into
/// `out` (cleared first; allocation-free once it has held a plan this
/// long). Returns the canvas.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use std::sync::Arc;
/// use mixlayout::plan::{plan_into, Catalog, Layer, PictureInfo, Style};
/// use mixlayout::{Event, Job, Rect, Room, Stream};
///
/// struct NoPictures;
/// impl Catalog for NoPictures {
///     fn source(&self, _: &str, _: Stream) -> Option<PictureInfo> { None }
///     fn image(&self, _: &str) -> Option<PictureInfo> { None }
/// }
///
/// let job = Job::from_json(br#"{"room_id": "r", "encode_template": "640x360_30_500",
///     "layout_template": "nine_grids_view"}"#)?;
/// let mut room = Room::new(Arc::new(job));
/// room.apply(&Event::join("u1", None))?;
/// let mut layers = Vec::new();
/// plan_into(&room.layout(), &NoPictures, &Style::default().without_labels(), &mut layers)?;
/// // The background, then u1's stand-in colour over the whole tile.
/// let whole = Rect::new(0, 0, 640, 360);
/// assert!(matches!(layers[..], [Layer::Fill { rect: a, .. }, Layer::Fill { rect: b, .. }] if a == whole && b == whole));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plan_into(
    layout: &Layout,
    catalog: &impl Catalog,
    style: &Style,
    out: &mut Vec<Layer>,
) -> Result<Size, JobError> {
    out.clear();
    let size = canvas(layout)?;
    let whole = Rect::from_size(size);
    let background = &layout.background;
    out.push(Layer::Fill {
        rect: whole,
        color: background.color,
    });
    let image = |reference: &Option<std::sync::Arc<str>>| {
        reference.as_deref().and_then(|r| catalog.image(r))
    };
    let has_backdrop = match image(&background.image) {
        Some(info) => {
            let (crop, dst) = covering(whole, info.size);
            push_picture(out, PictureRef::Background, crop, dst);
            true
        }
        None => false,
    };
    let screen_image = image(&background.screen_image);
    for (i, tile) in layout.tiles.iter().enumerate() {
        let radius = style
            .corner_radius
            .min(tile.rect.width / 2)
            .min(tile.rect.height / 2);
        if radius > 0 {
            out.push(Layer::Clip {
                rect: tile.rect,
                radius,
            });
        }
        let fill_at = out.len();
        if tile.role == Role::Main
            && let Some(info) = screen_image
        {
            let (crop, dst) = covering(tile.rect, info.size);
            push_picture(out, PictureRef::ScreenBackground, crop, dst);
        }
        let look = content(tile, i, catalog, style, out);
        // The tile is opaque: its fill is what the empty canvas shows there,
        // unless a layer over all of it hides the fill anyway.
        let hidden = out[fill_at..]
            .iter()
            .any(|l| covers(l, tile.rect, catalog, layout));
        if !hidden {
            let fill = if has_backdrop {
                Layer::Backdrop { rect: tile.rect }
            } else {
                Layer::Fill {
                    rect: tile.rect,
                    color: background.color,
                }
            };
            out.insert(fill_at, fill);
        }
        if let (true, Some(label)) = (style.labels, tile.label.as_deref()) {
            if look == Look::Placeholder
                && let Some((at, scale, shadow)) = text::initials_box(tile.rect, label)
            {
                out.push(Layer::Initials {
                    tile: i,
                    at,
                    scale,
                    shadow,
                });
            }
            if matches!(tile.kind, TileKind::Video | TileKind::AudioOnly)
                && let Some((area, chars, scale)) =
                    label_box(tile.rect, label.chars().count(), radius)
            {
                out.push(Layer::Label {
                    tile: i,
                    area,
                    chars,
                    scale,
                });
            }
        }
        if let Some(border) = style.speaker_border {
            let speaks = matches!(tile.kind, TileKind::Video | TileKind::AudioOnly)
                && tile.stream == Some(Stream::Camera)
                && tile.user_id.is_some()
                && tile.user_id == layout.speaker;
            if speaks {
                out.push(Layer::Border {
                    rect: tile.rect,
                    radius,
                    width: border.width,
                    color: border.color,
                });
            }
        }
        if radius > 0 {
            out.push(Layer::Unclip);
        }
    }
    Ok(size)
}

/// What a tile's content looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Look {
    /// A picture or its stand-in colour.
    Picture,
    /// The placeholder: image or colour, with the initials.
    Placeholder,
    /// Nothing over the fill.
    Empty,
}

/// Pushes the layers of a tile's content.
fn content(
    tile: &Tile,
    i: usize,
    catalog: &impl Catalog,
    style: &Style,
    out: &mut Vec<Layer>,
) -> Look {
    match tile.kind {
        TileKind::Video => {
            let (Some(user), Some(stream)) = (tile.user_id.as_deref(), tile.stream) else {
                return Look::Empty;
            };
            if let Some(info) = catalog.source(user, stream) {
                let (crop, dst) = shown(tile.place_picture(info.size, style.max_crop), info.size);
                push_picture(out, PictureRef::Source(i), crop, dst);
                return Look::Picture;
            }
            match (style.missing, stream) {
                (Missing::StandIn, _) => {
                    push_fill(out, tile.content, stand_in(user, stream));
                    Look::Picture
                }
                (Missing::AudioOnlyLook, Stream::Camera) => {
                    placeholder(tile, i, catalog, style, out);
                    Look::Placeholder
                }
                (Missing::AudioOnlyLook, Stream::Screen) => Look::Empty,
            }
        }
        TileKind::AudioOnly | TileKind::Held => {
            placeholder(tile, i, catalog, style, out);
            Look::Placeholder
        }
        TileKind::Empty => Look::Empty,
    }
}

/// A placeholder: its image covering the tile, else its colour.
fn placeholder(tile: &Tile, i: usize, catalog: &impl Catalog, style: &Style, out: &mut Vec<Layer>) {
    let image = match &tile.placeholder {
        Some(Placeholder::Image(reference)) => catalog.image(reference),
        _ => None,
    };
    match (image, &tile.placeholder) {
        (Some(info), _) => {
            let (crop, dst) = covering(tile.rect, info.size);
            push_picture(out, PictureRef::Placeholder(i), crop, dst);
        }
        (None, Some(Placeholder::Color(c))) => push_fill(out, tile.rect, *c),
        (None, _) => push_fill(out, tile.rect, style.placeholder_color),
    }
}

fn push_fill(out: &mut Vec<Layer>, rect: Rect, color: Rgb) {
    if !rect.is_empty() {
        out.push(Layer::Fill { rect, color });
    }
}

fn push_picture(out: &mut Vec<Layer>, picture: PictureRef, crop: Rect, dst: Rect) {
    if !crop.is_empty() && !dst.is_empty() {
        out.push(Layer::Picture { picture, crop, dst });
    }
}

/// True when `layer` paints every pixel of `rect` opaquely.
fn covers(layer: &Layer, rect: Rect, catalog: &impl Catalog, layout: &Layout) -> bool {
    match *layer {
        Layer::Fill { rect: r, .. } => r.contains_rect(rect),
        Layer::Picture { picture, dst, .. } => {
            dst.contains_rect(rect)
                && picture_info(picture, catalog, layout).is_some_and(|i| i.opaque)
        }
        _ => false,
    }
}

/// What `catalog` says of the picture a layer refers to.
fn picture_info(
    picture: PictureRef,
    catalog: &impl Catalog,
    layout: &Layout,
) -> Option<PictureInfo> {
    match picture.name(layout)? {
        PictureName::Source(user_id, stream) => catalog.source(user_id, stream),
        PictureName::Image(reference) => catalog.image(reference),
    }
}

/// The part of a picture of `size` that a placement shows (the whole
/// picture where it names none), and where it goes.
fn shown(placement: Placement, size: SourceSize) -> (Rect, Rect) {
    let whole = Rect::new(0, 0, size.width(), size.height());
    (placement.source_crop.unwrap_or(whole), placement.content)
}

/// The part of a picture of `size` that covers `rect`, and where it goes
/// (backgrounds and placeholder images).
pub fn covering(rect: Rect, size: SourceSize) -> (Rect, Rect) {
    shown(place(Fit::Cover, rect, Some(size), MaxCrop::NONE), size)
}

/// What the empty canvas of `canvas` pixels shows, which a
/// [`Layer::Backdrop`] shows part of: the background `color`, then the
/// background image, of `size`, covering it. Painters draw it once and copy
/// from it.
pub fn backdrop(canvas: Size, color: Rgb, size: SourceSize) -> [Layer; 2] {
    let whole = Rect::from_size(canvas);
    let (crop, dst) = covering(whole, size);
    [
        Layer::Fill { rect: whole, color },
        Layer::Picture {
            picture: PictureRef::Background,
            crop,
            dst,
        },
    ]
}

/// The flat colour that stands for a user's camera or screen in a preview
/// without its picture, the same on every machine. The id is split into a
/// stem and its trailing decimal number (`u12` is `u` and 12): FNV-1a of the
/// stem, mixed by murmur3's finalizer, picks a starting hue, and the number
/// turns it by the golden angle (137.508°) per step, so that users `u1..uN`
/// get well-separated hues. A screen is coloured as the id
/// `"<user_id>.screen"` (which has no trailing number). Saturation 0.55 and
/// lightness 0.45 keep labels readable.
///
/// ```
/// use mixlayout::plan::stand_in;
/// use mixlayout::Stream;
/// assert_eq!(stand_in("u1", Stream::Camera), stand_in("u1", Stream::Camera));
/// assert_ne!(stand_in("u1", Stream::Camera), stand_in("u2", Stream::Camera));
/// assert_ne!(stand_in("u1", Stream::Camera), stand_in("u1", Stream::Screen));
/// ```
pub fn stand_in(user_id: &str, stream: Stream) -> Rgb {
    let (stem, number): (&[&[u8]], u32) = match stream {
        Stream::Screen => (&[user_id.as_bytes(), b".screen"], 0),
        Stream::Camera => {
            let digits = user_id
                .bytes()
                .rev()
                .take_while(u8::is_ascii_digit)
                .count()
                .min(9);
            let (stem, number) = user_id.split_at(user_id.len() - digits);
            return hue_color(&[stem.as_bytes()], number.parse().unwrap_or(0));
        }
    };
    hue_color(stem, number)
}

fn hue_color(stem: &[&[u8]], number: u32) -> Rgb {
    let mut hash: u32 = 0x811c_9dc5;
    for b in stem.iter().flat_map(|part| part.iter()) {
        hash = (hash ^ u32::from(*b)).wrapping_mul(0x0100_0193);
    }
    hash ^= hash >> 16;
    hash = hash.wrapping_mul(0x85eb_ca6b);
    hash ^= hash >> 13;
    hash = hash.wrapping_mul(0xc2b2_ae35);
    hash ^= hash >> 16;
    let hue = (f64::from(hash % 360) + f64::from(number) * 137.508) % 360.0;
    hsl_to_rgb(hue as f32, 0.55, 0.45)
}

fn hsl_to_rgb(hue: f32, saturation: f32, lightness: f32) -> Rgb {
    let c = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let h = hue / 60.0;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = lightness - c / 2.0;
    let to8 = |v: f32| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    Rgb([to8(r), to8(g), to8(b)])
}

/// How much of pixel `(x, y)` (from the top-left of a `width` x `height`
/// rectangle) lies inside the rectangle with corners rounded to `radius`,
/// from 0 (outside) to 255 (inside): `r - d + 0.5` clamped to 0..=1, `d` the
/// distance from the pixel's centre to the nearest corner circle's centre.
/// A pixel outside the rectangle is 0; with radius 0 every pixel inside is
/// 255.
///
/// ```
/// use mixlayout::plan::rounded_coverage;
/// assert_eq!(rounded_coverage(100, 50, 10, 0, 0), 0);     // the corner itself
/// assert_eq!(rounded_coverage(100, 50, 10, 50, 0), 255);  // the middle of an edge
/// assert_eq!(rounded_coverage(100, 50, 10, 99, 49), 0);
/// assert_eq!(rounded_coverage(100, 50, 0, 0, 0), 255);
/// ```
pub fn rounded_coverage(width: u32, height: u32, radius: u32, x: u32, y: u32) -> u8 {
    if x >= width || y >= height {
        return 0;
    }
    if radius == 0 {
        return 255;
    }
    let r = f64::from(radius);
    let (px, py) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
    let cx = px.clamp(r, f64::from(width) - r);
    let cy = py.clamp(r, f64::from(height) - r);
    let d = ((px - cx).powi(2) + (py - cy).powi(2)).sqrt();
    ((r - d + 0.5).clamp(0.0, 1.0) * 255.0).round() as u8
}

/// How much of pixel `(x, y)` of a `width` x `height` tile the speaker
/// border of `band` pixels covers, following corners of `radius`: the
/// rounded tile less the rounded tile inset by `band` (with radius
/// `radius - band`), 0..=255.
///
/// ```
/// use mixlayout::plan::border_coverage;
/// assert_eq!(border_coverage(100, 50, 0, 4, 0, 20), 255);
/// assert_eq!(border_coverage(100, 50, 0, 4, 3, 20), 255);
/// assert_eq!(border_coverage(100, 50, 0, 4, 4, 20), 0);
/// ```
pub fn border_coverage(width: u32, height: u32, radius: u32, band: u32, x: u32, y: u32) -> u8 {
    let outer = rounded_coverage(width, height, radius, x, y);
    let inside = x >= band && y >= band && width > 2 * band && height > 2 * band;
    let inner = if inside {
        rounded_coverage(
            width - 2 * band,
            height - 2 * band,
            radius.saturating_sub(band),
            x - band,
            y - band,
        )
    } else {
        0
    };
    outer.saturating_sub(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_in_colours_are_stable_and_apart() {
        // The same function as earlier releases: goldens depend on it.
        let colours: Vec<Rgb> = (1..=9)
            .map(|i| stand_in(&format!("u{i}"), Stream::Camera))
            .collect();
        for (i, a) in colours.iter().enumerate() {
            for b in &colours[i + 1..] {
                let distance: u32 =
                    a.0.iter()
                        .zip(b.0)
                        .map(|(x, y)| u32::from(x.abs_diff(y)))
                        .sum();
                assert!(distance > 24, "{a} and {b} are too alike");
            }
        }
        for id in ["u1", "alice", "x", "a-much-longer-user-id"] {
            let Rgb([r, g, b]) = stand_in(id, Stream::Camera);
            let max = r.max(g).max(b);
            assert!((100..=190).contains(&max), "{id}: {r} {g} {b}");
        }
    }

    #[test]
    fn coverage_of_a_corner_by_hand() {
        // Radius 4: pixel (3, 3) has its centre at (3.5, 3.5), 0.707 from the
        // circle's centre (4, 4): fully in. Pixel (0, 0): centre (0.5, 0.5),
        // 4.95 away: out. Pixel (1, 0): (1.5, 0.5) is 4.30 away: 4 - 4.30 + 0.5
        // = 0.2 -> 51.
        assert_eq!(rounded_coverage(20, 20, 4, 3, 3), 255);
        assert_eq!(rounded_coverage(20, 20, 4, 0, 0), 0);
        assert_eq!(rounded_coverage(20, 20, 4, 1, 0), 51);
        // The four corners are alike.
        assert_eq!(rounded_coverage(20, 20, 4, 18, 0), 51);
        assert_eq!(rounded_coverage(20, 20, 4, 0, 18), 51);
        assert_eq!(rounded_coverage(20, 20, 4, 19, 18), 51);
    }

    #[test]
    fn border_follows_the_corner() {
        // Radius 8, band 2: along an edge the band is 2 pixels wide.
        assert_eq!(border_coverage(40, 40, 8, 2, 20, 1), 255);
        assert_eq!(border_coverage(40, 40, 8, 2, 20, 2), 0);
        // In the corner the band bends: (0, 0) is outside the tile.
        assert_eq!(border_coverage(40, 40, 8, 2, 0, 0), 0);
        // On the diagonal near the curve it is partly covered.
        assert!(border_coverage(40, 40, 8, 2, 2, 2) > 0);
    }
}
