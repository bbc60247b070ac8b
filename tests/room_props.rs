//! Property tests of the room (SPEC §2, §3) and the layout it gives (§4, §6):
//! random jobs of every template and both replacement policies, random event
//! scripts (valid and invalid), and after every event the invariants:
//!
//! - every present user's camera is in exactly one place (slot, queue or
//!   pinned place); absent users are nowhere;
//! - nobody moves without cause: under `fill_vacancy` a slotted user keeps
//!   their slot unless the list is compacted across a size class, and
//!   compaction (and `compact`) keeps the slot order;
//! - the queue is in join order and only exists when the slots are full;
//! - a rejected event changes nothing;
//! - held users are absent, and their held slots are not vacancies;
//! - tiles lie inside the canvas, content inside its tile, and grid and
//!   screen-share tiles never overlap.
//!
//! The jobs are built through the core API ([`JobBuilder`], no JSON), and
//! the tests keep their own copy of SPEC's tables (capacities, size classes,
//! pinned places) to check the room against.

use std::collections::HashMap;
use std::sync::Arc;

use mixlayout::{
    Action, CropMode, Event, FillingPolicy, Job, JobBuilder, Layout, MainSpec, PaneSpec, Place,
    Rect, Replacement, Role, Room, Slot, SourceSize, Stream, TemplateKind, TileKind, VideoType,
};
use proptest::prelude::*;

const POOL: usize = 32;

fn id(n: usize) -> String {
    format!("u{n}")
}

const TEMPLATES: [TemplateKind; 4] = [
    TemplateKind::NineGridsView,
    TemplateKind::ScreenShareLeft,
    TemplateKind::ScreenShareRight,
    TemplateKind::Custom,
];

#[derive(Clone, Debug)]
struct JobChoice {
    template: TemplateKind,
    width: u32,
    height: u32,
    compact: bool,
    main: u8,
    panes: Vec<(u8, u8, u8)>,
    speaker_priority: bool,
    grace: u32,
}

fn job_choice() -> impl Strategy<Value = JobChoice> {
    (
        prop::sample::select(TEMPLATES.to_vec()),
        8u32..=1024,
        8u32..=1024,
        any::<bool>(),
        0u8..4,
        prop::collection::vec((0u8..6, 0u8..5, 0u8..5), 1..=25),
        any::<bool>(),
        prop_oneof![Just(0u32), 1u32..=3000],
    )
        .prop_map(
            |(template, w, h, compact, main, panes, speaker_priority, grace)| JobChoice {
                template,
                width: 2 * w,
                height: 2 * h,
                compact,
                main,
                panes,
                speaker_priority,
                grace,
            },
        )
}

impl JobChoice {
    /// The pane of `choice.panes[i]`: kind 0 pins a camera, 1 a screen, 2 is
    /// SHARED_SCREEN, the rest are free; a second pin of a user's stream
    /// becomes free.
    fn pane(&self, i: usize) -> PaneSpec {
        let (kind, col, row) = self.panes[i];
        let mut pane = PaneSpec {
            id: (i * 3 + 1) as i64,
            x: Some(f64::from(col) * 0.2),
            y: Some(f64::from(row) * 0.2),
            width: Some(0.2),
            height: Some(0.2),
            zorder: Some(i64::from(kind)),
            ..PaneSpec::default()
        };
        let user = id(1 + i % 4);
        let pinned_before = self.panes[..i]
            .iter()
            .enumerate()
            .any(|(j, p)| p.0 == kind && 1 + j % 4 == 1 + i % 4);
        match kind {
            0 | 1 if !pinned_before => {
                pane.user_id = Some(user);
                if kind == 1 {
                    pane.video_type = Some(VideoType::Screen);
                    pane.crop_mode = Some(CropMode::KeepRatioPadding);
                }
            }
            2 => pane.filling_policy = Some(FillingPolicy::SharedScreen),
            _ => {}
        }
        pane
    }

    /// SPEC §3: how many slots there may be.
    fn capacity(&self) -> usize {
        match self.template {
            TemplateKind::NineGridsView => 25,
            TemplateKind::Custom => (0..self.panes.len())
                .filter(|&i| {
                    let p = self.pane(i);
                    p.user_id.is_none() && p.filling_policy.is_none()
                })
                .count(),
            _ => 16,
        }
    }

    /// SPEC §4.2 and §4.3's size classes (custom has one).
    fn size_class(&self, slots: usize) -> usize {
        let firsts: &[usize] = match self.template {
            TemplateKind::NineGridsView => &[0, 1, 2, 3, 5, 10, 17],
            TemplateKind::Custom => &[0],
            _ => &[0, 1, 5, 7, 9],
        };
        firsts.iter().filter(|&&f| f <= slots).count()
    }

