//! How a source picture goes into a tile (§5): [`Fit::Cover`] crops the
//! source to the tile's aspect, [`Fit::Contain`] shows it whole and
//! letterboxed, and [`MaxCrop`] limits how much `cover` may cut away.
//!
//! All of it is integer arithmetic in 64 bits with round-half-up division, so
//! a compositor in any language can reproduce every pixel of it.

use crate::geometry::Rect;
use crate::source::SourceSize;
use crate::words::wire_words;

wire_words! {
    /// How a source fills its tile; `cover` or `contain` in layout JSON.
    pub enum Fit {
        /// Crop the source to the tile's aspect and fill the whole tile
        /// (SparkRTC's `KEEP_RATIO_CROP`).
        Cover = "cover",
        /// Show the whole source, centred, with bands where the aspects
        /// differ (SparkRTC's `KEEP_RATIO_PADDING`).
        Contain = "contain",
    }
}

/// The largest fraction of a source's width or height that `cover` may cut
/// away, both sides together (`layout_options.max_crop`, `0..=1`).
///
/// ```
/// use mixlayout::MaxCrop;
/// assert!(MaxCrop::new(0.2).is_some());
/// assert!(MaxCrop::new(1.5).is_none());
/// assert!(MaxCrop::new(f64::NAN).is_none());
/// assert_eq!(MaxCrop::default().get(), 1.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MaxCrop {
    crop: f64,
    /// `1 - crop`, the fraction that must stay visible.
    keep: f64,
}

impl MaxCrop {
    /// No limit: `cover` may cut as much as the aspects require.
    pub const NONE: MaxCrop = MaxCrop {
        crop: 1.0,
        keep: 0.0,
    };

    /// A limit of `crop` (in `0..=1`), or `None` outside that range or NaN.
    pub fn new(crop: f64) -> Option<Self> {
        (0.0..=1.0).contains(&crop).then_some(MaxCrop {
            crop,
            keep: 1.0 - crop,
        })
    }

    /// The fraction as given.
    pub const fn get(self) -> f64 {
        self.crop
    }

    /// Least number of source pixels that stay visible out of `side`:
    /// `ceil((1 - c) * side - 1e-6)` (the epsilon absorbs the f64 error of
    /// products such as `0.8 * 1280`).
    #[inline]
    fn keep(self, side: u32) -> u32 {
        // `keep` is in 0..=1 and side <= 8192, so the result fits u32.
        (self.keep * f64::from(side) - 1e-6).ceil().max(0.0) as u32
    }

    #[inline]
    fn limits(self) -> bool {
        self.crop < 1.0
    }
}

impl Default for MaxCrop {
    fn default() -> Self {
        MaxCrop::NONE
    }
}

/// Where a source lands in a tile: the part of the tile it covers
/// (`content`) and the part of the source that is shown (`source_crop`, in
/// source pixels; `None` when the source size is unknown).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Placement {
    /// The part of the tile covered by the picture, in canvas pixels.
    pub content: Rect,
    /// The part of the source that is shown, in source pixels.
    pub source_crop: Option<Rect>,
}

/// `p / q` rounded half up: `(2p + q) / (2q)`.
///
/// §5 asks for 64-bit arithmetic so that nothing overflows; products
/// are formed in 64 bits here, and as every side is at most 8192 (canvas and
/// sources alike), `p <= 2^26` and `2p + q < 2^32`, so the division itself is
/// done in 32 bits, which is several times faster on common CPUs.
#[inline]
const fn rnd(p: u64, q: u64) -> u64 {
    let (p, q) = (p as u32, q as u32);
    ((2 * p + q) / (2 * q)) as u64
}

