//! The output (§6): for every tile, which user and stream, the pixel
//! rectangle, how the source is fitted, and what fills the rest; plus the
//! waiting queue and the active speaker.
//!
//! [`Room::layout_into`] recomputes into a caller-owned [`Layout`]: tiles are
//! overwritten in place and shared strings are only re-pointed when they
//! change, so a warm recomputation allocates nothing and touches no
//! reference count for tiles that did not change. [`changes`] says what
//! changed between two layouts, for compositors that keep their pads.

mod changes;

use std::sync::Arc;

#[cfg(feature = "serde")]
pub use changes::ChangesJson;
pub use changes::{Change, ChangeKey, changes_into};

use crate::fit::{Fit, MaxCrop, Placement, place, rescale_crop};
use crate::geometry::{Rect, Size};
use crate::job::{Background, Placeholder, TemplateKind};
use crate::room::{Member, Room, Slot};
use crate::source::{SourceSize, Stream};
use crate::template::{MainSource, PaneSource, Template};
use crate::words::wire_words;

/// The picture of a room at one instant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Layout {
    /// The canvas; `None` for an `audio_only` job.
    pub canvas: Option<Size>,
    /// The template's name (`None` for an audio-only job without one).
    pub template: Option<TemplateKind>,
    /// What the canvas shows where no tile is.
    pub background: Background,
    /// Tiles in drawing order.
    pub tiles: Vec<Tile>,
    /// Users waiting for a place, in queue order.
    pub waiting: Vec<Arc<str>>,
    /// The active speaker's user id, or `None`.
    pub speaker: Option<Arc<str>>,
}

/// One place on the canvas.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
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
    /// What an `audio_only` or `held` tile shows.
    pub placeholder: Option<Placeholder>,
    /// Pane `zorder`, else 0.
    pub z: u8,
}

impl Tile {
    /// Where a picture of `size` goes in this tile, for a compositor whose
    /// decoded frame may not have the size the layout knew (§7): the
    /// layout's `source_crop` stands when the frame has the known size, and
    /// is scaled to the frame otherwise; with no known size the frame is
    /// placed by its own (with `max_crop` for `cover`). `content` is where it
    /// lands on the canvas.
    ///
    /// ```
    /// # #[cfg(feature = "serde")] {
    /// use std::sync::Arc;
    /// use mixlayout::{Event, Job, MaxCrop, Rect, Room, SourceSize};
    /// let job = Job::from_json(br#"{"room_id": "r", "encode_template": "640x360_30_500",
    ///     "layout_template": "nine_grids_view"}"#)?;
    /// let mut room = Room::new(Arc::new(job));
    /// room.apply(&Event::join("u1", SourceSize::new(640, 480)))?;
    /// let tile = &room.layout().tiles[0];
    /// assert_eq!(tile.source_crop, Some(Rect::new(0, 60, 640, 360)));
    /// // The layout knew 640x480; the decoder delivers 1280x960: the crop doubles.
    /// let p = tile.place_picture(SourceSize::new(1280, 960).unwrap(), MaxCrop::NONE);
    /// assert_eq!(p.source_crop, Some(Rect::new(0, 120, 1280, 720)));
    /// assert_eq!(p.content, tile.content);
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn place_picture(&self, size: SourceSize, max_crop: MaxCrop) -> Placement {
        match self.source_crop {
            Some(crop) => Placement {
                content: self.content,
                source_crop: Some(rescale_crop(crop, self.fit, size)),
            },
            None => place(self.fit, self.rect, Some(size), max_crop),
        }
    }
}

wire_words! {
    /// Kinds of place.
    pub enum Role {
        /// A `nine_grids_view` cell.
        Grid = "grid",
        /// The screen-share main window.
        Main = "main",
        /// A screen-share small tile.
        Small = "small",
        /// A custom pane.
        Pane = "pane",
    }
}

