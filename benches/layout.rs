//! Layout computation and room events, each followed by a recomputation into
//! reused storage (issues 3, 4 and 6).
//!
//! `cargo bench --bench layout`

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mixlayout::{
    Action, Event, Job, Layout, Room, SourceSize, Stream, Timeline, changes_into, parse_events,
};

fn job(template: &str, panes: &str) -> Arc<Job> {
    styled(template, panes, "")
}

/// A job with `layout_options`.
fn styled(template: &str, panes: &str, options: &str) -> Arc<Job> {
    let text = format!(
        r#"{{"mix_param": {{"room_id": "bench", "encode_template": "1920x1080_30_4620",
            "layout_template": "{template}"{panes}}}, "layout_options": {{{options}}}}}"#
    );
    Arc::new(Job::from_json(text.as_bytes()).expect("bench job is valid"))
}

/// 25 panes in a 5x5 grid, pane 1 pinned to u1's screen.
fn custom_panes() -> String {
    let mut panes = Vec::new();
    for i in 0..25 {
        let (x, y) = (f64::from(i % 5) * 0.2, f64::from(i / 5) * 0.2);
        let pin = if i == 0 {
            r#", "user_id": "u1", "video_type": "SCREENSTREAM""#
        } else {
            ""
        };
        panes.push(format!(
            r#"{{"id": {}, "x": {x}, "y": {y}, "width": 0.2, "height": 0.2{pin}}}"#,
            i + 1
        ));
    }
    format!(r#", "layout_panes": [{}]"#, panes.join(","))
}

fn jobs() -> [(&'static str, Arc<Job>); 3] {
    [
        ("nine_grids_view/25", job("nine_grids_view", "")),
        (
            "screen_share_left/1+16",
            job(
                "screen_share_left",
                r#", "layout_panes": [{"id": 1, "filling_policy": "SHARED_SCREEN"}]"#,
            ),
        ),
        ("custom/25", job("custom", &custom_panes())),
    ]
}

/// A room of `n` users with known 1280x720 cameras; u1 shares a screen.
fn room(job: Arc<Job>, n: usize) -> Room {
    let mut room = Room::new(job);
    let camera = SourceSize::new(1280, 720);
    for i in 1..=n {
        room.apply(&Event::join(format!("u{i}"), camera)).unwrap();
    }
    room.apply(&Event::new(
        "u1",
        Action::ScreenStart {
            screen: SourceSize::new(1920, 1080),
        },
    ))
    .unwrap();
    room
}

fn layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("layout_into");
    let styles = r#""grid": "fit", "padding": 16, "gap": 8, "last_row": "center""#;
    let with_styles = (
        "nine_grids_view/25_styled",
        styled("nine_grids_view", "", styles),
    );
    for (name, job) in jobs().into_iter().chain([with_styles]) {
        let room = room(job, 25);
        let mut layout = Layout::default();
        room.layout_into(&mut layout);
        group.bench_function(name, |b| {
            b.iter(|| {
                room.layout_into(&mut layout);
                black_box(&layout);
            })
        });
    }
    group.finish();
}

/// A script of events that keeps the room near 25 users: cameras off and on,
/// phones turned, screens shared, people leaving and coming back; with
/// `timed`, every event 40 ms after the one before, and a third of them
/// speakers.
fn script(len: usize, timed: bool) -> Vec<Event> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut present = [true; 26];
    let mut off = [false; 26];
    let mut sharing = [false; 26];
    sharing[1] = true;
    let mut events = Vec::with_capacity(len);
    while events.len() < len {
        let u = 1 + (next() % 25) as usize;
        let id = format!("u{u}");
        let speaks = timed && next() % 3 == 0;
        let action = if speaks && present[u] {
            Action::Speaking
        } else if !present[u] {
            present[u] = true;
            off[u] = false;
            Action::Join {
                video: true,
                camera: SourceSize::new(1280, 720),
            }
        } else {
            match next() % 6 {
                0 => {
                    present[u] = false;
                    sharing[u] = false;
                    Action::Leave
                }
                1 if !off[u] => {
                    off[u] = true;
                    Action::VideoOff
                }
                1 => {
                    off[u] = false;
                    Action::VideoOn { camera: None }
                }
                2 if sharing[u] => {
                    sharing[u] = false;
                    Action::ScreenStop
                }
                2 => {
                    sharing[u] = true;
                    Action::ScreenStart {
                        screen: SourceSize::new(1920, 1080),
                    }
                }
                3 => Action::Resize {
                    stream: Stream::Camera,
                    size: SourceSize::new(720, 1280).unwrap(),
                },
                _ => Action::Resize {
                    stream: Stream::Camera,
                    size: SourceSize::new(1280, 720).unwrap(),
                },
            }
        };
        let event = Event::new(id, action);
        events.push(if timed {
            event.at(40 * events.len() as u32)
        } else {
            event
        });
    }
    events
}

