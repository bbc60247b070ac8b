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
//! - tiles lie inside the canvas, content inside its tile, and grid and
//!   screen-share tiles never overlap.

use std::collections::HashMap;
use std::sync::Arc;

use mixlayout::job::spec::{LayoutOptionsParam, MainParam, MainUserParam, MixParam, PaneParam};
use mixlayout::{
    Action, Event, Job, Layout, Place, Rect, Role, Room, SourceSize, Stream, TemplateKind, TileKind,
};
use proptest::prelude::*;

const POOL: usize = 32;

fn id(n: usize) -> String {
    format!("u{n}")
}

#[derive(Clone, Debug)]
struct JobChoice {
    template: TemplateKind,
    width: u32,
    height: u32,
    compact: bool,
    main: u8,
    panes: Vec<(u8, u8, u8)>,
}

fn job_choice() -> impl Strategy<Value = JobChoice> {
    (
        prop::sample::select(TemplateKind::ALL.to_vec()),
        8u32..=1024,
        8u32..=1024,
        any::<bool>(),
        0u8..4,
        prop::collection::vec((0u8..6, 0u8..5, 0u8..5), 1..=25),
    )
        .prop_map(|(template, w, h, compact, main, panes)| JobChoice {
            template,
            width: 2 * w,
            height: 2 * h,
            compact,
            main,
            panes,
        })
}

/// A job from the choice, through the core API (no JSON).
fn build_job(c: &JobChoice) -> Job {
    let mut mix = MixParam {
        room_id: "prop".into(),
        encode_template: format!("{}x{}_30_1000", c.width, c.height),
        layout_template: Some(c.template.as_str().into()),
        ..MixParam::default()
    };
    let mut options = LayoutOptionsParam {
        replacement: Some(if c.compact { "compact" } else { "fill_vacancy" }.into()),
        ..LayoutOptionsParam::default()
    };
    match c.template {
        TemplateKind::ScreenShareLeft | TemplateKind::ScreenShareRight => {
            options.main = match c.main {
                0 => None,
                1 => Some(MainParam::Word("shared_screen".into())),
                2 => Some(MainParam::User(MainUserParam {
                    user_id: id(3),
                    stream: "camera".into(),
                })),
                _ => Some(MainParam::User(MainUserParam {
                    user_id: id(2),
                    stream: "screen".into(),
                })),
            }
        }
        TemplateKind::Custom => {
            // Panes on a 5x5 lattice; kind 0 pins a camera, 1 a screen, 2 is
            // SHARED_SCREEN, the rest are free. Duplicate pins become free.
            let mut pinned = Vec::new();
            for (i, &(kind, col, row)) in c.panes.iter().enumerate() {
                let mut pane = PaneParam {
                    id: (i * 3 + 1) as i64,
                    x: Some(f64::from(col) * 0.2),
                    y: Some(f64::from(row) * 0.2),
                    width: Some(0.2),
                    height: Some(0.2),
                    zorder: Some(i64::from(kind)),
                    ..PaneParam::default()
                };
                let user = id(1 + i % 4);
                match kind {
                    0 | 1 if !pinned.contains(&(user.clone(), kind)) => {
                        pinned.push((user.clone(), kind));
                        pane.user_id = Some(user);
                        if kind == 1 {
                            pane.video_type = Some("SCREENSTREAM".into());
                            pane.crop_mode = Some("KEEP_RATIO_PADDING".into());
                        }
                    }
                    2 => pane.filling_policy = Some("SHARED_SCREEN".into()),
                    _ => {}
                }
                mix.layout_panes.push(pane);
            }
        }
        TemplateKind::NineGridsView => {}
    }
    Job::from_parts(&mix, Some(&options)).expect("generated jobs are valid")
}

fn size(w: u16, h: u16) -> Option<SourceSize> {
    SourceSize::new(u32::from(w % 2000) + 1, u32::from(h % 2000) + 1)
}

fn event() -> impl Strategy<Value = Event> {
    (
        0usize..POOL,
        0u8..10,
        any::<u16>(),
        any::<u16>(),
        any::<bool>(),
    )
        .prop_map(|(u, op, w, h, flag)| {
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
                _ => Action::ScreenStop,
            };
            Event::new(id(u), action)
        })
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
        slots: room.slots().map(|s| s.map(str::to_owned)).collect(),
        waiting: room.waiting().map(str::to_owned).collect(),
        sharers: room.sharers().map(str::to_owned).collect(),
        layout: room.layout(),
    }
}

