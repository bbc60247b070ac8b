//! Property tests of the timeline (SPEC §9) over random meetings with
//! timed events, speakers, speaker priority and reconnect grace:
//!
//! - applying an epoch's changes to the previous epoch's tiles gives its
//!   tiles;
//! - every epoch's layout is the layout at its first instant, computed
//!   without the timeline (the events up to it, then the holds due);
//! - a room advanced through every instant ends as one advanced straight to
//!   the end;
//! - at every instant, held users are absent and every present user's
//!   camera is in exactly one place.

use std::collections::HashMap;
use std::sync::Arc;

use mixlayout::{
    Action, Change, ChangeKey, Event, GridMode, Job, JobBuilder, Layout, MainSpec, Room, Slot,
    TemplateKind, Tile, TileKind, Timeline,
};
use proptest::prelude::*;

const POOL: usize = 30;

fn job(share: bool, priority: bool, grace: u32, fit: bool) -> Arc<Job> {
    let builder = JobBuilder::new("t", "1280x720_30_1710")
        .speaker_priority(priority)
        .reconnect_grace_ms(i64::from(grace));
    let builder = if share {
        builder
            .template(TemplateKind::ScreenShareLeft)
            .main(MainSpec::SharedScreen)
    } else {
        let builder = builder.template(TemplateKind::NineGridsView);
        if fit {
            builder.grid(GridMode::Fit)
        } else {
            builder
        }
    };
    Arc::new(builder.build().unwrap())
}

/// Events over time: joins and leaves (often), speakers, cameras, screens;
/// `at` moves on by 0..1500 ms or is left out.
fn events() -> impl Strategy<Value = Vec<Event>> {
    prop::collection::vec(
        (
            0usize..POOL,
            0u8..8,
            prop_oneof![3 => (0u32..1500).prop_map(Some), 1 => Just(None)],
        ),
        1..120,
    )
    .prop_map(|script| {
        let mut at = 0;
        script
            .into_iter()
            .map(|(u, op, step)| {
                let action = match op {
                    0 | 1 => Action::Join {
                        video: op == 0,
                        camera: None,
                    },
                    2 | 3 => Action::Leave,
                    4 | 5 => Action::Speaking,
                    6 => Action::ScreenStart { screen: None },
                    _ => Action::VideoOff,
                };
                let mut event = Event::new(format!("u{u}"), action);
                if let Some(step) = step {
                    at += step;
                    event.at = Some(at);
                }
                event
            })
            .collect()
    })
}

/// The epochs of a lenient timeline: start, layout, changes as JSON-free
/// values.
fn epochs(job: &Arc<Job>, events: &[Event]) -> Vec<(u32, Layout, Vec<Change>)> {
    let mut timeline = Timeline::new(Room::new(job.clone()), events).lenient(true);
    let mut out = Vec::new();
    while let Some(e) = timeline.next_epoch().unwrap() {
        out.push((e.from, e.layout.clone(), e.changes.to_vec()));
    }
    out
}

/// The events the lenient timeline keeps (those a room accepts in turn).
fn kept(job: &Arc<Job>, events: &[Event]) -> Vec<Event> {
    let mut room = Room::new(job.clone());
    events
        .iter()
        .filter(|e| room.apply(e).is_ok())
        .cloned()
        .collect()
}

/// The layout at instant `t` without the timeline: a fresh room, every
/// kept event at or before `t`, then the holds due by `t`.
fn layout_at(job: &Arc<Job>, kept: &[Event], t: u32) -> Layout {
    let mut room = Room::new(job.clone());
    for event in kept {
        if event.at.unwrap_or(room.now()) > t {
            break;
        }
        room.apply(event).unwrap();
    }
    room.advance_to(t);
    room.layout()
}

fn key(layout: &Layout, i: usize) -> String {
    format!("{:?}", ChangeKey::of(layout, i))
}

