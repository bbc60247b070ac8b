//! Scripted meetings with hand-checked outcomes (SPEC §2, §3, §4.3, §6).

use std::sync::Arc;

use mixlayout::{
    Action, Event, Job, Placeholder, Rect, Rejection, Rgb, Room, Slot, SourceSize, Stream,
    TileKind, parse_events,
};

fn new_room(job: &str) -> Room {
    Room::new(Arc::new(
        Job::from_json(job.as_bytes()).expect("test job is valid"),
    ))
}

fn grid_room() -> Room {
    new_room(
        r#"{"room_id": "r", "encode_template": "1920x1080_30_4620", "layout_template": "nine_grids_view"}"#,
    )
}

fn join(room: &mut Room, id: &str) {
    room.apply(&Event::join(id, None)).unwrap();
}

fn join_n(room: &mut Room, n: usize) {
    for i in 1..=n {
        join(room, &format!("u{i}"));
    }
}

fn run(room: &mut Room, events: &str) {
    room.apply_all(&parse_events(events.as_bytes()).unwrap())
        .unwrap();
}

fn slots(room: &Room) -> Vec<Option<&str>> {
    room.slots().map(Slot::user_id).collect()
}

fn waiting(room: &Room) -> Vec<&str> {
    room.waiting().map(|m| &**m.id()).collect()
}

fn user_at(room: &Room, rect: Rect) -> Option<String> {
    room.layout()
        .tiles
        .iter()
        .find(|t| t.rect == rect)
        .and_then(|t| t.user_id.as_deref().map(str::to_owned))
}