    /// True when `user`'s camera has a pinned place.
    fn pins_camera_of(&self, user: &str) -> bool {
        match self.template {
            TemplateKind::ScreenShareLeft | TemplateKind::ScreenShareRight => {
                self.main == 2 && user == id(3)
            }
            TemplateKind::Custom => (0..self.panes.len()).any(|i| {
                let p = self.pane(i);
                p.user_id.as_deref() == Some(user) && p.video_type.is_none()
            }),
            TemplateKind::NineGridsView => false,
        }
    }
}

/// A job from the choice, through the core API (no JSON).
fn build_job(c: &JobChoice) -> Job {
    let mut job = JobBuilder::new("prop", format!("{}x{}_30_1000", c.width, c.height))
        .template(c.template)
        .replacement(if c.compact {
            Replacement::Compact
        } else {
            Replacement::FillVacancy
        })
        .speaker_priority(c.speaker_priority)
        .reconnect_grace_ms(i64::from(c.grace));
    match c.template {
        TemplateKind::ScreenShareLeft | TemplateKind::ScreenShareRight => match c.main {
            0 => {}
            1 => job = job.main(MainSpec::SharedScreen),
            2 => {
                job = job.main(MainSpec::User {
                    user_id: id(3),
                    stream: Stream::Camera,
                })
            }
            _ => {
                job = job.main(MainSpec::User {
                    user_id: id(2),
                    stream: Stream::Screen,
                })
            }
        },
        TemplateKind::Custom => {
            for i in 0..c.panes.len() {
                job = job.pane(c.pane(i));
            }
        }
        TemplateKind::NineGridsView => {}
    }
    job.build().expect("generated jobs are valid")
}

fn size(w: u16, h: u16) -> Option<SourceSize> {
    SourceSize::new(u32::from(w % 2000) + 1, u32::from(h % 2000) + 1)
}

/// An event of a random user; `at` moves on by 0..1000 ms, or is left out,
/// or (rarely) goes back, which the room rejects.
fn event() -> impl Strategy<Value = (Event, Step)> {
    (
        0usize..POOL,
        0u8..12,
        any::<u16>(),
        any::<u16>(),
        any::<bool>(),
        prop_oneof![4 => (0u32..1000).prop_map(Step::Forward), 1 => Just(Step::Same), 1 => Just(Step::Back)],
    )
        .prop_map(|(u, op, w, h, flag, step)| {
            let action = match op {
                0..=2 => Action::Join {
                    video: flag || op > 0,
                    camera: if flag { size(w, h) } else { None },
                },
                3 | 4 => Action::Leave,
                5 => Action::VideoOff,
                6 => Action::VideoOn {
                    camera: if flag { size(w, h) } else { None },
                },
                7 => Action::Resize {
                    stream: if flag { Stream::Camera } else { Stream::Screen },
                    size: size(w, h).unwrap(),
                },
                8 => Action::ScreenStart {
                    screen: if flag { size(w, h) } else { None },
                },
                9 => Action::ScreenStop,
                _ => Action::Speaking,
            };
            (Event::new(id(u), action), step)
        })
}

/// How an event's `at` follows the room's instant.
#[derive(Clone, Copy, Debug)]
enum Step {
    Forward(u32),
    Same,
    Back,
}

impl Step {
    fn at(self, now: u32) -> Option<u32> {
        match self {
            Step::Forward(d) => Some(now + d),
            Step::Same => None,
            Step::Back => Some(now.saturating_sub(1)),
        }
    }
}

/// What the room shows of itself, to compare before and after an event.
#[derive(Clone, Debug, PartialEq)]
struct Snapshot {
    slots: Vec<Option<String>>,
    waiting: Vec<String>,
    sharers: Vec<String>,
    layout: Layout,
}

fn snapshot(room: &Room) -> Snapshot {
    Snapshot {
        slots: room
            .slots()
            .map(|s| match s {
                Slot::Taken(m) => Some(m.id().to_string()),
                Slot::Held(m) => Some(format!("held:{}", m.id())),
                Slot::Vacant => None,
            })
            .collect(),
        waiting: room.waiting().map(|m| m.id().to_string()).collect(),
        sharers: room.sharers().map(|m| m.id().to_string()).collect(),
        layout: room.layout(),
    }
}

