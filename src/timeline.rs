//! The layout over time (§9): a room's layout changes at instants, the
//! `at` of every event and the end of every hold, and the timeline is the
//! sequence of layouts between them, each an epoch.
//!
//! [`Timeline`] walks a room through an event list instant by instant: it
//! ends the holds due, applies the events of the instant, and starts a new
//! epoch wherever the layout differs from the current one. It keeps three
//! layouts and one list of changes and reuses them, so walking a long
//! meeting allocates nothing once warm.

use crate::error::{EventError, Rejection};
use crate::event::Event;
use crate::layout::{Change, Layout, changes_into};
use crate::room::Room;

/// One epoch: the layout from `from` until `to`.
#[derive(Clone, Copy, Debug)]
pub struct Epoch<'t> {
    /// Its first instant, in ms.
    pub from: u32,
    /// The next epoch's first instant; the `until` of the walk for the last
    /// epoch, or `None` without one.
    pub to: Option<u32>,
    /// The layout throughout the epoch.
    pub layout: &'t Layout,
    /// The previous epoch's layout (`None` for the first epoch).
    pub previous: Option<&'t Layout>,
    /// What changed since the previous epoch, indices into `previous` and
    /// `layout` (empty for the first epoch).
    pub changes: &'t [Change],
}

/// A room walked through its events, epoch by epoch.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use std::sync::Arc;
/// use mixlayout::{parse_events, Job, Room, Timeline, TileKind};
/// let job = Job::from_json(br#"{"mix_param": {"room_id": "r", "encode_template": "1280x720_30_1710",
///     "layout_template": "nine_grids_view"}, "layout_options": {"reconnect_grace_ms": 2000}}"#)?;
/// let events = parse_events(br#"[{"type": "join", "user_id": "a"},
///     {"type": "join", "user_id": "b", "at": 1000}, {"type": "leave", "user_id": "b", "at": 5000}]"#)?;
/// let mut timeline = Timeline::new(Room::new(Arc::new(job)), &events);
/// let mut epochs = Vec::new();
/// while let Some(epoch) = timeline.next_epoch()? {
///     epochs.push((epoch.from, epoch.to, epoch.layout.tiles.len()));
/// }
/// // b's slot is held from 5000 until 7000, then the grid shrinks back.
/// assert_eq!(epochs, [(0, Some(1000), 1), (1000, Some(5000), 2), (5000, Some(7000), 2), (7000, None, 1)]);
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Timeline<'e> {
    room: Room,
    events: &'e [Event],
    next: usize,
    until: Option<u32>,
    lenient: bool,
    /// With `lenient`, the indices of the events the walk applies (the
    /// others are skipped); otherwise every event in turn.
    kept: Option<Vec<usize>>,
    skipped: Vec<EventError>,
    last_event_at: Option<u32>,
    state: State,
    /// The epoch about to be given, its predecessor, and the next one found
    /// ahead.
    current: Layout,
    previous: Layout,
    probe: Layout,
    current_from: u32,
    next_from: Option<u32>,
    changes: Vec<Change>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Nothing given yet.
    Start,
    /// `current` was given; `probe` holds the next epoch if `next_from` is
    /// set.
    Given,
    /// Every epoch was given.
    Done,
}

impl<'e> Timeline<'e> {
    /// A walk of `room` (as it is at instant 0, e.g. after `--users`
    /// joined) through `events`, strict and without end.
    pub fn new(room: Room, events: &'e [Event]) -> Self {
        Timeline {
            room,
            events,
            next: 0,
            until: None,
            lenient: false,
            kept: None,
            skipped: Vec::new(),
            last_event_at: None,
            state: State::Start,
            current: Layout::default(),
            previous: Layout::default(),
            probe: Layout::default(),
            current_from: 0,
            next_from: None,
            changes: Vec::new(),
        }
    }

    /// Ends the timeline at `until` (ms): instants at or after it start no
    /// epoch, and the last epoch's `to` is `until`. The events after it are
    /// still checked.
    pub fn until(mut self, until: u32) -> Self {
        self.until = Some(until);
        self
    }

    /// With `true`, an event the room rejects (one that does not fit the
    /// room, or comes before the previous one) is skipped and kept in
    /// [`Timeline::skipped`], instead of ending the walk with an error: the
    /// timeline is that of the events without it (an event without `at`
    /// after it happens at the instant of the event before the skipped
    /// one). A malformed event is always an error.
    pub fn lenient(mut self, lenient: bool) -> Self {
        self.lenient = lenient;
        self
    }

    /// The events skipped (with [`Timeline::lenient`]), known from the first
    /// epoch on.
    pub fn skipped(&self) -> &[EventError] {
        &self.skipped
    }

    /// The room, as far as the walk has taken it.
    pub fn room(&self) -> &Room {
        &self.room
    }

    /// The `at` of the last event applied so far.
    pub fn last_event_at(&self) -> Option<u32> {
        self.last_event_at
    }

