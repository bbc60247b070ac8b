//! Any bytes as an event list: events or a typed error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(events) = mixlayout::parse_events(data) {
        assert!(events.len() <= mixlayout::limits::MAX_EVENTS);
    }
});