fn check_places(room: &Room, present: &HashMap<String, u64>) {
    let template = room.job().template().unwrap();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for user in room.slots().flatten().chain(room.waiting()) {
        *seen.entry(user).or_default() += 1;
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
    // The queue is in join order, and only exists when no slot is free.
    let order: Vec<u64> = room.waiting().map(|u| present[u]).collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "queue out of join order: {order:?}"
    );
    assert!(room.slots().len() <= template.capacity());
    // The slot list is in its canonical form: no trailing vacancy, and the
    // users in slots fill the list's size class (else it would have been
    // compacted); `compact` never leaves a vacancy.
    let slots: Vec<Option<&str>> = room.slots().collect();
    let filled = slots.iter().filter(|s| s.is_some()).count();
    assert_ne!(slots.last(), Some(&None), "trailing vacancy: {slots:?}");
    assert_eq!(
        template.size_class(filled),
        template.size_class(slots.len()),
        "not compacted: {slots:?}"
    );
    if room.job().replacement() == mixlayout::Replacement::Compact {
        assert_eq!(filled, slots.len(), "vacancy under compact: {slots:?}");
    }
    if room.waiting().next().is_some() {
        assert_eq!(room.slots().len(), template.capacity());
        assert!(
            room.slots().all(|s| s.is_some()),
            "a vacancy while users wait"
        );
    }
}

fn check_stability(room: &Room, before: &Snapshot, after: &Snapshot) {
    let template = room.job().template().unwrap();
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
    let fill_vacancy = room.job().replacement() == mixlayout::Replacement::FillVacancy;
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

fn check_layout(room: &Room, layout: &Layout) {
    let canvas = layout.canvas.unwrap();
    let whole = Rect::from_size(canvas);
    let template = room.job().template().unwrap();
    let expected_tiles = match template.kind() {
        TemplateKind::NineGridsView => room.slots().len(),
        TemplateKind::ScreenShareLeft | TemplateKind::ScreenShareRight => 1 + room.slots().len(),
        TemplateKind::Custom => match template {
            mixlayout::Template::Custom(c) => c.panes().len(),
            _ => unreachable!(),
        },
    };
    assert_eq!(layout.tiles.len(), expected_tiles);
    for tile in &layout.tiles {
        assert!(whole.contains_rect(tile.rect), "{tile:?} leaves {canvas:?}");
        assert!(tile.rect.contains_rect(tile.content), "{tile:?}");
        match tile.kind {
            TileKind::Video => assert!(
                tile.user_id.is_some() && tile.label.is_some() && tile.placeholder.is_none()
            ),
            TileKind::AudioOnly => {
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
    if template.kind() != TemplateKind::Custom {
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
    assert_eq!(waiting, room.waiting().collect::<Vec<_>>());
    if template.kind() == TemplateKind::ScreenShareLeft
        || template.kind() == TemplateKind::ScreenShareRight
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
        for (seq, event) in events.iter().enumerate() {
            let before = snapshot(&room);
            match room.apply(event) {
                Ok(()) => match event.action {
                    Action::Join { .. } => {
                        present.insert(event.user_id.clone(), seq as u64);
                    }
                    Action::Leave => {
                        present.remove(&event.user_id);
                    }
                    _ => {}
                },
                Err(_) => {
                    prop_assert_eq!(&snapshot(&room), &before, "a rejected {:?} changed the room", event);
                    continue;
                }
            }
            let after = snapshot(&room);
            check_places(&room, &present);
            check_stability(&room, &before, &after);
            // Recomputing into reused storage gives the same layout as a
            // fresh computation.
            room.layout_into(&mut reused);
            prop_assert_eq!(&reused, &after.layout);
            check_layout(&room, &after.layout);
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
        for template in TemplateKind::ALL {
            for compact in [false, true] {
                let choice = JobChoice {
                    template,
                    width: w,
                    height: h,
                    compact,
                    main: 2,
                    panes: (0..25u8).map(|i| (3 + i % 3, i % 5, i / 5)).collect(),
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
                    check_places(&room, &present);
                    check_layout(&room, &room.layout());
                }
            }
        }
    }
}
