//! The output (SPEC §6): for every tile, which user and stream, the pixel
//! rectangle, how the source is fitted, and what fills the rest; plus the
//! waiting queue.
//!
//! [`Room::layout_into`] recomputes into a caller-owned [`Layout`]: tiles are
//! overwritten in place and shared strings are only re-pointed when they
//! change, so a warm recomputation allocates nothing and touches no
//! reference count for tiles that did not change.

use std::sync::Arc;

use crate::color::Rgb;
use crate::fit::{Fit, MaxCrop, Placement, place};
use crate::geometry::{Rect, Size, SourceSize};
use crate::room::{Member, Room};
use crate::template::{MainSource, PaneSource, Side, Stream, Template, TemplateKind};

/// The picture of a room at one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Layout {
    /// The canvas; `None` for an `audio_only` job.
    pub canvas: Option<Size>,
    /// The template's name (`None` for an audio-only job without one).
    pub template: Option<TemplateKind>,
    /// What the canvas shows where no tile is.
    pub background: Background,
    /// Tiles in drawing order.
    pub tiles: Vec<Tile>,
    /// Users waiting for a place, in join order.
    pub waiting: Vec<Arc<str>>,
    /// The active speaker's user id (SPEC §6), or `None`.
    pub speaker: Option<Arc<str>>,
}

/// Background colour and images of the canvas.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Background {
    /// `layout_options.background_color`.
    pub color: Rgb,
    /// `background_image`, scaled to cover the canvas.
    pub image: Option<Arc<str>>,
    /// `screen_background_image`, behind the main window.
    #[cfg_attr(feature = "serde", serde(rename = "screen_image"))]
    pub screen_image: Option<Arc<str>>,
}

/// One place on the canvas.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Tile {
    /// Which kind of place it is.
    pub role: Role,
    /// Slot index (grid), 0 (main window), 1.. (small tiles), or pane id.
    pub slot: u32,
    /// The user shown, or named by the place.
    pub user_id: Option<Arc<str>>,
    /// The user's name, else id; `None` on empty tiles.
    pub label: Option<Arc<str>>,
    /// Which of the user's pictures.
    pub stream: Option<Stream>,
    /// What the tile shows.
    pub kind: TileKind,
    /// The tile on the canvas.
    pub rect: Rect,
    /// The place's fit.
    pub fit: Fit,
    /// Where the picture lands inside `rect`.
    pub content: Rect,
    /// The part of the source shown, in source pixels; `None` when the
    /// source size is unknown or there is no picture.
    pub source_crop: Option<Rect>,
    /// What an `audio_only` tile shows.
    pub placeholder: Option<Placeholder>,
    /// Pane `zorder`, else 0.
    pub z: u8,
}

impl Tile {
    /// Where a picture of `size` goes in this tile, for a compositor whose
    /// decoded frame may not have the size the layout knew (SPEC §7): the
    /// layout's `source_crop` stands when the frame has the known size, and
    /// is scaled to the frame otherwise; with no known size the frame is
    /// placed by its own (with `max_crop` for `cover`). `content` is where it
    /// lands on the canvas.
    ///
    /// ```
    /// use mixlayout::{Fit, MaxCrop, Placement, Rect, Role, SourceSize, Tile, TileKind};
    /// let tile = Tile {
    ///     role: Role::Grid, slot: 0, user_id: Some("u1".into()), label: Some("u1".into()),
    ///     stream: Some(mixlayout::Stream::Camera), kind: TileKind::Video,
    ///     rect: Rect::new(0, 0, 640, 360), fit: Fit::Cover, content: Rect::new(0, 0, 640, 360),
    ///     source_crop: Some(Rect::new(0, 60, 640, 360)), placeholder: None, z: 0,
    /// };
    /// // The layout knew 640x480; the decoder delivers 1280x960: the crop doubles.
    /// let p = tile.place_picture(SourceSize::new(1280, 960).unwrap(), MaxCrop::NONE);
    /// assert_eq!(p.source_crop, Some(Rect::new(0, 120, 1280, 720)));
    /// assert_eq!(p.content, tile.content);
    /// ```
    pub fn place_picture(&self, size: SourceSize, max_crop: MaxCrop) -> Placement {
        match self.source_crop {
            Some(crop) => Placement {
                content: self.content,
                source_crop: Some(scale_crop(crop, self.fit, size)),
            },
            None => place(self.fit, self.rect, Some(size), max_crop),
        }
    }
}

