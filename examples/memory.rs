//! Memory of many rooms (issue 6): builds `ROOMS` rooms of 25 users each on
//! one shared job and reports the resident memory it took.
//!
//! `cargo run --release --example memory -- [ROOMS]` (default 100000)

use std::sync::Arc;

use mixlayout::{Event, JobBuilder, Room, SourceSize, TemplateKind};

/// Resident memory of this process in KiB, from /proc (Linux).
fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let rooms: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let job = JobBuilder::new("memory", "1920x1080_30_4620")
        .template(TemplateKind::NineGridsView)
        .build()
        .expect("valid job");
    let job = Arc::new(job);
    let before = resident_kib().unwrap_or(0);
    let mut all = Vec::with_capacity(rooms);
    for r in 0..rooms {
        let mut room = Room::new(job.clone());
        for u in 0..25 {
            let camera = SourceSize::new(1280, 720);
            room.apply(&Event::join(format!("room{r}-user{u}"), camera))
                .expect("valid join");
        }
        all.push(room);
    }
    let after = resident_kib().unwrap_or(0);
    let total = (after - before) * 1024;
    println!(
        "{rooms} rooms of 25 users: {:.1} MiB resident, {} bytes per room",
        total as f64 / (1024.0 * 1024.0),
        total / rooms.max(1) as u64
    );
    assert_eq!(all.len(), rooms);
}