#[test]
fn a_leaver_cell_goes_to_the_next_joiner() {
    let mut room = grid_room();
    join_n(&mut room, 9);
    run(&mut room, r#"[{"type": "leave", "user_id": "u3"}]"#);
    // 3x3 of 640x360: u3 had slot 2, the top right cell, now vacant.
    let layout = room.layout();
    assert_eq!(layout.tiles.len(), 9);
    assert_eq!(layout.tiles[2].kind, TileKind::Empty);
    assert_eq!(layout.tiles[2].rect, Rect::new(1280, 0, 640, 360));
    join(&mut room, "u10");
    assert_eq!(
        user_at(&room, Rect::new(1280, 0, 640, 360)).as_deref(),
        Some("u10")
    );
    // Nobody else moved.
    assert_eq!(
        user_at(&room, Rect::new(0, 720, 640, 360)).as_deref(),
        Some("u7")
    );
}

#[test]
fn the_queue_head_takes_a_vacancy() {
    let mut room = grid_room();
    join_n(&mut room, 27);
    assert_eq!(waiting(&room), ["u26", "u27"]);
    run(&mut room, r#"[{"type": "leave", "user_id": "u7"}]"#);
    // u7 had slot 6: row 1, column 1 of 5x5 cells of 384x216.
    assert_eq!(
        user_at(&room, Rect::new(384, 216, 384, 216)).as_deref(),
        Some("u26")
    );
    assert_eq!(waiting(&room), ["u27"]);
    assert_eq!(room.layout().waiting.len(), 1);
    // A waiting user who leaves just leaves the queue.
    run(&mut room, r#"[{"type": "leave", "user_id": "u27"}]"#);
    assert_eq!(room.waiting().count(), 0);
    assert_eq!(room.slots().len(), 25);
}

#[test]
fn shrinking_across_a_class_rebuilds_the_grid() {
    let mut room = grid_room();
    join_n(&mut room, 10);
    // 10 slots: 4x4. u2 leaves, 9 users fit 3x3: the list is compacted.
    run(&mut room, r#"[{"type": "leave", "user_id": "u2"}]"#);
    let expected: Vec<Option<&str>> = ["u1", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10"]
        .into_iter()
        .map(Some)
        .collect();
    assert_eq!(slots(&room), expected);
    assert_eq!(room.layout().tiles[8].rect, Rect::new(1280, 720, 640, 360));
    // The next joiner goes to the end, in 4x4 again (slot 9: row 2, col 1).
    join(&mut room, "u11");
    assert_eq!(slots(&room).last(), Some(&Some("u11")));
    assert_eq!(room.layout().tiles[9].rect, Rect::new(480, 540, 480, 270));
}

#[test]
fn within_a_class_the_hole_stays() {
    let mut room = grid_room();
    join_n(&mut room, 9);
    // 9 -> 5 users stays in 3x3 (5..=9): holes stay where they are.
    run(
        &mut room,
        r#"[{"type": "leave", "user_id": "u2"}, {"type": "leave", "user_id": "u4"},
            {"type": "leave", "user_id": "u6"}, {"type": "leave", "user_id": "u8"}]"#,
    );
    assert_eq!(
        slots(&room),
        [
            Some("u1"),
            None,
            Some("u3"),
            None,
            Some("u5"),
            None,
            Some("u7"),
            None,
            Some("u9")
        ]
    );
    // The last user leaving drops the trailing vacancies: u9 out leaves 4
    // users in a list of 7 (3x3), 4 fit 2x2, so the list is compacted.
    run(&mut room, r#"[{"type": "leave", "user_id": "u9"}]"#);
    assert_eq!(
        slots(&room),
        [Some("u1"), Some("u3"), Some("u5"), Some("u7")]
    );
}

#[test]
fn compact_policy_moves_later_users_up() {
    let mut room = new_room(
        r#"{"mix_param": {"room_id": "r", "encode_template": "1920x1080_30_4620",
            "layout_template": "nine_grids_view"}, "layout_options": {"replacement": "compact"}}"#,
    );
    join_n(&mut room, 26);
    run(&mut room, r#"[{"type": "leave", "user_id": "u2"}]"#);
    let s = slots(&room);
    assert_eq!(s.len(), 25);
    assert_eq!(&s[..3], [Some("u1"), Some("u3"), Some("u4")]);
    // The queue head is appended at the end.
    assert_eq!(s[24], Some("u26"));
}

#[test]
fn pinned_main_camera_takes_no_small_tile() {
    let mut room = new_room(
        r#"{"mix_param": {"room_id": "r", "encode_template": "1920x1080_30_4620",
            "layout_template": "screen_share_left"},
            "layout_options": {"main": {"user_id": "u2", "stream": "camera"}}}"#,
    );
    join_n(&mut room, 3);
    assert_eq!(slots(&room), [Some("u1"), Some("u3")]);
    let layout = room.layout();
    assert_eq!(layout.tiles[0].user_id.as_deref(), Some("u2"));
    assert_eq!(layout.tiles[0].kind, TileKind::Video);
    // Camera off: the main window shows u2's placeholder.
    run(&mut room, r#"[{"type": "video_off", "user_id": "u2"}]"#);
    let main = room.layout().tiles[0].clone();
    assert_eq!(main.kind, TileKind::AudioOnly);
    assert_eq!(main.placeholder, Some(Placeholder::Color(Rgb::PLACEHOLDER)));
    // u2 leaves: the window is empty but keeps naming u2's camera.
    run(&mut room, r#"[{"type": "leave", "user_id": "u2"}]"#);
    let main = room.layout().tiles[0].clone();
    assert_eq!(
        (main.kind, main.user_id.as_deref(), main.stream),
        (TileKind::Empty, Some("u2"), Some(Stream::Camera))
    );
    assert_eq!(main.label, None);
}

#[test]
fn shared_screen_follows_the_earliest_sharer() {
    let mut room = new_room(
        r#"{"mix_param": {"room_id": "r", "encode_template": "1920x1080_30_4620",
            "layout_template": "screen_share_right"}, "layout_options": {"main": "shared_screen"}}"#,
    );
    join_n(&mut room, 3);
    run(
        &mut room,
        r#"[{"type": "screen_start", "user_id": "u2", "width": 1920, "height": 1080},
            {"type": "screen_start", "user_id": "u3", "width": 1280, "height": 1024},
            {"type": "screen_start", "user_id": "u2", "width": 1600, "height": 900}]"#,
    );
    // u2 restarting only updates the size: u2 stays the earliest sharer.
    let main = room.layout().tiles[0].clone();
    assert_eq!(main.user_id.as_deref(), Some("u2"));
    assert_eq!(main.source_crop, Some(Rect::new(0, 0, 1600, 900)));
    // Main window of 3 small tiles on the right: 4/5 of 1920 = 1536 wide at
    // x = 384; 1600x900 is 16:9 like 1536x864: contained at y = (1080-864)/2.
    assert_eq!(main.rect, Rect::new(384, 0, 1536, 1080));
    assert_eq!(main.content, Rect::new(384, 108, 1536, 864));
    run(&mut room, r#"[{"type": "screen_stop", "user_id": "u2"}]"#);
    assert_eq!(room.layout().tiles[0].user_id.as_deref(), Some("u3"));
    // Leaving ends a share too.
    run(&mut room, r#"[{"type": "leave", "user_id": "u3"}]"#);
    let main = room.layout().tiles[0].clone();
    assert_eq!(
        (main.kind, main.user_id, main.stream),
        (TileKind::Empty, None, Some(Stream::Screen))
    );
}

#[test]
fn sizes_come_from_events_then_users_and_are_forgotten_on_leave() {
    let mut room = new_room(
        r#"{"mix_param": {"room_id": "r", "encode_template": "1280x720_30_1710",
            "layout_template": "custom",
            "layout_panes": [{"id": 1, "x": 0, "y": 0, "width": 1, "height": 1, "crop_mode": "KEEP_RATIO_PADDING"},
                             {"id": 2, "x": 0, "y": 0, "width": 0.5, "height": 0.5, "zorder": 1,
                              "user_id": "a", "video_type": "SCREENSTREAM", "crop_mode": "KEEP_RATIO_PADDING"}]},
            "layout_options": {"users": {"a": {"width": 640, "height": 480, "screen_width": 800, "screen_height": 600}}}}"#,
    );
    let full = Rect::new(0, 0, 1280, 720);
    run(
        &mut room,
        r#"[{"type": "join", "user_id": "a", "width": 320, "height": 320}]"#,
    );
    let crop = |room: &Room, z: u8| {
        room.layout()
            .tiles
            .iter()
            .find(|t| t.z == z)
            .unwrap()
            .source_crop
    };
    assert_eq!(crop(&room, 0), Some(Rect::new(0, 0, 320, 320)));
    // video_off keeps the size; video_on without one keeps it too.
    run(
        &mut room,
        r#"[{"type": "video_off", "user_id": "a"}, {"type": "video_on", "user_id": "a"}]"#,
    );
    assert_eq!(crop(&room, 0), Some(Rect::new(0, 0, 320, 320)));
    // A pinned screen pane shows the user's screen once sharing; the size
    // falls back to layout_options.users.
    assert_eq!(room.layout().tiles[1].kind, TileKind::Empty);
    run(&mut room, r#"[{"type": "screen_start", "user_id": "a"}]"#);
    assert_eq!(crop(&room, 1), Some(Rect::new(0, 0, 800, 600)));
    run(
        &mut room,
        r#"[{"type": "resize", "user_id": "a", "stream": "screen", "width": 1000, "height": 500},
            {"type": "screen_stop", "user_id": "a"}, {"type": "screen_start", "user_id": "a"}]"#,
    );
    // screen_stop forgot the resized screen: back to users' 800x600.
    assert_eq!(crop(&room, 1), Some(Rect::new(0, 0, 800, 600)));
    // Leave forgets the event's camera size: a rejoin uses users' 640x480.
    run(
        &mut room,
        r#"[{"type": "leave", "user_id": "a"}, {"type": "join", "user_id": "a"}]"#,
    );
    assert_eq!(crop(&room, 0), Some(Rect::new(0, 0, 640, 480)));
    assert_eq!(room.layout().tiles[0].rect, full);
}

#[test]
fn placeholders_prefer_the_users_own_image() {
    let mut room = new_room(
        r##"{"mix_param": {"room_id": "r", "encode_template": "640x480_15_500", "layout_template": "nine_grids_view",
            "default_user_background_image": "default.png",
            "user_background_images": [{"user_id": "b", "image_uri": "b.png"}]}}"##,
    );
    run(
        &mut room,
        r#"[{"type": "join", "user_id": "a", "video": false}, {"type": "join", "user_id": "b", "video": false}]"#,
    );
    let tiles = room.layout().tiles;
    assert_eq!(
        tiles[0].placeholder,
        Some(Placeholder::Image("default.png".into()))
    );
    assert_eq!(
        tiles[1].placeholder,
        Some(Placeholder::Image("b.png".into()))
    );
    let mut plain = new_room(
        r##"{"mix_param": {"room_id": "r", "encode_template": "640x480_15_500", "layout_template": "nine_grids_view"},
             "layout_options": {"placeholder_color": "#AbCdEf"}}"##,
    );
    run(
        &mut plain,
        r#"[{"type": "join", "user_id": "a", "video": false}]"#,
    );
    assert_eq!(
        plain.layout().tiles[0].placeholder,
        Some(Placeholder::Color(Rgb([0xab, 0xcd, 0xef])))
    );
}

