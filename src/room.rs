//! The live room (SPEC §2, §3): who is present, the slot list with its
//! vacancies, the waiting queue, cameras on and off, and the screen sharers in
//! the order they started.
//!
//! Every present user's camera is in exactly one place: a slot, the waiting
//! queue, or its pinned place (the main window or a custom pane that names
//! the user). Screens are extra. A rejected event leaves the room unchanged:
//! each event is checked in full before anything is changed.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use crate::error::{EventError, Rejection};
use crate::event::{Action, Event};
use crate::geometry::SourceSize;
use crate::job::{Job, Replacement, check_name};
use crate::layout::{Layout, Placeholder};
use crate::template::Stream;

/// Most users present in one room at once (SPEC §8).
pub const MAX_PRESENT_USERS: usize = 10_000;

/// Index of a present user in the room's table. Valid until the user leaves.
pub(crate) type Key = u32;

/// A present user.
#[derive(Clone, Debug)]
pub(crate) struct Member {
    pub(crate) id: Arc<str>,
    /// The user's `name`, else the id (the same allocation, not a copy).
    pub(crate) label: Arc<str>,
    pub(crate) placeholder: Placeholder,
    pub(crate) camera: Option<SourceSize>,
    pub(crate) video: bool,
    /// `Some` while sharing: the screen's size, if known.
    pub(crate) screen: Option<Option<SourceSize>>,
    camera_pinned: bool,
}

/// Where a present user's camera is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// In slot `n` of the slot list (from 0).
    Slot(usize),
    /// Waiting at position `n` of the queue (from 0).
    Waiting(usize),
    /// In its pinned place.
    Pinned,
    /// Nowhere: the job is audio-only and has no places.
    Unplaced,
}

/// A room following one job: apply events, then ask for the layout.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use std::sync::Arc;
/// use mixlayout::{Action, Event, Job, Room};
/// let job = Job::from_json(br#"{"room_id": "r", "encode_template": "1920x1080_30_4620",
///     "layout_template": "nine_grids_view"}"#)?;
/// let mut room = Room::new(Arc::new(job));
/// for id in ["a", "b", "c", "d"] {
///     room.apply(&Event::join(id, None))?;
/// }
/// room.apply(&Event::new("b", Action::Leave))?;
/// // Three users still need a 2x2 grid: b's slot stays vacant until the
/// // next joiner takes it.
/// assert_eq!(room.slots().collect::<Vec<_>>(), [Some("a"), None, Some("c"), Some("d")]);
/// room.apply(&Event::join("e", None))?;
/// assert_eq!(room.slots().collect::<Vec<_>>(), [Some("a"), Some("e"), Some("c"), Some("d")]);
/// assert_eq!(room.layout().tiles.len(), 4);
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Room {
    job: Arc<Job>,
    /// Table of users; `None` entries are free and listed in `free`.
    members: Vec<Option<Member>>,
    free: Vec<Key>,
    by_id: HashMap<Arc<str>, Key>,
    pub(crate) slots: Vec<Option<Key>>,
    pub(crate) queue: VecDeque<Key>,
    /// Sharers, earliest first.
    pub(crate) sharers: Vec<Key>,
    /// For each pin of the template, the present user it names.
    pub(crate) pinned: Vec<Option<Key>>,
}

impl Room {
    /// An empty room for `job`.
    pub fn new(job: Arc<Job>) -> Room {
        let pins = job.template().map_or(0, |t| t.pins().len());
        Room {
            job,
            members: Vec::new(),
            free: Vec::new(),
            by_id: HashMap::new(),
            slots: Vec::new(),
            queue: VecDeque::new(),
            sharers: Vec::new(),
            pinned: vec![None; pins],
        }
    }

    /// The job the room follows.
    pub fn job(&self) -> &Job {
        &self.job
    }

    /// Number of present users.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// True when nobody is present.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// True when `user_id` is present.
    pub fn contains(&self, user_id: &str) -> bool {
        self.by_id.contains_key(user_id)
    }

