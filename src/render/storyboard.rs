//! The storyboard of a timeline (§9): every epoch's preview scaled to
//! 480 pixels wide, four to a row in time order, each captioned with its
//! start as `m:ss.mmm`, on a dark sheet; past 64 epochs, the first 63 and a
//! last cell that says how many more.

use image::RgbImage;

use super::{Pictures, RenderOptions, render};
use crate::color::Rgb;
use crate::error::JobError;
use crate::geometry::{Rect, Size};
use crate::layout::Layout;
use crate::paint::scale::{Crop, Scaler, Source, Target};
use crate::paint::{Canvas, Format, draw_text};
use crate::plan::GLYPH;

/// Most cells of a storyboard.
pub const STORYBOARD_CELLS: usize = 64;
/// Width of a thumbnail.
const THUMB_WIDTH: u32 = 480;
/// Thumbnails a row.
const COLUMNS: u32 = 4;
/// Space around and between cells.
const MARGIN: u32 = 16;
/// Font scale of captions, and the band they take below a thumbnail.
const CAPTION_SCALE: u32 = 2;
const CAPTION: u32 = GLYPH * CAPTION_SCALE + 8;
const SHEET: Rgb = Rgb([0x1a, 0x1a, 0x1a]);
const INK: Rgb = Rgb([0xdd, 0xdd, 0xdd]);

/// `m:ss.mmm` of `ms`.
///
/// ```
/// assert_eq!(mixlayout::render::timestamp(754_321), "12:34.321");
/// assert_eq!(mixlayout::render::timestamp(0), "0:00.000");
/// ```
pub fn timestamp(ms: u32) -> String {
    format!("{}:{:02}.{:03}", ms / 60_000, ms / 1000 % 60, ms % 1000)
}

/// The storyboard of `epochs` (each its start and layout, in time order, at
/// most [`STORYBOARD_CELLS`]), of a timeline of `total` epochs: when there
/// are more than fit, the first 63 are drawn and the last cell says how many
/// more there are.
pub fn storyboard(
    epochs: &[(u32, &Layout)],
    total: usize,
    pictures: &Pictures,
    options: &RenderOptions,
) -> Result<RgbImage, JobError> {
    let shown = if total > STORYBOARD_CELLS {
        STORYBOARD_CELLS - 1
    } else {
        total.min(epochs.len())
    };
    let cells = if total > shown { shown + 1 } else { shown } as u32;
    let canvas = epochs
        .first()
        .map(|(_, l)| crate::plan::canvas(l))
        .transpose()?
        .unwrap_or(Size::new(THUMB_WIDTH, THUMB_WIDTH * 9 / 16));
    let thumb_h = ((u64::from(canvas.height) * u64::from(THUMB_WIDTH)
        + u64::from(canvas.width) / 2)
        / u64::from(canvas.width))
    .max(1) as u32;
    let columns = cells.clamp(1, COLUMNS);
    let rows = cells.div_ceil(COLUMNS).max(1);
    let cell_w = THUMB_WIDTH + MARGIN;
    let cell_h = thumb_h + CAPTION + MARGIN;
    let size = Size::new(MARGIN + columns * cell_w, MARGIN + rows * cell_h);
    let mut sheet = RgbImage::from_pixel(size.width, size.height, image::Rgb(SHEET.0));
    let mut scaler = Scaler::default();
    for (i, (from, layout)) in epochs.iter().take(shown).enumerate() {
        let picture = render(layout, pictures, options)?;
        let (x, y) = origin(i as u32, cell_w, cell_h);
        let (w, h) = picture.dimensions();
        let stride = size.width as usize * 3;
        let start = y as usize * stride + x as usize * 3;
        let raw: &mut [u8] = &mut sheet;
        scaler.scale::<3>(
            Source {
                data: picture.as_raw(),
                stride: w as usize * 3,
                width: w,
                height: h,
            },
            Crop {
                x: 0.0,
                y: 0.0,
                width: f64::from(w),
                height: f64::from(h),
            },
            Target {
                data: &mut raw[start..],
                stride,
                width: THUMB_WIDTH,
                height: thumb_h,
                rows: 0..thumb_h,
            },
        );
        caption(&mut sheet, size, x, y + thumb_h + 4, &timestamp(*from));
    }
    if total > shown {
        let (x, y) = origin(shown as u32, cell_w, cell_h);
        let text = format!("+{} more", total - shown);
        let chars = text.chars().count() as u32;
        let at_x = x + THUMB_WIDTH.saturating_sub(chars * GLYPH * CAPTION_SCALE) / 2;
        caption(&mut sheet, size, at_x, y + thumb_h / 2, &text);
    }
    Ok(sheet)
}

/// The top-left of cell `i`.
fn origin(i: u32, cell_w: u32, cell_h: u32) -> (u32, u32) {
    (
        MARGIN + (i % COLUMNS) * cell_w,
        MARGIN + (i / COLUMNS) * cell_h,
    )
}

fn caption(sheet: &mut RgbImage, size: Size, x: u32, y: u32, text: &str) {
    let stride = size.width as usize * 3;
    let mut canvas = Canvas::new(
        Format::Rgb,
        size,
        [(sheet, stride), (&mut [], 0), (&mut [], 0)],
    );
    draw_text(
        &mut canvas,
        text.chars(),
        (x, y),
        CAPTION_SCALE,
        INK,
        Rect::from_size(size),
    );
}
