//! Previews of a layout (SPEC §7, feature `render`): the canvas as an 8-bit
//! RGB picture, painted from the drawing plan ([`crate::plan`]) with the
//! users' [`Pictures`].
//!
//! Scaling is a bilinear filter whose support widens when shrinking, so
//! downscaled pictures are antialiased; pictures with an alpha channel are
//! composited over the tile's fill.

mod load;
mod storyboard;

use std::collections::HashMap;

use image::{DynamicImage, RgbImage, RgbaImage};

pub(crate) use load::picture_info;
pub use load::{DECODE_BUDGET, Inputs, LoadOptions, Unfetched, load_picture};
pub use storyboard::{STORYBOARD_CELLS, storyboard, timestamp};

use crate::error::JobError;
use crate::geometry::{Rect, Size};
use crate::job::{Job, Placeholder};
use crate::layout::Layout;
use crate::paint::scale::{Crop, Scaler, Source, Target};
use crate::paint::{Canvas, Format, Painter, PictureView, PlaneRef, Scene, paint_bands};
use crate::plan::{Catalog, Layer, PictureInfo, PictureRef, Style, covering, plan_into};
use crate::source::{SourceSize, Stream};

/// A decoded picture: 8-bit RGB, with an alpha plane when it has
/// transparency. It may be stored smaller than it is (a preview keeps only
/// what its tiles need); crops still refer to its full size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picture {
    /// The size the layout reasons about.
    size: SourceSize,
    /// The size of the pixels kept.
    stored: SourceSize,
    rgb: Vec<u8>,
    alpha: Option<Vec<u8>>,
}

impl Picture {
    /// A picture from any decoded image (converted to 8-bit sRGB, no colour
    /// management); `None` when a side is 0 or above 8192.
    pub fn new(image: DynamicImage) -> Option<Picture> {
        if image.color().has_alpha() {
            Some(Picture::from_rgba(image.into_rgba8())?)
        } else {
            Picture::from_rgb(image.into_rgb8())
        }
    }

    /// A picture from RGB pixels; `None` when a side is 0 or above 8192.
    pub fn from_rgb(image: RgbImage) -> Option<Picture> {
        let size = SourceSize::new(image.width(), image.height())?;
        Some(Picture {
            size,
            stored: size,
            rgb: image.into_raw(),
            alpha: None,
        })
    }

    /// A picture from RGBA pixels; the alpha is kept only where some pixel
    /// is not opaque.
    pub fn from_rgba(image: RgbaImage) -> Option<Picture> {
        let size = SourceSize::new(image.width(), image.height())?;
        let pixels = image.into_raw();
        let opaque = pixels.chunks_exact(4).all(|p| p[3] == 255);
        let rgb = pixels
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        let alpha = (!opaque).then(|| pixels.chunks_exact(4).map(|p| p[3]).collect());
        Some(Picture {
            size,
            stored: size,
            rgb,
            alpha,
        })
    }

    /// Width and height in pixels.
    pub fn dimensions(&self) -> (u32, u32) {
        (self.size.width(), self.size.height())
    }

    /// True when it has transparent pixels.
    pub fn has_alpha(&self) -> bool {
        self.alpha.is_some()
    }

    /// The pixels kept, as RGB, and the alpha plane if any.
    #[cfg(feature = "frames")]
    pub(crate) fn stored_pixels(&self) -> (RgbImage, Option<&[u8]>) {
        let (w, h) = (self.stored.width(), self.stored.height());
        let rgb = RgbImage::from_raw(w, h, self.rgb.clone()).unwrap_or_else(|| RgbImage::new(w, h));
        (rgb, self.alpha.as_deref())
    }

    fn info(&self) -> PictureInfo {
        PictureInfo {
            size: self.size,
            opaque: self.alpha.is_none(),
        }
    }

    fn view(&self) -> PictureView<'_> {
        let stride = self.stored.width() as usize;
        PictureView {
            size: self.stored,
            crops_in: self.size,
            planes: [
                PlaneRef {
                    data: &self.rgb,
                    stride: stride * 3,
                },
                PlaneRef::default(),
                PlaneRef::default(),
            ],
            alpha: self.alpha.as_deref().map(|data| PlaneRef { data, stride }),
        }
    }

    /// The picture stored at `keep` pixels (no larger than it is): a
    /// preview needs no more pixels than its tiles show.
    pub(crate) fn reduced(self, keep: SourceSize) -> Picture {
        let (w, h) = (self.stored.width(), self.stored.height());
        if keep.width() >= w && keep.height() >= h {
            return self;
        }
        let mut scaler = Scaler::default();
        let crop = Crop {
            x: 0.0,
            y: 0.0,
            width: f64::from(w),
            height: f64::from(h),
        };
        let (kw, kh) = (keep.width(), keep.height());
        let mut rgb = vec![0; kw as usize * kh as usize * 3];
        let source = |data, channels: usize| Source {
            data,
            stride: w as usize * channels,
            width: w,
            height: h,
        };
        fn target(data: &mut [u8], channels: usize, keep: SourceSize) -> Target<'_> {
            let (width, height) = (keep.width(), keep.height());
            Target {
                data,
                stride: width as usize * channels,
                width,
                height,
                rows: 0..height,
            }
        }
        scaler.scale::<3>(source(&self.rgb, 3), crop, target(&mut rgb, 3, keep));
        let alpha = self.alpha.as_ref().map(|a| {
            let mut out = vec![0; kw as usize * kh as usize];
            scaler.scale::<1>(source(a, 1), crop, target(&mut out, 1, keep));
            out
        });
        Picture {
            size: self.size,
            stored: keep,
            rgb,
            alpha,
        }
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

    /// Every image reference's picture.
    pub fn images(&self) -> impl Iterator<Item = (&str, &Picture)> {
        self.images.iter().map(|(r, p)| (r.as_str(), p))
    }

    /// The picture a layer of `layout`'s plan refers to.
    fn of(&self, layout: &Layout, picture: PictureRef) -> Option<&Picture> {
        match picture {
            PictureRef::Source(i) => {
                let tile = &layout.tiles[i];
                self.source(tile.user_id.as_deref()?, tile.stream?)
            }
            PictureRef::Background => self.image(layout.background.image.as_deref()?),
            PictureRef::ScreenBackground => self.image(layout.background.screen_image.as_deref()?),
            PictureRef::Placeholder(i) => match &layout.tiles[i].placeholder {
                Some(Placeholder::Image(r)) => self.image(r),
                _ => None,
            },
        }
    }
}

