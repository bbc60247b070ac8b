//! Time (SPEC §2, §3, §9), rule by rule, with outcomes checked by hand:
//! speaker priority and its tie rule, reconnect grace at and around its
//! end, holds and joins at one instant, compaction when a hold ends, the
//! `compact` policy with grace, `--until`, and `--lenient`.

mod common;

use std::sync::Arc;

use mixlayout::{
    Action, Event, EventError, Job, Layout, Rejection, Room, Slot, TileKind, Timeline, parse_events,
};

fn job(options: &str) -> Arc<Job> {
    let text = format!(
        r#"{{"mix_param": {{"room_id": "r", "encode_template": "1920x1080_30_4620",
            "layout_template": "nine_grids_view"}}, "layout_options": {{{options}}}}}"#
    );
    Arc::new(Job::from_json(text.as_bytes()).unwrap())
}

fn room(options: &str, users: usize) -> Room {
    let mut room = Room::new(job(options));
    for i in 1..=users {
        room.apply(&Event::join(format!("u{i}"), None).at(0))
            .unwrap();
    }
    room
}

fn slots(room: &Room) -> Vec<String> {
    room.slots()
        .map(|s| match s {
            Slot::Vacant => "-".to_owned(),
            Slot::Taken(m) => m.id().to_string(),
            Slot::Held(m) => format!("held {}", m.id()),
        })
        .collect()
}

fn waiting(room: &Room) -> Vec<String> {
    room.waiting().map(|m| m.id().to_string()).collect()
}

fn apply(room: &mut Room, events: &str) {
    room.apply_all(&parse_events(events.as_bytes()).unwrap())
        .unwrap();
}

