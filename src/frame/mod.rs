//! Composing video frames (§11, feature `frames`): the drawing plan
//! painted into 8-bit I420 frames, what VP8, VP9, H.264 and AV1 decoders
//! give and encoders take.
//!
//! [`Frame`] owns its three planes; [`FrameRef`] and [`FrameMut`] borrow a
//! caller's planes with their strides (a decoder's buffers are used without
//! a copy). A [`Compositor`] is made once per job: it holds the job's images
//! in I420 and its scratch buffers, and [`Compositor::compose`] draws one
//! output frame from the current frame of each source. Once warm, composing
//! allocates nothing (with one thread).
//!
//! Colours are BT.709 in limited range: the job's colours and pictures are
//! converted with [`Rgb::to_ycbcr`], each 2x2 block's chroma the rounded
//! mean of its four pixels'. A source without a current frame is drawn as
//! §7 says: a camera in its `audio_only` look, a screen as `empty`.
//!
//! A compositor's frame loop, with the room advanced to each frame's
//! instant:
//!
//! ```
//! # #[cfg(feature = "serde")] {
//! use std::sync::Arc;
//! use mixlayout::frame::{Compositor, ComposeOptions, Frame, FrameRef};
//! use mixlayout::picture::Pictures;
//! use mixlayout::{parse_events, Job, Layout, Room, Stream};
//!
//! let job = Arc::new(Job::from_json(br#"{"room_id": "r", "encode_template": "320x180_30_500",
//!     "layout_template": "nine_grids_view"}"#)?);
//! let events = parse_events(br#"[{"type": "join", "user_id": "a"},
//!     {"type": "join", "user_id": "b", "at": 40}]"#)?;
//! let mut compositor = Compositor::new(job.clone(), &Pictures::new(), ComposeOptions::default())?;
//! let camera = Frame::filled(160, 90, [81, 90, 240]); // a red picture, in Y'CbCr
//! let mut out = Frame::new(320, 180)?;
//! let (mut room, mut layout, mut next) = (Room::new(job), Layout::default(), 0);
//! for n in 0..3u32 {
//!     // The events due by the frame's instant, each at its own, then the
//!     // holds that end by the instant.
//!     let instant = n * 1000 / 30;
//!     while let Some(event) = events.get(next).filter(|e| e.at.unwrap_or(room.now()) <= instant) {
//!         room.apply(event)?;
//!         next += 1;
//!     }
//!     room.advance_to(instant);
//!     room.layout_into(&mut layout);
//!     let sources = |user: &str, _: Stream| (user == "a").then(|| camera.as_ref());
//!     compositor.compose(&layout, &sources, &mut out.as_mut())?;
//! }
//! // a's camera fills the left half; b, who has no frame, shows the
//! // placeholder colour (#303030 is Y'CbCr 57, 128, 128).
//! assert_eq!(out.luma(40, 40), 81);
//! assert_eq!(out.luma(280, 40), 57);
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use image::RgbImage;

use crate::color::Rgb;
use crate::error::{Error, FrameError};
use crate::geometry::Size;
use crate::job::Job;
use crate::layout::Layout;
use crate::paint::{Canvas, Format, Painters, PictureView, PlaneRef, Scene};
use crate::picture::Pictures;
use crate::plan::{
    self, Catalog, Layer, Missing, PictureInfo, PictureName, PictureRef, Style, plan_into,
};
use crate::source::{SourceSize, Stream};

/// Checks a frame's size: even, in 2..=8192.
fn check_size(width: u32, height: u32) -> Result<(), FrameError> {
    let side = |s: u32| s > 0 && s.is_multiple_of(2) && s <= 8192;
    if side(width) && side(height) {
        Ok(())
    } else {
        Err(FrameError::Size { width, height })
    }
}

/// Checks a frame's size and planes (length and stride of each).
fn check(width: u32, height: u32, planes: [(usize, usize); 3]) -> Result<(), FrameError> {
    check_size(width, height)?;
    for (plane, (len, stride)) in planes.into_iter().enumerate() {
        let size = Format::I420.plane_size(plane, Size::new(width, height));
        if stride < size.width as usize {
            return Err(FrameError::Stride {
                plane,
                stride,
                width: size.width,
            });
        }
        let needed = stride.saturating_mul(size.height as usize);
        if len < needed {
            return Err(FrameError::Short { plane, len, needed });
        }
    }
    Ok(())
}