/// The crop of a picture of `size` matching `crop`, which the layout computed
/// for the size it knew. When the picture has that size (the crop is inside
/// it and centred as SPEC §5 centres it) the crop stands; otherwise it is
/// scaled to the picture, the known size being the crop plus its margins.
fn scale_crop(crop: Rect, fit: Fit, size: SourceSize) -> Rect {
    let (pw, ph) = (size.width(), size.height());
    let known_w = crop.width + 2 * crop.x;
    let known_h = crop.height + 2 * crop.y;
    let fits =
        |known: u32, actual: u32| actual == known || (fit == Fit::Cover && actual == known + 1);
    if fits(known_w, pw) && fits(known_h, ph) {
        return crop;
    }
    let scale = |v: u32, actual: u32, known: u32| {
        (u64::from(v) * u64::from(actual) / u64::from(known.max(1))) as u32
    };
    let (x, w) = (
        scale(crop.x, pw, known_w),
        scale(crop.width, pw, known_w).max(1),
    );
    let (y, h) = (
        scale(crop.y, ph, known_h),
        scale(crop.height, ph, known_h).max(1),
    );
    Rect::new(
        x.min(pw - 1),
        y.min(ph - 1),
        w.min(pw - x.min(pw - 1)),
        h.min(ph - y.min(ph - 1)),
    )
}

/// Kinds of place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Role {
    /// A `nine_grids_view` cell.
    Grid,
    /// The screen-share main window.
    Main,
    /// A screen-share small tile.
    Small,
    /// A custom pane.
    Pane,
}

/// What a tile shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TileKind {
    /// A camera or screen picture.
    Video,
    /// A user without video: the placeholder.
    AudioOnly,
    /// Nobody: just the tile's fill.
    Empty,
}

/// The picture of a user without video.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Placeholder {
    /// An image reference, covering the tile.
    Image(Arc<str>),
    /// A flat colour (`placeholder_color`).
    Color(Rgb),
}

/// Who or what fills a place.
enum Occupant<'r> {
    Camera(&'r Member),
    Screen(&'r Member),
    Empty {
        user_id: Option<&'r Arc<str>>,
        stream: Option<Stream>,
    },
}

impl Occupant<'static> {
    /// A vacant place that names no user or stream.
    const NOBODY: Self = Occupant::Empty {
        user_id: None,
        stream: None,
    };
}

/// Writes tiles over the previous ones, so that their storage is reused.
struct Tiles<'a> {
    tiles: &'a mut Vec<Tile>,
    len: usize,
    max_crop: MaxCrop,
}

impl Tiles<'_> {
    #[inline]
    fn put(&mut self, role: Role, slot: u32, z: u8, rect: Rect, fit: Fit, occupant: Occupant<'_>) {
        let (user_id, label, stream, kind, source, placeholder) = match occupant {
            Occupant::Camera(m) if m.video => (
                Some(&m.id),
                Some(&m.label),
                Some(Stream::Camera),
                TileKind::Video,
                m.camera,
                None,
            ),
            Occupant::Camera(m) => (
                Some(&m.id),
                Some(&m.label),
                Some(Stream::Camera),
                TileKind::AudioOnly,
                None,
                Some(&m.placeholder),
            ),
            Occupant::Screen(m) => (
                Some(&m.id),
                Some(&m.label),
                Some(Stream::Screen),
                TileKind::Video,
                m.screen.flatten(),
                None,
            ),
            Occupant::Empty { user_id, stream } => {
                (user_id, None, stream, TileKind::Empty, None, None)
            }
        };
        let placement = place(fit, rect, source, self.max_crop);
        // A new tile starts without strings; the writes below then fill it
        // exactly as they refresh a reused one.
        if self.len == self.tiles.len() {
            self.tiles.push(Tile {
                role,
                slot,
                user_id: None,
                label: None,
                stream,
                kind,
                rect,
                fit,
                content: placement.content,
                source_crop: placement.source_crop,
                placeholder: None,
                z,
            });
        }
        let tile = &mut self.tiles[self.len];
        self.len += 1;
        tile.role = role;
        tile.slot = slot;
        repoint(&mut tile.user_id, user_id);
        repoint(&mut tile.label, label);
        tile.stream = stream;
        tile.kind = kind;
        tile.rect = rect;
        tile.fit = fit;
        tile.content = placement.content;
        tile.source_crop = placement.source_crop;
        if tile.placeholder.as_ref() != placeholder {
            tile.placeholder = placeholder.cloned();
        }
        tile.z = z;
    }

    /// Mirrors the tiles written since `from` (SPEC §4.3's right template).
    #[inline]
    fn mirror_from(&mut self, from: usize, canvas_width: u32) {
        for tile in &mut self.tiles[from..self.len] {
            tile.rect = tile.rect.mirrored(canvas_width);
            tile.content = tile.content.mirrored(canvas_width);
        }
    }

    fn finish(self) {
        self.tiles.truncate(self.len);
    }
}

/// Points `slot` at `new`, touching the reference counts only on change.
#[inline]
fn repoint(slot: &mut Option<Arc<str>>, new: Option<&Arc<str>>) {
    let same = match (slot.as_ref(), new) {
        (Some(old), Some(new)) => Arc::ptr_eq(old, new),
        (None, None) => true,
        _ => false,
    };
    if !same {
        *slot = new.cloned();
    }
}