/// The tiles of `previous` with `changes` applied, by key.
fn applied(previous: &Layout, new: &Layout, changes: &[Change]) -> HashMap<String, Tile> {
    let mut tiles: HashMap<String, Tile> = (0..previous.tiles.len())
        .map(|i| (key(previous, i), previous.tiles[i].clone()))
        .collect();
    for change in changes {
        match *change {
            Change::Exit { old } => {
                assert!(
                    tiles.remove(&key(previous, old)).is_some(),
                    "exit of a key not there"
                );
            }
            Change::Enter { new: j } => {
                assert!(
                    tiles.insert(key(new, j), new.tiles[j].clone()).is_none(),
                    "enter of a key there"
                );
            }
            Change::Update { old, new: j } => {
                assert_eq!(key(previous, old), key(new, j), "update keeps the key");
                assert!(tiles.insert(key(new, j), new.tiles[j].clone()).is_some());
            }
            Change::Speaker => {}
        }
    }
    tiles
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn epochs_changes_and_instants_agree(
        share in any::<bool>(), priority in any::<bool>(), grace in prop_oneof![Just(0u32), 1u32..3000],
        fit in any::<bool>(), events in events(),
    ) {
        let job = job(share, priority, grace, fit);
        let epochs = epochs(&job, &events);
        let kept = kept(&job, &events);
        prop_assert!(!epochs.is_empty());
        prop_assert_eq!(epochs[0].0, 0);
        for pair in epochs.windows(2) {
            let ((from, previous, _), (next, layout, changes)) = (&pair[0], &pair[1]);
            prop_assert!(from < next, "epochs in time order");
            prop_assert_ne!(previous, layout, "an epoch differs from the one before");
            // Applying the changes gives the new tiles, by key.
            let tiles = applied(previous, layout, changes);
            prop_assert_eq!(tiles.len(), layout.tiles.len());
            for (i, tile) in layout.tiles.iter().enumerate() {
                prop_assert_eq!(tiles.get(&key(layout, i)), Some(tile));
            }
            prop_assert_eq!(
                changes.contains(&Change::Speaker),
                previous.speaker != layout.speaker
            );
        }
        // Every epoch is the layout at its first instant.
        for (from, layout, _) in &epochs {
            prop_assert_eq!(&layout_at(&job, &kept, *from), layout, "at {}", from);
        }
    }

    #[test]
    fn advancing_step_by_step_is_advancing_at_once(
        share in any::<bool>(), priority in any::<bool>(), grace in 1u32..3000,
        events in events(), step in 1u32..700,
    ) {
        let job = job(share, priority, grace, false);
        let kept = kept(&job, &events);
        let end = kept.iter().filter_map(|e| e.at).max().unwrap_or(0) + grace + 1;
        let mut straight = Room::new(job.clone());
        let mut stepped = Room::new(job.clone());
        for event in &kept {
            let at = event.at.unwrap_or(stepped.now());
            // Stepped: every `step` ms up to the event, checking the room.
            let mut t = stepped.now();
            while t + step < at {
                t += step;
                stepped.advance_to(t);
                check_instant(&stepped);
            }
            stepped.apply(event).unwrap();
            straight.apply(event).unwrap();
            check_instant(&stepped);
        }
        straight.advance_to(end);
        stepped.advance_to(end);
        prop_assert_eq!(straight.layout(), stepped.layout());
        prop_assert_eq!(straight.next_hold_end(), None);
    }
}

/// Held users are absent; every present user's camera is in one place.
fn check_instant(room: &Room) {
    let mut places: HashMap<String, usize> = HashMap::new();
    for slot in room.slots() {
        match slot {
            Slot::Taken(m) => *places.entry(m.id().to_string()).or_default() += 1,
            Slot::Held(m) => assert!(!room.contains(m.id()), "held {} is present", m.id()),
            Slot::Vacant => {}
        }
    }
    for m in room.waiting() {
        *places.entry(m.id().to_string()).or_default() += 1;
    }
    assert!(places.values().all(|&n| n == 1), "{places:?}");
    assert_eq!(places.len(), room.len(), "a present user has no place");
    let layout = room.layout();
    let held = layout
        .tiles
        .iter()
        .filter(|t| t.kind == TileKind::Held)
        .count();
    assert_eq!(held, room.holds().len());
}
