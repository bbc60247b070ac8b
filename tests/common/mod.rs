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
