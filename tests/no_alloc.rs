//! Recomputing a layout into reused storage allocates nothing once warm
//! (issue 6), counted through a counting global allocator. Only the test's
//! own thread is counted: the test harness's threads allocate when they
//! please, and their allocations are not the computation's.

use std::alloc::{GlobalAlloc, Layout as AllocLayout, System};
use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use mixlayout::job::spec::{MixParam, PaneParam};
use mixlayout::{Action, Event, Job, Layout, Room, SourceSize, Stream};

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

fn job(template: &str, panes: Vec<PaneParam>) -> Arc<Job> {
    let mix = MixParam {
        room_id: "r".into(),
        encode_template: "1920x1080_30_4620".into(),
        layout_template: Some(template.into()),
        layout_panes: panes,
        ..MixParam::default()
    };
    Arc::new(Job::from_parts(&mix, None).unwrap())
}

#[test]
fn warm_recomputation_allocates_nothing() {
    let shared = PaneParam {
        id: 1,
        filling_policy: Some("SHARED_SCREEN".into()),
        ..PaneParam::default()
    };
    let panes = (0..25)
        .map(|i| PaneParam {
            id: i + 1,
            x: Some(f64::from((i % 5) as u8) * 0.2),
            y: Some(f64::from((i / 5) as u8) * 0.2),
            width: Some(0.2),
            height: Some(0.2),
            ..PaneParam::default()
        })
        .collect();
    for job in [
        job("nine_grids_view", vec![]),
        job("screen_share_left", vec![shared]),
        job("custom", panes),
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
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        COUNTING.set(true);
        for _ in 0..1000 {
            room.layout_into(&mut layout);
            room.apply(&off).unwrap();
            room.layout_into(&mut layout);
            room.apply(&on).unwrap();
            room.apply(&turn).unwrap();
            room.layout_into(&mut layout);
        }
        COUNTING.set(false);
        let after = ALLOCATIONS.load(Ordering::Relaxed);
        assert_eq!(
            after - before,
            0,
            "{} allocations in 3000 recomputations",
            after - before
        );
        assert!(!layout.tiles.is_empty());
    }
}
