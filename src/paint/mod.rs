//! The painter of the drawing plan (feature `render`): it paints
//! [`Layer`]s into 8-bit pixels, for the RGB preview (one plane of three
//! bytes a pixel) and for I420 video frames (three planes, chroma at half
//! resolution) alike. Only the pixel format differs: colours are converted
//! once per layer, and every operation works plane by plane at the plane's
//! resolution.
//!
//! Every operation is clipped to a band of rows, so a frame can be painted
//! in bands on several threads with exactly the pixels of one pass.

mod glyph;
pub(crate) mod scale;

use std::collections::HashMap;
use std::ops::Range;

use crate::color::Rgb;
use crate::geometry::{Rect, Size};
use crate::layout::Layout;
use crate::plan::{GLYPH, Layer, PictureRef, border_coverage, initials, rounded_coverage};
use crate::source::SourceSize;
use scale::{Crop, Scaler, Source, Target};

/// A pixel format the painter draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Format {
    /// One plane of R, G, B bytes.
    Rgb,
    /// Y, then Cb and Cr at half width and height (BT.709, limited range).
    #[cfg(feature = "frames")]
    I420,
}

impl Format {
    pub(crate) const fn planes(self) -> usize {
        match self {
            Format::Rgb => 1,
            #[cfg(feature = "frames")]
            Format::I420 => 3,
        }
    }

    /// Bytes a pixel in each plane.
    const fn channels(self) -> usize {
        match self {
            Format::Rgb => 3,
            #[cfg(feature = "frames")]
            Format::I420 => 1,
        }
    }

    /// How many times smaller plane `p` is, as a power of two.
    pub(crate) const fn shift(self, p: usize) -> u32 {
        match (self, p) {
            #[cfg(feature = "frames")]
            (Format::I420, 1 | 2) => 1,
            _ => 0,
        }
    }

    /// The bytes of `color` in each plane.
    fn color(self, color: Rgb) -> [[u8; 3]; 3] {
        match self {
            Format::Rgb => [color.0, [0; 3], [0; 3]],
            #[cfg(feature = "frames")]
            Format::I420 => {
                let [y, cb, cr] = color.to_ycbcr();
                [[y; 3], [cb; 3], [cr; 3]]
            }
        }
    }

    /// The size of plane `p` of a picture or canvas of `size`.
    pub(crate) const fn plane_size(self, p: usize, size: Size) -> Size {
        let s = self.shift(p);
        Size::new(
            (size.width + (1 << s) - 1) >> s,
            (size.height + (1 << s) - 1) >> s,
        )
    }
}

/// `r` in the coordinates of a plane `shift` times smaller, rounded out.
fn scaled(r: Rect, shift: u32) -> Rect {
    let up = (1 << shift) - 1;
    Rect::from_edges(
        r.x >> shift,
        r.y >> shift,
        (r.right() + up) >> shift,
        (r.bottom() + up) >> shift,
    )
}

/// A plane of a picture.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PlaneRef<'a> {
    pub(crate) data: &'a [u8],
    pub(crate) stride: usize,
}

/// A picture to draw: its size and planes in the painter's format, and an
/// alpha plane at full resolution when it has transparency.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PictureView<'a> {
    /// The size of the pixels.
    pub(crate) size: SourceSize,
    /// The size that crops refer to (the picture may be stored smaller).
    pub(crate) crops_in: SourceSize,
    pub(crate) planes: [PlaneRef<'a>; 3],
    pub(crate) alpha: Option<PlaneRef<'a>>,
}

/// The rows `rows` of a plane being painted.
#[derive(Debug, Default)]
pub(crate) struct PlaneMut<'a> {
    /// Row `rows.start` first.
    pub(crate) data: &'a mut [u8],
    pub(crate) stride: usize,
    /// The rows of the whole plane that `data` holds.
    pub(crate) rows: Range<u32>,
    pub(crate) width: u32,
}

impl PlaneMut<'_> {
    /// The bytes of row `y` (of the whole plane), columns `x0..x1`.
    #[inline]
    fn row(&mut self, y: u32, x0: u32, x1: u32, channels: usize) -> &mut [u8] {
        let start = (y - self.rows.start) as usize * self.stride;
        &mut self.data[start + x0 as usize * channels..start + x1 as usize * channels]
    }
}

