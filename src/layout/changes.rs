//! What changed between two layouts (§9), for a compositor that keeps
//! one input pad per picture and only touches those that change.
//!
//! A tile that shows a user (`video`, `audio_only`, `held`) is keyed by its
//! user and stream, and also by its role and slot when that pair is in more
//! than one tile of its layout; an `empty` tile by its role and slot. Keys
//! that are gone exit, new keys enter, keys whose tile changed are updated,
//! and a change of speaker is said last.

use std::sync::Arc;

use super::{Layout, Role, TileKind};
use crate::source::Stream;

/// What identifies a tile from one layout to the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKey<'a> {
    /// A tile showing a user's stream.
    User {
        /// The user.
        user_id: &'a str,
        /// Their camera or screen.
        stream: Stream,
        /// The tile's role and slot, when the user's stream is in more
        /// than one tile of the layout.
        place: Option<(Role, u32)>,
    },
    /// An empty tile, by its place.
    Place {
        /// The tile's role.
        role: Role,
        /// Its slot.
        slot: u32,
    },
}

impl<'a> ChangeKey<'a> {
    /// The key of tile `index` of `layout`.
    pub fn of(layout: &'a Layout, index: usize) -> Self {
        key(layout, index, shared(layout, index))
    }
}

/// One change between two layouts; indices point into their `tiles`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The key of `old.tiles[old]` is gone.
    Exit {
        /// Index in the previous layout.
        old: usize,
    },
    /// `new.tiles[new]` has a key the previous layout did not have.
    Enter {
        /// Index in the new layout.
        new: usize,
    },
    /// The tile of one key changed.
    Update {
        /// Index in the previous layout.
        old: usize,
        /// Index in the new layout.
        new: usize,
    },
    /// The speaker changed: the new layout's `speaker`.
    Speaker,
}

/// The changes from `old` to `new`, written into `out` (cleared first): exits
/// in `old`'s drawing order, then enters and updates in `new`'s, then the
/// speaker. Tiles that did not change are not mentioned. Allocates nothing
/// once `out` has held as many changes, for layouts of up to 64 tiles.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use std::sync::Arc;
/// use mixlayout::{changes_into, Action, Change, Event, Job, Room};
/// let job = Job::from_json(br#"{"room_id": "r", "encode_template": "1280x720_30_1710",
///     "layout_template": "nine_grids_view"}"#)?;
/// let mut room = Room::new(Arc::new(job));
/// room.apply(&Event::join("a", None))?;
/// let before = room.layout();
/// room.apply(&Event::join("b", None))?;
/// room.apply(&Event::new("b", Action::Speaking))?;
/// let after = room.layout();
/// let mut changes = Vec::new();
/// changes_into(&before, &after, &mut changes);
/// // a's tile shrinks to the left half, b's enters, b speaks.
/// assert_eq!(changes, [Change::Update { old: 0, new: 0 }, Change::Enter { new: 1 }, Change::Speaker]);
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn changes_into(old: &Layout, new: &Layout, out: &mut Vec<Change>) {
    out.clear();
    let (old_keys, new_keys) = (Keys::of(old), Keys::of(new));
    let mut matched = Flags::new(old.tiles.len());
    let find = |j: usize| -> Option<usize> {
        let same = |i: usize| old_keys.same(old, i, &new_keys, new, j);
        // Most tiles keep their index: look there first.
        if j < old.tiles.len() && same(j) {
            return Some(j);
        }
        (0..old.tiles.len()).find(|&i| same(i))
    };
    // Each new tile's match among the old ones, found before any exit is
    // written, so that exits come first; the matches of up to 64 tiles are
    // kept on the stack, more are found again.
    let mut matches = [usize::MAX; 64];
    for j in 0..new.tiles.len() {
        if let Some(i) = find(j) {
            matched.set(i);
            if let Some(m) = matches.get_mut(j) {
                *m = i;
            }
        }
    }
    for i in 0..old.tiles.len() {
        if !matched.get(i) {
            out.push(Change::Exit { old: i });
        }
    }
    for j in 0..new.tiles.len() {
        let i = match matches.get(j) {
            Some(&i) => (i != usize::MAX).then_some(i),
            None => find(j),
        };
        match i {
            None => out.push(Change::Enter { new: j }),
            Some(i) if old.tiles[i] != new.tiles[j] => out.push(Change::Update { old: i, new: j }),
            Some(_) => {}
        }
    }
    if old.speaker != new.speaker {
        out.push(Change::Speaker);
    }
}