fn check_places(room: &Room, template: &JobChoice, present: &HashMap<String, u64>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let taken = room.slots().filter_map(|s| match s {
        Slot::Taken(m) => Some(&**m.id()),
        _ => None,
    });
    for user in taken.chain(room.waiting().map(|m| &**m.id())) {
        *seen.entry(user).or_default() += 1;
    }
    // Held users are absent: not present, nowhere but in their held slot.
    for slot in room.slots() {
        if let Slot::Held(m) = slot {
            assert!(
                !room.contains(m.id()),
                "{} holds a slot while present",
                m.id()
            );
            assert!(!present.contains_key(&**m.id()));
        }
    }
    for (user, _) in present.iter() {
        let pinned = template.pins_camera_of(user);
        let count = seen.get(user.as_str()).copied().unwrap_or(0);
        assert_eq!(
            count,
            usize::from(!pinned),
            "{user} appears {count} times (pinned: {pinned})"
        );
        let place = room.place_of(user).unwrap();
        assert_eq!(matches!(place, Place::Pinned), pinned, "{user}: {place:?}");
    }
    for user in seen.keys() {
        assert!(present.contains_key(*user), "absent {user} still placed");
    }
    assert_eq!(room.len(), present.len());
    // The queue is in join order (speakers swapping aside), and only exists
    // when no slot is free.
    if !template.speaker_priority {
        let order: Vec<u64> = room.waiting().map(|u| present[&**u.id()]).collect();
        assert!(
            order.windows(2).all(|w| w[0] < w[1]),
            "queue out of join order: {order:?}"
        );
    }
    assert!(room.slots().len() <= template.capacity());
    // The slot list is in its canonical form: no trailing vacancy, and the
    // users in slots (held ones too) fill the list's size class (else it
    // would have been compacted); `compact` never leaves a vacancy.
    let slots: Vec<Option<&str>> = room.slots().map(Slot::user_id).collect();
    let filled = slots.iter().filter(|s| s.is_some()).count();
    assert_ne!(slots.last(), Some(&None), "trailing vacancy: {slots:?}");
    assert_eq!(
        template.size_class(filled),
        template.size_class(slots.len()),
        "not compacted: {slots:?}"
    );
    if room.job().replacement() == Replacement::Compact {
        assert_eq!(filled, slots.len(), "vacancy under compact: {slots:?}");
    }
    if room.waiting().next().is_some() {
        assert_eq!(room.slots().len(), template.capacity());
        assert!(
            room.slots().all(|s| !matches!(s, Slot::Vacant)),
            "a vacancy while users wait"
        );
    }
}

fn check_stability(room: &Room, template: &JobChoice, before: &Snapshot, after: &Snapshot) {
    let pos = |list: &[Option<String>]| -> HashMap<String, usize> {
        list.iter()
            .enumerate()
            .filter_map(|(i, s)| s.clone().map(|u| (u, i)))
            .collect()
    };
    let (old, new) = (pos(&before.slots), pos(&after.slots));
    let mut common: Vec<&String> = old.keys().filter(|u| new.contains_key(*u)).collect();
    common.sort_by_key(|u| old[*u]);
    // Relative order is always kept.
    assert!(
        common.windows(2).all(|w| new[w[0]] < new[w[1]]),
        "slot order changed: {:?} -> {:?}",
        before.slots,
        after.slots
    );
    let compacted =
        template.size_class(after.slots.len()) < template.size_class(before.slots.len());
    let fill_vacancy = room.job().replacement() == Replacement::FillVacancy;
    if fill_vacancy && !compacted {
        for u in common {
            assert_eq!(
                old[u], new[u],
                "{u} moved without a compaction: {:?} -> {:?}",
                before.slots, after.slots
            );
        }
    }
}

