//! Previews of a layout (SPEC §7, feature `render`): the canvas as an 8-bit
//! RGB picture, drawn from the [`Layout`] and the users' [`Pictures`].
//!
//! Drawing order: the background colour, the background image scaled to
//! cover the canvas, then each tile in drawing order. Every tile is opaque:
//! its rectangle is first filled with what the empty canvas shows there (for
//! the main window, the screen background image), then the picture goes on
//! top, so `contain` bands never show a pane below. Labels are drawn with
//! their tile, so a pane above covers the label of a pane below.
//!
//! Scaling is a bilinear convolution whose support widens when shrinking
//! (`fast_image_resize`), which antialiases downscaled pictures.

mod load;
mod scale;
mod text;

use std::collections::HashMap;

use image::{DynamicImage, RgbImage, RgbaImage};

pub use load::{Inputs, LoadOptions, Unfetched, load_picture, picture_size, write_png};

use crate::color::Rgb;
use crate::error::{JobError, Problem};
use crate::fit::{Fit, MaxCrop, Placement, place};
use crate::geometry::{Rect, SourceSize};
use crate::job::Job;
use crate::layout::{Layout, Placeholder, Role, Tile, TileKind};
use crate::template::Stream;
use scale::Scaler;

/// A decoded picture: 8-bit RGB, or RGBA when it has transparency.
#[derive(Clone, Debug, PartialEq)]
pub struct Picture(Pixels);

#[derive(Clone, Debug, PartialEq)]
enum Pixels {
    Rgb(RgbImage),
    Rgba(RgbaImage),
}

impl Picture {
    /// A picture from any decoded image (converted to 8-bit sRGB, no colour
    /// management).
    pub fn new(image: DynamicImage) -> Picture {
        if image.color().has_alpha() {
            Picture(Pixels::Rgba(image.into_rgba8()))
        } else {
            Picture(Pixels::Rgb(image.into_rgb8()))
        }
    }

    /// Width and height in pixels.
    pub fn dimensions(&self) -> (u32, u32) {
        match &self.0 {
            Pixels::Rgb(p) => p.dimensions(),
            Pixels::Rgba(p) => p.dimensions(),
        }
    }

    fn source_size(&self) -> Option<SourceSize> {
        let (w, h) = self.dimensions();
        SourceSize::new(w, h)
    }
}

impl From<RgbImage> for Picture {
    fn from(image: RgbImage) -> Self {
        Picture(Pixels::Rgb(image))
    }
}

impl From<RgbaImage> for Picture {
    fn from(image: RgbaImage) -> Self {
        Picture(Pixels::Rgba(image))
    }
}

/// The pictures a preview draws: users' cameras and screens by user id, and
/// the job's images by their reference as written in the job.
#[derive(Clone, Debug, Default)]
pub struct Pictures {
    cameras: HashMap<String, Picture>,
    screens: HashMap<String, Picture>,
    images: HashMap<String, Picture>,
}

impl Pictures {
    /// No pictures: every user is drawn as a flat colour.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `user_id`'s camera or screen picture.
    pub fn insert_source(&mut self, user_id: impl Into<String>, stream: Stream, picture: Picture) {
        let map = match stream {
            Stream::Camera => &mut self.cameras,
            Stream::Screen => &mut self.screens,
        };
        map.insert(user_id.into(), picture);
    }

    /// Sets the picture of a job image reference (`background_image`, a
    /// placeholder, `screen_background_image`).
    pub fn insert_image(&mut self, reference: impl Into<String>, picture: Picture) {
        self.images.insert(reference.into(), picture);
    }

    /// `user_id`'s camera or screen picture.
    pub fn source(&self, user_id: &str, stream: Stream) -> Option<&Picture> {
        match stream {
            Stream::Camera => self.cameras.get(user_id),
            Stream::Screen => self.screens.get(user_id),
        }
    }

    /// The picture of an image reference.
    pub fn image(&self, reference: &str) -> Option<&Picture> {
        self.images.get(reference)
    }
}