impl Catalog for Pictures {
    fn source(&self, user_id: &str, stream: Stream) -> Option<PictureInfo> {
        Pictures::source(self, user_id, stream).map(Picture::info)
    }

    fn image(&self, reference: &str) -> Option<PictureInfo> {
        Pictures::image(self, reference).map(Picture::info)
    }
}

/// How to draw a preview.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RenderOptions {
    /// Labels, placeholders, corners and borders.
    pub style: Style,
    /// Threads that paint; 1 paints everything on the calling thread. The
    /// pixels are the same for any count.
    pub threads: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            style: Style::default(),
            threads: 1,
        }
    }
}

impl RenderOptions {
    /// The options a job implies ([`Style::for_job`]), one thread.
    pub fn for_job(job: &Job) -> Self {
        RenderOptions {
            style: Style::for_job(job),
            threads: 1,
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
/// use mixlayout::{plan::stand_in, Event, Job, Room, Stream};
/// let job = Job::from_json(br##"{"mix_param": {"room_id": "r", "encode_template": "640x480_15_500",
///     "layout_template": "nine_grids_view"}, "layout_options": {"background_color": "#102030"}}"##)?;
/// let mut room = Room::new(Arc::new(job));
/// room.apply(&Event::join("u1", None))?;
/// let picture = render(&room.layout(), &Pictures::new(), &RenderOptions::default())?;
/// assert_eq!(picture.dimensions(), (640, 480));
/// // One user fills the canvas with their flat colour.
/// assert_eq!(picture.get_pixel(320, 100).0, stand_in("u1", Stream::Camera).0);
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render(
    layout: &Layout,
    pictures: &Pictures,
    options: &RenderOptions,
) -> Result<RgbImage, JobError> {
    let mut layers = Vec::new();
    let size = plan_into(layout, pictures, &options.style, &mut layers)?;
    let threads = options.threads.clamp(1, 64);
    let mut painters: Vec<Painter> = (0..threads).map(|_| Painter::default()).collect();
    let backdrop = backdrop(layout, pictures, size, &mut painters[0]);
    let mut out = RgbImage::new(size.width, size.height);
    let stride = size.width as usize * 3;
    let canvas = Canvas::new(
        Format::Rgb,
        size,
        [(&mut out, stride), (&mut [], 0), (&mut [], 0)],
    );
    let scene = Scene {
        layout,
        pictures: |p| pictures.of(layout, p).map(Picture::view),
        backdrop: backdrop.as_ref().map(|b| {
            [
                PlaneRef {
                    data: b.as_raw(),
                    stride,
                },
                PlaneRef::default(),
                PlaneRef::default(),
            ]
        }),
    };
    let pool = (threads > 1)
        .then(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .ok()
        })
        .flatten();
    paint_bands(&mut painters, pool.as_ref(), &layers, &scene, canvas);
    Ok(out)
}

/// What the empty canvas shows, when the plan needs it: the background
/// colour and image.
fn backdrop(
    layout: &Layout,
    pictures: &Pictures,
    size: Size,
    painter: &mut Painter,
) -> Option<RgbImage> {
    let picture = pictures.image(layout.background.image.as_deref()?)?;
    let whole = Rect::from_size(size);
    let (crop, dst) = covering(whole, picture.size);
    let layers = [
        Layer::Fill {
            rect: whole,
            color: layout.background.color,
        },
        Layer::Picture {
            picture: PictureRef::Background,
            crop,
            dst,
        },
    ];
    let mut out = RgbImage::new(size.width, size.height);
    let stride = size.width as usize * 3;
    let mut canvas = Canvas::new(
        Format::Rgb,
        size,
        [(&mut out, stride), (&mut [], 0), (&mut [], 0)],
    );
    let scene = Scene {
        layout,
        pictures: |_| Some(picture.view()),
        backdrop: None,
    };
    painter.paint(&layers, &scene, &mut canvas);
    Some(out)
}