/// Places a source of `source` size in `tile` by `fit` (§5).
///
/// With an unknown source size the picture is taken to fill the tile:
/// `content` is the tile and `source_crop` is `None`.
///
/// ```
/// use mixlayout::{place, Fit, MaxCrop, Rect, SourceSize};
/// let tile = Rect::new(0, 0, 640, 360);
/// let cam = SourceSize::new(640, 480);
/// // cover: the 4:3 picture loses 60 rows at the top and at the bottom.
/// let p = place(Fit::Cover, tile, cam, MaxCrop::NONE);
/// assert_eq!(p.content, tile);
/// assert_eq!(p.source_crop, Some(Rect::new(0, 60, 640, 360)));
/// // contain: the whole picture, 480 wide, centred.
/// let p = place(Fit::Contain, tile, cam, MaxCrop::NONE);
/// assert_eq!(p.content, Rect::new(80, 0, 480, 360));
/// ```
#[inline(always)]
pub fn place(fit: Fit, tile: Rect, source: Option<SourceSize>, max_crop: MaxCrop) -> Placement {
    let Some(source) = source else {
        return Placement {
            content: tile,
            source_crop: None,
        };
    };
    match fit {
        Fit::Contain => Placement {
            content: contain(tile, source.width(), source.height()),
            source_crop: Some(Rect::new(0, 0, source.width(), source.height())),
        },
        Fit::Cover => cover(tile, source, max_crop),
    }
}

/// The crop of a picture of `size` matching `crop`, which §5 computed
/// for the size the layout knew (§7): when the picture has that size
/// (the crop lies inside it, centred as §5 centres it) the crop stands;
/// otherwise it is scaled to the picture, the known size being the crop plus
/// its margins.
pub(crate) fn rescale_crop(crop: Rect, fit: Fit, size: SourceSize) -> Rect {
    let (pw, ph) = (size.width(), size.height());
    let known = Rect::new(0, 0, crop.width + 2 * crop.x, crop.height + 2 * crop.y);
    // An odd margin puts §5's extra row or column at the end of a cover crop.
    let fits =
        |known: u32, actual: u32| actual == known || (fit == Fit::Cover && actual == known + 1);
    if fits(known.width, pw) && fits(known.height, ph) {
        return crop;
    }
    crop.project(known, Rect::new(0, 0, pw, ph))
}

/// Where `contain` puts a `sw x sh` picture in `tile`. `sw` and `sh` are at
/// least 1.
#[inline]
fn contain(tile: Rect, sw: u32, sh: u32) -> Rect {
    let (tw, th) = (u64::from(tile.width), u64::from(tile.height));
    let (sw, sh) = (u64::from(sw), u64::from(sh));
    let (cw, ch) = if tw * sh <= th * sw {
        (tw, th.min(rnd(sh * tw, sw)))
    } else {
        (tw.min(rnd(sw * th, sh)), th)
    };
    // cw <= tw and ch <= th, so they fit u32 like the tile does.
    let (cw, ch) = (cw as u32, ch as u32);
    Rect::new(
        tile.x + (tile.width - cw) / 2,
        tile.y + (tile.height - ch) / 2,
        cw,
        ch,
    )
}