    /// The next epoch, `None` after the last; an error names the first
    /// event the room rejects (unless lenient). The epoch's `to` needs the
    /// next epoch's start, so the walk runs one epoch ahead.
    pub fn next_epoch(&mut self) -> Result<Option<Epoch<'_>>, EventError> {
        match self.state {
            State::Done => return Ok(None),
            State::Start => {
                if self.lenient {
                    self.sort_out()?;
                }
                self.run_instant(0)?;
                self.room.layout_into(&mut self.current);
                self.changes.clear();
            }
            State::Given => {
                let Some(from) = self.next_from else {
                    self.state = State::Done;
                    return Ok(None);
                };
                std::mem::swap(&mut self.previous, &mut self.current);
                std::mem::swap(&mut self.current, &mut self.probe);
                changes_into(&self.previous, &self.current, &mut self.changes);
                self.current_from = from;
            }
        }
        let first = self.state == State::Start;
        self.state = State::Given;
        self.next_from = self.find_next_epoch()?;
        Ok(Some(Epoch {
            from: self.current_from,
            to: self.next_from.or(self.until),
            layout: &self.current,
            previous: (!first).then_some(&self.previous),
            changes: &self.changes,
        }))
    }

    /// Walks every remaining epoch, event and hold, checking every event:
    /// afterwards the room is at its last instant, every hold run out.
    pub fn run_out(&mut self) -> Result<(), EventError> {
        while self.next_epoch()?.is_some() {}
        while let Some(t) = self.next_instant()? {
            self.run_instant(t)?;
        }
        Ok(())
    }

    /// Finds the events a lenient walk skips: those a room rejects in turn,
    /// which leave the room (and its clock) as they found it. Whether an
    /// event fits depends on presence and shares, which the end of a hold
    /// never changes, so a room that only applies events finds them all.
    fn sort_out(&mut self) -> Result<(), EventError> {
        let mut room = self.room.clone();
        let mut kept = Vec::with_capacity(self.events.len());
        for (index, event) in self.events.iter().enumerate() {
            match room.apply(event) {
                Ok(()) => kept.push(index),
                Err(rejection) if rejection.is_malformed() => {
                    return Err(EventError { index, rejection });
                }
                Err(rejection) => self.skipped.push(EventError { index, rejection }),
            }
        }
        self.kept = Some(kept);
        Ok(())
    }

    /// The next event of the walk, and its index in the list.
    fn peek(&self) -> Option<(usize, &'e Event)> {
        let index = match &self.kept {
            Some(kept) => *kept.get(self.next)?,
            None => self.next,
        };
        self.events.get(index).map(|e| (index, e))
    }

    /// Processes instants until the layout differs from `current` (its
    /// start, with the layout in `probe`), or until there are no more
    /// instants before `until` (`None`; the remaining events are checked).
    fn find_next_epoch(&mut self) -> Result<Option<u32>, EventError> {
        while let Some(t) = self.next_instant()? {
            if self.until.is_some_and(|u| t >= u) {
                // Past the end: no more epochs, but every event is checked.
                while self.peek().is_some() {
                    let t = self.next_instant()?.unwrap_or(t);
                    self.run_instant(t)?;
                }
                return Ok(None);
            }
            self.run_instant(t)?;
            self.room.layout_into(&mut self.probe);
            if self.probe != self.current {
                return Ok(Some(t));
            }
        }
        Ok(None)
    }

    /// The next instant: the next event's `at` or the next end of a hold,
    /// whichever comes first. Events that come before the room's instant
    /// are rejected on the way.
    fn next_instant(&mut self) -> Result<Option<u32>, EventError> {
        let event_at = match self.peek() {
            None => None,
            Some((_, event)) => {
                let now = self.room.now();
                let at = event.at.unwrap_or(now);
                if at < now {
                    return Err(self.rejected(Rejection::BeforePrevious { at, previous: now }));
                }
                Some(at)
            }
        };
        Ok(match (event_at, self.room.next_hold_end()) {
            (Some(a), Some(h)) => Some(a.min(h)),
            (a, h) => a.or(h),
        })
    }

    /// Ends the holds due at `t` and applies the events at `t`.
    fn run_instant(&mut self, t: u32) -> Result<(), EventError> {
        self.room.advance_to(t);
        while let Some((_, event)) = self.peek() {
            let at = event.at.unwrap_or(self.room.now());
            if at > t {
                break;
            }
            match self.room.apply(event) {
                Ok(()) => {
                    self.next += 1;
                    self.last_event_at = Some(at);
                }
                Err(rejection) => return Err(self.rejected(rejection)),
            }
        }
        Ok(())
    }

    /// The next event's error (a lenient walk skipped every event that
    /// would have one).
    fn rejected(&self, rejection: Rejection) -> EventError {
        let index = self.peek().map_or(self.next, |(i, _)| i);
        EventError { index, rejection }
    }
}

/// An epoch as §9's JSON: `from`, `to`, `layout`, and with `changes`
/// (for every epoch but the first) what a compositor must do to its
/// previous picture.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug)]
pub struct EpochJson<'t> {
    /// The epoch.
    pub epoch: Epoch<'t>,
    /// Whether to write its changes.
    pub changes: bool,
}

#[cfg(feature = "serde")]
impl serde::Serialize for EpochJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let e = &self.epoch;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("from", &e.from)?;
        map.serialize_entry("to", &e.to)?;
        map.serialize_entry("layout", e.layout)?;
        if let (true, Some(previous)) = (self.changes, e.previous) {
            let changes = crate::layout::ChangesJson {
                previous,
                layout: e.layout,
                changes: e.changes,
            };
            map.serialize_entry("changes", &changes)?;
        }
        map.end()
    }
}