/// A band of rows of a canvas being painted: `rows` in canvas (luma) rows,
/// each plane holding its share of them.
#[derive(Debug)]
pub(crate) struct Canvas<'a> {
    pub(crate) format: Format,
    pub(crate) size: Size,
    pub(crate) rows: Range<u32>,
    pub(crate) planes: [PlaneMut<'a>; 3],
}

impl<'a> Canvas<'a> {
    /// The canvas of `size` over whole planes.
    pub(crate) fn new(format: Format, size: Size, planes: [(&'a mut [u8], usize); 3]) -> Self {
        let mut p = 0;
        let planes = planes.map(|(data, stride)| {
            let plane = PlaneMut {
                data,
                stride,
                rows: 0..format.plane_size(p, size).height,
                width: format.plane_size(p, size).width,
            };
            p += 1;
            plane
        });
        Canvas {
            format,
            size,
            rows: 0..size.height,
            planes,
        }
    }

    /// Splits the canvas into bands at canvas row `at` (even for I420).
    pub(crate) fn split(self, at: u32) -> (Canvas<'a>, Canvas<'a>) {
        let format = self.format;
        let mut top: [PlaneMut<'a>; 3] = Default::default();
        let mut bottom: [PlaneMut<'a>; 3] = Default::default();
        for (p, plane) in self.planes.into_iter().enumerate() {
            let cut = (at >> format.shift(p)).clamp(plane.rows.start, plane.rows.end);
            let bytes = ((cut - plane.rows.start) as usize * plane.stride).min(plane.data.len());
            let (a, b) = plane.data.split_at_mut(bytes);
            top[p] = PlaneMut {
                data: a,
                stride: plane.stride,
                rows: plane.rows.start..cut,
                width: plane.width,
            };
            bottom[p] = PlaneMut {
                data: b,
                stride: plane.stride,
                rows: cut..plane.rows.end,
                width: plane.width,
            };
        }
        (
            Canvas {
                format,
                size: self.size,
                rows: self.rows.start..at,
                planes: top,
            },
            Canvas {
                format,
                size: self.size,
                rows: at..self.rows.end,
                planes: bottom,
            },
        )
    }

    /// The rows of plane `p`'s rectangle `r` (plane coordinates) that this
    /// band holds.
    fn rows_of(&self, p: usize, r: Rect) -> Range<u32> {
        let rows = &self.planes[p].rows;
        r.y.max(rows.start)..r.bottom().min(rows.end).max(r.y.max(rows.start))
    }

    /// Fills `rect` (canvas coordinates) with `color`.
    fn fill(&mut self, rect: Rect, color: Rgb) {
        let values = self.format.color(color);
        for (p, value) in values.iter().enumerate().take(self.format.planes()) {
            self.fill_plane(p, scaled(rect, self.format.shift(p)), value);
        }
    }

    fn fill_plane(&mut self, p: usize, r: Rect, value: &[u8; 3]) {
        let channels = self.format.channels();
        for y in self.rows_of(p, r) {
            let row = self.planes[p].row(y, r.x, r.right(), channels);
            if channels == 1 {
                row.fill(value[0]);
            } else {
                for px in row.chunks_exact_mut(3) {
                    px.copy_from_slice(value);
                }
            }
        }
    }

    /// Blends `color` over `rect` at `alpha` (0..=255).
    fn shade(&mut self, rect: Rect, clip: Rect, color: Rgb, alpha: u32) {
        let values = self.format.color(color);
        let rect = rect.intersect(clip);
        let channels = self.format.channels();
        for (p, value) in values.iter().enumerate().take(self.format.planes()) {
            let r = scaled(rect, self.format.shift(p));
            for y in self.rows_of(p, r) {
                let row = self.planes[p].row(y, r.x, r.right(), channels);
                for px in row.chunks_exact_mut(channels) {
                    for (v, &c) in px.iter_mut().zip(value) {
                        *v = blend(c, *v, alpha);
                    }
                }
            }
        }
    }
}

/// `over * a + under * (255 - a)`, rounded, for `a` in 0..=255.
#[inline]
fn blend(over: u8, under: u8, a: u32) -> u8 {
    ((u32::from(over) * a + u32::from(under) * (255 - a) + 127) / 255) as u8
}

/// What a painter needs besides the plan: the layout (for labels and
/// pictures), its pictures, and the backdrop.
pub(crate) struct Scene<'a, F> {
    pub(crate) layout: &'a Layout,
    /// The picture a layer refers to.
    pub(crate) pictures: F,
    /// What the empty canvas shows (background colour and image), for
    /// [`Layer::Backdrop`]; planes as a canvas of the same format.
    pub(crate) backdrop: Option<[PlaneRef<'a>; 3]>,
}

/// A painter: the scaler and scratch buffers of one thread.
#[derive(Debug, Default)]
pub(crate) struct Painter {
    scaler: Scaler,
    /// A picture scaled before it is blended (pictures with alpha).
    scratch: Vec<u8>,
    alpha: Vec<u8>,
    /// The pixels under a tile's corners, saved by [`Layer::Clip`].
    corners: Vec<u8>,
    clip: Option<(Rect, u32)>,
    /// Coverage of a top-left corner, by radius.
    masks: HashMap<u32, Vec<u8>>,
}

impl Painter {
    /// Paints `layers` into the band `canvas`.
    pub(crate) fn paint<'p, F>(
        &mut self,
        layers: &[Layer],
        scene: &Scene<'_, F>,
        canvas: &mut Canvas<'_>,
    ) where
        F: Fn(PictureRef) -> Option<PictureView<'p>>,
    {
        for layer in layers {
            match *layer {
                Layer::Fill { rect, color } => canvas.fill(rect, color),
                Layer::Backdrop { rect } => match &scene.backdrop {
                    Some(planes) => copy(canvas, rect, planes),
                    None => canvas.fill(rect, scene.layout.background.color),
                },
                Layer::Picture { picture, crop, dst } => {
                    if let Some(view) = (scene.pictures)(picture) {
                        self.picture(canvas, &view, crop, dst);
                    }
                }
                Layer::Label {
                    tile,
                    area,
                    chars,
                    scale,
                } => {
                    let rect = scene.layout.tiles[tile].rect;
                    let label = scene.layout.tiles[tile].label.as_deref().unwrap_or("");
                    canvas.shade(area, rect, Rgb::BLACK, 160);
                    let pad = 2 * scale;
                    let at = (area.x + pad, area.y + pad);
                    draw_text(
                        canvas,
                        label.chars().take(chars),
                        at,
                        scale,
                        Rgb::WHITE,
                        rect,
                    );
                }
                Layer::Initials {
                    tile,
                    at,
                    scale,
                    shadow,
                } => {
                    let rect = scene.layout.tiles[tile].rect;
                    let label = scene.layout.tiles[tile].label.as_deref().unwrap_or("");
                    let letters = initials(label);
                    let chars = letters.chars().iter().copied();
                    let under = (at.0 + shadow, at.1 + shadow);
                    draw_text(canvas, chars.clone(), under, scale, Rgb::BLACK, rect);
                    draw_text(canvas, chars, at, scale, Rgb([235; 3]), rect);
                }
                Layer::Clip { rect, radius } => self.save_corners(canvas, rect, radius),
                Layer::Unclip => self.restore_corners(canvas),
                Layer::Border {
                    rect,
                    radius,
                    width,
                    color,
                } => border(canvas, rect, radius, width, color),
            }
        }
    }

    /// Scales `crop` of a picture into `dst`, over what is there.
    fn picture(&mut self, canvas: &mut Canvas<'_>, view: &PictureView<'_>, crop: Rect, dst: Rect) {
        let format = canvas.format;
        let channels = format.channels();
        for p in 0..format.planes() {
            let s = format.shift(p);
            let r = scaled(dst, s);
            let rows = canvas.rows_of(p, r);
            if rows.is_empty() || r.is_empty() {
                continue;
            }
            let plane = format.plane_size(p, view.size.get());
            let source = Source {
                data: view.planes[p].data,
                stride: view.planes[p].stride,
                width: plane.width,
                height: plane.height,
            };
            let crop_p = crop_in(view, crop, s);
            let local = (rows.start - r.y)..(rows.end - r.y);
            let Some(alpha) = view.alpha else {
                // Opaque: straight into the canvas.
                let target = &mut canvas.planes[p];
                let start = (rows.start - target.rows.start) as usize * target.stride
                    + r.x as usize * channels;
                let stride = target.stride;
                let target = Target {
                    data: &mut target.data[start..],
                    stride,
                    width: r.width,
                    height: r.height,
                    rows: local,
                };
                scale_planes(&mut self.scaler, channels, source, crop_p, target);
                continue;
            };
            // With alpha: the picture and its alpha scaled aside, then
            // blended over the canvas.
            let width = r.width as usize;
            let len = width * local.len();
            self.scratch.resize(len * channels, 0);
            self.alpha.resize(len, 0);
            let picture = Target {
                data: &mut self.scratch,
                stride: width * channels,
                width: r.width,
                height: r.height,
                rows: local.clone(),
            };
            scale_planes(&mut self.scaler, channels, source, crop_p, picture);
            let full = Source {
                data: alpha.data,
                stride: alpha.stride,
                width: view.size.width(),
                height: view.size.height(),
            };
            let crop_a = crop_in(view, crop, 0);
            let mask = Target {
                data: &mut self.alpha,
                stride: width,
                width: r.width,
                height: r.height,
                rows: local,
            };
            self.scaler.scale::<1>(full, crop_a, mask);
            for (i, y) in rows.enumerate() {
                let row = canvas.planes[p].row(y, r.x, r.right(), channels);
                let over = &self.scratch[i * width * channels..(i + 1) * width * channels];
                let alpha = &self.alpha[i * width..(i + 1) * width];
                for ((px, o), &a) in row
                    .chunks_exact_mut(channels)
                    .zip(over.chunks_exact(channels))
                    .zip(alpha)
                {
                    for (v, &c) in px.iter_mut().zip(o) {
                        *v = blend(c, *v, u32::from(a));
                    }
                }
            }
        }
    }

    /// The coverage of a top-left corner of `radius`, row by row.
    fn mask(&mut self, radius: u32) -> &[u8] {
        self.masks.entry(radius).or_insert_with(|| {
            let side = 2 * radius;
            (0..radius)
                .flat_map(|y| (0..radius).map(move |x| rounded_coverage(side, side, radius, x, y)))
                .collect()
        })
    }

    /// The corner squares of `rect` in plane `p` (plane coordinates).
    fn corner_squares(format: Format, p: usize, rect: Rect, radius: u32) -> [Rect; 4] {
        let s = format.shift(p);
        let left = Rect::new(rect.x, rect.y, radius, radius);
        let right = Rect::new(rect.right() - radius, rect.y, radius, radius);
        let low = |r: Rect| Rect::new(r.x, rect.bottom() - radius, r.width, r.height);
        [left, right, low(left), low(right)].map(|r| scaled(r, s))
    }

    fn save_corners(&mut self, canvas: &mut Canvas<'_>, rect: Rect, radius: u32) {
        self.clip = Some((rect, radius));
        self.corners.clear();
        let channels = canvas.format.channels();
        for p in 0..canvas.format.planes() {
            for square in Self::corner_squares(canvas.format, p, rect, radius) {
                for y in canvas.rows_of(p, square) {
                    let row = canvas.planes[p].row(y, square.x, square.right(), channels);
                    self.corners.extend_from_slice(row);
                }
            }
        }
    }

    /// Outside the rounded corners, what was there before the tile.
    fn restore_corners(&mut self, canvas: &mut Canvas<'_>) {
        let Some((rect, radius)) = self.clip.take() else {
            return;
        };
        self.mask(radius);
        let mask = &self.masks[&radius];
        let channels = canvas.format.channels();
        let mut saved = 0;
        for p in 0..canvas.format.planes() {
            let s = canvas.format.shift(p);
            for square in Self::corner_squares(canvas.format, p, rect, radius) {
                for y in canvas.rows_of(p, square) {
                    let row = canvas.planes[p].row(y, square.x, square.right(), channels);
                    let old = &self.corners[saved..saved + row.len()];
                    saved += row.len();
                    for (i, (px, o)) in row
                        .chunks_exact_mut(channels)
                        .zip(old.chunks_exact(channels))
                        .enumerate()
                    {
                        let x = square.x + i as u32;
                        let a = plane_coverage(mask, rect, radius, s, x, y);
                        for (v, &u) in px.iter_mut().zip(o) {
                            *v = blend(*v, u, a);
                        }
                    }
                }
            }
        }
    }
}

/// Scales with the pixel size of the plane: 3 bytes (RGB) or 1.
fn scale_planes(
    scaler: &mut Scaler,
    channels: usize,
    source: Source<'_>,
    crop: Crop,
    target: Target<'_>,
) {
    if channels == 3 {
        scaler.scale::<3>(source, crop, target);
    } else {
        scaler.scale::<1>(source, crop, target);
    }
}

/// `crop` (in the pixels crops refer to) in the pixels of a plane of
/// `view` that is `s` times smaller.
fn crop_in(view: &PictureView<'_>, crop: Rect, s: u32) -> Crop {
    let unit = f64::from(1u32 << s);
    let sx = f64::from(view.size.width()) / f64::from(view.crops_in.width()) / unit;
    let sy = f64::from(view.size.height()) / f64::from(view.crops_in.height()) / unit;
    Crop {
        x: f64::from(crop.x) * sx,
        y: f64::from(crop.y) * sy,
        width: f64::from(crop.width) * sx,
        height: f64::from(crop.height) * sy,
    }
}

/// The coverage of plane pixel `(x, y)` (a plane `s` times smaller) by
/// `rect` with rounded corners: the mean of the canvas pixels it spans
/// that lie in the rectangle.
fn plane_coverage(mask: &[u8], rect: Rect, radius: u32, s: u32, x: u32, y: u32) -> u32 {
    let (mut sum, mut n) = (0, 0);
    for cy in (y << s)..((y + 1) << s) {
        for cx in (x << s)..((x + 1) << s) {
            if cx < rect.x || cy < rect.y || cx >= rect.right() || cy >= rect.bottom() {
                continue;
            }
            let (dx, dy) = (cx - rect.x, cy - rect.y);
            // Mirror into the top-left corner.
            let mx = dx.min(rect.width - 1 - dx);
            let my = dy.min(rect.height - 1 - dy);
            sum += if mx < radius && my < radius {
                u32::from(mask[(my * radius + mx) as usize])
            } else {
                255
            };
            n += 1;
        }
    }
    (sum + n / 2).checked_div(n).unwrap_or(0)
}

/// Copies `rect` of the backdrop into the canvas.
fn copy(canvas: &mut Canvas<'_>, rect: Rect, backdrop: &[PlaneRef<'_>; 3]) {
    let channels = canvas.format.channels();
    for (p, src) in backdrop.iter().enumerate().take(canvas.format.planes()) {
        let r = scaled(rect, canvas.format.shift(p));
        for y in canvas.rows_of(p, r) {
            let start = y as usize * src.stride + r.x as usize * channels;
            let from = &src.data[start..start + r.width as usize * channels];
            canvas.planes[p]
                .row(y, r.x, r.right(), channels)
                .copy_from_slice(from);
        }
    }
}

/// Draws `chars` in the bitmap font, top-left at `at`, `scale` canvas
/// pixels a font pixel, clipped to `clip`.
pub(crate) fn draw_text(
    canvas: &mut Canvas<'_>,
    chars: impl Iterator<Item = char>,
    at: (u32, u32),
    scale: u32,
    color: Rgb,
    clip: Rect,
) {
    let values = canvas.format.color(color);
    for (i, c) in chars.enumerate() {
        let gx = at.0 + i as u32 * GLYPH * scale;
        for (row, bits) in glyph::glyph(c).iter().enumerate() {
            for col in 0..GLYPH {
                if bits & (1 << col) == 0 {
                    continue;
                }
                let px = Rect::new(gx + col * scale, at.1 + row as u32 * scale, scale, scale)
                    .intersect(clip);
                if px.is_empty() {
                    continue;
                }
                for (p, value) in values.iter().enumerate().take(canvas.format.planes()) {
                    // A chroma sample takes the glyph's colour where its
                    // first canvas pixel is in the glyph.
                    let s = canvas.format.shift(p);
                    let r = Rect::from_edges(
                        px.x.div_ceil(1 << s),
                        px.y.div_ceil(1 << s),
                        px.right().div_ceil(1 << s),
                        px.bottom().div_ceil(1 << s),
                    );
                    if !r.is_empty() {
                        canvas.fill_plane(p, r, value);
                    }
                }
            }
        }
    }
}

/// The speaker border: `color` blended by [`border_coverage`] over the band
/// inside `rect`'s edge.
fn border(canvas: &mut Canvas<'_>, rect: Rect, radius: u32, width: u32, color: Rgb) {
    let values = canvas.format.color(color);
    let channels = canvas.format.channels();
    let reach = width
        .max(radius)
        .min(rect.width / 2)
        .min(rect.height / 2)
        .max(1);
    // The four strips along the edges that hold the band and the corners.
    let strips = [
        Rect::new(rect.x, rect.y, rect.width, reach),
        Rect::new(rect.x, rect.bottom() - reach, rect.width, reach),
        Rect::from_edges(
            rect.x,
            rect.y + reach,
            rect.x + reach,
            rect.bottom() - reach,
        ),
        Rect::from_edges(
            rect.right() - reach,
            rect.y + reach,
            rect.right(),
            rect.bottom() - reach,
        ),
    ];
    for (p, value) in values.iter().enumerate().take(canvas.format.planes()) {
        let s = canvas.format.shift(p);
        for strip in strips {
            let r = scaled(strip, s);
            for y in canvas.rows_of(p, r) {
                let row = canvas.planes[p].row(y, r.x, r.right(), channels);
                for (i, px) in row.chunks_exact_mut(channels).enumerate() {
                    let x = r.x + i as u32;
                    let (mut sum, mut n) = (0, 0);
                    for cy in (y << s)..((y + 1) << s) {
                        for cx in (x << s)..((x + 1) << s) {
                            if strip.contains_rect(Rect::new(cx, cy, 1, 1)) {
                                let c = border_coverage(
                                    rect.width,
                                    rect.height,
                                    radius,
                                    width,
                                    cx - rect.x,
                                    cy - rect.y,
                                );
                                sum += u32::from(c);
                                n += 1;
                            }
                        }
                    }
                    if n == 0 {
                        continue;
                    }
                    let a = (sum + n / 2) / n;
                    for (v, &c) in px.iter_mut().zip(value) {
                        *v = blend(c, *v, a);
                    }
                }
            }
        }
    }
}

/// Painters for as many bands as threads, on a pool of that many threads
/// kept for the next picture.
pub(crate) struct Painters {
    painters: Vec<Painter>,
    pool: Option<rayon::ThreadPool>,
}

impl Painters {
    /// Painters for `threads` bands (1 paints on the calling thread).
    pub(crate) fn new(threads: usize) -> Painters {
        let threads = threads.clamp(1, 64);
        let pool = (threads > 1)
            .then(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .ok()
            })
            .flatten();
        Painters {
            painters: (0..threads).map(|_| Painter::default()).collect(),
            pool,
        }
    }

    /// The first painter, for work on one thread.
    pub(crate) fn first(&mut self) -> &mut Painter {
        &mut self.painters[0]
    }

    /// Paints `layers` into `canvas`, a band a painter, each on a thread of
    /// the pool (or on this thread, with one painter or no pool).
    pub(crate) fn paint<'p, F>(
        &mut self,
        layers: &[Layer],
        scene: &Scene<'_, F>,
        canvas: Canvas<'_>,
    ) where
        F: Fn(PictureRef) -> Option<PictureView<'p>> + Sync,
    {
        match (&mut self.painters[..], &self.pool) {
            ([painter, ..], None) | ([painter], _) => {
                let mut canvas = canvas;
                painter.paint(layers, scene, &mut canvas);
            }
            (painters, Some(pool)) => pool.install(|| split(painters, layers, scene, canvas)),
            ([], _) => {}
        }
    }
}

/// Halves the painters and the rows, and paints both halves at once.
fn split<'p, F>(
    painters: &mut [Painter],
    layers: &[Layer],
    scene: &Scene<'_, F>,
    canvas: Canvas<'_>,
) where
    F: Fn(PictureRef) -> Option<PictureView<'p>> + Sync,
{
    if let [painter] = painters {
        let mut canvas = canvas;
        painter.paint(layers, scene, &mut canvas);
        return;
    }
    let half = painters.len() / 2;
    let rows = canvas.rows.clone();
    // Band edges on even rows keep I420's chroma rows in one band.
    let at = rows.start + ((rows.len() as u64 * half as u64 / painters.len() as u64) as u32 & !1);
    let (top, bottom) = canvas.split(at.max(rows.start));
    let (a, b) = painters.split_at_mut(half);
    rayon::join(
        || split(a, layers, scene, top),
        || split(b, layers, scene, bottom),
    );
}
