//! The live room (§2, §3): who is present, the slot list with its
//! vacancies and held slots, the waiting queue, cameras on and off, the
//! screen sharers in the order they started, the active speaker, and the
//! room's clock.
//!
//! Every present user's camera is in exactly one place: a slot, the waiting
//! queue, or its pinned place (the main window or a custom pane that names
//! the user). Screens are extra. A rejected event leaves the room unchanged:
//! each event is checked in full before anything is changed. Time is data:
//! the room moves to an instant only when told to, by an event's `at` or by
//! [`Room::advance_to`].

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use crate::error::{EventError, Rejection};
use crate::event::{Action, Event};
use crate::job::{Job, Placeholder, Replacement};
use crate::limits::{MAX_PRESENT_USERS, check_name};
use crate::source::{SourceSize, Stream};

/// Index of a user in the room's table. Valid until the user leaves (or
/// their hold ends).
type Key = u32;

/// A user of the room: present, or holding a slot after leaving.
#[derive(Clone, Debug)]
pub struct Member {
    id: Arc<str>,
    /// The user's `name`, else the id (the same allocation, not a copy).
    label: Arc<str>,
    placeholder: Placeholder,
    camera: Option<SourceSize>,
    video: bool,
    /// `Some` while sharing: the screen's size, if known.
    screen: Option<Option<SourceSize>>,
    camera_pinned: bool,
    /// Recency of the user's latest `speaking` since they joined.
    last_spoke: Option<u64>,
}

impl Member {
    /// The user id.
    pub fn id(&self) -> &Arc<str> {
        &self.id
    }

    /// The label of the user's tiles: their `name`, else their id.
    pub fn label(&self) -> &Arc<str> {
        &self.label
    }

    /// What the user's tile shows without video.
    pub fn placeholder(&self) -> &Placeholder {
        &self.placeholder
    }

    /// True while the camera is on.
    pub fn video(&self) -> bool {
        self.video
    }

    /// The camera's size, if known.
    pub fn camera(&self) -> Option<SourceSize> {
        self.camera
    }

    /// True while the user shares a screen.
    pub fn sharing(&self) -> bool {
        self.screen.is_some()
    }

    /// The shared screen's size, if sharing and known.
    pub fn screen(&self) -> Option<SourceSize> {
        self.screen.flatten()
    }
}

/// A slot of the slot list, as the layout shows it.
#[derive(Clone, Copy, Debug)]
pub enum Slot<'r> {
    /// Nobody: the next joiner takes it.
    Vacant,
    /// A present user's camera.
    Taken(&'r Member),
    /// Held for a user who left and may come back within the reconnect
    /// grace (§3).
    Held(&'r Member),
}

impl<'r> Slot<'r> {
    /// The user of a taken slot, or of a held one.
    pub fn user_id(self) -> Option<&'r str> {
        match self {
            Slot::Vacant => None,
            Slot::Taken(m) | Slot::Held(m) => Some(&m.id),
        }
    }
}

/// A slot in the room's own terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entry {
    Vacant,
    Taken(Key),
    Held(Key),
}

impl Entry {
    fn is_vacant(self) -> bool {
        self == Entry::Vacant
    }
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

/// A slot held by a user who left: until when, in what order it was made.
#[derive(Clone, Copy, Debug)]
struct Hold {
    until: u32,
    key: Key,
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
/// fn ids(room: &Room) -> Vec<Option<&str>> {
///     room.slots().map(|s| s.user_id()).collect()
/// }
/// assert_eq!(ids(&room), [Some("a"), None, Some("c"), Some("d")]);
/// room.apply(&Event::join("e", None))?;
/// assert_eq!(ids(&room), [Some("a"), Some("e"), Some("c"), Some("d")]);
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
    /// Present users.
    by_id: HashMap<Arc<str>, Key>,
    /// Users who left and hold a slot.
    held_by_id: HashMap<Arc<str>, Key>,
    slots: Vec<Entry>,
    queue: VecDeque<Key>,
    /// Sharers, earliest first.
    sharers: Vec<Key>,
    /// For each pin of the template, the present user it names.
    pinned: Vec<Option<Key>>,
    /// Holds by end time, then by leave.
    holds: VecDeque<Hold>,
    speaker: Option<Key>,
    /// The instant the room is at, in ms.
    now: u32,
    /// How many `speaking` events were applied: the next one's recency.
    spoken: u64,
}

impl Room {
    /// An empty room for `job`, at instant 0.
    pub fn new(job: Arc<Job>) -> Room {
        let pins = job.template().map_or(0, |t| t.pins().len());
        Room {
            job,
            members: Vec::new(),
            free: Vec::new(),
            by_id: HashMap::new(),
            held_by_id: HashMap::new(),
            slots: Vec::new(),
            queue: VecDeque::new(),
            sharers: Vec::new(),
            pinned: vec![None; pins],
            holds: VecDeque::new(),
            speaker: None,
            now: 0,
            spoken: 0,
        }
    }