/// How to draw a preview.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RenderOptions {
    /// Draw labels (and the initials of audio-only users).
    pub labels: bool,
    /// The colour of an audio-only tile whose placeholder image is missing.
    pub placeholder_color: Rgb,
    /// The `cover` limit used for pictures whose size the layout did not know.
    pub max_crop: MaxCrop,
    /// Threads that scale pictures; 1 does everything on the calling thread.
    /// The pixels are the same for any count.
    pub threads: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            labels: true,
            placeholder_color: Rgb::PLACEHOLDER,
            max_crop: MaxCrop::NONE,
            threads: 1,
        }
    }
}

impl RenderOptions {
    /// The options a job implies: its placeholder colour and `max_crop`,
    /// labels on, one thread.
    pub fn for_job(job: &Job) -> Self {
        RenderOptions {
            placeholder_color: job.placeholder_color(),
            max_crop: job.max_crop(),
            ..RenderOptions::default()
        }
    }
}

/// Renders `layout` with `pictures`: an RGB picture of the canvas.
///
/// An `audio_only` layout has no canvas and is an error.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use std::sync::Arc;
/// use mixlayout::render::{render, Pictures, RenderOptions};
/// use mixlayout::{Action, Event, Job, Room};
/// let job = Job::from_json(br##"{"mix_param": {"room_id": "r", "encode_template": "640x480_15_500",
///     "layout_template": "nine_grids_view"}, "layout_options": {"background_color": "#102030"}}"##)?;
/// let mut room = Room::new(Arc::new(job));
/// room.apply(&Event::join("u1", None))?;
/// let picture = render(&room.layout(), &Pictures::new(), &RenderOptions::default())?;
/// assert_eq!(picture.dimensions(), (640, 480));
/// // One user fills the canvas with their flat colour.
/// assert_eq!(picture.get_pixel(320, 100).0, mixlayout::Rgb::for_user("u1").0);
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render(
    layout: &Layout,
    pictures: &Pictures,
    options: &RenderOptions,
) -> Result<RgbImage, JobError> {
    let canvas_size = canvas(layout)?;
    let whole = Rect::from_size(canvas_size);
    let mut painter = Painter {
        scaler: Scaler::new(),
        scratch: RgbaImage::new(0, 0),
    };
    let mut canvas = RgbImage::new(canvas_size.width, canvas_size.height);
    fill(&mut canvas, whole, layout.background.color);
    let background = layout
        .background
        .image
        .as_deref()
        .and_then(|r| pictures.image(r));
    if let Some(picture) = background {
        painter.cover(&mut canvas, whole, picture);
    }
    // What the empty canvas shows, for the tiles' fill; only kept when it is
    // more than a colour.
    let backdrop = background.map(|_| canvas.clone());
    let screen_image = layout
        .background
        .screen_image
        .as_deref()
        .and_then(|r| pictures.image(r));

    let prescaled = prescale(layout, pictures, options);
    for (i, tile) in layout.tiles.iter().enumerate() {
        // An opaque picture over the whole tile hides the fill: skip it.
        if !hides_fill(tile, pictures, options.max_crop) {
            match &backdrop {
                Some(backdrop) => copy_rect(&mut canvas, backdrop, tile.rect),
                None => fill(&mut canvas, tile.rect, layout.background.color),
            }
        }
        if tile.role == Role::Main
            && let Some(picture) = screen_image
        {
            painter.cover(&mut canvas, tile.rect, picture);
        }
        match tile.kind {
            TileKind::Video => match prescaled.get(i).and_then(Option::as_ref) {
                Some((at, scaled)) => copy_into(&mut canvas, *at, scaled),
                None => painter.video(&mut canvas, tile, pictures, options.max_crop),
            },
            TileKind::AudioOnly => {
                let image = match &tile.placeholder {
                    Some(Placeholder::Image(reference)) => pictures.image(reference),
                    _ => None,
                };
                match (image, &tile.placeholder) {
                    (Some(picture), _) => painter.cover(&mut canvas, tile.rect, picture),
                    (None, Some(Placeholder::Color(c))) => fill(&mut canvas, tile.rect, *c),
                    (None, _) => fill(&mut canvas, tile.rect, options.placeholder_color),
                }
                if let (true, Some(label)) = (options.labels, tile.label.as_deref()) {
                    text::draw_initials(&mut canvas, tile.rect, label);
                }
            }
            TileKind::Empty => {}
        }
        if let (true, TileKind::Video | TileKind::AudioOnly, Some(label)) =
            (options.labels, tile.kind, tile.label.as_deref())
        {
            text::draw_label(&mut canvas, tile.rect, label);
        }
    }
    Ok(canvas)
}