fn check_layout(room: &Room, template: &JobChoice, layout: &Layout) {
    let canvas = layout.canvas.unwrap();
    let whole = Rect::from_size(canvas);
    let expected_tiles = match template.template {
        TemplateKind::NineGridsView => room.slots().len(),
        TemplateKind::ScreenShareLeft | TemplateKind::ScreenShareRight => 1 + room.slots().len(),
        TemplateKind::Custom => template.panes.len(),
    };
    assert_eq!(layout.tiles.len(), expected_tiles);
    for tile in &layout.tiles {
        assert!(whole.contains_rect(tile.rect), "{tile:?} leaves {canvas:?}");
        assert!(tile.rect.contains_rect(tile.content), "{tile:?}");
        match tile.kind {
            TileKind::Video => assert!(
                tile.user_id.is_some() && tile.label.is_some() && tile.placeholder.is_none()
            ),
            TileKind::AudioOnly | TileKind::Held => {
                assert!(
                    tile.placeholder.is_some()
                        && tile.content == tile.rect
                        && tile.source_crop.is_none()
                );
                assert_eq!(tile.stream, Some(Stream::Camera));
            }
            TileKind::Empty => {
                assert!(
                    tile.label.is_none() && tile.content == tile.rect && tile.source_crop.is_none()
                );
            }
        }
    }
    if template.template != TemplateKind::Custom {
        for (i, a) in layout.tiles.iter().enumerate() {
            for b in &layout.tiles[i + 1..] {
                assert!(!a.rect.overlaps(b.rect), "{a:?} overlaps {b:?}");
            }
        }
    }
    // Screens are extra, cameras appear once: no user's camera is on two tiles.
    let mut cameras: Vec<&str> = layout
        .tiles
        .iter()
        .filter(|t| t.stream == Some(Stream::Camera) && t.kind != TileKind::Empty)
        .filter_map(|t| t.user_id.as_deref())
        .collect();
    cameras.sort_unstable();
    let n = cameras.len();
    cameras.dedup();
    assert_eq!(n, cameras.len(), "a camera is shown twice");
    let waiting: Vec<&str> = layout.waiting.iter().map(|w| &**w).collect();
    assert_eq!(
        waiting,
        room.waiting().map(|m| &**m.id()).collect::<Vec<_>>()
    );
    assert_eq!(layout.speaker.as_deref(), room.speaker().map(|m| &**m.id()));
    if let Some(speaker) = room.speaker() {
        assert!(room.contains(speaker.id()), "the speaker is absent");
    }
    if template.template == TemplateKind::ScreenShareLeft
        || template.template == TemplateKind::ScreenShareRight
    {
        assert_eq!(layout.tiles[0].role, Role::Main);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn rooms_keep_their_invariants(choice in job_choice(), events in prop::collection::vec(event(), 1..160)) {
        let job = Arc::new(build_job(&choice));
        let mut room = Room::new(job);
        let mut present: HashMap<String, u64> = HashMap::new();
        let mut reused = Layout::default();
        for (seq, (event, step)) in events.iter().enumerate() {
            let mut event = event.clone();
            event.at = step.at(room.now());
            // Time passes first: holds that end meanwhile run their steps,
            // and the room must still be in order after that.
            let due = event.at.unwrap_or(room.now());
            if due >= room.now() {
                let before = snapshot(&room);
                room.advance_to(due);
                let after = snapshot(&room);
                check_places(&room, &choice, &present);
                check_stability(&room, &choice, &before, &after);
            }
            let before = snapshot(&room);
            match room.apply(&event) {
                Ok(()) => match event.action {
                    Action::Join { .. } => {
                        present.insert(event.user_id.to_string(), seq as u64);
                    }
                    Action::Leave => {
                        present.remove(&*event.user_id);
                    }
                    _ => {}
                },
                Err(_) => {
                    prop_assert_eq!(&snapshot(&room), &before, "a rejected {:?} changed the room", event);
                    continue;
                }
            }
            let after = snapshot(&room);
            check_places(&room, &choice, &present);
            check_stability(&room, &choice, &before, &after);
            // Recomputing into reused storage gives the same layout as a
            // fresh computation.
            room.layout_into(&mut reused);
            prop_assert_eq!(&reused, &after.layout);
            check_layout(&room, &choice, &after.layout);
        }
    }
}

/// Every template, on the 13 SparkRTC presets and a few unusual canvases,
/// with 0 to 30 users: the layout invariants hold at every size.
#[test]
fn presets_and_odd_canvases_with_0_to_30_users() {
    let canvases = [
        (1920, 1080),
        (1280, 720),
        (640, 480),
        (480, 360),
        (1080, 1920),
        (720, 1280),
        (16, 16),
        (8192, 16),
        (16, 8192),
        (8192, 8192),
        (1366, 768),
        (1002, 998),
    ];
    for (w, h) in canvases {
        for template in TEMPLATES {
            for compact in [false, true] {
                let choice = JobChoice {
                    template,
                    width: w,
                    height: h,
                    compact,
                    main: 2,
                    panes: (0..25u8).map(|i| (3 + i % 3, i % 5, i / 5)).collect(),
                    speaker_priority: false,
                    grace: 0,
                };
                let mut room = Room::new(Arc::new(build_job(&choice)));
                let mut present = HashMap::new();
                for n in 1..=30usize {
                    room.apply(&Event::new(
                        id(n),
                        Action::Join {
                            video: n % 4 != 0,
                            camera: size(640, 480),
                        },
                    ))
                    .unwrap();
                    present.insert(id(n), n as u64);
                    check_places(&room, &choice, &present);
                    check_layout(&room, &choice, &room.layout());
                }
            }
        }
    }
}
