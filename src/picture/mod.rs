//! Pictures (§7, feature `render`): decoded sources and job images
//! ([`Picture`], [`Pictures`]), and finding them on disk ([`Inputs`]):
//! users' sources from a folder, the job's image references resolved
//! without ever fetching from a network, decoding within limits and within a
//! memory budget. The preview, the exports and the frame compositor all take
//! their pictures from here.

mod load;

use std::collections::HashMap;

use image::{DynamicImage, RgbImage, RgbaImage};

#[cfg(feature = "record")]
pub(crate) use load::job_images;
pub(crate) use load::picture_info;
pub use load::{DECODE_BUDGET, Inputs, LoadOptions, Unfetched, load_picture};

use crate::layout::Layout;
use crate::paint::scale::{Crop, Scaler, Source, Target};
use crate::paint::{PictureView, PlaneRef};
use crate::plan::{Catalog, PictureInfo, PictureName, PictureRef};
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

    pub(crate) fn info(&self) -> PictureInfo {
        PictureInfo {
            size: self.size,
            opaque: self.alpha.is_none(),
        }
    }

    pub(crate) fn view(&self) -> PictureView<'_> {
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
    pub(crate) fn of(&self, layout: &Layout, picture: PictureRef) -> Option<&Picture> {
        match picture.name(layout)? {
            PictureName::Source(user_id, stream) => self.source(user_id, stream),
            PictureName::Image(reference) => self.image(reference),
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
