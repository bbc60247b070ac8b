//! Any bytes as a job document: a job or a typed error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(job) = mixlayout::Job::from_json(data) {
        // A checked job has a canvas within SPEC §1's range, or none.
        if let Some(canvas) = job.canvas() {
            assert!((16..=8192).contains(&canvas.width) && (16..=8192).contains(&canvas.height));
        }
    }
});