    /// The job the room follows.
    pub fn job(&self) -> &Job {
        &self.job
    }

    /// The job, shared.
    pub fn shared_job(&self) -> &Arc<Job> {
        &self.job
    }

    /// The instant the room is at, in ms since the recording started.
    pub fn now(&self) -> u32 {
        self.now
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

    /// A present user.
    pub fn member(&self, user_id: &str) -> Option<&Member> {
        self.by_id.get(user_id).map(|&k| self.get(k))
    }

    /// The slot list, in slot order.
    pub fn slots(&self) -> impl ExactSizeIterator<Item = Slot<'_>> + Clone + '_ {
        self.slots.iter().map(|&e| self.slot(e))
    }

    /// Slot `i`, if the list is that long.
    pub fn slot_at(&self, i: usize) -> Option<Slot<'_>> {
        self.slots.get(i).map(|&e| self.slot(e))
    }

    /// The waiting queue, in queue order.
    pub fn waiting(&self) -> impl ExactSizeIterator<Item = &Member> + '_ {
        self.queue.iter().map(|&k| self.get(k))
    }

    /// The users sharing a screen, earliest first.
    pub fn sharers(&self) -> impl ExactSizeIterator<Item = &Member> + '_ {
        self.sharers.iter().map(|&k| self.get(k))
    }

    /// The `k`-th earliest current sharer.
    pub fn sharer(&self, k: usize) -> Option<&Member> {
        self.sharers.get(k).map(|&key| self.get(key))
    }

    /// The present user that pin `index` of the template names.
    pub(crate) fn pinned(&self, index: usize) -> Option<&Member> {
        self.pinned[index].map(|k| self.get(k))
    }

    /// The active speaker (§2), if any.
    pub fn speaker(&self) -> Option<&Member> {
        self.speaker.map(|k| self.get(k))
    }

    /// The users who left and hold a slot, with the end of each hold, in
    /// the order the holds end.
    pub fn holds(&self) -> impl ExactSizeIterator<Item = (&Member, u32)> + '_ {
        self.holds.iter().map(|h| (self.get(h.key), h.until))
    }

    /// When the next hold ends, if any does: an instant at which the
    /// layout can change without an event.
    pub fn next_hold_end(&self) -> Option<u32> {
        self.holds.front().map(|h| h.until)
    }

    /// Where `user_id`'s camera is, or `None` if the user is absent.
    pub fn place_of(&self, user_id: &str) -> Option<Place> {
        let key = *self.by_id.get(user_id)?;
        if self.job.template().is_none() {
            return Some(Place::Unplaced);
        }
        if self.get(key).camera_pinned {
            return Some(Place::Pinned);
        }
        if let Some(i) = self.slots.iter().position(|&s| s == Entry::Taken(key)) {
            return Some(Place::Slot(i));
        }
        self.queue
            .iter()
            .position(|&k| k == key)
            .map(Place::Waiting)
    }

    /// Moves the room to instant `t` (ms): every hold that ends at or before
    /// `t` ends, in order of end time, then of leave, and runs the leave's
    /// steps (§3). An instant before [`Room::now`] changes nothing.
    pub fn advance_to(&mut self, t: u32) {
        while let Some(hold) = self.holds.front().copied().filter(|h| h.until <= t) {
            self.holds.pop_front();
            self.end_hold(hold);
        }
        self.now = self.now.max(t);
    }

    /// Applies one event at its instant (its `at`, or the room's instant),
    /// first ending the holds due by then; or rejects it and leaves the room
    /// unchanged.
    pub fn apply(&mut self, event: &Event) -> Result<(), Rejection> {
        let at = event.at.unwrap_or(self.now);
        if at < self.now {
            return Err(Rejection::BeforePrevious {
                at,
                previous: self.now,
            });
        }
        // Whether an event fits depends on presence and shares, which the
        // end of a hold does not change: check first, then move the clock.
        self.check(event)?;
        self.advance_to(at);
        let id = &*event.user_id;
        let Some(&key) = self.by_id.get(id) else {
            if let Action::Join { video, camera } = event.action {
                self.join(&event.user_id, video, camera);
            }
            return Ok(());
        };
        match event.action {
            // A join of a present user was refused by the check.
            Action::Join { .. } => {}
            Action::Leave => self.leave(key),
            Action::VideoOff => self.get_mut(key).video = false,
            Action::VideoOn { camera } => {
                let m = self.get_mut(key);
                if !m.video {
                    m.video = true;
                    m.camera = camera.or(m.camera);
                }
            }
            Action::Resize {
                stream: Stream::Camera,
                size,
            } => self.get_mut(key).camera = Some(size),
            Action::Resize {
                stream: Stream::Screen,
                size,
            } => {
                if let Some(screen) = &mut self.get_mut(key).screen {
                    *screen = Some(size);
                }
            }
            Action::ScreenStart { screen } => {
                let fallback = self.job.user_info(id).and_then(|u| u.screen);
                let m = self.get_mut(key);
                match &mut m.screen {
                    Some(size) => *size = screen.or(*size),
                    None => {
                        m.screen = Some(screen.or(fallback));
                        self.sharers.push(key);
                    }
                }
            }
            Action::ScreenStop => {
                self.get_mut(key).screen = None;
                self.sharers.retain(|&k| k != key);
            }
            Action::Speaking => self.speak(key),
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

    /// Whether `event` fits the room as it is.
    fn check(&self, event: &Event) -> Result<(), Rejection> {
        let id = &*event.user_id;
        let present = self.by_id.get(id).map(|&k| self.get(k));
        match (event.action, present) {
            (Action::Join { .. }, Some(_)) => Err(Rejection::AlreadyPresent(id.to_owned())),
            (Action::Join { .. }, None) => {
                check_name(id).map_err(|problem| Rejection::Malformed {
                    field: "user_id".into(),
                    problem,
                })?;
                if self.by_id.len() >= MAX_PRESENT_USERS {
                    return Err(Rejection::RoomFull(MAX_PRESENT_USERS));
                }
                Ok(())
            }
            (_, None) => Err(Rejection::Absent(id.to_owned())),
            (
                Action::ScreenStop
                | Action::Resize {
                    stream: Stream::Screen,
                    ..
                },
                Some(m),
            ) if !m.sharing() => Err(Rejection::NotSharing(id.to_owned())),
            _ => Ok(()),
        }
    }

    #[inline]
    fn get(&self, key: Key) -> &Member {
        self.members[key as usize]
            .as_ref()
            .expect("keys in slots, queue, sharers, holds and pins are in the table")
    }

    fn get_mut(&mut self, key: Key) -> &mut Member {
        self.members[key as usize]
            .as_mut()
            .expect("keys of by_id are in the table")
    }

    #[inline]
    fn slot(&self, entry: Entry) -> Slot<'_> {
        match entry {
            Entry::Vacant => Slot::Vacant,
            Entry::Taken(k) => Slot::Taken(self.get(k)),
            Entry::Held(k) => Slot::Held(self.get(k)),
        }
    }

    /// A new member from a join, with what the job knows of the user.
    fn new_member(&self, id: &Arc<str>, video: bool, camera: Option<SourceSize>) -> Member {
        let info = self.job.user_info(id);
        Member {
            label: info
                .and_then(|u| u.name.clone())
                .unwrap_or_else(|| id.clone()),
            placeholder: self.job.placeholder_for(id),
            camera: camera.or(info.and_then(|u| u.camera)),
            video,
            screen: None,
            camera_pinned: self.job.template().is_some_and(|t| t.pins_camera_of(id)),
            last_spoke: None,
            id: id.clone(),
        }
    }

    fn join(&mut self, id: &Arc<str>, video: bool, camera: Option<SourceSize>) {
        let member = self.new_member(id, video, camera);
        // Back within the grace: the held slot is the user's again, with
        // this join's video and size.
        if let Some(key) = self.held_by_id.remove(&**id) {
            self.members[key as usize] = Some(member);
            self.holds.retain(|h| h.key != key);
            if let Some(slot) = self.slots.iter_mut().find(|s| **s == Entry::Held(key)) {
                *slot = Entry::Taken(key);
            }
            self.by_id.insert(id.clone(), key);
            return;
        }
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
        let Some(template) = self.job.template() else {
            return;
        };
        for (pin, slot) in template.pins().iter().zip(&mut self.pinned) {
            if pin.user_id == *id {
                *slot = Some(key);
            }
        }
        if self.get(key).camera_pinned {
            return;
        }
        if let Some(vacancy) = self.slots.iter_mut().find(|s| s.is_vacant()) {
            *vacancy = Entry::Taken(key);
        } else if self.slots.len() < template.capacity() {
            self.slots.push(Entry::Taken(key));
        } else {
            self.queue.push_back(key);
        }
    }

    fn leave(&mut self, key: Key) {
        let id = self.get(key).id.clone();
        self.by_id.remove(&id);
        if self.get(key).sharing() {
            self.sharers.retain(|&k| k != key);
        }
        if self.speaker == Some(key) {
            self.speaker = None;
        }
        for pinned in &mut self.pinned {
            if *pinned == Some(key) {
                *pinned = None;
            }
        }
        let grace = self.job.reconnect_grace_ms();
        if let Some(i) = self.slots.iter().position(|&s| s == Entry::Taken(key)) {
            if grace > 0 {
                // §3: the slot is held; the leave's steps run when the
                // hold ends.
                self.slots[i] = Entry::Held(key);
                self.get_mut(key).screen = None;
                self.held_by_id.insert(id, key);
                let until = self.now.saturating_add(grace);
                self.holds.push_back(Hold { until, key });
                return;
            }
            self.free_slot(i);
        } else if let Some(i) = self.queue.iter().position(|&k| k == key) {
            self.queue.remove(i);
        }
        self.forget(key);
    }

    /// Removes a user from the table.
    fn forget(&mut self, key: Key) {
        self.members[key as usize] = None;
        self.free.push(key);
    }

    /// The hold ends: the leave's steps run now.
    fn end_hold(&mut self, hold: Hold) {
        let id = self.get(hold.key).id.clone();
        self.held_by_id.remove(&id);
        if let Some(i) = self.slots.iter().position(|&s| s == Entry::Held(hold.key)) {
            self.free_slot(i);
        }
        self.forget(hold.key);
    }

    /// §3: what happens to slot `i` when its user leaves.
    fn free_slot(&mut self, i: usize) {
        match self.job.replacement() {
            Replacement::Compact => {
                self.slots.remove(i);
                if let Some(head) = self.queue.pop_front() {
                    self.slots.push(Entry::Taken(head));
                }
            }
            Replacement::FillVacancy => {
                self.slots[i] = self.queue.pop_front().map_or(Entry::Vacant, Entry::Taken);
                while self.slots.last().is_some_and(|s| s.is_vacant()) {
                    self.slots.pop();
                }
                let template = self
                    .job
                    .template()
                    .expect("slots exist only with a template");
                // Held slots count as occupied.
                let filled = self.slots.iter().filter(|s| !s.is_vacant()).count();
                if template.size_class(filled) < template.size_class(self.slots.len()) {
                    self.slots.retain(|s| !s.is_vacant());
                }
            }
        }
    }

    /// `speaking`: the user is the active speaker; with speaker priority, a
    /// waiting speaker swaps with the slotted user who spoke least recently.
    fn speak(&mut self, key: Key) {
        self.speaker = Some(key);
        self.get_mut(key).last_spoke = Some(self.spoken);
        self.spoken += 1;
        if !self.job.speaker_priority() {
            return;
        }
        let Some(q) = self.queue.iter().position(|&k| k == key) else {
            return;
        };
        // Least recent first: never spoken since joining (then the highest
        // slot), else the oldest speaking event.
        let oldest = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s {
                Entry::Taken(k) => Some((i, *k)),
                _ => None,
            })
            .min_by_key(|&(i, k)| (self.get(k).last_spoke, std::cmp::Reverse(i)));
        if let Some((i, v)) = oldest {
            self.slots[i] = Entry::Taken(key);
            self.queue[q] = v;
        }
    }
}
