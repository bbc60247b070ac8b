//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The CLI example, built by `cargo test` beside the test binaries.
pub fn cli() -> Command {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target profile folder");
    let bin = dir
        .join("examples")
        .join(format!("mixlayout{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.is_file(),
        "{} is missing: cargo test builds it with the tests",
        bin.display()
    );
    Command::new(bin)
}

/// Runs the CLI in `dir` with `args`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    cli()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the CLI runs")
}

/// A fresh scratch folder under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// True when `program` runs; in CI (`CI=true`) its absence is a failure,
/// elsewhere the test says it was skipped.
pub fn available(program: &str) -> bool {
    let flag = if program.starts_with("ff") {
        "-version"
    } else {
        "--version"
    };
    let found = Command::new(program)
        .arg(flag)
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{program} is missing in CI: .ci/run installs it"
        );
        eprintln!(
            "skipped: {program} is not installed (apt-get install -y ffmpeg gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good)"
        );
    }
    found
}

/// A room of `job` where `u1`..=`u{users}` join with their cameras on, then
/// `events` happen; with the job, for the painters.
#[cfg(feature = "serde")]
pub fn room(
    job: &str,
    users: usize,
    events: &str,
) -> (std::sync::Arc<mixlayout::Job>, mixlayout::Room) {
    let job = std::sync::Arc::new(mixlayout::Job::from_json(job.as_bytes()).unwrap());
    let mut room = mixlayout::Room::new(job.clone());
    for i in 1..=users {
        room.apply(&mixlayout::Event::join(format!("u{i}"), None))
            .unwrap();
    }
    room.apply_all(&mixlayout::parse_events(events.as_bytes()).unwrap())
        .unwrap();
    (job, room)
}

/// Peak signal-to-noise ratio of two pictures of one size, in dB
/// (infinite when they are equal).
pub fn psnr(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let sum: f64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| (f64::from(*x) - f64::from(*y)).powi(2))
        .sum();
    let mse = sum / a.as_raw().len() as f64;
    if mse == 0.0 {
        f64::INFINITY
    } else {
        10.0 * (255.0 * 255.0 / mse).log10()
    }
}