wire_words! {
    /// What a tile shows.
    pub enum TileKind {
        /// A camera or screen picture.
        Video = "video",
        /// A user without video: the placeholder.
        AudioOnly = "audio_only",
        /// Nobody: just the tile's fill.
        Empty = "empty",
        /// A slot held for a user who left: their placeholder.
        Held = "held",
    }
}

/// Who or what fills a place.
enum Occupant<'r> {
    Camera(&'r Member),
    Screen(&'r Member),
    Held(&'r Member),
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

impl<'r> From<Slot<'r>> for Occupant<'r> {
    #[inline]
    fn from(slot: Slot<'r>) -> Self {
        match slot {
            Slot::Vacant => Occupant::NOBODY,
            Slot::Taken(m) => Occupant::Camera(m),
            Slot::Held(m) => Occupant::Held(m),
        }
    }
}

/// Writes tiles over the previous ones, so that their storage is reused.
struct Tiles<'a> {
    tiles: &'a mut Vec<Tile>,
    len: usize,
    max_crop: MaxCrop,
}

impl Tiles<'_> {
    // Always inlined: the layout is computed in one loop per template, and
    // a call per tile costs a third of its time.
    #[inline(always)]
    fn put(&mut self, role: Role, slot: u32, z: u8, rect: Rect, fit: Fit, occupant: Occupant<'_>) {
        let (user_id, label, stream, kind, source, placeholder) = match occupant {
            Occupant::Camera(m) if m.video() => (
                Some(m.id()),
                Some(m.label()),
                Some(Stream::Camera),
                TileKind::Video,
                m.camera(),
                None,
            ),
            Occupant::Camera(m) => (
                Some(m.id()),
                Some(m.label()),
                Some(Stream::Camera),
                TileKind::AudioOnly,
                None,
                Some(m.placeholder()),
            ),
            Occupant::Held(m) => (
                Some(m.id()),
                Some(m.label()),
                Some(Stream::Camera),
                TileKind::Held,
                None,
                Some(m.placeholder()),
            ),
            Occupant::Screen(m) => (
                Some(m.id()),
                Some(m.label()),
                Some(Stream::Screen),
                TileKind::Video,
                m.screen(),
                None,
            ),
            Occupant::Empty { user_id, stream } => {
                (user_id, None, stream, TileKind::Empty, None, None)
            }
        };
        // Only a video tile places a picture (§6).
        let placement = match kind {
            TileKind::Video => place(fit, rect, source, self.max_crop),
            _ => Placement {
                content: rect,
                source_crop: None,
            },
        };
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

    /// Mirrors the tiles written since `from` (§4.3's right template).
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

/// Brings `waiting` to the room's queue. A queue mostly changes by a few
/// users leaving it, joining it or swapping places, and everyone after
/// shifts: those are removals, insertions and replacements here, so the
/// reference counts of the others are not touched (with hundreds waiting,
/// that would be most of the work).
fn refresh_waiting(waiting: &mut Vec<Arc<str>>, room: &Room) {
    let mut queue = room.waiting().map(Member::id).peekable();
    let mut i = 0;
    while let Some(id) = queue.next() {
        match waiting.get(i) {
            Some(old) if Arc::ptr_eq(old, id) => {}
            // The next user here was this one: the old one left.
            Some(_) if waiting.get(i + 1).is_some_and(|next| Arc::ptr_eq(next, id)) => {
                waiting.remove(i);
            }
            // The old one comes next in the queue: this one is new here.
            Some(old) if queue.peek().is_some_and(|&next| Arc::ptr_eq(old, next)) => {
                waiting.insert(i, id.clone());
            }
            Some(_) => waiting[i] = id.clone(),
            None => waiting.push(id.clone()),
        }
        i += 1;
    }
    waiting.truncate(i);
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

impl Room {
    /// The layout of the room as it is now.
    pub fn layout(&self) -> Layout {
        let mut layout = Layout::default();
        self.layout_into(&mut layout);
        layout
    }

    /// Computes the layout into `out`, reusing its storage: once `out` has
    /// held a layout of this size, this allocates nothing.
    ///
    /// ```
    /// # #[cfg(feature = "serde")] {
    /// use std::sync::Arc;
    /// use mixlayout::{Action, Event, Job, Layout, Room, TileKind};
    /// let job = Job::from_json(br#"{"room_id": "r", "encode_template": "1280x720_30_1710",
    ///     "layout_template": "nine_grids_view"}"#)?;
    /// let mut room = Room::new(Arc::new(job));
    /// let mut layout = Layout::default();
    /// for id in ["a", "b"] {
    ///     room.apply(&Event::join(id, None))?;
    ///     room.layout_into(&mut layout); // a compositor does this on every event
    /// }
    /// room.apply(&Event::new("b", Action::VideoOff))?;
    /// room.layout_into(&mut layout);
    /// assert_eq!(layout.tiles[1].kind, TileKind::AudioOnly);
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn layout_into(&self, out: &mut Layout) {
        let job = self.job();
        out.canvas = job.canvas();
        out.template = job.template_kind();
        let bg = job.background();
        out.background.color = bg.color;
        repoint(&mut out.background.image, bg.image.as_ref());
        repoint(&mut out.background.screen_image, bg.screen_image.as_ref());
        repoint(&mut out.speaker, self.speaker().map(Member::id));

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
        let slots = self.slots();
        let count = slots.len();
        match template {
            Template::NineGrids(grids) => {
                let grid = grids.grid(count);
                for (i, slot) in slots.enumerate() {
                    let cell = grid.cell(i, count);
                    tiles.put(Role::Grid, i as u32, 0, cell, Fit::Cover, slot.into());
                }
            }
            Template::ScreenShare(share) => {
                let geometry = share.geometry(count);
                let main = match &share.main {
                    MainSource::Nothing => Occupant::NOBODY,
                    MainSource::Pinned(pin) => self.pinned_occupant(0, &pin.user_id, pin.stream),
                    MainSource::SharedScreen => self.sharer_occupant(0),
                };
                tiles.put(Role::Main, 0, 0, geometry.main(), Fit::Contain, main);
                for (j, slot) in slots.enumerate() {
                    let rect = geometry.small(j);
                    tiles.put(Role::Small, j as u32 + 1, 0, rect, Fit::Cover, slot.into());
                }
                if share.mirrors_after_fit() {
                    tiles.mirror_from(0, canvas.width);
                }
            }
            Template::Custom(custom) => {
                for pane in custom.panes() {
                    let occupant = match pane.source {
                        PaneSource::Pinned(p) => {
                            let pin = &custom.pins()[p];
                            self.pinned_occupant(p, &pin.user_id, pin.stream)
                        }
                        PaneSource::SharedScreen(k) => self.sharer_occupant(k),
                        PaneSource::Free(i) => {
                            self.slot_at(i).map_or(Occupant::NOBODY, Occupant::from)
                        }
                    };
                    tiles.put(Role::Pane, pane.id, pane.z, pane.rect, pane.fit, occupant);
                }
            }
        }
        tiles.finish();

        refresh_waiting(&mut out.waiting, self);
    }

    /// The occupant of pin `index`, fixed to `user_id`'s `stream`: the user's
    /// picture, or an empty place that keeps the user and stream it names.
    fn pinned_occupant<'r>(
        &'r self,
        index: usize,
        user_id: &'r Arc<str>,
        stream: Stream,
    ) -> Occupant<'r> {
        match (self.pinned(index), stream) {
            (Some(m), Stream::Camera) => Occupant::Camera(m),
            (Some(m), Stream::Screen) if m.sharing() => Occupant::Screen(m),
            _ => Occupant::Empty {
                user_id: Some(user_id),
                stream: Some(stream),
            },
        }
    }

    /// The screen of the `k`-th earliest current sharer, or an empty screen
    /// place.
    fn sharer_occupant(&self, k: usize) -> Occupant<'_> {
        match self.sharer(k) {
            Some(m) => Occupant::Screen(m),
            None => Occupant::Empty {
                user_id: None,
                stream: Some(Stream::Screen),
            },
        }
    }
}
