//! The whole computation: a job and an event list (split at the first NUL
//! byte), the room following them event by event and over time, and every
//! layout, whose tiles must lie inside the canvas with their content inside
//! them.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use mixlayout::{Job, Layout, Rect, Room, Timeline, parse_events};

fn check(layout: &Layout) {
    if let Some(canvas) = layout.canvas {
        let whole = Rect::from_size(canvas);
        for tile in &layout.tiles {
            assert!(whole.contains_rect(tile.rect), "{tile:?}");
            assert!(tile.rect.contains_rect(tile.content), "{tile:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (job, events) = (&data[..split], data.get(split + 1..).unwrap_or(&[]));
    let Ok(job) = Job::from_json(job) else { return };
    let Ok(events) = parse_events(events) else {
        return;
    };
    let job = Arc::new(job);
    let mut room = Room::new(job.clone());
    let mut layout = Layout::default();
    for event in &events {
        let before = room.layout();
        if room.apply(event).is_err() {
            assert_eq!(room.layout(), before, "a rejected event changed the room");
            continue;
        }
        room.layout_into(&mut layout);
        assert_eq!(layout, room.layout());
        check(&layout);
    }
    let mut timeline = Timeline::new(Room::new(job), &events).lenient(true);
    while let Ok(Some(epoch)) = timeline.next_epoch() {
        check(epoch.layout);
    }
});