/// A borrowed I420 frame: three planes with their strides, even width and
/// height.
#[derive(Clone, Copy, Debug)]
pub struct FrameRef<'a> {
    size: Size,
    planes: [(&'a [u8], usize); 3],
}

impl<'a> FrameRef<'a> {
    /// A frame of `width` x `height` over `planes` (Y, Cb, Cr), each with its
    /// stride in bytes; an error when a size is odd, a stride smaller than
    /// its plane's width or a plane shorter than its stride times height.
    pub fn new(
        width: u32,
        height: u32,
        planes: [(&'a [u8], usize); 3],
    ) -> Result<Self, FrameError> {
        check(width, height, planes.map(|(d, s)| (d.len(), s)))?;
        Ok(FrameRef {
            size: Size::new(width, height),
            planes,
        })
    }

    /// Width and height.
    pub fn size(&self) -> Size {
        self.size
    }

    fn view(&self) -> PictureView<'a> {
        let size = SourceSize::new(self.size.width, self.size.height).unwrap_or(ONE);
        PictureView {
            size,
            crops_in: size,
            planes: self.planes.map(|(data, stride)| PlaneRef { data, stride }),
            alpha: None,
        }
    }
}

/// The smallest size, for frames that checked sizes cannot hold.
const ONE: SourceSize = match SourceSize::new(1, 1) {
    Some(s) => s,
    None => panic!(),
};

/// A borrowed I420 frame to draw into.
#[derive(Debug)]
pub struct FrameMut<'a> {
    size: Size,
    planes: [(&'a mut [u8], usize); 3],
}

impl<'a> FrameMut<'a> {
    /// A frame to draw into, checked as [`FrameRef::new`] checks.
    pub fn new(
        width: u32,
        height: u32,
        planes: [(&'a mut [u8], usize); 3],
    ) -> Result<Self, FrameError> {
        check(
            width,
            height,
            [0, 1, 2].map(|p| (planes[p].0.len(), planes[p].1)),
        )?;
        Ok(FrameMut {
            size: Size::new(width, height),
            planes,
        })
    }
}

/// An owned I420 frame, planes packed (stride = width), with an optional
/// alpha plane (job images with transparency).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    size: Size,
    planes: [Vec<u8>; 3],
    alpha: Option<Vec<u8>>,
}

impl Frame {
    /// A black frame (Y 16, Cb and Cr 128) of an even `width` x `height`.
    pub fn new(width: u32, height: u32) -> Result<Frame, FrameError> {
        check_size(width, height)?;
        Ok(Frame::filled(width, height, Rgb::BLACK.to_ycbcr()))
    }

    /// A frame of one Y'CbCr colour. Odd sizes round the chroma planes up.
    pub fn filled(width: u32, height: u32, [y, cb, cr]: [u8; 3]) -> Frame {
        let size = Size::new(width, height);
        let len = |p: usize| Format::I420.plane_size(p, size).area() as usize;
        Frame {
            size,
            planes: [vec![y; len(0)], vec![cb; len(1)], vec![cr; len(2)]],
            alpha: None,
        }
    }

    /// A picture converted to BT.709 limited range: each pixel's Y, and each
    /// 2x2 block's Cb and Cr the rounded mean of its pixels' (§11).
    pub fn from_picture(picture: &RgbImage, alpha: Option<&[u8]>) -> Frame {
        let (w, h) = picture.dimensions();
        let size = Size::new(w, h);
        let chroma = Format::I420.plane_size(1, size);
        let mut frame = Frame::filled(w, h, [0; 3]);
        let mut sums = vec![[0f64; 3]; chroma.area() as usize];
        for (x, y, p) in picture.enumerate_pixels() {
            let [yy, cb, cr] = ycbcr(Rgb(p.0));
            frame.planes[0][(y * w + x) as usize] = (16.0 + 219.0 * yy).round() as u8;
            let c = ((y / 2) * chroma.width + x / 2) as usize;
            sums[c][0] += cb;
            sums[c][1] += cr;
            sums[c][2] += 1.0;
        }
        for (i, [cb, cr, n]) in sums.into_iter().enumerate() {
            frame.planes[1][i] = (128.0 + 224.0 * cb / n).round() as u8;
            frame.planes[2][i] = (128.0 + 224.0 * cr / n).round() as u8;
        }
        frame.alpha = alpha.map(<[u8]>::to_vec);
        frame
    }

    /// Back to RGB with the same matrix, chroma upsampled by nearest
    /// neighbour (what §11's comparisons use).
    pub fn to_rgb(&self) -> RgbImage {
        let (w, h) = (self.size.width, self.size.height);
        let cw = Format::I420.plane_size(1, self.size).width;
        RgbImage::from_fn(w, h, |x, y| {
            let c = ((y / 2) * cw + x / 2) as usize;
            let ycc = [
                self.planes[0][(y * w + x) as usize],
                self.planes[1][c],
                self.planes[2][c],
            ];
            image::Rgb(Rgb::from_ycbcr(ycc).0)
        })
    }

    /// Width and height.
    pub fn size(&self) -> Size {
        self.size
    }

    /// The Y, Cb and Cr planes, packed (each row right after the one
    /// before): the bytes of a raw `yuv420p` frame, in order.
    pub fn planes(&self) -> [&[u8]; 3] {
        [&self.planes[0], &self.planes[1], &self.planes[2]]
    }

    /// The planes, to fill (from a decoder's raw `yuv420p` output, say).
    pub fn planes_mut(&mut self) -> [&mut [u8]; 3] {
        let [y, u, v] = &mut self.planes;
        [y, u, v]
    }

    /// The Y value at `(x, y)`.
    pub fn luma(&self, x: u32, y: u32) -> u8 {
        self.planes[0][(y * self.size.width + x) as usize]
    }

    /// The frame, borrowed.
    pub fn as_ref(&self) -> FrameRef<'_> {
        let cw = Format::I420.plane_size(1, self.size).width as usize;
        FrameRef {
            size: self.size,
            planes: [
                (&self.planes[0], self.size.width as usize),
                (&self.planes[1], cw),
                (&self.planes[2], cw),
            ],
        }
    }

    /// The frame, borrowed to draw into.
    pub fn as_mut(&mut self) -> FrameMut<'_> {
        let cw = Format::I420.plane_size(1, self.size).width as usize;
        let [y, u, v] = &mut self.planes;
        FrameMut {
            size: self.size,
            planes: [(y, self.size.width as usize), (u, cw), (v, cw)],
        }
    }

    fn view(&self) -> Option<PictureView<'_>> {
        let size = SourceSize::new(self.size.width, self.size.height)?;
        let mut view = self.as_ref().view();
        view.size = size;
        view.crops_in = size;
        view.alpha = self.alpha.as_deref().map(|data| PlaneRef {
            data,
            stride: self.size.width as usize,
        });
        Some(view)
    }
}

/// BT.709's Y (0..=1) and Cb, Cr (-0.5..=0.5) of a colour.
fn ycbcr(color: Rgb) -> [f64; 3] {
    let [r, g, b] = color.0.map(|c| f64::from(c) / 255.0);
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    [y, (b - y) / 1.8556, (r - y) / 1.5748]
}

/// The current frame of each user's stream, or nothing: a closure
/// `Fn(&str, Stream) -> Option<FrameRef>` is one.
pub trait Sources<'f> {
    /// `user_id`'s camera or screen, now.
    fn frame(&self, user_id: &str, stream: Stream) -> Option<FrameRef<'f>>;
}