/// The layout of `room` into `out` (see [`Room::layout_into`]).
pub(crate) fn compute_into(room: &Room, out: &mut Layout) {
    let job = room.job();
    out.canvas = job.canvas();
    out.template = job.template_kind();
    let bg = job.background();
    out.background.color = bg.color;
    repoint(&mut out.background.image, bg.image.as_ref());
    repoint(&mut out.background.screen_image, bg.screen_image.as_ref());

    let mut tiles = Tiles {
        tiles: &mut out.tiles,
        len: 0,
        max_crop: job.max_crop(),
    };
    let (Some(template), Some(canvas)) = (job.template(), job.canvas()) else {
        tiles.finish();
        out.waiting.clear();
        return;
    };
    let slot_occupant = |slot: Option<u32>| match slot {
        Some(key) => Occupant::Camera(room.member(key)),
        None => Occupant::NOBODY,
    };
    match template {
        Template::NineGrids(grids) => {
            let grid = grids.grid(room.slots.len());
            for (i, &slot) in room.slots.iter().enumerate() {
                let cell = grid.cell(i);
                tiles.put(
                    Role::Grid,
                    i as u32,
                    0,
                    cell,
                    Fit::Cover,
                    slot_occupant(slot),
                );
            }
        }
        Template::ScreenShare(share) => {
            let geometry = share.geometry(room.slots.len());
            let main = match &share.main {
                MainSource::Nothing => Occupant::NOBODY,
                MainSource::Pinned(pin) => pinned_occupant(room, 0, &pin.user_id, pin.stream),
                MainSource::SharedScreen => sharer_occupant(room, 0),
            };
            tiles.put(Role::Main, 0, 0, geometry.main(), Fit::Contain, main);
            for (j, &slot) in room.slots.iter().enumerate() {
                let rect = geometry.small(j);
                tiles.put(
                    Role::Small,
                    j as u32 + 1,
                    0,
                    rect,
                    Fit::Cover,
                    slot_occupant(slot),
                );
            }
            if share.side == Side::Right {
                tiles.mirror_from(0, canvas.width);
            }
        }
        Template::Custom(custom) => {
            for pane in custom.panes() {
                let occupant = match pane.source {
                    PaneSource::Pinned(p) => {
                        let pin = &custom.pins()[p];
                        pinned_occupant(room, p, &pin.user_id, pin.stream)
                    }
                    PaneSource::SharedScreen(k) => sharer_occupant(room, k),
                    PaneSource::Free(i) => slot_occupant(room.slots.get(i).copied().flatten()),
                };
                tiles.put(Role::Pane, pane.id, pane.z, pane.rect, pane.fit, occupant);
            }
        }
    }
    tiles.finish();

    out.waiting.truncate(room.queue.len());
    for (i, &key) in room.queue.iter().enumerate() {
        let id = &room.member(key).id;
        match out.waiting.get_mut(i) {
            Some(old) if Arc::ptr_eq(old, id) => {}
            Some(old) => *old = id.clone(),
            None => out.waiting.push(id.clone()),
        }
    }
}

/// The occupant of pin `index`, fixed to `user_id`'s `stream`: the user's
/// picture, or an empty place that keeps the user and stream it names.
fn pinned_occupant<'r>(
    room: &'r Room,
    index: usize,
    user_id: &'r Arc<str>,
    stream: Stream,
) -> Occupant<'r> {
    let member = room.pinned[index].map(|k| room.member(k));
    match (member, stream) {
        (Some(m), Stream::Camera) => Occupant::Camera(m),
        (Some(m), Stream::Screen) if m.screen.is_some() => Occupant::Screen(m),
        _ => Occupant::Empty {
            user_id: Some(user_id),
            stream: Some(stream),
        },
    }
}

/// The screen of the `k`-th earliest current sharer, or an empty screen place.
fn sharer_occupant(room: &Room, k: usize) -> Occupant<'_> {
    match room.sharers.get(k) {
        Some(&key) => Occupant::Screen(room.member(key)),
        None => Occupant::Empty {
            user_id: None,
            stream: Some(Stream::Screen),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crops_of_the_known_size_stand() {
        let crop = Rect::new(0, 60, 640, 360);
        assert_eq!(
            scale_crop(crop, Fit::Cover, SourceSize::new(640, 480).unwrap()),
            crop
        );
        // An odd remainder puts the extra row at the bottom: 481 rows also fit.
        assert_eq!(
            scale_crop(crop, Fit::Cover, SourceSize::new(640, 481).unwrap()),
            crop
        );
    }

    #[test]
    fn crops_scale_to_a_picture_of_another_size() {
        // Known 640x480, decoded 1280x960: everything doubles.
        let crop = Rect::new(0, 60, 640, 360);
        assert_eq!(
            scale_crop(crop, Fit::Cover, SourceSize::new(1280, 960).unwrap()),
            Rect::new(0, 120, 1280, 720)
        );
        let whole = Rect::new(0, 0, 1920, 1200);
        assert_eq!(
            scale_crop(whole, Fit::Contain, SourceSize::new(960, 600).unwrap()),
            Rect::new(0, 0, 960, 600)
        );
    }
}