/// The key of tile `i`, given whether its user and stream are shared with
/// another tile of the layout.
#[inline]
fn key(layout: &Layout, i: usize, shared: bool) -> ChangeKey<'_> {
    let t = &layout.tiles[i];
    match (shows_user(layout, i), t.user_id.as_deref(), t.stream) {
        (true, Some(user_id), Some(stream)) => ChangeKey::User {
            user_id,
            stream,
            place: shared.then_some((t.role, t.slot)),
        },
        _ => ChangeKey::Place {
            role: t.role,
            slot: t.slot,
        },
    }
}

#[inline]
fn shows_user(layout: &Layout, i: usize) -> bool {
    layout.tiles[i].kind != TileKind::Empty
}

/// True when another tile of `layout` shows the same user and stream as
/// tile `i`.
fn shared(layout: &Layout, i: usize) -> bool {
    let t = &layout.tiles[i];
    shows_user(layout, i)
        && layout.tiles.iter().enumerate().any(|(j, u)| {
            j != i && shows_user(layout, j) && u.user_id == t.user_id && u.stream == t.stream
        })
}

/// The keys of a layout's tiles: a hash of each tile's user and stream (or
/// place), so that keys compare as numbers first, and which tiles share
/// their user and stream with another.
struct Keys {
    hashes: Hashes,
    shared: Flags,
}

/// Hashes on the stack for up to 64 tiles.
// Large on purpose: computing changes allocates nothing.
#[allow(clippy::large_enum_variant)]
enum Hashes {
    Few([u64; 64]),
    Many(Vec<u64>),
}

impl Keys {
    fn of(layout: &Layout) -> Keys {
        let n = layout.tiles.len();
        let mut hashes = if n <= 64 {
            Hashes::Few([0; 64])
        } else {
            Hashes::Many(vec![0; n])
        };
        let slice = match &mut hashes {
            Hashes::Few(h) => &mut h[..n],
            Hashes::Many(h) => &mut h[..],
        };
        for (i, h) in slice.iter_mut().enumerate() {
            *h = hash(layout, i);
        }
        let mut shared = Flags::new(n);
        // Only tiles of equal hashes can share their user and stream, and
        // sorted hashes show at once whether any are equal (they seldom are).
        let mut sorted = [0u64; 64];
        let collide = if n <= 64 {
            sorted[..n].copy_from_slice(slice);
            sorted[..n].sort_unstable();
            sorted[..n].windows(2).any(|w| w[0] == w[1])
        } else {
            true
        };
        if collide {
            for i in 0..n {
                let candidate = (0..n).any(|j| j != i && slice[j] == slice[i]);
                if candidate && self::shared(layout, i) {
                    shared.set(i);
                }
            }
        }
        Keys { hashes, shared }
    }

    #[inline]
    fn hash(&self, i: usize) -> u64 {
        match &self.hashes {
            Hashes::Few(h) => h[i],
            Hashes::Many(h) => h[i],
        }
    }

    /// True when tile `i` of `layout` (these keys') and tile `j` of
    /// `other` have the same key.
    #[inline]
    fn same(
        &self,
        layout: &Layout,
        i: usize,
        other: &Keys,
        other_layout: &Layout,
        j: usize,
    ) -> bool {
        if self.hash(i) != other.hash(j) {
            return false;
        }
        let (a, b) = (&layout.tiles[i], &other_layout.tiles[j]);
        let (shared_a, shared_b) = (self.shared.get(i), other.shared.get(j));
        match (shows_user(layout, i), shows_user(other_layout, j)) {
            (true, true) => {
                // One user's tiles share one id: compare pointers first.
                let user = match (&a.user_id, &b.user_id) {
                    (Some(x), Some(y)) => Arc::ptr_eq(x, y) || x == y,
                    (x, y) => x == y,
                };
                user && a.stream == b.stream
                    && shared_a == shared_b
                    && (!shared_a || (a.role, a.slot) == (b.role, b.slot))
            }
            (false, false) => (a.role, a.slot) == (b.role, b.slot),
            _ => false,
        }
    }
}

