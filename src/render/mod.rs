//! Previews of a layout (§7, feature `render`): the canvas as an 8-bit
//! RGB picture, painted from the drawing plan ([`crate::plan`]) with the
//! users' [`Pictures`], and the storyboard of a timeline.
//!
//! Scaling is a bilinear filter whose support widens when shrinking, so
//! downscaled pictures are antialiased; pictures with an alpha channel are
//! composited over the tile's fill.

mod storyboard;

use image::RgbImage;

pub use storyboard::{STORYBOARD_CELLS, storyboard, timestamp};

use crate::error::JobError;
use crate::geometry::Size;
use crate::job::Job;
use crate::layout::Layout;
use crate::paint::{Canvas, Format, Painter, Painters, PlaneRef, Scene};
use crate::picture::{Picture, Pictures};
use crate::plan::{self, Style, plan_into};

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
/// use mixlayout::picture::Pictures;
/// use mixlayout::render::{render, RenderOptions};
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
    let mut painters = Painters::new(options.threads);
    let backdrop = backdrop(layout, pictures, size, painters.first());
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
    painters.paint(&layers, &scene, canvas);
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
    let layers = plan::backdrop(size, layout.background.color, picture.info().size);
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