#[test]
fn a_waiting_speaker_swaps_with_the_least_recent_speaker() {
    // 27 users in a 25-grid: u26 and u27 wait.
    let mut room = room(r#""speaker_priority": true"#, 27);
    assert_eq!(waiting(&room), ["u26", "u27"]);
    // u5 and u2 speak, in that order; nobody else has spoken.
    apply(
        &mut room,
        r#"[{"type": "speaking", "user_id": "u5", "at": 10},
            {"type": "speaking", "user_id": "u2", "at": 20}]"#,
    );
    // u26 speaks: among those who never spoke, the highest slot goes: u25.
    apply(
        &mut room,
        r#"[{"type": "speaking", "user_id": "u26", "at": 30}]"#,
    );
    assert_eq!(slots(&room)[24], "u26");
    assert_eq!(
        waiting(&room),
        ["u25", "u27"],
        "u25 takes u26's place in the queue"
    );
    assert_eq!(room.layout().speaker.as_deref(), Some("u26"));
    // Everyone else speaks once, so that only u5 and u2 are older.
    for i in (1..=24).filter(|i| ![2, 5].contains(i)) {
        room.apply(&Event::new(format!("u{i}"), Action::Speaking))
            .unwrap();
    }
    // u27 speaks: the least recent is u5 (event 0 before u2's event 1).
    apply(
        &mut room,
        r#"[{"type": "speaking", "user_id": "u27", "at": 40}]"#,
    );
    assert_eq!(slots(&room)[4], "u27");
    assert_eq!(waiting(&room), ["u25", "u5"]);
    // A slotted speaker moves nobody; without the option nobody moves.
    let before = slots(&room);
    apply(
        &mut room,
        r#"[{"type": "speaking", "user_id": "u1", "at": 50}]"#,
    );
    assert_eq!(slots(&room), before);
    let mut plain = self::room("", 27);
    apply(&mut plain, r#"[{"type": "speaking", "user_id": "u26"}]"#);
    assert_eq!(waiting(&plain), ["u26", "u27"]);
    assert_eq!(plain.layout().speaker.as_deref(), Some("u26"));
}

#[test]
fn held_slots_are_never_swapped() {
    // 26 users, grace 5 s: u25 leaves and holds slot 24; u26 waits.
    let mut room = room(
        r#""speaker_priority": true, "reconnect_grace_ms": 5000"#,
        26,
    );
    apply(
        &mut room,
        r#"[{"type": "leave", "user_id": "u25", "at": 100}]"#,
    );
    assert_eq!(slots(&room)[24], "held u25");
    assert_eq!(
        waiting(&room),
        ["u26"],
        "a held slot is not free for the queue"
    );
    // u26 speaks: the highest slot that never spoke and is not held is u24.
    apply(
        &mut room,
        r#"[{"type": "speaking", "user_id": "u26", "at": 200}]"#,
    );
    assert_eq!(slots(&room)[23], "u26");
    assert_eq!(slots(&room)[24], "held u25");
    assert_eq!(waiting(&room), ["u24"]);
}

#[test]
fn a_rejoin_one_millisecond_before_the_end_takes_the_slot_back() {
    let mut room = room(r#""reconnect_grace_ms": 10000"#, 4);
    apply(
        &mut room,
        r#"[{"type": "leave", "user_id": "u2", "at": 5000}]"#,
    );
    assert_eq!(slots(&room), ["u1", "held u2", "u3", "u4"]);
    assert!(!room.contains("u2"), "a held user is absent");
    let layout = room.layout();
    assert_eq!(layout.tiles[1].kind, TileKind::Held);
    assert_eq!(layout.tiles[1].user_id.as_deref(), Some("u2"));
    // u5 joins: not into the held slot.
    apply(
        &mut room,
        r#"[{"type": "join", "user_id": "u5", "at": 6000}]"#,
    );
    assert_eq!(slots(&room), ["u1", "held u2", "u3", "u4", "u5"]);
    // Back at 14999 (< 5000 + 10000), without video.
    apply(
        &mut room,
        r#"[{"type": "join", "user_id": "u2", "video": false, "at": 14999}]"#,
    );
    assert_eq!(slots(&room), ["u1", "u2", "u3", "u4", "u5"]);
    assert_eq!(room.layout().tiles[1].kind, TileKind::AudioOnly);
}

#[test]
fn a_rejoin_at_the_end_is_a_new_arrival() {
    let mut room = room(r#""reconnect_grace_ms": 10000"#, 4);
    apply(
        &mut room,
        r#"[{"type": "leave", "user_id": "u2", "at": 5000}]"#,
    );
    // At 15000 the hold ends before the join: the slot is vacant (3 users
    // still fit 2x2), and the joiner takes the lowest vacancy: slot 1.
    apply(
        &mut room,
        r#"[{"type": "join", "user_id": "u2", "at": 15000}]"#,
    );
    assert_eq!(slots(&room), ["u1", "u2", "u3", "u4"]);
    // The same with another joiner: u9 takes the vacated slot, a new u2 appends.
    let mut room = self::room(r#""reconnect_grace_ms": 10000"#, 4);
    apply(
        &mut room,
        r#"[{"type": "leave", "user_id": "u2", "at": 5000},
            {"type": "join", "user_id": "u9", "at": 15000},
            {"type": "join", "user_id": "u2", "at": 15000}]"#,
    );
    assert_eq!(slots(&room), ["u1", "u9", "u3", "u4", "u2"]);
}

#[test]
fn a_hold_that_ends_with_a_join_at_the_same_instant_ends_first() {
    // 26 users: u26 waits. u3 leaves at 1000 and holds until 4000. At 4000
    // the hold ends first (u26, the queue head, takes slot 2), then u30
    // joins the queue.
    let mut room = room(r#""reconnect_grace_ms": 3000"#, 26);
    apply(
        &mut room,
        r#"[{"type": "leave", "user_id": "u3", "at": 1000},
            {"type": "join", "user_id": "u30", "at": 4000}]"#,
    );
    assert_eq!(slots(&room)[2], "u26");
    assert_eq!(waiting(&room), ["u30"]);
}

#[test]
fn a_hold_that_ends_across_a_class_boundary_compacts() {
    // 10 users in 4x4; u2 leaves at 1000 (held until 3000). Held, it still
    // counts: 10 occupied slots stay in 4x4.
    let mut room = room(r#""reconnect_grace_ms": 2000"#, 10);
    apply(
        &mut room,
        r#"[{"type": "leave", "user_id": "u2", "at": 1000}]"#,
    );
    assert_eq!(room.layout().tiles.len(), 10);
    assert_eq!(room.layout().tiles[0].rect.width, 480, "4x4 of 1920");
    // At 3000 the hold ends: 9 users fit 3x3, the list is compacted.
    room.advance_to(3000);
    assert_eq!(
        slots(&room),
        ["u1", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10"]
    );
    assert_eq!(room.layout().tiles[0].rect.width, 640, "3x3 of 1920");
    assert_eq!(room.next_hold_end(), None);
}

#[test]
fn compact_with_grace_removes_the_slot_when_the_hold_ends() {
    let mut room = room(r#""replacement": "compact", "reconnect_grace_ms": 500"#, 4);
    apply(
        &mut room,
        r#"[{"type": "leave", "user_id": "u2", "at": 100}]"#,
    );
    assert_eq!(slots(&room), ["u1", "held u2", "u3", "u4"]);
    room.advance_to(599);
    assert_eq!(slots(&room), ["u1", "held u2", "u3", "u4"]);
    room.advance_to(600);
    assert_eq!(slots(&room), ["u1", "u3", "u4"]);
}

#[test]
fn until_cuts_the_timeline_but_every_event_is_checked() {
    let job = job(r#""reconnect_grace_ms": 1000"#);
    let events = parse_events(
        br#"[{"type": "join", "user_id": "a", "at": 0},
             {"type": "join", "user_id": "b", "at": 2000},
             {"type": "leave", "user_id": "b", "at": 3000},
             {"type": "join", "user_id": "c", "at": 9000}]"#,
    )
    .unwrap();
    let epochs = |until: u32| {
        let mut t = Timeline::new(Room::new(job.clone()), &events).until(until);
        let mut out = Vec::new();
        while let Some(e) = t.next_epoch().unwrap() {
            out.push((e.from, e.to, e.layout.tiles.len()));
        }
        out
    };
    // b held from 3000 until 4000: the layout changes at 3000 and 4000.
    assert_eq!(
        epochs(3500),
        [
            (0, Some(2000), 1),
            (2000, Some(3000), 2),
            (3000, Some(3500), 2)
        ]
    );
    assert_eq!(epochs(3000), [(0, Some(2000), 1), (2000, Some(3000), 2)]);
    // An event past the end is still checked.
    let bad = parse_events(
        br#"[{"type": "join", "user_id": "a"}, {"type": "leave", "user_id": "z", "at": 9000}]"#,
    )
    .unwrap();
    let mut t = Timeline::new(Room::new(job), &bad).until(100);
    let mut result = Ok(None);
    for _ in 0..3 {
        result = t.next_epoch().map(|e| e.map(|e| e.from));
        if result.is_err() {
            break;
        }
    }
    assert_eq!(
        result.unwrap_err(),
        EventError {
            index: 1,
            rejection: Rejection::Absent("z".into())
        }
    );
}

/// The timeline's epochs as JSON values.
fn timeline(job: &Arc<Job>, events: &[Event], lenient: bool) -> Result<Vec<Layout>, EventError> {
    let mut t = Timeline::new(Room::new(job.clone()), events).lenient(lenient);
    let mut out = Vec::new();
    while let Some(e) = t.next_epoch()? {
        out.push(e.layout.clone());
    }
    Ok(out)
}

#[test]
fn lenient_skips_each_rejected_event_as_if_it_were_not_there() {
    let job = job(r#""reconnect_grace_ms": 1000"#);
    let all = parse_events(
        br#"[{"type": "join", "user_id": "a", "at": 0},
             {"type": "join", "user_id": "b", "at": 1000},
             {"type": "speaking", "user_id": "nobody", "at": 1500},
             {"type": "leave", "user_id": "a", "at": 2000},
             {"type": "join", "user_id": "c", "at": 1900},
             {"type": "speaking", "user_id": "a", "at": 2100},
             {"type": "join", "user_id": "d", "at": 4000}]"#,
    )
    .unwrap();
    // Strict: the first rejection is an error naming it.
    assert_eq!(timeline(&job, &all, false).unwrap_err().index, 2);
    let mut t = Timeline::new(Room::new(job.clone()), &all).lenient(true);
    t.run_out().unwrap();
    let skipped: Vec<(usize, String)> = t
        .skipped()
        .iter()
        .map(|e| (e.index, e.rejection.to_string()))
        .collect();
    assert_eq!(
        skipped,
        [
            (2, "user \"nobody\" is not in the room".to_owned()),
            (4, "at 1900 is before the previous event's 2000".to_owned()),
            (5, "user \"a\" is not in the room".to_owned()),
        ]
    );
    // Lenient, the timeline is that of the events without them.
    let kept: Vec<Event> = all
        .iter()
        .enumerate()
        .filter(|(i, _)| ![2, 4, 5].contains(i))
        .map(|(_, e)| e.clone())
        .collect();
    assert_eq!(
        timeline(&job, &all, true).unwrap(),
        timeline(&job, &kept, false).unwrap()
    );
    // A malformed event is never skipped.
    let mut odd = kept.clone();
    odd.push(Event::join("a\u{7}", None));
    assert!(timeline(&job, &odd, true).is_err());
}

#[test]
fn the_cli_warns_once_per_skipped_event() {
    let dir = common::scratch("time-lenient");
    std::fs::write(
        dir.join("job.json"),
        r#"{"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "nine_grids_view"}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("events.json"),
        r#"[{"type": "join", "user_id": "a", "at": 5}, {"type": "speaking", "user_id": "b", "at": 9},
            {"type": "join", "user_id": "c", "at": 3}]"#,
    )
    .unwrap();
    let args = ["timeline", "--job", "job.json", "--events", "events.json"];
    let strict = common::run_in(&dir, &args);
    assert_eq!(strict.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&strict.stderr).trim(),
        "mixlayout: events.json: event 1: user \"b\" is not in the room"
    );
    let lenient = common::run_in(&dir, &[&args[..], &["--lenient"]].concat());
    assert_eq!(lenient.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&lenient.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "mixlayout: warning: events.json: event 1: user \"b\" is not in the room (skipped)",
            "mixlayout: warning: events.json: event 2: at 3 is before the previous event's 5 (skipped)",
        ]
    );
    let out: serde_json::Value = serde_json::from_slice(&lenient.stdout).unwrap();
    assert_eq!(out["epochs"].as_array().unwrap().len(), 2);
}