/// True when what the tile draws is opaque over all of it, so nothing of its
/// fill would show. Pictures are placed exactly as drawing places them.
fn hides_fill(tile: &Tile, pictures: &Pictures, max_crop: MaxCrop) -> bool {
    let opaque = |p: &Picture| matches!(p.0, Pixels::Rgb(_));
    match tile.kind {
        // The main window's fill may be the screen background: always drawn.
        TileKind::Video if tile.role == Role::Main => false,
        TileKind::Video => match (tile.user_id.as_deref(), tile.stream) {
            (Some(user), Some(stream)) => match pictures.source(user, stream) {
                Some(p) => p.source_size().is_some_and(|size| {
                    opaque(p) && tile.place_picture(size, max_crop).content == tile.rect
                }),
                // The flat colour fills the content.
                None => tile.content == tile.rect,
            },
            _ => false,
        },
        // A placeholder image covers the tile; a colour fills it.
        TileKind::AudioOnly => match &tile.placeholder {
            Some(Placeholder::Image(reference)) => pictures.image(reference).is_none_or(opaque),
            _ => true,
        },
        TileKind::Empty => false,
    }
}

/// With more than one thread, the opaque pictures of video tiles scaled
/// ahead, in parallel, by tile: where each goes and its pixels. The drawing
/// pass then copies them in drawing order, so the result is the same.
fn prescale(
    layout: &Layout,
    pictures: &Pictures,
    options: &RenderOptions,
) -> Vec<Option<(Rect, RgbImage)>> {
    if options.threads <= 1 {
        return Vec::new();
    }
    let jobs: Vec<(usize, &RgbImage, Rect, Rect)> = layout
        .tiles
        .iter()
        .enumerate()
        .filter(|(_, tile)| tile.kind == TileKind::Video)
        .filter_map(|(i, tile)| {
            let picture = pictures.source(tile.user_id.as_deref()?, tile.stream?)?;
            let (Pixels::Rgb(src), Some(size)) = (&picture.0, picture.source_size()) else {
                return None;
            };
            let (crop, at) = shown(tile.place_picture(size, options.max_crop), size);
            (!crop.is_empty() && !at.is_empty()).then_some((i, src, crop, at))
        })
        .collect();
    let scaled = parallel_map(&jobs, options.threads, |&(_, src, crop, at)| {
        let mut out = RgbImage::new(at.width, at.height);
        Scaler::new().scale(src, crop, &mut out);
        out
    });
    let mut by_tile = vec![None; layout.tiles.len()];
    for ((i, _, _, at), image) in jobs.into_iter().zip(scaled) {
        by_tile[i] = Some((at, image));
    }
    by_tile
}

