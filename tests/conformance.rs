//! SPEC's worked examples (copied from the shared conformance folder): in
//! each folder, the command of its `args` (`layout` unless `args` starts
//! with another) run with `--job job.json` must print exactly
//! `expected.json`, compared as JSON values. Checked twice: through the CLI
//! example as SPEC's checker runs it, and through the library.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use mixlayout::{EpochJson, Event, Job, Room, Timeline, parse_events};
use serde_json::{Value, json};

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

/// The command and flags of an example, as SPEC's checker reads `args`.
fn command(dir: &Path) -> (String, Vec<String>) {
    let text = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
    let mut words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
    let command = match words.first() {
        Some(w) if !w.starts_with('-') => words.remove(0),
        _ => "layout".to_owned(),
    };
    (command, words)
}

fn expected(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap()
}

#[test]
fn every_worked_example_matches() {
    let dirs = examples();
    assert_eq!(dirs.len(), 29, "all of SPEC's worked examples are here");
    let mut failures = Vec::new();
    for dir in &dirs {
        let (command, flags) = command(dir);
        let mut args = vec![command.as_str(), "--job", "job.json"];
        args.extend(flags.iter().map(String::as_str));
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
        if actual != expected(dir) {
            failures.push(format!("{name}: differs from expected.json"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What one example prints, computed with the library: the job, `--users
/// N` (at 0), then the events; a layout at `--at` (or the last event's
/// instant), or the timeline.
fn in_process(dir: &Path) -> Value {
    let job = Job::from_json(&std::fs::read(dir.join("job.json")).unwrap()).unwrap();
    let mut room = Room::new(Arc::new(job));
    let (command, flags) = command(dir);
    let mut events = Vec::new();
    let (mut at, mut until, mut changes) = (None, None, false);
    let mut flags = flags.iter().map(String::as_str);
    while let Some(flag) = flags.next() {
        let mut value = || flags.next().expect("a value");
        match flag {
            "--users" => {
                for i in 1..=value().parse::<usize>().unwrap() {
                    room.apply(&Event::join(format!("u{i}"), None).at(0))
                        .unwrap();
                }
            }
            "--events" => {
                events = parse_events(&std::fs::read(dir.join(value())).unwrap()).unwrap()
            }
            "--at" => at = Some(value().parse::<u32>().unwrap()),
            "--until" => until = Some(value().parse::<u32>().unwrap()),
            "--changes" => changes = true,
            other => panic!("unexpected flag {other}"),
        }
    }
    let timeline = Timeline::new(room, &events);
    let mut timeline = match until {
        Some(u) => timeline.until(u),
        None => timeline,
    };
    let mut epochs = Vec::new();
    while let Some(epoch) = timeline.next_epoch().unwrap() {
        epochs.push((
            epoch.from,
            serde_json::to_value(EpochJson { epoch, changes }).unwrap(),
        ));
    }
    match command.as_str() {
        "timeline" => json!({"epochs": epochs.into_iter().map(|(_, e)| e).collect::<Vec<_>>()}),
        "layout" => {
            // The layout at an instant is that of the epoch holding it.
            let at = at.unwrap_or(timeline.last_event_at().unwrap_or(0));
            let (_, epoch) = epochs
                .into_iter()
                .rev()
                .find(|(from, _)| *from <= at)
                .unwrap();
            epoch["layout"].clone()
        }
        other => panic!("unexpected command {other}"),
    }
}

#[test]
fn every_worked_example_matches_in_process() {
    for dir in examples() {
        assert_eq!(in_process(&dir), expected(&dir), "{}", dir.display());
    }
}