impl<'f, F> Sources<'f> for F
where
    F: Fn(&str, Stream) -> Option<FrameRef<'f>>,
{
    fn frame(&self, user_id: &str, stream: Stream) -> Option<FrameRef<'f>> {
        self(user_id, stream)
    }
}

/// How to compose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ComposeOptions {
    /// Draw labels and initials.
    pub labels: bool,
    /// Threads that paint (on a pool the compositor keeps); 1 paints on the
    /// calling thread. The pixels are the same for any count.
    pub threads: usize,
}

impl Default for ComposeOptions {
    fn default() -> Self {
        ComposeOptions {
            labels: true,
            threads: 1,
        }
    }
}

/// Draws layouts of one job into I420 frames; see the module docs.
pub struct Compositor {
    job: Arc<Job>,
    style: Style,
    images: HashMap<String, Frame>,
    /// What the empty canvas shows, when it has a background image.
    backdrop: Option<Frame>,
    painters: Painters,
    layers: Vec<Layer>,
}

impl std::fmt::Debug for Compositor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compositor")
            .field("room", &self.job.room_id())
            .field("images", &self.images.len())
            .finish()
    }
}

impl Compositor {
    /// A compositor for `job`, with the job's images (background, screen
    /// background, placeholders) from `images` by reference; a reference
    /// without a picture is drawn as its fallback colour. An audio-only job
    /// is an error.
    pub fn new(
        job: Arc<Job>,
        images: &Pictures,
        options: ComposeOptions,
    ) -> Result<Compositor, Error> {
        let canvas = job.canvas().ok_or_else(|| {
            crate::error::JobError::new(
                "mix_param.encode_template",
                crate::error::Problem::NoCanvas,
            )
        })?;
        let mut style = Style::for_job(&job).with_missing(Missing::AudioOnlyLook);
        style.labels = options.labels;
        // A job image never needs more than twice the canvas.
        let most = 2 * canvas.width.max(canvas.height);
        let converted: HashMap<String, Frame> = images
            .images()
            .map(|(reference, picture)| {
                let (w, h) = picture.dimensions();
                let shrink = f64::from(most) / f64::from(w.max(h));
                let keep = |side: u32| ((f64::from(side) * shrink).ceil() as u32).clamp(1, side);
                let picture = match SourceSize::new(keep(w), keep(h)) {
                    Some(size) if shrink < 1.0 => picture.clone().reduced(size),
                    _ => picture.clone(),
                };
                let (rgb, alpha) = picture.stored_pixels();
                (reference.to_owned(), Frame::from_picture(&rgb, alpha))
            })
            .collect();
        let mut compositor = Compositor {
            job,
            style,
            images: converted,
            backdrop: None,
            painters: Painters::new(options.threads),
            layers: Vec::new(),
        };
        compositor.backdrop = compositor.make_backdrop(canvas);
        Ok(compositor)
    }