#[inline]
fn cover(tile: Rect, source: SourceSize, max_crop: MaxCrop) -> Placement {
    let (sw, sh) = (source.width(), source.height());
    let (tw, th) = (u64::from(tile.width), u64::from(tile.height));
    let (sw64, sh64) = (u64::from(sw), u64::from(sh));
    let (mut vw, mut vh) = if tw * sh64 >= th * sw64 {
        (sw, sh64.min(rnd(th * sw64, tw)) as u32)
    } else {
        (sw64.min(rnd(tw * sh64, th)) as u32, sh)
    };
    let mut content = tile;
    if max_crop.limits() {
        let (kw, kh) = (max_crop.keep(sw), max_crop.keep(sh));
        if vw < kw || vh < kh {
            vw = vw.max(kw);
            vh = vh.max(kh);
            content = contain(tile, vw, vh);
        }
    }
    Placement {
        content,
        source_crop: Some(Rect::new((sw - vw) / 2, (sh - vh) / 2, vw, vh)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(w: u32, h: u32) -> Option<SourceSize> {
        SourceSize::new(w, h)
    }

    #[test]
    fn cover_cuts_top_and_bottom_of_a_taller_source() {
        // 640x480 into 640x360: keep 640 x rnd(360*640, 640) = 360 rows,
        // centred: (480 - 360) / 2 = 60.
        let p = place(
            Fit::Cover,
            Rect::new(0, 0, 640, 360),
            src(640, 480),
            MaxCrop::NONE,
        );
        assert_eq!(p.source_crop, Some(Rect::new(0, 60, 640, 360)));
        assert_eq!(p.content, Rect::new(0, 0, 640, 360));
    }

    #[test]
    fn cover_half_pixel_rounds_up() {
        // conformance example 18: 424x318 into 640x360:
        // 640*318 = 203520 >= 360*424 = 152640, so rows are cut:
        // vh = rnd(360*424, 640) = rnd(152640, 640) = 238.5 -> 239,
        // y = (318 - 239) / 2 = 39 (the odd remainder splits down).
        let p = place(
            Fit::Cover,
            Rect::new(0, 0, 640, 360),
            src(424, 318),
            MaxCrop::NONE,
        );
        assert_eq!(p.source_crop, Some(Rect::new(0, 39, 424, 239)));
    }

    #[test]
    fn contain_letterboxes_a_wider_source() {
        // 1920x1200 into 1536x1080: 1536*1200 = 1843200 <= 1080*1920 = 2073600,
        // width decides: ch = rnd(1200*1536, 1920) = 960; y = (1080-960)/2 = 60.
        let p = place(
            Fit::Contain,
            Rect::new(0, 0, 1536, 1080),
            src(1920, 1200),
            MaxCrop::NONE,
        );
        assert_eq!(p.content, Rect::new(0, 60, 1536, 960));
        assert_eq!(p.source_crop, Some(Rect::new(0, 0, 1920, 1200)));
    }

    #[test]
    fn max_crop_limits_cover() {
        // conformance example 13: 720x1280 into 960x540 at max_crop 0.2.
        // Plain cover keeps 720 x rnd(540*720, 960) = 405 rows; at least
        // ceil(0.8 * 1280) = 1024 must stay, so 720x1024 is shown, centred
        // at y = 128, and contained in the tile: 540 high,
        // rnd(720*540, 1024) = 380 wide, at x = 960 + (960-380)/2 = 1250.
        let p = place(
            Fit::Cover,
            Rect::new(960, 540, 960, 540),
            src(720, 1280),
            MaxCrop::new(0.2).unwrap(),
        );
        assert_eq!(p.source_crop, Some(Rect::new(0, 128, 720, 1024)));
        assert_eq!(p.content, Rect::new(1250, 540, 380, 540));
    }

    #[test]
    fn max_crop_within_limit_changes_nothing() {
        // 640x480 into 640x360 cuts 25% of the height: within a 0.3 limit.
        let tile = Rect::new(0, 0, 640, 360);
        let limited = place(Fit::Cover, tile, src(640, 480), MaxCrop::new(0.3).unwrap());
        assert_eq!(
            limited,
            place(Fit::Cover, tile, src(640, 480), MaxCrop::NONE)
        );
    }

    #[test]
    fn zero_max_crop_is_contain() {
        let tile = Rect::new(0, 0, 640, 360);
        let p = place(Fit::Cover, tile, src(640, 480), MaxCrop::new(0.0).unwrap());
        assert_eq!(p.source_crop, Some(Rect::new(0, 0, 640, 480)));
        assert_eq!(
            p.content,
            place(Fit::Contain, tile, src(640, 480), MaxCrop::NONE).content
        );
    }

    #[test]
    fn crops_of_the_known_size_stand() {
        let crop = Rect::new(0, 60, 640, 360);
        let size = |w, h| SourceSize::new(w, h).unwrap();
        assert_eq!(rescale_crop(crop, Fit::Cover, size(640, 480)), crop);
        // An odd remainder puts the extra row at the bottom: 481 rows also fit.
        assert_eq!(rescale_crop(crop, Fit::Cover, size(640, 481)), crop);
    }

    #[test]
    fn crops_scale_to_a_picture_of_another_size() {
        // Known 640x480, decoded 1280x960: everything doubles.
        let size = |w, h| SourceSize::new(w, h).unwrap();
        let crop = Rect::new(0, 60, 640, 360);
        assert_eq!(
            rescale_crop(crop, Fit::Cover, size(1280, 960)),
            Rect::new(0, 120, 1280, 720)
        );
        let whole = Rect::new(0, 0, 1920, 1200);
        assert_eq!(
            rescale_crop(whole, Fit::Contain, size(960, 600)),
            Rect::new(0, 0, 960, 600)
        );
    }

    #[test]
    fn unknown_source_fills_the_tile() {
        let tile = Rect::new(4, 6, 100, 50);
        for fit in [Fit::Cover, Fit::Contain] {
            let p = place(fit, tile, None, MaxCrop::NONE);
            assert_eq!(p.content, tile);
            assert_eq!(p.source_crop, None);
        }
    }
}
