//! Recomputing a layout into reused storage allocates nothing once warm
//! (issue 6), counted through a counting global allocator. Only the test's
//! own thread is counted: the test harness's threads allocate when they
//! please, and their allocations are not the computation's.

use std::alloc::{GlobalAlloc, Layout as AllocLayout, System};
use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use mixlayout::{
    Action, Event, FillingPolicy, Job, JobBuilder, Layout, PaneSpec, Room, SourceSize, Stream,
    TemplateKind, changes_into,
};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Set on the thread whose allocations are counted.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn count() {
    // try_with: the allocator may run while a thread's locals are torn down.
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: forwards to the system allocator; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: AllocLayout) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: AllocLayout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: AllocLayout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn job(template: TemplateKind, panes: Vec<PaneSpec>) -> Arc<Job> {
    let mut job = JobBuilder::new("r", "1920x1080_30_4620").template(template);
    for pane in panes {
        job = job.pane(pane);
    }
    Arc::new(job.build().unwrap())
}

/// Runs `f` and counts the allocations of this thread meanwhile.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    COUNTING.set(true);
    f();
    COUNTING.set(false);
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

#[test]
fn warm_recomputation_allocates_nothing() {
    let shared = PaneSpec {
        id: 1,
        filling_policy: Some(FillingPolicy::SharedScreen),
        ..PaneSpec::default()
    };
    let panes = (0..25)
        .map(|i| PaneSpec {
            id: i + 1,
            x: Some(f64::from((i % 5) as u8) * 0.2),
            y: Some(f64::from((i / 5) as u8) * 0.2),
            width: Some(0.2),
            height: Some(0.2),
            ..PaneSpec::default()
        })
        .collect();
    for job in [
        job(TemplateKind::NineGridsView, vec![]),
        job(TemplateKind::ScreenShareLeft, vec![shared]),
        job(TemplateKind::Custom, panes),
    ] {
        let mut room = Room::new(job);
        for i in 1..=30 {
            let camera = SourceSize::new(1280, 720);
            room.apply(&Event::join(format!("u{i}"), camera)).unwrap();
        }
        room.apply(&Event::new(
            "u1",
            Action::ScreenStart {
                screen: SourceSize::new(1920, 1080),
            },
        ))
        .unwrap();
        let mut layout = Layout::default();
        room.layout_into(&mut layout);
        // Events that move no one's place and need no new strings.
        let off = Event::new("u2", Action::VideoOff);
        let on = Event::new("u2", Action::VideoOn { camera: None });
        let turn = Event::new(
            "u3",
            Action::Resize {
                stream: Stream::Camera,
                size: SourceSize::new(720, 1280).unwrap(),
            },
        );
        let count = allocations(|| {
            for _ in 0..1000 {
                room.layout_into(&mut layout);
                room.apply(&off).unwrap();
                room.layout_into(&mut layout);
                room.apply(&on).unwrap();
                room.apply(&turn).unwrap();
                room.layout_into(&mut layout);
            }
        });
        assert_eq!(count, 0, "{count} allocations in 3000 recomputations");
        assert!(!layout.tiles.is_empty());
    }
}

/// A live compositor's loop: advance the room to the frame's instant,
/// apply the events due, recompute the layout and learn what changed. Once
/// warm it allocates nothing, speakers and camera changes included.
#[test]
fn following_a_room_over_time_allocates_nothing() {
    let job = JobBuilder::new("r", "1920x1080_30_4620")
        .template(TemplateKind::NineGridsView)
        .speaker_priority(true)
        .reconnect_grace_ms(5_000)
        .build()
        .unwrap();
    let mut room = Room::new(Arc::new(job));
    for i in 1..=30 {
        room.apply(&Event::join(format!("u{i}"), SourceSize::new(1280, 720)).at(0))
            .unwrap();
    }
    // Speakers among the slotted and the waiting, cameras off and on.
    let script: Vec<Event> = (0..40)
        .map(|i| {
            let user = format!("u{}", 1 + (i * 7) % 30);
            let action = match i % 4 {
                0 | 1 => Action::Speaking,
                2 => Action::VideoOff,
                _ => Action::VideoOn { camera: None },
            };
            Event::new(user, action)
        })
        .collect();
    let (mut previous, mut current) = (Layout::default(), Layout::default());
    let mut changes = Vec::new();
    let mut now = 0;
    let mut step = |room: &mut Room, previous: &mut Layout, current: &mut Layout, now: &mut u32| {
        for event in &script {
            *now += 40;
            room.advance_to(*now);
            // A camera may be off already: then video_off is only a no-op.
            let _ = room.apply(event);
            std::mem::swap(previous, current);
            room.layout_into(current);
            changes_into(previous, current, &mut changes);
        }
    };
    // Warm up: every speaker has moved in and out once.
    for _ in 0..3 {
        step(&mut room, &mut previous, &mut current, &mut now);
    }
    let count = allocations(|| {
        for _ in 0..20 {
            step(&mut room, &mut previous, &mut current, &mut now);
        }
    });
    assert_eq!(count, 0, "{count} allocations in 800 frames");
    assert_eq!(current.tiles.len(), 25);
}

/// Composing a video frame allocates nothing once warm (one thread): the
/// plan, the scaler's weights and rows, the corners' masks are all reused.
#[cfg(feature = "frames")]
#[test]
fn composing_frames_allocates_nothing() {
    use mixlayout::frame::{ComposeOptions, Compositor, Frame};
    use mixlayout::picture::Pictures;

    let job = Arc::new(
        Job::from_json(
            br##"{"mix_param": {"room_id": "r", "encode_template": "640x360_30_500", "layout_template": "nine_grids_view"},
                "layout_options": {"corner_radius": 12, "gap": 4, "speaker_border": {"color": "#ffcc00", "width": 3},
                "users": {"u2": {"width": 640, "height": 480}}}}"##,
        )
        .unwrap(),
    );
    let mut room = Room::new(job.clone());
    for i in 1..=9 {
        room.apply(&Event::join(format!("u{i}"), None)).unwrap();
    }
    room.apply(&Event::new("u3", Action::Speaking)).unwrap();
    room.apply(&Event::new("u4", Action::VideoOff)).unwrap();
    let mut layout = Layout::default();
    room.layout_into(&mut layout);
    // Frames of two sizes, one for odd users and one for even ones; u9 has
    // none (drawn as its placeholder).
    let big = Frame::filled(1280, 720, [120, 90, 160]);
    let small = Frame::filled(320, 240, [60, 160, 100]);
    let sources = |user: &str, _: Stream| match user {
        "u9" => None,
        u if u.ends_with(['1', '3', '5', '7']) => Some(big.as_ref()),
        _ => Some(small.as_ref()),
    };
    let mut compositor = Compositor::new(job, &Pictures::new(), ComposeOptions::default()).unwrap();
    let mut out = Frame::new(640, 360).unwrap();
    compositor
        .compose(&layout, &sources, &mut out.as_mut())
        .unwrap();
    let count = allocations(|| {
        for _ in 0..50 {
            compositor
                .compose(&layout, &sources, &mut out.as_mut())
                .unwrap();
        }
    });
    assert_eq!(count, 0, "{count} allocations in 50 frames");
}