/// FNV-1a of a tile's user id and stream, or of its place when it shows
/// nobody.
#[inline]
fn hash(layout: &Layout, i: usize) -> u64 {
    let t = &layout.tiles[i];
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    match (shows_user(layout, i), t.user_id.as_deref(), t.stream) {
        (true, Some(user), Some(stream)) => {
            user.bytes().for_each(&mut eat);
            eat(stream as u8);
        }
        _ => {
            eat(0xff);
            eat(t.role as u8);
            t.slot.to_le_bytes().into_iter().for_each(&mut eat);
        }
    }
    h
}

/// A set of tile indices: a word for up to 64 tiles, a vector beyond.
enum Flags {
    Word(u64),
    Many(Vec<bool>),
}

impl Flags {
    fn new(len: usize) -> Flags {
        if len <= 64 {
            Flags::Word(0)
        } else {
            Flags::Many(vec![false; len])
        }
    }

    #[inline]
    fn get(&self, i: usize) -> bool {
        match self {
            Flags::Word(w) => w & (1 << i) != 0,
            Flags::Many(v) => v[i],
        }
    }

    #[inline]
    fn set(&mut self, i: usize) {
        match self {
            Flags::Word(w) => *w |= 1 << i,
            Flags::Many(v) => v[i] = true,
        }
    }
}

/// Changes as §9's JSON: `{"op": "enter", "tile": T}`,
/// `{"op": "exit", "key": K}`, `{"op": "update", "tile": T}` and
/// `{"op": "speaker", "speaker": ID or null}`.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug)]
pub struct ChangesJson<'a> {
    /// The layout the changes start from.
    pub previous: &'a Layout,
    /// The layout they lead to.
    pub layout: &'a Layout,
    /// The changes, from [`changes_into`].
    pub changes: &'a [Change],
}

#[cfg(feature = "serde")]
impl serde::Serialize for ChangesJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};

        struct Op<'a>(&'a ChangesJson<'a>, Change);

        impl serde::Serialize for Op<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let Op(c, change) = self;
                let mut map = serializer.serialize_map(Some(2))?;
                match *change {
                    Change::Exit { old } => {
                        map.serialize_entry("op", "exit")?;
                        map.serialize_entry("key", &ChangeKey::of(c.previous, old))?;
                    }
                    Change::Enter { new } => {
                        map.serialize_entry("op", "enter")?;
                        map.serialize_entry("tile", &c.layout.tiles[new])?;
                    }
                    Change::Update { new, .. } => {
                        map.serialize_entry("op", "update")?;
                        map.serialize_entry("tile", &c.layout.tiles[new])?;
                    }
                    Change::Speaker => {
                        map.serialize_entry("op", "speaker")?;
                        map.serialize_entry("speaker", &c.layout.speaker)?;
                    }
                }
                map.end()
            }
        }

        let mut seq = serializer.serialize_seq(Some(self.changes.len()))?;
        for &change in self.changes {
            seq.serialize_element(&Op(self, change))?;
        }
        seq.end()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ChangeKey<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        match *self {
            ChangeKey::User {
                user_id,
                stream,
                place,
            } => {
                map.serialize_entry("user_id", user_id)?;
                map.serialize_entry("stream", &stream)?;
                if let Some((role, slot)) = place {
                    map.serialize_entry("role", &role)?;
                    map.serialize_entry("slot", &slot)?;
                }
            }
            ChangeKey::Place { role, slot } => {
                map.serialize_entry("role", &role)?;
                map.serialize_entry("slot", &slot)?;
            }
        }
        map.end()
    }
}