fn events(c: &mut Criterion) {
    let mut group = c.benchmark_group("event_then_layout");
    let timed = styled(
        "nine_grids_view",
        "",
        r#""speaker_priority": true, "reconnect_grace_ms": 2000"#,
    );
    let runs = jobs()
        .into_iter()
        .map(|(name, job)| (name.to_owned(), job, script(4096, false)))
        .chain([(
            "nine_grids_view/25_timed_priority_grace".to_owned(),
            timed,
            script(4096, true),
        )]);
    for (name, job, events) in runs {
        group.throughput(Throughput::Elements(events.len() as u64));
        group.bench_function(name, |b| {
            b.iter_batched_ref(
                || (room(job.clone(), 25), Layout::default()),
                |(room, layout)| {
                    for event in &events {
                        room.apply(event).expect("the script fits the room");
                        room.layout_into(layout);
                    }
                    black_box(&*layout);
                },
                criterion::BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

/// The changes between two 25-tile layouts: a camera turned off (one
/// update), and the grid rebuilt after a leave across a class boundary
/// (every tile moves).
fn changes(c: &mut Criterion) {
    let mut group = c.benchmark_group("changes");
    let (_, job) = jobs().into_iter().next().unwrap();
    let mut room = room(job.clone(), 25);
    let before = room.layout();
    room.apply(&Event::new("u7", Action::VideoOff)).unwrap();
    room.apply(&Event::new("u7", Action::Speaking)).unwrap();
    let one = room.layout();
    let mut small = self::room(job, 17);
    let seventeen = small.layout();
    small.apply(&Event::new("u3", Action::Leave)).unwrap();
    let rebuilt = small.layout();
    let mut out = Vec::new();
    changes_into(&before, &one, &mut out);
    group.bench_function("25_tiles_one_update", |b| {
        b.iter(|| {
            changes_into(&before, &one, &mut out);
            black_box(&out);
        })
    });
    group.bench_function("17_tiles_rebuilt", |b| {
        b.iter(|| {
            changes_into(&seventeen, &rebuilt, &mut out);
            black_box(&out);
        })
    });
    group.finish();
}

/// Every epoch of the 10,000-event meeting of 200 users that
/// `benches/meeting.py` writes, with its changes.
fn timeline(c: &mut Criterion) {
    let dir = std::env::temp_dir().join("mixlayout-bench-meeting");
    let made = std::process::Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/meeting.py"))
        .arg(&dir)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("timeline: skipped, benches/meeting.py needs python3");
        return;
    }
    let job = Arc::new(Job::from_json(&std::fs::read(dir.join("job.json")).unwrap()).unwrap());
    let events = parse_events(&std::fs::read(dir.join("events.json")).unwrap()).unwrap();
    let mut group = c.benchmark_group("timeline");
    group.sample_size(20);
    group.bench_function("10000_events_200_users", |b| {
        b.iter(|| {
            let mut timeline = Timeline::new(Room::new(job.clone()), &events);
            let mut changes = 0;
            while let Some(epoch) = timeline.next_epoch().unwrap() {
                changes += epoch.changes.len();
            }
            black_box(changes)
        })
    });
    group.finish();
}

criterion_group!(benches, layout, events, changes, timeline);
criterion_main!(benches);