    /// The slot list: the user id in each slot, `None` for a vacancy.
    pub fn slots(&self) -> impl ExactSizeIterator<Item = Option<&str>> + '_ {
        self.slots.iter().map(|s| s.map(|k| &*self.member(k).id))
    }

    /// The waiting queue, in join order.
    pub fn waiting(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.queue.iter().map(|&k| &*self.member(k).id)
    }

    /// The users sharing a screen, earliest first.
    pub fn sharers(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.sharers.iter().map(|&k| &*self.member(k).id)
    }

    /// Where `user_id`'s camera is, or `None` if the user is absent.
    pub fn place_of(&self, user_id: &str) -> Option<Place> {
        let key = *self.by_id.get(user_id)?;
        if self.job.template().is_none() {
            return Some(Place::Unplaced);
        }
        if self.member(key).camera_pinned {
            return Some(Place::Pinned);
        }
        if let Some(i) = self.slots.iter().position(|&s| s == Some(key)) {
            return Some(Place::Slot(i));
        }
        self.queue
            .iter()
            .position(|&k| k == key)
            .map(Place::Waiting)
    }

    /// Applies one event, or rejects it and leaves the room unchanged.
    pub fn apply(&mut self, event: &Event) -> Result<(), Rejection> {
        let id = event.user_id.as_str();
        let key = match (event.action, self.by_id.get(id)) {
            (Action::Join { video, camera }, None) => return self.join(id, video, camera),
            (Action::Join { .. }, Some(_)) => return Err(Rejection::AlreadyPresent(id.to_owned())),
            (_, None) => return Err(Rejection::Absent(id.to_owned())),
            (_, Some(&key)) => key,
        };
        match event.action {
            // Joins were answered above.
            Action::Join { .. } => {}
            Action::Leave => self.leave(key),
            Action::VideoOff => self.member_mut(key).video = false,
            Action::VideoOn { camera } => {
                let m = self.member_mut(key);
                if !m.video {
                    m.video = true;
                    m.camera = camera.or(m.camera);
                }
            }
            Action::Resize {
                stream: Stream::Camera,
                size,
            } => self.member_mut(key).camera = Some(size),
            Action::Resize {
                stream: Stream::Screen,
                size,
            } => match &mut self.member_mut(key).screen {
                Some(screen) => *screen = Some(size),
                None => return Err(Rejection::NotSharing(id.to_owned())),
            },
            Action::ScreenStart { screen } => {
                let fallback = self.job.user_info(id).and_then(|u| u.screen);
                let m = self.member_mut(key);
                match &mut m.screen {
                    Some(size) => *size = screen.or(*size),
                    None => {
                        m.screen = Some(screen.or(fallback));
                        self.sharers.push(key);
                    }
                }
            }
            Action::ScreenStop => {
                if self.member_mut(key).screen.take().is_none() {
                    return Err(Rejection::NotSharing(id.to_owned()));
                }
                self.sharers.retain(|&k| k != key);
            }
        }
        Ok(())
    }

    /// Applies events in order; stops at the first rejected one and names it
    /// by its 0-based index. The events before it stay applied.
    pub fn apply_all<'e>(
        &mut self,
        events: impl IntoIterator<Item = &'e Event>,
    ) -> Result<(), EventError> {
        for (index, event) in events.into_iter().enumerate() {
            self.apply(event)
                .map_err(|rejection| EventError { index, rejection })?;
        }
        Ok(())
    }

    /// The layout of the room as it is now.
    pub fn layout(&self) -> Layout {
        let mut layout = Layout::default();
        self.layout_into(&mut layout);
        layout
    }

    /// Computes the layout into `layout`, reusing its storage: once `layout`
    /// has held a layout of this size, this allocates nothing.
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
    pub fn layout_into(&self, layout: &mut Layout) {
        crate::layout::compute_into(self, layout);
    }

    #[inline]
    pub(crate) fn member(&self, key: Key) -> &Member {
        self.members[key as usize]
            .as_ref()
            .expect("keys in slots, queue, sharers and pins are present users")
    }

    fn member_mut(&mut self, key: Key) -> &mut Member {
        self.members[key as usize]
            .as_mut()
            .expect("keys of by_id are present users")
    }

    fn join(&mut self, id: &str, video: bool, camera: Option<SourceSize>) -> Result<(), Rejection> {
        check_name(id).map_err(|p| Rejection::Malformed {
            field: "user_id".into(),
            message: p.to_string(),
        })?;
        if self.by_id.len() >= MAX_PRESENT_USERS {
            return Err(Rejection::RoomFull(MAX_PRESENT_USERS));
        }
        let info = self.job.user_info(id);
        let id: Arc<str> = Arc::from(id);
        let template = self.job.template();
        let member = Member {
            label: info
                .and_then(|u| u.name.clone())
                .unwrap_or_else(|| id.clone()),
            placeholder: self.job.placeholder_for(&id),
            camera: camera.or(info.and_then(|u| u.camera)),
            video,
            screen: None,
            camera_pinned: template.is_some_and(|t| t.pins_camera_of(&id)),
            id: id.clone(),
        };
        let key = match self.free.pop() {
            Some(k) => {
                self.members[k as usize] = Some(member);
                k
            }
            None => {
                self.members.push(Some(member));
                (self.members.len() - 1) as Key
            }
        };
        self.by_id.insert(id.clone(), key);
        let Some(template) = template else {
            return Ok(());
        };
        for (pin, slot) in template.pins().iter().zip(&mut self.pinned) {
            if pin.user_id == id {
                *slot = Some(key);
            }
        }
        if self.member(key).camera_pinned {
            return Ok(());
        }
        if let Some(vacancy) = self.slots.iter_mut().find(|s| s.is_none()) {
            *vacancy = Some(key);
        } else if self.slots.len() < template.capacity() {
            self.slots.push(Some(key));
        } else {
            self.queue.push_back(key);
        }
        Ok(())
    }

    fn leave(&mut self, key: Key) {
        let member = self.members[key as usize]
            .take()
            .expect("keys of by_id are present users");
        self.by_id.remove(&member.id);
        self.free.push(key);
        if member.screen.is_some() {
            self.sharers.retain(|&k| k != key);
        }
        for pinned in &mut self.pinned {
            if *pinned == Some(key) {
                *pinned = None;
            }
        }
        if let Some(i) = self.slots.iter().position(|&s| s == Some(key)) {
            self.free_slot(i);
        } else if let Some(i) = self.queue.iter().position(|&k| k == key) {
            self.queue.remove(i);
        }
    }

    /// SPEC §3: what happens to slot `i` when its user leaves.
    fn free_slot(&mut self, i: usize) {
        match self.job.replacement() {
            Replacement::Compact => {
                self.slots.remove(i);
                if let Some(head) = self.queue.pop_front() {
                    self.slots.push(Some(head));
                }
            }
            Replacement::FillVacancy => {
                self.slots[i] = self.queue.pop_front();
                while self.slots.last() == Some(&None) {
                    self.slots.pop();
                }
                let template = self
                    .job
                    .template()
                    .expect("slots exist only with a template");
                let filled = self.slots.iter().filter(|s| s.is_some()).count();
                if template.size_class(filled) < template.size_class(self.slots.len()) {
                    self.slots.retain(Option::is_some);
                }
            }
        }
    }
}