#[test]
fn rejected_events_change_nothing_and_are_named() {
    let mut room = grid_room();
    join_n(&mut room, 2);
    let before = room.layout();
    let cases = [
        (
            Event::join("u1", None),
            Rejection::AlreadyPresent("u1".into()),
        ),
        (
            Event::new("zz", Action::Leave),
            Rejection::Absent("zz".into()),
        ),
        (
            Event::new("zz", Action::VideoOff),
            Rejection::Absent("zz".into()),
        ),
        (
            Event::new("u1", Action::ScreenStop),
            Rejection::NotSharing("u1".into()),
        ),
        (
            Event::new(
                "u1",
                Action::Resize {
                    stream: Stream::Screen,
                    size: SourceSize::new(10, 10).unwrap(),
                },
            ),
            Rejection::NotSharing("u1".into()),
        ),
    ];
    for (event, rejection) in cases {
        assert_eq!(room.apply(&event), Err(rejection));
        assert_eq!(room.layout(), before);
    }
    // In a list, the error names the event's index; earlier events stay.
    let events = parse_events(
        br#"[{"type": "join", "user_id": "u3"}, {"type": "leave", "user_id": "nobody"}]"#,
    )
    .unwrap();
    let err = room.apply_all(&events).unwrap_err();
    assert_eq!(
        err.to_string(),
        "event 1: user \"nobody\" is not in the room"
    );
    assert!(room.contains("u3"));
}

#[test]
fn malformed_events_are_named_by_index_and_field() {
    let cases: [(&[u8], &str); 6] = [
        (
            br#"[{"type": "join", "user_id": "a", "colour": 1}]"#,
            "event 0: colour: unknown field",
        ),
        (
            br#"[{"type": "join", "user_id": "a"}, {"type": "wave", "user_id": "a"}]"#,
            "event 1: type: \"wave\" is not one of join, leave",
        ),
        (
            br#"[{"type": "resize", "user_id": "a", "stream": "camera", "width": 0, "height": 5}]"#,
            "event 0: width: 0 is below 1",
        ),
        (
            br#"[{"type": "resize", "user_id": "a", "stream": "mic", "width": 5, "height": 5}]"#,
            "event 0: stream: \"mic\" is not one of camera, screen",
        ),
        (
            br#"[{"type": "join", "user_id": ""}]"#,
            "event 0: user_id: 0 bytes long, must be 1..=128",
        ),
        (
            br#"{"type": "join"}"#,
            "event 0: expected a list, found an object",
        ),
    ];
    for (json, start) in cases {
        let err = parse_events(json).unwrap_err().to_string();
        assert!(
            err.starts_with(start),
            "{err:?} should start with {start:?}"
        );
    }
}