    /// The background colour and image, composed once.
    fn make_backdrop(&mut self, canvas: Size) -> Option<Frame> {
        let reference = self.job.background().image.clone()?;
        let image = self.images.get(&*reference)?;
        let mut frame = Frame::new(canvas.width, canvas.height).ok()?;
        let layers = plan::backdrop(canvas, self.job.background().color, image.view()?.size);
        let layout = Layout::default();
        let scene = Scene {
            layout: &layout,
            pictures: |_| image.view(),
            backdrop: None,
        };
        let mut out = frame.as_mut();
        let mut canvas = canvas_of(&mut out);
        self.painters.first().paint(&layers, &scene, &mut canvas);
        Some(frame)
    }

    /// Draws `layout` into `out` (the canvas's size) with the current frames
    /// of `sources`. A frame whose size differs from what the layout knew is
    /// placed by [`crate::Tile::place_picture`].
    pub fn compose<'f, S: Sources<'f> + Sync>(
        &mut self,
        layout: &Layout,
        sources: &S,
        out: &mut FrameMut<'_>,
    ) -> Result<(), Error> {
        let catalog = Frames {
            images: &self.images,
            sources,
        };
        let size = plan_into(layout, &catalog, &self.style, &mut self.layers)?;
        if size != out.size {
            let err = FrameError::Canvas {
                got: out.size,
                canvas: size,
            };
            return Err(err.into());
        }
        let images = &self.images;
        let scene = Scene {
            layout,
            pictures: |p: PictureRef| picture(layout, images, sources, p),
            backdrop: self.backdrop.as_ref().map(|b| {
                b.as_ref()
                    .planes
                    .map(|(data, stride)| PlaneRef { data, stride })
            }),
        };
        let canvas = canvas_of(out);
        self.painters.paint(&self.layers, &scene, canvas);
        Ok(())
    }
}

/// The painter's canvas over a frame.
fn canvas_of<'a>(out: &'a mut FrameMut<'_>) -> Canvas<'a> {
    let size = out.size;
    let [(y, ys), (u, us), (v, vs)] = &mut out.planes;
    Canvas::new(
        Format::I420,
        size,
        [(&mut **y, *ys), (&mut **u, *us), (&mut **v, *vs)],
    )
}

/// The picture of a layer: a source's current frame or a job image.
fn picture<'a, 'f: 'a, S: Sources<'f>>(
    layout: &Layout,
    images: &'a HashMap<String, Frame>,
    sources: &S,
    picture: PictureRef,
) -> Option<PictureView<'a>> {
    match picture.name(layout)? {
        PictureName::Source(user_id, stream) => Some(sources.frame(user_id, stream)?.view()),
        PictureName::Image(reference) => images.get(reference).and_then(Frame::view),
    }
}

/// What the plan knows of a frame's pictures.
struct Frames<'a, S> {
    images: &'a HashMap<String, Frame>,
    sources: &'a S,
}

impl<'f, S: Sources<'f>> Catalog for Frames<'_, S> {
    fn source(&self, user_id: &str, stream: Stream) -> Option<PictureInfo> {
        let frame = self.sources.frame(user_id, stream)?;
        Some(PictureInfo {
            size: SourceSize::new(frame.size.width, frame.size.height)?,
            opaque: true,
        })
    }

    fn image(&self, reference: &str) -> Option<PictureInfo> {
        let frame = self.images.get(reference)?;
        Some(PictureInfo {
            size: SourceSize::new(frame.size.width, frame.size.height)?,
            opaque: frame.alpha.is_none(),
        })
    }
}
