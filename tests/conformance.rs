//! SPEC's worked examples (copied from `shared/conformance/`): in each folder,
//! `layout --job job.json` plus the folder's `args` must print exactly
//! `expected.json`, compared as JSON values.

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

fn examples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/conformance exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.join("expected.json").is_file())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_worked_example_matches() {
    let dirs = examples();
    assert_eq!(dirs.len(), 19, "all of SPEC's worked examples are here");
    let mut failures = Vec::new();
    for dir in &dirs {
        let extra = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
        let mut args = vec!["layout", "--job", "job.json"];
        args.extend(extra.split_whitespace());
        let out = common::run_in(dir, &args);
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !out.status.success() {
            failures.push(format!(
                "{name}: exit {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let actual: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap())
                .unwrap();
        if actual != expected {
            failures.push(format!("{name}: layout differs from expected.json"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