/// `f` of every item, on up to `threads` threads taking items in turn;
/// results in the items' order.
pub(crate) fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break done };
                        done.push((i, f(item)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Copies `from` into `to` with its top-left corner at `at`.
fn copy_into(to: &mut RgbImage, at: Rect, from: &RgbImage) {
    let width = to.width() as usize;
    let row_bytes = from.width() as usize * 3;
    let raw: &mut [u8] = to;
    for (y, row) in from.as_raw().chunks_exact(row_bytes.max(1)).enumerate() {
        let start = ((at.y as usize + y) * width + at.x as usize) * 3;
        raw[start..start + row_bytes].copy_from_slice(row);
    }
}

/// The canvas of a layout that can be drawn: an audio-only layout has none,
/// and drawing it is an error.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use std::sync::Arc;
/// use mixlayout::{Job, Room};
/// let job = Job::from_json(br#"{"room_id": "r", "encode_template": "audio_only"}"#)?;
/// let err = mixlayout::render::canvas(&Room::new(Arc::new(job)).layout()).unwrap_err();
/// assert_eq!(err.to_string(), "mix_param.encode_template: audio_only has no picture to draw");
/// # }
/// # Ok::<(), mixlayout::JobError>(())
/// ```
pub fn canvas(layout: &Layout) -> Result<crate::geometry::Size, JobError> {
    layout.canvas.ok_or_else(|| {
        JobError::new(
            "mix_param.encode_template",
            Problem::Rule("audio_only has no picture to draw"),
        )
    })
}

/// Draws pictures into the canvas, reusing its scaler and scratch buffer.
struct Painter {
    scaler: Scaler,
    scratch: RgbaImage,
}

impl Painter {
    /// `picture` scaled to cover `rect` (cropped to its aspect, centred).
    fn cover(&mut self, canvas: &mut RgbImage, rect: Rect, picture: &Picture) {
        let Some(size) = picture.source_size() else {
            return;
        };
        let (crop, content) = cover_region(rect, size);
        self.draw(canvas, picture, crop, content);
    }

    /// A video tile: the user's picture placed by the tile's fit, or their
    /// flat colour where the preview has no picture.
    fn video(
        &mut self,
        canvas: &mut RgbImage,
        tile: &Tile,
        pictures: &Pictures,
        max_crop: MaxCrop,
    ) {
        let (Some(user), Some(stream)) = (tile.user_id.as_deref(), tile.stream) else {
            return;
        };
        let Some(picture) = pictures.source(user, stream) else {
            fill(canvas, tile.content, Rgb::for_stream(user, stream));
            return;
        };
        let Some(size) = picture.source_size() else {
            return;
        };
        let (crop, content) = shown(tile.place_picture(size, max_crop), size);
        self.draw(canvas, picture, crop, content);
    }

    /// Scales `crop` of `picture` into `dst`, compositing transparency over
    /// what is already there.
    fn draw(&mut self, canvas: &mut RgbImage, picture: &Picture, crop: Rect, dst: Rect) {
        if crop.is_empty() || dst.is_empty() {
            return;
        }
        match &picture.0 {
            Pixels::Rgb(src) => self.scaler.rgb_into(src, crop, canvas, dst),
            Pixels::Rgba(src) => {
                if self.scratch.dimensions() != (dst.width, dst.height) {
                    self.scratch = RgbaImage::new(dst.width, dst.height);
                }
                self.scaler.scale(src, crop, &mut self.scratch);
                for (x, y, p) in self.scratch.enumerate_pixels() {
                    let [r, g, b, a] = p.0;
                    let under = canvas.get_pixel_mut(dst.x + x, dst.y + y);
                    let a = u32::from(a);
                    for (u, c) in under.0.iter_mut().zip([r, g, b]) {
                        *u = ((u32::from(c) * a + u32::from(*u) * (255 - a) + 127) / 255) as u8;
                    }
                }
            }
        }
    }
}

/// The part of a picture of `size` that a placement shows (the whole
/// picture where it names none), and where it goes.
pub(crate) fn shown(placement: Placement, size: SourceSize) -> (Rect, Rect) {
    let whole = Rect::new(0, 0, size.width(), size.height());
    (placement.source_crop.unwrap_or(whole), placement.content)
}

/// The part of a picture of `size` that covers `rect`, and where it goes
/// (for backgrounds and placeholder images).
pub(crate) fn cover_region(rect: Rect, size: SourceSize) -> (Rect, Rect) {
    shown(place(Fit::Cover, rect, Some(size), MaxCrop::NONE), size)
}

/// Fills `rect` with `color`: one row is built, then copied.
fn fill(canvas: &mut RgbImage, rect: Rect, color: Rgb) {
    let width = canvas.width() as usize;
    let row = color.0.repeat(rect.width as usize);
    let raw: &mut [u8] = canvas;
    for y in rect.y..rect.bottom() {
        let start = (y as usize * width + rect.x as usize) * 3;
        raw[start..start + row.len()].copy_from_slice(&row);
    }
}

/// Copies `rect` of `from` (the same size as `to`) into `to`.
fn copy_rect(to: &mut RgbImage, from: &RgbImage, rect: Rect) {
    let width = to.width() as usize;
    let row_bytes = rect.width as usize * 3;
    let (dst, src): (&mut [u8], &[u8]) = (to, from);
    for y in rect.y..rect.bottom() {
        let start = (y as usize * width + rect.x as usize) * 3;
        dst[start..start + row_bytes].copy_from_slice(&src[start..start + row_bytes]);
    }
}
